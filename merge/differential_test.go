package merge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
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
	trees := revParseTrees(r, cases)
	ta := tally{store: r.store()}
	for _, c := range cases {
		ta.add(t, r, c, trees, "ours", "theirs")
		ta.add(t, r, c, trees, "theirs", "ours")
		if t.Failed() {
			t.Fatalf("seed %d, case %s; rebuild with:\n%s", seed, c.prefix, script(c.stream, c.prefix))
		}
	}
	t.Logf("%d merges: %d clean in both, %d conflicted in both, %d conservative (we conflict, git clean): %.1f%% of git's clean merges",
		ta.total, ta.clean, ta.conflicted, ta.conservative, 100*float64(ta.conservative)/float64(ta.clean+ta.conservative))
	t.Logf("conservative conflicts by reason: %v", ta.reasons)
}

// revParseTrees maps every case's branches to their trees, in one git call.
func revParseTrees(r *gitRepo, cases []randomCase) map[string]plumbing.Hash {
	var names []string
	for _, c := range cases {
		for _, side := range []string{"base", "ours", "theirs"} {
			names = append(names, c.prefix+side)
		}
	}
	args := []string{"rev-parse"}
	for _, n := range names {
		args = append(args, n+"^{tree}")
	}
	trees := map[string]plumbing.Hash{}
	for i, h := range strings.Fields(r.git(nil, args...)) {
		trees[names[i]] = plumbing.NewHash(h)
	}
	return trees
}

type tally struct {
	store                                  storer.EncodedObjectStorer
	total, clean, conflicted, conservative int
	reasons                                map[string]int
}

// add merges one case in one direction and checks it against git.
func (ta *tally) add(t *testing.T, r *gitRepo, c randomCase, trees map[string]plumbing.Hash, ours, theirs string) {
	t.Helper()
	have, err := Trees(ta.store, trees[c.prefix+"base"], trees[c.prefix+ours], trees[c.prefix+theirs])
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
