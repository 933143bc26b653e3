package merge

import "bytes"

// lineOptions and lineResult mirror merge/linemerge's Options and Result.
type lineOptions struct {
	OursLabel, BaseLabel, TheirsLabel string
	MarkerSize                        int
}

type lineResult struct {
	Content   []byte
	Conflicts int
}

// lineMerge is the line-level three-way merge; exact reports whether the
// result is git's. TODO(linemerge): once merge/linemerge lands, set it to
//
//	func(b, o, t []byte, opt lineOptions) (lineResult, bool) {
//		return lineResult(linemerge.Merge(b, o, t, linemerge.Options(opt))), true
//	}
//
// and isBinary to linemerge.IsBinary.
var lineMerge = conflictWholeFile

// conflictWholeFile is the conservative stand-in for the line merge: it is
// called only when both sides changed the text differently, and then
// conflicts, marking the whole file. Git may merge such a file cleanly,
// so the result is never exact.
func conflictWholeFile(_, ours, theirs []byte, opt lineOptions) (lineResult, bool) {
	var b bytes.Buffer
	marker := func(c byte, label string) {
		b.Write(bytes.Repeat([]byte{c}, opt.MarkerSize))
		if label != "" {
			b.WriteString(" " + label)
		}
		b.WriteByte('\n')
	}
	side := func(s []byte) {
		b.Write(s)
		if len(s) > 0 && s[len(s)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	marker('<', opt.OursLabel)
	side(ours)
	marker('=', "")
	side(theirs)
	marker('>', opt.TheirsLabel)
	return lineResult{Content: b.Bytes(), Conflicts: 1}, false
}

// isBinary is git's buffer_is_binary: a NUL in the first 8000 bytes.
func isBinary(b []byte) bool {
	if len(b) > 8000 {
		b = b[:8000]
	}
	return bytes.IndexByte(b, 0) >= 0
}
