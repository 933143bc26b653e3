package linemerge

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
)

var randomSeed = flag.Uint64("linemerge.seed", 1, "first seed of TestRandomAgainstGit")

// alphabet is small so that lines repeat, which is where diff algorithms and
// slider heuristics disagree.
var alphabet = []string{"a\n", "b\n", "c\n", "d\n", "}\n", "\n", "\tx\n", "e\r\n", "\xff\n"}

// repetitive makes every line common enough (over 64 times) that histogram
// gives up and falls back to git's Myers diff.
var repetitive = []string{"a\n", "b\n", "c\n"}

// generator draws random files: lines from an alphabet, base files of
// minLines to maxLines lines.
type generator struct {
	alphabet           []string
	minLines, maxLines int
}

// lines returns n random lines of the alphabet.
func (g generator) lines(r *rand.Rand, n int) []string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = g.alphabet[r.IntN(len(g.alphabet))]
	}
	return ls
}

// randomEdit applies one to four random replacements, deletions and
// insertions to ls, and sometimes drops the final newline.
func (g generator) edit(r *rand.Rand, ls []string) string {
	ls = append([]string(nil), ls...)
	for range 1 + r.IntN(4) {
		at := r.IntN(len(ls) + 1)
		del := min(r.IntN(4), len(ls)-at)
		ins := g.lines(r, r.IntN(4))
		ls = append(ls[:at], append(ins, ls[at+del:]...)...)
	}
	s := strings.Join(ls, "")
	if r.IntN(8) == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// cases returns n cases generated from seed.
func (g generator) cases(seed uint64, n int) []mergeCase {
	r := rand.New(rand.NewPCG(seed, 0x6c696e656d65))
	cases := make([]mergeCase, n)
	for i := range cases {
		base := g.lines(r, g.minLines+r.IntN(g.maxLines-g.minLines+1))
		b := strings.Join(base, "")
		if r.IntN(10) == 0 {
			b = strings.TrimSuffix(b, "\n")
		}
		cases[i] = mergeCase{name: fmt.Sprintf("seed %d case %d", seed, i), base: b,
			ours: g.edit(r, base), theirs: g.edit(r, base)}
	}
	return cases
}

// TestRandomAgainstGit merges random files of 5 to 40 lines with Merge and
// with git merge-tree, 200 paths per git call, and compares verdict and
// content.
func TestRandomAgainstGit(t *testing.T) {
	batches := 25
	if testing.Short() {
		batches = 3
	}
	differential(t, generator{alphabet, 5, 40}, *randomSeed, batches, 200)
}

// TestRandomMyersFallbackAgainstGit does the same with long files of few
// distinct lines, where histogram falls back to Myers.
func TestRandomMyersFallbackAgainstGit(t *testing.T) {
	batches := 5
	if testing.Short() {
		batches = 1
	}
	differential(t, generator{repetitive, 200, 400}, *randomSeed+1000, batches, 100)
}

// differential compares Merge with git on batches of generated cases, in
// parallel, stops a batch at its first disagreement and logs the agreement.
func differential(t *testing.T, g generator, seed0 uint64, batches, perBatch int) {
	var total, agree, sameVerdict atomic.Int64
	t.Run("batches", func(t *testing.T) {
		for b := range batches {
			seed := seed0 + uint64(b)
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				t.Parallel()
				cases := g.cases(seed, perBatch)
				want := gitMerge(t, cases)
				for i, c := range cases {
					have := Merge([]byte(c.base), []byte(c.ours), []byte(c.theirs), oracleOptions)
					total.Add(1)
					verdict := (have.Conflicts > 0) == want[i].conflict
					if verdict {
						sameVerdict.Add(1)
					}
					if verdict && string(have.Content) == string(want[i].content) {
						agree.Add(1)
						continue
					}
					t.Fatalf("%s (rerun with -linemerge.seed=%d): \nbase   %q\nours   %q\ntheirs %q\ngit conflict=%v\n%q\nhave conflicts=%d\n%q",
						c.name, seed, c.base, c.ours, c.theirs, want[i].conflict, want[i].content, have.Conflicts, have.Content)
				}
			})
		}
	})
	t.Logf("agreement with git: %d/%d identical, %d/%d same verdict", agree.Load(), total.Load(), sameVerdict.Load(), total.Load())
}
