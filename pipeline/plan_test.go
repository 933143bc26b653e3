package pipeline

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const planYAML = `
projects:
  app: {repo: /srv/app.git, params: {A: project, B: project, GOFLAGS: -mod=readonly}}
pipelines:
  integrate:
    params: {B: pipeline, C: 3}
    stages:
      - {name: build, run: make, timeout: 5m}
      - name: test
        steps:
          - {name: unit, run: go test ./..., timeout: 10m}
          - {name: vet, run: go vet ./...}
  bare:
    stages: [{name: x, run: "true"}]
`

func TestNewPlan(t *testing.T) {
	cfg, err := Parse("ci.yaml", yml(planYAML))
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"A=project", "B=pipeline", "C=3", "GOFLAGS=-mod=readonly"}
	tests := []struct {
		name     string
		pipeline string
		project  Project
		want     *Plan
	}{{
		name:     "pipeline params override project params",
		pipeline: "integrate",
		project:  cfg.Projects[0],
		want: &Plan{Pipeline: "integrate", Stages: []PlannedStage{
			{Name: "build", Steps: []PlannedStep{{Stage: "build", Name: "build", Run: "make", Timeout: 5 * time.Minute, Env: env}}},
			{Name: "test", Steps: []PlannedStep{
				{Stage: "test", Name: "unit", Run: "go test ./...", Timeout: 10 * time.Minute, Env: env},
				{Stage: "test", Name: "vet", Run: "go vet ./...", Env: env},
			}},
		}},
	}, {
		name:     "no project, no params",
		pipeline: "bare",
		want: &Plan{Pipeline: "bare", Stages: []PlannedStage{
			{Name: "x", Steps: []PlannedStep{{Stage: "x", Name: "x", Run: "true", Env: []string{}}}},
		}},
	}, {
		name:     "project params only",
		pipeline: "bare",
		project:  Project{Params: map[string]string{"Z": "1", "Y": "2"}},
		want: &Plan{Pipeline: "bare", Stages: []PlannedStage{
			{Name: "x", Steps: []PlannedStep{{Stage: "x", Name: "x", Run: "true", Env: []string{"Y=2", "Z=1"}}}},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have, err := NewPlan(cfg, tt.pipeline, tt.project)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, have); diff != "" {
				t.Errorf("NewPlan (-want +have):\n%s", diff)
			}
		})
	}
}

func TestNewPlanUnknownPipeline(t *testing.T) {
	cfg, err := Parse("ci.yaml", yml(planYAML))
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPlan(cfg, "nightly", Project{})
	want := `no pipeline "nightly" in ci.yaml (defined: "integrate", "bare")`
	if err == nil || err.Error() != want {
		t.Errorf("NewPlan error = %v, want %q", err, want)
	}
}
