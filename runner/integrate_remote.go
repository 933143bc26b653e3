package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// remoteTarget is the target's branch on the remote an integration
// promotes to.
type remoteTarget struct {
	name     string // the remote, e.g. origin
	ref      string // the target there, e.g. refs/heads/main
	tracking string // its remote-tracking ref here, e.g. refs/remotes/origin/main
}

// remoteTargetFor finds the remote to integrate target against: name, else
// the target's upstream; nil when none.
func remoteTargetFor(repo *gitstore.Repo, target, name string) (*remoteTarget, error) {
	branch := strings.TrimPrefix(target, "refs/heads/")
	ref := target
	if name == "" {
		up, err := repo.Config("branch." + branch + ".remote")
		if err != nil || up == "" || up == "." {
			return nil, err
		}
		name = up
		if merge, err := repo.Config("branch." + branch + ".merge"); err == nil && merge != "" {
			ref = merge
		}
	}
	remotes, err := repo.Remotes()
	if err != nil {
		return nil, err
	}
	if !contains(remotes, name) {
		return nil, &ConfigError{Err: fmt.Errorf("no remote named %q", name), Hint: "see the remotes with `git remote -v`"}
	}
	return &remoteTarget{name: name, ref: ref, tracking: "refs/remotes/" + name + "/" + strings.TrimPrefix(ref, "refs/heads/")}, nil
}

func (in *integration) remoteName() string {
	if in.remote == nil {
		return ""
	}
	return in.remote.name
}

