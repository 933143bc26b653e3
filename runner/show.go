package runner

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// StepLog is one step's log from a run ref.
type StepLog struct {
	Stage string `json:"stage"`
	Step  string `json:"step"`
	Log   string `json:"log"`
}

// RunDetail is a run as its run ref holds it: the complete record and the
// logs, in the record's step order.
type RunDetail struct {
	Record pipeline.Record `json:"record"`
	Logs   []StepLog       `json:"logs"`
}

// ShowRun reads run id (or a unique prefix of it) from refs/ci/runs/.
func ShowRun(repo *gitstore.Repo, id string) (*RunDetail, error) {
	full, commit, err := repo.FindRun(id)
	if err != nil {
		return nil, &ConfigError{Err: err, Hint: "list runs with `git for-each-ref refs/ci/runs/`, or see `git ci status REV`"}
	}
	files, err := repo.RunFiles(commit)
	if err != nil {
		return nil, err
	}
	d := &RunDetail{}
	if err := json.Unmarshal(files["run.json"], &d.Record); err != nil {
		return nil, fmt.Errorf("%s%s: run.json: %w", gitstore.RunsPrefix, full, err)
	}
	for _, s := range d.Record.Steps {
		if log, ok := files["logs/"+s.Stage+"/"+s.Step+".log"]; ok {
			d.Logs = append(d.Logs, StepLog{Stage: s.Stage, Step: s.Step, Log: string(log)})
		}
	}
	return d, nil
}

// StepLog returns the log of the step named "stage/step", or "step" when
// that is unique in the run.
func (d *RunDetail) StepLog(name string) (*StepLog, error) {
	var found []*StepLog
	for i, l := range d.Logs {
		if name == l.Stage+"/"+l.Step || name == l.Step {
			found = append(found, &d.Logs[i])
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	var names []string
	for _, l := range d.Logs {
		names = append(names, l.Stage+"/"+l.Step)
	}
	what := "no"
	if len(found) > 1 {
		what = "more than one"
	}
	return nil, &ConfigError{Err: fmt.Errorf("run %s has %s step %q with a log", d.Record.Run, what, name),
		Hint: "name one of: " + strings.Join(names, ", ")}
}

// BoardRow is one commit of `git ci log`: its runs, oldest first.
type BoardRow struct {
	Commit  string            `json:"commit"`
	Subject string            `json:"subject"`
	Runs    []pipeline.Record `json:"runs"`
}

// Board reads the runs of the commits in a rev-list range, newest first.
func Board(repo *gitstore.Repo, rangeArgs []string, max int) ([]BoardRow, []string, error) {
	commits, err := repo.RevList(rangeArgs, max)
	if err != nil {
		return nil, nil, &ConfigError{Err: err, Hint: "give a revision range git understands, such as main or main~20..main"}
	}
	notes, err := repo.Notes(commits)
	if err != nil {
		return nil, nil, err
	}
	var rows []BoardRow
	var warnings []string
	for i, h := range commits {
		recs, warn := parseRecords(h, notes[i])
		warnings = append(warnings, warn...)
		rows = append(rows, BoardRow{Commit: h.String(), Subject: subject(repo, h), Runs: recs})
	}
	return rows, warnings, nil
}

func subject(repo *gitstore.Repo, h plumbing.Hash) string {
	c, err := repo.Commit(h)
	if err != nil {
		return ""
	}
	s, _, _ := strings.Cut(c.Message, "\n")
	return s
}

// FormatBoard renders rows as a compact board: one line per commit, one
// column per stage with the latest run's mark, then that run's status.
func FormatBoard(rows []BoardRow) string {
	stages := boardStages(rows)
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s", "commit")
	for _, s := range stages {
		fmt.Fprintf(&b, " %s", s)
	}
	b.WriteString("  status     subject\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%.10s", r.Commit)
		var last *pipeline.Record
		if len(r.Runs) > 0 {
			last = &r.Runs[len(r.Runs)-1]
		}
		for _, s := range stages {
			fmt.Fprintf(&b, " %-*s", len(s), stageMark(last, s))
		}
		status := "·"
		if last != nil {
			status = last.Status
			if len(r.Runs) > 1 {
				status += fmt.Sprintf(" (%d)", len(r.Runs))
			}
		}
		fmt.Fprintf(&b, "  %-10s %s\n", status, r.Subject)
	}
	return b.String()
}

// boardStages are the stage names of the shown runs, in first-seen order.
func boardStages(rows []BoardRow) []string {
	var stages []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, rec := range r.Runs {
			for _, s := range rec.Steps {
				if !seen[s.Stage] {
					seen[s.Stage] = true
					stages = append(stages, s.Stage)
				}
			}
		}
	}
	return stages
}

// stageMark is the symbol of a stage in a run: failed if any step failed,
// else the first step's status that is not passed, else passed.
func stageMark(rec *pipeline.Record, stage string) string {
	if rec == nil {
		return "·"
	}
	status := ""
	for _, s := range rec.Steps {
		if s.Stage != stage {
			continue
		}
		if status == "" || status == pipeline.StatusPassed || s.Status == pipeline.StatusFailed {
			status = s.Status
		}
	}
	if status == "" {
		return "·"
	}
	return pipeline.Symbol(status)
}
