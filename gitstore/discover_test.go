package gitstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiscoverAgreesWithGit checks the start-up fast path against git
// rev-parse wherever it answers, and that it steps aside where it should.
func TestDiscoverAgreesWithGit(t *testing.T) {
	dir := newRepo(t)
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(t.TempDir(), "linked")
	gitT(t, dir, "worktree", "add", "--quiet", "--detach", linked)
	link := filepath.Join(t.TempDir(), "symlinked")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, sub, linked, link} {
		r, ok := discover(d)
		if !ok {
			t.Errorf("discover(%s): fell back to git", d)
			continue
		}
		want := strings.Split(gitT(t, d, "rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir", "--git-common-dir"), "\n")
		have := []string{r.Dir, r.GitDir, r.CommonDir}
		for i := range want {
			if have[i] != want[i] {
				t.Errorf("discover(%s) = %q, git says %q", d, have, want)
				break
			}
		}
	}
	bare := filepath.Join(t.TempDir(), "bare.git")
	gitT(t, "", "init", "--quiet", "--bare", bare)
	for _, d := range []string{bare, filepath.Join(dir, ".git"), t.TempDir()} {
		if _, ok := discover(d); ok {
			t.Errorf("discover(%s): answered; want a fall back to git", d)
		}
	}
	t.Setenv("GIT_DIR", filepath.Join(dir, ".git"))
	if _, ok := discover(dir); ok {
		t.Errorf("discover with GIT_DIR set: answered; want a fall back to git")
	}
}
