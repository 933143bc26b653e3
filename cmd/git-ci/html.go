package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/alecthomas/kong"
	"github.com/git-ci/git-ci/runner"
)

type htmlCmd struct {
	Out string `help:"The folder to write the site to (default: git config ci.html)." placeholder:"DIR" type:"path"`
}

func (c *htmlCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	dir := c.Out
	if dir == "" {
		if dir, err = runner.SiteDir(repo); err != nil {
			return err
		}
	}
	if dir == "" {
		return &runner.ConfigError{Err: errors.New("no folder for the site: give --out DIR, or set git config ci.html"),
			Hint: "git ci html --out site, or `git config ci.html PATH` (then integrate and run keep it up to date)"}
	}
	res, err := runner.PublishSite(repo, dir)
	if res != nil {
		printSite(e.stdout, e.stderr, res)
	}
	return err
}

func printSite(stdout, stderr io.Writer, res *runner.SiteResult) {
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(stdout, "site: %s (%d runs; %d files written, %d unchanged)\n", res.Dir, res.Runs, res.Written, res.Kept)
	fmt.Fprintf(stdout, "open: file://%s\n", filepath.Join(res.Dir, "index.html"))
}

// AfterRun refreshes the site after `git ci integrate`, whatever its outcome
// (kong calls it when Run returns), when git config ci.html names a folder.
func (c *integrateCmd) AfterRun(k *kong.Context) error {
	refreshSite(k.Stdout, k.Stderr)
	return nil
}

// AfterRun refreshes the site after `git ci run`, as integrate's does.
func (c *runCmd) AfterRun(k *kong.Context) error {
	refreshSite(k.Stdout, k.Stderr)
	return nil
}

// refreshSite rebuilds the site named by ci.html, if any. A failure is a
// warning: the run it follows is recorded, and its exit status stands.
func refreshSite(stdout, stderr io.Writer) {
	repo, err := openRepo()
	if err != nil {
		return
	}
	dir, err := runner.SiteDir(repo)
	if err != nil || dir == "" {
		return
	}
	res, err := runner.PublishSite(repo, dir)
	if err != nil {
		fmt.Fprintf(stderr, "git-ci: warning: html site not updated: %v\n", err)
		return
	}
	fmt.Fprintf(stdout, "site: %s updated (%d files written, %d unchanged)\n", res.Dir, res.Written, res.Kept)
}
