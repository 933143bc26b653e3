package merge

import (
	"github.com/git-ci/git-ci/gitstore/odb"
)

// Rename safety.
//
// Git (merge-ort) detects renames on each side against the base, exact and
// at least 50% similar, and then directory renames. A merge by path sees a
// rename as a deletion plus an addition, so it must not call clean what git
// turns into a conflict. The cases, and why each is covered:
//
//   - rename/rename(1to2) (p renamed to a on ours, to b on theirs) and
//     rename/delete (p renamed on one side, deleted on the other): p is
//     deleted on both sides. Git pairs sources (deleted paths, with their
//     base content) with destinations (added paths) on each side separately.
//     When both sides deleted the same set of paths and added the same set
//     of (path, mode, blob), the two pairings are identical, every rename is
//     made identically on both sides, and git is clean where a merge by path
//     is. Otherwise every file deleted on both sides is reported as a
//     "rename" conflict. Comparing additions alone is not enough: with base
//     p and q (q 90% like p), ours deleting p and renaming q to a, theirs
//     deleting p and adding a copy of q as a, git pairs p with a on theirs
//     only and reports rename/delete. The comparison reads only subtrees
//     changed on one side, and only when some file was deleted on both.
//   - rename on one side, modification of the source on the other: a
//     modify/delete conflict by path (git would merge; conservative).
//   - rename on one side onto a path the other side added: add/add by path
//     unless both added the same blob, where git is clean as well.
//   - rename/rename(2to1): both targets land on one path, add/add by path.
//   - directory rename: git moves what one side adds under a directory that
//     the other side removed entirely (merge.directoryRenames defaults to
//     "conflict", which also makes it a conflict). Any path added on one side
//     below a base directory that is gone on the other side is reported as a
//     "directory rename" conflict, whether or not git finds a rename.
//   - a file whose mode or content changed on one side while it was renamed
//     on the other: modify/delete by path.
//
// Renames on one side only, not touched by the other side, merge to the
// same tree in git and by path.
//
// These rules apply only when git could find a rename at all: when some
// side both added and deleted files (see sideChanges). Otherwise the merge
// by path is merge-ort's merge exactly, and they are skipped.

// renameState collects what the rename rule needs while the trees merge.
type renameState struct {
	// deleted holds files found deleted on both sides.
	deleted []string
	// both holds subtrees changed identically on both sides; the files of
	// base missing from side are deleted on both sides.
	both []pair
	// pending holds directories changed on one side only; a file present
	// in only one of base and side was added or deleted on that side alone.
	pending []pair
	// differ is set once the sides' sets of added or deleted files are
	// known to differ.
	differ bool
}

// pair is the base and one side's entry at a path.
type pair struct {
	path       string
	base, side *odb.TreeEntry
}

// bothSides records an identical change on both sides from b to x.
func (r *renameState) bothSides(p string, b, x *odb.TreeEntry) {
	switch {
	case b == nil || same(b, x):
	case fileOf(b) != nil && fileOf(x) == nil && dirOf(x) == nil:
		r.deleted = append(r.deleted, p)
	case fileOf(b) != nil && fileOf(x) != nil:
	default:
		r.both = append(r.both, pair{p, b, x})
	}
}

// oneSide records a change on one side only from b to x.
func (r *renameState) oneSide(p string, b, x *odb.TreeEntry) {
	switch {
	case r.differ || fileOf(b) != nil && fileOf(x) != nil:
	case isDir(b) && isDir(x):
		r.pending = append(r.pending, pair{p, b, x})
	default:
		r.differ = true
	}
}

// checkRenames applies the rename rule once the merge walk is done.
func (m *merger) checkRenames() error {
	r := &m.renames
	deleted := r.deleted
	for _, d := range r.both {
		_, err := m.diff(d.path, d.base, d.side, func(p string, b, x *odb.TreeEntry) bool {
			if b != nil && x == nil {
				deleted = append(deleted, p)
			}
			return false
		})
		if err != nil {
			return err
		}
	}
	if len(deleted) == 0 {
		return nil
	}
	differ, err := m.sidesDiffer()
	if err != nil || !differ {
		return err
	}
	for _, p := range deleted {
		m.conflicts = append(m.conflicts, Conflict{Path: p, Reason: "rename"})
	}
	return nil
}

// sidesDiffer reports whether one side added or deleted a file the other
// side did not add or delete identically.
func (m *merger) sidesDiffer() (bool, error) {
	if m.renames.differ {
		return true, nil
	}
	for _, d := range m.renames.pending {
		found, err := m.diff(d.path, d.base, d.side, func(_ string, b, x *odb.TreeEntry) bool {
			return b == nil || x == nil
		})
		if found || err != nil {
			return found, err
		}
	}
	return false, nil
}

// diff calls fn with the non-directory parts of a and b at every path
// where they differ, in path order, reading only subtrees whose ids differ.
// It stops as soon as fn returns true and then returns true.
func (m *merger) diff(p string, a, b *odb.TreeEntry, fn func(p string, a, b *odb.TreeEntry) bool) (bool, error) {
	if same(a, b) {
		return false, nil
	}
	if fa, fb := fileOf(a), fileOf(b); !same(fa, fb) && fn(p, fa, fb) {
		return true, nil
	}
	da, db := dirOf(a), dirOf(b)
	if same(da, db) {
		return false, nil
	}
	rows, err := m.sideBySide(p, da, db)
	if err != nil {
		return false, err
	}
	for _, r := range rows {
		if stop, err := m.diff(join(p, r.name), r.in[0], r.in[1], fn); stop || err != nil {
			return stop, err
		}
	}
	return false, nil
}
