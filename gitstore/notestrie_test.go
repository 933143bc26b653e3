package gitstore

import (
	"crypto/sha1"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// blobID is the id git gives a blob of content.
func blobID(content string) plumbing.Hash {
	return plumbing.Hash(sha1.Sum([]byte(fmt.Sprintf("blob %d\x00%s", len(content), content))))
}

// writeBlobs writes blobs of contents in one git fast-import and returns
// their ids: objects to annotate that git notes prune keeps.
func writeBlobs(t testing.TB, dir string, contents []string) []plumbing.Hash {
	t.Helper()
	var in strings.Builder
	ids := make([]plumbing.Hash, len(contents))
	for i, c := range contents {
		fmt.Fprintf(&in, "blob\ndata %d\n%s\n", len(c), c)
		ids[i] = blobID(c)
	}
	gitIn(t, dir, in.String(), "fast-import", "--quiet")
	return ids
}

// grind returns n blob contents whose ids start with prefix.
func grind(n int, prefix []byte, seed int) []string {
	var out []string
	for i := 0; len(out) < n; i++ {
		c := fmt.Sprintf("grind %d %d", seed, i)
		if id := blobID(c); string(id[:len(prefix)]) == string(prefix) {
			out = append(out, c)
		}
	}
	return out
}

// canonicalTree is git's notes tree for the notes in tree: they are put
// flat in one tree with a note on a missing object, and `git notes prune`
// reads all of it and writes it again, which lays every directory out as
// git decides from the whole set of notes.
func canonicalTree(t *testing.T, dir string, tree plumbing.Hash) plumbing.Hash {
	t.Helper()
	var in strings.Builder
	for _, l := range strings.Split(gitT(t, dir, "ls-tree", "-r", tree.String()), "\n") {
		meta, path, _ := strings.Cut(l, "\t")
		fmt.Fprintf(&in, "%s\t%s\n", meta, strings.ReplaceAll(path, "/", ""))
	}
	missing := blobID("not in the repository")
	fmt.Fprintf(&in, "100644 blob %s\t%s\n", blobID("x"), missing)
	gitIn(t, dir, "x", "hash-object", "-w", "--stdin")
	flat := gitIn(t, dir, in.String(), "mktree", "--missing")
	c := gitT(t, dir, "commit-tree", "-m", "flat", flat)
	gitT(t, dir, "update-ref", "refs/notes/oracle", c)
	gitT(t, dir, "notes", "--ref=oracle", "prune")
	return revParse(t, dir, "refs/notes/oracle^{tree}")
}

// TestNotesLayoutMatchesGit adds notes one at a time, in random order,
// and checks that the tree is the one git writes for the same notes, and
// that one more note lands where `git notes add` puts it.
func TestNotesLayoutMatchesGit(t *testing.T) {
	sizes := []int{1, 10, 300, 5000}
	if testing.Short() {
		sizes = sizes[:3]
	}
	for _, k := range sizes {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			var contents []string
			for i := 0; i < k; i++ {
				contents = append(contents, fmt.Sprintf("object %d of %d", i, k))
			}
			checkLayout(t, contents)
		})
	}
	t.Run("deep", func(t *testing.T) {
		// 300 notes anywhere, 600 under ab/ and 40 more under ab/cd/:
		// fanout 1 at the top, 2 under ab/, not 3 under ab/cd/.
		contents := grind(600, []byte{0xab}, 1)
		contents = append(contents, grind(40, []byte{0xab, 0xcd}, 2)...)
		for i := 0; i < 300; i++ {
			contents = append(contents, fmt.Sprintf("object %d", i))
		}
		dir, tree := checkLayout(t, contents)
		if got := gitT(t, dir, "ls-tree", tree.String()+":ab/"); !strings.Contains(got, "040000 tree") {
			t.Errorf("no second fanout level under ab/:\n%.300s", got)
		}
	})
}

