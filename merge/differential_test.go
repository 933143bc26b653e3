package merge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

type randomCase struct {
	prefix string
	stream []byte
}

// TestRandomDifferential merges random histories and compares with
// `git merge-tree --write-tree`, in both directions: never clean where git
// conflicts, and the same tree where both are clean.
func TestRandomDifferential(t *testing.T) {
	n := *casesFlag
	if n == 0 {
		n = 400
		if testing.Short() {
			n = 80
		}
	}
	seed := *seedFlag
	t.Logf("seed %d, %d cases (rerun with -merge.seed=%d)", seed, n, seed)
	g := &gen{rng: rand.New(rand.NewSource(seed))}
	r := newGitRepo(t)
	cases := make([]randomCase, n)
	var all []byte
	for i := range cases {
		base := g.base()
		ours := g.side(base, nil)
		theirs := g.side(base, ours)
		prefix := fmt.Sprintf("r%d/", i)
		cases[i] = randomCase{prefix, importStream(prefix, base, ours, theirs)}
		all = append(all, cases[i].stream...)
	}
	r.git(all, "fast-import", "--quiet")
	var tally tally
	for _, c := range cases {
		tally.add(t, r, c, "ours", "theirs")
		tally.add(t, r, c, "theirs", "ours")
		if t.Failed() {
			t.Fatalf("seed %d, case %s; rebuild with:\n%s", seed, c.prefix, script(c.stream, c.prefix))
		}
	}
	t.Logf("%d merges: %d clean in both, %d conflicted in both, %d conservative (we conflict, git clean): %.1f%% of git's clean merges",
		tally.total, tally.clean, tally.conflicted, tally.conservative, 100*float64(tally.conservative)/float64(tally.clean+tally.conservative))
	t.Logf("conservative reasons: %v", tally.reasons)
}

type tally struct {
	total, clean, conflicted, conservative int
	reasons                                map[string]int
}

// add merges one case in one direction and checks it against git.
func (ta *tally) add(t *testing.T, r *gitRepo, c randomCase, ours, theirs string) {
	t.Helper()
	trees := strings.Fields(r.git(nil, "rev-parse", c.prefix+"base^{tree}", c.prefix+ours+"^{tree}", c.prefix+theirs+"^{tree}"))
	have, err := Trees(r.store(), hash(trees[0]), hash(trees[1]), hash(trees[2]))
	if err != nil {
		t.Fatal(err)
	}
	git := r.mergeTree(c.prefix+ours, c.prefix+theirs)
	checkOracle(t, have, git)
	ta.total++
	switch {
	case have.Clean():
		ta.clean++
	case !git.clean:
		ta.conflicted++
	default:
		ta.conservative++
		if ta.reasons == nil {
			ta.reasons = map[string]int{}
		}
		for _, cf := range have.Conflicts {
			ta.reasons[cf.Reason]++
		}
	}
}
