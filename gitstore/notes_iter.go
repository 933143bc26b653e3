package gitstore

import "github.com/go-git/go-git/v5/plumbing"

// AllNotes calls fn with every note under refs/notes/ci and the object it
// annotates, reading the whole notes tree as git does (any layout: flat,
// 2/38, deeper, mixed; an object with notes at several paths gets them
// joined, as `git notes show` does). The order is by object id. Entries
// that are not notes are skipped, and so are notes whose blob is missing
// (git shows no note for them). An error from fn stops the walk and is
// returned as it is.
func (r *Repo) AllNotes(fn func(object plumbing.Hash, note []byte) error) error {
	return r.AllNoteBlobs(nil, func(object, _ plumbing.Hash, note []byte) error { return fn(object, note) })
}

// AllNoteBlobs is AllNotes that also names the blob holding each note, and
// reads no blob for which known returns true: fn gets a nil note for it,
// for the caller to take from what it kept of that blob. A note joined
// from several blobs has a zero blob id and is always read. known may be
// nil.
func (r *Repo) AllNoteBlobs(known func(blob plumbing.Hash) bool, fn func(object, blob plumbing.Hash, note []byte) error) error {
	return r.allNoteBlobs(nil, known, fn)
}

func (r *Repo) allNoteBlobs(trees *NoteTrees, known func(blob plumbing.Hash) bool, fn func(object, blob plumbing.Hash, note []byte) error) error {
	tip, err := r.RefValue(NotesRef)
	if err != nil || tip.IsZero() {
		return err
	}
	tree, err := r.notesTree(tip)
	if err != nil {
		return err
	}
	t, err := r.loadNotesWith(tree, trees)
	if err != nil {
		return err
	}
	if trees != nil {
		return t.notesInPackOrder(known, fn)
	}
	return t.walk(t.root, 0, 0, noPaths, func(p *trieEntry, _ string) error {
		note, blob := p.content, plumbing.ZeroHash
		if !p.pending {
			blob, note = p.val, nil
			if known == nil || !known(p.val) {
				var ok bool
				if note, ok, err = t.content(p); err != nil {
					return err
				}
				if !ok {
					return nil // a missing blob, or not a blob: git reads no note
				}
			}
		}
		return fn(p.key, blob, note)
	})
}
