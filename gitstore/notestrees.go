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
// it went through. It reads the note blobs it must before calling fn, in
// the order they lie in the packs (notesInPackOrder), so it holds them
// all until the walk ends; fn still gets the notes in object order.
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

// notesInPackOrder is the walk of allNoteBlobs that reads the blobs it
// must in the order they lie in the packs, then calls fn for each note in
// object order: in object order, a note blob stored as a delta 50 deep
// (git's depth) rebuilt its chain whenever the delta base cache had let
// it go, which at 100,000 notes was most of the time. It holds the notes
// read until the walk ends, as the site does anyway.
func (t *notesTrie) notesInPackOrder(known func(blob plumbing.Hash) bool, fn func(object, blob plumbing.Hash, note []byte) error) error {
	var leaves []*trieEntry
	err := t.walk(t.root, 0, 0, noPaths, func(p *trieEntry, _ string) error {
		leaves = append(leaves, p)
		return nil
	})
	if err != nil {
		return err
	}
	read := make([]bool, len(leaves))
	var ids []plumbing.Hash
	for i, p := range leaves {
		if !p.pending && (known == nil || !known(p.val)) {
			read[i] = true
			ids = append(ids, p.val)
		}
	}
	t.r.objects.SortByPack(ids)
	type content struct {
		b  []byte
		ok bool // false: a missing blob, or not a blob
	}
	contents := make(map[plumbing.Hash]content, len(ids))
	for _, id := range ids {
		if _, done := contents[id]; !done {
			b, ok, err := t.content(&trieEntry{val: id})
			if err != nil {
				return err
			}
			contents[id] = content{b, ok}
		}
	}
	for i, p := range leaves {
		note, blob := p.content, plumbing.ZeroHash
		if !p.pending {
			blob, note = p.val, nil
			if read[i] {
				c := contents[p.val]
				if !c.ok {
					continue // git reads no note
				}
				note = c.b
			}
		}
		if err := fn(p.key, blob, note); err != nil {
			return err
		}
	}
	return nil
}
