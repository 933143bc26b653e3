package gitstore

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// The notes tree, held as git's notes.c holds it, so that git-ci reads
// and writes exactly what git does: a 16-way trie on the nibbles of the
// annotated object's id, whose leaves are notes or fanout directories not
// read yet. A directory is read only when a lookup or an insert goes
// through it, so a note costs the directories on its path, not the tree.

type trieKind uint8

const (
	trieInternal trieKind = iota + 1
	trieNote
	trieSubtree
)

// trieEntry is what one slot of the trie holds.
type trieEntry struct {
	kind trieKind
	kids *[16]*trieEntry // trieInternal: the 16 children, nil = empty
	key  plumbing.Hash   // trieNote: the object; trieSubtree: its prefix, zero-padded
	plen int             // trieSubtree: the prefix's length in bytes
	val  plumbing.Hash   // trieNote: the note blob; trieSubtree: the directory's tree
	// pending is true when val is a blob made by joining an object's notes
	// found at several paths, not written yet; content holds it.
	pending bool
	content []byte
}

// nonNote is an entry of the notes tree that is not a note, kept as it is.
type nonNote struct {
	path string // slash-separated, from the notes tree's root
	mode filemode.FileMode
	hash plumbing.Hash
}

// notesTrie is one notes tree being read or changed.
type notesTrie struct {
	r        *Repo
	trees    *NoteTrees // directories read before; nil: none
	root     *trieEntry
	nonNotes []nonNote // sorted by path
	// written counts the non-notes write has passed: one read later that
	// sorts before them is dropped, as git drops it.
	written int
}

// loadNotes reads the top of the notes tree tree (zero: an empty tree).
func (r *Repo) loadNotes(tree plumbing.Hash) (*notesTrie, error) {
	return r.loadNotesWith(tree, nil)
}

// loadNotesWith is loadNotes taking directories from trees (may be nil).
func (r *Repo) loadNotesWith(tree plumbing.Hash, trees *NoteTrees) (*notesTrie, error) {
	t := &notesTrie{r: r, trees: trees, root: &trieEntry{kind: trieInternal, kids: new([16]*trieEntry)}}
	if tree.IsZero() {
		return t, nil
	}
	return t, t.load(&trieEntry{kind: trieSubtree, val: tree}, t.root, 0)
}

func nibble(n int, key *plumbing.Hash) int {
	return int(key[n>>1]>>((^n&1)<<2)) & 0xf
}

// prefixOf reports whether sub's prefix is a prefix of key.
func prefixOf(sub *trieEntry, key *plumbing.Hash) bool {
	return string(key[:sub.plen]) == string(sub.key[:sub.plen])
}

// load reads the directory sub into node, which is at trie level n
// (git's load_subtree): an entry whose name completes a 40-hex-digit id
// and is a file is a note, a two-hex-digit directory is a subtree, and
// anything else is kept as a non-note.
func (t *notesTrie) load(sub, node *trieEntry, n int) error {
	entries, err := t.readTree(sub.val)
	if err != nil {
		return fmt.Errorf("%s: notes tree %s: %w", NotesRef, sub.val, err)
	}
	for _, e := range entries {
		mode := canonMode(e.Mode)
		leaf := &trieEntry{key: sub.key, val: e.Hash}
		switch {
		case len(e.Name) == 2*(len(leaf.key)-sub.plen):
			if mode.IsRegular() || mode == filemode.Executable {
				if _, err := hex.Decode(leaf.key[sub.plen:], []byte(e.Name)); err == nil {
					leaf.kind = trieNote
				}
			}
		case len(e.Name) == 2:
			if mode == filemode.Dir {
				if _, err := hex.Decode(leaf.key[sub.plen:sub.plen+1], []byte(e.Name)); err == nil {
					leaf.kind, leaf.plen = trieSubtree, sub.plen+1
				}
			}
		}
		if leaf.kind == 0 {
			t.addNonNote(nonNote{path: fanoutPath(sub.key, sub.plen) + e.Name, mode: mode, hash: e.Hash})
			continue
		}
		if err := t.insert(node, n, leaf, t.concatenate); err != nil {
			return err
		}
	}
	return nil
}

// fanoutPath is the directory of a prefix of plen bytes: "ab/cd/".
func fanoutPath(key plumbing.Hash, plen int) string {
	var b strings.Builder
	for i := 0; i < plen; i++ {
		b.WriteString(hex.EncodeToString(key[i : i+1]))
		b.WriteByte('/')
	}
	return b.String()
}

// canonMode is git's canon_mode: the mode a tree entry is read with.
func canonMode(m filemode.FileMode) filemode.FileMode {
	switch m & 0o170000 {
	case 0o100000:
		if m&0o100 != 0 {
			return filemode.Executable
		}
		return filemode.Regular
	case 0o120000:
		return filemode.Symlink
	case 0o040000:
		return filemode.Dir
	}
	return filemode.Submodule
}

