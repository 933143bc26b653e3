package gitstore

import (
	"github.com/git-ci/git-ci/gitstore/odb"
	"github.com/go-git/go-git/v5/plumbing"
)

// NoteTrees keeps the directories of notes trees, by tree id, between
// walks: a tree's entries never change with its id, and one more note
// changes only the directories on its path, so a walk of the notes given
// the trees of the last one reads only those (at 10,000 notes in git's
// 256 fanout directories, 2 trees instead of 257, each inflated and
// parsed).
type NoteTrees struct {
	// Known are the trees kept from before; nil: none.
	Known map[plumbing.Hash][]odb.TreeEntry
	// Used gets every tree the walk went through, known or read: what to
	// keep for the next walk.
	Used map[plumbing.Hash][]odb.TreeEntry
}

// AllNoteBlobsWith is AllNoteBlobs taking the notes tree's directories
// from trees where it has them, and adding to trees.Used every directory
// it went through.
func (r *Repo) AllNoteBlobsWith(trees *NoteTrees, known func(blob plumbing.Hash) bool, fn func(object, blob plumbing.Hash, note []byte) error) error {
	return r.allNoteBlobs(trees, known, fn)
}

// readTree is the entries of the directory id of the notes tree, from
// t.trees when they are known there.
func (t *notesTrie) readTree(id plumbing.Hash) ([]odb.TreeEntry, error) {
	if t.trees == nil {
		return t.r.tree(id)
	}
	entries, ok := t.trees.Known[id]
	if !ok {
		var err error
		if entries, err = t.r.tree(id); err != nil {
			return nil, err
		}
	}
	if t.trees.Used == nil {
		t.trees.Used = make(map[plumbing.Hash][]odb.TreeEntry, len(t.trees.Known)+1)
	}
	t.trees.Used[id] = entries
	return entries, nil
}
