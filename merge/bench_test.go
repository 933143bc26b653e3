package merge

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// bigRepo builds a 10,000-file tree (10 x 10 directories of 100 files) as
// big/base, and big/ours and big/theirs each changing 10 files in
// different directories; big/same is the base itself.
func bigRepo(tb testing.TB) (*gitRepo, map[string]plumbing.Hash) {
	base := snapshot{}
	for i := 0; i < 10000; i++ {
		base[fmt.Sprintf("d%d/e%d/f%d", i/1000, i/100%10, i%100)] = fmt.Sprintf("file %d\n", i)
	}
	ours, theirs := with(base), with(base)
	for i := 0; i < 10; i++ {
		ours[fmt.Sprintf("d%d/e%d/f1", i, i)] = "ours\n"
		theirs[fmt.Sprintf("d%d/e%d/f2", i, 9-i)] = "theirs\n"
	}
	r := importBig(tb, base, ours, theirs)
	r.git(nil, "branch", "big/same", "big/base")
	trees := map[string]plumbing.Hash{}
	for _, name := range []string{"base", "ours", "theirs", "same"} {
		trees[name] = r.rev("big/" + name + "^{tree}")
	}
	return r, trees
}

// BenchmarkTrees merges a 10,000-file tree with 10 files changed on one
// side ("one-sided": ours is the base) or on each side ("two-sided"), and
// reports x-git: the time per merge as a fraction of the time
// `git merge-tree --write-tree` takes on the same commits.
func BenchmarkTrees(b *testing.B) {
	r, trees := bigRepo(b)
	s := r.store()
	for _, bc := range []struct{ name, ours string }{{"one-sided", "same"}, {"two-sided", "ours"}} {
		b.Run(bc.name, func(b *testing.B) {
			gitNs := timeGit(b, r, "big/"+bc.ours, "big/theirs")
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if _, err := Trees(s, trees["base"], trees[bc.ours], trees["theirs"]); err != nil {
					b.Fatal(err)
				}
			}
			ns := float64(time.Since(start).Nanoseconds()) / float64(b.N)
			b.ReportMetric(gitNs, "git-ns/op")
			b.ReportMetric(ns/gitNs, "x-git")
		})
	}
}

// timeGit returns the mean wall time of git merge-tree on the two commits.
func timeGit(b *testing.B, r *gitRepo, ours, theirs string) float64 {
	b.Helper()
	const runs = 10
	start := time.Now()
	for i := 0; i < runs; i++ {
		cmd := exec.Command("git", "merge-tree", "--write-tree", ours, theirs)
		cmd.Dir, cmd.Env = r.dir, r.env
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(time.Since(start).Nanoseconds()) / runs
}

// countingStore counts the objects read through it.
type countingStore struct {
	storer.EncodedObjectStorer
	reads int
}

func (c *countingStore) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	c.reads++
	return c.EncodedObjectStorer.EncodedObject(t, h)
}

// TestReadsOnlyChangedSubtrees checks that a merge of a 10,000-file tree
// reads only the directories on the paths to the changed files.
func TestMergeReadsOnlyChangedSubtrees(t *testing.T) {
	r, trees := bigRepo(t)
	s := &countingStore{EncodedObjectStorer: r.store()}
	res, err := Trees(s, trees["base"], trees["ours"], trees["theirs"])
	if err != nil {
		t.Fatal(err)
	}
	checkOracle(t, res, r.mergeTree("big/ours", "big/theirs"))
	// The root and the ten d* directories, in base, ours and theirs. Each
	// changed d*/e* directory changed on one side only and is taken unread.
	if want := 3 * 11; s.reads > want {
		t.Errorf("read %d objects, want at most %d", s.reads, want)
	}
	t.Logf("read %d objects", s.reads)
}

// importBig writes big/base and, on it, big/ours and big/theirs with the
// given files (path -> content) into a new repository, with fast-import.
func importBig(tb testing.TB, base, ours, theirs map[string]string) *gitRepo {
	var b strings.Builder
	commitStream(&b, "big/base", nil, base)
	commitStream(&b, "big/ours", []string{"big/base"}, ours)
	commitStream(&b, "big/theirs", []string{"big/base"}, theirs)
	r := newGitRepo(tb)
	r.git([]byte(b.String()), "fast-import", "--quiet")
	return r
}
