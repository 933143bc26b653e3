package merge

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/google/go-cmp/cmp"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// TestEntryListWalksAsSorted checks that a tree kept as edits of another
// version walks as its own entries sorted by name.
func TestEntryListWalksAsSorted(t *testing.T) {
	e := func(spec string) odb.TreeEntry {
		name, id, _ := strings.Cut(spec, "=")
		mode := filemode.Regular
		if strings.HasSuffix(name, "/") {
			name, mode = strings.TrimSuffix(name, "/"), filemode.Dir
		}
		return odb.TreeEntry{Name: name, Mode: mode, Hash: plumbing.NewHash(id)}
	}
	tree := func(specs string) []odb.TreeEntry {
		var es []odb.TreeEntry
		for _, s := range strings.Fields(specs) {
			es = append(es, e(s))
		}
		return es
	}
	for _, tc := range []struct {
		name, give, like string
		edits            bool // kept as edits of like
	}{
		{"same", "a=1 b=2 c=3 d=4", "a=1 b=2 c=3 d=4", true},
		{"one changed", "a=1 b=2 c=9 d=4", "a=1 b=2 c=3 d=4", true},
		{"first dropped", "b=2 c=3 d=4 e=5", "a=1 b=2 c=3 d=4 e=5", true},
		{"last dropped", "a=1 b=2 c=3 d=4", "a=1 b=2 c=3 d=4 e=5", true},
		{"added first and last", "0=7 a=1 b=2 c=3 d=4 e=5 f=8", "a=1 b=2 c=3 d=4 e=5", true},
		{"added and dropped", "a=1 bb=5 c=3 d=4 e=6 f=7", "a=1 b=2 c=3 d=4 e=6 f=7", true},
		{"mostly changed", "a=1 bb=5 c=3 d=4 e=6", "a=1 b=2 c=3 d=4", false},
		{"all dropped", "", "a=1 b=2", false},
		{"no like", "a=1 b=2", "", false},
		{"directory before prefixed name", "a.b=1 a/=2 b=3", "a.b=1 a/=2 b=3", false},
		{"mode changed", "a/=1 b=2 c=3 d=4", "a=1 b=2 c=3 d=4", true},
		{"repeated name", "a=1 a=2 b=3 c=4 d=5", "a=1 b=3 c=4 d=5", false},
		{"repeated in like", "a=1 b=3 c=4 d=5", "a=1 a=2 b=3 c=4 d=5", false},
		{"out of order", "a=1 c=3 b=2 d=4 e=5", "a=1 b=2 c=3 d=4 e=5", false},
		{"added out of order", "a=1 b=2 c=3 d=4 0=5", "a=1 b=2 c=3 d=4", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			give, like := tree(tc.give), listOf(tree(tc.like), entryList{})
			want := slices.Clone(give)
			slices.SortStableFunc(want, func(a, b odb.TreeEntry) int { return strings.Compare(a.Name, b.Name) })
			l := listOf(give, like)
			if edits := len(l.own) > 0 && len(like.own) > 0 && &l.own[0] == &like.own[0]; edits != tc.edits {
				t.Errorf("kept as edits: %v, want %v", edits, tc.edits)
			}
			var have []odb.TreeEntry
			for c := newCursor(l); c.head != nil; c.next() {
				have = append(have, *c.head)
			}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("walked entries (-want +have):\n%s", diff)
			}
		})
	}
}
