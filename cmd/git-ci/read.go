package main

import (
	"encoding/json"
	"fmt"

	"github.com/git-ci/git-ci/runner"
)

type logCmd struct {
	Range    []string `arg:"" optional:"" help:"Revisions, as git log takes them (default: HEAD), e.g. main~20..main."`
	MaxCount int      `short:"n" default:"20" help:"Show at most this many commits."`
	JSON     bool     `name:"json" help:"Print the rows as JSON (docs/json.md)."`
}

func (c *logCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	if len(c.Range) == 0 {
		c.Range = []string{"HEAD"}
	}
	rows, warnings, err := runner.Board(repo, c.Range, c.MaxCount)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	if c.JSON {
		if rows == nil {
			rows = []runner.BoardRow{}
		}
		return writeJSON(e, rows)
	}
	fmt.Fprint(e.stdout, runner.FormatBoard(rows))
	return nil
}

type showCmd struct {
	ID   string `arg:"" name:"run" help:"The run id, or a unique prefix of it."`
	Step string `help:"Print only this step's log (STAGE/STEP, or STEP when unique)." placeholder:"NAME"`
	JSON bool   `name:"json" help:"Print the record and the logs as JSON (docs/json.md)."`
}

func (c *showCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	d, err := runner.ShowRun(repo, c.ID)
	if err != nil {
		return err
	}
	if c.Step != "" {
		l, err := d.StepLog(c.Step)
		if err != nil {
			return err
		}
		if c.JSON {
			return writeJSON(e, l)
		}
		fmt.Fprint(e.stdout, l.Log)
		return nil
	}
	if c.JSON {
		return writeJSON(e, d)
	}
	fmt.Fprint(e.stdout, runner.Summary(&d.Record))
	for _, l := range d.Logs {
		fmt.Fprintf(e.stdout, "\n── %s/%s ──\n%s", l.Stage, l.Step, l.Log)
	}
	return nil
}

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
