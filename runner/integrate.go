package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/merge"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// MaxAttempts bounds how often integrate merges and tests again because the
// target moved while it tested.
const MaxAttempts = 3

// IntegrateOptions say what to integrate where.
type IntegrateOptions struct {
	Options
	Branch string // the branch to integrate
	Into   string // the target branch; "" means ci.into, else main or master
	// Remote names the remote to integrate against; "" means the target's
	// upstream (branch.TARGET.remote) if it has one, else none: local only.
	Remote string
}

// Outcome is what integrate did: the runs it recorded, one per attempt.
type Outcome struct {
	Target      string // full ref name of the target
	Runs        []*pipeline.Record
	NothingToDo bool // the branch was already contained in the target
	Promoted    bool // the target now points at the last run's commit
}

// ErrTargetKeptMoving means the target moved during every attempt.
var ErrTargetKeptMoving = errors.New("target kept moving")

// Integrate merges the branch into the target in the object store, tests the
// merge, and moves the target to exactly that commit by compare-and-swap when
// every step passed and the target did not move; else it merges onto the new
// target and tests again, MaxAttempts times at most. One integration per
// target runs at a time; others wait for the lock. Against a remote (see
// IntegrateOptions.Remote), the merge is onto the remote's target, and the
// promotion is a push (see integrateRemote).
func Integrate(ctx context.Context, o IntegrateOptions) (*Outcome, error) {
	branchRef, branchTip, err := o.Repo.ResolveBranch(o.Branch)
	if err != nil {
		return nil, &ConfigError{Err: err, Hint: "list branches with `git branch -a`"}
	}
	target, err := resolveTarget(o.Repo, o.Into)
	if err != nil {
		return nil, err
	}
	remote, err := remoteTargetFor(o.Repo, target, o.Remote)
	if err != nil {
		return nil, err
	}
	p, err := prepare(o.Options)
	if err != nil {
		return nil, err
	}
	lockPath := filepath.Join(o.Repo.CommonDir, "ci", "locks", target+".lock")
	lock, err := AcquireLock(ctx, lockPath, fmt.Sprintf("git ci integrate %s", o.Branch), func(h Holder) {
		p.con.Printf("git-ci: waiting for the lock on %s, held by %s\n", short(target), h)
	})
	if errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("cancelled while waiting for the lock on %s: %w", short(target), err)
	}
	if err != nil {
		return nil, fmt.Errorf("lock on %s: %w", short(target), err)
	}
	defer lock.Release()
	out := &Outcome{Target: target}
	in := &integration{prepared: p, branch: string(branchRef), branchTip: branchTip, target: target, remote: remote}
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		done, err := in.attempt(ctx, out)
		if err != nil || done {
			return out, err
		}
	}
	if remote != nil {
		in.shareResults(ctx)
	}
	return out, fmt.Errorf("%s moved during each of %d attempts: %w", target, MaxAttempts, ErrTargetKeptMoving)
}

func resolveTarget(repo *gitstore.Repo, into string) (string, error) {
	if into == "" {
		var err error
		if into, err = repo.DefaultBranch(); err != nil {
			return "", &ConfigError{Err: err, Hint: "name the target with --into BRANCH, or `git config ci.into BRANCH`"}
		}
	}
	ref := into
	if !strings.HasPrefix(ref, "refs/") {
		ref = "refs/heads/" + into
	}
	if h, err := repo.RefValue(ref); err != nil || h.IsZero() {
		return "", &ConfigError{Err: fmt.Errorf("target branch %q: %w", into, gitstore.ErrNoRef),
			Hint: "name an existing branch with --into, or set `git config ci.into BRANCH`"}
	}
	return ref, nil
}

// integration is one Integrate call's state across attempts.
type integration struct {
	*prepared
	branch    string
	branchTip plumbing.Hash
	target    string
	remote    *remoteTarget // nil: integrate locally
	pushed    []string      // run refs of earlier attempts, to push with the next
}

// candidate is one attempt's merge and where it goes.
type candidate struct {
	base   plumbing.Hash // the target commit the merge is onto (the remote's, against a remote)
	local  plumbing.Hash // the local target when the attempt began: where its checkout moves from
	commit plumbing.Hash // the merge under test
	userWT string        // a worktree with the target checked out, "" when none
}

// start reads where the target is: locally, or on the remote after fetching.
func (in *integration) start(ctx context.Context) (*candidate, error) {
	local, err := in.Repo.RefValue(in.target)
	if err != nil || in.remote == nil {
		return &candidate{base: local, local: local}, err
	}
	base, err := in.fetchRemote(ctx, local)
	return &candidate{base: base, local: local}, err
}

// attempt merges, tests and promotes once. done is false when the target
// moved and the caller should try again.
func (in *integration) attempt(ctx context.Context, out *Outcome) (done bool, err error) {
	c, err := in.start(ctx)
	if err != nil {
		return true, err
	}
	base := c.base
	if ok, err := in.Repo.IsAncestor(in.branchTip, base); err != nil || ok {
		out.NothingToDo = ok
		return true, err
	}
	res, err := merge.Commits(in.Repo.Storer(), base, in.branchTip)
	if err != nil {
		return true, fmt.Errorf("merge %s into %s: %w", in.branch, in.target, err)
	}
	if !res.Clean() {
		err := in.recordConflict(base, res, out)
		if err == nil && in.remote != nil {
			in.shareResults(ctx)
		}
		return true, err
	}
	rec := in.newRecord(pipeline.KindIntegrate)
	if c.commit, err = in.writeCandidate(rec, base, res.Tree); err != nil {
		return true, err
	}
	if c.userWT, err = in.checkTargetWorktree(c.local, c.commit); err != nil {
		in.Repo.UpdateRefs("git-ci: drop candidate", gitstore.RefUpdate{Name: gitstore.CandidatesPrefix + rec.Run, Old: c.commit})
		return true, err
	}
	in.con.Printf("git-ci: integrate %s into %s: run %s testing %s\n", short(in.branch), short(in.target), rec.Run, c.commit.String()[:10])
	ws, err := in.test(ctx, rec)
	if err != nil {
		return true, err
	}
	defer ws.remove(in.Repo)
	out.Runs = append(out.Runs, rec)
	if in.remote != nil {
		return in.finishRemote(ctx, ws, rec, c, out)
	}
	return in.finish(ws, rec, c, out)
}

