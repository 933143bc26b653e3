package merge

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lines returns a text of n numbered lines tagged tag, long enough for git's
// rename detection to pair it with a renamed copy.
func lines(tag string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s line %d\n", tag, i)
	}
	return b.String()
}

const (
	sub1 = "g:1111111111111111111111111111111111111111"
	sub2 = "g:2222222222222222222222222222222222222222"
	sub3 = "g:3333333333333333333333333333333333333333"
)

var (
	textP = lines("p", 8)
	textQ = lines("q", 8)
)

// with returns a copy of s with the given path/spec pairs set; an empty
// spec deletes the path.
func with(s snapshot, kv ...string) snapshot {
	out := snapshot{}
	for k, v := range s {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

type mergeCase struct {
	name               string
	base, ours, theirs snapshot
	wantConflicts      []string // our conflicted paths; nil means clean
	conservative       bool     // git is clean, we report a conflict
}

// textQ2 is 90% like textP; baseQ holds both.
var (
	textQ2 = strings.Replace(textP, "p line 5", "q", 1)
	baseQ  = with(base0, "q", textQ2)
)

var base0 = snapshot{"a": "1\n", "p": textP, "d/b": "2\n", "d/e/f": "3\n", "d/e/g": "4\n", "q": textQ}

var mergeCases = []mergeCase{
	{name: "one-sided change", ours: base0, theirs: with(base0, "d/e/f", "3'\n")},
	{name: "identical change", ours: with(base0, "a", "9\n"), theirs: with(base0, "a", "9\n")},
	{name: "different change", ours: with(base0, "a", "8\n"), theirs: with(base0, "a", "9\n"), wantConflicts: []string{"a"}},
	{name: "modify/delete", ours: with(base0, "d/b", "5\n"), theirs: with(base0, "d/b", ""), wantConflicts: []string{"d/b"}},
	{name: "delete/delete", ours: with(base0, "d/b", ""), theirs: with(base0, "d/b", "")},
	{name: "add/add same", ours: with(base0, "n", "new\n"), theirs: with(base0, "n", "new\n")},
	{name: "add/add different", ours: with(base0, "n", "new1\n"), theirs: with(base0, "n", "new2\n"), wantConflicts: []string{"n"}},
	{name: "file/directory", ours: with(base0, "n", "f\n"), theirs: with(base0, "n/x", "f\n"), wantConflicts: []string{"n"}},
	{name: "file becomes directory", ours: with(base0, "a", "", "a/x", "1\n"), theirs: with(base0, "q", textQ+"more\n")},
	{name: "directory becomes file", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "", "d", "now a file\n"), theirs: with(base0, "a", "7\n")},
	{name: "mode change", ours: with(base0, "a", "x:1\n"), theirs: with(base0, "q", "changed\n")},
	{name: "mode change both", ours: with(base0, "a", "x:1\n"), theirs: with(base0, "a", "x:1\n")},
	{name: "mode and content", ours: with(base0, "p", "x:"+textP), theirs: with(base0, "p", textP+"end\n"), wantConflicts: []string{"p"}, conservative: true},
	{name: "symlink one side", base: with(base0, "s", "l:a"), ours: with(base0, "s", "l:a"), theirs: with(base0, "s", "l:q")},
	{name: "symlink both", base: with(base0, "s", "l:a"), ours: with(base0, "s", "l:p"), theirs: with(base0, "s", "l:q"), wantConflicts: []string{"s"}},
	{name: "file to symlink", ours: with(base0, "a", "l:q"), theirs: base0},
	{name: "gitlink one side", base: with(base0, "m", sub1), ours: with(base0, "m", sub1), theirs: with(base0, "m", sub2)},
	{name: "gitlink both", base: with(base0, "m", sub1), ours: with(base0, "m", sub3), theirs: with(base0, "m", sub2), wantConflicts: []string{"m"}},
	{name: "gitlink added", ours: with(base0, "m", sub1), theirs: with(base0, "a", "3\n")},
	{name: "rename/rename", ours: with(base0, "p", "", "r1", textP), theirs: with(base0, "p", "", "r2", textP), wantConflicts: []string{"p"}},
	{name: "rename/delete", ours: with(base0, "p", "", "r1", textP), theirs: with(base0, "p", ""), wantConflicts: []string{"p"}},
	// Same additions, different deletions: git pairs p with r on theirs only.
	{name: "rename/delete by pairing", base: baseQ, ours: with(baseQ, "p", "", "q", "", "r", textQ2), theirs: with(baseQ, "p", "", "r", textQ2), wantConflicts: []string{"p"}},
	{name: "rename one side", ours: with(base0, "p", "", "d/r", textP), theirs: with(base0, "a", "5\n")},
	{name: "rename both same", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "p", "", "r", textP)},
	{name: "rename and modify", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "p", textP+"end\n"), wantConflicts: []string{"p"}, conservative: true},
	{name: "rename onto added", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "r", textP)},
	{name: "rename/rename 2to1", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "q", "", "r", textQ), wantConflicts: []string{"r"}},
	{name: "delete both, add one", ours: with(base0, "a", ""), theirs: with(base0, "a", "", "z", "zzz\n"), wantConflicts: []string{"a"}, conservative: true},
	{name: "directory rename", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "", "k/b", "2\n", "k/e/f", "3\n", "k/e/g", "4\n"), theirs: with(base0, "d/new", lines("n", 8)), wantConflicts: []string{"d/new"}},
	{name: "directory deleted, file changed", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", ""), theirs: with(base0, "d/e/f", "33\n"), wantConflicts: []string{"d/e/f"}},
	{name: "nested", ours: with(base0, "d/e/f", "30\n", "d/e/h/i", "new\n"), theirs: with(base0, "d/e/g", "40\n", "d/b", "")},
	{name: "emptied directory", ours: with(base0, "d/e/f", ""), theirs: with(base0, "d/e/g", "")},
	{name: "emptied by both", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", ""), theirs: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "")},
	{name: "everything deleted", ours: snapshot{}, theirs: snapshot{}},
}

func TestTrees(t *testing.T) {
	r := newGitRepo(t)
	var stream []byte
	for i, c := range mergeCases {
		if c.base == nil {
			mergeCases[i].base = base0
		}
		c := mergeCases[i]
		stream = append(stream, importStream(fmt.Sprintf("c%d/", i), c.base, c.ours, c.theirs)...)
	}
	r.git(stream, "fast-import", "--quiet")
	s := r.store()
	for i, c := range mergeCases {
		t.Run(c.name, func(t *testing.T) {
			prefix := fmt.Sprintf("c%d/", i)
			tree := func(side string) string { return r.git(nil, "rev-parse", prefix+side+"^{tree}") }
			have, err := Trees(s, r.rev(tree("base")), r.rev(tree("ours")), r.rev(tree("theirs")))
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, cf := range have.Conflicts {
				paths = append(paths, cf.Path)
			}
			if diff := cmp.Diff(c.wantConflicts, paths); diff != "" {
				t.Errorf("conflicts (-want +have):\n%s\n%v", diff, have.Conflicts)
			}
			git := r.mergeTree(prefix+"ours", prefix+"theirs")
			checkOracle(t, have, git)
			if !have.Clean() && git.clean != c.conservative {
				t.Errorf("conflicts %v; git clean: %v, case says conservative: %v", have.Conflicts, git.clean, c.conservative)
			}
		})
	}
}

// checkOracle checks a result against git's: never clean where git
// conflicts, and the same tree where both are clean.
func checkOracle(t *testing.T, have Result, git oracle) {
	t.Helper()
	switch {
	case have.Clean() && !git.clean:
		t.Errorf("clean, git conflicts at %v", git.conflicts)
	case have.Clean() && have.Tree != git.tree:
		t.Errorf("tree %s, git %s", have.Tree, git.tree)
	}
}
