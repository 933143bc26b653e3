package gitstore

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// AllNotes calls fn with every note under refs/notes/ci and the object it
// annotates, reading the whole notes tree as git does (any layout: flat,
// 2/38, deeper, mixed; an object with notes at several paths gets them
// joined, as `git notes show` does). The order is by object id. Entries
// that are not notes are skipped. The notes' blobs are read by one
// `git cat-file --batch`, many times faster than one object read each.
// An error from fn stops the walk and is returned as it is.
func (r *Repo) AllNotes(fn func(object plumbing.Hash, note []byte) error) error {
	return r.AllNoteBlobs(nil, func(object, _ plumbing.Hash, note []byte) error { return fn(object, note) })
}

// AllNoteBlobs is AllNotes that also names the blob holding each note, and
// reads no blob for which known returns true: fn gets a nil note for it,
// for the caller to take from what it kept of that blob. A note joined
// from several blobs has a zero blob id and is always read. known may be
// nil.
func (r *Repo) AllNoteBlobs(known func(blob plumbing.Hash) bool, fn func(object, blob plumbing.Hash, note []byte) error) error {
	tip, err := r.RefValue(NotesRef)
	if err != nil || tip.IsZero() {
		return err
	}
	t, err := r.notesAt(tip)
	if err != nil {
		return err
	}
	var leaves []*trieEntry
	var in bytes.Buffer
	err = t.walk(t.root, 0, 0, 0, func(p *trieEntry, _ string) error {
		leaves = append(leaves, p)
		if !p.pending && (known == nil || !known(p.val)) {
			in.WriteString(p.val.String() + "\n")
		}
		return nil
	})
	if err != nil || len(leaves) == 0 {
		return err
	}
	var out []byte
	if in.Len() > 0 {
		if out, err = r.Run(context.Background(), in.Bytes(), "cat-file", "--batch"); err != nil {
			return fmt.Errorf("%s: %w", NotesRef, err)
		}
	}
	for _, p := range leaves {
		note, blob := p.content, plumbing.ZeroHash
		if !p.pending {
			blob, note = p.val, nil
			if known == nil || !known(p.val) {
				if note, out, err = nextBatchObject(out, p.val); err != nil {
					return fmt.Errorf("%s: note of %s: %w", NotesRef, p.key, err)
				}
			}
		}
		if err := fn(p.key, blob, note); err != nil {
			return err
		}
	}
	return nil
}

// nextBatchObject splits the object want ("SHA TYPE SIZE\nCONTENT\n") off
// the front of `git cat-file --batch` output.
func nextBatchObject(out []byte, want plumbing.Hash) (content, rest []byte, err error) {
	header, body, ok := bytes.Cut(out, []byte("\n"))
	f := strings.Fields(string(header))
	if !ok || len(f) != 3 || f[0] != want.String() {
		return nil, nil, fmt.Errorf("cat-file: unexpected %q", header)
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size+1 > len(body) {
		return nil, nil, fmt.Errorf("cat-file: bad size in %q", header)
	}
	return body[:size], body[size+1:], nil
}
