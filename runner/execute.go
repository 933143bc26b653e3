package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// killGrace is how long a step's process group has between SIGTERM and SIGKILL.
const killGrace = 3 * time.Second

// executor runs one plan on one commit, every step in a fresh linked
// worktree of its own under work/wt, logs kept in logs.
type executor struct {
	repo   *gitstore.Repo
	work   string
	logs   billy.Filesystem
	con    *console
	commit plumbing.Hash
	env    []string // GIT_CI_* of this run
}

// runPlan runs the stages in order, the steps of a stage in parallel; after a
// stage that did not pass, the remaining steps are recorded as skipped.
func (x *executor) runPlan(ctx context.Context, plan *pipeline.Plan) []pipeline.StepResult {
	var results []pipeline.StepResult
	ok := true
	for _, stage := range plan.Stages {
		if !ok || ctx.Err() != nil {
			for _, s := range stage.Steps {
				results = append(results, pipeline.StepResult{Stage: s.Stage, Step: s.Name, Status: pipeline.StatusSkipped, Exit: -1})
			}
			continue
		}
		stageResults := x.runStage(ctx, stage)
		for _, r := range stageResults {
			ok = ok && r.Status == pipeline.StatusPassed
		}
		results = append(results, stageResults...)
	}
	return results
}

func (x *executor) runStage(ctx context.Context, stage pipeline.PlannedStage) []pipeline.StepResult {
	results := make([]pipeline.StepResult, len(stage.Steps))
	var wg sync.WaitGroup
	for i, step := range stage.Steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = x.runStep(ctx, step)
		}()
	}
	wg.Wait()
	return results
}

func (x *executor) runStep(ctx context.Context, step pipeline.PlannedStep) (res pipeline.StepResult) {
	name := step.Stage + "/" + step.Name
	res = pipeline.StepResult{Stage: step.Stage, Step: step.Name, Exit: -1}
	start := time.Now()
	x.con.start(name)
	defer func() {
		res.DurationMS = time.Since(start).Milliseconds()
		x.con.stop(name)
	}()
	wt := filepath.Join(x.work, "wt", step.Stage, step.Name)
	if err := x.repo.AddWorktree(ctx, wt, x.commit); err != nil {
		res.Status, res.Message = pipeline.StatusError, fmt.Sprintf("create worktree: %v", err)
		if ctx.Err() != nil {
			res.Status = pipeline.StatusCancelled
		}
		x.con.Printf("%s: %s\n", name, res.Message)
		return res
	}
	defer func() {
		if err := x.repo.RemoveWorktree(wt); err != nil {
			x.con.Printf("warning: %s: %v\n", name, err)
		}
	}()
	log, err := x.openLog(step)
	if err != nil {
		res.Status, res.Message = pipeline.StatusError, err.Error()
		return res
	}
	defer log.Close()
	x.exec(ctx, step, wt, log, &res)
	if res.Message != "" {
		fmt.Fprintf(log, "git-ci: %s\n", res.Message)
	}
	return res
}

func (x *executor) openLog(step pipeline.PlannedStep) (billy.File, error) {
	if err := x.logs.MkdirAll(step.Stage, 0o755); err != nil {
		return nil, fmt.Errorf("log of %s/%s: %w", step.Stage, step.Name, err)
	}
	return x.logs.Create(path.Join(step.Stage, step.Name+".log"))
}

// exec runs the step's command with sh in its own process group, so that a
// timeout or a cancel kills everything it started.
func (x *executor) exec(ctx context.Context, step pipeline.PlannedStep, dir string, log io.Writer, res *pipeline.StepResult) {
	lw := &lineWriter{c: x.con, prefix: fmt.Sprintf("[%s/%s]", step.Stage, step.Name)}
	defer lw.Flush()
	cmd := exec.Command("/bin/sh", "-c", step.Run)
	cmd.Dir = dir
	cmd.Env = append(append(stepEnviron(), step.Env...), x.env...)
	cmd.Env = append(cmd.Env, "GIT_CI_STAGE="+step.Stage, "GIT_CI_STEP="+step.Name)
	cmd.Stdout = io.MultiWriter(log, lw)
	cmd.Stderr = cmd.Stdout
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = killGrace + time.Second // output held open by an escaped child
	if err := cmd.Start(); err != nil {
		res.Status, res.Message = pipeline.StatusError, fmt.Sprintf("start: %v", err)
		return
	}
	stepCtx, cancel := context.WithCancel(ctx)
	if step.Timeout > 0 {
		stepCtx, cancel = context.WithTimeout(ctx, step.Timeout)
	}
	defer cancel()
	stopped := make(chan struct{})
	go killOnDone(stepCtx, cmd.Process.Pid, stopped)
	err := cmd.Wait()
	close(stopped)
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // whatever it left running in the background
	classify(res, err, cmd.ProcessState, ctx, stepCtx, step)
}

func killOnDone(ctx context.Context, pid int, stopped <-chan struct{}) {
	select {
	case <-stopped:
		return
	case <-ctx.Done():
	}
	syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-stopped:
	case <-time.After(killGrace):
		syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// classify turns how the process ended into the step's status, exit code and
// a message a person can act on.
func classify(res *pipeline.StepResult, err error, ps *os.ProcessState, ctx, stepCtx context.Context, step pipeline.PlannedStep) {
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) && ps == nil {
		res.Status, res.Message = pipeline.StatusError, err.Error()
		return
	}
	ws, _ := ps.Sys().(syscall.WaitStatus)
	res.Exit = ps.ExitCode()
	if ws.Signaled() {
		res.Exit = 128 + int(ws.Signal())
		res.Signal = signalName(ws.Signal())
	}
	switch {
	case ctx.Err() != nil:
		res.Status, res.Message = pipeline.StatusCancelled, "cancelled"
	case stepCtx.Err() != nil:
		res.Status, res.Message = pipeline.StatusFailed, fmt.Sprintf("timed out after %s (timeout: in ci.yaml); its process group was killed", step.Timeout)
	case res.Exit == 0:
		res.Status = pipeline.StatusPassed
	case ws.Signaled():
		res.Status, res.Message = pipeline.StatusFailed, "killed by signal "+res.Signal
	case res.Exit == 127:
		res.Status, res.Message = pipeline.StatusFailed, fmt.Sprintf("command not found (exit 127): check `run: %s` in ci.yaml, and that the command is installed or committed", step.Run)
	case res.Exit == 126:
		res.Status, res.Message = pipeline.StatusFailed, "command not executable (exit 126): check its permissions (git update-index --chmod=+x)"
	default:
		res.Status, res.Message = pipeline.StatusFailed, fmt.Sprintf("exit status %d", res.Exit)
	}
}

func signalName(s syscall.Signal) string {
	names := map[syscall.Signal]string{syscall.SIGKILL: "SIGKILL", syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT",
		syscall.SIGSEGV: "SIGSEGV", syscall.SIGABRT: "SIGABRT", syscall.SIGHUP: "SIGHUP", syscall.SIGQUIT: "SIGQUIT",
		syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGPIPE: "SIGPIPE", syscall.SIGUSR1: "SIGUSR1", syscall.SIGUSR2: "SIGUSR2"}
	if n, ok := names[s]; ok {
		return n
	}
	return fmt.Sprintf("signal %d (%s)", int(s), s)
}

// repoEnv are the variables git sets for hooks that would point a step's
// own git commands at the user's repository instead of its worktree.
var repoEnv = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_NAMESPACE", "GIT_QUARANTINE_PATH"}

func stepEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !contains(repoEnv, k) {
			env = append(env, kv)
		}
	}
	return env
}
