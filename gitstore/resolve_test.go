package gitstore

import (
	"path/filepath"
	"testing"
)

// TestResolveAgreesWithGit resolves names with and without git: every
// name resolveHere answers must be git's answer, and the names it leaves
// to git must still resolve through Resolve as git resolves them.
func TestResolveAgreesWithGit(t *testing.T) {
	dir := newRepo(t)
	first := commitFile(t, dir, "a", "1\n", "first")
	commitFile(t, dir, "a", "2\n", "second")
	gitT(t, dir, "branch", "feature", first.String())
	gitT(t, dir, "tag", "light", first.String())
	gitT(t, dir, "tag", "-a", "-m", "annotated", "v1", first.String())
	gitT(t, dir, "tag", "-a", "-m", "tag of a tag", "v1-again", "v1")
	gitT(t, dir, "tag", "tree-tag", "HEAD^{tree}")
	gitT(t, dir, "tag", "feature", "HEAD") // a tag and a branch of one name: git takes the tag
	gitT(t, dir, "update-ref", "refs/remotes/origin/main", first.String())
	gitT(t, dir, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	gitT(t, dir, "update-ref", "refs/ci/runs/x", first.String())
	wt := filepath.Join(t.TempDir(), "wt")
	gitT(t, dir, "worktree", "add", "--quiet", "--detach", wt, first.String())

	names := []string{
		"HEAD", "main", "feature", "refs/heads/feature", "heads/feature", "light", "v1", "v1-again",
		"tags/v1", "refs/tags/v1", "origin", "origin/main", "remotes/origin/main", "ci/runs/x",
		"refs/ci/runs/x", first.String(), "HEAD~1", "main^", "v1^{commit}", first.String()[:8],
		"tree-tag", "nothing", "refs/heads/nothing", "ORIG_HEAD", "", "main..feature",
		"0000000000000000000000000000000000000000",
	}
	check := func(dir string, packed bool) {
		t.Helper()
		r := openRepo(t, dir)
		for _, name := range names {
			want := revParse(t, dir, name+"^{commit}")
			if name == "" {
				want = revParse(t, dir, "")
			}
			if h, ok := r.resolveHere(name); ok && h != want {
				t.Errorf("%s (packed %v): resolveHere %s, git %s", name, packed, h, want)
			}
			h, err := r.Resolve(name)
			if want.IsZero() != (err != nil) || err == nil && h != want {
				t.Errorf("%s (packed %v): Resolve %s, %v; git %s", name, packed, h, err, want)
			}
		}
		if _, ok := r.resolveHere("main"); !ok {
			t.Errorf("main was left to git")
		}
	}
	check(dir, false)
	check(wt, false) // a linked worktree: its own HEAD
	gitT(t, dir, "pack-refs", "--all")
	gitT(t, dir, "gc", "--quiet")
	check(dir, true)
	check(wt, true)
}
