package odb

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func git(t testing.TB, dir string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("git %v: %v\n%s", args, err, ee.Stderr)
		}
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// history makes a repository whose files change a little in each commit,
// so that packing it gives long delta chains.
func history(t testing.TB, commits int) string {
	dir := t.TempDir()
	git(t, dir, "", "init", "-q", "-b", "main")
	rng := rand.New(rand.NewSource(1))
	lines := make([]string, 300)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d %d", i, rng.Int())
	}
	for c := 0; c < commits; c++ {
		for k := 0; k < 5; k++ {
			lines[rng.Intn(len(lines))] = fmt.Sprintf("changed %d %d", c, rng.Int())
		}
		for f := 0; f < 3; f++ {
			sub := filepath.Join(dir, fmt.Sprintf("d%d", f))
			os.MkdirAll(sub, 0o755)
			os.WriteFile(filepath.Join(sub, "f.txt"), []byte(strings.Join(lines[f*10:], "\n")), 0o644)
		}
		git(t, dir, "", "add", "-A")
		git(t, dir, "", "commit", "-q", "-m", fmt.Sprintf("commit %d", c))
	}
	return dir
}

// catAll is every object of the repository as git reads it.
func catAll(t testing.TB, dir string) map[plumbing.Hash]struct {
	typ string
	b   []byte
} {
	ids := git(t, dir, "", "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
	out := git(t, dir, ids, "cat-file", "--batch")
	r := bufio.NewReader(strings.NewReader(out))
	all := map[plumbing.Hash]struct {
		typ string
		b   []byte
	}{}
	for {
		header, err := r.ReadString('\n')
		if err == io.EOF {
			return all
		}
		f := strings.Fields(header)
		size, _ := strconv.Atoi(f[2])
		b := make([]byte, size+1)
		io.ReadFull(r, b)
		var id plumbing.Hash
		hex.Decode(id[:], []byte(f[0]))
		all[id] = struct {
			typ string
			b   []byte
		}{f[1], b[:size]}
	}
}

func checkAll(t *testing.T, dir string, want int) {
	t.Helper()
	all := catAll(t, dir)
	if len(all) < want {
		t.Fatalf("only %d objects", len(all))
	}
	db := Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	for id, o := range all {
		typ, b, err := db.Read(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if typ.String() != o.typ || !bytes.Equal(b, o.b) {
			t.Fatalf("%s: got %s of %d bytes, git has %s of %d", id, typ, len(b), o.typ, len(o.b))
		}
		if !db.Has(id) {
			t.Fatalf("%s: Has is false", id)
		}
	}
}

func TestLooseObjects(t *testing.T) {
	checkAll(t, history(t, 3), 9)
}

// TestLooseObjectsAnyCompression reads loose objects git wrote stored
// (level 0: the header in a block of its own kind) and at its best.
func TestLooseObjectsAnyCompression(t *testing.T) {
	for _, level := range []string{"0", "9"} {
		t.Run(level, func(t *testing.T) {
			dir := t.TempDir()
			git(t, dir, "", "init", "-q")
			git(t, dir, "", "config", "core.looseCompression", level)
			for _, content := range []string{"", "x", strings.Repeat("a line of text\n", 5000)} {
				git(t, dir, content, "hash-object", "-w", "--stdin")
			}
			checkAll(t, dir, 3)
		})
	}
}

func TestPackWithOffsetDeltas(t *testing.T) {
	dir := history(t, 40)
	git(t, dir, "", "gc", "-q", "--aggressive")
	if loose := git(t, dir, "", "count-objects"); !strings.HasPrefix(loose, "0 objects") {
		t.Fatalf("not packed: %s", loose)
	}
	checkAll(t, dir, 150)
}

// TestPackWithRefDeltas reads a pack whose deltas name their base by id
// (pack-objects without --delta-base-offset, as old servers send).
func TestPackWithRefDeltas(t *testing.T) {
	dir := history(t, 30)
	objs := git(t, dir, "", "rev-list", "--objects", "--all")
	git(t, dir, objs, "pack-objects", "-q", "--window=50", ".git/objects/pack/pack")
	git(t, dir, "", "prune-packed")
	verify := git(t, dir, "", "verify-pack", "-v", mustGlob(t, dir+"/.git/objects/pack/*.idx"))
	if !strings.Contains(verify, "chain length") {
		t.Fatalf("no deltas in the pack:\n%s", verify)
	}
	checkAll(t, dir, 120)
}

// TestAlternates reads objects through objects/info/alternates, as a
// `git clone --shared` has them.
func TestAlternates(t *testing.T) {
	src := history(t, 5)
	git(t, src, "", "gc", "-q")
	dst := filepath.Join(t.TempDir(), "clone")
	git(t, src, "", "clone", "-q", "--shared", src, dst)
	os.WriteFile(filepath.Join(dst, "new"), []byte("only here\n"), 0o644)
	git(t, dst, "", "add", "new")
	git(t, dst, "", "commit", "-q", "-m", "new")
	checkAll(t, dst, 20)
}

func TestNotFoundAndNewPack(t *testing.T) {
	dir := history(t, 2)
	db := Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	var missing plumbing.Hash
	missing[0] = 0xab
	if _, _, err := db.Read(missing); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "ab00") {
		t.Fatalf("missing object: %v", err)
	}
	if db.Has(missing) {
		t.Fatal("Has(missing)")
	}
	// Objects moved into a pack after the DB first looked are still found.
	head := git(t, dir, "", "rev-parse", "HEAD")
	git(t, dir, "", "gc", "-q")
	var id plumbing.Hash
	hex.Decode(id[:], []byte(strings.TrimSpace(head)))
	if typ, _, err := db.Read(id); err != nil || typ != plumbing.CommitObject {
		t.Fatalf("after gc: %v %v", typ, err)
	}
}

func mustGlob(t *testing.T, pattern string) string {
	m, _ := filepath.Glob(pattern)
	if len(m) != 1 {
		t.Fatalf("%s: %v", pattern, m)
	}
	return m[0]
}

func TestApplyDeltaRejectsCorruption(t *testing.T) {
	base := []byte("hello world")
	for _, d := range [][]byte{
		{5, 5, 0x91, 0, 5},   // base size wrong
		{11, 5, 0x91, 20, 5}, // copy past the base
		{11, 5, 3, 'a'},      // insert past the delta
		{11, 5, 0},           // reserved opcode
		{11, 6, 0x91, 0, 5},  // result shorter than said
		{11, 0x80},           // truncated size
	} {
		if _, err := applyDelta(base, d); err == nil {
			t.Errorf("delta %v: no error", d)
		}
	}
	got, err := applyDelta(base, []byte{11, 8, 0x91, 6, 5, 3, '!', '!', '!'})
	if err != nil || string(got) != "world!!!" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestPackRemovedByRepack reads an object whose pack a concurrent
// `git repack -a -d` deleted after the DB had found the pack's index.
func TestPackRemovedByRepack(t *testing.T) {
	dir := history(t, 3)
	git(t, dir, "", "gc", "-q")
	var id plumbing.Hash
	hex.Decode(id[:], []byte(strings.TrimSpace(git(t, dir, "", "rev-parse", "HEAD"))))
	db := Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	if !db.Has(id) { // the index is mapped, the pack not yet
		t.Fatal("HEAD not found")
	}
	os.WriteFile(filepath.Join(dir, "more"), []byte("more\n"), 0o644)
	git(t, dir, "", "add", "more")
	git(t, dir, "", "commit", "-q", "-m", "more")
	old := mustGlob(t, dir+"/.git/objects/pack/*.pack")
	git(t, dir, "", "repack", "-q", "-a", "-d")
	if _, err := os.Stat(old); err == nil {
		t.Fatal("repack kept the old pack")
	}
	if typ, _, err := db.Read(id); err != nil || typ != plumbing.CommitObject {
		t.Fatalf("after repack: %v %v", typ, err)
	}
}

// TestSortByPack: objects come in the order of their offsets in the
// pack, those in no pack last, in the order given.
func TestSortByPack(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "", "init", "-q")
	var ids []plumbing.Hash
	for i := 0; i < 20; i++ {
		ids = append(ids, plumbing.NewHash(strings.TrimSpace(git(t, dir, fmt.Sprintf("blob %d\n", i), "hash-object", "-w", "--stdin"))))
	}
	var list strings.Builder
	for _, id := range ids {
		list.WriteString(id.String() + "\n")
	}
	git(t, dir, list.String(), "pack-objects", "-q", filepath.Join(".git", "objects", "pack", "pack"))
	loose := plumbing.NewHash(strings.TrimSpace(git(t, dir, "a loose one\n", "hash-object", "-w", "--stdin")))
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(packs) != 1 {
		t.Fatalf("want one pack, have %v", packs)
	}
	offsets := map[plumbing.Hash]int{}
	for _, line := range strings.Split(git(t, dir, "", "verify-pack", "-v", packs[0]), "\n") {
		if f := strings.Fields(line); len(f) >= 5 && len(f[0]) == 40 {
			offsets[plumbing.NewHash(f[0])], _ = strconv.Atoi(f[4])
		}
	}
	db := Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	have := append([]plumbing.Hash{loose}, ids...)
	slices.Reverse(have[1:])
	db.SortByPack(have)
	for i := 0; i+1 < len(ids); i++ {
		if offsets[have[i]] >= offsets[have[i+1]] {
			t.Fatalf("%s at offset %d sorted before %s at %d", have[i], offsets[have[i]], have[i+1], offsets[have[i+1]])
		}
	}
	if have[len(have)-1] != loose {
		t.Errorf("the loose object is not last: %v", have)
	}
}

// TestReadTreeAsGit reads every tree of a history, loose and then packed
// with deltas, before comparing any with git ls-tree: trees are inflated
// into one buffer used again, so a name that pointed into it would show
// a later tree's bytes.
func TestReadTreeAsGit(t *testing.T) {
	dir := history(t, 20)
	for _, packed := range []bool{false, true} {
		if packed {
			git(t, dir, "", "gc", "-q", "--aggressive")
		}
		db := Open(filepath.Join(dir, ".git", "objects"))
		var trees []plumbing.Hash
		for _, line := range strings.Split(git(t, dir, "", "cat-file", "--batch-all-objects", "--batch-check"), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[1] == "tree" {
				trees = append(trees, plumbing.NewHash(f[0]))
			}
		}
		read := make([][]TreeEntry, len(trees))
		for i, id := range trees {
			es, err := db.ReadTree(id)
			if err != nil {
				t.Fatalf("packed %v: ReadTree %s: %v", packed, id, err)
			}
			read[i] = es
		}
		for i, id := range trees {
			var have strings.Builder
			for _, e := range read[i] {
				fmt.Fprintf(&have, "%s %s\t%s\n", strings.TrimLeft(e.Mode.String(), "0"), e.Hash, e.Name)
			}
			want := git(t, dir, "", "ls-tree", "--format=%(objectmode) %(objectname)%x09%(path)", id.String())
			want = strings.ReplaceAll(want, "040000 ", "40000 ")
			if have.String() != want {
				t.Fatalf("packed %v: tree %s read as\n%s\ngit ls-tree:\n%s", packed, id, have.String(), want)
			}
		}
		if len(trees) < 40 {
			t.Fatalf("packed %v: only %d trees", packed, len(trees))
		}
		commit := strings.TrimSpace(git(t, dir, "", "rev-parse", "HEAD"))
		if _, err := db.ReadTree(plumbing.NewHash(commit)); err == nil || !strings.Contains(err.Error(), commit+" is a commit, not a tree") {
			t.Fatalf("ReadTree of a commit: %v", err)
		}
		db.Close()
	}
}

// TestLooseObjectCorrupt reads damaged loose objects: an error naming the
// file and saying how to repair it, never a panic, even when the header
// claims more than the stream could ever hold.
func TestLooseObjectCorrupt(t *testing.T) {
	for name, content := range map[string]string{
		"huge size":      "blob 999999999999999999\x00hi",
		"size too large": "blob 3\x00hi",
		"no header":      "hi",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			git(t, dir, "", "init", "-q")
			id := plumbing.NewHash("1234567890123456789012345678901234567890")
			path := filepath.Join(dir, ".git", "objects", "12", "34567890123456789012345678901234567890")
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write([]byte(content))
			zw.Close()
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, z.Bytes(), 0o444); err != nil {
				t.Fatal(err)
			}
			db := Open(filepath.Join(dir, ".git", "objects"))
			defer db.Close()
			_, _, err := db.Read(id)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "git fsck") {
				t.Fatalf("Read: %v; want an error naming %s and git fsck", err, path)
			}
		})
	}
}
