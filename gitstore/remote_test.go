package gitstore

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// remoteAndClones makes a bare remote with main and two clones of it.
func remoteAndClones(t *testing.T) (remote, a, b string) {
	t.Helper()
	src := newRepo(t)
	root := t.TempDir()
	remote = filepath.Join(root, "remote.git")
	gitT(t, "", "clone", "--quiet", "--bare", src, remote)
	a, b = filepath.Join(root, "a"), filepath.Join(root, "b")
	gitT(t, "", "clone", "--quiet", remote, a)
	gitT(t, "", "clone", "--quiet", remote, b)
	return remote, a, b
}

// MergeNotes gives what git notes merge -s cat_sort_uniq gives: every line
// of both sides, each once; it fast-forwards when ours is behind, and
// leaves ours when theirs is already in it.
func TestMergeNotesUnion(t *testing.T) {
	dir := newRepo(t)
	c1 := revParse(t, dir, "HEAD")
	c2 := commitFile(t, dir, "f", "x\n", "second")
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "base", c1.String())
	gitT(t, dir, "update-ref", "refs/notes/theirs", "refs/notes/ci")
	gitT(t, dir, "notes", "--ref=ci", "append", "-m", "ours", c1.String())
	gitT(t, dir, "notes", "--ref=theirs", "append", "-m", "theirs", c1.String())
	gitT(t, dir, "notes", "--ref=theirs", "append", "-m", "base", c1.String()) // a line both have
	gitT(t, dir, "notes", "--ref=theirs", "add", "-m", "only theirs", c2.String())
	r := openRepo(t, dir)

	how, err := r.MergeNotes(context.Background(), revParse(t, dir, "refs/notes/theirs"))
	if err != nil || how != NotesMerged {
		t.Fatalf("MergeNotes = %v, %v; want merged", how, err)
	}
	for c, want := range map[plumbing.Hash]string{c1: "base\nours\ntheirs", c2: "only theirs"} {
		lines := strings.Split(gitT(t, dir, "notes", "--ref=ci", "show", c.String()), "\n")
		sort.Strings(lines)
		var kept []string
		for _, l := range lines {
			if l != "" {
				kept = append(kept, l)
			}
		}
		if have := strings.Join(kept, "\n"); have != want {
			t.Errorf("note on %s: have %q, want %q", c, have, want)
		}
	}
	if out := gitT(t, dir, "for-each-ref", mergeTempPrefix); out != "" {
		t.Errorf("temporary refs left: %s", out)
	}
	how, err = r.MergeNotes(context.Background(), revParse(t, dir, "refs/notes/theirs"))
	if err != nil || how != NotesUpToDate {
		t.Errorf("merging again = %v, %v; want up to date", how, err)
	}
	gitT(t, dir, "notes", "--ref=ci", "add", "-f", "-m", "later", c2.String())
	ahead := revParse(t, dir, "refs/notes/ci")
	gitT(t, dir, "update-ref", "refs/notes/ci", ahead.String()+"^")
	how, err = r.MergeNotes(context.Background(), ahead)
	if err != nil || how != NotesFastForward || revParse(t, dir, "refs/notes/ci") != ahead {
		t.Errorf("behind: MergeNotes = %v, %v; want fast-forward to %s", how, err, ahead)
	}
}

// Writers merging into refs/notes/ci at once each keep their lines: the
// compare-and-swap makes a loser merge again.
func TestMergeNotesConcurrent(t *testing.T) {
	dir := newRepo(t)
	c := revParse(t, dir, "HEAD")
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "base", c.String())
	var theirs []plumbing.Hash
	for i := 0; i < 6; i++ {
		ref := fmt.Sprintf("refs/notes/w%d", i)
		gitT(t, dir, "update-ref", ref, "refs/notes/ci")
		gitT(t, dir, "notes", "--ref="+ref, "append", "-m", fmt.Sprintf("line %d", i), c.String())
		theirs = append(theirs, revParse(t, dir, ref))
	}
	var wg sync.WaitGroup
	for _, h := range theirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := openRepo(t, dir).MergeNotes(context.Background(), h); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	count := map[string]int{}
	note := gitT(t, dir, "notes", "--ref=ci", "show", c.String())
	for _, l := range strings.Split(note, "\n") {
		count[l]++
	}
	for i := 0; i < 6; i++ {
		if l := fmt.Sprintf("line %d", i); count[l] != 1 {
			t.Errorf("%q %d times in %q, want once", l, count[l], note)
		}
	}
}

// Fetch sees objects that arrive in a pack after the repository was
// opened, reports a missing ref by name, and refuses a rewritten one.
func TestFetchAndPush(t *testing.T) {
	remote, a, b := remoteAndClones(t)
	ra, rb := openRepo(t, a), openRepo(t, b)
	for i := 0; i < 3; i++ {
		commitFile(t, a, fmt.Sprintf("f%d", i), "x\n", "more")
	}
	gitT(t, a, "notes", "--ref=ci", "add", "-m", "a", "HEAD")
	if _, err := ra.Push(context.Background(), "origin", PushOptions{Atomic: true}, "HEAD:refs/heads/main", NotesRef+":"+NotesRef); err != nil {
		t.Fatal(err)
	}
	gitT(t, b, "config", "fetch.unpackLimit", "1")               // keep the pack
	if _, err := rb.Commit(revParse(t, b, "HEAD")); err != nil { // go-git loads its pack index now
		t.Fatal(err)
	}
	err := rb.Fetch(context.Background(), "origin", NotesRefspec("origin"), "refs/heads/main:refs/remotes/origin/main")
	if err != nil {
		t.Fatal(err)
	}
	tip, _ := rb.RefValue(RemoteNotesRef("origin"))
	if _, err := rb.Commit(tip); err != nil {
		t.Fatalf("fetched notes commit not readable: %v", err)
	}
	err = rb.Fetch(context.Background(), "origin", "refs/heads/nope:refs/remotes/origin/nope")
	if e, ok := err.(*MissingRemoteRefError); !ok || e.Ref != "refs/heads/nope" {
		t.Errorf("missing ref: err = %v, want *MissingRemoteRefError", err)
	}

	// A non-fast-forward push is refused and named; a stale lease too.
	gitT(t, b, "update-ref", NotesRef, gitT(t, b, "commit-tree", "-m", "unrelated", gitIn(t, b, "", "mktree")))
	_, err = rb.Push(context.Background(), "origin", PushOptions{}, NotesRef+":"+NotesRef)
	rej, ok := err.(*RejectedError)
	if !ok || rej.Status(NotesRef) == nil || !rej.OnlyMoved() {
		t.Errorf("non-ff push: err = %v, want a *RejectedError for %s that fetching can cure", err, NotesRef)
	}
	stale := revParse(t, remote, "main~1")
	_, err = rb.Push(context.Background(), "origin", PushOptions{Atomic: true, Leases: map[string]plumbing.Hash{"refs/heads/main": stale}},
		stale.String()+":refs/heads/main")
	if rej, ok := err.(*RejectedError); !ok || rej.Status("refs/heads/main") == nil || rej.Status("refs/heads/main").Reason != "stale info" {
		t.Errorf("stale lease: err = %v, want stale info", err)
	}
}
