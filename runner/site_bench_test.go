package runner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
	"github.com/git-ci/git-ci/pipeline"
)

// BenchmarkSite times the site of a repository with n integrated commits
// on main, 8 steps each, with their notes (one in ten integrations failed
// and stays a candidate): reading it from git (collect), a full build into
// an empty folder without a records cache, and an incremental build after
// one more run (collect and publish). Logs come from memory, not run refs (see docs/benchmarks.md).
func BenchmarkSite(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("commits=%d", n), func(b *testing.B) {
			repo := benchSiteRepo(b, n)
			out := filepath.Join(benchDir(b), "site")
			var collect, full, incr, fullCPU, incrCPU time.Duration
			for i := 0; i < b.N; i++ {
				// A full build: no site, no shared run pages, no caches.
				os.RemoveAll(out)
				os.RemoveAll(filepath.Join(filepath.Dir(out), ".site.site"))
				os.RemoveAll(recordsCachePath(repo))
				os.RemoveAll(targetLogPath(repo))
				os.RemoveAll(notesTreesPath(repo))
				cpu := cpuTime()
				start := time.Now()
				s, _, err := CollectSite(repo)
				if err != nil {
					b.Fatal(err)
				}
				collect += time.Since(start)
				s.Details = memDetails{}
				start = time.Now()
				if _, err := publish(s, out); err != nil {
					b.Fatal(err)
				}
				full += time.Since(start)
				fullCPU += cpuTime() - cpu
				addBenchRun(b, repo, 2*n+1+i)
				cpu = cpuTime()
				start = time.Now()
				var res *SiteResult
				pprof.Do(context.Background(), pprof.Labels("build", "incremental"), func(context.Context) {
					res = benchIncremental(b, repo, out)
				})
				incr += time.Since(start)
				incrCPU += cpuTime() - cpu
				b.Logf("n=%d: incremental wrote %d files, kept %d", n, res.Written, res.Kept)
			}
			b.ReportMetric(float64(collect.Milliseconds())/float64(b.N), "collect-ms")
			b.ReportMetric(float64((collect+full).Milliseconds())/float64(b.N), "full-ms")
			b.ReportMetric(float64(incr.Milliseconds())/float64(b.N), "incremental-ms")
			b.ReportMetric(float64(fullCPU.Milliseconds())/float64(b.N), "full-cpu-ms")
			b.ReportMetric(float64(incrCPU.Milliseconds())/float64(b.N), "incremental-cpu-ms")
		})
	}
}

