package htmlgen

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of a log shown in a run page; a longer log shows its end and links
// to the raw file.
const (
	maxLogLines = 1000
	maxLogBytes = 256 << 10
)

// span is a piece of log text with the CSS classes of its ANSI colours.
// Text is plain text: the template escapes it.
type span struct {
	Class string
	Text  string
}

// logView is a step's log as a run page shows it.
type logView struct {
	Spans []span
	Lines int // lines in the whole log
	Cut   int // lines left out at the start
}

// renderLog turns a log into spans: SGR colour codes become classes, every
// other escape sequence is dropped, a carriage return keeps what follows it
// (progress bars), invalid UTF-8 becomes U+FFFD. A log beyond the limits
// keeps its end.
func renderLog(log []byte) logView {
	lines := bytes.Count(log, []byte("\n"))
	if len(log) > 0 && log[len(log)-1] != '\n' {
		lines++
	}
	v := logView{Lines: lines}
	tail := log
	if len(tail) > maxLogBytes {
		tail = tail[len(tail)-maxLogBytes:]
		if i := bytes.IndexByte(tail, '\n'); i >= 0 {
			tail = tail[i+1:]
		}
	}
	if kept := bytes.Count(tail, []byte("\n")); kept > maxLogLines {
		for n := kept - maxLogLines; n > 0; n-- {
			tail = tail[bytes.IndexByte(tail, '\n')+1:]
		}
	}
	if len(tail) < len(log) {
		v.Cut = lines - bytes.Count(tail, []byte("\n"))
		if len(tail) > 0 && tail[len(tail)-1] != '\n' {
			v.Cut--
		}
	}
	v.Spans = ansiSpans(strings.ToValidUTF8(string(tail), string(utf8.RuneError)))
	return v
}

// sgr is the current graphic rendition.
type sgr struct {
	fg, bg          int // 0 none, 1..16 palette index + 1
	bold, dim, ital bool
	under           bool
}

func (g sgr) class() string {
	var c []string
	if g.fg > 0 {
		c = append(c, "fg"+strconv.Itoa(g.fg-1))
	}
	if g.bg > 0 {
		c = append(c, "bg"+strconv.Itoa(g.bg-1))
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{g.bold, "b"}, {g.dim, "dim"}, {g.ital, "i"}, {g.under, "u"}} {
		if f.on {
			c = append(c, f.name)
		}
	}
	return strings.Join(c, " ")
}

func ansiSpans(s string) []span {
	var out []span
	var g sgr
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			if n := len(out); n > 0 && out[n-1].Class == g.class() {
				out[n-1].Text += text.String()
			} else {
				out = append(out, span{Class: g.class(), Text: text.String()})
			}
			text.Reset()
		}
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		if i := strings.LastIndexByte(strings.TrimRight(line, "\r\n"), '\r'); i >= 0 {
			line = line[i+1:]
		}
		for len(line) > 0 {
			i := strings.IndexByte(line, 0x1b)
			if i < 0 {
				text.WriteString(dropControls(line))
				break
			}
			text.WriteString(dropControls(line[:i]))
			seq, params, final := escape(line[i:])
			line = line[i+len(seq):]
			if final == 'm' {
				flush()
				g = g.apply(params)
			}
		}
	}
	flush()
	return out
}

// escape measures the escape sequence at the start of s: CSI (ESC [ ...
// final), OSC (ESC ] ... BEL or ESC \), or a two-byte one.
func escape(s string) (seq, params string, final byte) {
	if len(s) < 2 {
		return s, "", 0
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return s[:j+1], s[2:j], s[j]
			}
		}
		return s, "", 0
	case ']':
		if j := strings.IndexAny(s, "\a\n"); j >= 0 && s[j] == '\a' {
			return s[:j+1], "", 0
		}
		if j := strings.Index(s, "\x1b\\"); j >= 0 {
			return s[:j+2], "", 0
		}
		return s[:2], "", 0
	}
	return s[:2], "", 0
}

// dropControls removes control characters other than tab and newline.
func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func (g sgr) apply(params string) sgr {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, _ := strconv.Atoi(ps[i])
		switch {
		case n == 0:
			g = sgr{}
		case n == 1:
			g.bold = true
		case n == 2:
			g.dim = true
		case n == 3:
			g.ital = true
		case n == 4:
			g.under = true
		case n == 22:
			g.bold, g.dim = false, false
		case n == 23:
			g.ital = false
		case n == 24:
			g.under = false
		case n >= 30 && n <= 37:
			g.fg = n - 30 + 1
		case n >= 90 && n <= 97:
			g.fg = n - 90 + 8 + 1
		case n == 39:
			g.fg = 0
		case n >= 40 && n <= 47:
			g.bg = n - 40 + 1
		case n >= 100 && n <= 107:
			g.bg = n - 100 + 8 + 1
		case n == 49:
			g.bg = 0
		case n == 38 || n == 48:
			i += extended(ps[i+1:]) // 256-colour and true colour: not shown
		}
	}
	return g
}

// extended is how many parameters a 38/48 colour takes after itself.
func extended(rest []string) int {
	if len(rest) > 0 && rest[0] == "5" {
		return 2
	}
	if len(rest) > 0 && rest[0] == "2" {
		return 4
	}
	return 0
}
