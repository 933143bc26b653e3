package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/git-ci/git-ci/gitstore"
)

// MaxPushAttempts bounds how often a push of results fetches, merges and
// tries again because the remote's refs/notes/ci moved.
const MaxPushAttempts = 5

// ErrPushKeptFailing means a remote's refs kept moving during every push attempt.
var ErrPushKeptFailing = errors.New("remote kept moving")

// DefaultRemote is the remote git ci fetch and push use unless told: the
// upstream remote of the integration target (branch.TARGET.remote), else
// origin. The error names what is missing, with a hint.
func DefaultRemote(repo *gitstore.Repo) (string, error) {
	if target, err := repo.DefaultBranch(); err == nil {
		if up, err := repo.Config("branch." + target + ".remote"); err == nil && up != "" && up != "." {
			return up, nil
		}
	}
	remotes, err := repo.Remotes()
	if err != nil {
		return "", err
	}
	if contains(remotes, "origin") {
		return "origin", nil
	}
	return "", &ConfigError{Err: errors.New("no remote to use: the target branch has no upstream and there is no origin"),
		Hint: "name one, e.g. `git ci push REMOTE` (see `git remote -v`)"}
}

// FetchOutcome says what a fetch of results did.
type FetchOutcome struct {
	Remote  string
	NoNotes bool                // the remote has no refs/notes/ci
	Merge   gitstore.NotesMerge // what merging its notes into refs/notes/ci did
}

// FetchResults fetches remote's refs/notes/ci into
// refs/notes/remotes/REMOTE/ci and its run refs into refs/ci/runs/*, plus
// the extra refspecs, none of them forced, then merges the remote's notes
// into refs/notes/ci by union. A remote without refs/notes/ci is no error:
// NoNotes says so.
func FetchResults(ctx context.Context, repo *gitstore.Repo, remote string, extra ...string) (*FetchOutcome, error) {
	res := &FetchOutcome{Remote: remote}
	specs := append([]string{gitstore.NotesRefspec(remote), gitstore.RunsRefspec}, extra...)
	err := repo.Fetch(ctx, remote, specs...)
	var missing *gitstore.MissingRemoteRefError
	if errors.As(err, &missing) && missing.Ref == gitstore.NotesRef {
		res.NoNotes = true
		err = repo.Fetch(ctx, remote, specs[1:]...)
	}
	if err != nil {
		return res, fetchError(remote, err)
	}
	if res.NoNotes {
		return res, nil
	}
	theirs, err := repo.RefValue(gitstore.RemoteNotesRef(remote))
	if err != nil {
		return res, err
	}
	res.Merge, err = repo.MergeNotes(ctx, theirs)
	if err != nil {
		return res, fmt.Errorf("merge %s into %s: %w", gitstore.RemoteNotesRef(remote), gitstore.NotesRef, err)
	}
	return res, nil
}

func fetchError(remote string, err error) error {
	var rej *gitstore.RejectedError
	var missing *gitstore.MissingRemoteRefError
	switch {
	case errors.As(err, &rej):
		return &ConfigError{Err: err, Hint: fmt.Sprintf("a ref on %s was rewritten; git-ci never forces, so look at it with `git ls-remote %s`, and delete the local copy (`git update-ref -d REF`) only if nothing else has it", remote, remote)}
	case errors.As(err, &missing):
		return &ConfigError{Err: err, Hint: fmt.Sprintf("see what %s has with `git ls-remote %s`", remote, remote)}
	}
	return &ConfigError{Err: err, Hint: fmt.Sprintf("check the remote with `git remote -v` and `git ls-remote %s`", remote)}
}

// PushOutcome says what a push of results did.
type PushOutcome struct {
	Remote   string
	Attempts int                  // pushes made; more than 1 when the remote moved
	Refs     []gitstore.RefStatus // git's status of each ref in the last push
}

