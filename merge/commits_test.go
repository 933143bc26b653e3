package merge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCommits merges commits over one base, no base and two bases
// (criss-cross) and compares with git merge-tree.
func TestMergeCommits(t *testing.T) {
	var b strings.Builder
	base := snapshot{"a": "1\n", "b": "1\n"}
	commitStream(&b, "one/base", nil, base)
	commitStream(&b, "one/ours", []string{"one/base"}, with(base, "a", "2\n"))
	commitStream(&b, "one/theirs", []string{"one/base"}, with(base, "b", "2\n"))
	commitStream(&b, "none/ours", nil, snapshot{"a": "1\n"})
	commitStream(&b, "none/theirs", nil, snapshot{"b": "1\n"})
	commitStream(&b, "none/clash", nil, snapshot{"a": "2\n"})
	commitStream(&b, "cc/base", nil, base)
	commitStream(&b, "cc/x1", []string{"cc/base"}, with(base, "a", "2\n"))
	commitStream(&b, "cc/y1", []string{"cc/base"}, with(base, "b", "2\n"))
	both := snapshot{"a": "2\n", "b": "2\n"}
	commitStream(&b, "cc/x2", []string{"cc/x1", "cc/y1"}, with(both, "c", "x\n"))
	commitStream(&b, "cc/y2", []string{"cc/y1", "cc/x1"}, with(both, "d", "y\n"))
	commitStream(&b, "cc/revert", []string{"cc/y1", "cc/x1"}, with(both, "a", "1\n"))
	// vb: a criss-cross whose bases conflict on a (virtual base with
	// markers), and on b in a binary file, then merged on.
	vbase := snapshot{"a": "1\n", "b": "b\x00\n", "c": "c\n"}
	commitStream(&b, "vb/base", nil, vbase)
	commitStream(&b, "vb/x1", []string{"vb/base"}, with(vbase, "a", "x\n", "b", "b\x00x\n"))
	commitStream(&b, "vb/y1", []string{"vb/base"}, with(vbase, "a", "y\n", "b", "b\x00y\n"))
	commitStream(&b, "vb/x2", []string{"vb/x1", "vb/y1"}, with(vbase, "a", "x\n", "b", "b\x00x\n", "c", "cx\n"))
	commitStream(&b, "vb/y2", []string{"vb/y1", "vb/x1"}, with(vbase, "a", "y\n", "b", "b\x00x\n"))
	commitStream(&b, "vb/y3", []string{"vb/y1", "vb/x1"}, with(vbase, "a", "x\n", "b", "b\x00y\n", "d", "d\n"))
	// tb: three merge bases x1, y1, z1 (each side merges all three),
	// conflicting pairwise on a, so that each step of folding them into
	// one virtual base conflicts; b changes cleanly on top.
	tbase := snapshot{"a": lines("a", 6), "b": "b\n", "c": "c\n"}
	commitStream(&b, "tb/base", nil, tbase)
	for _, x := range []string{"x", "y", "z"} {
		commitStream(&b, "tb/"+x+"1", []string{"tb/base"}, with(tbase, "a", strings.Replace(lines("a", 6), "a line 2", x, 1), "c", x+"\n"))
	}
	commitStream(&b, "tb/ours", []string{"tb/x1", "tb/y1", "tb/z1"}, with(tbase, "a", strings.Replace(lines("a", 6), "a line 2", "o", 1), "b", "bo\n"))
	commitStream(&b, "tb/theirs", []string{"tb/z1", "tb/y1", "tb/x1"}, with(tbase, "a", strings.Replace(lines("a", 6), "a line 2", "t", 1)))
	commitStream(&b, "tb/clean", []string{"tb/y1", "tb/z1", "tb/x1"}, with(tbase, "a", strings.Replace(lines("a", 6), "a line 2", "o", 1), "d", "d\n"))
	r := newGitRepo(t)
	r.git([]byte(b.String()), "fast-import", "--quiet")
	s := r.store()
	if bases, err := Bases(s, r.rev("tb/ours"), r.rev("tb/theirs")); err != nil || len(bases) != 3 {
		t.Fatalf("tb/ours and tb/theirs have merge bases %v (%v), want three", bases, err)
	}
	for _, c := range []struct {
		ours, theirs string
		want         []string
	}{
		{ours: "one/ours", theirs: "one/theirs"},
		{ours: "none/ours", theirs: "none/theirs"},
		{ours: "none/ours", theirs: "none/clash", want: []string{"a"}},
		{ours: "cc/x2", theirs: "cc/y2"},
		{ours: "cc/x2", theirs: "cc/revert"},
		{ours: "vb/x2", theirs: "vb/y2", want: []string{"a"}},
		{ours: "vb/x2", theirs: "vb/y3", want: []string{"b"}},
		{ours: "tb/ours", theirs: "tb/theirs", want: []string{"a"}},
		{ours: "tb/ours", theirs: "tb/clean"},
	} {
		t.Run(c.ours+"+"+c.theirs, func(t *testing.T) {
			have, err := CommitsWith(s, r.rev(c.ours), r.rev(c.theirs), Options{Branch1: c.ours, Branch2: c.theirs})
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, cf := range have.Conflicts {
				paths = append(paths, cf.Path)
			}
			if d := cmp.Diff(c.want, paths); d != "" {
				t.Errorf("conflicts (-want +have):\n%s", d)
			}
			git := r.mergeTree(c.ours, c.theirs, "--allow-unrelated-histories")
			if kind := checkOracle(t, have, git); kind != agree || !have.Exact {
				t.Errorf("%s (exact %v): have %v, git %v", kind, have.Exact, view(have), git)
			}
		})
	}
}