// BenchmarkSiteIncremental repeats the incremental build of BenchmarkSite
// at 10,000 commits, one more run each time: a profile of it
// (-cpuprofile, -benchtime 30x) shows the incremental build, not the
// repository's set-up.
func BenchmarkSiteIncremental(b *testing.B) {
	repo := benchSiteRepo(b, 10000)
	out := filepath.Join(benchDir(b), "site")
	benchIncremental(b, repo, out) // the full build
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		addBenchRun(b, repo, 30000+i)
		b.StartTimer()
		start := cpuTime()
		// pprof -tagfocus build=incremental shows these builds alone.
		pprof.Do(context.Background(), pprof.Labels("build", "incremental"), func(context.Context) {
			benchIncremental(b, repo, out)
		})
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// benchIncremental collects the site of repo and publishes it at out.
func benchIncremental(b *testing.B, repo *gitstore.Repo, out string) *SiteResult {
	s, _, err := CollectSite(repo)
	if err != nil {
		b.Fatal(err)
	}
	s.Details = memDetails{}
	res, err := publish(s, out)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// addBenchRun records one more run, as a failed integration would: a
// candidate commit on main, not promoted, and its note. main does not
// move, so the target's log cache stays valid.
func addBenchRun(b *testing.B, repo *gitstore.Repo, i int) {
	dir := repo.Path()
	commit := strings.TrimSpace(git(b, dir, nil, "commit-tree", "main^{tree}", "-p", "main", "-m", fmt.Sprintf("Integrate b-more-%d into main", i)))
	line := benchRecord(i, commit, fmt.Sprintf("b-more-%d", i), pipeline.StatusFailed).NoteLine()
	git(b, dir, nil, "notes", "--ref="+gitstore.NotesRef, "add", "-m", string(line), commit)
}

// benchDir is where the site is written: $GIT_CI_BENCH_DIR (say, a tmpfs
// such as /dev/shm, to tell git-ci's cost from the disk's), else a
// temporary folder.
func benchDir(b *testing.B) string {
	if d := os.Getenv("GIT_CI_BENCH_DIR"); d != "" {
		dir, err := os.MkdirTemp(d, "git-ci-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	return b.TempDir()
}

// cpuTime is the user and system time of this process and its finished
// children (git): on a shared machine, steadier than wall time.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

// memDetails gives every step a short coloured log, as a run ref would.
type memDetails struct{}

func (memDetails) RunDetail(r *pipeline.Record) (*htmlgen.RunDetail, error) {
	d := &htmlgen.RunDetail{Logs: map[string][]byte{}}
	for _, s := range r.Steps {
		d.Logs[s.Stage+"/"+s.Step] = []byte(fmt.Sprintf("\x1b[1m%s\x1b[0m\nok  \tpkg/%s\t0.%03ds\n", s.Step, s.Step, s.DurationMS%1000))
	}
	return d, nil
}

var benchSteps = [][2]string{{"build", "compile"}, {"build", "lint"}, {"test", "unit"}, {"test", "vet"},
	{"test", "race"}, {"package", "image"}, {"package", "sbom"}, {"deploy", "staging"}}

func benchRecord(i int, commit, branch, status string) pipeline.Record {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	r := pipeline.Record{V: 1, Run: fmt.Sprintf("%s-%016x", start.Format("20060102T150405.000Z"), i), Pipeline: "integrate",
		Kind: pipeline.KindIntegrate, Status: status, Commit: commit, Tree: fmt.Sprintf("%040x", i), Config: fmt.Sprintf("%040x", 1),
		Started: start, DurationMS: 60000, Branch: branch, Into: "main", Promoted: status == pipeline.StatusPassed}
	r.Ref = gitstore.RunsPrefix + r.Run
	for k, s := range benchSteps {
		st := pipeline.StatusPassed
		if status == pipeline.StatusFailed && k == 2 {
			st = pipeline.StatusFailed
		} else if status == pipeline.StatusFailed && k > 4 {
			st = pipeline.StatusSkipped
		}
		r.Steps = append(r.Steps, pipeline.StepResult{Stage: s[0], Step: s[1], Status: st, DurationMS: int64(1000 + (i*37+k*101)%9000)})
	}
	return r
}

// benchSiteRepo writes n commits on main, each with a note holding its
// integration's record, and n/10 failed candidates with theirs, with git
// fast-import (which writes the notes tree with git's fanout).
func benchSiteRepo(b *testing.B, n int) *gitstore.Repo {
	dir := filepath.Join(b.TempDir(), "repo")
	git(b, dir, nil, "init", "-q", "-b", "main", dir)
	var in bytes.Buffer
	data := func(s string) { fmt.Fprintf(&in, "data %d\n%s\n", len(s), s) }
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 1; i <= n+n/10; i++ {
		ref := "refs/heads/main"
		if i > n {
			ref = "refs/heads/cand"
		}
		fmt.Fprintf(&in, "commit %s\ncommitter C <c@example.com> %d +0000\n", ref, t0+int64(i%n)*60)
		data(fmt.Sprintf("Integrate b-%d into main", i))
	}
	git(b, dir, &in, "fast-import", "--quiet")
	hashes := strings.Fields(git(b, dir, nil, "rev-list", "--reverse", "main") + git(b, dir, nil, "rev-list", "--reverse", "main..cand"))
	in.Reset()
	in.WriteString("commit refs/notes/ci\ncommitter C <c@example.com> 1700000000 +0000\n")
	data("notes")
	for i, h := range hashes {
		status := pipeline.StatusPassed
		if i >= n {
			status = pipeline.StatusFailed
		}
		fmt.Fprintf(&in, "N inline %s\n", h)
		data(string(benchRecord(i+1, h, fmt.Sprintf("b-%d", i+1), status).NoteLine()) + "\n")
	}
	git(b, dir, &in, "fast-import", "--quiet")
	repo, err := gitstore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	return repo
}

func git(b *testing.B, dir string, stdin *bytes.Buffer, args ...string) string {
	cmd := exec.Command("git", append([]string{"-C", filepath.Dir(dir)}, args...)...)
	if args[0] != "init" {
		cmd.Dir, cmd.Args = dir, append([]string{"git"}, args...)
	}
	if stdin != nil {
		cmd.Stdin = stdin
	}
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}
