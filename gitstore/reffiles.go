package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// errAskGit means a ref transaction has something the in-process files
// backend leaves to git (a directory or ref in the way, a symbolic ref);
// nothing was written, and the caller runs git update-ref instead.
var errAskGit = errors.New("left to git")

// refsHere reports whether git-ci may move the named refs itself, as git's
// files backend does, sparing a git process: only its own refs
// (refs/notes/*, refs/ci/*), in a repository whose config it has read and
// that has no reference-transaction hook, shared permissions or reftable
// for git to honour.
func (r *Repo) refsHere(names []string) bool {
	return ownRefs(names) && r.movesOwnRefs()
}

// ownRefs reports whether every name is one of git-ci's refs.
func ownRefs(names []string) bool {
	for _, n := range names {
		if !strings.HasPrefix(n, "refs/notes/") && !strings.HasPrefix(n, "refs/ci/") {
			return false
		}
	}
	return true
}

// movesOwnRefs is refsHere's test of the repository.
func (r *Repo) movesOwnRefs() bool {
	c := r.config()
	if !c.ok || !r.filesBackend() {
		return false
	}
	for _, k := range []string{"core.sharedrepository", "core.hookspath"} {
		if _, set := c.get(k); set {
			return false
		}
	}
	_, err := os.Stat(filepath.Join(r.CommonDir, "hooks", "reference-transaction"))
	return err != nil
}

// updateRefsHere applies updates (none a deletion) as git's files backend
// does: it takes every ref's lock file (REF.lock, created exclusively, so
// git and git-ci exclude each other), checks each old value under its
// lock, writes the reflogs git would, and renames the locks into place.
// Nothing is written unless every check passes.
func (r *Repo) updateRefsHere(msg string, updates []RefUpdate) error {
	locks := make([]string, len(updates)) // "" once renamed into place
	files := make([]*rawfile.File, len(updates))
	changed := make([]bool, len(updates))
	defer func() {
		for i, l := range locks {
			if files[i] != nil {
				files[i].Close()
			}
			if l != "" {
				os.Remove(l) // never a renamed one: its name may be another writer's lock now
			}
		}
	}()
	for i, u := range updates {
		path := filepath.Join(r.CommonDir, filepath.FromSlash(u.Name))
		if err := r.refPlaceFree(u.Name, path); err != nil {
			return err
		}
		lock, f, err := r.lockRef(u, path)
		if err != nil {
			return err
		}
		locks[i], files[i] = lock, f
		v, exists, err := r.readRef(u.Name)
		if err != nil {
			return err
		}
		found, ok := parseHex(v) // zero when it does not exist
		if exists && !ok {
			return errAskGit // symbolic, or not an id: git's to handle
		}
		if found != u.Old {
			return &RefMovedError{Ref: u.Name, Expected: u.Old, Found: found}
		}
		if found == u.New {
			continue // as git: nothing to write, nothing to log
		}
		if !r.objects.Has(u.New) {
			return fmt.Errorf("update %s: object %s missing", u.Name, u.New)
		}
		// Written through the lock's own descriptor, as git does.
		err = f.Write([]byte(u.New.String() + "\n"))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		files[i] = nil
		if err != nil {
			return fmt.Errorf("update %s: %w", u.Name, err)
		}
		changed[i] = true
	}
	for i, u := range updates {
		if !changed[i] {
			continue
		}
		if err := r.writeReflog(u, msg); err != nil {
			return err
		}
		if err := rawfile.Rename(locks[i], strings.TrimSuffix(locks[i], ".lock")); err != nil {
			return fmt.Errorf("update %s: %w", u.Name, err)
		}
		locks[i] = ""
	}
	return nil
}

// refPlaceFree returns errAskGit when a ref could not be created at path
// without git's directory-and-file conflict handling: a directory where
// the ref goes, a ref where one of its directories goes, packed refs
// below it.
func (r *Repo) refPlaceFree(name, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return errAskGit
	}
	for dir := name; ; {
		i := strings.LastIndexByte(dir, '/')
		if i <= len("refs") {
			break
		}
		dir = dir[:i]
		// A directory there, as usual, is no loose ref: one stat, no read.
		if fi, err := os.Stat(filepath.Join(r.CommonDir, filepath.FromSlash(dir))); err == nil && fi.IsDir() {
			packed, err := r.packedRefs()
			if _, ok := packed[dir]; err != nil || ok {
				return errAskGit
			}
			continue
		}
		if _, ok, err := r.readRef(dir); err != nil || ok {
			return errAskGit
		}
	}
	if below, err := r.packedUnder(name + "/"); err != nil || below {
		return errAskGit
	}
	return nil
}

