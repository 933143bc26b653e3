package pipeline

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// yml turns a Go raw string with tab-free indentation into YAML bytes.
func yml(s string) []byte { return []byte(strings.TrimPrefix(s, "\n")) }

func TestParseValid(t *testing.T) {
	tests := []struct {
		name string
		give string
		want *Config
	}{{
		name: "design example with shorthand",
		give: `
projects:
  myapp:
    repo: /srv/git/myapp.git
    params: {GOFLAGS: -mod=readonly, N: 3, DEBUG: true, F: 1.50}
pipelines:
  integrate:
    params: {}
    stages:
      - name: build
        steps:
          - name: compile
            run: ./zero.py build
      - name: test
        steps:
          - {name: unit, run: go test ./..., timeout: 10m}
          - {name: vet,  run: go vet ./...}
      - name: lint
        run: make lint
        timeout: 5m
  nightly:
    stages:
      - {name: bench, run: "go test -bench . # not a comment"}
`,
		want: &Config{
			Projects: []Project{{Name: "myapp", Repo: "/srv/git/myapp.git",
				Params: map[string]string{"GOFLAGS": "-mod=readonly", "N": "3", "DEBUG": "true", "F": "1.50"}}},
			Pipelines: []*Pipeline{{
				Name: "integrate",
				Stages: []Stage{
					{Name: "build", Steps: []Step{{Name: "compile", Run: "./zero.py build"}}},
					{Name: "test", Steps: []Step{
						{Name: "unit", Run: "go test ./...", Timeout: 10 * time.Minute},
						{Name: "vet", Run: "go vet ./..."},
					}},
					{Name: "lint", Steps: []Step{{Name: "lint", Run: "make lint", Timeout: 5 * time.Minute}}},
				},
			}, {
				Name:   "nightly",
				Stages: []Stage{{Name: "bench", Steps: []Step{{Name: "bench", Run: "go test -bench . # not a comment"}}}},
			}},
		},
	}, {
		name: "block script, tags, anchors, empty projects, one document marker",
		give: `
---
projects:
pipelines:
  integrate:
    params: {A: !!str 010, B: ""}
    stages:
      - name: v1.2_x-y
        run: |
          set -e
          make all
        timeout: &t 1h30m
`,
		want: &Config{Pipelines: []*Pipeline{{
			Name:   "integrate",
			Params: map[string]string{"A": "010", "B": ""},
			Stages: []Stage{{Name: "v1.2_x-y", Steps: []Step{{Name: "v1.2_x-y", Run: "set -e\nmake all\n", Timeout: 90 * time.Minute}}}},
		}}},
	}, {
		name: "project without repo or params",
		give: "projects: {solo: {}}\npipelines: {integrate: {stages: [{name: t, run: \"true\"}]}}\n",
		want: &Config{
			Projects:  []Project{{Name: "solo"}},
			Pipelines: []*Pipeline{{Name: "integrate", Stages: []Stage{{Name: "t", Steps: []Step{{Name: "t", Run: "true"}}}}}},
		},
	}, {
		name: "unquoted true is the command true",
		give: "pipelines: {integrate: {stages: [{name: t, run: true}]}}\n",
		want: &Config{Pipelines: []*Pipeline{{Name: "integrate", Stages: []Stage{{Name: "t", Steps: []Step{{Name: "t", Run: "true"}}}}}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have, err := Parse("ci.yaml", yml(tt.give))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, have); diff != "" {
				t.Errorf("Parse (-want +have):\n%s", diff)
			}
		})
	}
}

