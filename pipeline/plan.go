package pipeline

import (
	"maps"
	"slices"
	"time"
)

// Plan is what a run will do, decided before anything runs: the stages in
// the order they run, each with the steps that run in parallel.
type Plan struct {
	Pipeline string
	Stages   []PlannedStage
}

// PlannedStage is a stage of a Plan.
type PlannedStage struct {
	Name  string
	Steps []PlannedStep
}

// PlannedStep is one process a run starts.
type PlannedStep struct {
	Stage, Name, Run string
	Timeout          time.Duration // 0 means none
	// Env is the step's parameters as "KEY=VALUE", sorted by key: the
	// project's params overridden by the pipeline's.
	Env []string
}

// NewPlan plans a run of the pipeline called pipelineName for project; the
// error is Config.Pipeline's when there is no such pipeline.
func NewPlan(cfg *Config, pipelineName string, project Project) (*Plan, error) {
	pl, err := cfg.Pipeline(pipelineName)
	if err != nil {
		return nil, err
	}
	env := mergeEnv(project.Params, pl.Params)
	plan := &Plan{Pipeline: pl.Name, Stages: make([]PlannedStage, len(pl.Stages))}
	for i, st := range pl.Stages {
		ps := PlannedStage{Name: st.Name, Steps: make([]PlannedStep, len(st.Steps))}
		for j, step := range st.Steps {
			ps.Steps[j] = PlannedStep{
				Stage:   st.Name,
				Name:    step.Name,
				Run:     step.Run,
				Timeout: step.Timeout,
				Env:     slices.Clone(env),
			}
		}
		plan.Stages[i] = ps
	}
	return plan, nil
}

// mergeEnv renders base overridden by over as sorted "KEY=VALUE" lines.
func mergeEnv(base, over map[string]string) []string {
	merged := maps.Clone(base)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, over)
	env := make([]string, 0, len(merged))
	for _, k := range slices.Sorted(maps.Keys(merged)) {
		env = append(env, k+"="+merged[k])
	}
	return env
}
