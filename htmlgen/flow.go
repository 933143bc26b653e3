package htmlgen

import (
	"fmt"
	"strconv"
	"time"

	"github.com/git-ci/git-ci/pipeline"
)

// flowPageRows is how many rows a flow page holds.
const flowPageRows = 100

// flowRow is a row of the commit flow: a commit of the target, or a
// candidate that did not land (a failed integration, say).
type flowRow struct {
	Commit    string
	Subject   string
	Author    string
	When      time.Time
	Candidate bool
	Run       *pipeline.Record // the newest run of the pipeline on it; nil: never tested
	Runs      int
	Cells     []cell // one per stage
}

// cell is a stage of a flow row.
type cell struct {
	Status string // "" when the stage did not run
	MS     int64
}

// flowRows merges the target's commits (as listed) with the runs on
// commits not on the target, newest first.
func (m *model) flowRows() []flowRow {
	var cands []*pipeline.Record // newest first
	for i := len(m.runs) - 1; i >= 0; i-- {
		if r := m.runs[i]; m.inPipe[i] && !m.onCommit[r.Commit].onTarget {
			cands = append(cands, r)
		}
	}
	rows := make([]flowRow, 0, len(m.s.Commits)+len(cands))
	ci := 0
	for _, c := range m.s.Commits {
		for ; ci < len(cands) && cands[ci].Started.After(c.Date); ci++ {
			rows = append(rows, m.candidateRow(cands[ci]))
		}
		run, n := m.latest(c.Hash)
		rows = append(rows, flowRow{Commit: c.Hash, Subject: c.Subject, Author: c.Author, When: c.Date, Run: run, Runs: n, Cells: m.cellsOf(run)})
	}
	for ; ci < len(cands); ci++ {
		rows = append(rows, m.candidateRow(cands[ci]))
	}
	return rows
}

func (m *model) candidateRow(r *pipeline.Record) flowRow {
	subject := "run on " + short(r.Commit)
	if r.Kind == pipeline.KindIntegrate {
		subject = "Integrate " + r.Branch + " into " + r.Into
	}
	return flowRow{Commit: r.Commit, Subject: subject, When: r.Started, Candidate: true, Run: r, Runs: 1, Cells: m.cellsOf(r)}
}

// flowPage is one page of the flow.
type flowPage struct {
	Page
	Stages       []stageDef
	Rows         []flowRow
	Newer, Older string // links; "" at either end
	From, To     int    // row numbers shown, counted from the newest = 1
	Total        int
}

// writeFlow writes flow.html (the newest rows) and the archive pages
// flow-N.html, which hold rows in fixed chunks counted from the oldest, so
// an archive page changes only when its own rows do.
func writeFlow(m *model, w *writer) error {
	total := len(m.rows)
	chunks := (total + flowPageRows - 1) / flowPageRows
	head := flowPage{Page: m.page("Commit flow", "flow", ""), Stages: m.stages, Rows: m.rows[:min(flowPageRows, total)], From: 1, To: min(flowPageRows, total), Total: total}
	if total > flowPageRows {
		head.Older = chunkName((total - flowPageRows - 1) / flowPageRows)
	}
	if err := w.page("flow.html", "", "flow", head); err != nil {
		return err
	}
	for k := 0; k < chunks; k++ {
		lo, hi := k*flowPageRows, min((k+1)*flowPageRows, total) // counted from the oldest
		p := flowPage{Page: m.page(fmt.Sprintf("Commit flow, page %d", k+1), "flow", ""), Stages: m.stages,
			Rows: m.rows[total-hi : total-lo], From: lo + 1, To: hi, Newer: "flow.html"}
		if k > 0 {
			p.Older = chunkName(k - 1)
		}
		if k+1 < chunks {
			p.Newer = chunkName(k + 1)
		}
		if err := w.page(chunkName(k), m.flowKey(p), "flow", p); err != nil {
			return err
		}
	}
	return nil
}

func chunkName(k int) string { return "flow-" + strconv.Itoa(k+1) + ".html" }

// flowKey digests everything a flow page shows.
func (m *model) flowKey(p flowPage) string {
	k := m.key.start(m.s.Name, m.s.Target)
	k.str(p.Newer)
	k.str(p.Older)
	k.str(p.Title)
	k.int(int64(p.From))
	k.int(int64(p.To))
	for _, d := range m.stages {
		k.str(d.Name)
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		k.str(r.Commit)
		k.str(r.Subject)
		k.str(r.Author)
		k.int(r.When.Unix())
		k.bool(r.Candidate)
		k.int(int64(r.Runs))
		if r.Run != nil {
			// a run id's record never changes; its link does when its bundle fills
			m.keyRun(k, r.Run)
		}
	}
	return k.sum()
}
