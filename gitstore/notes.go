package gitstore

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Note returns the note that refs/notes/ci holds for commit, nil when there
// is none. It reads any fanout git may have written (flat, 2/38, deeper).
func (r *Repo) Note(commit plumbing.Hash) ([]byte, error) {
	tip, err := r.RefValue(NotesRef)
	if err != nil || tip.IsZero() {
		return nil, err
	}
	root, err := r.notesTree(tip)
	if err != nil {
		return nil, err
	}
	blob, err := r.findNote(root, commit.String())
	if err != nil || blob.IsZero() {
		return nil, err
	}
	return r.readBlob(blob)
}

func (r *Repo) notesTree(tip plumbing.Hash) (*object.Tree, error) {
	c, err := r.Commit(tip)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", NotesRef, err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("%s: tree of %s: %w", NotesRef, tip, err)
	}
	return t, nil
}

// findNote looks for the note of the object named by hex, descending into
// two-hex-digit fanout directories.
func (r *Repo) findNote(t *object.Tree, hex string) (plumbing.Hash, error) {
	for _, e := range t.Entries {
		if e.Name == hex && e.Mode.IsFile() {
			return e.Hash, nil
		}
		if e.Mode == filemode.Dir && len(e.Name) == 2 && strings.HasPrefix(hex, e.Name) {
			sub, err := r.Git.TreeObject(e.Hash)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("%s: notes tree %s: %w", NotesRef, e.Hash, err)
			}
			return r.findNote(sub, hex[2:])
		}
	}
	return plumbing.ZeroHash, nil
}

func (r *Repo) readBlob(h plumbing.Hash) ([]byte, error) {
	b, err := r.Git.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// appendNote returns a new notes commit whose tree is tip's with line
// appended to the note of each object. A note already holding the same line
// is left as it is (union semantics, each line once).
func (r *Repo) appendNote(tip plumbing.Hash, objects []plumbing.Hash, line []byte) (plumbing.Hash, error) {
	var root *object.Tree
	var parents []plumbing.Hash
	if !tip.IsZero() {
		t, err := r.notesTree(tip)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		root, parents = t, []plumbing.Hash{tip}
	}
	for _, obj := range objects {
		tree, err := r.putNote(root, obj.String(), line)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if root, err = r.Git.TreeObject(tree); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("%s: new notes tree %s: %w", NotesRef, tree, err)
		}
	}
	return r.WriteCommit(root.Hash, parents, "Notes added by 'git ci'\n")
}

// putNote writes a copy of tree t (nil = empty) in which the note for hex
// has line appended. The note stays where it is; a new note goes into the
// fanout directory that already exists at each level, else flat, so no
// object ever has two notes.
func (r *Repo) putNote(t *object.Tree, hex string, line []byte) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if t != nil {
		entries = t.Entries
	}
	fanout := false
	for i, e := range entries {
		if e.Name == hex && e.Mode.IsFile() {
			return r.replaceEntry(entries, i, func() (plumbing.Hash, error) { return r.appendLine(e.Hash, line) })
		}
		if e.Mode == filemode.Dir && len(e.Name) == 2 && isHex(e.Name) {
			fanout = true
			if strings.HasPrefix(hex, e.Name) {
				return r.replaceEntry(entries, i, func() (plumbing.Hash, error) {
					sub, err := r.Git.TreeObject(e.Hash)
					if err != nil {
						return plumbing.ZeroHash, fmt.Errorf("%s: notes tree %s: %w", NotesRef, e.Hash, err)
					}
					return r.putNote(sub, hex[2:], line)
				})
			}
		}
	}
	if fanout {
		sub, err := r.putNote(nil, hex[2:], line)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		return r.WriteTree(append(cloneEntries(entries), object.TreeEntry{Name: hex[:2], Mode: filemode.Dir, Hash: sub}))
	}
	blob, err := r.appendLine(plumbing.ZeroHash, line)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return r.WriteTree(append(cloneEntries(entries), object.TreeEntry{Name: hex, Mode: filemode.Regular, Hash: blob}))
}

func (r *Repo) replaceEntry(entries []object.TreeEntry, i int, newHash func() (plumbing.Hash, error)) (plumbing.Hash, error) {
	h, err := newHash()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	out := cloneEntries(entries)
	out[i].Hash = h
	return r.WriteTree(out)
}

// appendLine writes the blob of old (zero = empty) with line added as a line
// of its own, unless old already has that exact line.
func (r *Repo) appendLine(old plumbing.Hash, line []byte) (plumbing.Hash, error) {
	var content []byte
	if !old.IsZero() {
		b, err := r.readBlob(old)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l == string(line) {
				return old, nil
			}
		}
		content = b
	}
	if len(content) > 0 && content[len(content)-1] != '\n' {
		content = append(content, '\n')
	}
	content = append(append(content, line...), '\n')
	return r.WriteBlob(content)
}

func cloneEntries(e []object.TreeEntry) []object.TreeEntry {
	return append([]object.TreeEntry(nil), e...)
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// errRetries is returned when a ref kept moving under a bounded retry loop.
var errRetries = errors.New("gave up after repeated concurrent updates")
