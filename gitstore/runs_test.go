package gitstore

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
	"github.com/go-git/go-git/v5/plumbing"
)

func TestRecordRunTree(t *testing.T) {
	dir := newRepo(t)
	c := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	logs := memfs.New()
	files := map[string]string{
		"build/compile.log": "compiling\nok\n",
		"test/unit.log":     "PASS\n",
		"test/vet.log":      "",
		"deep/a/b/step.log": "deep\n",
	}
	for p, content := range files {
		if err := util.WriteFile(logs, p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := logs.MkdirAll("empty/dir", 0o755); err != nil {
		t.Fatal(err)
	}
	run := testRun("20260101T000000.000Z-0123456789abcdef", c, "line")
	run.Logs = logs
	runCommit := recordT(t, r, run)

	ref := RunsPrefix + run.ID
	if got := revParse(t, dir, ref); got != runCommit {
		t.Errorf("git rev-parse %s = %s, RecordRun returned %s", ref, got, runCommit)
	}
	if got := gitT(t, dir, "rev-list", "--parents", "-n1", ref); got != runCommit.String()+" "+c.String() {
		t.Errorf("run commit parents: %q, want the tested commit %s only", got, c)
	}
	if got := gitT(t, dir, "log", "-1", "--format=%s", ref); got != run.Subject {
		t.Errorf("run commit subject = %q, want %q", got, run.Subject)
	}
	want := []string{"logs/build/compile.log", "logs/deep/a/b/step.log", "logs/test/unit.log", "logs/test/vet.log", "run.json"}
	if got := strings.Split(gitT(t, dir, "ls-tree", "-r", "--name-only", ref), "\n"); !slices.Equal(got, want) {
		t.Errorf("git ls-tree -r %s = %q, want %q", ref, got, want)
	}
	for p, content := range files {
		if got, _ := gitOut(dir, "", "cat-file", "blob", ref+":logs/"+p); got != strings.TrimSuffix(content, "\n") {
			t.Errorf("%s:logs/%s = %q, want %q", ref, p, got, content)
		}
	}
	if got := gitT(t, dir, "cat-file", "blob", ref+":run.json"); got != string(run.Record) {
		t.Errorf("run.json = %q, want %q", got, run.Record)
	}
	fsckT(t, dir)
}

func TestRecordRunAlsoMoved(t *testing.T) {
	dir := newRepo(t)
	a := revParse(t, dir, "HEAD")
	b := commitFile(t, dir, "f", "b\n", "b")
	gitT(t, dir, "update-ref", "refs/ci/candidates/x", b.String())
	r := openRepo(t, dir)
	recordT(t, r, testRun("first", a, "first"))
	notes := revParse(t, dir, NotesRef)

	tests := []struct {
		name string
		also []RefUpdate
		want string
	}{
		{"target moved", []RefUpdate{{Name: "refs/ci/candidates/x", Old: b}, {Name: "refs/heads/main", Old: a, New: b}}, "refs/heads/main"},
		{"candidate gone", []RefUpdate{{Name: "refs/ci/candidates/x", Old: a}}, "refs/ci/candidates/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.RecordRun(testRun("second", b, "second"), tt.also...)
			var moved *RefMovedError
			if !errors.As(err, &moved) || moved.Ref != tt.want {
				t.Fatalf("RecordRun = %v, want *RefMovedError for %s", err, tt.want)
			}
			if h := revParse(t, dir, RunsPrefix+"second"); !h.IsZero() {
				t.Errorf("run ref written: %s", h)
			}
			if h := revParse(t, dir, NotesRef); h != notes {
				t.Errorf("refs/notes/ci moved to %s", h)
			}
			if h := revParse(t, dir, "refs/ci/candidates/x"); h != b {
				t.Errorf("refs/ci/candidates/x moved to %s", h)
			}
			if _, err := gitOut(dir, "", "notes", "--ref=ci", "show", b.String()); err == nil {
				t.Errorf("note written on %s", b)
			}
		})
	}
}

// checkRecorded checks that each commit's note holds exactly the lines
// want gives it, each once, that refs/notes/ci's history is linear with
// commits notes commits, and that every run ref exists.
func checkRecorded(t *testing.T, dir string, want map[plumbing.Hash][]string, runs []string, commits int) {
	t.Helper()
	for c, lines := range want {
		got := strings.Split(gitT(t, dir, "notes", "--ref=ci", "show", c.String()), "\n")
		slices.Sort(got)
		lines = slices.Sorted(slices.Values(lines))
		if !slices.Equal(got, lines) {
			t.Errorf("note of %s:\n%s\nwant exactly once each:\n%s", c, strings.Join(got, "\n"), strings.Join(lines, "\n"))
		}
	}
	if merges := gitT(t, dir, "rev-list", "--min-parents=2", NotesRef); merges != "" {
		t.Errorf("refs/notes/ci history is not linear: merges %s", merges)
	}
	if got := gitT(t, dir, "rev-list", "--count", NotesRef); got != fmt.Sprint(commits) {
		t.Errorf("refs/notes/ci has %s commits, want %d", got, commits)
	}
	refs := gitT(t, dir, "for-each-ref", "--format=%(refname)", RunsPrefix)
	for _, id := range runs {
		if !strings.Contains(refs, RunsPrefix+id+"\n") && !strings.HasSuffix(refs, RunsPrefix+id) {
			t.Errorf("run ref %s%s missing", RunsPrefix, id)
		}
	}
	if dup := duplicateNotes(t, dir); len(dup) > 0 {
		t.Errorf("objects with two notes: %v", dup)
	}
	fsckT(t, dir)
}

// threeCommits adds two commits to dir's main and returns all three.
func threeCommits(t *testing.T, dir string) []plumbing.Hash {
	return []plumbing.Hash{revParse(t, dir, "HEAD"), commitFile(t, dir, "f", "2\n", "2"), commitFile(t, dir, "f", "3\n", "3")}
}

// TestRecordRunConcurrent records runs from several goroutines at once,
// each with its own Repo, as a Repo's object IO is not for concurrent use.
func TestRecordRunConcurrent(t *testing.T) {
	dir := newRepo(t)
	commits := threeCommits(t, dir)
	const writers, each = 10, 4
	want := map[plumbing.Hash][]string{}
	var runs []string
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		r := openRepo(t, dir)
		var mine []Run
		for k := 0; k < each; k++ {
			c := commits[0] // all writers on one commit, and some on others
			if k%2 == 1 {
				c = commits[1+w%2]
			}
			id := fmt.Sprintf("w%d-%d", w, k)
			mine = append(mine, testRun(id, c, `{"run":"`+id+`"}`))
			want[c] = append(want[c], `{"run":"`+id+`"}`)
			runs = append(runs, id)
		}
		goRecord(t, &wg, r, mine)
	}
	wg.Wait()
	checkRecorded(t, dir, want, runs, writers*each)
}

