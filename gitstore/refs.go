package gitstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
)

// Refs git-ci owns.
const (
	NotesRef         = "refs/notes/ci"
	RunsPrefix       = "refs/ci/runs/"
	CandidatesPrefix = "refs/ci/candidates/"
)

// ErrNoRef means a ref or revision does not exist.
var ErrNoRef = errors.New("no such ref")

// Resolve returns the commit rev names, with git's own revision syntax:
// in process for the common names (see resolveHere), else by git.
func (r *Repo) Resolve(rev string) (plumbing.Hash, error) {
	if h, ok := r.resolveHere(rev); ok {
		return h, nil
	}
	out, err := r.Run(context.Background(), nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("%q: %w", rev, ErrNoRef)
	}
	return plumbing.NewHash(strings.TrimSpace(string(out))), nil
}

// ResolveBranch finds a branch by short or full name: refs/heads/NAME first,
// then a remote-tracking refs/remotes/NAME. The error wraps ErrNoRef.
func (r *Repo) ResolveBranch(name string) (plumbing.ReferenceName, plumbing.Hash, error) {
	candidates := []string{name}
	if !strings.HasPrefix(name, "refs/") {
		candidates = []string{"refs/heads/" + name, "refs/remotes/" + name}
	}
	for _, c := range candidates {
		h, err := r.RefValue(c)
		if err != nil {
			return "", plumbing.ZeroHash, err
		}
		if !h.IsZero() {
			return plumbing.ReferenceName(c), h, nil
		}
	}
	return "", plumbing.ZeroHash, fmt.Errorf("branch %q: %w", name, ErrNoRef)
}

// DefaultBranch is the branch integrations go into when none is named:
// git config ci.into, else main, else master, whichever exists first.
func (r *Repo) DefaultBranch() (string, error) {
	into, err := r.Config("ci.into")
	if err != nil || into != "" {
		return into, err
	}
	for _, b := range []string{"main", "master"} {
		h, err := r.RefValue("refs/heads/" + b)
		if err != nil {
			return "", err
		}
		if !h.IsZero() {
			return b, nil
		}
	}
	return "", fmt.Errorf("no main or master branch: %w", ErrNoRef)
}

// RefUpdate is one compare-and-swap of a ref: from Old to New. A zero Old
// means the ref must not exist yet; a zero New deletes it.
type RefUpdate struct {
	Name string
	Old  plumbing.Hash
	New  plumbing.Hash
}

// RefMovedError means a ref was not at the value a compare-and-swap expected;
// nothing in that transaction was written.
type RefMovedError struct {
	Ref      string
	Expected plumbing.Hash
	Found    plumbing.Hash
}

func (e *RefMovedError) Error() string {
	return fmt.Sprintf("%s moved (expected %s, found %s)", e.Ref, short(e.Expected), short(e.Found))
}

func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "none"
	}
	return h.String()[:7]
}

var lockRE = lazyRegexp(`cannot lock ref '([^']+)'`)

// UpdateRefs moves all refs or none, so that git's lock files guard each
// one against concurrent git processes: in process for git-ci's own refs
// where it can (see refsHere), else with git update-ref --stdin. When a
// ref is not where its update expects, it returns a *RefMovedError naming
// it.
func (r *Repo) UpdateRefs(msg string, updates ...RefUpdate) error {
	tx, err := r.beginRefs(msg, refNames(updates)...)
	if err != nil {
		return err
	}
	return tx.commit(updates...)
}

func refNames(updates []RefUpdate) []string {
	names := make([]string, len(updates))
	for i, u := range updates {
		names[i] = u.Name
	}
	return names
}

// refTx is a ref transaction begun before its updates are known. For refs
// git-ci moves itself it is nothing until it commits; otherwise it is a
// running `git update-ref --stdin`, started early so that git starts while
// git-ci computes the updates (a git process takes milliseconds to start);
// git takes the locks and checks the old values only when it commits.
type refTx struct {
	r      *Repo
	msg    string
	here   bool // names given to beginRefs are git-ci's to move
	args   []string
	cmd    *exec.Cmd
	in     io.WriteCloser
	stderr bytes.Buffer
}

// beginRefs begins a transaction that will update the refs named.
func (r *Repo) beginRefs(msg string, names ...string) (*refTx, error) {
	tx := &refTx{r: r, msg: msg, here: r.refsHere(names)}
	if tx.here {
		return tx, nil
	}
	return tx, tx.startGit()
}

func (tx *refTx) startGit() error {
	tx.args = []string{"update-ref", "-m", tx.msg, "--stdin"}
	tx.cmd = exec.Command("git", append([]string{"-C", tx.r.Path()}, tx.args...)...)
	tx.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // as run: Ctrl-C is git-ci's to handle
	tx.cmd.Stderr = &tx.stderr
	in, err := tx.cmd.StdinPipe()
	if err == nil {
		err = tx.cmd.Start()
	}
	if err != nil {
		return fmt.Errorf("git update-ref: %w", err)
	}
	tx.in = in
	// Explicit, so that git aborts when the input ends without a commit.
	io.WriteString(in, "start\n")
	return nil
}

// abort ends the transaction with nothing written.
func (tx *refTx) abort() {
	if tx.cmd != nil {
		tx.in.Close()
		tx.cmd.Wait()
	}
}

// commit applies updates, all or none; see UpdateRefs.
func (tx *refTx) commit(updates ...RefUpdate) error {
	// The repository was found fit by beginRefs; the updates may still
	// name other refs than those announced.
	if tx.here && ownRefs(refNames(updates)) && !hasDeletion(updates) {
		if testHookRefCommit != nil {
			if err := testHookRefCommit(tx.r); err != nil {
				return err
			}
		}
		err := tx.r.updateRefsHere(tx.msg, updates)
		if !errors.Is(err, errAskGit) {
			return err
		}
	}
	if tx.cmd == nil {
		if err := tx.startGit(); err != nil {
			return err
		}
	}
	var in strings.Builder
	for _, u := range updates {
		switch {
		case u.New.IsZero():
			fmt.Fprintf(&in, "delete %s %s\n", u.Name, u.Old)
		case u.Old.IsZero():
			fmt.Fprintf(&in, "create %s %s\n", u.Name, u.New)
		default:
			fmt.Fprintf(&in, "update %s %s %s\n", u.Name, u.New, u.Old)
		}
	}
	in.WriteString("prepare\ncommit\n")
	_, werr := io.WriteString(tx.in, in.String())
	tx.in.Close()
	err := tx.cmd.Wait()
	if err == nil && werr != nil {
		err = werr
	}
	if err == nil {
		return nil
	}
	if m := lockRE().FindStringSubmatch(tx.stderr.String()); m != nil {
		for _, u := range updates {
			if u.Name == m[1] {
				found, ferr := tx.r.RefValue(u.Name)
				if ferr != nil || found == u.Old {
					break // locked by someone else, not moved: report git's words
				}
				return &RefMovedError{Ref: u.Name, Expected: u.Old, Found: found}
			}
		}
	}
	return fmt.Errorf("update refs: %w", &GitError{Args: tx.args, Stderr: tx.stderr.String(), Err: err})
}

// testHookRefCommit, when set by a test, runs before a transaction git-ci
// commits itself, as raceGit's git does before git update-ref.
var testHookRefCommit func(*Repo) error

func hasDeletion(updates []RefUpdate) bool {
	for _, u := range updates {
		if u.New.IsZero() {
			return true
		}
	}
	return false
}