// addNonNote keeps a non-note, sorted by path; a later one at the same
// path replaces the earlier (git's add_non_note).
func (t *notesTrie) addNonNote(nn nonNote) {
	i := sort.Search(len(t.nonNotes), func(i int) bool { return t.nonNotes[i].path >= nn.path })
	if i < len(t.nonNotes) && t.nonNotes[i].path == nn.path {
		t.nonNotes[i] = nn
		return
	}
	t.nonNotes = append(t.nonNotes[:i], append([]nonNote{nn}, t.nonNotes[i:]...)...)
	if i < t.written {
		t.written++
	}
}

// search walks from node, at level n, to the slot where key belongs,
// reading every subtree on the way that may hold it (note_tree_search).
func (t *notesTrie) search(node *trieEntry, n int, key *plumbing.Hash) (*trieEntry, int, int, error) {
	for {
		if p := node.kids[0]; p != nil && p.kind == trieSubtree && prefixOf(p, key) {
			node.kids[0] = nil
			if err := t.load(p, node, n); err != nil {
				return nil, 0, 0, err
			}
			continue
		}
		i := nibble(n, key)
		p := node.kids[i]
		switch {
		case p != nil && p.kind == trieInternal:
			node, n = p, n+1
		case p != nil && p.kind == trieSubtree && prefixOf(p, key):
			node.kids[i] = nil
			if err := t.load(p, node, n); err != nil {
				return nil, 0, 0, err
			}
		default:
			return node, n, i, nil
		}
	}
}

// find returns the note of key, nil when there is none (note_tree_find).
func (t *notesTrie) find(key plumbing.Hash) (*trieEntry, error) {
	node, _, i, err := t.search(t.root, 0, &key)
	if err != nil {
		return nil, err
	}
	if p := node.kids[i]; p != nil && p.kind == trieNote && p.key == key {
		return p, nil
	}
	return nil, nil
}

// set makes blob the note of key, replacing any note it had.
func (t *notesTrie) set(key, blob plumbing.Hash) error {
	return t.insert(t.root, 0, &trieEntry{kind: trieNote, key: key, val: blob}, func(cur, add *trieEntry) error {
		cur.val, cur.pending, cur.content = add.val, add.pending, add.content
		return nil
	})
}

// insert puts leaf into the trie below node at level n (note_tree_insert);
// a note for an object that has one already is joined to it by combine.
func (t *notesTrie) insert(node *trieEntry, n int, leaf *trieEntry, combine func(cur, add *trieEntry) error) error {
	node, n, i, err := t.search(node, n, &leaf.key)
	if err != nil {
		return err
	}
	p := node.kids[i]
	switch {
	case p == nil:
		node.kids[i] = leaf
		return nil
	case p.kind == trieNote && leaf.kind == trieNote && p.key == leaf.key:
		if p.val == leaf.val {
			return nil
		}
		return combine(p, leaf)
	case p.kind == trieNote && leaf.kind == trieSubtree && prefixOf(leaf, &p.key):
		return t.load(leaf, node, n)
	case p.kind == trieSubtree && prefixOf(p, &leaf.key):
		node.kids[i] = nil
		if err := t.load(p, node, n); err != nil {
			return err
		}
		return t.insert(node, n, leaf, combine)
	}
	split := &trieEntry{kind: trieInternal, kids: new([16]*trieEntry)}
	if err := t.insert(split, n+1, p, combine); err != nil {
		return err
	}
	node.kids[i] = split
	return t.insert(split, n+1, leaf, combine)
}

// concatenate joins two notes of one object as git does when it reads a
// tree holding both (combine_notes_concatenate): cur's text, a blank line,
// add's text; an empty or unreadable note counts as none.
func (t *notesTrie) concatenate(cur, add *trieEntry) error {
	next, ok, err := t.content(add)
	if err != nil || !ok || len(next) == 0 {
		return err
	}
	prev, ok, err := t.content(cur)
	if err != nil {
		return err
	}
	if !ok || len(prev) == 0 {
		cur.val, cur.pending, cur.content = add.val, add.pending, add.content
		return nil
	}
	if prev[len(prev)-1] == '\n' {
		prev = prev[:len(prev)-1]
	}
	joined := append(append(append([]byte(nil), prev...), '\n', '\n'), next...)
	cur.val, cur.pending, cur.content = plumbing.ComputeHash(plumbing.BlobObject, joined), true, joined
	return nil
}

// content is the text of note leaf; ok is false when its blob is missing
// or not a blob, which git reads as no note.
func (t *notesTrie) content(leaf *trieEntry) ([]byte, bool, error) {
	if leaf.pending {
		return leaf.content, true, nil
	}
	typ, b, err := t.r.read(leaf.val)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("note %s: %w", leaf.val, err)
	}
	if typ != plumbing.BlobObject {
		return nil, false, nil
	}
	return b, true, nil
}
