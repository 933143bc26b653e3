package gitstore

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// AddWorktree checks commit out, detached, into a new linked worktree at
// dir. It does what git worktree add does, in two parts: the worktree's
// entry is created with --no-checkout, one goroutine at a time and retried
// once, since concurrent adds can read each other's half-written entries;
// then git reset --hard fills it, in parallel with other steps, honouring
// attributes and filters. Unless the user set checkout.workers, git's
// parallel checkout uses every core: about 3x faster on 10,000 files.
func (r *Repo) AddWorktree(ctx context.Context, dir string, commit plumbing.Hash) error {
	if err := r.addWorktreeEntry(ctx, dir, commit); err != nil {
		return err
	}
	r.workersOnce.Do(func() {
		v, err := r.Config("checkout.workers")
		r.userWorkers = err != nil || v != ""
	})
	args := []string{"reset", "--hard", "--quiet"}
	if !r.userWorkers {
		args = append([]string{"-c", "checkout.workers=0"}, args...)
	}
	_, err := run(ctx, dir, nil, args...)
	return err
}

func (r *Repo) addWorktreeEntry(ctx context.Context, dir string, commit plumbing.Hash) error {
	r.worktreeMu.Lock()
	defer r.worktreeMu.Unlock()
	args := []string{"worktree", "add", "--no-checkout", "--detach", "--quiet", dir, commit.String()}
	_, err := r.Run(ctx, nil, args...)
	if err != nil && ctx.Err() == nil {
		// Another process's add may have raced this one: clean up, try again.
		os.RemoveAll(dir)
		r.pruneWorktrees()
		_, err = r.Run(ctx, nil, args...)
	}
	return err
}

// RemoveWorktree removes a linked worktree and its files, also when the
// step left changes in it or the directory is already gone.
func (r *Repo) RemoveWorktree(dir string) error {
	r.worktreeMu.Lock()
	defer r.worktreeMu.Unlock()
	// A cancelled context must not stop cleanup, so none is taken here.
	_, err := r.Run(context.Background(), nil, "worktree", "remove", "--force", "--force", dir)
	if err == nil {
		return nil
	}
	if _, statErr := os.Stat(dir); os.IsNotExist(statErr) {
		return r.pruneWorktrees()
	}
	if rmErr := os.RemoveAll(dir); rmErr != nil {
		return fmt.Errorf("remove worktree %s: %w", dir, err)
	}
	return r.pruneWorktrees()
}

// PruneWorktrees forgets linked worktrees whose directories are gone.
func (r *Repo) PruneWorktrees() error {
	r.worktreeMu.Lock()
	defer r.worktreeMu.Unlock()
	return r.pruneWorktrees()
}

func (r *Repo) pruneWorktrees() error {
	_, err := r.Run(context.Background(), nil, "worktree", "prune")
	return err
}

// Worktree is one entry of git worktree list.
type Worktree struct {
	Path   string
	Head   plumbing.Hash
	Branch string // full ref name, "" when detached
	Bare   bool
}

// Worktrees lists the repository's worktrees, the main one first.
func (r *Repo) Worktrees() ([]Worktree, error) {
	out, err := r.Run(context.Background(), nil, "worktree", "list", "--porcelain", "-z")
	if err != nil {
		return nil, err
	}
	var wts []Worktree
	for _, f := range splitZ(out) {
		key, val, _ := strings.Cut(f, " ")
		switch key {
		case "worktree":
			wts = append(wts, Worktree{Path: val})
		case "HEAD":
			wts[len(wts)-1].Head = plumbing.NewHash(val)
		case "branch":
			wts[len(wts)-1].Branch = val
		case "bare":
			wts[len(wts)-1].Bare = true
		}
	}
	return wts, nil
}

// DirtyPaths lists the paths with changes in a worktree: tracked files that
// differ from HEAD (a rename's old and new name) and untracked files that
// are not ignored.
func DirtyPaths(dir string) ([]string, error) {
	out, err := run(context.Background(), dir, nil, "status", "--porcelain=v1", "-z", "--untracked-files=all")
	if err != nil {
		return nil, err
	}
	var paths []string
	fields := splitZ(out)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if len(f) < 4 {
			continue
		}
		paths = append(paths, f[3:])
		if strings.ContainsAny(f[:2], "RC") {
			i++ // the source path follows as its own field, staged or not
			if i < len(fields) && strings.Contains(f[:2], "R") {
				paths = append(paths, fields[i]) // a rename changes its source too
			}
		}
	}
	return paths, nil
}

// FastForwardWorktree moves a worktree's index and files from commit old to
// commit new (git read-tree -m -u), keeping local changes to other paths.
// The branch ref itself must already point at new.
func FastForwardWorktree(dir string, old, new plumbing.Hash) error {
	_, err := run(context.Background(), dir, nil, "read-tree", "-m", "-u", old.String(), new.String())
	return err
}
