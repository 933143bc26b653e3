package linemerge

// This file ports xdiff/xhistogram.c. Lines are numbered from 1 as there;
// line n of a file is record n-1.

const maxChainLength = 64 // histindex.max_chain_length

// record is one distinct line of region A with its occurrences chained from
// the last one scanned (the lowest line number) through nextPtrs.
type record struct {
	ptr, cnt int
}

// histindex is struct histindex, with the hash chains replaced by an exact
// class lookup: git interns lines (xdl_classify_record), so its CMP of two
// records is a class comparison and only the matching chain entry matters.
type histindex struct {
	xe        *xdfenv
	byClass   []*record
	lineMap   []*record // LINE_MAP: record of each A line, from line1
	nextPtrs  []int     // NEXT_PTR: next occurrence of each A line, 0 = none
	records   []record  // room for a record per A line
	ptrShift  int
	cnt       int
	hasCommon bool
}

type region struct {
	begin1, end1, begin2, end2 int
}

func (ix *histindex) cmp(l1, l2 int) bool { return ix.xe.xdf1.ha[l1-1] == ix.xe.xdf2.ha[l2-1] }
func (ix *histindex) next(ptr int) int    { return ix.nextPtrs[ptr-ix.ptrShift] }
func (ix *histindex) count(ptr int) int   { return ix.lineMap[ptr-ix.ptrShift].cnt }

// scanA indexes region A from its last line to its first (scanA).
func (ix *histindex) scanA(line1, count1 int) {
	for ptr := line1 + count1 - 1; line1 <= ptr; ptr-- {
		c := ix.xe.xdf1.ha[ptr-1]
		rec := ix.byClass[c]
		if rec != nil {
			ix.nextPtrs[ptr-ix.ptrShift] = rec.ptr
			rec.ptr = ptr
			rec.cnt++
		} else {
			ix.records = append(ix.records, record{ptr: ptr, cnt: 1}) // within its room: rec stays put
			rec = &ix.records[len(ix.records)-1]
			ix.byClass[c] = rec
		}
		ix.lineMap[ptr-ix.ptrShift] = rec
	}
}

// tryLCS extends every occurrence in A of B's line bPtr into a common run and
// keeps the longest run of the rarest lines in lcs (try_lcs). It returns the
// next B line to try.
func (ix *histindex) tryLCS(lcs *region, bPtr, line1, count1, line2, count2 int) int {
	bNext := bPtr + 1
	rec := ix.byClass[ix.xe.xdf2.ha[bPtr-1]]
	if rec == nil {
		return bNext
	}
	if rec.cnt > ix.cnt {
		ix.hasCommon = true
		return bNext
	}
	ix.hasCommon = true
	end1, end2 := line1+count1-1, line2+count2-1
	for as := rec.ptr; ; {
		np := ix.next(as)
		bs, ae := bPtr, as
		be, rc := bs, rec.cnt
		for line1 < as && line2 < bs && ix.cmp(as-1, bs-1) {
			as, bs = as-1, bs-1
			if 1 < rc {
				rc = min(rc, ix.count(as))
			}
		}
		for ae < end1 && be < end2 && ix.cmp(ae+1, be+1) {
			ae, be = ae+1, be+1
			if 1 < rc {
				rc = min(rc, ix.count(ae))
			}
		}
		if bNext <= be {
			bNext = be + 1
		}
		if lcs.end1-lcs.begin1 < ae-as || rc < ix.cnt {
			*lcs = region{begin1: as, end1: ae, begin2: bs, end2: be}
			ix.cnt = rc
		}
		if np == 0 {
			return bNext
		}
		for np <= ae {
			if np = ix.next(np); np == 0 {
				return bNext
			}
		}
		as = np
	}
}

// findLCS returns the longest common run of the rarest lines of the two
// regions, and whether git gives up on them and falls back to Myers because
// every common line occurs more than maxChainLength times (find_lcs).
func findLCS(xe *xdfenv, line1, count1, line2, count2 int) (region, bool) {
	sc := xe.sc
	if len(sc.byClass) < xe.nclass {
		sc.byClass = make([]*record, xe.nclass)
	}
	if cap(sc.lineMap) < count1 {
		sc.lineMap, sc.nextPtrs, sc.records = make([]*record, count1), make([]int, count1), make([]record, 0, count1)
	}
	ix := &histindex{
		xe:       xe,
		byClass:  sc.byClass,
		lineMap:  sc.lineMap[:count1],
		nextPtrs: sc.nextPtrs[:count1],
		records:  sc.records[:0],
		ptrShift: line1,
	}
	clear(ix.nextPtrs) // scanA leaves a line's first occurrence at 0
	ix.scanA(line1, count1)
	ix.cnt = maxChainLength + 1
	var lcs region
	for bPtr := line2; bPtr <= line2+count2-1; {
		bPtr = ix.tryLCS(&lcs, bPtr, line1, count1, line2, count2)
	}
	for ptr := line1; ptr < line1+count1; ptr++ {
		sc.byClass[xe.xdf1.ha[ptr-1]] = nil
	}
	return lcs, ix.hasCommon && maxChainLength < ix.cnt
}

// histogramDiff marks the changed lines of the two regions (histogram_diff).
func histogramDiff(xe *xdfenv, line1, count1, line2, count2 int) {
	for {
		if count1 <= 0 && count2 <= 0 {
			return
		}
		if count1 == 0 || count2 == 0 {
			markRange(&xe.xdf1, line1-1, count1)
			markRange(&xe.xdf2, line2-1, count2)
			return
		}
		lcs, fallBack := findLCS(xe, line1, count1, line2, count2)
		if fallBack {
			fallBackDiff(xe, line1, count1, line2, count2)
			return
		}
		if lcs.begin1 == 0 && lcs.begin2 == 0 {
			markRange(&xe.xdf1, line1-1, count1)
			markRange(&xe.xdf2, line2-1, count2)
			return
		}
		histogramDiff(xe, line1, lcs.begin1-line1, line2, lcs.begin2-line2)
		// The tail, as git's "goto redo".
		count1 = line1 + count1 - 1 - lcs.end1
		line1 = lcs.end1 + 1
		count2 = line2 + count2 - 1 - lcs.end2
		line2 = lcs.end2 + 1
	}
}

// markRange marks count records from index i as changed.
func markRange(f *xdfile, i, count int) {
	for ; count > 0; i, count = i+1, count-1 {
		f.mark(i, true)
	}
}

// fallBackDiff diffs the regions with the classic algorithm on fresh copies
// and copies the marks back (fall_back_to_classic_diff, xdl_fall_back_diff).
// Classes are reused: git re-interns the same bytes, equal stays equal.
func fallBackDiff(xe *xdfenv, line1, count1, line2, count2 int) {
	ha1 := xe.xdf1.ha[line1-1 : line1-1+count1]
	ha2 := xe.xdf2.ha[line2-1 : line2-1+count2]
	chg1, chg2 := myersDiff(ha1, ha2)
	for i := range count1 {
		xe.xdf1.mark(line1-1+i, chg1[i])
	}
	for i := range count2 {
		xe.xdf2.mark(line2-1+i, chg2[i])
	}
}