// checkLayout returns the repository and the tree of the notes on contents.
func checkLayout(t *testing.T, contents []string) (string, plumbing.Hash) {
	dir := newRepo(t)
	objs := writeBlobs(t, dir, append(contents, "extra"))
	extra, objs := objs[len(objs)-1], objs[:len(objs)-1]
	rng := rand.New(rand.NewPCG(uint64(len(objs)), 7))
	rng.Shuffle(len(objs), func(i, j int) { objs[i], objs[j] = objs[j], objs[i] })
	r := openRepo(t, dir)
	var tree plumbing.Hash
	for i, obj := range objs {
		var err error
		if tree, err = r.appendNoteLines(tree, []plumbing.Hash{obj}, []byte(fmt.Sprintf(`{"run":"%d"}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	if want := canonicalTree(t, dir, tree); tree != want {
		t.Errorf("notes tree %s, git writes %s for the same %d notes\nours:\n%.600s\ngit's:\n%.600s",
			tree, want, len(objs), gitT(t, dir, "ls-tree", "-r", "--name-only", tree.String()),
			gitT(t, dir, "ls-tree", "-r", "--name-only", want.String()))
	}
	ours, err := r.appendNoteLines(tree, []plumbing.Hash{extra}, []byte("extra"))
	if err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "update-ref", NotesRef, gitT(t, dir, "commit-tree", "-m", "ours", tree.String()))
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "extra", extra.String())
	if theirs := revParse(t, dir, NotesRef+"^{tree}"); ours != theirs {
		t.Errorf("after one more note: tree %s, git notes add writes %s", ours, theirs)
	}
	if dup := duplicateNotes(t, dir); len(dup) > 0 {
		t.Errorf("objects with two notes: %v", dup)
	}
	fsckT(t, dir)
	return dir, tree
}

// handTree makes a notes tree in every layout at once, as a person or
// another tool might: flat, 2/38, 2/2/36, an object noted at two paths,
// an upper-case name and entries that are not notes.
func handTree(t *testing.T, dir string) (plumbing.Hash, []plumbing.Hash) {
	t.Helper()
	objs := writeBlobs(t, dir, []string{"flat", "2/38", "2/2/36", "twice", "upper"})
	blob := func(s string) string { return gitIn(t, dir, s, "hash-object", "-w", "--stdin") }
	mk := func(lines ...string) string { return gitIn(t, dir, strings.Join(lines, "\n")+"\n", "mktree") }
	h := func(i int) string { return objs[i].String() }
	sub38 := mk("100644 blob "+blob("two\n")+"\t"+h(1)[2:], "100644 blob "+blob("junk\n")+"\tjunk")
	sub36 := mk("100644 blob " + blob("three\n") + "\t" + h(2)[4:])
	sub2 := mk("040000 tree " + sub36 + "\t" + h(2)[2:4])
	subTwice := mk("100644 blob " + blob("twice in dir\n") + "\t" + h(3)[2:])
	entries := []string{
		"100644 blob " + blob("one\n") + "\t" + h(0),
		"040000 tree " + sub38 + "\t" + h(1)[:2],
		"040000 tree " + sub2 + "\t" + h(2)[:2],
		"040000 tree " + subTwice + "\t" + h(3)[:2],
		"100644 blob " + blob("twice flat\n") + "\t" + h(3),
		"100644 blob " + blob("upper\n") + "\t" + strings.ToUpper(h(4)),
		"100644 blob " + blob("readme\n") + "\tREADME",
	}
	if objs[1].String()[:2] == objs[2].String()[:2] || objs[1].String()[:2] == objs[3].String()[:2] || objs[2].String()[:2] == objs[3].String()[:2] {
		t.Fatal("test objects share a fanout directory")
	}
	return plumbing.NewHash(mk(entries...)), objs
}

// TestNotesHandMadeLayouts: git-ci reads a mixed tree as git does, and
// writes to it exactly what git writes, which leaves each object one path.
func TestNotesHandMadeLayouts(t *testing.T) {
	dir := newRepo(t)
	tree, objs := handTree(t, dir)
	fresh := writeBlobs(t, dir, []string{"fresh"})[0]
	start := gitT(t, dir, "commit-tree", "-m", "hand-made", tree.String())
	gitT(t, dir, "update-ref", NotesRef, start)
	r := openRepo(t, dir)
	for _, obj := range objs {
		want := gitT(t, dir, "notes", "--ref=ci", "show", obj.String()) + "\n"
		if got, err := r.Note(obj); err != nil || string(got) != want {
			t.Errorf("Note(%s) = %q, %v; git notes show = %q", obj, got, err, want)
		}
	}
	for _, obj := range append(objs, fresh) {
		ours, err := r.appendNoteLines(tree, []plumbing.Hash{obj}, []byte("line"))
		if err != nil {
			t.Fatal(err)
		}
		note := noteBlob(t, dir, ours, obj)
		gitT(t, dir, "update-ref", NotesRef, start)
		gitT(t, dir, "notes", "--ref=ci", "add", "-f", "-C", note, obj.String())
		if theirs := revParse(t, dir, NotesRef+"^{tree}"); ours != theirs {
			t.Errorf("note on %s: tree\n%s\ngit notes add writes\n%s", obj,
				gitT(t, dir, "ls-tree", "-r", ours.String()), gitT(t, dir, "ls-tree", "-r", theirs.String()))
		}
	}
}

// TestAppendNoteLinesAtOnce: a line added to several notes in one write
// (a run's commit and tree) gives the tree that adding it to each in turn,
// as git does, gives; and nothing new when every note has the line.
func TestAppendNoteLinesAtOnce(t *testing.T) {
	dir := newRepo(t)
	tree, objs := handTree(t, dir)
	objs = append(objs, writeBlobs(t, dir, []string{"fresh"})[0])
	r := openRepo(t, dir)
	inTurn := tree
	for _, obj := range objs {
		var err error
		if inTurn, err = r.appendNoteLines(inTurn, []plumbing.Hash{obj}, []byte("line")); err != nil {
			t.Fatal(err)
		}
	}
	atOnce, err := r.appendNoteLines(tree, objs, []byte("line"))
	if err != nil {
		t.Fatal(err)
	}
	if atOnce != inTurn {
		t.Errorf("at once: tree\n%s\nin turn:\n%s", gitT(t, dir, "ls-tree", "-r", atOnce.String()), gitT(t, dir, "ls-tree", "-r", inTurn.String()))
	}
	if again, err := r.appendNoteLines(atOnce, objs, []byte("line")); err != nil || again != atOnce {
		t.Errorf("adding the line again: %s, %v; want %s unchanged", again, err, atOnce)
	}
}

// noteBlob is the note blob git finds for obj in notes tree tree.
func noteBlob(t *testing.T, dir string, tree, obj plumbing.Hash) string {
	t.Helper()
	gitT(t, dir, "update-ref", "refs/notes/probe", gitT(t, dir, "commit-tree", "-m", "probe", tree.String()))
	return gitT(t, dir, "notes", "--ref=probe", "list", obj.String())
}

// TestAllNotesHandMade: AllNotes gives what git notes list and show give.
func TestAllNotesHandMade(t *testing.T) {
	dir := newRepo(t)
	tree, _ := handTree(t, dir)
	gitT(t, dir, "update-ref", NotesRef, gitT(t, dir, "commit-tree", "-m", "hand-made", tree.String()))
	r := openRepo(t, dir)
	var have []string
	err := r.AllNotes(func(obj plumbing.Hash, note []byte) error {
		have = append(have, obj.String()+" "+strings.TrimSuffix(string(note), "\n"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(gitT(t, dir, "notes", "--ref=ci", "list"), "\n") {
		obj := strings.Fields(l)[1]
		want = append(want, obj+" "+gitT(t, dir, "notes", "--ref=ci", "show", obj))
	}
	if strings.Join(have, "\n") != strings.Join(want, "\n") {
		t.Errorf("AllNotes:\n%s\ngit notes list and show:\n%s", strings.Join(have, "\n"), strings.Join(want, "\n"))
	}
}

// TestPathWithFanout checks the paths a notes tree is written with
// against their definition: "/" after each of the first fan bytes.
func TestPathWithFanout(t *testing.T) {
	key := plumbing.NewHash("0123456789abcdef00112233445566778899aabb")
	for fan := 0; fan <= 20; fan++ {
		want := ""
		for i, c := range key.String() {
			want += string(c)
			if i%2 == 1 && i/2 < fan {
				want += "/"
			}
		}
		if have := pathWithFanout(key, fan); have != want {
			t.Errorf("fanout %d: have %q, want %q", fan, have, want)
		}
		for n := 0; n <= len(want); n++ {
			if have := pathPrefix(key, fan, n); have != want[:n] {
				t.Errorf("fanout %d, %d bytes: have %q, want %q", fan, n, have, want[:n])
			}
		}
	}
}
