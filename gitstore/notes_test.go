package gitstore

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// testRun is a run of id on commit whose note line is line.
func testRun(id string, commit plumbing.Hash, line string) Run {
	return Run{ID: id, Commit: commit, Record: []byte(`{"run":"` + id + `"}`), NoteLine: []byte(line), Subject: "git-ci run " + id}
}

func recordT(t testing.TB, r *Repo, run Run, also ...RefUpdate) plumbing.Hash {
	t.Helper()
	h, err := r.RecordRun(run, also...)
	if err != nil {
		t.Fatalf("RecordRun(%s): %v", run.ID, err)
	}
	return h
}

// fsckT fails the test when git fsck --strict finds anything but dangling objects.
func fsckT(t *testing.T, dir string) {
	t.Helper()
	if out, err := gitOut(dir, "", "fsck", "--strict", "--no-dangling", "--no-progress"); err != nil || out != "" {
		t.Errorf("git fsck --strict: %v\n%s", err, out)
	}
}

// duplicateNotes lists the objects git notes list shows more than once.
func duplicateNotes(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]int{}
	var dup []string
	for _, l := range strings.Split(gitT(t, dir, "notes", "--ref=ci", "list"), "\n") {
		f := strings.Fields(l)
		if len(f) != 2 {
			continue
		}
		if seen[f[1]]++; seen[f[1]] == 2 {
			dup = append(dup, f[1])
		}
	}
	return dup
}

func TestRecordRunNoteInterop(t *testing.T) {
	dir := newRepo(t)
	c := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	line1 := `{"v":1,"run":"r1","status":"passed"}`
	recordT(t, r, testRun("r1", c, line1))

	if got := gitT(t, dir, "notes", "--ref=ci", "show", c.String()); got != line1 {
		t.Errorf("git notes show = %q, want %q", got, line1)
	}
	if got := strings.TrimSpace(gitT(t, dir, "log", "-1", "--notes=ci", "--format=%N", c.String())); got != line1 {
		t.Errorf("git log --notes=ci %%N = %q, want %q", got, line1)
	}
	if got := gitT(t, dir, "log", "-1", "--notes=ci", c.String()); !strings.Contains(got, "Notes (ci):\n    "+line1) {
		t.Errorf("git log --notes=ci does not show the note:\n%s", got)
	}

	line2 := `{"v":1,"run":"r2","status":"failed"}`
	recordT(t, r, testRun("r2", c, line2))
	recordT(t, r, testRun("r3", c, line1)) // the same line again
	want := line1 + "\n" + line2
	if got := gitT(t, dir, "notes", "--ref=ci", "show", c.String()); got != want {
		t.Errorf("git notes show after three runs = %q, want %q", got, want)
	}
	if got, err := r.Note(c); err != nil || string(got) != want+"\n" {
		t.Errorf("Note = %q, %v; want %q", got, err, want+"\n")
	}
	if got := gitT(t, dir, "rev-list", "--count", NotesRef); got != "3" {
		t.Errorf("refs/notes/ci has %s commits, want 3", got)
	}
	for _, id := range []string{"r1", "r2", "r3"} {
		if revParse(t, dir, RunsPrefix+id).IsZero() {
			t.Errorf("%s%s missing", RunsPrefix, id)
		}
	}
	fsckT(t, dir)
}

func TestNoteReadsGitNotes(t *testing.T) {
	dir := newRepo(t)
	c := revParse(t, dir, "HEAD")
	d := commitFile(t, dir, "f", "d\n", "d")
	e := commitFile(t, dir, "f", "e\n", "e")
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "first", c.String())
	gitT(t, dir, "notes", "--ref=ci", "append", "-m", "second", c.String())
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "other", d.String())
	r := openRepo(t, dir)
	for _, h := range []plumbing.Hash{c, d} {
		want := gitT(t, dir, "notes", "--ref=ci", "show", h.String()) + "\n"
		if got, err := r.Note(h); err != nil || string(got) != want {
			t.Errorf("Note(%s) = %q, %v; git notes show = %q", h, got, err, want)
		}
	}
	if got, err := r.Note(e); err != nil || got != nil {
		t.Errorf("Note(no note) = %q, %v; want nil, nil", got, err)
	}

	// Appending to a note git wrote keeps git's lines.
	recordT(t, r, testRun("r1", c, "line"))
	if got, want := gitT(t, dir, "notes", "--ref=ci", "show", c.String()), "first\n\nsecond\nline"; got != want {
		t.Errorf("git notes show = %q, want %q", got, want)
	}
	// And git appends to ours.
	recordT(t, r, testRun("r2", e, "ours"))
	gitT(t, dir, "notes", "--ref=ci", "append", "-m", "git's", e.String())
	if got, err := r.Note(e); err != nil || string(got) != "ours\n\ngit's\n" {
		t.Errorf("Note after git notes append = %q, %v", got, err)
	}
	fsckT(t, dir)
}

func TestNoteEmptyRepo(t *testing.T) {
	r := openRepo(t, newRepo(t))
	if got, err := r.Note(plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")); err != nil || got != nil {
		t.Errorf("Note without refs/notes/ci = %q, %v; want nil, nil", got, err)
	}
}

