package gitstore

import (
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
