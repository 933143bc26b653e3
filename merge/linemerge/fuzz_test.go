package linemerge

import (
	"bytes"
	"testing"
)

// Labels unlikely to occur in fuzzed input, so markers can be told apart.
const fuzzOurs, fuzzTheirs = "OURS-5f1c9a", "THEIRS-5f1c9a"

// resolve takes one half of every conflict of a merge result written with
// the fuzz labels and marker size 7: the first (ours) or the second.
func resolve(content []byte, first bool) []byte {
	var out bytes.Buffer
	state := 0 // 0 outside, 1 in the first half, 2 in the second
	for _, l := range bytes.SplitAfter(content, []byte("\n")) {
		trimmed := string(bytes.TrimRight(l, "\r\n"))
		switch {
		case state == 0 && trimmed == "<<<<<<< "+fuzzOurs:
			state = 1
		case state == 1 && trimmed == "=======":
			state = 2
		case state == 2 && trimmed == ">>>>>>> "+fuzzTheirs:
			state = 0
		case state == 0 || (state == 1) == first:
			out.Write(l)
		}
	}
	return out.Bytes()
}

// markerLike reports whether b holds text resolve would take for a marker.
func markerLike(b []byte) bool {
	return bytes.Contains(b, []byte("5f1c9a")) || bytes.Contains(b, []byte("======="))
}

// FuzzMerge checks that Merge does not panic, that merging a change with
// itself is that change, clean, and that swapping the sides is symmetric
// where git's merge is: the same verdict, the same clean result, and the
// same file when every conflict is resolved to the same side. Git's conflict
// hunks themselves are not symmetric: the zealous refinement re-diffs the
// two sides with histogram, which is not symmetric, so hunk boundaries and
// their number may differ (see the "asymmetric" cases of tableCases).
func FuzzMerge(f *testing.F) {
	for _, c := range tableCases {
		f.Add([]byte(c.base), []byte(c.ours), []byte(c.theirs))
	}
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		opt := Options{OursLabel: fuzzOurs, TheirsLabel: fuzzTheirs}
		self := Merge(base, ours, ours, opt)
		if self.Conflicts != 0 || !bytes.Equal(self.Content, ours) {
			t.Fatalf("Merge(b, o, o) = %q (%d conflicts), want %q clean", self.Content, self.Conflicts, ours)
		}
		ot := Merge(base, ours, theirs, opt)
		to := Merge(base, theirs, ours, opt)
		if (ot.Conflicts == 0) != (to.Conflicts == 0) {
			t.Fatalf("conflicts: %d one way, %d the other", ot.Conflicts, to.Conflicts)
		}
		if ot.Conflicts == 0 && !bytes.Equal(ot.Content, to.Content) {
			t.Fatalf("clean merges differ:\n%q\n%q", ot.Content, to.Content)
		}
		if markerLike(base) || markerLike(ours) || markerLike(theirs) {
			return // resolve could not tell its markers from the content
		}
		for _, first := range []bool{true, false} {
			if a, b := resolve(ot.Content, first), resolve(to.Content, !first); !bytes.Equal(a, b) {
				t.Fatalf("resolved to one side (first=%v):\n%q\n%q", first, a, b)
			}
		}
	})
}
