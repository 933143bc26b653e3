package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
)

// workspace is a run's directory, GITDIR/ci/work/RUN: owner.json (who runs
// it), record.json (the record so far, for recovery after a crash), logs/
// and wt/ (the steps' worktrees). It is removed when the run is recorded.
type workspace struct {
	dir  string
	logs billy.Filesystem
}

func workRoot(repo *gitstore.Repo) string { return filepath.Join(repo.CommonDir, "ci", "work") }

func newWorkspace(repo *gitstore.Repo, rec *pipeline.Record) (*workspace, error) {
	dir := filepath.Join(workRoot(repo), rec.Run)
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	host, _ := os.Hostname()
	owner := Holder{PID: os.Getpid(), Host: host, Since: time.Now().UTC(), What: "run " + rec.Run}
	if err := writeJSON(filepath.Join(dir, "owner.json"), owner); err != nil {
		return nil, err
	}
	ws := &workspace{dir: dir, logs: osfs.New(filepath.Join(dir, "logs"))}
	return ws, ws.save(rec)
}

// save writes the record so far, through a temporary file, for recovery.
func (ws *workspace) save(rec *pipeline.Record) error {
	return writeJSON(filepath.Join(ws.dir, "record.json"), rec)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// record stores rec as the run ref and note, with the logs, applying also
// in the same ref transaction.
func record(repo *gitstore.Repo, ws *workspace, rec *pipeline.Record, also ...gitstore.RefUpdate) error {
	_, err := repo.RecordRun(runOf(ws, rec), also...)
	return err
}

// runOf is what gitstore stores of rec: the record, its note line and the
// logs in ws (nil: none). It sets rec.Ref.
func runOf(ws *workspace, rec *pipeline.Record) gitstore.Run {
	rec.Ref = gitstore.RunsPrefix + rec.Run
	run := gitstore.Run{ID: rec.Run, Commit: plumbing.NewHash(rec.Commit), Tree: plumbing.NewHash(rec.Tree),
		Record: mustJSON(rec), NoteLine: rec.NoteLine(),
		Subject: fmt.Sprintf("git-ci %s %s: %s", rec.Kind, rec.Pipeline, rec.Status)}
	if ws != nil {
		run.Logs = ws.logs
	}
	return run
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// remove deletes the workspace, its worktrees first.
func (ws *workspace) remove(repo *gitstore.Repo) {
	wts, _ := filepath.Glob(filepath.Join(ws.dir, "wt", "*", "*"))
	for _, wt := range wts {
		repo.RemoveWorktree(wt)
	}
	os.RemoveAll(ws.dir)
	repo.PruneWorktrees()
}

// RecoverStale finishes runs whose process died (kill -9, power loss): what
// their steps left running is killed, their worktrees are removed, their
// candidate refs deleted, and their record is stored with status error, so
// no crash leaves anything behind for long.
func RecoverStale(repo *gitstore.Repo) []string {
	dirs, _ := filepath.Glob(filepath.Join(workRoot(repo), "*"))
	host, _ := os.Hostname()
	var recovered []string
	for _, dir := range dirs {
		var owner Holder
		b, err := os.ReadFile(filepath.Join(dir, "owner.json"))
		if err == nil && json.Unmarshal(b, &owner) == nil && !owner.stale(host) {
			continue
		}
		if err != nil && !olderThan(dir, time.Minute) {
			continue // being created right now
		}
		killRunProcesses(filepath.Base(dir))
		ws := &workspace{dir: dir, logs: osfs.New(filepath.Join(dir, "logs"))}
		if id := recoverRun(repo, ws, owner); id != "" {
			recovered = append(recovered, id)
		}
		ws.remove(repo)
	}
	return recovered
}

func recoverRun(repo *gitstore.Repo, ws *workspace, owner Holder) string {
	var rec pipeline.Record
	b, err := os.ReadFile(filepath.Join(ws.dir, "record.json"))
	if err != nil || json.Unmarshal(b, &rec) != nil || rec.Run == "" {
		return ""
	}
	var also []gitstore.RefUpdate
	cand := gitstore.CandidatesPrefix + rec.Run
	if h, err := repo.RefValue(cand); err == nil && !h.IsZero() {
		also = append(also, gitstore.RefUpdate{Name: cand, Old: h})
	}
	rec.Status = pipeline.StatusError
	rec.Message = fmt.Sprintf("interrupted: git-ci (pid %d on %s) died during the run", owner.PID, owner.Host)
	for i := range rec.Steps {
		if rec.Steps[i].Status == "" {
			rec.Steps[i].Status = pipeline.StatusError
		}
	}
	if err := record(repo, ws, &rec, also...); err != nil {
		return ""
	}
	return rec.Run
}

func olderThan(path string, d time.Duration) bool {
	fi, err := os.Stat(path)
	return err == nil && time.Since(fi.ModTime()) > d
}
