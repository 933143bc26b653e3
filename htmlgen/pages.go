package htmlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/git-ci/git-ci/pipeline"
)

// recentRuns is how many of the latest runs the pipeline page lists.
const recentRuns = 12

type pipelinePage struct {
	Page
	Pipeline   string
	Stages     []stageCard
	Configured bool
	Head       *flowRow // the target's newest commit
	Recent     []*pipeline.Record
	Runs       int
	PassRate   float64
}

type stageCard struct {
	Def   stageDef
	Stat  *stat
	Steps []stepCard
}

type stepCard struct {
	Def  stepDef
	Stat *stat
}

func writePipeline(m *model, w *writer) error {
	p := pipelinePage{Page: m.page("Pipeline", "pipeline", ""), Pipeline: m.pipe, Configured: m.s.Pipeline != nil, Runs: m.stats.Runs}
	if m.stats.Runs > 0 {
		p.PassRate = float64(m.stats.Passed) / float64(m.stats.Runs)
	}
	k := 0
	for i, d := range m.stages {
		c := stageCard{Def: d, Stat: m.stats.Stages[i]}
		for _, sp := range d.Steps {
			c.Steps = append(c.Steps, stepCard{Def: sp, Stat: m.stats.Steps[k]})
			k++
		}
		p.Stages = append(p.Stages, c)
	}
	for _, r := range m.rows {
		if !r.Candidate {
			p.Head = &r
			break
		}
	}
	for i := len(m.runs) - 1; i >= 0 && len(p.Recent) < recentRuns; i-- {
		p.Recent = append(p.Recent, m.runs[i])
	}
	return w.page("index.html", "", "pipeline", p)
}

type statsPage struct {
	Page
	Stages  []*stat
	Steps   []*stat
	Slowest []*stat
	Runs    int
}

func writeStats(m *model, w *writer) error {
	p := statsPage{Page: m.page("Statistics", "stats", ""), Stages: m.stats.Stages, Steps: m.stats.ranked(),
		Slowest: m.stats.slowest(5), Runs: m.stats.Runs}
	return w.page("stats.html", "", "stats", p)
}

// branchesListed is how many branches, latest attempt first, the
// branches page lists; every run page links to its branch.
const branchesListed = 300

type branchesPage struct {
	Page
	Branches []branchInfo
	More     int // branches not listed
}

// branchPage holds the branches whose names hash alike; the one a link
// names (its #anchor) is shown alone.
type branchPage struct {
	Page
	Branches []branchInfo
}

func writeBranches(m *model, w *writer) error {
	listed := m.branches[:min(len(m.branches), branchesListed)]
	bp := branchesPage{Page: m.page("Branches", "branches", ""), Branches: listed, More: len(m.branches) - len(listed)}
	if err := w.page("branches.html", "", "branches", bp); err != nil {
		return err
	}
	var paths []string
	buckets := map[string][]branchInfo{}
	for _, b := range m.branches {
		p := branchPath(b.Name)
		if buckets[p] == nil {
			paths = append(paths, p)
		}
		buckets[p] = append(buckets[p], b)
	}
	for _, p := range paths {
		k := m.key.start(m.s.Name, m.s.Target)
		for _, b := range buckets[p] {
			k.str(b.Name)
			for _, r := range b.Runs {
				m.keyRun(k, r)
			}
		}
		page := branchPage{Page: m.page("Branches", "branches", "../"), Branches: buckets[p]}
		if len(buckets[p]) == 1 {
			page.Title = "Branch " + buckets[p][0].Name
		}
		if err := w.page(p, k.sum(), "branch", page); err != nil {
			return err
		}
	}
	return nil
}

type runPage struct {
	Page
	R             *pipeline.Record
	Steps         []runStep
	Diff          []diffFile
	DiffTruncated bool
	HasDetails    bool
}

type runStep struct {
	pipeline.StepResult
	ID   string // anchor of its log
	Cls  string // its status's CSS class
	Exit string // the exit code, "–" when it never ran
	Dur  string // the duration, "–" when it did not run
	Open bool   // its log starts unfolded
	Log  *logView
	Raw  string // the raw log file, when the page shows only its end
}

// newRunStep is step i of run; its log's anchor is unique in a run file.
func newRunStep(run string, s pipeline.StepResult, i int) runStep {
	st := runStep{StepResult: s, ID: runAnchor(run) + "-step-" + strconv.Itoa(i), Cls: statusClass(s.Status), Exit: "–", Dur: "–",
		Open: s.Status != pipeline.StatusPassed}
	if s.Exit >= 0 {
		st.Exit = fmt.Sprint(s.Exit)
	}
	if s.Status == pipeline.StatusPassed || s.Status == pipeline.StatusFailed || s.Status == pipeline.StatusError {
		st.Dur = duration(s.DurationMS)
	}
	return st
}

func runPageOf(m *model, w *writer, r *pipeline.Record, d *RunDetail) (*runPage, error) {
	title := fmt.Sprintf("Run %s", r.Run)
	if r.Kind == pipeline.KindIntegrate {
		title = fmt.Sprintf("Integrate %s into %s", r.Branch, r.Into)
	}
	page := runPage{Page: m.page(title, "", "../"), R: r, HasDetails: d != nil}
	for i, s := range r.Steps {
		st := newRunStep(r.Run, s, i)
		if d != nil {
			if log, ok := d.Logs[s.Stage+"/"+s.Step]; ok {
				v := renderLog(log)
				st.Log = &v
				if v.Cut > 0 {
					raw := rawPath(r.Run, i)
					st.Raw = strings.TrimPrefix(raw, "runs/")
					if err := w.putImmutable(raw, log); err != nil {
						return nil, err
					}
				}
			}
		}
		page.Steps = append(page.Steps, st)
	}
	if d != nil && len(d.Diff) > 0 {
		page.Diff, page.DiffTruncated = parseDiff(d.Diff), d.DiffTruncated
	}
	return &page, nil
}
