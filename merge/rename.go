package merge

import (
	"github.com/go-git/go-git/v5/plumbing/object"
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
//     deleted on both sides. Git can only conflict here if a side added a
//     path the other did not add identically (the rename target); so when
//     any base file is deleted on both sides and the sides' additions (path,
//     mode, blob) differ, every such file is reported as a "rename" conflict.
//     Additions are compared lazily, reading only subtrees changed on one
//     side, and only when some file was deleted on both sides.
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

// renameState collects what the rename rule needs while the trees merge.
type renameState struct {
	// deleted holds files found deleted on both sides.
	deleted []string
	// both holds subtrees changed identically on both sides; the files of
	// base missing from side are deleted on both sides.
	both []pair
	// pending holds directories changed on one side only; a file present
	// in side but not in base is an addition the other side lacks.
	pending []pair
	// differ is set once the sides' additions are known to differ.
	differ bool
}

// pair is the base and one side's entry at a path.
type pair struct {
	path       string
	base, side *object.TreeEntry
}

// bothSides records an identical change on both sides from b to x.
func (r *renameState) bothSides(p string, b, x *object.TreeEntry) {
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
func (r *renameState) oneSide(p string, b, x *object.TreeEntry) {
	switch {
	case r.differ || x == nil:
	case b == nil, fileOf(x) != nil && fileOf(b) == nil, dirOf(x) != nil && dirOf(b) == nil:
		r.differ = true
	case dirOf(x) != nil:
		r.pending = append(r.pending, pair{p, b, x})
	}
}

// checkRenames applies the rename rule once the merge walk is done.
func (m *merger) checkRenames() error {
	r := &m.renames
	deleted := r.deleted
	for _, d := range r.both {
		_, err := m.diff(d.path, d.base, d.side, func(p string, b, x *object.TreeEntry) bool {
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
	differ, err := m.additionsDiffer()
	if err != nil || !differ {
		return err
	}
	for _, p := range deleted {
		m.conflict(p, "rename")
	}
	return nil
}

// additionsDiffer reports whether one side added a file the other did not.
func (m *merger) additionsDiffer() (bool, error) {
	if m.renames.differ {
		return true, nil
	}
	for _, d := range m.renames.pending {
		found, err := m.diff(d.path, d.base, d.side, func(_ string, b, x *object.TreeEntry) bool {
			return b == nil && x != nil
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
func (m *merger) diff(p string, a, b *object.TreeEntry, fn func(p string, a, b *object.TreeEntry) bool) (bool, error) {
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
	as, err := m.entries(p, da)
	if err != nil {
		return false, err
	}
	bs, err := m.entries(p, db)
	if err != nil {
		return false, err
	}
	for _, name := range unionNames(as, bs) {
		if stop, err := m.diff(join(p, name), as[name], bs[name], fn); stop || err != nil {
			return stop, err
		}
	}
	return false, nil
}
