package gitstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// StagedRun is a run written to the object store but to no ref yet: what a
// push can send to a remote before anything local moves, so that a refused
// push leaves no record claiming what did not happen.
type StagedRun struct {
	Run       Run
	RunCommit plumbing.Hash // the commit refs/ci/runs/ID is to hold
	NotesTip  plumbing.Hash // the refs/notes/ci value Notes was built on
	Notes     plumbing.Hash // NotesTip plus the run's note line
}

// StageRun writes run's commit, and a notes commit that adds the run's
// line on top of notesTip (zero: no notes yet). It moves no ref.
func (r *Repo) StageRun(run Run, notesTip plumbing.Hash) (*StagedRun, error) {
	runCommit, err := r.writeRunCommit(run)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", run.ID, err)
	}
	s := &StagedRun{Run: run, RunCommit: runCommit}
	return s, r.Restage(s, notesTip)
}

// Restage builds s's notes commit again, on top of notesTip; the run
// commit stays the same.
func (r *Repo) Restage(s *StagedRun, notesTip plumbing.Hash) error {
	notes, err := r.noteRun(notesTip, s.Run)
	if err != nil {
		return fmt.Errorf("run %s: note: %w", s.Run.ID, err)
	}
	s.NotesTip, s.Notes = notesTip, notes
	return nil
}

// noteRun adds run's line to the notes of its commit and its tree, as
// RecordRun does, in a new notes commit on top of tip.
func (r *Repo) noteRun(tip plumbing.Hash, run Run) (plumbing.Hash, error) {
	objects := []plumbing.Hash{run.Commit}
	if !run.Tree.IsZero() {
		objects = append(objects, run.Tree)
	}
	return r.appendNote(tip, objects, run.NoteLine)
}

// CommitStagedRun records a staged run locally, typically after a push sent
// it: refs/ci/runs/ID is created at its run commit (or found there) and refs/notes/ci moves
// from NotesTip to Notes, with also, in one ref transaction. When only
// refs/notes/ci moved meanwhile, the other refs move without it and Notes
// is then merged into refs/notes/ci by union (MergeNotes), so the local
// notes contain what the remote got. Any other moved ref gives a
// *RefMovedError and nothing written.
func (r *Repo) CommitStagedRun(ctx context.Context, s *StagedRun, also ...RefUpdate) error {
	runRef := RefUpdate{Name: RunsPrefix + s.Run.ID, New: s.RunCommit}
	// A push updates the refs its remote's fetch refspecs map it to; with
	// refs/ci/runs/*:refs/ci/runs/* configured, that is the run ref itself.
	if cur, err := r.RefValue(runRef.Name); err != nil {
		return err
	} else if cur == s.RunCommit {
		runRef.Old = cur
	}
	updates := append([]RefUpdate{runRef}, also...)
	err := r.UpdateRefs("git-ci: run "+s.Run.ID, append(updates, RefUpdate{Name: NotesRef, Old: s.NotesTip, New: s.Notes})...)
	var moved *RefMovedError
	if !errors.As(err, &moved) || moved.Ref != NotesRef {
		return err
	}
	if err := r.UpdateRefs("git-ci: run "+s.Run.ID, updates...); err != nil {
		return err
	}
	_, err = r.MergeNotes(ctx, s.Notes)
	return err
}
