package linemerge

import (
	"strings"
	"testing"
)

// lines joins lines with '\n' after each.
func lines(ls ...string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// crlf turns every '\n' into CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

var base10 = lines("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")

// tableCases are the rules of git's line merge, each checked against git.
var tableCases = []mergeCase{
	{name: "one-sided change", base: base10, ours: strings.Replace(base10, "5\n", "five\n", 1), theirs: base10},
	{name: "same change both sides", base: base10, ours: strings.Replace(base10, "5\n", "five\n", 1), theirs: strings.Replace(base10, "5\n", "five\n", 1)},
	{name: "non-overlapping changes", base: base10, ours: strings.Replace(base10, "2\n", "two\n", 1), theirs: strings.Replace(base10, "8\n", "eight\n", 1)},
	{name: "adjacent changes", base: base10, ours: strings.Replace(base10, "4\n", "four\n", 1), theirs: strings.Replace(base10, "5\n", "five\n", 1)},
	{name: "changes one line apart", base: base10, ours: strings.Replace(base10, "4\n", "four\n", 1), theirs: strings.Replace(base10, "6\n", "six\n", 1)},
	{name: "overlapping changes", base: base10, ours: strings.Replace(base10, "4\n5\n", "four\nfive\n", 1), theirs: strings.Replace(base10, "5\n6\n", "FIVE\nSIX\n", 1)},
	{name: "conflicts three lines apart join", base: base10, ours: strings.Replace(strings.Replace(base10, "2\n", "a\n", 1), "6\n", "b\n", 1), theirs: strings.Replace(strings.Replace(base10, "2\n", "A\n", 1), "6\n", "B\n", 1)},
	{name: "conflicts four lines apart stay", base: base10, ours: strings.Replace(strings.Replace(base10, "2\n", "a\n", 1), "7\n", "b\n", 1), theirs: strings.Replace(strings.Replace(base10, "2\n", "A\n", 1), "7\n", "B\n", 1)},
	{name: "zealous refinement", base: base10, ours: strings.Replace(base10, "4\n5\n6\n", "x\n5\ny\n", 1), theirs: strings.Replace(base10, "4\n5\n6\n", "x\nQ\ny\n", 1)},
	{name: "deletion vs change", base: base10, ours: strings.Replace(base10, "5\n", "", 1), theirs: strings.Replace(base10, "5\n", "five\n", 1)},
	{name: "deletion vs deletion", base: base10, ours: strings.Replace(base10, "5\n", "", 1), theirs: strings.Replace(base10, "5\n", "", 1)},
	{name: "insertions at start", base: base10, ours: "a\n" + base10, theirs: "b\n" + base10},
	{name: "insertions at end", base: base10, ours: base10 + "a\n", theirs: base10 + "b\n"},
	{name: "insert start and end", base: base10, ours: "a\n" + base10, theirs: base10 + "b\n"},
	{name: "CRLF conflict", base: crlf(base10), ours: crlf(strings.Replace(base10, "5\n", "five\n", 1)), theirs: crlf(strings.Replace(base10, "5\n", "FIVE\n", 1))},
	{name: "CRLF clean", base: crlf(base10), ours: crlf(strings.Replace(base10, "2\n", "two\n", 1)), theirs: crlf(strings.Replace(base10, "9\n", "nine\n", 1))},
	{name: "CRLF side without final newline", base: crlf(base10), ours: strings.TrimSuffix(crlf(base10), "\r\n") + "x", theirs: strings.TrimSuffix(crlf(base10), "\r\n") + "y"},
	{name: "no final newline one side", base: base10, ours: base10 + "x", theirs: base10 + "y\n"},
	{name: "no final newline both sides", base: base10, ours: base10 + "x", theirs: base10 + "y"},
	{name: "no final newline in base", base: "a\nb", ours: "a\nb\nc", theirs: "a\nc\nb"},
	{name: "newline added at end one side", base: "a\nb", ours: "a\nb\n", theirs: "A\nb"},
	{name: "final newline both differently", base: "a\nb", ours: "a\nc", theirs: "a\nd"},
	{name: "empty base", base: "", ours: "a\n", theirs: "b\n"},
	{name: "empty base same add", base: "", ours: "a\n", theirs: "a\n"},
	{name: "empty ours", base: "a\nb\n", ours: "", theirs: "a\nc\n"},
	{name: "empty both sides", base: "a\n", ours: "", theirs: ""},
	{name: "invalid UTF-8", base: "\xff\xfe\n\xc3\x28\n", ours: "\xff\xfe\n\x80\n", theirs: "\xff\xfe\n\xe2\x82\n"},
	{name: "lone CR lines", base: "a\rb\nc\n", ours: "a\rB\nc\n", theirs: "a\rb\nC\n"},
	{name: "histogram not myers", base: lines("a", "b", "c", "a", "b", "c"), ours: lines("b", "a", "c", "b", "x"), theirs: lines("a", "b", "c", "a", "b", "y")},
	{name: "histogram rare line anchors", base: lines("}", "x", "}", "y", "}", "z", "}"), ours: lines("}", "y", "}", "x", "}", "z", "}", "w"), theirs: lines("}", "x", "}", "q", "}", "z", "}")},
	{name: "slider", base: lines("a", "b", "a", "b", "c"), ours: lines("a", "b", "a", "b", "a", "b", "c"), theirs: lines("a", "b", "x", "a", "b", "c")},
	{name: "identical within conflict", base: lines("1", "2", "3"), ours: lines("1", "a", "b", "c", "3"), theirs: lines("1", "a", "x", "c", "3")},
	// Found by FuzzMerge: git's hunks are not symmetric in the sides.
	{name: "asymmetric ot", base: "\r\n\r\n\r\n\r\n\r\n", ours: "\r\n0\n0\n0\n\r\n\r\n", theirs: "\r\n\r\n\r\n"},
	{name: "asymmetric to", base: "\r\n\r\n\r\n\r\n\r\n", ours: "\r\n\r\n\r\n", theirs: "\r\n0\n0\n0\n\r\n\r\n"},
}

func TestMergeAgainstGit(t *testing.T) {
	for _, d := range compareWithGit(t, tableCases) {
		t.Error(d)
	}
}

func TestMarkerSizeAndLabels(t *testing.T) {
	give := Merge([]byte("a\n"), []byte("b\n"), []byte("c"), Options{OursLabel: "HEAD", TheirsLabel: "feat:x", MarkerSize: 3})
	want := "<<< HEAD\nb\n===\nc\n>>> feat:x\n"
	if string(give.Content) != want || give.Conflicts != 1 {
		t.Errorf("have %q (%d conflicts), want %q", give.Content, give.Conflicts, want)
	}
}

func TestIsBinary(t *testing.T) {
	for _, tc := range []struct {
		give []byte
		want bool
	}{
		{nil, false},
		{[]byte("text\n\xff"), false},
		{[]byte("a\x00b"), true},
		{append(make([]byte, 0, 9000), append([]byte(strings.Repeat("x", 7999)), 0)...), true},
		{append([]byte(strings.Repeat("x", 8000)), 0), false},
	} {
		if have := IsBinary(tc.give); have != tc.want {
			t.Errorf("IsBinary(%d bytes) = %v, want %v", len(tc.give), have, tc.want)
		}
	}
}
