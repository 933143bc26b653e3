package linemerge

// This file ports xdl_change_compact and its group helpers from
// xdiff/xdiffi.c. Merges run without XDF_INDENT_HEURISTIC: merge-ort sets
// only the algorithm in xdl_opts, so the indent heuristic is not ported.

// group is struct xdlgroup: changed records [start, end) of a file, or an
// empty group (start == end) above record start.
type group struct {
	start, end int
}

// groupInit points g at the first group of f (group_init).
func groupInit(f *xdfile) group {
	g := group{}
	for f.changed(g.end) {
		g.end++
	}
	return g
}

// groupNext moves g to the next group, false at the end (group_next).
func groupNext(f *xdfile, g *group) bool {
	if g.end == f.nrec() {
		return false
	}
	g.start = g.end + 1
	for g.end = g.start; f.changed(g.end); g.end++ {
	}
	return true
}

// groupPrevious moves g to the previous group, false at the start
// (group_previous).
func groupPrevious(f *xdfile, g *group) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	for g.start = g.end; f.changed(g.start - 1); g.start-- {
	}
	return true
}

// groupSlideDown slides g one record down when its first record equals the
// one after it, absorbing a following group (group_slide_down).
func groupSlideDown(f *xdfile, g *group) bool {
	if g.end < f.nrec() && f.same(g.start, g.end) {
		f.mark(g.start, false)
		f.mark(g.end, true)
		g.start, g.end = g.start+1, g.end+1
		for f.changed(g.end) {
			g.end++
		}
		return true
	}
	return false
}

// groupSlideUp slides g one record up when its last record equals the one
// before it, absorbing a preceding group (group_slide_up).
func groupSlideUp(f *xdfile, g *group) bool {
	if g.start > 0 && f.same(g.start-1, g.end-1) {
		g.start, g.end = g.start-1, g.end-1
		f.mark(g.start, true)
		f.mark(g.end, false)
		for f.changed(g.start - 1) {
			g.start--
		}
		return true
	}
	return false
}

// changeCompact slides each group of changes in xdf as far up and down as
// it can go, merging groups that meet, and leaves it aligned with the last
// group of changes in xdfo it can line up with, else at its lowest place
// (xdl_change_compact).
func changeCompact(xdf, xdfo *xdfile) {
	g, og := groupInit(xdf), groupInit(xdfo)
	for {
		if g.end != g.start {
			compactGroup(xdf, xdfo, &g, &og)
		}
		if !groupNext(xdf, &g) {
			break
		}
		if !groupNext(xdfo, &og) {
			panic("linemerge: group sync broken moving to next group")
		}
	}
	if groupNext(xdfo, &og) {
		panic("linemerge: group sync broken at end of file")
	}
}

// compactGroup is the body of xdl_change_compact's loop for one non-empty
// group g, with gOther the matching group of the other file.
func compactGroup(xdf, xdfo *xdfile, g, gOther *group) {
	var earliestEnd, endMatchingOther int
	for {
		groupsize := g.end - g.start
		endMatchingOther = -1
		for groupSlideUp(xdf, g) {
			if !groupPrevious(xdfo, gOther) {
				panic("linemerge: group sync broken sliding up")
			}
		}
		earliestEnd = g.end
		if gOther.end > gOther.start {
			endMatchingOther = g.end
		}
		for groupSlideDown(xdf, g) {
			if !groupNext(xdfo, gOther) {
				panic("linemerge: group sync broken sliding down")
			}
			if gOther.end > gOther.start {
				endMatchingOther = g.end
			}
		}
		if groupsize == g.end-g.start {
			break
		}
	}
	if g.end == earliestEnd || endMatchingOther == -1 {
		return
	}
	for gOther.end == gOther.start {
		if !groupSlideUp(xdf, g) {
			panic("linemerge: match disappeared")
		}
		if !groupPrevious(xdfo, gOther) {
			panic("linemerge: group sync broken sliding to match")
		}
	}
}
