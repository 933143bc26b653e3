package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Holder is who holds a lock, as recorded in the lock file.
type Holder struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Since time.Time `json:"since"`
	What  string    `json:"what"`
}

func (h Holder) String() string {
	return fmt.Sprintf("%s (pid %d on %s, since %s)", h.What, h.PID, h.Host, h.Since.Local().Format("15:04:05"))
}

// staleAfter is when a lock counts as abandoned even though its pid may be
// alive: on another host the process cannot be checked, and on this one the
// pid may have been reused.
const staleAfter = 24 * time.Hour

// pollInterval is how often a waiting integration checks the lock.
const pollInterval = 200 * time.Millisecond

// Lock is a held lock file; Release removes it.
type Lock struct{ path string }

// Release removes the lock file.
func (l *Lock) Release() error { return os.Remove(l.path) }

// AcquireLock takes the lock file at path, created with O_EXCL, waiting while
// a live process holds it and calling onWait each time the holder changes.
// A lock whose process died on this host, or that is older than a day, is
// stale and taken over. It returns ctx's error when cancelled while waiting.
func AcquireLock(ctx context.Context, path, what string, onWait func(Holder)) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	me := Holder{PID: os.Getpid(), Host: host, Since: time.Now().UTC(), What: what}
	var last Holder
	for {
		err := createExclusive(path, me)
		if err == nil {
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		holder, err := readHolder(path)
		if errors.Is(err, os.ErrNotExist) {
			continue // released between our two looks
		}
		if err != nil || holder.stale(host) {
			breakStale(path, holder)
			continue
		}
		if holder != last && onWait != nil {
			onWait(holder)
			last = holder
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pollInterval):
		}
	}
}

func createExclusive(path string, h Holder) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	err = json.NewEncoder(f).Encode(h)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

func readHolder(path string) (Holder, error) {
	var h Holder
	b, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		// A writer may be between create and write: not stale until it is old.
		if fi, serr := os.Stat(path); serr == nil && time.Since(fi.ModTime()) < 10*time.Second {
			return Holder{What: "a starting git-ci", Since: fi.ModTime()}, nil
		}
		return h, fmt.Errorf("lock %s: %w", path, err)
	}
	return h, nil
}

// processStart is when this process started: a lock naming this pid but
// taken before then was left by an earlier process that had the same pid.
var processStart = time.Now()

// stale reports whether h no longer holds what it recorded: it is older than
// staleAfter, or on this host its process is gone, or it names this very
// process but predates it (a pid reused, as in a container restarted after a
// crash). A lock this process took since it started is held by one of its
// goroutines: that is waited for like any other.
func (h Holder) stale(host string) bool {
	if h.PID == 0 {
		return false
	}
	if time.Since(h.Since) > staleAfter {
		return true
	}
	if h.Host != host {
		return false
	}
	if h.PID == os.Getpid() {
		return h.Since.Before(processStart)
	}
	return !processAlive(h.PID)
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// breakStale removes a stale lock. A second lock guards the breaking, so two
// waiters cannot both judge the same lock stale and remove a fresh one.
func breakStale(path string, judged Holder) {
	guard := path + ".break"
	if err := createExclusive(guard, judged); err != nil {
		if fi, serr := os.Stat(guard); serr == nil && time.Since(fi.ModTime()) > 10*time.Second {
			os.Remove(guard) // a breaker died mid-break
		}
		time.Sleep(pollInterval / 4)
		return
	}
	defer os.Remove(guard)
	now, err := readHolder(path)
	if errors.Is(err, os.ErrNotExist) {
		return // broken or released already; a lock created from now on is fresh
	}
	if err != nil || now == judged {
		os.Remove(path)
	}
}