// PushResults pushes refs/notes/ci and every run ref to remote, without
// forcing. When the remote's refs/notes/ci moved (another clone pushed), it
// fetches, merges by union and pushes again, MaxPushAttempts times at most.
// A refusal for any other reason (a hook, permissions) ends it with an error
// naming the ref; local refs are never changed by a failed push, so the
// next push completes what this one did not. logf gets one line per retry.
func PushResults(ctx context.Context, repo *gitstore.Repo, remote string, logf func(string, ...any)) (*PushOutcome, error) {
	res := &PushOutcome{Remote: remote}
	for res.Attempts < MaxPushAttempts {
		res.Attempts++
		specs := []string{gitstore.RunsRefspec}
		if tip, err := repo.RefValue(gitstore.NotesRef); err != nil {
			return res, err
		} else if !tip.IsZero() {
			specs = append([]string{gitstore.NotesRef + ":" + gitstore.NotesRef}, specs...)
		}
		var err error
		res.Refs, err = repo.Push(ctx, remote, gitstore.PushOptions{}, specs...)
		var rej *gitstore.RejectedError
		if !errors.As(err, &rej) || !rej.OnlyMoved() {
			return res, pushError(remote, err)
		}
		logf("git-ci: %s; fetching and merging, then pushing again\n", rej)
		if _, err := FetchResults(ctx, repo, remote); err != nil {
			return res, err
		}
	}
	return res, fmt.Errorf("push to %s: %s moved during each of %d attempts: %w", remote, gitstore.NotesRef, MaxPushAttempts, ErrPushKeptFailing)
}

func pushError(remote string, err error) error {
	if err == nil {
		return nil
	}
	return &ConfigError{Err: err, Hint: fmt.Sprintf("nothing local was changed; fix the cause, then `git ci push %s` sends what is missing", remote)}
}

// ConfigureRemotes sets up every remote so that a plain git fetch brings
// CI results and a plain git log shows them: it adds fetch refspecs for
// refs/notes/ci (into refs/notes/remotes/NAME/ci) and refs/ci/runs/*, never
// forced, and notes.displayRef=refs/notes/ci. Values already there are not
// added again. It returns what it added, as "key value" lines.
func ConfigureRemotes(repo *gitstore.Repo) ([]string, error) {
	var added []string
	add := func(key, value string, same ...string) error {
		ok, err := repo.AddConfig(key, value, same...)
		if ok {
			added = append(added, key+" "+value)
		}
		return err
	}
	if err := add("notes.displayRef", gitstore.NotesRef); err != nil {
		return added, err
	}
	remotes, err := repo.Remotes()
	if err != nil {
		return added, err
	}
	for _, name := range remotes {
		// A glob: an exact refspec makes every plain `git fetch` fail
		// while the remote has no refs/notes/ci yet.
		notes := gitstore.NotesRef + "*:" + gitstore.RemoteNotesRef(name) + "*"
		if err := add("remote."+name+".fetch", notes, gitstore.NotesRefspec(name)); err != nil {
			return added, err
		}
		// With pruning on, a plain fetch would delete run refs not yet
		// pushed: then run refs travel by `git ci fetch` only.
		if pruned, err := prunes(repo, name); err != nil || pruned {
			if err != nil {
				return added, err
			}
			continue
		}
		if err := add("remote."+name+".fetch", gitstore.RunsRefspec); err != nil {
			return added, err
		}
	}
	return added, nil
}

// prunes reports whether a plain git fetch from remote prunes: remote.NAME.prune, else fetch.prune.
func prunes(repo *gitstore.Repo, remote string) (bool, error) {
	for _, key := range []string{"remote." + remote + ".prune", "fetch.prune"} {
		v, err := repo.Config(key)
		if err != nil {
			return false, err
		}
		if v != "" {
			return contains([]string{"true", "yes", "on", "1"}, strings.ToLower(v)), nil
		}
	}
	return false, nil
}
