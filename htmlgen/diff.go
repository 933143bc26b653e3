package htmlgen

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// maxWordDiffLine is the longest line that gets word-level highlighting.
const maxWordDiffLine = 2000

// diffFile is one file of a unified diff as a run page shows it.
type diffFile struct {
	Name  string
	Meta  []string // "new file mode ...", "Binary files ... differ", ...
	Lines []diffLine
	Adds  int
	Dels  int
}

// diffLine is a line of a hunk: Kind is "hunk", "ctx", "add", "del" or
// "note"; Segs are its text, Changed marking the words that differ.
type diffLine struct {
	Kind string
	Segs []seg
}

type seg struct {
	Text    string
	Changed bool
}

// parseDiff reads `git diff` output into files, highlighting the changed
// words of each removed line paired with the added line that replaced it.
func parseDiff(patch []byte) []diffFile {
	text := strings.ToValidUTF8(string(patch), string(utf8.RuneError))
	var files []diffFile
	var f *diffFile
	var dels, adds []string
	flush := func() {
		if f != nil {
			f.Lines = append(f.Lines, pairLines(dels, adds)...)
		}
		dels, adds = nil, nil
	}
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "diff --git "):
			flush()
			files = append(files, diffFile{Name: diffName(l)})
			f = &files[len(files)-1]
		case f == nil:
			continue
		case strings.HasPrefix(l, "@@"):
			flush()
			f.Lines = append(f.Lines, diffLine{Kind: "hunk", Segs: []seg{{Text: l}}})
		case strings.HasPrefix(l, "+++ "), strings.HasPrefix(l, "--- "), strings.HasPrefix(l, "index "):
		case strings.HasPrefix(l, "-"):
			if len(adds) > 0 {
				flush()
			}
			dels = append(dels, l[1:])
			f.Dels++
		case strings.HasPrefix(l, "+"):
			adds = append(adds, l[1:])
			f.Adds++
		case strings.HasPrefix(l, " "):
			flush()
			f.Lines = append(f.Lines, diffLine{Kind: "ctx", Segs: []seg{{Text: l[1:]}}})
		case strings.HasPrefix(l, `\`):
			flush()
			f.Lines = append(f.Lines, diffLine{Kind: "note", Segs: []seg{{Text: l}}})
		case len(f.Lines) == 0:
			f.Meta = append(f.Meta, l)
		}
	}
	flush()
	return files
}

// diffName is the path of a "diff --git a/X b/Y" line: Y.
func diffName(l string) string {
	rest := strings.TrimPrefix(l, "diff --git ")
	if i := strings.LastIndex(rest, " b/"); i >= 0 {
		return rest[i+3:]
	}
	return rest
}

// pairLines renders a block of removed lines followed by added lines; the
// i-th removed and i-th added line are compared word by word.
func pairLines(dels, adds []string) []diffLine {
	var out []diffLine
	for i, d := range dels {
		if i < len(adds) {
			out = append(out, diffLine{Kind: "del", Segs: wordDiff(d, adds[i], false)})
		} else {
			out = append(out, diffLine{Kind: "del", Segs: []seg{{Text: d}}})
		}
	}
	for i, a := range adds {
		if i < len(dels) {
			out = append(out, diffLine{Kind: "add", Segs: wordDiff(dels[i], a, true)})
		} else {
			out = append(out, diffLine{Kind: "add", Segs: []seg{{Text: a}}})
		}
	}
	return out
}

// wordDiff is the old line (added false) or the new line (added true) as
// segments, the words that the other line lacks marked Changed.
func wordDiff(old, new string, added bool) []seg {
	if len(old) > maxWordDiffLine || len(new) > maxWordDiffLine {
		return []seg{{Text: map[bool]string{false: old, true: new}[added], Changed: true}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 50 * time.Millisecond
	a, b, words := wordsToRunes(old, new)
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))
	var out []seg
	for _, d := range diffs {
		keep := d.Type == diffmatchpatch.DiffEqual ||
			d.Type == diffmatchpatch.DiffInsert && added || d.Type == diffmatchpatch.DiffDelete && !added
		if !keep {
			continue
		}
		var t strings.Builder
		for _, r := range d.Text {
			t.WriteString(words[r])
		}
		changed := d.Type != diffmatchpatch.DiffEqual
		if n := len(out); n > 0 && out[n-1].Changed == changed {
			out[n-1].Text += t.String()
		} else {
			out = append(out, seg{Text: t.String(), Changed: changed})
		}
	}
	return out
}

// wordsToRunes maps each word (a run of letters and digits, or any other
// single character) of a and b to a rune, so that the character diff of
// the runes is a word diff; words[r] is the word of rune r.
func wordsToRunes(a, b string) ([]rune, []rune, []string) {
	index := map[string]rune{}
	var words []string
	conv := func(s string) []rune {
		var rs []rune
		for len(s) > 0 {
			n := wordLen(s)
			w := s[:n]
			r, ok := index[w]
			if !ok {
				r = rune(len(words))
				index[w] = r
				words = append(words, w)
			}
			rs = append(rs, r)
			s = s[n:]
		}
		return rs
	}
	return conv(a), conv(b), words
}

func wordLen(s string) int {
	isWord := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	r, size := utf8.DecodeRuneInString(s)
	if !isWord(r) {
		return size
	}
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !isWord(r) {
			break
		}
		n += size
	}
	return n
}
