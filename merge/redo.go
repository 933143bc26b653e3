package merge

import "github.com/git-ci/git-ci/gitstore/odb"

// merge-ort's collect_merge_info defers the directories only one side
// changed and reads them after the main traversal only for a side with
// relevant rename sources (handle_deferred_entries). When that reading
// at least triples the number of paths it knows, merge-ort caches the
// renames it found and starts the merge over (redo_after_renames); the
// second pass skips the deferred directories that hold no rename target
// and finds no other renames (redopass.go). Where no rename could be
// found at all, mayRedo still makes planRenames give up when the walk
// reads directories for rename sources.

// deferredDir is a directory whose traversal merge-ort defers.
type deferredDir struct {
	path    string
	b, o, t *odb.TreeEntry
	mask    int
	side    int // 1 or 2, as merge-ort numbers the sides
}

// traversal counts the paths merge-ort's collect_merge_info records.
type traversal struct {
	m        *merger
	count    int
	deferred [3][]deferredDir
	noDefer  [3]bool
}

// mayRedo reports whether merge-ort would restart the merge after rename
// detection; relevant says which sides have relevant rename sources.
func (m *merger) mayRedo(relevant [2]bool) (bool, error) {
	if !relevant[0] && !relevant[1] {
		return false, nil
	}
	tr := &traversal{m: m}
	roots := [3]*odb.TreeEntry{rootEntry(m.trees[0]), rootEntry(m.trees[1]), rootEntry(m.trees[2])}
	if err := tr.level("", roots[0], roots[1], roots[2], 0); err != nil {
		return false, err
	}
	before := tr.count
	for side := 1; side <= 2; side++ {
		m.deferredDirs[side-1] = make([]string, len(tr.deferred[side]))
		for i, d := range tr.deferred[side] {
			m.deferredDirs[side-1][i] = d.path
		}
	}
	for side := 1; side <= 2; side++ {
		if !relevant[side-1] {
			continue
		}
		tr.noDefer[side] = true
		for _, d := range tr.deferred[side] {
			if err := tr.level(d.path, d.b, d.o, d.t, d.mask); err != nil {
				return false, err
			}
		}
	}
	after := tr.count
	if before == 0 {
		return false, nil
	}
	// Whether merge-ort counts the top directory is not replicated:
	// either count leading to a redo counts.
	return after/before >= 3 || (after+1)/(before+1) >= 3, nil
}

// level is collect_merge_info_callback for the entries of one directory
// with dir_rename_mask mask.
func (tr *traversal) level(p string, b, o, t *odb.TreeEntry, mask int) error {
	m := tr.m
	rows, err := m.sideBySide(p, dirOf(b), dirOf(o), dirOf(t))
	if err != nil {
		return err
	}
	if mask == 2 || mask == 4 {
		// traverse_trees_wrapper: a file only the new side has marks
		// the whole directory.
		for _, r := range rows {
			if filemask(r.in[0], r.in[1], r.in[2]) == mask {
				mask = 7
				break
			}
		}
	}
	for _, r := range rows {
		tr.count++
		if err := tr.entry(join(p, r.name), r.in[0], r.in[1], r.in[2], mask); err != nil {
			return err
		}
	}
	return nil
}

func filemask(b, o, t *odb.TreeEntry) int {
	fm := 0
	for i, e := range []*odb.TreeEntry{b, o, t} {
		if fileOf(e) != nil {
			fm |= 1 << i
		}
	}
	return fm
}

func dirmask(b, o, t *odb.TreeEntry) int {
	dm := 0
	for i, e := range []*odb.TreeEntry{b, o, t} {
		if isDir(e) {
			dm |= 1 << i
		}
	}
	return dm
}

// entry handles one path: resolved early, deferred, or read.
func (tr *traversal) entry(p string, b, o, t *odb.TreeEntry, mask int) error {
	oMatch := b != nil && o != nil && same(o, b)
	tMatch := b != nil && t != nil && same(t, b)
	fm, dm := filemask(b, o, t), dirmask(b, o, t)
	switch {
	case oMatch && tMatch:
		return nil
	case fm == 7 && (oMatch || tMatch || o != nil && t != nil && same(o, t)):
		return nil
	case dm == 0:
		return nil
	}
	if mask != 7 && (dm == 3 || dm == 5) {
		mask = dm &^ 1
	}
	side := 0
	switch {
	case oMatch:
		side = 2
	case tMatch:
		side = 1
	}
	if fm == 0 && (dm == 2 || dm == 4) {
		side = dm / 2
	}
	if mask != 7 && side != 0 && !tr.noDefer[side] {
		tr.deferred[side] = append(tr.deferred[side], deferredDir{p, b, o, t, mask, side})
		return nil
	}
	return tr.level(p, b, o, t, mask)
}
