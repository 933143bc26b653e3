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
	// want is git's list of conflicted paths (nil: clean); "~ours" and
	// "~theirs" stand for the suffixes made from the case's branch names.
	want []string
	// lines marks cases whose result depends on the line merge.
	lines bool
	// conservative marks cases not ported exactly (directory renames, a
	// rename across a file/directory change): we may conflict where git
	// does not.
	conservative bool
	// renames marks cases where git detects renames.
	renames bool
}

// textQ2 is 90% like textP; baseQ holds both.
var (
	textQ2  = strings.Replace(textP, "p line 5", "q", 1)
	baseQ   = with(base0, "q", textQ2)
	textP1  = strings.Replace(textP, "p line 1", "ours 1", 1)
	textP6  = strings.Replace(textP, "p line 6", "theirs 6", 1)
	textP1b = strings.Replace(textP, "p line 1", "theirs 1", 1)
)

var base0 = snapshot{"a": "1\n", "p": textP, "d/b": "2\n", "d/e/f": "3\n", "d/e/g": "4\n", "q": textQ}

var mergeCases = []mergeCase{
	{name: "one-sided change", ours: base0, theirs: with(base0, "d/e/f", "3'\n")},
	{name: "identical change", ours: with(base0, "a", "9\n"), theirs: with(base0, "a", "9\n")},
	{name: "different change", ours: with(base0, "a", "8\n"), theirs: with(base0, "a", "9\n"), want: []string{"a"}, lines: true},
	{name: "line edits merge", ours: with(base0, "p", textP1), theirs: with(base0, "p", textP6), lines: true},
	{name: "line edits conflict", ours: with(base0, "p", textP1), theirs: with(base0, "p", textP1b), want: []string{"p"}, lines: true},
	{name: "line edits and exec bit", ours: with(base0, "p", "x:"+textP1), theirs: with(base0, "p", textP6), lines: true},
	{name: "binary both", base: with(base0, "bin", "b\x00ase\n"), ours: with(base0, "bin", "b\x00ours\n"), theirs: with(base0, "bin", "b\x00theirs\n"), want: []string{"bin"}},
	{name: "binary one side", base: with(base0, "bin", "b\x00ase\n"), ours: with(base0, "bin", "b\x00ase\n"), theirs: with(base0, "bin", "b\x00theirs\n")},
	{name: "binary ours text theirs", ours: with(base0, "a", "1\x00\n"), theirs: with(base0, "a", "2\n"), want: []string{"a"}},
	{name: "modify/delete", ours: with(base0, "d/b", "5\n"), theirs: with(base0, "d/b", ""), want: []string{"d/b"}},
	{name: "delete/modify", ours: with(base0, "d/b", ""), theirs: with(base0, "d/b", "5\n"), want: []string{"d/b"}},
	{name: "delete/delete", ours: with(base0, "d/b", ""), theirs: with(base0, "d/b", "")},
	{name: "add/add same", ours: with(base0, "n", "new\n"), theirs: with(base0, "n", "new\n")},
	{name: "add/add different", ours: with(base0, "n", "new1\n"), theirs: with(base0, "n", "new2\n"), want: []string{"n"}, lines: true},
	{name: "add/add modes", ours: with(base0, "n", "new\n"), theirs: with(base0, "n", "x:new\n"), want: []string{"n"}},
	{name: "file/directory", ours: with(base0, "n", "f\n"), theirs: with(base0, "n/x", "f\n"), want: []string{"n~ours"}},
	{name: "directory/file", ours: with(base0, "n/x", "f\n"), theirs: with(base0, "n", "f\n"), want: []string{"n~theirs"}},
	// Git sees theirs rename a to a/x and merges ours' change into it.
	{name: "modified file, renamed into directory", ours: with(base0, "a", "7\n"), theirs: with(base0, "a", "", "a/x", "1\n")},
	{name: "file becomes directory", ours: with(base0, "a", "", "a/x", "1\n"), theirs: with(base0, "q", textQ+"more\n"), renames: true},
	{name: "file becomes directory, other conflict", ours: with(base0, "a", "", "a/x", "1\n", "q", "o\n"), theirs: with(base0, "q", "t\n"), want: []string{"q"}, lines: true, renames: true},
	{name: "directory becomes file", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "", "d", "now a file\n"), theirs: with(base0, "a", "7\n"), renames: true},
	{name: "mode change", ours: with(base0, "a", "x:1\n"), theirs: with(base0, "q", "changed\n")},
	{name: "mode change both", ours: with(base0, "a", "x:1\n"), theirs: with(base0, "a", "x:1\n")},
	{name: "mode and content", ours: with(base0, "p", "x:"+textP), theirs: with(base0, "p", textP+"end\n")},
	{name: "symlink one side", base: with(base0, "s", "l:a"), ours: with(base0, "s", "l:a"), theirs: with(base0, "s", "l:q")},
	{name: "symlink both", base: with(base0, "s", "l:a"), ours: with(base0, "s", "l:p"), theirs: with(base0, "s", "l:q"), want: []string{"s"}},
	{name: "symlink add/add", ours: with(base0, "s", "l:p"), theirs: with(base0, "s", "l:q"), want: []string{"s"}},
	{name: "file to symlink", ours: with(base0, "a", "l:q"), theirs: base0},
	{name: "distinct types", ours: with(base0, "a", "l:q"), theirs: with(base0, "a", "2\n"), want: []string{"a", "a~theirs"}},
	{name: "distinct types both moved", ours: with(base0, "a", "l:q"), theirs: with(base0, "a", sub1), want: []string{"a~ours", "a~theirs"}},
	{name: "gitlink one side", base: with(base0, "m", sub1), ours: with(base0, "m", sub1), theirs: with(base0, "m", sub2)},
	{name: "gitlink both", base: with(base0, "m", sub1), ours: with(base0, "m", sub3), theirs: with(base0, "m", sub2), want: []string{"m"}},
	{name: "gitlink added", ours: with(base0, "m", sub1), theirs: with(base0, "a", "3\n")},
	{name: "rename/rename", ours: with(base0, "p", "", "r1", textP), theirs: with(base0, "p", "", "r2", textP), want: []string{"p", "r1", "r2"}},
	{name: "rename/delete", ours: with(base0, "p", "", "r1", textP), theirs: with(base0, "p", ""), want: []string{"r1"}},
	// Same additions, different deletions: git pairs p with r on theirs only.
	{name: "rename/delete by pairing", base: baseQ, ours: with(baseQ, "p", "", "q", "", "r", textQ2), theirs: with(baseQ, "p", "", "r", textQ2), want: []string{"r"}},
	{name: "rename one side", ours: with(base0, "p", "", "d/r", textP), theirs: with(base0, "a", "5\n"), renames: true},
	{name: "rename both same", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "p", "", "r", textP), renames: true},
	{name: "rename and modify", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "p", textP+"end\n")},
	{name: "rename onto added", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "r", textP), renames: true},
	{name: "rename/rename 2to1", ours: with(base0, "p", "", "r", textP), theirs: with(base0, "q", "", "r", textQ), want: []string{"r"}},
	{name: "delete both, add one", ours: with(base0, "a", ""), theirs: with(base0, "a", "", "z", "zzz\n")},
	{name: "delete both, delete more", ours: with(base0, "a", ""), theirs: with(base0, "a", "", "q", "")},
	{name: "directory rename", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "", "k/b", "2\n", "k/e/f", "3\n", "k/e/g", "4\n"), theirs: with(base0, "d/new", lines("n", 8)), want: []string{"k/new"}},
	{name: "directory rename, nested add", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "", "k/b", "2\n", "k/e/f", "3\n", "k/e/g", "4\n"), theirs: with(base0, "d/e/new", lines("n", 8)), want: []string{"k/e/new"}},
	{name: "directory deleted, file added", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", ""), theirs: with(base0, "d/new", lines("n", 8))},
	// Git moves the renamed file on into the renamed directory.
	{name: "rename into renamed directory", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "", "k/b", "2\n", "k/e/f", "3\n", "k/e/g", "4\n"), theirs: with(base0, "p", "", "d/p", textP), want: []string{"k/p"}},
	{name: "rename and type change", ours: with(base0, "p", "", "r", textP1), theirs: with(base0, "p", "l:p"), want: []string{"r"}},
	{name: "directory deleted, file changed", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", ""), theirs: with(base0, "d/e/f", "33\n"), want: []string{"d/e/f"}},
	{name: "nested", ours: with(base0, "d/e/f", "30\n", "d/e/h/i", "new\n"), theirs: with(base0, "d/e/g", "40\n", "d/b", "")},
	{name: "emptied directory", ours: with(base0, "d/e/f", ""), theirs: with(base0, "d/e/g", "")},
	{name: "emptied by both", ours: with(base0, "d/b", "", "d/e/f", "", "d/e/g", ""), theirs: with(base0, "d/b", "", "d/e/f", "", "d/e/g", "")},
	{name: "everything deleted", ours: snapshot{}, theirs: snapshot{}},
}

