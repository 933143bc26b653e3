package gitstore

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// AllNotes calls fn with every note under refs/notes/ci and the object it
// annotates, walking the notes tree once at any fanout (flat, 2/38,
// deeper). The order is the tree's (by object id). Entries that are not
// notes (names that do not add up to 40 hex digits) are skipped. The notes'
// blobs are read by one `git cat-file --batch`, many times faster than one
// object read each. An error from fn stops the walk and is returned as it is.
func (r *Repo) AllNotes(fn func(object plumbing.Hash, note []byte) error) error {
	tip, err := r.RefValue(NotesRef)
	if err != nil || tip.IsZero() {
		return err
	}
	root, err := r.notesTree(tip)
	if err != nil {
		return err
	}
	var objs, blobs []plumbing.Hash
	err = r.walkNotes(root, "", func(obj, blob plumbing.Hash) {
		objs, blobs = append(objs, obj), append(blobs, blob)
	})
	if err != nil || len(blobs) == 0 {
		return err
	}
	var in bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.String() + "\n")
	}
	out, err := r.Run(context.Background(), in.Bytes(), "cat-file", "--batch")
	if err != nil {
		return fmt.Errorf("%s: %w", NotesRef, err)
	}
	for i := range blobs {
		var note []byte
		if note, out, err = nextBatchObject(out, blobs[i]); err != nil {
			return fmt.Errorf("%s: note of %s: %w", NotesRef, objs[i], err)
		}
		if err := fn(objs[i], note); err != nil {
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

func (r *Repo) walkNotes(t *object.Tree, prefix string, fn func(object, blob plumbing.Hash)) error {
	for _, e := range t.Entries {
		name := prefix + e.Name
		if !isHex(e.Name) || len(name) > 40 {
			continue
		}
		switch {
		case e.Mode == filemode.Dir && len(e.Name) == 2:
			sub, err := r.Git.TreeObject(e.Hash)
			if err != nil {
				return fmt.Errorf("%s: notes tree %s: %w", NotesRef, e.Hash, err)
			}
			if err := r.walkNotes(sub, name, fn); err != nil {
				return err
			}
		case e.Mode.IsFile() && len(name) == 40:
			fn(plumbing.NewHash(strings.ToLower(name)), e.Hash)
		}
	}
	return nil
}
