package gitstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"

	"github.com/go-git/go-git/v5/plumbing"
)

// NotesMerge says what MergeNotes did to refs/notes/ci.
type NotesMerge int

const (
	NotesUpToDate    NotesMerge = iota // theirs was already in ours
	NotesFastForward                   // ours was in theirs: refs/notes/ci moved to theirs
	NotesMerged                        // a merge commit holds the union of both
)

func (m NotesMerge) String() string {
	return [...]string{"up to date", "fast-forwarded", "merged"}[m]
}

// mergeTempPrefix holds the temporary refs MergeNotes merges on. It is
// outside refs/notes/ci*, so a fetch refspec for that never picks them up.
const mergeTempPrefix = "refs/notes/git-ci-merge/"

// MergeNotes merges the notes commit theirs into refs/notes/ci by union:
// the merged note of an object holds every line of both sides' notes, each
// once (git notes merge -s cat_sort_uniq), so nothing either side wrote is
// dropped. When ours is in theirs it fast-forwards. git notes merge moves
// its ref without compare-and-swap, so it runs on a temporary ref (always
// deleted), and refs/notes/ci then moves from the value the merge started
// from by compare-and-swap, merging again when another writer moved it.
func (r *Repo) MergeNotes(ctx context.Context, theirs plumbing.Hash) (NotesMerge, error) {
	if theirs.IsZero() {
		return NotesUpToDate, nil
	}
	for i := 0; i < maxNoteRetries; i++ {
		ours, err := r.RefValue(NotesRef)
		if err != nil {
			return NotesUpToDate, err
		}
		result, how, err := r.mergeNotesOnce(ctx, ours, theirs)
		if err != nil || how == NotesUpToDate {
			return how, err
		}
		err = r.UpdateRefs("git-ci: merge notes "+theirs.String()[:7], RefUpdate{Name: NotesRef, Old: ours, New: result})
		var moved *RefMovedError
		if errors.As(err, &moved) {
			continue
		}
		return how, err
	}
	return NotesUpToDate, fmt.Errorf("%s: %w", NotesRef, errRetries)
}

// mergeNotesOnce returns the union of the notes commits ours and theirs.
func (r *Repo) mergeNotesOnce(ctx context.Context, ours, theirs plumbing.Hash) (plumbing.Hash, NotesMerge, error) {
	if ours == theirs {
		return ours, NotesUpToDate, nil
	}
	if ours.IsZero() {
		return theirs, NotesFastForward, nil
	}
	if in, err := r.isAncestor(ctx, theirs, ours); err != nil || in {
		return ours, NotesUpToDate, err
	}
	if in, err := r.isAncestor(ctx, ours, theirs); err != nil || in {
		return theirs, NotesFastForward, err
	}
	temp := mergeTempPrefix + randomHex()
	if err := r.UpdateRefs("git-ci: notes merge", RefUpdate{Name: temp, New: ours}); err != nil {
		return plumbing.ZeroHash, NotesUpToDate, err
	}
	defer r.Run(context.Background(), nil, "update-ref", "-d", temp)
	id := r.identity()
	_, err := r.Run(ctx, nil, "-c", "user.name="+id.Name, "-c", "user.email="+id.Email,
		"notes", "--ref="+temp, "merge", "--quiet", "--strategy=cat_sort_uniq", theirs.String())
	if err != nil {
		return plumbing.ZeroHash, NotesUpToDate, fmt.Errorf("merge notes %s into %s: %w", theirs.String()[:7], NotesRef, err)
	}
	result, err := r.RefValue(temp)
	return result, NotesMerged, err
}

// isAncestor is IsAncestor with git merge-base, which uses the commit-graph:
// notes histories grow one commit per run.
func (r *Repo) isAncestor(ctx context.Context, a, b plumbing.Hash) (bool, error) {
	_, err := r.Run(ctx, nil, "merge-base", "--is-ancestor", a.String(), b.String())
	var ge *GitError
	var ee *exec.ExitError
	if errors.As(err, &ge) && errors.As(ge.Err, &ee) && ee.ExitCode() == 1 {
		return false, nil
	}
	return err == nil, err
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
