package gitstore

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// gitWorktrees is git worktree list's paths.
func gitWorktrees(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for _, l := range strings.Split(gitT(t, dir, "worktree", "list", "--porcelain"), "\n") {
		if p, ok := strings.CutPrefix(l, "worktree "); ok {
			paths = append(paths, p)
		}
	}
	return paths
}

func TestAddRemoveWorktree(t *testing.T) {
	dir := newRepo(t)
	first := revParse(t, dir, "HEAD")
	second := commitFile(t, dir, "sub/file", "2\n", "second")
	r := openRepo(t, dir)
	wts := filepath.Join(t.TempDir(), "wt")
	tests := []struct {
		name  string
		mess  func(t *testing.T, wt string) // what the step leaves behind
		state string
	}{
		{"clean", func(t *testing.T, wt string) {}, ""},
		{"untracked and modified files", func(t *testing.T, wt string) {
			writeFileT(t, filepath.Join(wt, "new", "untracked"), "x")
			writeFileT(t, filepath.Join(wt, "README"), "changed")
			writeFileT(t, filepath.Join(wt, "ignored.o"), "x")
			writeFileT(t, filepath.Join(wt, ".gitignore"), "*.o\n")
		}, ""},
		{"staged change", func(t *testing.T, wt string) {
			writeFileT(t, filepath.Join(wt, "staged"), "x")
			gitT(t, wt, "add", "staged")
		}, ""},
		{"directory already deleted", func(t *testing.T, wt string) {
			if err := os.RemoveAll(wt); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"locked", func(t *testing.T, wt string) { gitT(t, wt, "worktree", "lock", wt) }, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wt := filepath.Join(wts, string(rune('a'+i)))
			commit := []plumbing.Hash{first, second}[i%2]
			if err := r.AddWorktree(context.Background(), wt, commit); err != nil {
				t.Fatalf("AddWorktree: %v", err)
			}
			if got := revParse(t, wt, "HEAD"); got != commit {
				t.Errorf("worktree HEAD = %s, want %s", got, commit)
			}
			if got, err := gitOut(wt, "", "symbolic-ref", "-q", "HEAD"); err == nil {
				t.Errorf("worktree HEAD is on %s, want detached", got)
			}
			if got := gitT(t, wt, "status", "--porcelain"); got != "" {
				t.Errorf("new worktree is not clean:\n%s", got)
			}
			if !slices.Contains(gitWorktrees(t, dir), wt) {
				t.Errorf("git worktree list does not show %s", wt)
			}
			tt.mess(t, wt)
			if err := r.RemoveWorktree(wt); err != nil {
				t.Fatalf("RemoveWorktree: %v", err)
			}
			if _, err := os.Stat(wt); !os.IsNotExist(err) {
				t.Errorf("%s still exists: %v", wt, err)
			}
			if got := gitWorktrees(t, dir); len(got) != 1 || got[0] != dir {
				t.Errorf("git worktree list after remove = %q, want only %s", got, dir)
			}
		})
	}
	if err := r.AddWorktree(context.Background(), filepath.Join(wts, "x"), plumbing.NewHash("0123456789012345678901234567890123456789")); err == nil {
		t.Error("AddWorktree of a missing commit succeeded")
	}
}

// TestAddWorktreeConcurrent adds and removes worktrees from several
// goroutines at once with one Repo, as parallel steps do.
func TestAddWorktreeConcurrent(t *testing.T) {
	dir := newRepo(t)
	head := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	root := t.TempDir()
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wt := filepath.Join(root, string(rune('a'+i)))
			if err := r.AddWorktree(context.Background(), wt, head); err != nil {
				t.Errorf("AddWorktree(%s): %v", wt, err)
				return
			}
			if err := r.RemoveWorktree(wt); err != nil {
				t.Errorf("RemoveWorktree(%s): %v", wt, err)
			}
		}()
	}
	wg.Wait()
	if got := gitWorktrees(t, dir); len(got) != 1 {
		t.Errorf("git worktree list after all removed = %q", got)
	}
}

func TestWorktrees(t *testing.T) {
	dir := newRepo(t)
	head := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	detached := filepath.Join(t.TempDir(), "detached")
	onBranch := filepath.Join(t.TempDir(), "feat")
	if err := r.AddWorktree(context.Background(), detached, head); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "worktree", "add", "--quiet", "-b", "feat", onBranch, "HEAD")
	got, err := r.Worktrees()
	if err != nil {
		t.Fatal(err)
	}
	want := []Worktree{
		{Path: dir, Head: head, Branch: "refs/heads/main"},
		{Path: detached, Head: head},
		{Path: onBranch, Head: head, Branch: "refs/heads/feat"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Worktrees() =\n%+v\nwant\n%+v", got, want)
	}

	bare := filepath.Join(t.TempDir(), "bare.git")
	gitT(t, "", "clone", "--quiet", "--bare", dir, bare)
	got, err = openRepo(t, bare).Worktrees()
	if err != nil || len(got) != 1 || !got[0].Bare || got[0].Path != bare {
		t.Errorf("Worktrees() of a bare repo = %+v, %v; want one bare entry %s", got, err, bare)
	}
}

