package merge

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/git-ci/git-ci/gitstore"
)

// bigHistory builds a tree of n files (100 per directory) as big/base, and
// big/ours and big/theirs changing 100 files each: 50 of them the same
// files (different lines, which git merges cleanly), and 10 renamed on
// each side, 5 of those also edited.
func bigHistory(tb testing.TB, n int) *gitRepo {
	path := func(i int) string { return fmt.Sprintf("d%d/e%d/f%d", i/10000, i/100%100, i%100) }
	text := func(i int, edit string) string {
		var b strings.Builder
		for l := 0; l < 12; l++ {
			if edit != "" && l == len(edit)%12 {
				fmt.Fprintf(&b, "%s of file %d\n", edit, i)
				continue
			}
			fmt.Fprintf(&b, "line %d of file %d\n", l, i)
		}
		return b.String()
	}
	base := snapshot{}
	for i := 0; i < n; i++ {
		base[path(i)] = text(i, "")
	}
	ours, theirs := with(base), with(base)
	step := n / 200
	for k := 0; k < 100; k++ {
		i, j := k*step, (k+50)*step // ours changes files 0..99, theirs 50..149
		ours[path(i)] = text(i, "ours")
		theirs[path(j)] = text(j, "theirs!")
	}
	for k := 0; k < 10; k++ {
		i, j := (150+k)*step, (170+k)*step
		o, t := ours[path(i)], theirs[path(j)]
		if k%2 == 0 {
			o, t = text(i, "renamed ours"), text(j, "renamed theirs")
		}
		delete(ours, path(i))
		delete(theirs, path(j))
		ours["moved/"+path(i)] = o
		theirs["moved/"+path(j)] = t
	}
	r := importBig(tb, base, ours, theirs)
	return r
}

func BenchmarkMergeTree10k(b *testing.B)  { benchMergeTree(b, 10_000) }
func BenchmarkMergeTree100k(b *testing.B) { benchMergeTree(b, 100_000) }

// benchMergeTree measures the merge in process, with git-ci's object store
// opened afresh each time (ns/op, and x-git: the time
// as a fraction of `git merge-tree --write-tree` on the same commits), then
// `git ci merge-tree` as a process against git's under /usr/bin/time -v:
// cli-x-git (wall time), direct-x-git (the git-ci binary started without
// git's dispatcher) and rss-x-git (peak resident memory).
func benchMergeTree(b *testing.B, n int) {
	r := bigHistory(b, n)
	ours, theirs := r.rev("big/ours"), r.rev("big/theirs")
	gitNs := timeGit(b, r, "big/ours", "big/theirs")
	opt := Options{Branch1: "big/ours", Branch2: "big/theirs"}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		// Opened each time, as `git ci merge-tree` does: no object cached
		// from the iteration before.
		repo, err := gitstore.Open(r.dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := CommitsWith(repo.Storer(), ours, theirs, opt); err != nil {
			b.Fatal(err)
		}
	}
	ns := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.StopTimer()
	b.ReportMetric(gitNs, "git-ns/op")
	b.ReportMetric(ns/gitNs, "x-git")
	bin := gitCIBinary(b)
	if bin == "" {
		return
	}
	// `git ci` finds git-ci on PATH; git starts it as a child process
	// after its own start, as for any command git does not have. `git
	// hello` is a Go hello world started so: the floor of any command
	// written in Go behind git's dispatcher.
	onPath := append(slices.Clone(r.env), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	u := measure(b, r.dir,
		command{onPath, []string{"git", "ci", "merge-tree", "big/ours", "big/theirs"}},
		command{r.env, []string{bin, "merge-tree", "big/ours", "big/theirs"}},
		command{r.env, []string{"git", "merge-tree", "--write-tree", "big/ours", "big/theirs"}},
		command{onPath, []string{"git", "hello"}})
	mine, direct, git, floor := u[0], u[1], u[2], u[3]
	b.ReportMetric(mine.wall/git.wall, "cli-x-git")
	b.ReportMetric(direct.wall/git.wall, "direct-x-git") // git-ci merge-tree, no dispatcher
	b.ReportMetric(floor.wall/git.wall, "floor-x-git")   // git hello: Go's start behind the dispatcher
	b.ReportMetric(mine.rss/git.rss, "rss-x-git")
	b.ReportMetric(mine.rss/1024, "rss-MB")
	b.ReportMetric(git.rss/1024, "git-rss-MB")
}

var (
	binOnce sync.Once
	binPath string
)

// gitCIBinary builds the git-ci command once, and beside it git-hello,
// a Go hello world; "" when it cannot.
func gitCIBinary(b *testing.B) string {
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "git-ci-bench")
		if err != nil {
			return
		}
		hello := filepath.Join(dir, "hello")
		os.Mkdir(hello, 0o755)
		os.WriteFile(filepath.Join(hello, "go.mod"), []byte("module hello\n"), 0o644)
		os.WriteFile(filepath.Join(hello, "main.go"), []byte("package main\n\nimport \"os\"\n\nfunc main() { os.Stdout.WriteString(\"hello\\n\") }\n"), 0o644)
		p := filepath.Join(dir, "git-ci")
		if err := goBuild("", p, "github.com/git-ci/git-ci/cmd/git-ci"); err != nil {
			b.Logf("no git-ci binary, skipping the process comparison: %v", err)
			return
		}
		if err := goBuild(hello, filepath.Join(dir, "git-hello"), "."); err != nil {
			b.Logf("no hello world, skipping the process comparison: %v", err)
			return
		}
		binPath = p
	})
	return binPath
}

// goBuild builds package pkg into out, static as the README builds git-ci.
func goBuild(dir, out, pkg string) error {
	build := exec.Command("go", "build", "-o", out, pkg)
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("%v\n%s", err, msg)
	}
	return nil
}

type usage struct{ wall, rss float64 } // seconds, KiB

var (
	rssRE = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
)

// command is a command line and its environment.
type command struct {
	env  []string
	argv []string
}

// measure runs the commands 21 times each under /usr/bin/time -v in dir,
// in turn so that a change of load hits all alike (exit 1, conflicts,
// is fine), and returns for each the median wall time (as seen from
// here; /usr/bin/time's own is in centiseconds; a median, as one spike
// of a shared machine would decide a mean) and the largest peak RSS of
// the command and its children.
func measure(b *testing.B, dir string, cmds ...command) []usage {
	const runs = 21
	us := make([]usage, len(cmds))
	walls := make([][]float64, len(cmds))
	for i := 0; i < runs; i++ {
		for j, c := range cmds {
			cmd := exec.Command("/usr/bin/time", append([]string{"-v"}, c.argv...)...)
			cmd.Dir, cmd.Env = dir, c.env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			walls[j] = append(walls[j], time.Since(start).Seconds())
			if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
				b.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
			}
			m := rssRE.FindStringSubmatch(stderr.String())
			if m == nil {
				b.Fatalf("no usage from /usr/bin/time:\n%s", stderr.String())
			}
			rss, _ := strconv.ParseFloat(m[1], 64)
			us[j].rss = max(us[j].rss, rss)
		}
	}
	for j := range us {
		slices.Sort(walls[j])
		us[j].wall = walls[j][runs/2]
	}
	return us
}
