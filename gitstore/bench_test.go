package gitstore

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// benchNotes is how many notes BenchmarkNotes's repository holds.
const benchNotes = 100_000

// notesBench is a repository with benchNotes commits on branch many, a note on
// each in refs/notes/ci (written by git fast-import, in the layout git's
// notes code gives them: 2/2/36), a bare remote origin holding the same,
// and the git-ci binary.
type notesBench struct {
	dir, bin string
	hello    string // the smallest Go program: the floor of any Go command's start
	commits  []plumbing.Hash
}

func newNotesBench(b *testing.B) *notesBench {
	b.Helper()
	dir := newRepo(b)
	var in strings.Builder
	data := func(s string) { fmt.Fprintf(&in, "data %d\n%s\n", len(s), s) }
	for i := 1; i <= benchNotes; i++ {
		fmt.Fprintf(&in, "commit refs/heads/many\nmark :%d\ncommitter C <c@example.com> 1700000000 +0000\n", i)
		data(fmt.Sprintf("commit %d", i))
	}
	in.WriteString("commit refs/notes/ci\ncommitter C <c@example.com> 1700000000 +0000\n")
	data("notes")
	for i := 1; i <= benchNotes; i++ {
		fmt.Fprintf(&in, "N inline :%d\n", i)
		data(fmt.Sprintf(`{"v":1,"run":"20260101T000000.000Z-%016x","pipeline":"integrate","kind":"run","status":"passed","duration_ms":%d,"steps":[]}`+"\n", i, i))
	}
	gitIn(b, dir, in.String(), "fast-import", "--quiet")
	nb := &notesBench{dir: dir, bin: filepath.Join(b.TempDir(), "git-ci")}
	for _, h := range strings.Fields(gitT(b, dir, "rev-list", "many")) {
		nb.commits = append(nb.commits, plumbing.NewHash(h))
	}
	remote := filepath.Join(b.TempDir(), "origin.git")
	gitT(b, "", "init", "--quiet", "--bare", remote)
	gitT(b, dir, "remote", "add", "origin", remote)
	gitT(b, dir, "push", "--quiet", "origin", "main", "many", NotesRef)
	root := strings.TrimSpace(gitT(b, "", "rev-parse", "--show-toplevel"))
	goBuild(b, "", nb.bin, filepath.Join(root, "cmd", "git-ci"))
	hello := b.TempDir()
	for name, text := range map[string]string{
		"go.mod":  "module hello\n",
		"main.go": "package main\n\nimport \"os\"\n\nfunc main() { os.Stdout.WriteString(\"hello\\n\") }\n",
	} {
		if err := os.WriteFile(filepath.Join(hello, name), []byte(text), 0o666); err != nil {
			b.Fatal(err)
		}
	}
	nb.hello = filepath.Join(hello, "hello")
	goBuild(b, hello, nb.hello, ".")
	return nb
}

// goBuild builds package pkg into out, static as the README builds git-ci.
func goBuild(b *testing.B, dir, out, pkg string) {
	build := exec.Command("go", "build", "-o", out, pkg)
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
}

// run times one command in the repository.
func (nb *notesBench) run(b *testing.B, name string, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = nb.dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return d
}

