// Command git-ci is the git ci command line: parse, call runner, print, exit.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/runner"
)

// Exit codes, as documented in the README.
const (
	exitOK     = 0
	exitFailed = 1 // tests failed, merge conflict, target kept moving, cancelled
	exitError  = 2 // usage, configuration or repository error
)

// cli is the git ci command line.
type cli struct {
	Version   kong.VersionFlag `help:"Print the version and exit."`
	Init      initCmd          `cmd:"" help:"Create the config repo with a pipeline detected from this project."`
	Integrate integrateCmd     `cmd:"" help:"Merge a branch into main, test the merge, fast-forward main to it if every step passed."`
	Run       runCmd           `cmd:"" help:"Run a pipeline on a commit without promoting it."`
	Status    statusCmd        `cmd:"" help:"Show the runs recorded on a commit."`
	Fetch     fetchCmd         `cmd:"" help:"Fetch a remote's CI results and merge its notes into refs/notes/ci."`
	Push      pushCmd          `cmd:"" help:"Push refs/notes/ci and the run refs to a remote, merging first when it moved."`
	MergeTree mergeTreeCmd     `cmd:"" name:"merge-tree" help:"Merge two commits without touching the work tree, as git merge-tree --write-tree does."`
	Log       logCmd           `cmd:"" help:"Show commits with one status mark per pipeline stage."`
	Show      showCmd          `cmd:"" help:"Show a run: its record, then each step's log."`
	HTML      htmlCmd          `cmd:"" name:"html" help:"Write the static HTML site: pipeline, commit flow, statistics, runs, branches."`
}

// env is what every command gets: where to print, and the signal context.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	term   bool
}

// exitCode is an error that carries the process's exit status without a
// message of its own: the command already printed what happened.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var c cli
	parser, err := kong.New(&c, kong.Name("git ci"),
		kong.Description("git-ci: merge, test and promote, with every result stored in git."),
		kong.Vars{"version": "git-ci " + version()}, kong.UsageOnError())
	if err != nil {
		panic(err) // the cli struct itself is wrong
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "git-ci: error: %v\nhint: %s\n", err, usageHint(err))
		return exitError
	}
	if err := checkGit(kctx.Command()); err != nil {
		return report(err, "install a newer git (Debian: apt-get install git)")
	}
	e := &env{ctx: ctx, stdout: os.Stdout, stderr: os.Stderr, term: isTerminal(os.Stdout)}
	return report(kctx.Run(e), "")
}

// report prints err with its hint and maps it to an exit code.
func report(err error, hint string) int {
	var code exitCode
	if err == nil || errors.As(err, &code) {
		return int(code)
	}
	fmt.Fprintf(os.Stderr, "git-ci: error: %v\n", err)
	if errors.Is(err, gitstore.ErrNotRepo) {
		hint = "run git ci inside a git repository (or `git init` one)"
	}
	// A ConfigError's own hint is more specific: a config repo that is not
	// a repository is fixed by pointing ci.config elsewhere, not by git init.
	var ce *runner.ConfigError
	if errors.As(err, &ce) && ce.Hint != "" {
		hint = ce.Hint
	}
	if hint != "" {
		fmt.Fprintf(os.Stderr, "hint: %s\n", hint)
	}
	if errors.Is(err, runner.ErrTargetKeptMoving) || errors.Is(err, runner.ErrPushKeptFailing) || errors.Is(err, context.Canceled) {
		return exitFailed
	}
	return exitError
}

// usageHint points at the help of the command the arguments got as far as.
func usageHint(err error) string {
	cmd := "git ci"
	var pe *kong.ParseError
	if errors.As(err, &pe) && pe.Context != nil {
		for _, p := range pe.Context.Path {
			if p.Command != nil {
				cmd += " " + p.Command.Name
			}
		}
	}
	return fmt.Sprintf("see `%s --help`", cmd)
}

// checkGit checks git's version for the commands that run git's worktree
// and ref machinery; the ones that only read, and merge-tree, which is our
// own engine, skip it: one process fewer where start-up is most of the time.
func checkGit(command string) error {
	switch strings.Fields(command)[0] {
	case "status", "log", "show", "merge-tree":
		return nil
	}
	return gitstore.CheckGitVersion()
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func openRepo() (*gitstore.Repo, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return gitstore.Open(wd)
}
