package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// RecordVersion is the value of the "v" field this version of git-ci writes.
const RecordVersion = 1

// Run statuses. A record's status is one of these; so is each step's, plus
// StatusSkipped for steps of stages that did not run.
const (
	StatusPassed    = "passed"
	StatusFailed    = "failed"
	StatusError     = "error"
	StatusCancelled = "cancelled"
	StatusSkipped   = "skipped"
)

// Run kinds.
const (
	KindIntegrate = "integrate"
	KindRun       = "run"
)

// Record is one run's result: a line of the refs/notes/ci note on the tested
// commit and, complete, the run.json of the run ref. Its JSON form is the
// contract documented in docs/notes.md.
type Record struct {
	V          int          `json:"v"`
	Run        string       `json:"run"`
	Pipeline   string       `json:"pipeline"`
	Kind       string       `json:"kind"`
	Status     string       `json:"status"`
	Commit     string       `json:"commit"`
	Tree       string       `json:"tree"`
	Config     string       `json:"config"`
	Started    time.Time    `json:"started"`
	DurationMS int64        `json:"duration_ms"`
	Steps      []StepResult `json:"steps"`
	Ref        string       `json:"ref"`
	Branch     string       `json:"branch,omitempty"`
	Into       string       `json:"into,omitempty"`
	Promoted   bool         `json:"promoted"`
	Base       string       `json:"base,omitempty"`      // the target's commit the candidate was merged onto
	Message    string       `json:"message,omitempty"`   // why a run failed, errored or was not promoted
	Conflicts  []string     `json:"conflicts,omitempty"` // paths a merge could not resolve
	Remote     string       `json:"remote,omitempty"`    // integrate against a remote: its name; promoted means its target moved
}

// StepResult is one step's outcome inside a Record.
type StepResult struct {
	Stage      string `json:"stage"`
	Step       string `json:"step"`
	Status     string `json:"status"`
	Exit       int    `json:"exit"`
	DurationMS int64  `json:"duration_ms"`
	Signal     string `json:"signal,omitempty"`
	Message    string `json:"message,omitempty"`
}

// NoteLine renders r as one self-contained JSON line without the trailing
// newline, the unit that notes merge by union.
func (r Record) NoteLine() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // Record has only marshalable fields
	}
	return b
}

// LineError is a note line that is not a valid record.
type LineError struct {
	Line int // 1-based line number inside the note
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("note line %d: %v", e.Line, e.Err) }

// ParseNote parses a refs/notes/ci note: one record per non-empty line. Lines
// that are not records are returned as *LineError values beside the records
// that parsed, so one bad line written by hand never hides the others.
func ParseNote(note []byte) ([]Record, []error) {
	var recs []Record
	var errs []error
	for i, line := range bytes.Split(note, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			errs = append(errs, &LineError{Line: i + 1, Err: err})
			continue
		}
		if r.Run == "" || r.Status == "" {
			errs = append(errs, &LineError{Line: i + 1, Err: fmt.Errorf("not a git-ci record (no run or status)")})
			continue
		}
		recs = append(recs, r)
	}
	return recs, errs
}
