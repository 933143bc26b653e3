package htmlgen

import (
	"fmt"
	"strings"
	"time"

	"github.com/git-ci/git-ci/pipeline"
)

// t0 is the fixture's clock: every date is an offset of it.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func hash(n int) string { return fmt.Sprintf("%08x%032x", uint32(n*2654435761), n) }

// fixturePipeline has a stage whose step never ran (deploy/publish).
func fixturePipeline() *pipeline.Pipeline {
	return &pipeline.Pipeline{Name: "integrate", Stages: []pipeline.Stage{
		{Name: "build", Steps: []pipeline.Step{{Name: "compile", Run: "make build"}}},
		{Name: "test", Steps: []pipeline.Step{{Name: "unit", Run: "go test ./...", Timeout: 10 * time.Minute}, {Name: "vet", Run: "go vet ./..."}}},
		{Name: "deploy", Steps: []pipeline.Step{{Name: "publish", Run: "./zero.py deploy"}}},
	}}
}

// rec builds a record of the fixture's pipeline: statuses of compile, unit
// and vet in that order ("" leaves a step out, as an older config had it).
func rec(n int, kind, branch string, commit, tree int, promoted bool, st ...string) pipeline.Record {
	r := pipeline.Record{V: 1, Run: fmt.Sprintf("20260301T%02d0000.000Z-%016x", 9+n, n), Pipeline: "integrate", Kind: kind,
		Commit: hash(commit), Tree: hash(tree), Config: hash(900), Started: t0.Add(time.Duration(n) * time.Hour),
		Promoted: promoted, Status: pipeline.StatusPassed}
	if kind == pipeline.KindIntegrate {
		r.Branch, r.Into, r.Base = branch, "main", hash(commit-1)
	}
	r.Ref = "refs/ci/runs/" + r.Run
	names := [][2]string{{"build", "compile"}, {"test", "unit"}, {"test", "vet"}}
	for i, s := range st {
		if s == "" {
			continue
		}
		exit := map[string]int{"passed": 0, "failed": 1, "skipped": -1, "error": -1, "cancelled": 130}[s]
		r.Steps = append(r.Steps, pipeline.StepResult{Stage: names[i][0], Step: names[i][1], Status: s, Exit: exit,
			DurationMS: int64(1000*(i+1) + 37*n)})
		if s != pipeline.StatusPassed && r.Status == pipeline.StatusPassed {
			r.Status = s
			if s == pipeline.StatusSkipped {
				r.Status = pipeline.StatusFailed
			}
		}
	}
	r.DurationMS = 5000 + int64(n)*100
	return r
}

// fixture is a small history: four commits on main, integrations that
// passed, one that failed (a candidate), a flaky unit step (passed and
// failed on tree 103), a run on a commit, and hostile text everywhere.
func fixture() *Site {
	commits := []Commit{
		{Hash: hash(104), Subject: "Integrate feat-b into main", Author: "Ada", Date: t0.Add(4*time.Hour + 10*time.Minute)},
		{Hash: hash(103), Subject: "Integrate feat-a into main", Author: "Ada", Date: t0.Add(2*time.Hour + 10*time.Minute)},
		{Hash: hash(102), Subject: "fix: <script>alert(1)</script>", Author: "Mallory", Date: t0.Add(time.Hour)},
		{Hash: hash(101), Subject: "init", Author: "Ada", Date: t0},
	}
	runs := []pipeline.Record{
		rec(1, pipeline.KindRun, "", 102, 202, false, "passed", "passed", ""),
		rec(2, pipeline.KindIntegrate, "feat-a", 103, 203, false, "passed", "failed", "passed"),
		rec(3, pipeline.KindIntegrate, "feat-a", 103, 203, true, "passed", "passed", "passed"),
		rec(4, pipeline.KindIntegrate, `bad<b>"branch`, 150, 250, false, "failed", "skipped", "skipped"),
		rec(5, pipeline.KindIntegrate, "feat-b", 104, 204, true, "passed", "passed", "passed"),
	}
	runs[3].Message = `"><img src=x onerror=alert(1)>`
	runs = append(runs, runs[2]) // noted on the commit and on its tree
	s := &Site{Name: "app", Target: "main", Pipeline: fixturePipeline(), Commits: commits, Details: fixtureDetails{}}
	for i := range runs {
		s.Runs = append(s.Runs, &runs[i])
	}
	return s
}

// fixtureDetails has ANSI colours and markup in every log, a long log for
// the failed build, and a diff for integrations.
type fixtureDetails struct{}

func (fixtureDetails) RunDetail(r *pipeline.Record) (*RunDetail, error) {
	d := &RunDetail{Logs: map[string][]byte{}}
	for _, s := range r.Steps {
		if s.Status == pipeline.StatusSkipped {
			continue
		}
		d.Logs[s.Stage+"/"+s.Step] = []byte(fmt.Sprintf("\x1b[1mrunning %s\x1b[0m\n<script>alert('log')</script>\n\x1b[32mok\x1b[0m \x1b[31;1mFAIL\x1b[0m tail\n", s.Step))
	}
	if r.Status == pipeline.StatusFailed && r.Steps[0].Status == pipeline.StatusFailed {
		var b strings.Builder
		for i := 1; i <= maxLogLines+20; i++ {
			fmt.Fprintf(&b, "line %d\n", i)
		}
		b.WriteString("\x1b[31merror: <b>boom</b>\x1b[0m\n")
		d.Logs["build/compile"] = []byte(b.String())
	}
	if r.Kind == pipeline.KindIntegrate {
		d.Diff = []byte("diff --git a/hello.go b/hello.go\nindex 1111111..2222222 100644\n--- a/hello.go\n+++ b/hello.go\n" +
			"@@ -1,3 +1,3 @@\n package main\n-func greet() string { return \"hello world\" }\n+func greet() string { return \"hello <b>brave</b> world\" }\n // end\n" +
			"diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+new file\n")
	}
	return d, nil
}
