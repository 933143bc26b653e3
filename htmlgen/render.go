package htmlgen

import (
	"embed"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"github.com/git-ci/git-ci/pipeline"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed templates/style.css
var styleCSS []byte

// parse parses the templates: base, never executed, so that each
// build can clone it with its own run links (html/template cannot clone a
// set that has run), and plain, which renders what needs no run links
// (status badges and marks). They are parsed on first use, not at start,
// so that commands that build no site start faster.
var (
	parseOnce   sync.Once
	base, plain *template.Template
)

func parse() {
	base = template.Must(template.New("").Funcs(template.FuncMap{
		"sym":        pipeline.Symbol,
		"cls":        statusClass,
		"dur":        duration,
		"short":      short,
		"when":       when,
		"pct":        func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
		"runHref":    func(string, *pipeline.Record) string { return "" }, // these three: set per build (newModel)
		"runrow":     func(string, *pipeline.Record) (template.HTML, error) { return "", nil },
		"flowrow":    func(string, *flowRow) template.HTML { return "" },
		"branchHref": branchHref,
		"bars":       bars,
		"trend":      trendHTML,
		"branchrow":  branchRowHTML,
		"anchor":     branchAnchor,
		"logHTML":    logHTML,
		"diffHTML":   diffHTML,
		"badge":      memoized("badge"),
		"mark":       memoized("mark"),
		"ref":        func(root string, r *pipeline.Record) runRef { return runRef{Root: root, R: r} },
	}).ParseFS(templateFS, "templates/*.html"))
	plain = mustClone(base)
}

// baseTemplates is the parsed set to clone per build.
func baseTemplates() *template.Template { parseOnce.Do(parse); return base }

// templates renders what needs no run links.
func templates() *template.Template { parseOnce.Do(parse); return plain }

func mustClone(t *template.Template) *template.Template {
	return template.Must(t.Clone())
}

// memo holds the output of small templates for the statuses git-ci
// writes, by template and status: looked up for every row's badge and
// marks, so without building a key string.
var memo = struct {
	sync.RWMutex
	m map[[2]string]template.HTML
}{m: map[[2]string]template.HTML{}}

// memoized renders template name for a status, once per known status: the
// output is html/template's, escaped as any, only computed less often.
func memoized(name string) func(string) (template.HTML, error) {
	return func(status string) (template.HTML, error) {
		known := statusClass(status) != "s-none" || status == ""
		memo.RLock()
		h, ok := memo.m[[2]string{name, status}]
		memo.RUnlock()
		if ok {
			return h, nil
		}
		var b strings.Builder
		if err := templates().ExecuteTemplate(&b, name, status); err != nil {
			return "", err
		}
		h = template.HTML(b.String())
		if known {
			memo.Lock()
			memo.m[[2]string{name, status}] = h
			memo.Unlock()
		}
		return h, nil
	}
}

// Page is what every page's frame shows: title, navigation, and Root, the
// relative way back to the site's root ("" or "../").
type Page struct {
	Title  string
	Active string
	Root   string
	Name   string
	Target string
}

func (m *model) page(title, active, root string) Page {
	return Page{Title: title, Active: active, Root: root, Name: m.s.Name, Target: m.s.Target}
}

// statusClass is the CSS class of a status; unknown ones share "s-none".
func statusClass(status string) string {
	switch status {
	case pipeline.StatusPassed, pipeline.StatusFailed, pipeline.StatusSkipped, pipeline.StatusCancelled, pipeline.StatusError:
		return "s-" + status
	}
	return "s-none"
}

// duration renders milliseconds for people: 850ms, 4.2s, 3m 05s, 1h 02m.
func duration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", ms)
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

func short(hash string) string {
	if len(hash) > 10 {
		return hash[:10]
	}
	return hash
}

func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// runPath is the page of a run alone (one not in a bundle yet), from the
// site's root.
func runPath(id string) string { return runsDir + "/" + nameOf(id) + ".html" }

// branchPath is the page that holds a branch, from the site's root:
// branches share 256 pages by the first two digits of their name's hash,
// so a history of many branches makes few files.
func branchPath(name string) string { return "branches/" + nameOf(name)[:2] + ".html" }

// branchAnchor is a branch's section id in its page.
func branchAnchor(name string) string { return "b-" + nameOf(name) }

// runRef is a run with the way back to the root, for the "runrow" template.
type runRef struct {
	Root string
	R    *pipeline.Record
}

func branchHref(root, name string) string { return root + branchPath(name) + "#" + branchAnchor(name) }
