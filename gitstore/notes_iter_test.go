package gitstore

import (
	"maps"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestAllNotesMatchesGit: AllNotes yields exactly the notes `git notes
// list` and `git notes show` give, on a fanout tree with a flat note added.
func TestAllNotesMatchesGit(t *testing.T) {
	dir, commits := fanoutRepo(t, 300)
	r := openRepo(t, dir)
	fresh := plumbing.NewHash(gitIn(t, dir, "", "commit-tree", "-p", "HEAD", "-m", "fresh", "HEAD^{tree}"))
	recordT(t, r, testRun("new", fresh, "new note"))
	var have []string
	notes := map[plumbing.Hash]string{}
	err := r.AllNotes(func(obj plumbing.Hash, note []byte) error {
		have = append(have, obj.String())
		notes[obj] = string(note)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(gitT(t, dir, "notes", "--ref=ci", "list")), "\n") {
		want = append(want, strings.Fields(line)[1])
	}
	sort.Strings(have)
	sort.Strings(want)
	if strings.Join(have, " ") != strings.Join(want, " ") {
		t.Fatalf("AllNotes objects differ from git notes list: %d vs %d", len(have), len(want))
	}
	for _, c := range []plumbing.Hash{commits[0], commits[299], fresh} {
		if w := gitT(t, dir, "notes", "--ref=ci", "show", c.String()) + "\n"; notes[c] != w {
			t.Errorf("note of %s = %q, git says %q", c, notes[c], w)
		}
	}
}

func TestAllNotesNone(t *testing.T) {
	r := openRepo(t, newRepo(t))
	n := 0
	if err := r.AllNotes(func(plumbing.Hash, []byte) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("AllNotes on a repo without notes: %d notes, %v", n, err)
	}
}

// TestAllNoteBlobsWithTrees: given the directories of the last walk, a
// walk after one more note yields what a walk without them does, and
// takes the directories it knows from them, not from git.
func TestAllNoteBlobsWithTrees(t *testing.T) {
	dir, _ := fanoutRepo(t, 300)
	r := openRepo(t, dir)
	walk := func(trees *NoteTrees) map[plumbing.Hash]plumbing.Hash {
		t.Helper()
		blobs := map[plumbing.Hash]plumbing.Hash{}
		err := r.AllNoteBlobsWith(trees, nil, func(obj, blob plumbing.Hash, _ []byte) error {
			blobs[obj] = blob
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return blobs
	}
	first := &NoteTrees{}
	walk(first)
	if len(first.Used) < 100 {
		t.Fatalf("the first walk used %d trees, want the root and a fanout directory for each of 300 notes but those sharing one", len(first.Used))
	}
	fresh := plumbing.NewHash(gitIn(t, dir, "", "commit-tree", "-p", "HEAD", "-m", "fresh", "HEAD^{tree}"))
	recordT(t, r, testRun("new", fresh, "new note"))
	want := walk(nil)
	second := &NoteTrees{Known: first.Used}
	if have := walk(second); !maps.Equal(have, want) {
		t.Fatalf("with the trees of the last walk: %d notes, want %d", len(have), len(want))
	}
	if n := len(second.Used) - len(first.Used); n != 0 && n != 1 {
		t.Errorf("the second walk used %d trees, the first %d: one more note adds a directory at most", len(second.Used), len(first.Used))
	}
	// A known directory is taken as it is given: here, emptied.
	var some plumbing.Hash
	for id, entries := range second.Used {
		if len(entries) < 10 {
			some = id
		}
	}
	third := &NoteTrees{Known: maps.Clone(second.Used)}
	third.Known[some] = nil
	if have := walk(third); len(have) != len(want)-len(second.Used[some]) {
		t.Errorf("with a directory known empty: %d notes, want %d", len(have), len(want)-len(second.Used[some]))
	}
}