// RefLockedError means another process held a ref's lock file for longer
// than git waits for one; nothing was written.
type RefLockedError struct {
	Ref, Lock string
}

func (e *RefLockedError) Error() string {
	return fmt.Sprintf("cannot lock ref '%s': %s exists: another git process seems to be running in this repository; if not, remove the stale lock file", e.Ref, e.Lock)
}

// lockTimeout is how long a ref's lock is waited for when another process
// holds it: git's core.filesRefLockTimeout default.
const lockTimeout = 100 * time.Millisecond

// lockRef creates path.lock, waiting up to lockTimeout for another holder
// to let go, and returns the lock's path and the lock open for writing.
func (r *Repo) lockRef(u RefUpdate, path string) (string, *rawfile.File, error) {
	lock := path + ".lock"
	deadline := time.Now().Add(lockTimeout)
	for wait, made := time.Millisecond, false; ; wait *= 2 {
		f, err := rawfile.Create(lock, 0o666)
		if err == nil {
			return lock, f, nil
		}
		if errors.Is(err, fs.ErrNotExist) && !made {
			// The ref's directory is missing: made once, as git does.
			if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
				return "", nil, errAskGit // a file where a directory goes: git words it
			}
			made = true
			continue
		}
		if errors.Is(err, syscall.ENOTDIR) {
			return "", nil, errAskGit // a file where a directory goes: git words it
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", nil, fmt.Errorf("cannot lock ref '%s': %w", u.Name, err)
		}
		if time.Now().After(deadline) {
			if found, ferr := r.RefValue(u.Name); ferr == nil && found != u.Old {
				return "", nil, &RefMovedError{Ref: u.Name, Expected: u.Old, Found: found}
			}
			return "", nil, &RefLockedError{Ref: u.Name, Lock: lock}
		}
		time.Sleep(wait)
	}
}

// writeReflog appends u to the ref's reflog where git would:
// when the log exists, or core.logAllRefUpdates asks for it (by default in
// a repository with a work tree, for refs/notes/* among others).
func (r *Repo) writeReflog(u RefUpdate, msg string) error {
	path := filepath.Join(r.CommonDir, "logs", filepath.FromSlash(u.Name))
	// An existing log is appended to; only a missing one asks whether to
	// make it, and its directory.
	f, err := rawfile.OpenFile(path, syscall.O_WRONLY|syscall.O_APPEND, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if !r.autoReflog(u.Name) {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			return fmt.Errorf("reflog of %s: %w", u.Name, err)
		}
		f, err = rawfile.OpenFile(path, syscall.O_WRONLY|syscall.O_APPEND|syscall.O_CREAT, 0o666)
	}
	if err == nil {
		sig := r.identity()
		err = f.Write(fmt.Appendf(nil, "%s %s %s <%s> %d %s\t%s\n", u.Old, u.New, sig.Name, sig.Email,
			sig.When.Unix(), sig.When.Format("-0700"), strings.Join(strings.Fields(msg), " ")))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("reflog of %s: %w", u.Name, err)
	}
	return nil
}

// autoReflog is git's should_autocreate_reflog.
func (r *Repo) autoReflog(name string) bool {
	c := r.config()
	v, set := c.get("core.logallrefupdates")
	// git's is_bare_repository: core.bare unless false, and no work tree.
	b, bareSet := c.get("core.bare")
	bare := (!bareSet || isTrue(b, bareSet)) && r.Dir == ""
	switch {
	case strings.EqualFold(v, "always"):
		return true
	case set && !isTrue(v, set):
		return false
	case !set && bare: // off unless asked for
		return false
	}
	for _, p := range []string{"refs/heads/", "refs/remotes/", "refs/notes/"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "HEAD"
}