// fetchRemote fetches the remote's target, notes and run refs, merges the
// notes, and returns the remote's target: what the branch is merged onto.
// The local target must be in it: commits only here would be left out.
func (in *integration) fetchRemote(ctx context.Context, local plumbing.Hash) (plumbing.Hash, error) {
	r := in.remote
	_, err := FetchResults(ctx, in.Repo, r.name, r.ref+":"+r.tracking)
	var missing *gitstore.MissingRemoteRefError
	if errors.As(err, &missing) && missing.Ref == r.ref {
		return plumbing.ZeroHash, &ConfigError{Err: err, Hint: fmt.Sprintf("push the target first: `git push %s %s`", r.name, short(r.ref))}
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	base, err := in.Repo.RefValue(r.tracking)
	if err != nil {
		return base, err
	}
	if ok, err := in.Repo.IsAncestor(local, base); err != nil || !ok {
		if err != nil {
			return base, err
		}
		return base, &ConfigError{
			Err: fmt.Errorf("%s has commits that %s does not (%s at %s, %s at %s)",
				short(in.target), short(r.tracking), short(in.target), local.String()[:7], short(r.tracking), base.String()[:7]),
			Hint: fmt.Sprintf("git ci integrates onto %s's %s: push them first (`git push %s %s`), or move %s back",
				r.name, short(r.ref), r.name, short(in.target), short(in.target))}
	}
	return base, nil
}

// finishRemote records a failed run and shares it; a passed one it pushes
// with the candidate, the note and the run ref in one atomic push whose
// lease on the remote target is the commit the candidate was merged onto.
// done is false when the remote target moved: merge again and retest.
func (in *integration) finishRemote(ctx context.Context, ws *workspace, rec *pipeline.Record, c *candidate, out *Outcome) (bool, error) {
	if rec.Status != pipeline.StatusPassed {
		err := record(in.Repo, ws, rec, in.dropCandidate(rec, c))
		if err == nil {
			in.shareResults(ctx)
		}
		return true, err
	}
	rec.Promoted = true
	staged, err := in.stage(ws, rec)
	if err != nil {
		return true, in.notPromoted(ws, rec, c, err)
	}
	for attempt := 1; ; attempt++ {
		err := in.pushCandidate(ctx, staged, c)
		var rej *gitstore.RejectedError
		switch {
		case err == nil:
			return true, in.promoted(ctx, staged, rec, c, out)
		case errors.Is(err, gitstore.ErrNoAtomicPush):
			return in.pushTargetFirst(ctx, ws, staged, rec, c, out)
		case errors.As(err, &rej) && in.targetMoved(rej):
			return false, in.notPromoted(ws, rec, c, nil)
		case errors.As(err, &rej) && rej.OnlyMoved() && attempt < MaxPushAttempts:
			in.con.Printf("git-ci: %s; fetching and merging the results, then pushing again\n", rej)
			if err := in.restage(ctx, staged); err != nil {
				return true, in.notPromoted(ws, rec, c, err)
			}
		default:
			return true, in.notPromoted(ws, rec, c, err)
		}
	}
}

// stage writes rec's run commit and notes commit for the push, on top of
// the local refs/notes/ci, which holds the remote's notes after the fetch.
func (in *integration) stage(ws *workspace, rec *pipeline.Record) (*gitstore.StagedRun, error) {
	run := runOf(ws, rec)
	tip, err := in.Repo.RefValue(gitstore.NotesRef)
	if err != nil {
		return nil, err
	}
	return in.Repo.StageRun(run, tip)
}

// restage fetches and merges the remote's results, and builds the staged
// note again on top of them.
func (in *integration) restage(ctx context.Context, staged *gitstore.StagedRun) error {
	if _, err := FetchResults(ctx, in.Repo, in.remote.name); err != nil {
		return err
	}
	tip, err := in.Repo.RefValue(gitstore.NotesRef)
	if err != nil {
		return err
	}
	return in.Repo.Restage(staged, tip)
}

// pushCandidate pushes the candidate to the remote target (leased), the
// staged note and run ref, and the run refs of earlier attempts, atomically.
func (in *integration) pushCandidate(ctx context.Context, staged *gitstore.StagedRun, c *candidate) error {
	r := in.remote
	specs := []string{
		c.commit.String() + ":" + r.ref,
		staged.Notes.String() + ":" + gitstore.NotesRef,
		staged.RunCommit.String() + ":" + gitstore.RunsPrefix + staged.Run.ID,
	}
	for _, ref := range in.pushed {
		specs = append(specs, ref+":"+ref)
	}
	_, err := in.Repo.Push(ctx, r.name, gitstore.PushOptions{Atomic: true, Leases: map[string]plumbing.Hash{r.ref: c.base}}, specs...)
	return err
}

// pushTargetFirst is the promotion for a remote without atomic pushes: the
// target first, with its lease, and the results only after it landed, so a
// failure half-way never leaves results claiming a promotion that did not
// happen.
func (in *integration) pushTargetFirst(ctx context.Context, ws *workspace, staged *gitstore.StagedRun, rec *pipeline.Record, c *candidate, out *Outcome) (bool, error) {
	r := in.remote
	in.con.Printf("git-ci: %s does not support atomic pushes: pushing %s first, then the results\n", r.name, short(r.ref))
	_, err := in.Repo.Push(ctx, r.name, gitstore.PushOptions{Leases: map[string]plumbing.Hash{r.ref: c.base}}, c.commit.String()+":"+r.ref)
	var rej *gitstore.RejectedError
	if errors.As(err, &rej) && in.targetMoved(rej) {
		return false, in.notPromoted(ws, rec, c, nil)
	}
	if err != nil {
		return true, in.notPromoted(ws, rec, c, err)
	}
	if err := in.promoted(ctx, staged, rec, c, out); err != nil {
		return true, err
	}
	in.shareResults(ctx)
	return true, nil
}

// targetMoved reports whether the push was refused because the remote
// target is no longer where the candidate was merged onto.
func (in *integration) targetMoved(rej *gitstore.RejectedError) bool {
	s := rej.Status(in.remote.ref)
	return s != nil && s.Moved()
}

// promoted records locally what the remote now has: the run ref and note
// as pushed, the local target and its remote-tracking ref at the
// candidate, and the user's checkout following.
func (in *integration) promoted(ctx context.Context, staged *gitstore.StagedRun, rec *pipeline.Record, c *candidate, out *Outcome) error {
	r := in.remote
	out.Promoted = true
	in.con.Printf("git-ci: pushed to %s: %s, %s, %s\n", r.name, short(r.ref), gitstore.NotesRef, rec.Ref)
	drop := in.dropCandidate(rec, c)
	err := in.Repo.CommitStagedRun(ctx, staged, drop, gitstore.RefUpdate{Name: in.target, Old: c.local, New: c.commit})
	var moved *gitstore.RefMovedError
	if errors.As(err, &moved) && moved.Ref == in.target {
		in.con.Printf("warning: %s moved here meanwhile, so it stays at %s; %s has the integration\nhint: `git merge --ff-only %s` brings it over\n",
			short(in.target), moved.Found.String()[:7], short(r.tracking), short(r.tracking))
		c.userWT = ""
		err = in.Repo.CommitStagedRun(ctx, staged, drop)
	}
	if err != nil {
		return err
	}
	if tr, terr := in.Repo.RefValue(r.tracking); terr == nil && tr != c.commit {
		in.Repo.UpdateRefs("git-ci: pushed "+rec.Run, gitstore.RefUpdate{Name: r.tracking, Old: tr, New: c.commit})
	}
	in.followWorktree(c)
	return nil
}

// notPromoted records a passed run that did not reach the remote target.
// With cause nil the target moved, and the caller merges again; else the
// push failed for cause, which it returns.
func (in *integration) notPromoted(ws *workspace, rec *pipeline.Record, c *candidate, cause error) error {
	r := in.remote
	rec.Promoted = false
	if cause == nil {
		rec.Message = fmt.Sprintf("passed, not promoted: %s on %s moved (expected %s)", short(r.ref), r.name, c.base.String()[:7])
		in.con.Printf("git-ci: %s on %s moved; merging again onto the new %s\n", short(r.ref), r.name, short(r.tracking))
	} else {
		rec.Message = fmt.Sprintf("passed, not promoted: %v", cause)
	}
	if err := record(in.Repo, ws, rec, in.dropCandidate(rec, c)); err != nil {
		return err
	}
	in.pushed = append(in.pushed, rec.Ref)
	if cause == nil {
		return nil
	}
	var ce *ConfigError
	if errors.As(cause, &ce) {
		return cause
	}
	return &ConfigError{Err: cause, Hint: fmt.Sprintf("%s is unchanged and the run is recorded here; fix the cause, then integrate again (`git ci push %s` shares the results)", short(r.ref), r.name)}
}

func (in *integration) dropCandidate(rec *pipeline.Record, c *candidate) gitstore.RefUpdate {
	return gitstore.RefUpdate{Name: gitstore.CandidatesPrefix + rec.Run, Old: c.commit}
}

// shareResults pushes the local results to the remote; a failure is only
// a warning: they are safe here and the next push sends them.
func (in *integration) shareResults(ctx context.Context) {
	r := in.remote
	if _, err := PushResults(ctx, in.Repo, r.name, in.con.Printf); err != nil {
		in.con.Printf("warning: results not pushed to %s: %v\nhint: `git ci push %s` sends them later\n", r.name, err, r.name)
	}
}
