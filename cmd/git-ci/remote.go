package main

import (
	"fmt"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/runner"
)

type fetchCmd struct {
	Remote string `arg:"" optional:"" help:"The remote (default: the target branch's upstream remote, else origin)."`
}

func (c *fetchCmd) Run(e *env) error {
	repo, remote, err := openRemote(c.Remote)
	if err != nil {
		return err
	}
	res, err := runner.FetchResults(e.ctx, repo, remote)
	if err != nil {
		return err
	}
	if res.NoNotes {
		fmt.Fprintf(e.stdout, "%s has no %s yet: no results to merge (run refs fetched)\n", remote, gitstore.NotesRef)
		return nil
	}
	fmt.Fprintf(e.stdout, "fetched %s: %s into %s; %s: %s\n", remote, gitstore.NotesRef, gitstore.RemoteNotesRef(remote), gitstore.NotesRef, res.Merge)
	return nil
}

type pushCmd struct {
	Remote string `arg:"" optional:"" help:"The remote (default: the target branch's upstream remote, else origin)."`
}

func (c *pushCmd) Run(e *env) error {
	repo, remote, err := openRemote(c.Remote)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) { fmt.Fprintf(e.stdout, format, args...) }
	res, err := runner.PushResults(e.ctx, repo, remote, logf)
	if err != nil {
		return err
	}
	pushed := 0
	for _, s := range res.Refs {
		if s.Flag != '=' {
			pushed++
			fmt.Fprintf(e.stdout, "  %s %s\n", s.Ref, s.Summary)
		}
	}
	if pushed == 0 {
		fmt.Fprintf(e.stdout, "%s is up to date: nothing to push\n", remote)
		return nil
	}
	fmt.Fprintf(e.stdout, "pushed %d ref(s) to %s\n", pushed, remote)
	return nil
}

func openRemote(name string) (*gitstore.Repo, string, error) {
	repo, err := openRepo()
	if err != nil || name != "" {
		return repo, name, err
	}
	name, err = runner.DefaultRemote(repo)
	return repo, name, err
}
