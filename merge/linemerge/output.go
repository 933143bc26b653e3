package linemerge

import "bytes"

// refineConflicts re-diffs the two sides of each conflict and keeps only the
// lines they disagree on as conflicts (xdl_refine_conflicts, level
// XDL_MERGE_ZEALOUS). A conflict whose sides turn out equal becomes
// modeIdentical.
func refineConflicts(xe1, xe2 *xdfenv, changes []xdmerge) []xdmerge {
	out := make([]xdmerge, 0, len(changes))
	for _, m := range changes {
		if m.mode != modeConflict || m.chg1 == 0 || m.chg2 == 0 {
			out = append(out, m)
			continue
		}
		_, xscr := diff(xe1.sc, xe1.xdf2.recs[m.i1:m.i1+m.chg1], xe2.xdf2.recs[m.i2:m.i2+m.chg2])
		if len(xscr) == 0 {
			m.mode = modeIdentical
			out = append(out, m)
			continue
		}
		for k, x := range xscr {
			n := m // the first keeps i0 and chg0; git leaves them stale
			if k > 0 {
				n = xdmerge{mode: modeConflict}
			}
			n.i1, n.chg1 = x.i1+m.i1, x.chg1
			n.i2, n.chg2 = x.i2+m.i2, x.chg2
			out = append(out, n)
		}
	}
	return out
}

// simplifyNonConflicts joins two conflicts separated by three unchanged
// lines or fewer into one, lines between included
// (xdl_simplify_non_conflicts without simplify_if_no_alnum).
func simplifyNonConflicts(changes []xdmerge) []xdmerge {
	if len(changes) == 0 {
		return changes
	}
	out := make([]xdmerge, 0, len(changes))
	m := changes[0]
	for _, next := range changes[1:] {
		begin, end := m.i1+m.chg1, next.i1
		if m.mode != modeConflict || next.mode != modeConflict || end-begin > 3 {
			out = append(out, m)
			m = next
			continue
		}
		// xdl_merge_two_conflicts
		m.chg1 = next.i1 + next.chg1 - m.i1
		m.chg2 = next.i2 + next.chg2 - m.i2
	}
	return append(out, m)
}

// fillMergeBuffer writes the merged file (xdl_fill_merge_buffer): side #1's
// postimage between regions, each region as its mode says. size is about
// what it will take: a clean merge's exact size.
func fillMergeBuffer(xe1, xe2 *xdfenv, changes []xdmerge, opt Options, size int) []byte {
	var dest bytes.Buffer
	dest.Grow(max(size, 0) + 64) // room for markers: growing copies the file
	i := 0
	for _, m := range changes {
		switch m.mode {
		case modeConflict:
			fillConflictHunk(&dest, xe1, xe2, i, m, opt)
		case modeFirst:
			recsCopy(&dest, span(xe1.xdf2.recs, i, m.i1+m.chg1), false, false)
		case modeSecond:
			recsCopy(&dest, span(xe1.xdf2.recs, i, m.i1), false, false)
			recsCopy(&dest, xe2.xdf2.recs[m.i2:m.i2+m.chg2], false, false)
		default: // modeIdentical: its lines are copied with what follows
			continue
		}
		i = m.i1 + m.chg1
	}
	recsCopy(&dest, xe1.xdf2.recs[i:], false, false)
	return dest.Bytes()
}

// fillConflictHunk writes the lines before conflict m and the conflict with
// its markers (fill_conflict_hunk, style XDL_MERGE_MERGE). A side whose last
// line lacks a newline gets one before the next marker.
func fillConflictHunk(dest *bytes.Buffer, xe1, xe2 *xdfenv, i int, m xdmerge, opt Options) {
	size := opt.MarkerSize
	if size <= 0 {
		size = 7 // DEFAULT_CONFLICT_MARKER_SIZE
	}
	needsCR := isCRNeeded(xe1, xe2, m)
	recsCopy(dest, span(xe1.xdf2.recs, i, m.i1), false, false)
	marker(dest, '<', size, opt.OursLabel, needsCR)
	recsCopy(dest, xe1.xdf2.recs[m.i1:m.i1+m.chg1], needsCR, true)
	marker(dest, '=', size, "", needsCR)
	recsCopy(dest, xe2.xdf2.recs[m.i2:m.i2+m.chg2], needsCR, true)
	marker(dest, '>', size, opt.TheirsLabel, needsCR)
}

// span is recs[from:to], empty when to <= from, as xdl_recs_copy treats a
// count below one.
func span(recs [][]byte, from, to int) [][]byte {
	if to <= from {
		return nil
	}
	return recs[from:to]
}

// marker writes one conflict marker line.
func marker(dest *bytes.Buffer, c byte, size int, label string, needsCR bool) {
	dest.Write(bytes.Repeat([]byte{c}, size))
	if label != "" {
		dest.WriteByte(' ')
		dest.WriteString(label)
	}
	if needsCR {
		dest.WriteByte('\r')
	}
	dest.WriteByte('\n')
}

// recsCopy writes records; with addNL it ends them with a newline (CRLF when
// needsCR) if the last one lacks it (xdl_recs_copy_0).
func recsCopy(dest *bytes.Buffer, recs [][]byte, needsCR, addNL bool) {
	if len(recs) == 0 {
		return
	}
	for _, r := range recs {
		dest.Write(r)
	}
	if last := recs[len(recs)-1]; addNL && (len(last) == 0 || last[len(last)-1] != '\n') {
		if needsCR {
			dest.WriteByte('\r')
		}
		dest.WriteByte('\n')
	}
}

// isEOLCRLF says whether record i of f ends in CRLF: 1 yes, 0 no, -1 when it
// cannot be told; a last line without a newline asks the line before it
// (is_eol_crlf).
func isEOLCRLF(f *xdfile, i int) int {
	crlf := func(r []byte) int {
		if len(r) > 1 && r[len(r)-2] == '\r' {
			return 1
		}
		return 0
	}
	n := f.nrec()
	switch {
	case i < n-1:
		return crlf(f.recs[i])
	case n == 0:
		return -1
	case len(f.recs[i]) > 0 && f.recs[i][len(f.recs[i])-1] == '\n':
		return crlf(f.recs[i])
	case i == 0:
		return -1
	}
	return crlf(f.recs[i-1])
}

// isCRNeeded says whether conflict m's markers end in CRLF: when the lines
// before it on both sides, and the base's first line, do or cannot tell
// (is_cr_needed).
func isCRNeeded(xe1, xe2 *xdfenv, m xdmerge) bool {
	prev := func(i int) int { return max(i-1, 0) }
	needs := isEOLCRLF(&xe1.xdf2, prev(m.i1))
	if needs != 0 {
		needs = isEOLCRLF(&xe2.xdf2, prev(m.i2))
	}
	if needs != 0 {
		needs = isEOLCRLF(&xe1.xdf1, 0)
	}
	return needs > 0
}