// stagesYAML wraps a stages list (indented by 6) in a minimal valid config.
func stagesYAML(stages string) string {
	return "pipelines:\n  integrate:\n    stages:\n" + strings.TrimPrefix(stages, "\n")
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string // the whole error text
	}{
		{"empty file", "", `ci.yaml:1:1: empty file: expected a mapping with a "pipelines" key`},
		{"only comments", "# nothing\n", `ci.yaml:1:1: empty file: expected a mapping with a "pipelines" key`},
		{"not a mapping", "- a\n- b\n", `ci.yaml:1:1: ci.yaml must be a mapping with a "pipelines" key (found a list)`},
		{"scalar document", "hello\n", `ci.yaml:1:1: ci.yaml must be a mapping with a "pipelines" key (found a string)`},
		{"syntax error", "pipelines:\n  integrate:\n    stages: [a, b\n", `ci.yaml:3:13: yaml: sequence end token ']' not found`},
		{"bad indentation", "pipelines:\n  integrate: {}\n stages: 1\n", `ci.yaml:3:2: yaml: value is not allowed in this context`},
		{"duplicate key", "pipelines: {}\npipelines: {}\n", `ci.yaml:2:1: yaml: mapping key "pipelines" already defined at [1:1]`},
		{"two documents", "pipelines: {}\n---\npipelines: {}\n", `ci.yaml:3:1: more than one yaml document: ci.yaml holds one (remove the "---" separator)`},
		{"unknown top-level key", "pipeline: {}\n", `ci.yaml:1:1: top level: unknown key "pipeline" (did you mean "pipelines"?)`},
		{"missing pipelines", "projects: {}\n", `ci.yaml:1:1: missing key "pipelines" (define at least pipelines.integrate)`},
		{"no integrate", "\n\npipelines:\n  nightly: {stages: [{name: a, run: b}]}\n", `ci.yaml:2:1: pipelines: no "integrate" pipeline (git ci integrate runs it; define pipelines.integrate)`},
		{"pipelines is a list", "pipelines: [integrate]\n", `ci.yaml:1:12: pipelines: must be a mapping (found a list)`},
		{"unknown pipeline key", "pipelines:\n  integrate:\n    stage: []\n", `ci.yaml:3:5: pipelines.integrate: unknown key "stage" (did you mean "stages"?)`},
		{"missing stages", "pipelines:\n  integrate:\n", `ci.yaml:2:3: pipelines.integrate: missing key "stages"`},
		{"invalid pipeline name", "pipelines:\n  -x: {}\n", `ci.yaml:2:3: pipelines: invalid pipeline name "-x": use letters, digits, ".", "_" and "-", not starting with "." or "-"`},
		{"stages is a mapping", stagesYAML("      build: {run: x}\n"), `ci.yaml:4:7: pipelines.integrate.stages: must be a list (found a mapping)`},
		{"empty stages", stagesYAML("      []\n"), `ci.yaml:4:7: pipelines.integrate.stages: empty list (a pipeline needs at least one stage)`},
		{"null stages", "pipelines:\n  integrate:\n    stages:\n", `ci.yaml:3:5: pipelines.integrate.stages: empty list (a pipeline needs at least one stage)`},
		{"stage not a mapping", stagesYAML("      - build\n"), `ci.yaml:4:9: pipelines.integrate.stages[0]: must be a mapping (found a string)`},
		{"null stage", stagesYAML("      -\n      - {name: a, run: b}\n"), `ci.yaml:4:7: pipelines.integrate.stages[0]: empty entry (expected a mapping with "name")`},
		{"missing stage name", stagesYAML("      - run: x\n"), `ci.yaml:4:9: pipelines.integrate.stages[0]: missing key "name"`},
		{"empty stage name", stagesYAML("      - {name: '', run: x}\n"), `ci.yaml:4:16: pipelines.integrate.stages[0]: empty "name"`},
		{"stage name with space", stagesYAML("      - {name: a b, run: x}\n"), `ci.yaml:4:16: pipelines.integrate.stages[0]: invalid name "a b": use letters, digits, ".", "_" and "-", not starting with "." or "-"`},
		{"stage name with dot start", stagesYAML("      - {name: .x, run: x}\n"), `ci.yaml:4:16: pipelines.integrate.stages[0]: invalid name ".x": use letters, digits, ".", "_" and "-", not starting with "." or "-"`},
		{"stage name ending .lock", stagesYAML("      - {name: x.lock, run: x}\n"), `ci.yaml:4:16: pipelines.integrate.stages[0]: invalid name "x.lock": use letters, digits, ".", "_" and "-", not starting with "." or "-"`},
		{"stage name a list", stagesYAML("      - {name: [a], run: x}\n"), `ci.yaml:4:16: pipelines.integrate.stages[0]: "name" must be a string (found a list)`},
		{"unknown stage key", stagesYAML("      - name: build\n        params: {}\n        run: x\n"), `ci.yaml:5:9: pipelines.integrate.stages[0] ("build"): unknown key "params"`},
		{"empty stage", stagesYAML("      - name: build\n"), `ci.yaml:4:9: pipelines.integrate.stages[0] ("build"): empty stage (give it "steps", or "run" for a single step)`},
		{"steps and run", stagesYAML("      - name: build\n        steps: [{name: a, run: b}]\n        run: x\n"), `ci.yaml:6:9: pipelines.integrate.stages[0] ("build"): "steps" and "run" together (run is shorthand for a stage of one step; use one)`},
		{"stage timeout with steps", stagesYAML("      - name: build\n        timeout: 1m\n        steps: [{name: a, run: b}]\n"), `ci.yaml:5:9: pipelines.integrate.stages[0] ("build"): "timeout" goes on each step (a stage-level timeout is only allowed with "run")`},
		{"duplicate stage", stagesYAML("      - {name: a, run: x}\n      - {name: b, run: x}\n      - {name: a, run: y}\n"), `ci.yaml:6:16: pipelines.integrate.stages[2]: duplicate stage name "a" (first on line 4)`},
		{"empty steps", stagesYAML("      - name: build\n        steps: []\n"), `ci.yaml:5:16: pipelines.integrate.stages[0].steps: empty list (a stage needs at least one step)`},
		{"steps a mapping", stagesYAML("      - name: build\n        steps: {a: b}\n"), `ci.yaml:5:16: pipelines.integrate.stages[0].steps: must be a list (found a mapping)`},
		{"first error wins", stagesYAML("      - name: build\n      - name: test\n        steps:\n          - name: unit\n            rum: go test\n"), `ci.yaml:4:9: pipelines.integrate.stages[0] ("build"): empty stage (give it "steps", or "run" for a single step)`},
		{"unknown step key", stagesYAML("      - {name: b, run: x}\n      - name: test\n        steps:\n          - name: unit\n            comand: go test\n"), `ci.yaml:8:13: pipelines.integrate.stages[1].steps[0] ("unit"): unknown key "comand"`},
		{"step key synonym", stagesYAML("      - name: test\n        steps:\n          - name: unit\n            command: go test\n"), `ci.yaml:7:13: pipelines.integrate.stages[0].steps[0] ("unit"): unknown key "command" (did you mean "run"?)`},
		{"step key typo", stagesYAML("      - name: test\n        steps:\n          - {name: unit, rnu: go test}\n"), `ci.yaml:6:26: pipelines.integrate.stages[0].steps[0] ("unit"): unknown key "rnu" (did you mean "run"?)`},
		{"step missing run", stagesYAML("      - name: test\n        steps:\n          - name: unit\n"), `ci.yaml:6:13: pipelines.integrate.stages[0].steps[0] ("unit"): missing key "run"`},
		{"step empty run", stagesYAML("      - name: test\n        steps:\n          - {name: unit, run: \"\"}\n"), `ci.yaml:6:31: pipelines.integrate.stages[0].steps[0] ("unit"): empty "run"`},
		{"step null run", stagesYAML("      - name: test\n        steps:\n          - name: unit\n            run:\n"), `ci.yaml:7:13: pipelines.integrate.stages[0].steps[0] ("unit"): empty "run"`},
		{"run a list", stagesYAML("      - name: test\n        run: [go, test]\n"), `ci.yaml:5:14: pipelines.integrate.stages[0] ("test"): "run" must be a string (found a list)`},
		{"duplicate step", stagesYAML("      - name: test\n        steps:\n          - {name: u, run: a}\n          - {name: u, run: b}\n"), `ci.yaml:7:20: pipelines.integrate.stages[0].steps[1] ("u"): duplicate step name "u" (first on line 6)`},
		{"step invalid name", stagesYAML("      - name: test\n        steps:\n          - {name: a/b, run: a}\n"), `ci.yaml:6:20: pipelines.integrate.stages[0].steps[0]: invalid name "a/b": use letters, digits, ".", "_" and "-", not starting with "." or "-"`},
		{"bad timeout", stagesYAML("      - {name: t, run: x, timeout: 10}\n"), `ci.yaml:4:36: pipelines.integrate.stages[0] ("t"): timeout "10" is not a duration (write e.g. 90s, 10m or 1h30m)`},
		{"timeout list", stagesYAML("      - {name: t, run: x, timeout: [1m]}\n"), `ci.yaml:4:36: pipelines.integrate.stages[0] ("t"): timeout must be a duration such as 90s, 10m or 1h30m (found a list)`},
		{"negative timeout", stagesYAML("      - {name: t, run: x, timeout: -1m}\n"), `ci.yaml:4:36: pipelines.integrate.stages[0] ("t"): timeout "-1m" must be positive (leave it out for none)`},
		{"params a list", "pipelines:\n  integrate:\n    params: [A]\n    stages: [{name: a, run: b}]\n", `ci.yaml:3:13: pipelines.integrate.params: must be a mapping (found a list)`},
		{"param value a mapping", "pipelines:\n  integrate:\n    params: {A: {B: c}}\n    stages: [{name: a, run: b}]\n", `ci.yaml:3:17: pipelines.integrate.params.A: must be a string, number or bool (found a mapping; write "" for empty)`},
		{"param value null", "pipelines:\n  integrate:\n    params:\n      A:\n    stages: [{name: a, run: b}]\n", `ci.yaml:4:7: pipelines.integrate.params.A: must be a string, number or bool (found null; write "" for empty)`},
		{"param bad name", "pipelines:\n  integrate:\n    params: {1A: x}\n    stages: [{name: a, run: b}]\n", `ci.yaml:3:14: pipelines.integrate.params: invalid name "1A": params are environment variables ([A-Za-z_][A-Za-z0-9_]*)`},
		{"alias", "pipelines:\n  integrate:\n    params: {A: &x b, B: *x}\n    stages: [{name: a, run: b}]\n", `ci.yaml:3:26: yaml aliases (*name) are not supported: write the value out`},
		{"projects a list", "projects: [a]\npipelines: {}\n", `ci.yaml:1:11: projects: must be a mapping (found a list)`},
		{"unknown project key", "projects:\n  app:\n    url: x\n", `ci.yaml:3:5: projects.app: unknown key "url" (did you mean "repo"?)`},
		{"project repo a list", "projects:\n  app:\n    repo: [x]\n", `ci.yaml:3:11: projects.app: "repo" must be a string (found a list)`},
		{"project bad name", "projects:\n  'a b': {}\n", `ci.yaml:2:3: projects: invalid project name "a b": use letters, digits, ".", "_" and "-", not starting with "." or "-"`},
		{"project params bad", "projects:\n  app:\n    params: {A: [1]}\n", `ci.yaml:3:17: projects.app.params.A: must be a string, number or bool (found a list; write "" for empty)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("ci.yaml", yml(tt.give))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q; config: %+v", tt.want, cfg)
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse error %T %q is not an *Error", err, err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("Parse error (-want +have):\n%s", diff)
			}
		})
	}
}
