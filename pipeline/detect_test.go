package pipeline

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDetect(t *testing.T) {
	goTest := []Stage{{Name: "test", Steps: []Step{
		{Name: "vet", Run: "go vet ./..."},
		{Name: "unit", Run: "go test ./...", Timeout: 30 * time.Minute},
	}}}
	shorthand := func(run string) []Stage {
		return []Stage{{Name: "test", Steps: []Step{{Name: "test", Run: run, Timeout: 30 * time.Minute}}}}
	}
	example := []Stage{{Name: "build", Steps: []Step{{Name: "example", Timeout: 30 * time.Minute,
		Run: `echo "git-ci: edit ci.yaml in the config repo to define your pipeline" >&2; exit 1`}}}}
	makefile := []byte(".PHONY: all test\nCC := gcc\nall: build\n\ntest: all\n\tgo test ./...\n")
	tests := []struct {
		name         string
		give         map[string][]byte
		wantStages   []Stage
		wantDetected string
	}{
		{"go module", map[string][]byte{"go.mod": []byte("module x\n")}, goTest, "Go module (go.mod)"},
		{"makefile wins over go.mod", map[string][]byte{"go.mod": nil, "Makefile": makefile}, shorthand("make test"), "make test target (Makefile)"},
		{"GNUmakefile", map[string][]byte{"GNUmakefile": []byte("lint test:: x\n")}, shorthand("make test"), "make test target (GNUmakefile)"},
		{"makefile without test target", map[string][]byte{"go.mod": nil, "Makefile": []byte(".PHONY: test\ntest_all: x\nTEST:=1\n\ttest: x\n")}, goTest, "Go module (go.mod)"},
		{"makefile beats package.json", map[string][]byte{"makefile": []byte("test:\n"), "package.json": []byte(`{"scripts":{"test":"jest"}}`)}, shorthand("make test"), "make test target (makefile)"},
		{"npm test", map[string][]byte{"package.json": []byte(`{"scripts":{"test":"jest"}}`)}, shorthand("npm test"), "npm test script (package.json)"},
		{"npm default test script", map[string][]byte{"package.json": []byte(`{"scripts":{"test":"echo \"Error: no test specified\" && exit 1"}}`)}, example, "nothing recognised (no go.mod, make test target or npm test script)"},
		{"bad package.json", map[string][]byte{"package.json": []byte(`{`)}, example, "nothing recognised (no go.mod, make test target or npm test script)"},
		{"nothing", nil, example, "nothing recognised (no go.mod, make test target or npm test script)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml, detected := Detect(tt.give)
			if detected != tt.wantDetected {
				t.Errorf("detected = %q, want %q", detected, tt.wantDetected)
			}
			cfg, err := Parse("ci.yaml", yaml)
			if err != nil {
				t.Fatalf("generated ci.yaml does not parse: %v\n%s", err, yaml)
			}
			want := &Config{Pipelines: []*Pipeline{{Name: "integrate", Stages: tt.wantStages}}}
			if diff := cmp.Diff(want, cfg); diff != "" {
				t.Errorf("generated config (-want +have):\n%s", diff)
			}
		})
	}
}
