package gitstore

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/git-ci/git-ci/gitstore/odb"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// hashObject stores content with git and returns the blob id.
func hashObject(t *testing.T, dir, content string) plumbing.Hash {
	t.Helper()
	return plumbing.NewHash(gitIn(t, dir, content, "hash-object", "-w", "--stdin"))
}

func TestWriteTreeOrder(t *testing.T) {
	dir := newRepo(t)
	r := openRepo(t, dir)
	blob := hashObject(t, dir, "x\n")
	sub, err := r.WriteTree([]odb.TreeEntry{{Name: "f", Mode: filemode.Regular, Hash: blob}})
	if err != nil {
		t.Fatal(err)
	}
	file := func(name string) odb.TreeEntry {
		return odb.TreeEntry{Name: name, Mode: filemode.Regular, Hash: blob}
	}
	tree := func(name string) odb.TreeEntry { return odb.TreeEntry{Name: name, Mode: filemode.Dir, Hash: sub} }
	tests := []struct {
		name string
		give []odb.TreeEntry
	}{
		{"files", []odb.TreeEntry{file("a.c"), file("a"), file("a-b")}},
		{"dir vs file", []odb.TreeEntry{file("a.c"), file("a-b"), tree("a")}},
		{"dir vs longer dir", []odb.TreeEntry{tree("a"), tree("a-b"), file("a0"), tree("a.b"), file("Z")}},
		{"executable and link", []odb.TreeEntry{{Name: "run", Mode: filemode.Executable, Hash: blob},
			{Name: "link", Mode: filemode.Symlink, Hash: blob}, file("b")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in strings.Builder
			for _, e := range tt.give {
				typ := "blob"
				if e.Mode == filemode.Dir {
					typ = "tree"
				}
				fmt.Fprintf(&in, "%06o %s %s\t%s\n", uint32(e.Mode), typ, e.Hash, e.Name)
			}
			want := gitIn(t, dir, in.String(), "mktree")
			got, err := r.WriteTree(tt.give)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != want {
				t.Errorf("WriteTree = %s, git mktree = %s\nours: %s\ngit's: %s", got, want,
					gitT(t, dir, "ls-tree", got.String()), gitT(t, dir, "ls-tree", want))
			}
		})
	}
	if out, err := gitOut(dir, "", "fsck", "--strict", "--no-dangling"); err != nil || out != "" {
		t.Errorf("git fsck --strict: %v\n%s", err, out)
	}
}

// TestWriteFiles compares writeFiles with the tree git writes from an index
// holding the same files.
func TestWriteFiles(t *testing.T) {
	dir := newRepo(t)
	r := openRepo(t, dir)
	files := map[string]string{
		"run.json":          "{}\n",
		"a":                 "a\n",
		"a-b":               "a-b\n",
		"a.c":               "a.c\n",
		"b/x":               "bx\n",
		"b-c/y":             "b-c/y\n",
		"b.d/z":             "b.d/z\n",
		"logs/build/c.log":  "compiled\n",
		"logs/test/u.log":   "",
		"logs/x/y/z/deep.l": "deep\n",
	}
	in := map[string][]byte{}
	var index strings.Builder
	for p, c := range files {
		in[p] = []byte(c)
		fmt.Fprintf(&index, "100644 %s\t%s\n", hashObject(t, dir, c), p)
	}
	t.Setenv("GIT_INDEX_FILE", filepath.Join(t.TempDir(), "index"))
	gitIn(t, dir, index.String(), "update-index", "--index-info")
	want := gitT(t, dir, "write-tree")
	os.Unsetenv("GIT_INDEX_FILE")

	got, err := r.writeFiles(in)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != want {
		t.Errorf("writeFiles = %s, git write-tree = %s\nours:\n%s\ngit's:\n%s", got, want,
			gitT(t, dir, "ls-tree", "-r", "-t", got.String()), gitT(t, dir, "ls-tree", "-r", "-t", want))
	}
}

func TestWriteCommitIdentity(t *testing.T) {
	dir := newRepo(t)
	r := openRepo(t, dir)
	head := revParse(t, dir, "HEAD")
	tree := revParse(t, dir, "HEAD^{tree}")
	got, err := r.WriteCommit(tree, []plumbing.Hash{head}, "subject\n\nbody\n")
	if err != nil {
		t.Fatal(err)
	}
	// git commit-tree with the same identity and date writes the same
	// object; git-ci's commits are by the committer identity.
	t.Setenv("GIT_AUTHOR_NAME", os.Getenv("GIT_COMMITTER_NAME"))
	t.Setenv("GIT_AUTHOR_EMAIL", os.Getenv("GIT_COMMITTER_EMAIL"))
	want := gitIn(t, dir, "subject\n\nbody\n", "commit-tree", tree.String(), "-p", head.String())
	if got.String() != want {
		t.Errorf("WriteCommit = %s, git commit-tree = %s\nours:\n%s\ngit's:\n%s", got, want,
			gitT(t, dir, "cat-file", "-p", got.String()), gitT(t, dir, "cat-file", "-p", want))
	}
}

func TestIsAncestorAndChangedPaths(t *testing.T) {
	dir := newRepo(t)
	a := revParse(t, dir, "HEAD")
	b := commitFile(t, dir, "x/one", "1\n", "b")
	c := commitFile(t, dir, "x/two", "2\n", "c")
	gitT(t, dir, "checkout", "--quiet", "-b", "side", a.String())
	d := commitFile(t, dir, "README", "changed\n", "d")
	r := openRepo(t, dir)
	for _, tt := range []struct {
		a, b plumbing.Hash
		want bool
	}{{a, c, true}, {c, c, true}, {c, a, false}, {b, d, false}, {a, d, true}} {
		got, err := r.IsAncestor(tt.a, tt.b)
		_, gitErr := gitOut(dir, "", "merge-base", "--is-ancestor", tt.a.String(), tt.b.String())
		if err != nil || got != tt.want || (gitErr == nil) != tt.want {
			t.Errorf("IsAncestor(%s, %s) = %v, %v; want %v (git: %v)", tt.a, tt.b, got, err, tt.want, gitErr)
		}
	}
	got, err := r.ChangedPaths(c, d)
	sort.Strings(got)
	if want := []string{"README", "x/one", "x/two"}; err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ChangedPaths(c, d) = %q, %v; want %q", got, err, want)
	}
}
