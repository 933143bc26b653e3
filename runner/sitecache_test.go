package runner

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/gitstore/odb"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/google/go-cmp/cmp"
)

// TestRecordsCache: records read through the cache are those parsed from
// the notes; a new note is parsed and added; a corrupt cache is rebuilt;
// the cache is rewritten only when more than staleNotes notes are new.
func TestRecordsCache(t *testing.T) {
	defer func(n int) { staleNotes = n }(staleNotes)
	staleNotes = 0 // every new note rewrites the cache
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("init", "-q", "-b", "main")
	note := func(i int) {
		run("commit", "-q", "--allow-empty", "-m", "c")
		head := run("rev-parse", "HEAD")[:40]
		line := string(benchRecord(i, head, "b", pipeline.StatusPassed).NoteLine())
		run("notes", "--ref="+gitstore.NotesRef, "add", "-m", line+"\nnot a record", head)
	}
	note(1)
	note(2)
	repo, err := gitstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	read := func() ([]*pipeline.Record, []string) {
		t.Helper()
		recs, warns, err := readAllRecords(repo)
		if err != nil {
			t.Fatal(err)
		}
		return recs, warns
	}
	first, warns := read() // parsed, cache written
	if len(first) != 2 || len(warns) != 2 {
		t.Fatalf("first read: %d records, warnings %q; want 2 and 2", len(first), warns)
	}
	path := recordsCachePath(repo)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no cache: %v", err)
	}
	again, warns2 := read() // from the cache
	if diff := cmp.Diff(first, again); diff != "" || !cmp.Equal(warns, warns2) {
		t.Errorf("records from the cache differ (-parsed +cached):\n%s%s", diff, cmp.Diff(warns, warns2))
	}
	note(3)
	if recs, _ := read(); len(recs) != 3 {
		t.Errorf("after one more note: %d records, want 3", len(recs))
	}
	if len(loadRecordsCache(path).Notes) != 3 {
		t.Errorf("cache holds %d notes, want 3", len(loadRecordsCache(path).Notes))
	}
	run("notes", "--ref="+gitstore.NotesRef, "remove", "HEAD")
	if recs, _ := read(); len(recs) != 2 {
		t.Errorf("after a note was removed: %d records, want 2", len(recs))
	}
	if len(loadRecordsCache(path).Notes) != 2 {
		t.Errorf("after a note was removed the cache holds %d notes, want 2", len(loadRecordsCache(path).Notes))
	}
	note(3)
	os.WriteFile(path, []byte("garbage"), 0o644)
	if recs, _ := read(); len(recs) != 3 {
		t.Errorf("with a corrupt cache: %d records, want 3", len(recs))
	}
	if len(loadRecordsCache(path).Notes) != 3 {
		t.Error("the corrupt cache was not rebuilt")
	}
	left, _ := filepath.Glob(path + ".tmp-*")
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	staleNotes = 1 // a new note is parsed and the cache left as it is; two rewrite it
	note(4)
	if recs, _ := read(); len(recs) != 4 || len(loadRecordsCache(path).Notes) != 3 {
		t.Errorf("one note more than the cache: %d records, cache of %d notes; want 4 and the cache's 3", len(recs), len(loadRecordsCache(path).Notes))
	}
	note(5)
	if recs, _ := read(); len(recs) != 5 || len(loadRecordsCache(path).Notes) != 5 {
		t.Errorf("two notes more than the cache: %d records, cache of %d notes; want 5 and 5", len(recs), len(loadRecordsCache(path).Notes))
	}
}

// TestTargetLogCache: the target's commits come from the cache while its
// tip stays, and from git again when it moves.
func TestTargetLogCache(t *testing.T) {
	dir := t.TempDir()
	commit := func(msg string) {
		t.Helper()
		cmd := exec.Command("git", "commit", "-q", "--allow-empty", "-m", msg)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git commit: %v\n%s", err, out)
		}
	}
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	commit("one")
	repo, err := gitstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	subjects := func() []string {
		t.Helper()
		cs, warns, err := targetCommits(repo, "refs/heads/main")
		if err != nil || len(warns) > 0 {
			t.Fatalf("targetCommits: %v %v", err, warns)
		}
		var s []string
		for _, c := range cs {
			s = append(s, c.Subject)
		}
		return s
	}
	if have := subjects(); !cmp.Equal(have, []string{"one"}) {
		t.Fatalf("first read: %q", have)
	}
	if _, err := os.Stat(targetLogPath(repo)); err != nil {
		t.Fatalf("no cache: %v", err)
	}
	if have := subjects(); !cmp.Equal(have, []string{"one"}) {
		t.Errorf("from the cache: %q", have)
	}
	commit("two")
	if have := subjects(); !cmp.Equal(have, []string{"two", "one"}) {
		t.Errorf("after the tip moved: %q, want two, one", have)
	}
}

// TestRecordCodecFields: the records cache encodes every field of a
// record; a new field must be added to encodeRecord and decodeRecord and
// the cache's version raised.
func TestRecordCodecFields(t *testing.T) {
	if n := reflect.TypeFor[pipeline.Record]().NumField(); n != 19 {
		t.Errorf("pipeline.Record has %d fields, the records cache encodes 19: update runner/recordcodec.go and recordsCacheVersion", n)
	}
	if n := reflect.TypeFor[pipeline.StepResult]().NumField(); n != 7 {
		t.Errorf("pipeline.StepResult has %d fields, the records cache encodes 7: update runner/recordcodec.go and recordsCacheVersion", n)
	}
}