// report prints the median time per operation of each side and their
// ratio (git-ci ÷ git): medians, as a shared machine's spikes would
// decide a sum.
func report(b *testing.B, ours, theirs []time.Duration) {
	mo, mt := median(ours), median(theirs)
	b.ReportMetric(float64(mo.Microseconds())/1000, "git-ci-ms/op")
	b.ReportMetric(float64(mt.Microseconds())/1000, "git-ms/op")
	b.ReportMetric(float64(mo)/float64(mt), "ratio")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkNotes times, on a repository with 100,000 notes, what git-ci
// does with one commit's results against git doing the same:
//
//   - read: `git ci status REV` against `git notes --ref=ci show REV`;
//   - add: adding one run's line to a note and moving refs/notes/ci by
//     compare-and-swap (Open, appendNote, UpdateRefs: what RecordRun does
//     for the note, in process, plus the start of the git-ci binary timed
//     on its own, as no command adds a note alone) against
//     `git notes --ref=ci append`; in-process-ratio leaves the binary's
//     start out, as the command that ran the pipeline has paid it;
//   - push: `git ci push origin` after one new run (its note and run ref)
//     against `git push origin refs/notes/ci` after `git notes append`.
func BenchmarkNotes(b *testing.B) {
	nb := newNotesBench(b)
	b.Run("read-in-process", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r, err := Open(nb.dir)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.Note(nb.commits[(i*7919)%len(nb.commits)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		var ours, theirs []time.Duration
		for i := 0; i < b.N; i++ {
			rev := nb.commits[(i*7919)%len(nb.commits)].String()
			ours = append(ours, nb.run(b, nb.bin, "status", rev))
			theirs = append(theirs, nb.run(b, "git", "notes", "--ref=ci", "show", rev))
		}
		report(b, ours, theirs)
	})
	b.Run("add", func(b *testing.B) {
		var ours, inProcess, theirs, start, gitStart, goStart []time.Duration
		for i := 0; i < b.N; i++ {
			c := nb.commits[(i*7919+1)%len(nb.commits)]
			add := nb.addNote(b, c, fmt.Sprintf(`{"run":"add-%d"}`, i))
			inProcess = append(inProcess, add)
			// The start of `git ci run`, the command that records a run:
			// the binary started and run's parser built; --version ends
			// it there. (A bare --version builds every command's parser.)
			start = append(start, nb.run(b, nb.bin, "run", "--version"))
			ours = append(ours, start[i]+add)
			gitStart = append(gitStart, nb.run(b, "git", "--version"))
			goStart = append(goStart, nb.run(b, nb.hello))
			theirs = append(theirs, nb.run(b, "git", "notes", "--ref=ci", "append", "-m", fmt.Sprintf(`{"run":"git-%d"}`, i), nb.commits[(i*7919+2)%len(nb.commits)].String()))
		}
		report(b, ours, theirs)
		// What adding a run costs the command that ran it, whose process
		// is started anyway, against git's whole command.
		b.ReportMetric(float64(median(inProcess).Microseconds())/1000, "in-process-ms/op")
		b.ReportMetric(float64(median(inProcess))/float64(median(theirs)), "in-process-ratio")
		b.ReportMetric(float64(median(start).Microseconds())/1000, "start-ms/op")        // `git-ci run --version`
		b.ReportMetric(float64(median(gitStart).Microseconds())/1000, "git-start-ms/op") // `git --version`
		b.ReportMetric(float64(median(goStart).Microseconds())/1000, "go-start-ms/op")   // hello, world
	})
	pushes := 0
	b.Run("push", func(b *testing.B) {
		var ours, theirs []time.Duration
		for i := 0; i < b.N; i++ {
			r := openRepo(b, nb.dir)
			pushes++
			recordT(b, r, testRun(fmt.Sprintf("push-%d", pushes), nb.commits[(i*7919+3)%len(nb.commits)], fmt.Sprintf(`{"run":"push-%d"}`, i)))
			ours = append(ours, nb.run(b, nb.bin, "push", "origin"))
			nb.run(b, "git", "notes", "--ref=ci", "append", "-m", fmt.Sprintf(`{"run":"gitpush-%d"}`, i), nb.commits[(i*7919+4)%len(nb.commits)].String())
			theirs = append(theirs, nb.run(b, "git", "push", "--quiet", "origin", NotesRef))
		}
		report(b, ours, theirs)
	})
}

// addNote is git-ci adding line to commit's note from a fresh start:
// open the repository, write the note, move refs/notes/ci by
// compare-and-swap.
func (nb *notesBench) addNote(b *testing.B, commit plumbing.Hash, line string) time.Duration {
	start := time.Now()
	r, err := Open(nb.dir)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := r.beginRefs("bench", NotesRef) // as RecordRun
	if err != nil {
		b.Fatal(err)
	}
	tip, err := r.RefValue(NotesRef)
	if err != nil {
		b.Fatal(err)
	}
	notes, err := r.appendNote(tip, []plumbing.Hash{commit}, []byte(line))
	if err != nil {
		b.Fatal(err)
	}
	if err := tx.commit(RefUpdate{Name: NotesRef, Old: tip, New: notes}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
