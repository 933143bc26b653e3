package htmlgen

import (
	"bytes"
	"html/template"
	"strconv"

	"github.com/git-ci/git-ci/pipeline"
)

// The rows of the flow pages and of the run tables (branch pages, the
// pipeline's latest runs) number tens of thousands in a full build, so,
// like run pages, they are built here in Go rather than by templates: the
// markup is what the "runrow" and "flow" templates made (the golden files
// hold it), texts go through esc, links are made of hashes.

// runRowHTML is a run's row in a table of runs, linking from root.
func (m *model) runRowHTML(root string, r *pipeline.Record) (template.HTML, error) {
	var b bytes.Buffer
	badge, err := memoized("badge")(r.Status)
	if err != nil {
		return "", err
	}
	b.WriteString("<tr>\n  <td>")
	b.WriteString(string(badge))
	b.WriteString("</td>\n  <td><a href=\"")
	esc(&b, m.runHref(root, r))
	b.WriteString(`">`)
	if r.Kind == pipeline.KindIntegrate {
		esc(&b, r.Branch)
		b.WriteString(" → ")
		esc(&b, r.Into)
	} else {
		b.WriteString("run on ")
		esc(&b, short(r.Commit))
	}
	b.WriteString("</a>")
	if r.Promoted {
		b.WriteString(` <span class="tag">promoted</span>`)
	}
	b.WriteString("</td>\n  <td class=\"num\">")
	esc(&b, duration(r.DurationMS))
	b.WriteString("</td>\n  <td class=\"nowrap muted\">")
	esc(&b, when(r.Started))
	b.WriteString("</td>\n  <td class=\"marks\">")
	mark := memoized("mark")
	for _, s := range r.Steps {
		h, err := mark(s.Status)
		if err != nil {
			return "", err
		}
		b.WriteString(string(h))
	}
	b.WriteString("</td>\n</tr>")
	return template.HTML(b.String()), nil
}

// flowRowHTML is a row of a flow page, linking from root.
func (m *model) flowRowHTML(root string, r *flowRow) template.HTML {
	var b bytes.Buffer
	b.WriteString(`<tr class="`)
	if r.Candidate {
		b.WriteString("candidate")
	}
	b.WriteString("\">\n  <td class=\"nowrap muted when\">")
	esc(&b, when(r.When))
	b.WriteString("</td>\n  <td class=\"change\">\n    ")
	if r.Candidate {
		b.WriteString(`<span class="tag cand">candidate</span> `)
	}
	b.WriteString(`<span class="subject">`)
	esc(&b, r.Subject)
	b.WriteString("</span>\n    <span class=\"sub\"><span class=\"m-when\">")
	esc(&b, when(r.When))
	b.WriteString(` · </span><code title="`)
	esc(&b, r.Commit)
	b.WriteString(`">`)
	esc(&b, short(r.Commit))
	b.WriteString("</code>")
	if r.Author != "" {
		b.WriteString(" · ")
		esc(&b, r.Author)
	}
	if r.Run != nil {
		b.WriteString(` · <a href="`)
		esc(&b, m.runHref(root, r.Run))
		b.WriteString(`">run`)
		if r.Runs > 1 {
			b.WriteString(" (latest of ")
			b.WriteString(strconv.Itoa(r.Runs))
			b.WriteString(")")
		}
		b.WriteString("</a>")
		if r.Run.Branch != "" {
			b.WriteString(` · <a href="`)
			esc(&b, branchHref(root, r.Run.Branch))
			b.WriteString(`">`)
			esc(&b, r.Run.Branch)
			b.WriteString("</a>")
		}
	}
	b.WriteString("</span>\n  </td>\n  ")
	for _, c := range r.Cells {
		b.WriteString(`<td class="cell `)
		b.WriteString(statusClass(c.Status))
		b.WriteString(`">`)
		if c.Status != "" {
			b.WriteString(`<span class="sym" aria-hidden="true">`)
			esc(&b, pipeline.Symbol(c.Status))
			b.WriteString(`</span> <span class="st">`)
			esc(&b, c.Status)
			b.WriteString("</span>")
			if c.Status == pipeline.StatusPassed || c.Status == pipeline.StatusFailed || c.Status == pipeline.StatusError {
				b.WriteString(` <span class="d">`)
				esc(&b, duration(c.MS))
				b.WriteString("</span>")
			}
		} else {
			b.WriteString(`<span class="sym" aria-hidden="true">·</span><span class="sr">not run</span>`)
		}
		b.WriteString("</td>")
	}
	b.WriteString("\n</tr>")
	return template.HTML(b.String())
}
