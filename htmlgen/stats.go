package htmlgen

import (
	"slices"
	"sort"

	"github.com/git-ci/git-ci/pipeline"
)

// trendLen is how many of the latest runs a trend chart shows.
const trendLen = 40

// statistics is what the statistics and pipeline pages show.
type statistics struct {
	Stages []*stat          // in pipeline order
	Steps  []*stat          // in pipeline order
	step   map[string]*stat // by "stage/step"
	Runs   int              // runs of the pipeline
	Passed int
	trees  map[string]int // the runs' trees, numbered
}

// stat is one stage's or step's record over every run of the pipeline.
type stat struct {
	Stage, Step string // Step is "" for a stage
	Configured  bool
	Runs        int     // times it ran (passed, failed or error)
	Failures    int     // failed or error
	Rate        float64 // Failures / Runs
	Median, P90 int64   // durations in ms of the times it ran
	Flaky       bool    // passed and failed on the same tree
	Latest      string  // status in the newest run that has it
	LatestRun   *pipeline.Record
	Trend       []point // the last trendLen times it ran, oldest first
	durations   []int64
	trees       []uint8 // by tree number (statistics.trees): 1 passed | 2 failed
}

// point is one run in a trend chart.
type point struct {
	MS     int64
	Status string
}

func (m *model) statistics() *statistics {
	st := &statistics{step: map[string]*stat{}}
	stage := map[string]*stat{}
	for _, d := range m.stages {
		s := &stat{Stage: d.Name}
		stage[d.Name] = s
		st.Stages = append(st.Stages, s)
		for _, sp := range d.Steps {
			x := &stat{Stage: d.Name, Step: sp.Name, Configured: sp.Configured}
			st.step[d.Name+"/"+sp.Name] = x
			st.Steps = append(st.Steps, x)
		}
	}
	st.trees = map[string]int{}
	for _, r := range m.runs {
		if _, ok := st.trees[r.Tree]; !ok && r.Tree != "" && m.ofPipeline(r) {
			st.trees[r.Tree] = len(st.trees)
		}
	}
	for _, r := range m.runs {
		if !m.ofPipeline(r) {
			continue
		}
		tree, ok := st.trees[r.Tree]
		if !ok {
			tree = -1
		}
		st.Runs++
		if r.Status == pipeline.StatusPassed {
			st.Passed++
		}
		for _, sr := range r.Steps {
			if x := st.step[sr.Stage+"/"+sr.Step]; x != nil {
				x.add(r, tree, len(st.trees), sr.Status, sr.DurationMS)
			}
		}
		for _, d := range m.stages {
			if status, ms := stageOf(r, d.Name); status != "" {
				stage[d.Name].add(r, tree, len(st.trees), status, ms)
			}
		}
	}
	for _, x := range append(slices.Clone(st.Stages), st.Steps...) {
		x.finish()
	}
	return st
}

// add counts a run r that has the stage or step, r's tree being number
// tree of ntrees (-1: none).
func (x *stat) add(r *pipeline.Record, tree, ntrees int, status string, ms int64) {
	x.Latest, x.LatestRun = status, r
	ran := status == pipeline.StatusPassed || status == pipeline.StatusFailed || status == pipeline.StatusError
	if !ran {
		return
	}
	x.Runs++
	x.durations = append(x.durations, ms)
	x.Trend = append(x.Trend, point{MS: ms, Status: status})
	if len(x.Trend) > 2*trendLen {
		x.Trend = append(x.Trend[:0], x.Trend[len(x.Trend)-trendLen:]...)
	}
	bit := uint8(1)
	if status != pipeline.StatusPassed {
		x.Failures++
		bit = 2
	}
	if tree >= 0 {
		if x.trees == nil {
			x.trees = make([]uint8, ntrees)
		}
		x.trees[tree] |= bit
		x.Flaky = x.Flaky || x.trees[tree] == 3
	}
}

func (x *stat) finish() {
	if len(x.Trend) > trendLen {
		x.Trend = x.Trend[len(x.Trend)-trendLen:]
	}
	if x.Runs > 0 {
		x.Rate = float64(x.Failures) / float64(x.Runs)
	}
	d := x.durations
	slices.Sort(d)
	if n := len(d); n > 0 {
		x.Median = d[(n-1)/2]
		x.P90 = d[(n*9+9)/10-1]
	}
	x.durations, x.trees = nil, nil
}

// ranked returns the steps that ran, most often failing first, then
// slowest (p90) first.
func (st *statistics) ranked() []*stat {
	var out []*stat
	for _, x := range st.Steps {
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Rate != b.Rate {
			return a.Rate > b.Rate
		}
		return a.P90 > b.P90
	})
	return out
}

// slowest returns up to n steps that ran, slowest median first.
func (st *statistics) slowest(n int) []*stat {
	var out []*stat
	for _, x := range st.Steps {
		if x.Runs > 0 {
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Median > out[j].Median })
	return out[:min(n, len(out))]
}

// bar is one run of a trend chart, in SVG user units.
type bar struct {
	X, Y, W, H float64
	Status     string
	MS         int64
}

// bars lays out a trend as bars in a 120x28 box, heights relative to the
// slowest shown run.
func bars(ps []point) []bar {
	var top int64 = 1
	for _, p := range ps {
		top = max(top, p.MS)
	}
	const w, h = 120.0, 28.0
	bw := w / float64(max(len(ps), 12))
	var out []bar
	for i, p := range ps {
		bh := max(2, h*float64(p.MS)/float64(top))
		out = append(out, bar{X: float64(i) * bw, Y: h - bh, W: bw * 0.8, H: bh, Status: p.Status, MS: p.MS})
	}
	return out
}
