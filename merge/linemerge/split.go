package linemerge

// split is xdl_split: the middle snake of the box (off1, off2)-(lim1, lim2)
// by Myers' forward and backward search, cut short by git's heuristics when
// the cost grows. It returns the split point and whether each half must be
// diffed minimally.
func (s *splitter) split(off1, lim1, off2, lim2 int, needMin bool) (int, int, bool, bool) {
	ha1, ha2, kvd, fo, bo := s.ha1, s.ha2, s.kvd, s.fOff, s.bOff
	dmin, dmax := off1-lim2, lim1-off2
	fmid, bmid := off1-off2, lim1-lim2
	odd := (fmid-bmid)&1 != 0
	fmin, fmax, bmin, bmax := fmid, fmid, bmid, bmid
	kvd[fo+fmid] = off1
	kvd[bo+bmid] = lim1
	for ec := 1; ; ec++ {
		gotSnake := false
		if fmin > dmin {
			fmin--
			kvd[fo+fmin-1] = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			kvd[fo+fmax+1] = -1
		} else {
			fmax--
		}
		for d := fmax; d >= fmin; d -= 2 {
			var i1 int
			if kvd[fo+d-1] >= kvd[fo+d+1] {
				i1 = kvd[fo+d-1] + 1
			} else {
				i1 = kvd[fo+d+1]
			}
			prev1 := i1
			i2 := i1 - d
			for i1 < lim1 && i2 < lim2 && ha1[i1] == ha2[i2] {
				i1, i2 = i1+1, i2+1
			}
			if i1-prev1 > snakeCnt {
				gotSnake = true
			}
			kvd[fo+d] = i1
			if odd && bmin <= d && d <= bmax && kvd[bo+d] <= i1 {
				return i1, i2, true, true
			}
		}
		if bmin > dmin {
			bmin--
			kvd[bo+bmin-1] = lineMax
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			kvd[bo+bmax+1] = lineMax
		} else {
			bmax--
		}
		for d := bmax; d >= bmin; d -= 2 {
			var i1 int
			if kvd[bo+d-1] < kvd[bo+d+1] {
				i1 = kvd[bo+d-1]
			} else {
				i1 = kvd[bo+d+1] - 1
			}
			prev1 := i1
			i2 := i1 - d
			for i1 > off1 && i2 > off2 && ha1[i1-1] == ha2[i2-1] {
				i1, i2 = i1-1, i2-1
			}
			if prev1-i1 > snakeCnt {
				gotSnake = true
			}
			kvd[bo+d] = i1
			if !odd && fmin <= d && d <= fmax && i1 <= kvd[fo+d] {
				return i1, i2, true, true
			}
		}
		if needMin {
			continue
		}
		if gotSnake && ec > heurMinCost {
			if i1, i2, ok := s.forwardSnake(off1, lim1, off2, lim2, fmin, fmax, fmid, ec); ok {
				return i1, i2, true, false
			}
			if i1, i2, ok := s.backwardSnake(off1, lim1, off2, lim2, bmin, bmax, bmid, ec); ok {
				return i1, i2, false, true
			}
		}
		if ec >= s.mxcost {
			return s.furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax)
		}
	}
}

// forwardSnake samples the forward diagonals for an "interesting" path that
// ends in a snake (the first half of xdl_split's heuristic).
func (s *splitter) forwardSnake(off1, lim1, off2, lim2, fmin, fmax, fmid, ec int) (int, int, bool) {
	best, b1, b2 := 0, 0, 0
	for d := fmax; d >= fmin; d -= 2 {
		dd := d - fmid
		if d <= fmid {
			dd = fmid - d
		}
		i1 := s.kvd[s.fOff+d]
		i2 := i1 - d
		v := (i1 - off1) + (i2 - off2) - dd
		if v > kHeur*ec && v > best && off1+snakeCnt <= i1 && i1 < lim1 && off2+snakeCnt <= i2 && i2 < lim2 {
			for k := 1; s.ha1[i1-k] == s.ha2[i2-k]; k++ {
				if k == snakeCnt {
					best, b1, b2 = v, i1, i2
					break
				}
			}
		}
	}
	return b1, b2, best > 0
}

// backwardSnake is the second half of xdl_split's heuristic.
func (s *splitter) backwardSnake(off1, lim1, off2, lim2, bmin, bmax, bmid, ec int) (int, int, bool) {
	best, b1, b2 := 0, 0, 0
	for d := bmax; d >= bmin; d -= 2 {
		dd := d - bmid
		if d <= bmid {
			dd = bmid - d
		}
		i1 := s.kvd[s.bOff+d]
		i2 := i1 - d
		v := (lim1 - i1) + (lim2 - i2) - dd
		if v > kHeur*ec && v > best && off1 < i1 && i1 <= lim1-snakeCnt && off2 < i2 && i2 <= lim2-snakeCnt {
			for k := 0; s.ha1[i1+k] == s.ha2[i2+k]; k++ {
				if k == snakeCnt-1 {
					best, b1, b2 = v, i1, i2
					break
				}
			}
		}
	}
	return b1, b2, best > 0
}

// furthest is xdl_split giving up: the furthest reaching path by i1 + i2.
func (s *splitter) furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax int) (int, int, bool, bool) {
	fbest, fbest1 := -1, -1
	for d := fmax; d >= fmin; d -= 2 {
		i1 := min(s.kvd[s.fOff+d], lim1)
		i2 := i1 - d
		if lim2 < i2 {
			i1, i2 = lim2+d, lim2
		}
		if fbest < i1+i2 {
			fbest, fbest1 = i1+i2, i1
		}
	}
	bbest, bbest1 := lineMax, lineMax
	for d := bmax; d >= bmin; d -= 2 {
		i1 := max(off1, s.kvd[s.bOff+d])
		i2 := i1 - d
		if i2 < off2 {
			i1, i2 = off2+d, off2
		}
		if i1+i2 < bbest {
			bbest, bbest1 = i1+i2, i1
		}
	}
	if (lim1+lim2)-bbest < fbest-(off1+off2) {
		return fbest1, fbest - fbest1, true, false
	}
	return bbest1, bbest - bbest1, false, true
}
