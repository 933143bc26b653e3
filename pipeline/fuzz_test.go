package pipeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func FuzzParse(f *testing.F) {
	f.Add(yml(planYAML))
	f.Add([]byte(stagesYAML("      - {name: a, run: x, timeout: 1m}\n      - name: b\n        steps: [{name: c, run: d}]\n")))
	f.Add([]byte("pipelines: {integrate: {params: {A: &x 1, B: *x}, stages: []}}\n"))
	f.Add([]byte("- a\n---\nb: [\n"))
	for _, files := range []map[string][]byte{nil, {"go.mod": nil}, {"Makefile": []byte("test:\n")}} {
		y, _ := Detect(files)
		f.Add(y)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg1, err1 := Parse("ci.yaml", data)
		cfg2, err2 := Parse("ci.yaml", data)
		if err1 != nil {
			var perr *Error
			if !errors.As(err1, &perr) {
				t.Fatalf("error %T %q is not an *Error", err1, err1)
			}
			if perr.Line < 1 || perr.Col < 1 || strings.Contains(perr.Msg, "\n") {
				t.Fatalf("error without position or on several lines: %q", err1)
			}
			if err2 == nil || err1.Error() != err2.Error() {
				t.Fatalf("Parse is not deterministic: %v, then %v", err1, err2)
			}
			return
		}
		if diff := cmp.Diff(cfg1, cfg2); diff != "" {
			t.Fatalf("Parse is not deterministic (-first +second):\n%s", diff)
		}
		if _, err := cfg1.Pipeline(IntegratePipeline); err != nil {
			t.Fatalf("valid config without integrate: %v", err)
		}
		for _, pl := range cfg1.Pipelines {
			checkPipeline(t, pl)
			if _, err := NewPlan(cfg1, pl.Name, Project{}); err != nil {
				t.Fatalf("NewPlan(%q): %v", pl.Name, err)
			}
		}
	})
}

// checkPipeline asserts what validation promises about a parsed pipeline.
func checkPipeline(t *testing.T, pl *Pipeline) {
	t.Helper()
	if len(pl.Stages) == 0 {
		t.Fatalf("pipeline %q has no stages", pl.Name)
	}
	for _, st := range pl.Stages {
		if !validName(st.Name) || len(st.Steps) == 0 {
			t.Fatalf("pipeline %q: bad stage %+v", pl.Name, st)
		}
		for _, step := range st.Steps {
			if !validName(step.Name) || step.Run == "" || step.Timeout < 0 {
				t.Fatalf("pipeline %q: bad step %+v", pl.Name, step)
			}
		}
	}
}
