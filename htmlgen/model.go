package htmlgen

import (
	"cmp"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/git-ci/git-ci/pipeline"
)

// model is the Site indexed for rendering. Building it passes over every
// run a few times, with no per-run allocation where it can help it: an
// incremental build builds it whole, tens of thousands of runs.
type model struct {
	s        *Site
	pipe     string                     // the pipeline the flow and statistics show
	stages   []stageDef                 // its stages, as configured or as run
	runs     []*pipeline.Record         // every run once, oldest first (run ids sort by time)
	inPipe   []bool                     // by run: ofPipeline
	pos      map[*pipeline.Record]int32 // a run's index in runs
	slots    [][]stepSlot               // by run: where each of its steps counts
	cells    []cell                     // by run, len(stages) each: its stages' status and time
	noCells  []cell                     // the cells of a commit never tested
	onCommit map[string]*commitRuns     // by commit: its runs of the pipeline
	branches []branchInfo               // newest attempt first
	stats    *statistics
	rows     []flowRow          // newest first
	runFrame runFrame           // run pages' head and foot, made once
	files    []runFile          // the files that hold the run pages, oldest runs first
	tmpl     *template.Template // the templates, with this site's run links
	key      keyer              // page keys, one at a time, made on Build's goroutine
}

// commitRuns is what the flow shows of a commit's runs of the pipeline.
type commitRuns struct {
	latest   *pipeline.Record
	n        int
	onTarget bool
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
	m := &model{s: s, pipe: pipeline.IntegratePipeline}
	if s.Pipeline != nil {
		m.pipe = s.Pipeline.Name
	}
	m.runs = uniqueRuns(s.Runs)
	m.pos = make(map[*pipeline.Record]int32, len(m.runs))
	m.inPipe = make([]bool, len(m.runs))
	for i, r := range m.runs {
		m.pos[r] = int32(i)
		m.inPipe[i] = m.ofPipeline(r)
	}
	m.placeRuns()
	m.tmpl = mustClone(baseTemplates())
	m.tmpl.Funcs(template.FuncMap{"runHref": m.runHref, "runrow": m.runRowHTML, "flowrow": m.flowRowHTML})
	m.stages = m.stageDefs()
	m.layOutRuns()
	m.indexCommits()
	// The statistics and the flow's rows only read the model: built at once.
	stats := make(chan *statistics, 1)
	go func() { stats <- m.statistics() }()
	m.branches = m.branchList()
	m.rows = m.flowRows()
	m.stats = <-stats
	return m
}

// uniqueRuns is every run once, the first record of a run id given,
// sorted by run id.
func uniqueRuns(recs []*pipeline.Record) []*pipeline.Record {
	if slices.IsSortedFunc(recs, func(a, b *pipeline.Record) int { return strings.Compare(a.Run, b.Run) }) {
		return uniqueSorted(recs) // as the runner reads them
	}
	order := make([]int32, len(recs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Or(strings.Compare(recs[a].Run, recs[b].Run), cmp.Compare(a, b)) })
	sorted := make([]*pipeline.Record, len(recs))
	for k, i := range order {
		sorted[k] = recs[i]
	}
	return uniqueSorted(sorted)
}

// uniqueSorted is uniqueRuns of records sorted by run id.
func uniqueSorted(recs []*pipeline.Record) []*pipeline.Record {
	runs := make([]*pipeline.Record, 0, len(recs))
	for _, r := range recs {
		if len(runs) == 0 || runs[len(runs)-1].Run != r.Run {
			runs = append(runs, r)
		}
	}
	return runs
}

// ofPipeline reports whether r is a run of the pipeline the site shows.
func (m *model) ofPipeline(r *pipeline.Record) bool { return r.Pipeline == m.pipe }

// sameStepNames reports whether two runs have the same steps in the same
// order, as nearly every two runs of a pipeline do.
func sameStepNames(a, b []pipeline.StepResult) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Step != b[i].Step || a[i].Stage != b[i].Stage {
			return false
		}
	}
	return true
}

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
	var prev []pipeline.StepResult
	for i, r := range m.runs {
		if !m.inPipe[i] || (prev != nil && sameStepNames(prev, r.Steps)) {
			continue
		}
		prev = r.Steps
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

// branchList is every branch with its attempts, newest attempt first;
// the branches' runs share one slice, nearly every branch having one.
func (m *model) branchList() []branchInfo {
	idx := make(map[string]int32, len(m.runs))
	var bs []branchInfo
	var counts []int
	of := make([]int32, len(m.runs)) // by run: its branch, -1 for none
	for i := len(m.runs) - 1; i >= 0; i-- {
		r := m.runs[i]
		of[i] = -1
		if r.Branch == "" {
			continue
		}
		j, ok := idx[r.Branch]
		if !ok {
			j = int32(len(bs))
			idx[r.Branch] = j
			bs = append(bs, branchInfo{Name: r.Branch})
			counts = append(counts, 0)
		}
		of[i] = j
		counts[j]++
	}
	all := make([]*pipeline.Record, len(m.runs))
	for j := range bs {
		bs[j].Runs, all = all[:0:counts[j]], all[counts[j]:]
	}
	for i := len(m.runs) - 1; i >= 0; i-- {
		if j := of[i]; j >= 0 {
			bs[j].Runs = append(bs[j].Runs, m.runs[i])
		}
	}
	return bs
}

// latest is the newest run of the site's pipeline on commit, nil if none,
// and how many runs of it the commit has.
func (m *model) latest(commit string) (*pipeline.Record, int) {
	if c := m.onCommit[commit]; c != nil {
		return c.latest, c.n
	}
	return nil, 0
}
