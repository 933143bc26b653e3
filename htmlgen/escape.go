package htmlgen

import (
	"html/template"
	"strings"
)

// The two functions here build markup for the bulk of a run page, a log's
// spans and a diff's lines, in Go instead of a template range: at tens of
// thousands of pages, a template action per span is most of a build's time.
// Every text goes through template.HTMLEscapeString; the only markup added
// is fixed tags and class names this package chooses (ansi.go, diff.go).

// logHTML renders spans as the content of a <pre>.
func logHTML(spans []span) template.HTML {
	var b strings.Builder
	for _, s := range spans {
		if s.Class == "" {
			b.WriteString(template.HTMLEscapeString(s.Text))
			continue
		}
		b.WriteString(`<span class="`)
		b.WriteString(template.HTMLEscapeString(s.Class))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(s.Text))
		b.WriteString(`</span>`)
	}
	return template.HTML(b.String())
}

// diffHTML renders a file's diff lines as the content of a <pre>, changed
// words in <mark>.
func diffHTML(lines []diffLine) template.HTML {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(`<span class="dl `)
		b.WriteString(template.HTMLEscapeString(l.Kind))
		b.WriteString(`">`)
		for _, s := range l.Segs {
			if s.Changed {
				b.WriteString("<mark>" + template.HTMLEscapeString(s.Text) + "</mark>")
			} else {
				b.WriteString(template.HTMLEscapeString(s.Text))
			}
		}
		b.WriteString(`</span>`)
	}
	return template.HTML(b.String())
}
