package gitstore

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpen(t *testing.T) {
	main := newRepo(t)
	head := revParse(t, main, "HEAD")
	sub := filepath.Join(main, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(t.TempDir(), "linked")
	gitT(t, main, "worktree", "add", "--quiet", "--detach", linked, "HEAD")
	bare := filepath.Join(t.TempDir(), "bare.git")
	gitT(t, "", "clone", "--quiet", "--bare", main, bare)

	gitDir := filepath.Join(main, ".git")
	tests := []struct {
		name                   string
		give                   string
		dir, gitDir, commonDir string
	}{
		{"work tree", main, main, gitDir, gitDir},
		{"subdirectory", sub, main, gitDir, gitDir},
		{"linked worktree", linked, linked, filepath.Join(gitDir, "worktrees", "linked"), gitDir},
		{"bare", bare, "", bare, bare},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := openRepo(t, tt.give)
			if r.Dir != tt.dir || r.GitDir != tt.gitDir || r.CommonDir != tt.commonDir {
				t.Errorf("Open(%s) = {Dir %q, GitDir %q, CommonDir %q}, want {%q, %q, %q}",
					tt.give, r.Dir, r.GitDir, r.CommonDir, tt.dir, tt.gitDir, tt.commonDir)
			}
			// The object store and refs are the shared ones.
			if h, err := r.RefValue("refs/heads/main"); err != nil || h != head {
				t.Errorf("RefValue(refs/heads/main) = %s, %v; want %s", h, err, head)
			}
			if _, err := r.Commit(head); err != nil {
				t.Errorf("Commit(HEAD): %v", err)
			}
			if got := gitT(t, r.Path(), "rev-parse", "HEAD"); got != head.String() {
				t.Errorf("git in Path() %s: HEAD = %s, want %s", r.Path(), got, head)
			}
		})
	}
}

func TestOpenNotRepo(t *testing.T) {
	gitEnv(t)
	root := t.TempDir()
	dir := filepath.Join(root, "plain")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CEILING_DIRECTORIES", root) // whatever holds the temp dir
	for _, d := range []string{dir, filepath.Join(root, "missing")} {
		_, err := Open(d)
		if !errors.Is(err, ErrNotRepo) {
			t.Errorf("Open(%s) = %v, want an error wrapping ErrNotRepo", d, err)
		}
	}
}

func TestConfig(t *testing.T) {
	dir := newRepo(t)
	r := openRepo(t, dir)
	if v, err := r.Config("ci.nothing"); v != "" || err != nil {
		t.Errorf("Config(unset) = %q, %v; want \"\", nil", v, err)
	}
	if err := r.SetConfig("ci.into", "release"); err != nil {
		t.Fatal(err)
	}
	if got := gitT(t, dir, "config", "ci.into"); got != "release" {
		t.Errorf("git config ci.into = %q after SetConfig", got)
	}
	if v, err := r.Config("ci.into"); v != "release" || err != nil {
		t.Errorf("Config(ci.into) = %q, %v; want release", v, err)
	}
}
