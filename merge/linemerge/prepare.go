package linemerge

import (
	"bytes"
	"unsafe"
)

// xdfile is one side of a diff, as xprepare.c's xdfile_t: the records (lines
// with their terminator), their equivalence class (xrecord_t.ha after
// xdl_classify_record) and the changed-line marks.
type xdfile struct {
	recs [][]byte
	ha   []int
	// rchg holds a mark per record, shifted by one so that rchg[0] and
	// rchg[nrec+1] are the zero sentinels git keeps at index -1 and nrec.
	rchg []bool
}

func (f *xdfile) nrec() int          { return len(f.recs) }
func (f *xdfile) changed(i int) bool { return f.rchg[i+1] }
func (f *xdfile) mark(i int, v bool) { f.rchg[i+1] = v }
func (f *xdfile) same(i, j int) bool { return f.ha[i] == f.ha[j] }
func newXdfile(sc *scratch, recs [][]byte) xdfile {
	return xdfile{recs: recs, ha: sc.ints.take(len(recs)), rchg: sc.bools.take(len(recs) + 2)}
}

// xdfenv is a prepared pair of files, as xdfenv_t.
type xdfenv struct {
	xdf1, xdf2 xdfile
	nclass     int
	sc         *scratch
}

// change is one hunk of an edit script, as xdchange_t: chg1 records at i1 in
// the first file replaced by chg2 records at i2 in the second.
type change struct {
	i1, i2, chg1, chg2 int
}

// splitLines cuts b into records the way xdl_hash_record walks a buffer:
// each record ends after '\n'; a last line without one is a record too.
func splitLines(sc *scratch, b []byte) [][]byte {
	recs := sc.recs.take(bytes.Count(b, []byte{'\n'}) + 1)[:0]
	for len(b) > 0 {
		n := bytes.IndexByte(b, '\n') + 1
		if n == 0 {
			n = len(b)
		}
		recs = append(recs, b[:n:n])
		b = b[n:]
	}
	return recs
}

// prepare builds the environment for two record lists, giving equal records
// equal classes (xdl_prepare_env, xdl_classify_record with flags 0: records
// match when their bytes are equal).
func prepare(sc *scratch, recs1, recs2 [][]byte) *xdfenv {
	xe := &sc.envs.take(1)[0]
	*xe = xdfenv{xdf1: newXdfile(sc, recs1), xdf2: newXdfile(sc, recs2), sc: sc}
	if sc.classes == nil {
		sc.classes = map[string]int{}
	}
	classes := sc.classes
	defer clear(classes)
	for _, f := range []*xdfile{&xe.xdf1, &xe.xdf2} {
		for i, r := range f.recs {
			// The record itself is the key, not a copy: the files do not
			// change while the map holds it, and it is emptied after.
			key := unsafe.String(unsafe.SliceData(r), len(r))
			c, ok := classes[key]
			if !ok {
				c = len(classes)
				classes[key] = c
			}
			f.ha[i] = c
		}
	}
	xe.nclass = len(classes)
	return xe
}

// diff runs git's diff pipeline on two record lists with the histogram
// algorithm: xdl_do_diff, xdl_change_compact on both files, xdl_build_script.
func diff(sc *scratch, recs1, recs2 [][]byte) (*xdfenv, []change) {
	xe := prepare(sc, recs1, recs2)
	// With XDF_HISTOGRAM_DIFF, git 2.39's xdl_prepare_env neither trims
	// common ends nor discards records (xdl_optimize_ctxs is skipped).
	histogramDiff(xe, 1, xe.xdf1.nrec(), 1, xe.xdf2.nrec())
	changeCompact(&xe.xdf1, &xe.xdf2)
	changeCompact(&xe.xdf2, &xe.xdf1)
	return xe, buildScript(xe)
}

// buildScript collects the marked groups into an edit script in file order
// (xdl_build_script, which walks backwards and prepends).
func buildScript(xe *xdfenv) []change {
	f1, f2 := &xe.xdf1, &xe.xdf2
	var rev []change
	for i1, i2 := f1.nrec(), f2.nrec(); i1 >= 0 || i2 >= 0; i1, i2 = i1-1, i2-1 {
		if f1.rchg[i1] || f2.rchg[i2] { // rchg[i] is git's rchg[i-1]
			l1, l2 := i1, i2
			for f1.rchg[i1] {
				i1--
			}
			for f2.rchg[i2] {
				i2--
			}
			rev = append(rev, change{i1: i1, i2: i2, chg1: l1 - i1, chg2: l2 - i2})
		}
	}
	script := make([]change, len(rev))
	for i, c := range rev {
		script[len(rev)-1-i] = c
	}
	return script
}
