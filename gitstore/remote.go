package gitstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// RunsRefspec moves run refs between repositories under the same names.
// Run ids are unique across machines, so a run ref is only ever created,
// never moved: the refspec is not forced, and a clash is reported.
const RunsRefspec = RunsPrefix + "*:" + RunsPrefix + "*"

// RemoteNotesRef is where a fetch lands REMOTE's refs/notes/ci: beside
// ours, never over it, so notes not yet pushed cannot be lost.
func RemoteNotesRef(remote string) string { return "refs/notes/remotes/" + remote + "/ci" }

// NotesRefspec fetches REMOTE's refs/notes/ci into RemoteNotesRef, not forced.
func NotesRefspec(remote string) string { return NotesRef + ":" + RemoteNotesRef(remote) }

// ErrNoAtomicPush means the receiving end does not support git push --atomic.
var ErrNoAtomicPush = errors.New("the remote does not support atomic pushes")

// MissingRemoteRefError means a fetch asked a remote for a ref it does not
// have. It wraps ErrNoRef.
type MissingRemoteRefError struct {
	Remote string
	Ref    string
}

func (e *MissingRemoteRefError) Error() string {
	return fmt.Sprintf("remote %s has no %s", e.Remote, e.Ref)
}

func (e *MissingRemoteRefError) Unwrap() error { return ErrNoRef }

// RefStatus is what a push or fetch did to one ref, as git reports it.
type RefStatus struct {
	Ref     string // the destination ref
	Flag    byte   // git's flag: ' ' fast-forward, '*' new, '=' up to date, '!' rejected, ...
	Summary string // e.g. "[rejected]", "[up to date]", "3f2a1c9..8be01d2"
	Reason  string // why, for a rejection: "fetch first", "stale info", "pre-receive hook declined", ...
}

// Moved reports whether a rejection happened because the ref on the other
// side is not where this side expected: a non-fast-forward, a failed lease,
// or a lost compare-and-swap on the server. Fetching and trying again can
// cure these; a hook's refusal or a permission problem cannot.
func (s RefStatus) Moved() bool {
	if s.Flag != '!' {
		return false
	}
	switch s.Reason {
	case "fetch first", "non-fast-forward", "stale info":
		return true
	}
	for _, m := range []string{"cannot lock ref", "failed to update ref", "incorrect old value", "failed to lock"} {
		if strings.Contains(s.Reason, m) {
			return true
		}
	}
	return false
}

// RejectedError means the other side of a push or fetch refused some refs.
// With an atomic push, the refs refused only because another one was are
// listed too, with the reason "atomic push failed".
type RejectedError struct {
	Op       string // "push to" or "fetch from"
	Remote   string
	Rejected []RefStatus
}

func (e *RejectedError) Error() string {
	var parts []string
	for _, s := range e.Rejected {
		if s.Reason == "atomic push failed" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s rejected (%s)", s.Ref, s.Reason))
	}
	if len(parts) == 0 {
		parts = append(parts, "atomic push failed")
	}
	return fmt.Sprintf("%s %s: %s", e.Op, e.Remote, strings.Join(parts, ", "))
}

// Status returns the status of ref, nil when it was not rejected.
func (e *RejectedError) Status(ref string) *RefStatus {
	for i := range e.Rejected {
		if e.Rejected[i].Ref == ref {
			return &e.Rejected[i]
		}
	}
	return nil
}

// OnlyMoved reports whether every ref was refused because the remote moved
// (or, in an atomic push, because another ref was), so that fetching,
// merging and trying again can succeed.
func (e *RejectedError) OnlyMoved() bool {
	for _, s := range e.Rejected {
		if !s.Moved() && s.Reason != "atomic push failed" {
			return false
		}
	}
	return true
}

var (
	missingRefRE    = lazyRegexp(`couldn't find remote ref (\S+)`)
	fetchRejectedRE = lazyRegexp(`(?m)^\s*!\s+\[rejected\]\s+\S+\s+->\s+(\S+)\s+\((.*)\)\s*$`)
)