func TestMergeTrees(t *testing.T) { runMergeCases(t, mergeCases) }

// runMergeCases merges each case with TreesWith and holds the result to
// git's merge-tree of the same trees.
func runMergeCases(t *testing.T, cases []mergeCase) {
	r := newGitRepo(t)
	var stream []byte
	for i, c := range cases {
		if c.base == nil {
			cases[i].base = base0
		}
		c := cases[i]
		stream = append(stream, importStream(fmt.Sprintf("c%d/", i), c.base, c.ours, c.theirs)...)
	}
	r.git(stream, "fast-import", "--quiet")
	s := r.store()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := fmt.Sprintf("c%d/", i)
			tree := func(side string) string { return r.git(nil, "rev-parse", prefix+side+"^{tree}") }
			opt := Options{Branch1: prefix + "ours", Branch2: prefix + "theirs"}
			have, err := TreesWith(s, r.rev(tree("base")), r.rev(tree("ours")), r.rev(tree("theirs")), opt)
			if err != nil {
				t.Fatal(err)
			}
			git := r.mergeTree(prefix+"ours", prefix+"theirs")
			var want []string
			for _, w := range c.want {
				w = strings.Replace(w, "~ours", "~"+flatten(opt.Branch1), 1)
				want = append(want, strings.Replace(w, "~theirs", "~"+flatten(opt.Branch2), 1))
			}
			if diff := cmp.Diff(want, git.conflicts); diff != "" {
				t.Errorf("the case's record of git is wrong (-case +git):\n%s", diff)
			}
			kind := checkOracle(t, have, git)
			loose := c.conservative
			if kind != agree && !loose {
				t.Errorf("%s: have %v, git %v", kind, view(have), git)
			}
			if !loose && !have.Exact {
				t.Errorf("result not exact")
			}
		})
	}
}

