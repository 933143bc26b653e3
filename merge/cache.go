package merge

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// cachedStore keeps the trees read during one merge, parsed: the rename
// pass, the merge walk and the merges of merge bases read the same trees.
type cachedStore struct {
	storer.EncodedObjectStorer
	trees map[plumbing.Hash][]odb.TreeEntry
}

func withCache(s storer.EncodedObjectStorer) storer.EncodedObjectStorer {
	if _, ok := s.(*cachedStore); ok {
		return s
	}
	return &cachedStore{EncodedObjectStorer: s, trees: map[plumbing.Hash][]odb.TreeEntry{}}
}

// treeEntries returns the entries of tree h sorted by name (not in git's
// tree order, where a directory sorts as if its name ended in '/'),
// shared: the caller must not change them.
func treeEntries(s storer.EncodedObjectStorer, h plumbing.Hash) ([]odb.TreeEntry, error) {
	c, ok := s.(*cachedStore)
	if !ok {
		return readTree(s, h)
	}
	es, ok := c.trees[h]
	if !ok {
		var err error
		if es, err = readTree(c.EncodedObjectStorer, h); err != nil {
			return nil, err
		}
		c.trees[h] = es
	}
	return es, nil
}

func readTree(s storer.EncodedObjectStorer, h plumbing.Hash) ([]odb.TreeEntry, error) {
	obj, err := s.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	b, err := content(obj)
	if err != nil {
		return nil, err
	}
	es, err := odb.ParseTree(b)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	byName := func(a, b odb.TreeEntry) int { return strings.Compare(a.Name, b.Name) }
	if !slices.IsSortedFunc(es, byName) {
		slices.SortStableFunc(es, byName)
	}
	return es, nil
}

// content is an object's bytes: without a copy when the store holds them
// in memory already (gitstore's objects do), else read in one go.
func content(obj plumbing.EncodedObject) ([]byte, error) {
	if inMemory, ok := obj.(interface{ Bytes() []byte }); ok {
		return inMemory.Bytes(), nil
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, obj.Size())
	_, err = io.ReadFull(r, b)
	return b, err
}
