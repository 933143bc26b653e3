package runner_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkIntegrate times `git ci integrate` against the git-command script
// scripts/bench-ref/integrate.sh doing the same work, in the same run, on a
// repository of 10,000 files with a branch changing 10 of them and a
// pipeline of one step `true`. It reports both and their ratio.
func BenchmarkIntegrate(b *testing.B) {
	root := moduleRoot(b)
	dir := b.TempDir()
	bin := filepath.Join(dir, "bin")
	sh(b, root, "env", "CGO_ENABLED=0", "go", "build", "-o", filepath.Join(bin, "git-ci"), "./cmd/git-ci")
	repo := filepath.Join(dir, "repo")
	genRepo(b, repo, 10000)
	cfg := filepath.Join(dir, "cfg")
	sh(b, dir, "git", "init", "-q", cfg)
	os.WriteFile(filepath.Join(cfg, "ci.yaml"), []byte("pipelines:\n  integrate:\n    stages:\n      - {name: test, run: \"true\"}\n"), 0o644)
	sh(b, cfg, "git", "add", ".")
	sh(b, cfg, "git", "commit", "-qm", "ci")
	sh(b, repo, "git", "config", "ci.config", cfg)
	os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	script := filepath.Join(root, "scripts", "bench-ref", "integrate.sh")
	var ours, theirs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		branch(b, repo, fmt.Sprintf("ci-%d", i), 2*i)
		branch(b, repo, fmt.Sprintf("sh-%d", i), 2*i+1)
		b.StartTimer()
		ours += timed(b, repo, "git", "ci", "integrate", fmt.Sprintf("ci-%d", i))
		theirs += timed(b, repo, script, fmt.Sprintf("sh-%d", i))
	}
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "git-ci-ms/op")
	b.ReportMetric(float64(theirs.Milliseconds())/float64(b.N), "git-ms/op")
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
}

func moduleRoot(tb testing.TB) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func sh(tb testing.TB, dir string, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func timed(tb testing.TB, dir, name string, args ...string) time.Duration {
	start := time.Now()
	sh(tb, dir, name, args...)
	return time.Since(start)
}

// genRepo makes a repository of n files in directories of 100, with main
// committed and not checked out (HEAD detached), as on a CI machine.
func genRepo(tb testing.TB, dir string, n int) {
	sh(tb, filepath.Dir(dir), "git", "init", "-q", "-b", "main", dir)
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("d%03d", i/100), fmt.Sprintf("f%03d.txt", i%100))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(fmt.Sprintf("file %d\nline two\n", i)), 0o644)
	}
	sh(tb, dir, "git", "add", ".")
	sh(tb, dir, "git", "commit", "-qm", "base")
	sh(tb, dir, "git", "checkout", "-q", "--detach")
}

// branch makes name from main with 10 files changed, spread over
// directories; branches of different k change different files.
func branch(tb testing.TB, repo, name string, k int) {
	sh(tb, repo, "git", "checkout", "-q", "-b", name, "main")
	for i := 0; i < 10; i++ {
		p := filepath.Join(repo, fmt.Sprintf("d%03d", i*10), fmt.Sprintf("f%03d.txt", k%100))
		os.WriteFile(p, []byte(name+"\n"), 0o644)
	}
	sh(tb, repo, "git", "commit", "-qam", name)
	sh(tb, repo, "git", "checkout", "-q", "--detach")
}
