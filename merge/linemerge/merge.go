package linemerge

import "bytes"

// Options are the labels and marker size of conflict hunks, as git's
// ll-merge takes them. An empty label writes a bare marker line, as git does
// for a NULL name. BaseLabel is kept for the diff3 styles and unused by the
// "merge" style Merge writes.
type Options struct {
	OursLabel, BaseLabel, TheirsLabel string
	// MarkerSize is the length of the conflict markers; 0 (or less) means
	// git's default of 7.
	MarkerSize int
}

// Result is the outcome of Merge.
type Result struct {
	// Content is the merged file, with conflict hunks written in git's
	// "merge" style where the sides could not be reconciled.
	Content []byte
	// Conflicts is the number of conflict hunks; 0 means the merge is clean.
	Conflicts int
}

// Merge is git's three-way line merge (xdl_merge, histogram diff, zealous
// level, merge style) of ours and theirs against base, byte for byte what
// git 2.39's merge-ort writes for a text file both sides changed. It never
// fails; whether a file is binary is the caller's question (see IsBinary).
func Merge(base, ours, theirs []byte, opt Options) Result {
	sc := scratches.Get().(*scratch)
	defer func() {
		sc.reset()
		scratches.Put(sc)
	}()
	baseRecs := splitLines(sc, base)
	xe1, xscr1 := diff(sc, baseRecs, splitLines(sc, ours))
	xe2, xscr2 := diff(sc, baseRecs, splitLines(sc, theirs))
	switch {
	case len(xscr1) == 0:
		return Result{Content: bytes.Clone(theirs)}
	case len(xscr2) == 0:
		return Result{Content: bytes.Clone(ours)}
	}
	changes := doMerge(xe1, xscr1, xe2, xscr2)
	changes = refineConflicts(xe1, xe2, changes)
	changes = simplifyNonConflicts(changes)
	out := fillMergeBuffer(xe1, xe2, changes, opt, len(ours)+len(theirs)-len(base))
	n := 0
	for _, m := range changes {
		if m.mode == modeConflict {
			n++
		}
	}
	return Result{Content: out, Conflicts: n}
}

// IsBinary reports what git's buffer_is_binary does: a NUL byte in the
// first 8000 bytes.
func IsBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0
}

// Modes of an xdmerge.
const (
	modeConflict  = 0 // conflict
	modeFirst     = 1 // no conflict, take side #1
	modeSecond    = 2 // no conflict, take side #2
	modeIdentical = 4 // both sides made the same change (xdl_refine_conflicts)
)

// xdmerge is xdmerge_t: a region of the merge. <i1, chg1> and <i2, chg2>
// are how each side's postimage replaces <i0, chg0> of the base.
type xdmerge struct {
	mode                         int
	i0, chg0, i1, chg1, i2, chg2 int
}

// appendMerge adds a region, folding it into the last one when they overlap
// or touch on either side; folding regions of different modes makes a
// conflict (xdl_append_merge).
func appendMerge(list []xdmerge, n xdmerge) []xdmerge {
	if k := len(list) - 1; k >= 0 && (n.i1 <= list[k].i1+list[k].chg1 || n.i2 <= list[k].i2+list[k].chg2) {
		m := &list[k]
		if n.mode != m.mode {
			m.mode = modeConflict
		}
		m.chg0 = n.i0 + n.chg0 - m.i0
		m.chg1 = n.i1 + n.chg1 - m.i1
		m.chg2 = n.i2 + n.chg2 - m.i2
		return list
	}
	return append(list, n)
}

// doMerge walks both edit scripts in base order and lists the regions each
// side changes, conflicts where both change overlapping or adjacent base
// lines differently (the first half of xdl_do_merge).
func doMerge(xe1 *xdfenv, xscr1 []change, xe2 *xdfenv, xscr2 []change) []xdmerge {
	var c []xdmerge
	for len(xscr1) > 0 && len(xscr2) > 0 {
		s1, s2 := xscr1[0], xscr2[0]
		if s1.i1+s1.chg1 < s2.i1 {
			c = appendMerge(c, xdmerge{mode: modeFirst, i0: s1.i1, chg0: s1.chg1,
				i1: s1.i2, chg1: s1.chg2, i2: s2.i2 - s2.i1 + s1.i1, chg2: s1.chg1})
			xscr1 = xscr1[1:]
			continue
		}
		if s2.i1+s2.chg1 < s1.i1 {
			c = appendMerge(c, xdmerge{mode: modeSecond, i0: s2.i1, chg0: s2.chg1,
				i1: s1.i2 - s1.i1 + s2.i1, chg1: s2.chg1, i2: s2.i2, chg2: s2.chg2})
			xscr2 = xscr2[1:]
			continue
		}
		if s1.i1 != s2.i1 || s1.chg1 != s2.chg1 || s1.chg2 != s2.chg2 ||
			!sameLines(xe1.xdf2.recs[s1.i2:s1.i2+s1.chg2], xe2.xdf2.recs[s2.i2:s2.i2+s2.chg2]) {
			c = appendMerge(c, conflictRegion(s1, s2))
		}
		i1, i2 := s1.i1+s1.chg1, s2.i1+s2.chg1
		if i1 >= i2 {
			xscr2 = xscr2[1:]
		}
		if i2 >= i1 {
			xscr1 = xscr1[1:]
		}
	}
	d2 := xe2.xdf2.nrec() - xe2.xdf1.nrec()
	for _, s1 := range xscr1 {
		c = appendMerge(c, xdmerge{mode: modeFirst, i0: s1.i1, chg0: s1.chg1,
			i1: s1.i2, chg1: s1.chg2, i2: s1.i1 + d2, chg2: s1.chg1})
	}
	d1 := xe1.xdf2.nrec() - xe1.xdf1.nrec()
	for _, s2 := range xscr2 {
		c = appendMerge(c, xdmerge{mode: modeSecond, i0: s2.i1, chg0: s2.chg1,
			i1: s2.i1 + d1, chg1: s2.chg1, i2: s2.i2, chg2: s2.chg2})
	}
	return c
}

// conflictRegion spans two overlapping changes on all three files (the
// "conflict" branch of xdl_do_merge).
func conflictRegion(s1, s2 change) xdmerge {
	off := s1.i1 - s2.i1
	ffo := off + s1.chg1 - s2.chg1
	i0, i1, i2 := s1.i1, s1.i2, s2.i2
	if off > 0 {
		i0 -= off
		i1 -= off
	} else {
		i2 += off
	}
	chg0 := s1.i1 + s1.chg1 - i0
	chg1 := s1.i2 + s1.chg2 - i1
	chg2 := s2.i2 + s2.chg2 - i2
	if ffo < 0 {
		chg0 -= ffo
		chg1 -= ffo
	} else {
		chg2 += ffo
	}
	return xdmerge{mode: modeConflict, i0: i0, chg0: chg0, i1: i1, chg1: chg1, i2: i2, chg2: chg2}
}

// sameLines compares records byte for byte (xdl_merge_cmp_lines).
func sameLines(a, b [][]byte) bool {
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
