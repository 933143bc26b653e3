package main

import (
	"fmt"

	"github.com/git-ci/git-ci/pipeline"
	"github.com/git-ci/git-ci/runner"
)

type initCmd struct {
	Config string `help:"Where to create the config repo (default: beside the project, named PROJECT-ci)." placeholder:"DIR" type:"path"`
}

func (c *initCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	res, err := runner.Init(repo, c.Config)
	if err != nil {
		return err
	}
	if res.Created {
		fmt.Fprintf(e.stdout, "created config repo %s\npipeline: %s, from %s\n", res.Dir, runner.DefaultPipeline, res.Detected)
	} else {
		fmt.Fprintf(e.stdout, "kept the existing config repo %s\n", res.Dir)
	}
	fmt.Fprintf(e.stdout, "recorded in git config: ci.config=%s\n", res.Dir)
	for _, kv := range res.Remotes {
		fmt.Fprintf(e.stdout, "configured so results travel with fetch and show in git log: %s\n", kv)
	}
	fmt.Fprintf(e.stdout, "to change the pipeline: edit %s/%s and commit it (only committed config counts)\n", res.Dir, runner.ConfigFile)
	fmt.Fprintf(e.stdout, "to use another config repo: git config ci.config PATH\n")
	return nil
}

type integrateCmd struct {
	Branch   string `arg:"" help:"The branch to integrate."`
	Into     string `help:"The target branch (default: git config ci.into, else main or master)." placeholder:"BRANCH"`
	Pipeline string `help:"The pipeline to run (default: integrate)." placeholder:"NAME"`
	Remote   string `help:"Integrate against this remote: fetch, merge onto its target, test, push (default: the target's upstream, if any)." placeholder:"NAME"`
}

func (c *integrateCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	o := runner.IntegrateOptions{Options: runner.Options{Repo: repo, Pipeline: c.Pipeline, Out: e.stdout, Term: e.term},
		Branch: c.Branch, Into: c.Into, Remote: c.Remote}
	out, runErr := runner.Integrate(e.ctx, o)
	if out == nil {
		return runErr
	}
	for _, rec := range out.Runs {
		fmt.Fprint(e.stdout, runner.Summary(rec))
	}
	target := shortRef(out.Target)
	switch {
	case out.NothingToDo:
		fmt.Fprintf(e.stdout, "nothing to do: %s is already in %s\n", c.Branch, target)
	case out.Promoted:
		last := out.Runs[len(out.Runs)-1]
		fmt.Fprintf(e.stdout, "%s: fast-forwarded to %.10s (was %.10s)\n", target, last.Commit, last.Base)
	case len(out.Runs) > 0:
		fmt.Fprintf(e.stdout, "%s: unchanged at %.10s\n", target, out.Runs[len(out.Runs)-1].Base)
	}
	if runErr != nil {
		return runErr
	}
	if !out.Promoted && !out.NothingToDo {
		return exitCode(exitFailed)
	}
	return nil
}

type runCmd struct {
	Rev      string `arg:"" optional:"" default:"HEAD" help:"The commit to test (default: HEAD)."`
	Pipeline string `help:"The pipeline to run (default: integrate)." placeholder:"NAME"`
	Force    bool   `help:"Run even when this tree already passed with this config."`
}

func (c *runCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	rec, cached, err := runner.Run(e.ctx, runner.Options{Repo: repo, Pipeline: c.Pipeline, Out: e.stdout, Term: e.term}, c.Rev, c.Force)
	if cached {
		fmt.Fprintf(e.stdout, "already passed: tree %.10s with config %.10s, in run %s on commit %.10s; nothing to run\nhint: git ci run --force runs it anyway\n",
			rec.Tree, rec.Config, rec.Run, rec.Commit)
		return nil
	}
	if rec != nil {
		fmt.Fprint(e.stdout, runner.Summary(rec))
	}
	if err != nil {
		return err
	}
	if rec.Status != pipeline.StatusPassed {
		return exitCode(exitFailed)
	}
	return nil
}

type statusCmd struct {
	Rev  string `arg:"" optional:"" default:"HEAD" help:"The commit whose runs to show (default: HEAD)."`
	JSON bool   `name:"json" help:"Print the records as a JSON array (docs/notes.md)."`
}

func (c *statusCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	commit, recs, warnings, err := runner.Results(repo, c.Rev)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	if c.JSON {
		if recs == nil {
			recs = []pipeline.Record{}
		}
		return writeJSON(e, recs)
	}
	if len(recs) == 0 {
		fmt.Fprintf(e.stdout, "%.10s: no runs recorded\n", commit)
		return nil
	}
	for i := range recs {
		fmt.Fprint(e.stdout, runner.Summary(&recs[i]))
	}
	return nil
}

func shortRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/remotes/"} {
		if len(ref) > len(p) && ref[:len(p)] == p {
			return ref[len(p):]
		}
	}
	return ref
}
