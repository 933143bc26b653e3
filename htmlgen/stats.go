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
	Stages []*stat // in pipeline order
	Steps  []*stat // in pipeline order
	Runs   int     // runs of the pipeline
	Passed int
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
	trees       []uint8 // by tree number (treeNumbers): 1 passed | 2 failed
}

// point is one run in a trend chart.
type point struct {
	MS     int64
	Status string
}

func (m *model) statistics() *statistics {
	st := &statistics{}
	for i := range m.runs {
		if m.inPipe[i] {
			st.Runs++
		}
	}
	newStat := func(stage, step string, configured bool) *stat {
		return &stat{Stage: stage, Step: step, Configured: configured,
			durations: make([]int64, 0, st.Runs), Trend: make([]point, 0, 2*trendLen+1)}
	}
	for _, d := range m.stages {
		st.Stages = append(st.Stages, newStat(d.Name, "", false))
		for _, sp := range d.Steps {
			st.Steps = append(st.Steps, newStat(d.Name, sp.Name, sp.Configured))
		}
	}
	trees, ntrees := m.treeNumbers()
	for i, r := range m.runs {
		if !m.inPipe[i] {
			continue
		}
		tree := int(trees[i])
		if r.Status == pipeline.StatusPassed {
			st.Passed++
		}
		for k, slot := range m.slots[i] {
			st.Steps[slot.step].add(tree, ntrees, r.Steps[k].Status, r.Steps[k].DurationMS)
		}
		for j, c := range m.cellsAt(i) {
			if c.Status != "" {
				st.Stages[j].add(tree, ntrees, c.Status, c.MS)
			}
		}
	}
	m.setLatest(st)
	for _, x := range append(slices.Clone(st.Stages), st.Steps...) {
		x.finish()
	}
	return st
}

// setLatest sets each stage's and step's latest status and run: of the
// newest run that has it, found from the newest run back.
func (m *model) setLatest(st *statistics) {
	left := len(st.Stages) + len(st.Steps)
	for i := len(m.runs) - 1; i >= 0 && left > 0; i-- {
		if !m.inPipe[i] {
			continue
		}
		r := m.runs[i]
		for k, slot := range m.slots[i] {
			if x := st.Steps[slot.step]; x.LatestRun == nil {
				x.Latest, x.LatestRun = r.Steps[k].Status, r
				left--
			}
		}
		for j, c := range m.cellsAt(i) {
			if x := st.Stages[j]; c.Status != "" && x.LatestRun == nil {
				x.Latest, x.LatestRun = c.Status, r
				left--
			}
		}
	}
}

// treeNumbers numbers the trees the runs of the pipeline tested, in the
// order first tested: by run, its tree's number, -1 for none.
func (m *model) treeNumbers() ([]int32, int) {
	numbers := make([]int32, len(m.runs))
	seen := make(map[string]int32, len(m.runs))
	for i, r := range m.runs {
		numbers[i] = -1
		if r.Tree == "" || !m.inPipe[i] {
			continue
		}
		n, ok := seen[r.Tree]
		if !ok {
			n = int32(len(seen))
			seen[r.Tree] = n
		}
		numbers[i] = n
	}
	return numbers, len(seen)
}

// add counts a run that has the stage or step, with status and time ms,
// its tree being number tree of ntrees (-1: none).
func (x *stat) add(tree, ntrees int, status string, ms int64) {
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
	if n := len(x.durations); n > 0 {
		x.Median = nth(x.durations, (n-1)/2)
		x.P90 = nth(x.durations, (n*9+9)/10-1)
	}
	x.durations, x.trees = nil, nil
}

// nth is the k-th smallest of d (from 0), which it reorders: a
// quickselect, linear where sorting would be n log n.
func nth(d []int64, k int) int64 {
	lo, hi := 0, len(d)-1
	for lo < hi {
		p := d[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for d[i] < p {
				i++
			}
			for d[j] > p {
				j--
			}
			if i <= j {
				d[i], d[j] = d[j], d[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return d[k]
		}
	}
	return d[k]
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