// goRecord records runs in r, in order, on a goroutine of wg's.
func goRecord(t *testing.T, wg *sync.WaitGroup, r *Repo, runs []Run) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, run := range runs {
			if _, err := r.RecordRun(run); err != nil {
				t.Errorf("RecordRun(%s): %v", run.ID, err)
			}
		}
	}()
}

// TestRecordRunProcesses records runs from several processes at once: this
// test binary run again as TestHelperProcess.
func TestRecordRunProcesses(t *testing.T) {
	dir := newRepo(t)
	commits := threeCommits(t, dir)
	const procs, each = 3, 6
	want := map[plumbing.Hash][]string{}
	var runs []string
	var cmds []*exec.Cmd
	for p := 0; p < procs; p++ {
		var spec []string
		for k := 0; k < each; k++ {
			c := commits[0]
			if k%2 == 1 {
				c = commits[1+p%2]
			}
			id := fmt.Sprintf("p%d-%d", p, k)
			spec = append(spec, id+"="+c.String())
			want[c] = append(want[c], `{"run":"`+id+`"}`)
			runs = append(runs, id)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "GITSTORE_HELPER_DIR="+dir, "GITSTORE_HELPER_RUNS="+strings.Join(spec, " "))
		cmds = append(cmds, cmd)
	}
	outs := make([][]byte, procs)
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			outs[i], err = cmd.CombinedOutput()
			if err != nil {
				t.Errorf("helper process %d: %v\n%s", i, err, outs[i])
			}
		}()
	}
	wg.Wait()
	checkRecorded(t, dir, want, runs, procs*each)
}