// TestRecordsCacheRoundTrip: every field survives the cache, also the
// rare ones, for records read back and for records re-saved from what was
// read; a file cut or altered anywhere decodes to an error, never a panic.
func TestRecordsCacheRoundTrip(t *testing.T) {
	r := benchRecord(7, strings.Repeat("a", 40), "feat", pipeline.StatusFailed)
	r.Base, r.Message, r.Conflicts, r.Remote = strings.Repeat("b", 40), "merge conflict", []string{"a.go", "b/c.go"}, "origin"
	r.Started = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("", 3600))
	r.Steps[1].Signal, r.Steps[1].Message, r.Steps[1].Exit = "SIGKILL", "killed", -1
	c := recordsCache{Notes: map[plumbing.Hash]parsedNote{
		plumbing.NewHash(strings.Repeat("1", 40)): {Recs: []pipeline.Record{r, benchRecord(8, strings.Repeat("c", 40), "", pipeline.StatusPassed)}},
		plumbing.NewHash(strings.Repeat("2", 40)): {Errs: []string{"line 2: not json"}},
	}}
	b := c.encode()
	back, err := decodeRecordsCache(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := decodeRecordsCache(back.encode())
	if err != nil {
		t.Fatal(err)
	}
	for _, have := range []recordsCache{back, again} {
		if diff := cmp.Diff(c.Notes, have.Notes, cmp.Comparer(func(a, b parsedNote) bool {
			return cmp.Equal(a.Recs, b.Recs) && cmp.Equal(a.Errs, b.Errs)
		})); diff != "" {
			t.Errorf("notes differ after the cache (-want +have):\n%s", diff)
		}
	}
	for i := 0; i < len(b); i++ {
		if _, err := decodeRecordsCache(b[:i]); err == nil {
			t.Fatalf("cut at %d of %d bytes: no error", i, len(b))
		}
		bad := bytes.Clone(b)
		bad[i] ^= 0x40
		if _, err := decodeRecordsCache(bad); err == nil {
			t.Fatalf("byte %d altered: no error", i)
		}
	}
}

// TestNotesTreesRoundTrip: the notes trees cache gives back the trees it
// was given; a file cut or altered anywhere decodes to an error.
func TestNotesTreesRoundTrip(t *testing.T) {
	trees := map[plumbing.Hash][]odb.TreeEntry{
		plumbing.NewHash(strings.Repeat("1", 40)): {{Name: "ab", Mode: filemode.Dir, Hash: plumbing.NewHash(strings.Repeat("2", 40))}},
		plumbing.NewHash(strings.Repeat("2", 40)): {
			{Name: strings.Repeat("c", 38), Mode: filemode.Regular, Hash: plumbing.NewHash(strings.Repeat("3", 40))},
			{Name: "README", Mode: filemode.Executable, Hash: plumbing.NewHash(strings.Repeat("4", 40))},
		},
	}
	b := encodeNotesTrees(trees)
	back, err := decodeNotesTrees(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(trees, back); diff != "" {
		t.Errorf("trees differ after the cache (-want +have):\n%s", diff)
	}
	for i := 0; i < len(b); i++ {
		if _, err := decodeNotesTrees(b[:i]); err == nil {
			t.Fatalf("cut at %d of %d bytes: no error", i, len(b))
		}
		bad := bytes.Clone(b)
		bad[i] ^= 0x40
		if _, err := decodeNotesTrees(bad); err == nil {
			t.Fatalf("byte %d altered: no error", i)
		}
	}
}

// TestNotesOrderAndUniqueRecords: notes go in the cache file's order,
// new ones after by their first run; records come out sorted by run id,
// each run once (the first record of it), whether or not the notes held
// them in order.
func TestNotesOrderAndUniqueRecords(t *testing.T) {
	rec := func(run, status string) pipeline.Record { return pipeline.Record{Run: run, Status: status} }
	cached := func(rank int, recs ...pipeline.Record) noteBlob {
		return noteBlob{cached: true, parsed: parsedNote{rank: rank, Recs: recs}}
	}
	fresh := func(recs ...pipeline.Record) noteBlob { return noteBlob{parsed: parsedNote{Recs: recs}} }
	notes := []noteBlob{
		fresh(rec("r9", "passed")),
		cached(2, rec("r5", "passed")),
		fresh(rec("r7", "passed")),
		cached(0, rec("r1", "passed"), rec("r2", "passed")),
		cached(2, rec("r5", "failed")), // the same blob on a tree: its record again
		cached(1, rec("r3", "passed")),
	}
	orderNotes(notes, 3)
	var firsts []string
	for _, n := range notes {
		firsts = append(firsts, n.parsed.Recs[0].Run+"/"+n.parsed.Recs[0].Status)
	}
	want := []string{"r1/passed", "r3/passed", "r5/passed", "r5/failed", "r7/passed", "r9/passed"}
	if diff := cmp.Diff(want, firsts); diff != "" {
		t.Errorf("notes' order (-want +have):\n%s", diff)
	}
	var runs []string
	for _, r := range uniqueRecords(notes) {
		runs = append(runs, r.Run+"/"+r.Status)
	}
	if diff := cmp.Diff([]string{"r1/passed", "r2/passed", "r3/passed", "r5/passed", "r7/passed", "r9/passed"}, runs); diff != "" {
		t.Errorf("records (-want +have):\n%s", diff)
	}
	notes[0], notes[5] = notes[5], notes[0] // out of order: sorted again
	runs = nil
	for _, r := range uniqueRecords(notes) {
		runs = append(runs, r.Run+"/"+r.Status)
	}
	if diff := cmp.Diff([]string{"r1/passed", "r2/passed", "r3/passed", "r5/passed", "r7/passed", "r9/passed"}, runs); diff != "" {
		t.Errorf("records of notes out of order (-want +have):\n%s", diff)
	}
}
