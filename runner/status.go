package runner

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// Results reads the runs recorded on rev's commit, oldest first. Lines of the
// note that are not records are returned as warnings naming the commit.
func Results(repo *gitstore.Repo, rev string) (plumbing.Hash, []pipeline.Record, []string, error) {
	commit, note, err := repo.NoteOf(rev)
	if errors.Is(err, gitstore.ErrNoRef) {
		return commit, nil, nil, &ConfigError{Err: err, Hint: "name a commit, branch or tag that exists"}
	}
	if err != nil {
		return commit, nil, nil, err
	}
	recs, warnings := parseRecords(commit, note)
	return commit, recs, warnings, nil
}

// parseRecords parses commit's note into its runs, oldest first; lines that
// are not records become warnings naming the commit.
func parseRecords(commit plumbing.Hash, note []byte) ([]pipeline.Record, []string) {
	recs, errs := pipeline.ParseNote(note)
	var warnings []string
	for _, e := range errs {
		warnings = append(warnings, fmt.Sprintf("%s %s: %v (skipped)", gitstore.NotesRef, commit.String()[:10], e))
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Run < recs[j].Run })
	return recs, warnings
}

// Summary renders a run for the terminal: a headline, then one line per step
// with status and duration.
func Summary(rec *pipeline.Record) string {
	var b strings.Builder
	what := fmt.Sprintf("run of %.10s", rec.Commit)
	if rec.Kind == pipeline.KindIntegrate {
		what = fmt.Sprintf("integrate %s into %s", rec.Branch, rec.Into)
	}
	fmt.Fprintf(&b, "%s %s: %s (pipeline %s, run %s, %s, commit %.10s)\n",
		pipeline.Symbol(rec.Status), rec.Status, what, rec.Pipeline, rec.Run, ms(rec.DurationMS), rec.Commit)
	width := 0
	for _, s := range rec.Steps {
		width = max(width, len(s.Stage)+1+len(s.Step))
	}
	for _, s := range rec.Steps {
		line := fmt.Sprintf("  %s %-*s  %-9s %7s", pipeline.Symbol(s.Status), width, s.Stage+"/"+s.Step, s.Status, ms(s.DurationMS))
		if s.Message != "" && s.Status != pipeline.StatusPassed && s.Message != s.Status {
			line += "  " + s.Message
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	if len(rec.Conflicts) > 0 {
		fmt.Fprintf(&b, "  conflicts:\n    %s\n", strings.Join(rec.Conflicts, "\n    "))
	}
	if rec.Message != "" {
		fmt.Fprintf(&b, "  %s\n", rec.Message)
	}
	return b.String()
}

func ms(d int64) string {
	t := time.Duration(d) * time.Millisecond
	if t < time.Second {
		return t.String()
	}
	return t.Round(100 * time.Millisecond).String()
}