// TestHelperProcess is not a test: TestRecordRunProcesses runs it in child
// processes, each recording the runs GITSTORE_HELPER_RUNS lists (ID=COMMIT).
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("GITSTORE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process for TestRecordRunProcesses")
	}
	r := openRepo(t, dir)
	for _, spec := range strings.Fields(os.Getenv("GITSTORE_HELPER_RUNS")) {
		id, c, _ := strings.Cut(spec, "=")
		recordT(t, r, testRun(id, plumbing.NewHash(c), `{"run":"`+id+`"}`))
	}
}

// raceGit makes each of the next n ref transactions first run script,
// with the real git as $GIT and $n the count so far, as another process
// moving refs/notes/ci between RecordRun's read and write: a git first on
// PATH runs it before `update-ref --stdin`, the test hook before a
// transaction git-ci commits itself.
func raceGit(t *testing.T, n int, script string) {
	t.Helper()
	real, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	counter := filepath.Join(bin, "count")
	race := filepath.Join(bin, "race")
	writeFileT(t, race, fmt.Sprintf(`#!/bin/sh
GIT=%q
n=$(cat %q 2>/dev/null || echo 0)
if [ "$n" -lt %d ]; then
	echo $((n+1)) >%q
	cd "$1" && %s
fi
`, real, counter, n, counter, script))
	writeFileT(t, filepath.Join(bin, "git"), fmt.Sprintf(`#!/bin/sh
if [ "$3" = update-ref ] && [ "$6" = --stdin ]; then
	%q "$2" </dev/null || exit 99
fi
exec %q "$@"
`, race, real))
	for _, f := range []string{race, filepath.Join(bin, "git")} {
		if err := os.Chmod(f, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	testHookRefCommit = func(r *Repo) error {
		if out, err := exec.Command(race, r.Path()).CombinedOutput(); err != nil {
			return fmt.Errorf("race: %v: %s", err, out)
		}
		return nil
	}
	t.Cleanup(func() { testHookRefCommit = nil })
}

func TestRecordRunRacingUpdateRef(t *testing.T) {
	dir := newRepo(t)
	commits := threeCommits(t, dir)
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "t1", commits[0].String())
	t1 := revParse(t, dir, NotesRef)
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "t2", commits[1].String())
	t2 := revParse(t, dir, NotesRef)
	gitT(t, dir, "update-ref", NotesRef, t1.String(), t2.String())

	r := openRepo(t, dir)
	// Twice another process moves refs/notes/ci just before our transaction:
	// first to t2, then by a git notes append.
	raceGit(t, 2, fmt.Sprintf(`if [ "$n" = 0 ]; then "$GIT" update-ref %s %s %s; else "$GIT" notes --ref=ci append -m raced %s; fi`,
		NotesRef, t2, t1, commits[0]))
	recordT(t, r, testRun("r", commits[2], "ours"))
	want := map[plumbing.Hash][]string{commits[0]: {"t1", "", "raced"}, commits[1]: {"t2"}, commits[2]: {"ours"}}
	checkRecorded(t, dir, want, []string{"r"}, 4)
}

func TestRecordRunRetriesBounded(t *testing.T) {
	dir := newRepo(t)
	c := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	raceGit(t, 1000, fmt.Sprintf(`"$GIT" notes --ref=ci append -m "other $n" %s`, c))
	_, err := r.RecordRun(testRun("r", c, "ours"))
	if err == nil || !strings.Contains(err.Error(), NotesRef) {
		t.Fatalf("RecordRun against an endless race = %v, want an error naming %s", err, NotesRef)
	}
	if h := revParse(t, dir, RunsPrefix+"r"); !h.IsZero() {
		t.Errorf("run ref written: %s", h)
	}
	if got := gitT(t, dir, "notes", "--ref=ci", "show", c.String()); strings.Contains(got, "ours") {
		t.Errorf("note written:\n%s", got)
	}
}