// Kinds of agreement with git.
const (
	agree        = "agree"        // same verdict; same tree when clean, same paths when conflicted
	conservative = "conservative" // we conflict, git is clean
	otherPaths   = "other paths"  // both conflict, at different paths
	unsafe       = "UNSAFE"       // we are clean, git conflicts, or clean trees differ
)

// checkOracle checks a result against git's and says how they agree: never
// clean where git conflicts, the same tree where both are clean, and when
// the result says it is exact, the same stages, messages and tree.
func checkOracle(t testing.TB, have Result, git oracle) string {
	t.Helper()
	if git.failed != "" {
		t.Fatal(git.failed)
	}
	v := view(have)
	switch {
	case have.Clean() && !git.clean:
		t.Errorf("clean, git conflicts at %v", git.conflicts)
		return unsafe
	case have.Clean() && have.Tree != git.tree:
		t.Errorf("tree %s, git %s", have.Tree, git.tree)
		return unsafe
	case have.Exact && !cmp.Equal(v, git, cmp.AllowUnexported(oracle{})):
		t.Errorf("exact result differs from git (-git +have):\n%s", cmp.Diff(git, v, cmp.AllowUnexported(oracle{})))
	}
	switch {
	case have.Clean():
		return agree
	case git.clean:
		return conservative
	case cmp.Equal(v.conflicts, git.conflicts):
		return agree
	}
	return otherPaths
}
