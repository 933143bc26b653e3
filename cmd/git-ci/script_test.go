package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"git-ci": main})
}

// TestScript runs every testdata/script/*.txtar against real git
// repositories built by the script, with git-ci on PATH as `git ci`.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		Setup:               setupGit,
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits},
	})
}

// cmdExits is the script command `exits N PROGRAM ARGS...`: it runs PROGRAM
// like exec, keeping its stdout and stderr for the next assertions, and
// fails unless it exits with status N, so scripts can tell exit 1 (failed)
// from exit 2 (error).
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	have := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		have = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if have != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], have, want)
	}
}

// setupGit gives each script a home of its own with a fixed identity and
// main as the default branch, and no system or user config leaking in.
func setupGit(e *testscript.Env) error {
	home := filepath.Join(e.WorkDir, ".home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	config := "[user]\n\tname = Tess Ter\n\temail = tess@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(config), 0o644); err != nil {
		return err
	}
	e.Setenv("HOME", home)
	e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	e.Setenv("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
	e.Setenv("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
	return nil
}