// fanoutRepo makes n commits on refs/heads/many and a note on each, all in
// one git fast-import, which writes the notes tree with git's fanout.
func fanoutRepo(t *testing.T, n int) (string, []plumbing.Hash) {
	t.Helper()
	dir := newRepo(t)
	var in strings.Builder
	data := func(s string) { fmt.Fprintf(&in, "data %d\n%s\n", len(s), s) }
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&in, "commit refs/heads/many\nmark :%d\ncommitter C <c@example.com> 1700000000 +0000\n", i)
		data(fmt.Sprintf("commit %d", i))
	}
	in.WriteString("commit refs/notes/ci\ncommitter C <c@example.com> 1700000000 +0000\n")
	data("notes")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&in, "N inline :%d\n", i)
		data(fmt.Sprintf(`{"run":"ext-%d"}`+"\n", i))
	}
	gitIn(t, dir, in.String(), "fast-import", "--quiet")
	var commits []plumbing.Hash
	for _, h := range strings.Fields(gitT(t, dir, "rev-list", "--reverse", "refs/heads/many")) {
		commits = append(commits, plumbing.NewHash(h))
	}
	if len(commits) != n {
		t.Fatalf("fast-import made %d commits, want %d", len(commits), n)
	}
	return dir, commits
}

func TestNotesFanout(t *testing.T) {
	dir, commits := fanoutRepo(t, 300)
	top := gitT(t, dir, "ls-tree", NotesRef)
	if !strings.Contains(top, "040000 tree") || strings.Contains(top, "blob") {
		t.Fatalf("git did not write a 2/38 fanout notes tree:\n%.400s", top)
	}
	r := openRepo(t, dir)
	for _, i := range []int{0, 1, 150, 299} {
		want := gitT(t, dir, "notes", "--ref=ci", "show", commits[i].String()) + "\n"
		if got, err := r.Note(commits[i]); err != nil || string(got) != want {
			t.Errorf("Note(commit %d) = %q, %v; git notes show = %q", i+1, got, err, want)
		}
	}

	// A new note goes under the fanout directory; an old one stays where it is.
	fresh := plumbing.NewHash(gitIn(t, dir, "", "commit-tree", "-p", "HEAD", "-m", "fresh", "HEAD^{tree}"))
	recordT(t, r, testRun("new", fresh, "new note"))
	recordT(t, r, testRun("old", commits[7], "appended"))
	if got := gitT(t, dir, "notes", "--ref=ci", "show", fresh.String()); got != "new note" {
		t.Errorf("git notes show (new note) = %q", got)
	}
	if got, want := gitT(t, dir, "notes", "--ref=ci", "show", commits[7].String()), `{"run":"ext-8"}`+"\nappended"; got != want {
		t.Errorf("git notes show (appended) = %q, want %q", got, want)
	}
	paths := strings.Split(gitT(t, dir, "ls-tree", "-r", "--name-only", NotesRef), "\n")
	for _, h := range []plumbing.Hash{fresh, commits[7]} {
		want := h.String()[:2] + "/" + h.String()[2:]
		if !slices.Contains(paths, want) {
			t.Errorf("notes tree has no %s", want)
		}
	}
	if len(paths) != 301 {
		t.Errorf("notes tree has %d notes, want 301", len(paths))
	}
	if dup := duplicateNotes(t, dir); len(dup) > 0 {
		t.Errorf("objects with two notes: %v", dup)
	}
	// git keeps adding to the tree we wrote.
	gitT(t, dir, "notes", "--ref=ci", "append", "-m", "by git", fresh.String())
	if got, err := r.Note(fresh); err != nil || string(got) != "new note\n\nby git\n" {
		t.Errorf("Note after git append = %q, %v", got, err)
	}
	if dup := duplicateNotes(t, dir); len(dup) > 0 {
		t.Errorf("objects with two notes after git append: %v", dup)
	}
	fsckT(t, dir)
}

// TestNotesMergeUnion checks the contract that two writers' notes merge by
// union with git notes merge -s cat_sort_uniq.
func TestNotesMergeUnion(t *testing.T) {
	dir := newRepo(t)
	c := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	recordT(t, r, testRun("base", c, "base"))
	base := revParse(t, dir, NotesRef)
	recordT(t, r, testRun("ours", c, "ours"))
	ours := revParse(t, dir, NotesRef)
	gitT(t, dir, "update-ref", NotesRef, base.String(), ours.String())
	recordT(t, r, testRun("theirs", c, "theirs"))
	gitT(t, dir, "update-ref", "refs/notes/theirs", revParse(t, dir, NotesRef).String())
	gitT(t, dir, "update-ref", NotesRef, ours.String())
	gitT(t, dir, "notes", "--ref=ci", "merge", "--quiet", "-s", "cat_sort_uniq", "refs/notes/theirs")
	if got, err := r.Note(c); err != nil || string(got) != "base\nours\ntheirs\n" {
		t.Errorf("Note after git notes merge = %q, %v", got, err)
	}
}

// TestNotesOfMany reads several objects' notes at once, as git notes show
// does one by one; an object without a note gives nil.
func TestNotesOfMany(t *testing.T) {
	dir := newRepo(t)
	a := commitFile(t, dir, "a", "a\n", "a")
	b := commitFile(t, dir, "b", "b\n", "b")
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "on a", a.String())
	notes, err := openRepo(t, dir).Notes([]plumbing.Hash{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || string(notes[0]) != gitT(t, dir, "notes", "--ref=ci", "show", a.String())+"\n" || notes[1] != nil {
		t.Errorf("Notes = %q", notes)
	}
}
