package merge

import (
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// cachedStore keeps the trees read during one merge in memory: the rename
// pass, the merge walk and the merges of merge bases read the same trees,
// and go-git may reopen a pack file for every read.
type cachedStore struct {
	storer.EncodedObjectStorer
	trees map[plumbing.Hash]plumbing.EncodedObject
}

func withCache(s storer.EncodedObjectStorer) storer.EncodedObjectStorer {
	if _, ok := s.(*cachedStore); ok {
		return s
	}
	return &cachedStore{EncodedObjectStorer: s, trees: map[plumbing.Hash]plumbing.EncodedObject{}}
}

// EncodedObject returns a tree from the cache, or reads and caches it.
func (c *cachedStore) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if t != plumbing.TreeObject {
		return c.EncodedObjectStorer.EncodedObject(t, h)
	}
	if obj, ok := c.trees[h]; ok {
		return obj, nil
	}
	obj, err := c.EncodedObjectStorer.EncodedObject(t, h)
	if err != nil {
		return nil, err
	}
	mem := &plumbing.MemoryObject{}
	mem.SetType(obj.Type())
	r, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if _, err := io.Copy(mem, r); err != nil {
		return nil, err
	}
	c.trees[h] = mem
	return mem, nil
}