// finish records the run, and promotes the candidate when it passed, in one
// ref transaction: target, note, run ref and candidate move together.
func (in *integration) finish(ws *workspace, rec *pipeline.Record, c *candidate, out *Outcome) (bool, error) {
	base, cand := c.base, c.commit
	dropCand := gitstore.RefUpdate{Name: gitstore.CandidatesPrefix + rec.Run, Old: cand}
	if rec.Status != pipeline.StatusPassed {
		return true, record(in.Repo, ws, rec, dropCand)
	}
	rec.Promoted = true
	err := record(in.Repo, ws, rec, dropCand, gitstore.RefUpdate{Name: in.target, Old: base, New: cand})
	var moved *gitstore.RefMovedError
	if errors.As(err, &moved) && moved.Ref == in.target {
		rec.Promoted = false
		rec.Message = fmt.Sprintf("passed, not promoted: %s", moved)
		in.con.Printf("git-ci: %s; merging again onto the new %s\n", moved, short(in.target))
		return false, record(in.Repo, ws, rec, dropCand)
	}
	if err != nil {
		rec.Promoted = false
		return true, err
	}
	out.Promoted = true
	in.followWorktree(c)
	return true, nil
}

// followWorktree moves the user's checkout of the target, if any, from
// where the target was to the promoted candidate.
func (in *integration) followWorktree(c *candidate) {
	if c.userWT == "" {
		return
	}
	if err := gitstore.FastForwardWorktree(c.userWT, c.local, c.commit); err != nil {
		in.con.Printf("warning: %s moved, but its checkout in %s could not follow: %v\nhint: update it with `git -C %s read-tree -m -u %s %s`\n",
			short(in.target), c.userWT, err, c.userWT, c.local.String()[:10], c.commit.String()[:10])
	}
}

func (in *integration) writeCandidate(rec *pipeline.Record, base, tree plumbing.Hash) (plumbing.Hash, error) {
	msg := fmt.Sprintf("Integrate %s into %s\n\nGit-CI-Run: %s\n", short(in.branch), short(in.target), rec.Run)
	cand, err := in.Repo.WriteCommit(tree, []plumbing.Hash{base, in.branchTip}, msg)
	if err != nil {
		return cand, err
	}
	rec.Commit, rec.Tree, rec.Branch, rec.Into, rec.Base = cand.String(), tree.String(), short(in.branch), short(in.target), base.String()
	rec.Remote = in.remoteName()
	return cand, in.Repo.UpdateRefs("git-ci: candidate "+rec.Run, gitstore.RefUpdate{Name: gitstore.CandidatesPrefix + rec.Run, New: cand})
}

// recordConflict records a merge that could not be made, on the branch tip.
func (in *integration) recordConflict(base plumbing.Hash, res merge.Result, out *Outcome) error {
	rec := in.newRecord(pipeline.KindIntegrate)
	if err := in.setCommit(rec, in.branchTip); err != nil {
		return err
	}
	rec.Branch, rec.Into, rec.Base, rec.Status = short(in.branch), short(in.target), base.String(), pipeline.StatusFailed
	rec.Remote = in.remoteName()
	for _, c := range res.Conflicts {
		rec.Conflicts = append(rec.Conflicts, c.Path)
	}
	rec.Message = fmt.Sprintf("merge conflict in %d path(s)", len(rec.Conflicts))
	for i := range rec.Steps {
		rec.Steps[i].Status = pipeline.StatusSkipped
	}
	out.Runs = append(out.Runs, rec)
	return record(in.Repo, nil, rec)
}

// checkTargetWorktree finds a worktree that has the target checked out. When
// its local changes touch paths the integration changes, it says so now,
// before testing, since the worktree could not follow the fast-forward.
func (in *integration) checkTargetWorktree(base, cand plumbing.Hash) (string, error) {
	wts, err := in.Repo.Worktrees()
	if err != nil {
		return "", err
	}
	for _, wt := range wts {
		if wt.Bare || wt.Branch != in.target {
			continue
		}
		dirty, err := gitstore.DirtyPaths(wt.Path)
		if err != nil {
			return "", err
		}
		changed, err := in.Repo.ChangedPaths(base, cand)
		if err != nil {
			return "", err
		}
		if blocking := intersect(dirty, changed); len(blocking) > 0 {
			return "", &ConfigError{
				Err: fmt.Errorf("%s is checked out in %s with local changes to %s, which the integration changes",
					short(in.target), wt.Path, strings.Join(blocking, ", ")),
				Hint: fmt.Sprintf("commit or stash them (`git -C %s stash -u`), then run again", wt.Path)}
		}
		return wt.Path, nil
	}
	return "", nil
}

func intersect(a, b []string) []string {
	set := map[string]bool{}
	for _, x := range b {
		set[x] = true
	}
	var out []string
	for _, x := range a {
		if set[x] {
			out = append(out, x)
		}
	}
	return out
}

// short is a ref's name for people: main, not refs/heads/main.
func short(ref string) string {
	return strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/remotes/")
}
