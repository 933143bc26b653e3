package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"sort"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/util"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// Run is one finished run to store: the record, its note line and its logs.
type Run struct {
	ID       string           // the run id; the ref is refs/ci/runs/ID
	Commit   plumbing.Hash    // the tested commit: the note's object and the run commit's parent
	Tree     plumbing.Hash    // the tested tree: noted too, so results are found by content; may be zero
	Record   []byte           // run.json, the complete record
	NoteLine []byte           // the record's line in the note, without newline
	Logs     billy.Filesystem // stored under logs/ in the run commit's tree; may be nil
	Subject  string           // the run commit's message
}

// maxNoteRetries bounds how often RecordRun rebuilds the note when another
// writer moved refs/notes/ci first.
const maxNoteRetries = 20

// RecordRun writes the run commit, creates refs/ci/runs/ID, appends the note
// line under refs/notes/ci to the commit's note and the tree's, and applies
// also, all in one ref transaction. When only refs/notes/ci moved it
// rebuilds the note on the new tip and retries;
// any other moved ref ends it with a *RefMovedError and nothing written.
func (r *Repo) RecordRun(run Run, also ...RefUpdate) (plumbing.Hash, error) {
	runCommit, err := r.writeRunCommit(run)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("run %s: %w", run.ID, err)
	}
	var last error
	for i := 0; i < maxNoteRetries; i++ {
		tx, err := r.beginRefs("git-ci: run "+run.ID, append([]string{RunsPrefix + run.ID, NotesRef}, refNames(also)...)...)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		tip, err := r.RefValue(NotesRef)
		var notes plumbing.Hash
		if err == nil {
			notes, err = r.noteRun(tip, run)
		}
		if err != nil {
			tx.abort()
			return plumbing.ZeroHash, fmt.Errorf("run %s: note: %w", run.ID, err)
		}
		updates := append([]RefUpdate{
			{Name: RunsPrefix + run.ID, New: runCommit},
			{Name: NotesRef, Old: tip, New: notes},
		}, also...)
		err = tx.commit(updates...)
		if lostNotesRace(err) {
			last = err
			retryPause(i)
			continue
		}
		return runCommit, err
	}
	return plumbing.ZeroHash, fmt.Errorf("%s: %w; last: %v", NotesRef, errRetries, last)
}

// lostNotesRace reports whether err is another writer's update of
// refs/notes/ci getting there first: it moved, or its lock is held.
func lostNotesRace(err error) bool {
	var moved *RefMovedError
	var locked *RefLockedError
	return errors.As(err, &moved) && moved.Ref == NotesRef || errors.As(err, &locked) && locked.Ref == NotesRef
}

// retryPause waits before the next attempt of a lost compare-and-swap: a
// random time below 2ms, doubling with each attempt up to 1s, so writers
// racing for one ref spread out instead of colliding again and again.
func retryPause(attempt int) {
	time.Sleep(rand.N(2 * time.Millisecond << min(attempt, 9)))
}

func (r *Repo) writeRunCommit(run Run) (plumbing.Hash, error) {
	files := map[string][]byte{"run.json": append(append([]byte(nil), run.Record...), '\n')}
	if run.Logs != nil {
		err := util.Walk(run.Logs, "/", func(p string, info fs.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			b, err := util.ReadFile(run.Logs, p)
			files[path.Join("logs", p)] = b
			return err
		})
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read logs: %w", err)
		}
	}
	tree, err := r.writeFiles(files)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return r.WriteCommit(tree, []plumbing.Hash{run.Commit}, run.Subject+"\n")
}

// writeFiles writes a tree holding files (slash-separated path -> content).
func (r *Repo) writeFiles(files map[string][]byte) (plumbing.Hash, error) {
	dirs := map[string][]odb.TreeEntry{}
	var names []string
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		h, err := r.WriteBlob(files[p])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		dirs[path.Dir(p)] = append(dirs[path.Dir(p)], odb.TreeEntry{Name: path.Base(p), Mode: filemode.Regular, Hash: h})
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[path.Dir(d)] = dirs[path.Dir(d)] // a parent with only subdirectories
		}
	}
	return r.writeDir(dirs, ".")
}

func (r *Repo) writeDir(dirs map[string][]odb.TreeEntry, dir string) (plumbing.Hash, error) {
	entries := dirs[dir]
	for d := range dirs {
		if d != dir && path.Dir(d) == dir {
			h, err := r.writeDir(dirs, d)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			entries = append(entries, odb.TreeEntry{Name: path.Base(d), Mode: filemode.Dir, Hash: h})
		}
	}
	return r.WriteTree(entries)
}