// Fetch runs git fetch from remote with the given refspecs, and nothing
// else: no tags, no pruning (a pruned refs/ci/runs/* would lose run refs
// not yet pushed), no FETCH_HEAD. A ref the remote lacks gives a
// *MissingRemoteRefError; refs git refused to update (not a fast-forward)
// give a *RejectedError naming them, after the others were updated.
func (r *Repo) Fetch(ctx context.Context, remote string, refspecs ...string) error {
	args := append([]string{"fetch", "--no-tags", "--no-prune", "--no-write-fetch-head", "--no-recurse-submodules", "--", remote}, refspecs...)
	_, err := r.Run(ctx, nil, args...)
	var ge *GitError
	if err == nil || !errors.As(err, &ge) {
		return err
	}
	if m := missingRefRE().FindStringSubmatch(ge.Stderr); m != nil {
		return &MissingRemoteRefError{Remote: remote, Ref: m[1]}
	}
	if ms := fetchRejectedRE().FindAllStringSubmatch(ge.Stderr, -1); ms != nil {
		rej := &RejectedError{Op: "fetch from", Remote: remote}
		for _, m := range ms {
			rej.Rejected = append(rej.Rejected, RefStatus{Ref: m[1], Flag: '!', Summary: "[rejected]", Reason: m[2]})
		}
		return rej
	}
	return fmt.Errorf("fetch from %s: %w", remote, err)
}

// PushOptions are the safety options of a push.
type PushOptions struct {
	Atomic bool                     // all refs or none (git push --atomic)
	Leases map[string]plumbing.Hash // remote ref -> the value it must have (zero: must not exist)
}

// Push runs git push to remote with the refspecs, never forced: a ref
// moves only by fast-forward, or, when it has a lease, only from the
// leased value. It returns git's status of every ref. Refused refs give a
// *RejectedError (the others were pushed unless Atomic); a server without
// atomic pushes gives ErrNoAtomicPush, with nothing pushed.
func (r *Repo) Push(ctx context.Context, remote string, o PushOptions, refspecs ...string) ([]RefStatus, error) {
	args := []string{"push", "--porcelain"}
	if o.Atomic {
		args = append(args, "--atomic")
	}
	for ref, h := range o.Leases {
		expect := ""
		if !h.IsZero() {
			expect = h.String()
		}
		args = append(args, "--force-with-lease="+ref+":"+expect)
	}
	args = append(append(args, "--", remote), refspecs...)
	out, err := r.Run(ctx, nil, args...)
	statuses := parsePushPorcelain(out)
	var rej *RejectedError
	for _, s := range statuses {
		if s.Flag == '!' {
			if rej == nil {
				rej = &RejectedError{Op: "push to", Remote: remote}
			}
			rej.Rejected = append(rej.Rejected, s)
		}
	}
	if rej != nil {
		return statuses, rej
	}
	var ge *GitError
	if errors.As(err, &ge) && strings.Contains(ge.Stderr, "does not support --atomic push") {
		return statuses, fmt.Errorf("push to %s: %w", remote, ErrNoAtomicPush)
	}
	if err != nil {
		return statuses, fmt.Errorf("push to %s: %w", remote, err)
	}
	return statuses, nil
}

// parsePushPorcelain reads git push --porcelain: "FLAG\tFROM:TO\tSUMMARY (REASON)".
func parsePushPorcelain(out []byte) []RefStatus {
	var statuses []RefStatus
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 || len(f[0]) != 1 {
			continue
		}
		s := RefStatus{Flag: f[0][0], Summary: f[2]}
		_, s.Ref, _ = strings.Cut(f[1], ":")
		if i := strings.Index(f[2], " ("); i >= 0 && strings.HasSuffix(f[2], ")") {
			s.Summary, s.Reason = f[2][:i], f[2][i+2:len(f[2])-1]
		}
		statuses = append(statuses, s)
	}
	return statuses
}

// Remotes lists the names of the configured remotes.
func (r *Repo) Remotes() ([]string, error) {
	out, err := r.Run(context.Background(), nil, "remote")
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// ConfigAll returns every value of a multi-valued git config key, in
// process where it can be, as Config.
func (r *Repo) ConfigAll(key string) ([]string, error) {
	if c := r.config(); c.ok {
		if name, ok := configName(key); ok {
			var vs []string
			for _, v := range c.values[name] {
				vs = append(vs, strings.TrimPrefix(v, noValue))
			}
			return vs, nil
		}
	}
	out, err := r.Run(context.Background(), nil, "config", "--get-all", key)
	var ge *GitError
	if errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) == "" {
		return nil, nil // exit 1: not set
	}
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n"), nil
}

// AddConfig adds value to a multi-valued git config key unless one of its
// values already is one of same (the value itself, or an equivalent older
// form). It reports whether it added it.
func (r *Repo) AddConfig(key, value string, same ...string) (bool, error) {
	have, err := r.ConfigAll(key)
	if err != nil {
		return false, err
	}
	for _, h := range have {
		if h == value || contains(same, h) {
			return false, nil
		}
	}
	defer r.forgetConfig()
	_, err = r.Run(context.Background(), nil, "config", "--add", key, value)
	return err == nil, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
