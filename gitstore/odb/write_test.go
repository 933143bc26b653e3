package odb

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// TestWriteAsGitDoes writes a blob, a tree and a commit, and checks the
// ids against git's for the same content and that git reads them back.
func TestWriteAsGitDoes(t *testing.T) {
	dir := history(t, 1)
	db := Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	content := "hello\x00binary\r\nand no final newline"
	blob, err := db.Write(plumbing.BlobObject, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(git(t, dir, content, "hash-object", "--stdin")); blob.String() != want {
		t.Fatalf("blob %s, git %s", blob, want)
	}
	if got := git(t, dir, "", "cat-file", "blob", blob.String()); got != content {
		t.Fatalf("git reads %q", got)
	}
	entries := []TreeEntry{
		{Name: "z", Mode: filemode.Regular, Hash: blob},
		{Name: "a.b", Mode: filemode.Executable, Hash: blob},
		{Name: "a", Mode: filemode.Dir, Hash: plumbing.NewHash(strings.TrimSpace(git(t, dir, "", "rev-parse", "HEAD:d0")))},
		{Name: "a-", Mode: filemode.Symlink, Hash: blob},
	}
	SortTree(entries)
	tree, err := db.Write(plumbing.TreeObject, EncodeTree(entries))
	if err != nil {
		t.Fatal(err)
	}
	var ls strings.Builder
	for _, e := range entries {
		typ := "blob"
		if e.Mode == filemode.Dir {
			typ = "tree"
		}
		ls.WriteString(strings.TrimLeft(e.Mode.String(), "0") + " " + typ + " " + e.Hash.String() + "\t" + e.Name + "\n")
	}
	if want := strings.TrimSpace(git(t, dir, ls.String(), "mktree")); tree.String() != want {
		t.Fatalf("tree %s, git mktree %s", tree, want)
	}
	parsed, err := ParseTree([]byte(git(t, dir, "", "cat-file", "tree", tree.String())))
	if err != nil || len(parsed) != 4 || parsed[0] != entries[0] || parsed[3] != entries[3] {
		t.Fatalf("ParseTree: %v %v", parsed, err)
	}
	when := time.Unix(1700000000, 0).In(time.FixedZone("", -(3*3600 + 30*60)))
	sig := Signature{Name: "A U Thor", Email: "a@example.com", When: when}
	head := plumbing.NewHash(strings.TrimSpace(git(t, dir, "", "rev-parse", "HEAD")))
	c := &Commit{Tree: tree, Parents: []plumbing.Hash{head}, Author: sig, Committer: sig, Message: "subject\n\nbody\n"}
	id, err := db.Write(plumbing.CommitObject, EncodeCommit(c))
	if err != nil {
		t.Fatal(err)
	}
	cmdEnv := []string{"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_AUTHOR_DATE=1700000000 -0330",
		"GIT_COMMITTER_NAME=A U Thor", "GIT_COMMITTER_EMAIL=a@example.com", "GIT_COMMITTER_DATE=1700000000 -0330"}
	want := strings.TrimSpace(gitEnv(t, dir, cmdEnv, "subject\n\nbody\n", "commit-tree", tree.String(), "-p", head.String()))
	if id.String() != want {
		t.Fatalf("commit %s, git commit-tree %s\n%s", id, want, EncodeCommit(c))
	}
	back, err := ParseCommit([]byte(git(t, dir, "", "cat-file", "commit", id.String())))
	if err != nil || back.Tree != tree || len(back.Parents) != 1 || back.Message != c.Message || !back.Committer.When.Equal(when) || back.Author.String() != sig.String() {
		t.Fatalf("ParseCommit: %+v %v", back, err)
	}
	// A tree of more than one stored block (64 KB) reads back too.
	var big []TreeEntry
	for i := 0; i < 3000; i++ {
		big = append(big, TreeEntry{Name: fmt.Sprintf("file-with-a-longer-name-%04d", i), Mode: filemode.Regular, Hash: blob})
	}
	bigTree, err := db.Write(plumbing.TreeObject, EncodeTree(big))
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "", "cat-file", "tree", bigTree.String()); got != string(EncodeTree(big)) {
		t.Fatalf("git reads a tree of %d bytes, not %d", len(got), len(EncodeTree(big)))
	}
	db2 := Open(filepath.Join(dir, ".git", "objects"))
	defer db2.Close()
	if _, b, err := db2.Read(bigTree); err != nil || string(b) != string(EncodeTree(big)) {
		t.Fatalf("read back: %v", err)
	}
	// Writing what is there already writes nothing.
	path := filepath.Join(dir, ".git", "objects", blob.String()[:2], blob.String()[2:])
	st, _ := os.Stat(path)
	if again, err := db.Write(plumbing.BlobObject, []byte(content)); err != nil || again != blob {
		t.Fatal(again, err)
	}
	if st2, _ := os.Stat(path); !st2.ModTime().Equal(st.ModTime()) {
		t.Error("the object was written again")
	}
	if fsck := git(t, dir, "", "fsck", "--strict"); strings.Contains(fsck, "error") {
		t.Fatal(fsck)
	}
}

// gitEnv is git with env added last, over the test identity.
func gitEnv(t *testing.T, dir string, env []string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(stdin)
	cmd.Env = append(append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}
