package htmlgen

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
)

// A run page is the one page there are tens of thousands of, so it is
// built here in Go instead of by a template: html/template spends about a
// microsecond per action, 300 µs per page. The markup is what the
// templates made (the golden files hold it), every text from the
// repository goes through esc, which escapes as html/template does in text
// and quoted attributes, and every link is made of hashes this package
// computes. The frame (head and foot) is html/template's, rendered once.

// escapes is html/template's replacement table for text and quoted
// attribute values.
var escapes = [256]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}

// esc writes s to b escaped for HTML text or a quoted attribute value.
func esc(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if r := escapes[s[i]]; r != "" {
			b.WriteString(s[last:i])
			b.WriteString(r)
			last = i + 1
		}
	}
	b.WriteString(s[last:])
}

// titleMark stands for the title in the frame rendered once; it needs no
// escaping, so it appears in the output as it is.
const titleMark = "@@git-ci-title@@"

// runFrame is the head and foot of run pages, the head split where the
// title goes.
type runFrame struct {
	once               sync.Once
	head1, head2, foot string
	err                error
}

func (m *model) frame() (*runFrame, error) {
	f := &m.runFrame
	f.once.Do(func() {
		p := m.page(titleMark, "", "../")
		var head, foot strings.Builder
		if f.err = m.tmpl.ExecuteTemplate(&head, "head", p); f.err != nil {
			return
		}
		f.err = m.tmpl.ExecuteTemplate(&foot, "foot", p)
		f.head1, f.head2, _ = strings.Cut(head.String(), titleMark)
		f.foot = foot.String()
	})
	return f, f.err
}

// runHTML writes a run file to b: the frame, and each run of pages as a
// section (an article, id r-HASH) of the file.
func (m *model) runHTML(b *bytes.Buffer, pages []*runPage) error {
	f, err := m.frame()
	if err != nil {
		return err
	}
	title := pages[0].Title
	if len(pages) > 1 {
		title = "Runs " + pages[0].R.Run + " to " + pages[len(pages)-1].R.Run
	}
	b.WriteString(f.head1)
	esc(b, title)
	b.WriteString(f.head2)
	b.WriteString("\n<div class=\"bundle\">")
	for _, p := range pages {
		b.WriteString("\n<article class=\"run\" id=\"")
		b.WriteString(runAnchor(p.R.Run))
		b.WriteString("\">\n")
		if err := runBodyHTML(b, p); err != nil {
			return err
		}
		b.WriteString("</article>")
	}
	b.WriteString("\n</div>\n")
	b.WriteString(f.foot)
	return nil
}

// runBodyHTML writes what a run page shows of run p.
func runBodyHTML(b *bytes.Buffer, p *runPage) error {
	var err error
	badge, mark := memoized("badge"), memoized("mark")
	html := func(f func(string) (string, error), status string) {
		if err == nil {
			var h string
			h, err = f(status)
			b.WriteString(h)
		}
	}
	badgeHTML := func(s string) (string, error) { h, err := badge(s); return string(h), err }
	markHTML := func(s string) (string, error) { h, err := mark(s); return string(h), err }
	r := p.R
	b.WriteString("<section class=\"hero\">\n  <h1>")
	html(badgeHTML, r.Status)
	b.WriteString(` <span class="name">`)
	esc(b, p.Title)
	b.WriteString("</span></h1>\n  ")
	if r.Message != "" {
		b.WriteString(`<p class="message">`)
		esc(b, r.Message)
		b.WriteString(`</p>`)
	}
	b.WriteString("\n  <dl class=\"facts-grid\">\n    <dt>run</dt><dd><code>")
	esc(b, r.Run)
	b.WriteString("</code></dd>\n    <dt>pipeline</dt><dd>")
	esc(b, r.Pipeline)
	b.WriteString(" (")
	esc(b, r.Kind)
	b.WriteString(")</dd>\n    ")
	if r.Branch != "" {
		b.WriteString(`<dt>branch</dt><dd><a href="`)
		esc(b, branchHref("../", r.Branch))
		b.WriteString(`">`)
		esc(b, r.Branch)
		b.WriteString("</a> → ")
		esc(b, r.Into)
		if r.Promoted {
			b.WriteString(` <span class="tag">promoted</span>`)
		} else {
			b.WriteString(` <span class="tag muted">not promoted</span>`)
		}
		b.WriteString("</dd>")
	}
	b.WriteString("\n    <dt>commit</dt><dd><code title=\"")
	esc(b, r.Commit)
	b.WriteString(`">`)
	esc(b, r.Commit)
	b.WriteString("</code></dd>\n    ")
	if r.Base != "" {
		b.WriteString("<dt>base</dt><dd><code>")
		esc(b, r.Base)
		b.WriteString("</code></dd>")
	}
	b.WriteString("\n    <dt>config</dt><dd><code>")
	esc(b, r.Config)
	b.WriteString("</code></dd>\n    <dt>started</dt><dd>")
	esc(b, when(r.Started))
	b.WriteString(" UTC · ")
	esc(b, duration(r.DurationMS))
	b.WriteString("</dd>\n    <dt>run ref</dt><dd><code>")
	esc(b, r.Ref)
	b.WriteString("</code></dd>\n  </dl>\n  ")
	if len(r.Conflicts) > 0 {
		b.WriteString(`<div class="conflicts"><h2>Conflicts</h2><ul>`)
		for _, c := range r.Conflicts {
			b.WriteString("<li><code>")
			esc(b, c)
			b.WriteString("</code></li>")
		}
		b.WriteString("</ul></div>")
	}
	b.WriteString("\n</section>\n")
	runStepsHTML(b, p, html, badgeHTML)
	if p.HasDetails {
		runDetailsHTML(b, p, html, markHTML)
	} else {
		b.WriteString(`<p class="empty">Logs are kept in <code>`)
		esc(b, r.Ref)
		b.WriteString("</code>; this site was built without them.</p>")
	}
	b.WriteString("\n")
	return err
}

