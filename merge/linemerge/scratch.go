package linemerge

import "sync"

// scratch is the working memory of one Merge, kept for the next: a merge
// line-merges file after file, and fresh memory costs a page fault per
// 4 KB touched, more than a small file's whole diff.
type scratch struct {
	recs  bump[[]byte]
	ints  bump[int]
	bools bump[bool]
	envs  bump[xdfenv]
	// prepare's map from a record to its class, left empty between uses.
	classes map[string]int
	// findLCS's index, used by one call at a time; byClass is left all
	// nil between uses.
	byClass, lineMap []*record
	nextPtrs         []int
	records          []record
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// reset makes s ready for the next Merge, holding no record of this one.
func (s *scratch) reset() {
	s.recs.reset()
	s.ints.reset()
	s.bools.reset()
	s.envs.reset()
}

// bump hands out slices of one array until reset; a take the array has
// no room for starts a larger one.
type bump[T any] struct{ buf []T }

// take returns n zeroed elements: past len, the array is zero, as made
// or as reset left it.
func (b *bump[T]) take(n int) []T {
	if cap(b.buf)-len(b.buf) < n {
		b.buf = make([]T, 0, max(n, 2*cap(b.buf)))
	}
	at := len(b.buf)
	b.buf = b.buf[:at+n]
	return b.buf[at : at+n : at+n]
}

// reset zeroes what was handed out, so take's next slices are zero and
// the pool holds no pointer into the merged files.
func (b *bump[T]) reset() {
	clear(b.buf)
	b.buf = b.buf[:0]
}