func TestDirtyPaths(t *testing.T) {
	dir := newRepo(t)
	commitFile(t, dir, "old name", "rename me\n", "to rename")
	commitFile(t, dir, "mod", "1\n", "to modify")
	commitFile(t, dir, "gone", "x\n", "to delete")
	commitFile(t, dir, "kept", "x\n", "untouched")
	commitFile(t, dir, "src/old.go", "package src\n\nfunc F() {}\n", "to rename in the work tree")
	if got, err := DirtyPaths(dir); err != nil || len(got) != 0 {
		t.Fatalf("DirtyPaths(clean) = %q, %v", got, err)
	}
	writeFileT(t, filepath.Join(dir, "mod"), "2\n")
	writeFileT(t, filepath.Join(dir, "new dir", "untracked"), "u\n")
	writeFileT(t, filepath.Join(dir, "x.o"), "ignored\n")
	writeFileT(t, filepath.Join(dir, ".git", "info", "exclude"), "*.o\n")
	gitT(t, dir, "mv", "old name", "new name")
	gitT(t, dir, "rm", "--quiet", "gone")
	writeFileT(t, filepath.Join(dir, "staged"), "s\n")
	gitT(t, dir, "add", "staged")
	if err := os.Rename(filepath.Join(dir, "src/old.go"), filepath.Join(dir, "src/new.go")); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "add", "--intent-to-add", "src/new.go") // git status: " R src/new.go", src/old.go

	got, err := DirtyPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	// Both sides of a staged rename are changes: a fast-forward that
	// touches the old name is blocked by it as much as by the new one.
	want := []string{"gone", "mod", "new dir/untracked", "new name", "old name", "src/new.go", "src/old.go", "staged"}
	if !slices.Equal(got, want) {
		t.Errorf("DirtyPaths = %q, want %q", got, want)
	}
	if _, err := DirtyPaths(t.TempDir()); err == nil {
		t.Error("DirtyPaths outside a repository succeeded")
	}
}

func TestFastForwardWorktree(t *testing.T) {
	dir := newRepo(t)
	commitFile(t, dir, "local", "1\n", "local")
	old := commitFile(t, dir, "changed", "old\n", "old")
	// The new commit changes "changed", adds "added" and removes "README",
	// made in a second worktree so the user's stays at old.
	other := filepath.Join(t.TempDir(), "other")
	gitT(t, dir, "worktree", "add", "--quiet", "--detach", other, old.String())
	commitFile(t, other, "changed", "new\n", "new 1")
	gitT(t, other, "rm", "--quiet", "README")
	newC := commitFile(t, other, "sub/added", "added\n", "new 2")

	writeFileT(t, filepath.Join(dir, "local"), "user's edit\n")
	writeFileT(t, filepath.Join(dir, "scratch"), "untracked\n")
	gitT(t, dir, "update-ref", "refs/heads/main", newC.String(), old.String())
	if err := FastForwardWorktree(dir, old, newC); err != nil {
		t.Fatalf("FastForwardWorktree: %v", err)
	}
	for name, want := range map[string]string{"changed": "new\n", "sub/added": "added\n", "local": "user's edit\n", "scratch": "untracked\n"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); !os.IsNotExist(err) {
		t.Errorf("README still there: %v", err)
	}
	if got, want := gitT(t, dir, "status", "--porcelain"), " M local\n?? scratch"; got != want {
		t.Errorf("git status after fast-forward:\n%s\nwant:\n%s", got, want)
	}

	// A local edit of a path the fast-forward changes blocks it, and
	// nothing moves.
	newer := commitFile(t, other, "changed", "newer\n", "newer")
	writeFileT(t, filepath.Join(dir, "changed"), "mine\n")
	gitT(t, dir, "update-ref", "refs/heads/main", newer.String(), newC.String())
	if err := FastForwardWorktree(dir, newC, newer); err == nil {
		t.Error("FastForwardWorktree over a local edit of a changed path succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "changed")); string(b) != "mine\n" {
		t.Errorf("local edit lost: changed = %q", b)
	}
}
