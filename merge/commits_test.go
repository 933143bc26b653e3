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
	r := newGitRepo(t)
	r.git([]byte(b.String()), "fast-import", "--quiet")
	s := r.store()
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
