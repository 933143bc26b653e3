package gitstore

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// NoteOf resolves rev to a commit, in git's revision syntax, and returns its
// note as Note does. A rev that names no commit gives an error wrapping
// ErrNoRef.
func (r *Repo) NoteOf(rev string) (plumbing.Hash, []byte, error) {
	commit, err := r.Resolve(rev)
	if err != nil {
		return commit, nil, err
	}
	note, err := r.Note(commit)
	return commit, note, err
}

// Note returns the note that refs/notes/ci holds for object, nil when there
// is none. It reads any layout git reads (flat, 2/38, deeper, mixed), and
// only the directories on the note's path. An object with notes at several
// paths (a hand-made tree) gets them joined as git shows them.
func (r *Repo) Note(object plumbing.Hash) ([]byte, error) {
	notes, err := r.Notes([]plumbing.Hash{object})
	if err != nil {
		return nil, err
	}
	return notes[0], nil
}

// Notes returns the notes refs/notes/ci holds for objects, in their order
// (nil where there is none), through one reading of the notes tree: what
// a listing of many commits wants.
func (r *Repo) Notes(objects []plumbing.Hash) ([][]byte, error) {
	notes := make([][]byte, len(objects))
	tip, err := r.RefValue(NotesRef)
	if err != nil || tip.IsZero() {
		return notes, err
	}
	t, err := r.notesAt(tip)
	if err != nil {
		return nil, err
	}
	for i, obj := range objects {
		if notes[i], err = t.noteOf(obj); err != nil {
			return nil, err
		}
	}
	return notes, nil
}

// notesAt loads the notes trie of the notes commit tip.
func (r *Repo) notesAt(tip plumbing.Hash) (*notesTrie, error) {
	tree, err := r.notesTree(tip)
	if err != nil {
		return nil, err
	}
	return r.loadNotes(tree)
}

// noteOf is the note of obj in t, nil when there is none.
func (t *notesTrie) noteOf(obj plumbing.Hash) ([]byte, error) {
	leaf, err := t.find(obj)
	if err != nil || leaf == nil {
		return nil, err
	}
	b, _, err := t.content(leaf)
	return b, err
}

// notesTree returns the tree of the notes commit tip.
func (r *Repo) notesTree(tip plumbing.Hash) (plumbing.Hash, error) {
	typ, b, err := r.read(tip)
	if err == nil && typ != plumbing.CommitObject {
		err = fmt.Errorf("%s is a %s, not a commit", tip, typ)
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("%s: %w", NotesRef, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	id, ok := strings.CutPrefix(line, "tree ")
	if !ok || len(id) != 40 {
		return plumbing.ZeroHash, fmt.Errorf("%s: commit %s has no tree", NotesRef, tip)
	}
	return plumbing.NewHash(id), nil
}

// appendNote returns a new notes commit whose tree is tip's with line
// appended to the note of each object. A note already holding the same line
// is left as it is (union semantics, each line once). The tree is the one
// `git notes append` would write for each object in turn: the same layout
// git gives the same notes, only the directories on the notes' paths read
// and rewritten.
func (r *Repo) appendNote(tip plumbing.Hash, objects []plumbing.Hash, line []byte) (plumbing.Hash, error) {
	go r.identity() // git var runs while the notes are read; the commit waits for it
	var tree plumbing.Hash
	var parents []plumbing.Hash
	var err error
	if !tip.IsZero() {
		if tree, err = r.notesTree(tip); err != nil {
			return plumbing.ZeroHash, err
		}
		parents = []plumbing.Hash{tip}
	}
	if tree, err = r.appendNoteLines(tree, objects, line); err != nil {
		return plumbing.ZeroHash, err
	}
	if tree.IsZero() {
		if tree, err = r.writeRawTree(nil); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	return r.WriteCommit(tree, parents, "Notes added by 'git ci'\n")
}

// appendNoteLines returns notes tree tree (zero: empty) with line added to
// the note of each object, tree itself when every note has that line
// already. The notes are read once and the tree written once for all of
// them.
func (r *Repo) appendNoteLines(tree plumbing.Hash, objects []plumbing.Hash, line []byte) (plumbing.Hash, error) {
	t, err := r.loadNotes(tree)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	changed := false
	for _, obj := range objects {
		var old []byte
		leaf, err := t.find(obj)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if leaf != nil {
			if old, _, err = t.content(leaf); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		content, added := appendLine(old, line)
		if !added && (leaf == nil || !leaf.pending) {
			continue
		}
		blob, err := r.WriteBlob(content)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if err := t.set(obj, blob); err != nil {
			return plumbing.ZeroHash, err
		}
		changed = true
	}
	if !changed {
		return tree, nil
	}
	return t.write()
}

// appendLine returns note old with line added as a line of its own, and
// false when old already has that exact line.
func appendLine(old, line []byte) ([]byte, bool) {
	for _, l := range strings.Split(string(old), "\n") {
		if l == string(line) && len(old) > 0 {
			return old, false
		}
	}
	content := append([]byte(nil), old...)
	if len(content) > 0 && content[len(content)-1] != '\n' {
		content = append(content, '\n')
	}
	return append(append(content, line...), '\n'), true
}

// errRetries is returned when a ref kept moving under a bounded retry loop.
var errRetries = errors.New("gave up after repeated concurrent updates")
