package merge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCommits merges commits over one base, no base and two bases
// (criss-cross) and compares with git merge-tree.
func TestCommits(t *testing.T) {
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
	r := newGitRepo(t)
	r.git([]byte(b.String()), "fast-import", "--quiet")
	s := r.store()
	for _, c := range []struct {
		ours, theirs string
		want         []Conflict
	}{
		{ours: "one/ours", theirs: "one/theirs"},
		{ours: "none/ours", theirs: "none/theirs"},
		{ours: "none/ours", theirs: "none/clash", want: []Conflict{{"a", "add/add"}}},
		{ours: "cc/x2", theirs: "cc/y2"},
		{ours: "cc/x2", theirs: "cc/revert", want: []Conflict{{"a", "criss-cross"}}},
	} {
		t.Run(c.ours+"+"+c.theirs, func(t *testing.T) {
			have, err := Commits(s, r.rev(c.ours), r.rev(c.theirs))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, have.Conflicts); d != "" {
				t.Errorf("conflicts (-want +have):\n%s", d)
			}
			checkOracle(t, have, r.mergeTree(c.ours, c.theirs, "--allow-unrelated-histories"))
		})
	}
}
