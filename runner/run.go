package runner

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// DefaultPipeline is the pipeline integrate and run use unless told otherwise.
const DefaultPipeline = "integrate"

// Options are what every run needs.
type Options struct {
	Repo     *gitstore.Repo
	Pipeline string    // "" means DefaultPipeline
	Out      io.Writer // live output: step lines, status line, git-ci's own messages
	Term     bool      // Out is a terminal: draw a status line
}

// prepared is a run ready to start: its config and plan, decided up front so
// a bad config fails before anything is merged or checked out.
type prepared struct {
	Options
	cfg  *Config
	plan *pipeline.Plan
	con  *console
}

func prepare(o Options) (*prepared, error) {
	if o.Pipeline == "" {
		o.Pipeline = DefaultPipeline
	}
	cfg, err := LoadConfig(o.Repo)
	if err != nil {
		return nil, err
	}
	plan, err := pipeline.NewPlan(cfg.Parsed, o.Pipeline, cfg.Project)
	if err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("%s: %w", cfg.Dir, err), Hint: cfg.editHint()}
	}
	p := &prepared{Options: o, cfg: cfg, plan: plan, con: newConsole(o.Out, o.Term)}
	if cfg.Warning != "" {
		p.con.Printf("warning: %s\n", cfg.Warning)
	}
	for _, id := range RecoverStale(o.Repo) {
		p.con.Printf("recovered run %s, interrupted by a crash: worktrees removed, recorded as error\n", id)
	}
	return p, nil
}

// newRecord starts the record of a run of kind; the caller sets the commit.
func (p *prepared) newRecord(kind string) *pipeline.Record {
	rec := &pipeline.Record{V: pipeline.RecordVersion, Run: NewRunID(time.Now()), Pipeline: p.plan.Pipeline, Kind: kind,
		Config: p.cfg.Commit.String(), Started: time.Now().UTC()}
	for _, st := range p.plan.Stages {
		for _, s := range st.Steps {
			rec.Steps = append(rec.Steps, pipeline.StepResult{Stage: st.Name, Step: s.Name, Exit: -1})
		}
	}
	return rec
}

// setCommit makes commit the one rec is about.
func (p *prepared) setCommit(rec *pipeline.Record, commit plumbing.Hash) error {
	c, err := p.Repo.Commit(commit)
	if err != nil {
		return err
	}
	rec.Commit, rec.Tree = commit.String(), c.Tree.String()
	return nil
}

// test runs the plan on rec's commit and fills in the steps and the status.
// The workspace it returns holds the logs until the record is stored.
func (p *prepared) test(ctx context.Context, rec *pipeline.Record) (*workspace, error) {
	ws, err := newWorkspace(p.Repo, rec)
	if err != nil {
		return nil, err
	}
	x := &executor{repo: p.Repo, work: ws.dir, logs: ws.logs, con: p.con, commit: plumbing.NewHash(rec.Commit),
		env: []string{"GIT_CI_RUN=" + rec.Run, "GIT_CI_COMMIT=" + rec.Commit, "GIT_CI_BRANCH=" + rec.Branch}}
	done := make(chan struct{})
	go p.con.tick(done)
	start := time.Now()
	rec.Steps = x.runPlan(ctx, p.plan)
	close(done)
	rec.DurationMS = time.Since(start).Milliseconds()
	rec.Status = overall(rec.Steps, ctx)
	return ws, nil
}

// overall is a run's status from its steps: cancelled, else error, else
// failed, else passed.
func overall(steps []pipeline.StepResult, ctx context.Context) string {
	has := map[string]bool{}
	for _, s := range steps {
		has[s.Status] = true
	}
	switch {
	case ctx.Err() != nil || has[pipeline.StatusCancelled]:
		return pipeline.StatusCancelled
	case has[pipeline.StatusError]:
		return pipeline.StatusError
	case has[pipeline.StatusFailed]:
		return pipeline.StatusFailed
	}
	return pipeline.StatusPassed
}

// Run tests rev with the pipeline without promoting anything, and records
// the result on rev's commit. Unless force, a tree that already passed this
// pipeline with this config commit is not run again: Run returns that
// earlier record, with cached true.
func Run(ctx context.Context, o Options, rev string, force bool) (rec *pipeline.Record, cached bool, err error) {
	commit, err := o.Repo.Resolve(rev)
	if err != nil {
		return nil, false, &ConfigError{Err: err, Hint: "name a commit, branch or tag that exists (see `git log --oneline`)"}
	}
	p, err := prepare(o)
	if err != nil {
		return nil, false, err
	}
	rec = p.newRecord(pipeline.KindRun)
	if err := p.setCommit(rec, commit); err != nil {
		return nil, false, err
	}
	if !force {
		if earlier := p.passedBefore(rec); earlier != nil {
			return earlier, true, nil
		}
	}
	p.con.Printf("git-ci: run %s: pipeline %q on %s\n", rec.Run, rec.Pipeline, commit.String()[:10])
	ws, err := p.test(ctx, rec)
	if err != nil {
		return nil, false, err
	}
	defer ws.remove(o.Repo)
	return rec, false, record(o.Repo, ws, rec)
}

// passedBefore finds, in the note on rec's tree, a run of the same pipeline
// and config commit that passed: the results cache keyed by tree.
func (p *prepared) passedBefore(rec *pipeline.Record) *pipeline.Record {
	note, err := p.Repo.Note(plumbing.NewHash(rec.Tree))
	if err != nil {
		return nil
	}
	recs, _ := pipeline.ParseNote(note)
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if r.Status == pipeline.StatusPassed && r.Pipeline == rec.Pipeline && r.Config == rec.Config && r.Tree == rec.Tree {
			return &r
		}
	}
	return nil
}
