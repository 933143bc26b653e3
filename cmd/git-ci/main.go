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

// cli is the git ci command line's root: its flags. The commands are in
// commands.
type cli struct {
	Version versionFlag `help:"Print the version and exit."`
}

// versionFlag is kong.VersionFlag without kong.Vars: a variable makes kong
// interpolate every flag's strings with it, a third of building the parser.
type versionFlag bool

// BeforeReset prints the version and ends the program, as kong's does.
func (versionFlag) BeforeReset(app *kong.Kong) error {
	fmt.Fprintln(app.Stdout, "git-ci "+version())
	app.Exit(exitOK)
	return nil
}

// commands are git ci's commands, in the order help lists them.
var commands = []struct {
	name, help string
	cmd        func() any
}{
	{"init", "Create the config repo with a pipeline detected from this project.", func() any { return &initCmd{} }},
	{"integrate", "Merge a branch into main, test the merge, fast-forward main to it if every step passed.", func() any { return &integrateCmd{} }},
	{"run", "Run a pipeline on a commit without promoting it.", func() any { return &runCmd{} }},
	{"status", "Show the runs recorded on a commit.", func() any { return &statusCmd{} }},
	{"fetch", "Fetch a remote's CI results and merge its notes into refs/notes/ci.", func() any { return &fetchCmd{} }},
	{"push", "Push refs/notes/ci and the run refs to a remote, merging first when it moved.", func() any { return &pushCmd{} }},
	{"merge-tree", "Merge two commits without touching the work tree, as git merge-tree --write-tree does.", func() any { return &mergeTreeCmd{} }},
	{"log", "Show commits with one status mark per pipeline stage.", func() any { return &logCmd{} }},
	{"show", "Show a run: its record, then each step's log.", func() any { return &showCmd{} }},
	{"html", "Write the static HTML site: pipeline, commit flow, statistics, runs, branches.", func() any { return &htmlCmd{} }},
}

// newParser builds the parser for args. When args start with a command's
// name, only that command is built: kong reflects over every command it
// is given, about a millisecond for all of them, which is a third of what
// `git ci status` may cost. Anything else (no command, a flag, a typo)
// gets all of them, for the full help and "did you mean".
func newParser(c *cli, args []string) (*kong.Kong, error) {
	opts := []kong.Option{kong.Name("git ci"),
		kong.Description("git-ci: merge, test and promote, with every result stored in git."),
		kong.UsageOnError()}
	named := ""
	for _, cmd := range commands {
		if len(args) > 0 && args[0] == cmd.name {
			named = cmd.name
		}
	}
	for _, cmd := range commands {
		if named == "" || cmd.name == named {
			opts = append(opts, kong.DynamicCommand(cmd.name, cmd.help, "", cmd.cmd()))
		}
	}
	return kong.New(c, opts...)
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
	var c cli
	parser, err := newParser(&c, args)
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
	ctx := context.Background()
	if !readOnly(kctx.Command()) {
		// Commands that write refs catch the signals, to stop their steps
		// and still finish or undo what they started; the read-only ones
		// let the signal end them as it would (and start sooner).
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		defer stop()
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
	if readOnly(command) {
		return nil
	}
	return gitstore.CheckGitVersion()
}

// readOnly commands change no ref and no note, and need no recent git:
// they read what is there (merge-tree only adds objects, as git's does).
func readOnly(command string) bool {
	switch strings.Fields(command)[0] {
	case "status", "log", "show", "merge-tree":
		return true
	}
	return false
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
