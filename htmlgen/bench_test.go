package htmlgen

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-billy/v5/memfs"
)

// BenchmarkRunPage renders the fixture's failed run page (a long log, a
// diff) and its passed one.
func BenchmarkRunPage(b *testing.B) {
	s := fixture()
	m := newModel(s)
	for _, i := range []int{2, 3} {
		r := s.Runs[i]
		d, _ := s.Details.RunDetail(r)
		page, err := runPageOf(m, &writer{out: Output{FS: memfs.New()}, next: Manifest{}, imm: memfs.New(), have: map[string]bool{}}, r, d)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(r.Status, func(b *testing.B) {
			for b.Loop() {
				var buf bytes.Buffer
				if err := m.runHTML(&buf, []*runPage{page}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFrame renders a page that is only the frame (head and foot).
func BenchmarkFrame(b *testing.B) {
	m := newModel(fixture())
	p := branchesPage{Page: m.page("Branches", "branches", "")}
	for b.Loop() {
		if err := templates().ExecuteTemplate(io.Discard, "branches", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModel indexes a site of 10,000 target commits, each with an
// integration of 8 steps, and 1,000 failed candidates: the part of every
// build that grows with history before any page is rendered.
func BenchmarkModel(b *testing.B) {
	s := benchSite(10000)
	start := cpuTime()
	for b.Loop() {
		newModel(s)
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the user and system time of this process: on a shared
// machine, steadier than wall time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// benchSite is a site of n target commits with a run each and n/10
// failed candidates, sorted by run id, as the runner reads them.
func benchSite(n int) *Site {
	steps := [][2]string{{"build", "compile"}, {"build", "lint"}, {"test", "unit"}, {"test", "vet"},
		{"test", "race"}, {"package", "image"}, {"package", "sbom"}, {"deploy", "staging"}}
	s := &Site{Name: "bench", Target: "main"}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n+n/10; i++ {
		start := t0.Add(time.Duration(i) * time.Minute)
		r := pipeline.Record{V: 1, Run: fmt.Sprintf("%s-%016x", start.Format("20060102T150405.000Z"), i), Pipeline: "integrate",
			Kind: pipeline.KindIntegrate, Status: pipeline.StatusPassed, Commit: fmt.Sprintf("%040x", i), Tree: fmt.Sprintf("%040x", i+1<<32),
			Started: start, DurationMS: 60000, Branch: fmt.Sprintf("b-%d", i), Into: "main", Promoted: i <= n}
		if i > n {
			r.Status = pipeline.StatusFailed
		} else {
			s.Commits = append(s.Commits, Commit{Hash: r.Commit, Subject: "Integrate " + r.Branch + " into main", Date: start})
		}
		for k, st := range steps {
			r.Steps = append(r.Steps, pipeline.StepResult{Stage: st[0], Step: st[1], Status: pipeline.StatusPassed, DurationMS: int64(1000 + (i*37+k*101)%9000)})
		}
		s.Runs = append(s.Runs, &r)
	}
	slices.Reverse(s.Commits)
	return s
}
