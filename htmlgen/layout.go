package htmlgen

import "github.com/git-ci/git-ci/pipeline"

// stepSlot is where a step of a run counts: its step's index among all
// steps of the stages (statistics.Steps) and its stage's index.
type stepSlot struct{ step, stage int }

// layOutRuns finds, for every run of the pipeline, where each step
// counts and each stage's cell (status and time). Runs with the step
// names of the run before share its slots.
func (m *model) layOutRuns() {
	index := map[[2]string]stepSlot{}
	k := 0
	for j, d := range m.stages {
		for _, sp := range d.Steps {
			index[[2]string{d.Name, sp.Name}] = stepSlot{step: k, stage: j}
			k++
		}
	}
	nst := len(m.stages)
	m.noCells = make([]cell, nst)
	m.cells = make([]cell, len(m.runs)*nst)
	m.slots = make([][]stepSlot, len(m.runs))
	var prev []pipeline.StepResult
	var slots []stepSlot
	for i, r := range m.runs {
		if !m.inPipe[i] {
			continue
		}
		if prev == nil || !sameStepNames(prev, r.Steps) {
			prev, slots = r.Steps, make([]stepSlot, len(r.Steps))
			for k, sr := range r.Steps {
				slots[k] = index[[2]string{sr.Stage, sr.Step}]
			}
		}
		m.slots[i] = slots
		stageCells(m.cells[i*nst:(i+1)*nst], r.Steps, slots)
	}
}

// stageCells sets each stage's cell from its steps: failed if any step
// failed, else the first status that is not passed, else passed; the time
// of its slowest step, since steps run in parallel. A stage the run lacks
// has status "".
func stageCells(cells []cell, steps []pipeline.StepResult, slots []stepSlot) {
	for k, s := range steps {
		c := &cells[slots[k].stage]
		if c.Status == "" || c.Status == pipeline.StatusPassed || s.Status == pipeline.StatusFailed {
			c.Status = s.Status
		}
		c.MS = max(c.MS, s.DurationMS)
	}
}

// cellsOf is the stages of run r, or of no run when r is nil or not one
// of the model's runs of the pipeline.
func (m *model) cellsOf(r *pipeline.Record) []cell {
	i, ok := m.pos[r]
	if !ok || !m.inPipe[i] {
		return m.noCells
	}
	return m.cellsAt(int(i))
}

// cellsAt is the stages of run m.runs[i], of the pipeline.
func (m *model) cellsAt(i int) []cell {
	return m.cells[i*len(m.stages) : (i+1)*len(m.stages)]
}

// indexCommits finds each commit's newest run of the pipeline and how
// many it has, and marks the target's commits.
func (m *model) indexCommits() {
	byCommit := make([]commitRuns, 0, len(m.runs)) // never grown: pointers into it stay valid
	m.onCommit = make(map[string]*commitRuns, len(m.runs))
	for i, r := range m.runs {
		if !m.inPipe[i] {
			continue
		}
		c := m.onCommit[r.Commit]
		if c == nil {
			byCommit = append(byCommit, commitRuns{})
			c = &byCommit[len(byCommit)-1]
			m.onCommit[r.Commit] = c
		}
		c.latest = r
		c.n++
	}
	for _, c := range m.s.Commits {
		if on := m.onCommit[c.Hash]; on != nil {
			on.onTarget = true
		}
	}
}
