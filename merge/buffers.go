package merge

import (
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore/odb"
)

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

// blobRooms holds the memory of the three blobs of a content merge, used
// again for the next: the blobs are free once merged (the merged content
// is a copy), and fresh memory costs a page fault per 4 KB.
type blobRooms [3][]byte

var blobBufs = sync.Pool{New: func() any { return new(blobRooms) }}

// read reads blob h into room i, when the store reads into memory it is
// given; else the blob is the store's, and no room.
func (r *blobRooms) read(m *merger, p string, i int, h plumbing.Hash) ([]byte, error) {
	if _, ok := readerOf(m.s); !ok {
		return m.readBlob(p, h)
	}
	b, err := m.readBlobInto(p, h, r[i])
	if cap(b) > cap(r[i]) {
		r[i] = b[:0] // the caller's own: the next blob's room
	}
	return b, err
}
