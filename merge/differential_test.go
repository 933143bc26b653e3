package merge

import (
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

type randomCase struct {
	prefix string
	stream []byte
	tags   []string
}

// TestMergeRandomDifferential merges random histories with CommitsWith and
// compares with `git merge-tree --write-tree`, in both directions: never
// clean where git conflicts; the same tree where both are clean; for a
// result that says it is exact, the same verdict, tree, stages and
// messages. It reports how often we agree with git, per kind of change.
func TestMergeRandomDifferential(t *testing.T) {
	differential(t, caseCount(150, 300, 1500), 0)
}

// TestMergeRandomDifferentialManyBases is the same with every case a
// criss-cross of -merge.bases merge bases (3 unless told).
func TestMergeRandomDifferentialManyBases(t *testing.T) {
	differential(t, caseCount(30, 60, 300), *basesFlag)
}

// caseCount is -merge.cases, else the given count for -short, -race or
// a plain run.
func caseCount(short, race, plain int) int {
	switch {
	case *casesFlag != 0:
		return *casesFlag
	case testing.Short():
		return short
	case raceEnabled:
		return race
	}
	return plain
}

// differential runs n random cases of histories with the given number of
// merge bases (see gen.bases) through both merges and compares them.
func differential(t *testing.T, n, bases int) {
	seed := *seedFlag
	t.Logf("seed %d, %d cases (rerun with -merge.seed=%d -merge.cases=%d)", seed, n, seed, n)
	g := &gen{rng: rand.New(rand.NewSource(seed)), bases: bases}
	r := newGitRepo(t)
	cases := make([]randomCase, n)
	var all []byte
	for i := range cases {
		prefix := fmt.Sprintf("r%d/", i)
		stream, tags := g.history(prefix)
		cases[i] = randomCase{prefix, stream, tags}
		all = append(all, stream...)
	}
	r.git(all, "fast-import", "--quiet")
	start := time.Now()
	oracles := gitMerges(r, cases)
	gitTime := time.Since(start)
	start = time.Now()
	s := r.store()
	ta := tally{}
	for i, c := range cases {
		for dir, sides := range [2][2]string{{"ours", "theirs"}, {"theirs", "ours"}} {
			o, th := c.prefix+sides[0], c.prefix+sides[1]
			have, err := CommitsWith(s, r.rev(o), r.rev(th), Options{Branch1: o, Branch2: th})
			if err != nil {
				t.Fatal(err)
			}
			if git := oracles[2*i+dir]; git.failed != "" {
				t.Logf("case %s: git could not merge, skipped: %s", c.prefix, git.failed)
				ta.add([]string{"all", "git failed"}, "", false)
				continue
			}
			kind := checkOracle(t, have, oracles[2*i+dir])
			ta.add(append([]string{"all"}, c.tags...), kind, have.Exact)
			if !have.Exact {
				ta.add([]string{"inexact: " + have.inexact}, kind, false)
				if *showFlag != "" && strings.Contains(have.inexact, *showFlag) {
					t.Logf("case %s (%s into %s), %s:\n%s", c.prefix, th, o, have.inexact, script(c.stream, c.prefix))
				}
			}
			if t.Failed() {
				t.Fatalf("seed %d, case %s (%s into %s); rebuild with:\n%s", seed, c.prefix, th, o, script(c.stream, c.prefix))
			}
		}
	}
	t.Logf("git merge-tree: %v (on %d CPUs); merge.CommitsWith and checks: %v", gitTime, runtime.NumCPU(), time.Since(start))
	t.Log(ta.String())
}

// gitMerges runs git merge-tree on every case in both directions, on all
// CPUs; the result for case i is at 2i (ours, theirs) and 2i+1.
func gitMerges(r *gitRepo, cases []randomCase) []oracle {
	out := make([]oracle, 2*len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU()+1; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				c, a, b := cases[j/2], "ours", "theirs"
				if j%2 == 1 {
					a, b = b, a
				}
				out[j] = r.mergeTree(c.prefix+a, c.prefix+b)
			}
		}()
	}
	for j := range out {
		next <- j
	}
	close(next)
	wg.Wait()
	return out
}

// tally counts agreement with git, overall and per tag.
type tally map[string]*counts

type counts struct{ total, agree, conservative, otherPaths, exact int }

func (ta tally) add(tags []string, kind string, exact bool) {
	for _, tag := range tags {
		c := ta[tag]
		if c == nil {
			c = &counts{}
			ta[tag] = c
		}
		c.total++
		switch kind {
		case agree:
			c.agree++
		case conservative:
			c.conservative++
		case otherPaths:
			c.otherPaths++
		}
		if exact {
			c.exact++
		}
	}
}

func (ta tally) String() string {
	var tags []string
	for tag := range ta {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	var b strings.Builder
	fmt.Fprintf(&b, "%-28s %6s %7s %7s %7s %7s\n", "merges with", "count", "agree", "conserv", "paths≠", "exact")
	for _, tag := range tags {
		c := ta[tag]
		pct := func(n int) string { return fmt.Sprintf("%6.1f%%", 100*float64(n)/float64(c.total)) }
		fmt.Fprintf(&b, "%-28s %6d %7s %7s %7s %7s\n", tag, c.total, pct(c.agree), pct(c.conservative), pct(c.otherPaths), pct(c.exact))
	}
	return b.String()
}