// runStepsHTML writes the table of a run's steps.
func runStepsHTML(b *bytes.Buffer, p *runPage, html func(func(string) (string, error), string), badge func(string) (string, error)) {
	b.WriteString("<section>\n  <h2>Steps</h2>\n  <div class=\"scroll\"><table class=\"steps\">\n  <thead><tr><th>status</th><th>step</th><th class=\"num\">exit</th><th class=\"num\">duration</th><th>note</th></tr></thead>\n  <tbody>")
	for i := range p.Steps {
		s := &p.Steps[i]
		b.WriteString(`<tr class="`)
		esc(b, s.Cls)
		b.WriteString("\">\n    <td>")
		html(badge, s.Status)
		b.WriteString("</td>\n    <td>")
		if s.Log != nil {
			b.WriteString(`<a href="#`)
			esc(b, s.ID)
			b.WriteString(`">`)
		}
		esc(b, s.Stage)
		b.WriteString("/")
		esc(b, s.Step)
		if s.Log != nil {
			b.WriteString("</a>")
		}
		b.WriteString("</td>\n    <td class=\"num\">")
		esc(b, s.Exit)
		b.WriteString("</td>\n    <td class=\"num\">")
		esc(b, s.Dur)
		b.WriteString("</td>\n    <td class=\"muted\">")
		esc(b, s.Signal)
		b.WriteString(" ")
		esc(b, s.Message)
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody>\n  </table></div>\n</section>\n")
}

// runDetailsHTML writes a run's logs and diff.
func runDetailsHTML(b *bytes.Buffer, p *runPage, html func(func(string) (string, error), string), mark func(string) (string, error)) {
	r := p.R
	b.WriteString("\n<section>\n  <h2>Logs</h2>\n  ")
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.Log == nil {
			continue
		}
		b.WriteString(`<details class="log `)
		esc(b, s.Cls)
		b.WriteString(`" id="`)
		esc(b, s.ID)
		b.WriteString(`"`)
		if s.Open {
			b.WriteString(" open")
		}
		b.WriteString(">\n    <summary>")
		html(mark, s.Status)
		b.WriteString(" ")
		esc(b, s.Stage)
		b.WriteString("/")
		esc(b, s.Step)
		b.WriteString(` <span class="muted small">`)
		b.WriteString(strconv.Itoa(s.Log.Lines))
		b.WriteString(" line")
		if s.Log.Lines != 1 {
			b.WriteString("s")
		}
		if s.Raw != "" {
			b.WriteString(` · <a href="`)
			esc(b, s.Raw)
			b.WriteString(`">raw log</a>`)
		}
		b.WriteString("</span></summary>\n    ")
		if s.Log.Cut != 0 {
			b.WriteString(`<p class="cut">The first `)
			b.WriteString(strconv.Itoa(s.Log.Cut))
			b.WriteString(` lines are not shown. <a href="`)
			esc(b, s.Raw)
			b.WriteString(`">Full log (raw text)</a></p>`)
		}
		b.WriteString("\n    ")
		if len(s.Log.Spans) > 0 {
			b.WriteString("<pre>")
			b.WriteString(string(logHTML(s.Log.Spans)))
			b.WriteString("</pre>")
		} else {
			b.WriteString(`<p class="cut">No output.</p>`)
		}
		b.WriteString("\n  </details>")
	}
	b.WriteString("\n</section>\n")
	switch {
	case len(p.Diff) > 0:
		b.WriteString("<section>\n  <h2>Changes against ")
		if r.Into != "" {
			esc(b, r.Into)
		} else {
			b.WriteString("the base")
		}
		b.WriteString("</h2>\n  ")
		for i := range p.Diff {
			d := &p.Diff[i]
			b.WriteString("<details class=\"diff\" open>\n    <summary><code>")
			esc(b, d.Name)
			b.WriteString(`</code> <span class="adds">+`)
			b.WriteString(strconv.Itoa(d.Adds))
			b.WriteString(`</span> <span class="dels">−`)
			b.WriteString(strconv.Itoa(d.Dels))
			b.WriteString("</span></summary>\n    ")
			for _, meta := range d.Meta {
				b.WriteString(`<p class="meta muted small">`)
				esc(b, meta)
				b.WriteString("</p>")
			}
			b.WriteString("\n    ")
			if len(d.Lines) > 0 {
				b.WriteString("<pre>")
				b.WriteString(string(diffHTML(d.Lines)))
				b.WriteString("</pre>")
			}
			b.WriteString("\n  </details>")
		}
		b.WriteString("\n  ")
		if p.DiffTruncated {
			b.WriteString(`<p class="cut">The diff is cut here; <code>git diff `)
			esc(b, short(r.Base))
			b.WriteString(" ")
			esc(b, short(r.Commit))
			b.WriteString("</code> shows all of it.</p>")
		}
		b.WriteString("\n</section>")
	case r.Base != "":
		b.WriteString(`<p class="cut">The site keeps the diffs of recent integrations only: <code>git diff `)
		esc(b, short(r.Base))
		b.WriteString(" ")
		esc(b, short(r.Commit))
		b.WriteString("</code></p>")
	}
	b.WriteString("\n")
}
