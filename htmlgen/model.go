package htmlgen

import (
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/git-ci/git-ci/pipeline"
)

// model is the Site indexed for rendering.
type model struct {
	s        *Site
	pipe     string             // the pipeline the flow and statistics show
	stages   []stageDef         // its stages, as configured or as run
	runs     []*pipeline.Record // every run once, oldest first (run ids sort by time)
	byCommit map[string][]*pipeline.Record
	onTarget map[string]bool
	branches []branchInfo // newest attempt first
	stats    *statistics
	rows     []flowRow          // newest first
	runFrame runFrame           // run pages' head and foot, made once
	files    []runFile          // the files that hold the run pages, oldest runs first
	hrefOf   map[string]string  // a run id's file and anchor, from the site's root
	tmpl     *template.Template // the templates, with this site's run links
}

// stageDef is a stage and its steps' names, in pipeline order.
type stageDef struct {
	Name  string
	Steps []stepDef
}

// stepDef is a step as configured (Run is "" for one seen only in runs).
type stepDef struct {
	Name, Run  string
	Timeout    time.Duration
	Configured bool
}

// branchInfo is a branch and every integration attempt of it, newest first.
type branchInfo struct {
	Name string
	Runs []*pipeline.Record
}

func newModel(s *Site) *model {
	m := &model{s: s, pipe: pipeline.IntegratePipeline, byCommit: map[string][]*pipeline.Record{}, onTarget: map[string]bool{}}
	if s.Pipeline != nil {
		m.pipe = s.Pipeline.Name
	}
	seen := map[string]bool{}
	for i := range s.Runs {
		r := &s.Runs[i]
		if !seen[r.Run] {
			seen[r.Run] = true
			m.runs = append(m.runs, r)
		}
	}
	slices.SortStableFunc(m.runs, func(a, b *pipeline.Record) int { return strings.Compare(a.Run, b.Run) })
	for _, r := range m.runs {
		m.byCommit[r.Commit] = append(m.byCommit[r.Commit], r)
	}
	for _, c := range s.Commits {
		m.onTarget[c.Hash] = true
	}
	m.placeRuns()
	m.tmpl = mustClone(baseTemplates())
	m.tmpl.Funcs(template.FuncMap{"runHref": m.runHref, "runrow": m.runRowHTML, "flowrow": m.flowRowHTML})
	m.stages = m.stageDefs()
	// The statistics and the flow's rows only read the model: built at once.
	stats := make(chan *statistics, 1)
	go func() { stats <- m.statistics() }()
	m.branches = m.branchList()
	m.rows = m.flowRows()
	m.stats = <-stats
	return m
}

// ofPipeline reports whether r is a run of the pipeline the site shows.
func (m *model) ofPipeline(r *pipeline.Record) bool { return r.Pipeline == m.pipe }

// stageDefs are the configured stages, then any stage or step the runs
// have that the config no longer does, in the order the runs have them.
func (m *model) stageDefs() []stageDef {
	var defs []stageDef
	index := map[string]int{}
	has := map[[2]string]bool{}
	if p := m.s.Pipeline; p != nil {
		for _, st := range p.Stages {
			index[st.Name] = len(defs)
			d := stageDef{Name: st.Name}
			for _, sp := range st.Steps {
				d.Steps = append(d.Steps, stepDef{Name: sp.Name, Run: sp.Run, Timeout: sp.Timeout, Configured: true})
				has[[2]string{st.Name, sp.Name}] = true
			}
			defs = append(defs, d)
		}
	}
	for _, r := range m.runs {
		if !m.ofPipeline(r) {
			continue
		}
		for _, sr := range r.Steps {
			k := [2]string{sr.Stage, sr.Step}
			if has[k] {
				continue
			}
			has[k] = true
			i, ok := index[sr.Stage]
			if !ok {
				i = len(defs)
				index[sr.Stage] = i
				defs = append(defs, stageDef{Name: sr.Stage})
			}
			defs[i].Steps = append(defs[i].Steps, stepDef{Name: sr.Step})
		}
	}
	return defs
}

func (m *model) branchList() []branchInfo {
	idx := map[string]int{}
	var bs []branchInfo
	for i := len(m.runs) - 1; i >= 0; i-- {
		r := m.runs[i]
		if r.Branch == "" {
			continue
		}
		j, ok := idx[r.Branch]
		if !ok {
			j = len(bs)
			idx[r.Branch] = j
			bs = append(bs, branchInfo{Name: r.Branch})
		}
		bs[j].Runs = append(bs[j].Runs, r)
	}
	return bs
}

// latest is the newest run of the site's pipeline on commit, nil if none.
func (m *model) latest(commit string) (*pipeline.Record, int) {
	var last *pipeline.Record
	n := 0
	for _, r := range m.byCommit[commit] {
		if m.ofPipeline(r) {
			last = r
			n++
		}
	}
	return last, n
}

// stageOf is a stage's status in a run (failed if any step failed, else
// the first that did not pass, else passed; "" if the run lacks the stage)
// and its duration: its slowest step, since steps run in parallel.
func stageOf(r *pipeline.Record, stage string) (string, int64) {
	status := ""
	var ms int64
	for _, s := range r.Steps {
		if s.Stage != stage {
			continue
		}
		if status == "" || status == pipeline.StatusPassed || s.Status == pipeline.StatusFailed {
			status = s.Status
		}
		ms = max(ms, s.DurationMS)
	}
	return status, ms
}
