package merge

import "github.com/git-ci/git-ci/gitstore/odb"

// buffers recycles the slices a directory's walk or merge needs while it
// runs: the walks are depth first, so a stack of spares serves every
// level, and a merge touches fewer fresh pages (a process's first touch
// of a page is a fault).
type buffers struct {
	rows    [][]named
	entries [][]odb.TreeEntry
}

// newRows returns an empty slice of rows, a spare one when there is one.
func (b *buffers) newRows() []named {
	if n := len(b.rows); n > 0 {
		r := b.rows[n-1]
		b.rows = b.rows[:n-1]
		return r[:0]
	}
	return nil
}

// doneRows gives rows back; the caller must hold no row of them.
func (b *buffers) doneRows(r []named) {
	clear(r) // no pointer into the trees outlives the walk
	b.rows = append(b.rows, r)
}

// newEntries returns an empty slice of entries, a spare one when there
// is one.
func (b *buffers) newEntries() []odb.TreeEntry {
	if n := len(b.entries); n > 0 {
		e := b.entries[n-1]
		b.entries = b.entries[:n-1]
		return e[:0]
	}
	return nil
}

// doneEntries gives entries back once written.
func (b *buffers) doneEntries(e []odb.TreeEntry) {
	b.entries = append(b.entries, e)
}
