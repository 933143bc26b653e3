package linemerge

import "math"

// This file ports git's classic diff (xdiff/xdiffi.c xdl_do_diff,
// xdl_recs_cmp, xdl_split, and xprepare.c's xdl_trim_ends and
// xdl_cleanup_records), which histogram falls back to. Records are given by
// class only.

const (
	maxCostMin  = 256 // XDL_MAX_COST_MIN
	heurMinCost = 256 // XDL_HEUR_MIN_COST
	snakeCnt    = 20  // XDL_SNAKE_CNT
	kHeur       = 4   // XDL_K_HEUR
	kpdisRun    = 4   // XDL_KPDIS_RUN
	maxEqLimit  = 1024
	simscanWin  = 100 // XDL_SIMSCAN_WINDOW
	lineMax     = math.MaxInt64
)

// bogosqrt is xdl_bogosqrt.
func bogosqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// myersDiff returns the changed marks of two class sequences.
func myersDiff(ha1, ha2 []int) ([]bool, []bool) {
	chg1, chg2 := make([]bool, len(ha1)), make([]bool, len(ha2))
	// xdl_trim_ends
	lim := min(len(ha1), len(ha2))
	start := 0
	for start < lim && ha1[start] == ha2[start] {
		start++
	}
	tail := 0
	for tail < lim-start && ha1[len(ha1)-1-tail] == ha2[len(ha2)-1-tail] {
		tail++
	}
	idx1, eff1 := cleanupRecords(ha1, ha2, start, len(ha1)-1-tail, chg1)
	idx2, eff2 := cleanupRecords(ha2, ha1, start, len(ha2)-1-tail, chg2)
	ndiags := len(eff1) + len(eff2) + 3
	s := &splitter{ha1: eff1, ha2: eff2, kvd: make([]int, 2*ndiags+2),
		fOff: len(eff2) + 1, bOff: ndiags + len(eff2) + 1,
		mxcost: max(bogosqrt(ndiags), maxCostMin)}
	s.recsCmp(0, len(eff1), 0, len(eff2), false, func(i int) { chg1[idx1[i]] = true }, func(i int) { chg2[idx2[i]] = true })
	return chg1, chg2
}

// cleanupRecords keeps the records of ha in [dstart, dend] that are worth
// diffing and marks the others changed (xdl_cleanup_records, one side): a
// record with no match in other is dropped, one with many matches is dropped
// when it sits among dropped ones (xdl_clean_mmatch). It returns the kept
// records' indexes and classes.
func cleanupRecords(ha, other []int, dstart, dend int, chg []bool) ([]int, []int) {
	counts := make(map[int]int, len(other))
	for _, c := range other {
		counts[c]++
	}
	mlim := min(bogosqrt(len(ha)), maxEqLimit)
	dis := make([]byte, len(ha)+1)
	for i := dstart; i <= dend; i++ {
		switch nm := counts[ha[i]]; {
		case nm == 0:
			dis[i] = 0
		case nm >= mlim:
			dis[i] = 2
		default:
			dis[i] = 1
		}
	}
	var idx, eff []int
	for i := dstart; i <= dend; i++ {
		if dis[i] == 1 || (dis[i] == 2 && !cleanMmatch(dis, i, dstart, dend)) {
			idx, eff = append(idx, i), append(eff, ha[i])
		} else {
			chg[i] = true
		}
	}
	return idx, eff
}

// cleanMmatch is xdl_clean_mmatch: whether multimatch line i lies in a run
// dominated by lines without a match.
func cleanMmatch(dis []byte, i, s, e int) bool {
	if i-s > simscanWin {
		s = i - simscanWin
	}
	if e-i > simscanWin {
		e = i + simscanWin
	}
	rdis0, rpdis0 := 0, 1
	for r := 1; i-r >= s; r++ {
		if dis[i-r] == 0 {
			rdis0++
		} else if dis[i-r] == 2 {
			rpdis0++
		} else {
			break
		}
	}
	if rdis0 == 0 {
		return false
	}
	rdis1, rpdis1 := 0, 1
	for r := 1; i+r <= e; r++ {
		if dis[i+r] == 0 {
			rdis1++
		} else if dis[i+r] == 2 {
			rpdis1++
		} else {
			break
		}
	}
	if rdis1 == 0 {
		return false
	}
	rdis1 += rdis0
	rpdis1 += rpdis0
	return rpdis1*kpdisRun < rpdis1+rdis1
}

// splitter holds xdl_recs_cmp's state: the classes and the K vectors, the
// forward one at kvd[fOff+d] and the backward one at kvd[bOff+d].
type splitter struct {
	ha1, ha2   []int
	kvd        []int
	fOff, bOff int
	mxcost     int
}

// recsCmp is xdl_recs_cmp: shrink the box by its common ends, then split it
// and recurse, marking what remains on an empty side.
func (s *splitter) recsCmp(off1, lim1, off2, lim2 int, needMin bool, mark1, mark2 func(int)) {
	ha1, ha2 := s.ha1, s.ha2
	for off1 < lim1 && off2 < lim2 && ha1[off1] == ha2[off2] {
		off1, off2 = off1+1, off2+1
	}
	for off1 < lim1 && off2 < lim2 && ha1[lim1-1] == ha2[lim2-1] {
		lim1, lim2 = lim1-1, lim2-1
	}
	switch {
	case off1 == lim1:
		for ; off2 < lim2; off2++ {
			mark2(off2)
		}
	case off2 == lim2:
		for ; off1 < lim1; off1++ {
			mark1(off1)
		}
	default:
		i1, i2, minLo, minHi := s.split(off1, lim1, off2, lim2, needMin)
		s.recsCmp(off1, i1, off2, i2, minLo, mark1, mark2)
		s.recsCmp(i1, lim1, i2, lim2, minHi, mark1, mark2)
	}
}
