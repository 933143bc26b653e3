package htmlgen

import (
	"bytes"
	"html/template"
	"strconv"
)

// The statistics page's trend charts (40 bars each, a dozen charts) and
// the branches page's 300 rows are, after the flow's rows, the largest
// parts of the pages every build rewrites, so they too are written here
// in Go: the markup is what the "trend" and "branchrow" templates make
// (TestGoRowsMatchTemplates holds them to it), texts go through esc.

// trendHTML is the "trend" template: a run's bars as an inline SVG chart.
func trendHTML(ps []point) template.HTML {
	var b bytes.Buffer
	b.WriteString(`<svg class="trend" viewBox="0 0 120 28" width="120" height="28" role="img" aria-label="durations of the last runs">`)
	for _, r := range bars(ps) {
		b.WriteString(`<rect class="`)
		esc(&b, statusClass(r.Status))
		b.WriteString(`" x="`)
		writeFloat(&b, r.X)
		b.WriteString(`" y="`)
		writeFloat(&b, r.Y)
		b.WriteString(`" width="`)
		writeFloat(&b, r.W)
		b.WriteString(`" height="`)
		writeFloat(&b, r.H)
		b.WriteString(`"><title>`)
		esc(&b, duration(r.MS))
		b.WriteString(" ")
		esc(&b, r.Status)
		b.WriteString("</title></rect>")
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// writeFloat writes f as a template prints it (fmt's %v), escaped.
func writeFloat(b *bytes.Buffer, f float64) {
	var buf [32]byte
	esc(b, string(strconv.AppendFloat(buf[:0], f, 'g', -1, 64)))
}

// branchRowHTML is the "branchrow" template: a branch's row on the
// branches page, with its latest attempt.
func branchRowHTML(br branchInfo) (template.HTML, error) {
	last := br.Runs[0]
	badge, err := memoized("badge")(last.Status)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.WriteString("<tr>\n  <td>")
	b.WriteString(string(badge))
	b.WriteString("</td>\n  <td><a href=\"")
	esc(&b, branchHref("", br.Name))
	b.WriteString(`">`)
	esc(&b, br.Name)
	b.WriteString("</a>")
	if last.Promoted {
		b.WriteString(` <span class="tag">promoted</span>`)
	}
	b.WriteString("</td>\n  <td class=\"num\">")
	b.WriteString(strconv.Itoa(len(br.Runs)))
	b.WriteString("</td><td class=\"nowrap muted\">")
	esc(&b, when(last.Started))
	b.WriteString("</td></tr>")
	return template.HTML(b.String()), nil
}
