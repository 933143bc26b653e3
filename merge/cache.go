package merge

import (
	"fmt"
	"io"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// cachedStore keeps the trees read during one merge, parsed: the rename
// pass, the merge walk and the merges of merge bases read the same trees.
// When the store allows, trees the walk is about to read are read ahead
// on another goroutine (prefetch): inflating them is most of a walk.
type cachedStore struct {
	storer.EncodedObjectStorer
	parallel bool // the store reads objects from several goroutines safely

	mu    sync.Mutex
	trees map[plumbing.Hash]*cachedTree
}

// cachedTree is one tree, read or being read.
type cachedTree struct {
	ready   chan struct{} // closed once entries and err are set
	entries entryList
	err     error
}

// parallelReads is what a store says when its EncodedObject is safe to
// call from several goroutines at once (gitstore's is; go-git's
// filesystem storage is not).
type parallelReads interface {
	ParallelReads() bool
}

// objectWriter is a store that writes an object from its bytes unless it
// holds it already, keeping no hold of them (gitstore's does).
type objectWriter interface {
	WriteObject(typ plumbing.ObjectType, data []byte) (plumbing.Hash, error)
}

// objectReader is a store that reads an object into memory the caller
// gives (gitstore's does, when it has room).
type objectReader interface {
	ReadInto(h plumbing.Hash, buf []byte) (plumbing.ObjectType, []byte, error)
}

// readerOf returns s, or the store under its cache, as an objectReader.
func readerOf(s storer.EncodedObjectStorer) (objectReader, bool) {
	if c, ok := s.(*cachedStore); ok {
		s = c.EncodedObjectStorer
	}
	r, ok := s.(objectReader)
	return r, ok
}

// writerOf returns s, or the store under its cache, as an objectWriter.
func writerOf(s storer.EncodedObjectStorer) (objectWriter, bool) {
	if c, ok := s.(*cachedStore); ok {
		s = c.EncodedObjectStorer
	}
	w, ok := s.(objectWriter)
	return w, ok
}

func withCache(s storer.EncodedObjectStorer) storer.EncodedObjectStorer {
	if _, ok := s.(*cachedStore); ok {
		return s
	}
	pr, ok := s.(parallelReads)
	return &cachedStore{EncodedObjectStorer: s, parallel: ok && pr.ParallelReads(), trees: map[plumbing.Hash]*cachedTree{}}
}

// treeEntries returns the entries of tree h sorted by name (not in git's
// tree order, where a directory sorts as if its name ended in '/'),
// shared: the caller must not change them. like is another version of
// the directory (or none), whose equal entries h may share.
func treeEntries(s storer.EncodedObjectStorer, h plumbing.Hash, like entryList) (entryList, error) {
	c, ok := s.(*cachedStore)
	if !ok {
		return readTree(s, h, like)
	}
	t, mine := c.claim(h)
	if mine {
		c.fill(t, h, like)
	} else {
		<-t.ready
	}
	return t.entries, t.err
}

// claim returns the cache's place for tree h, and whether the caller is
// the one to read it.
func (c *cachedStore) claim(h plumbing.Hash) (*cachedTree, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.trees[h]; t != nil {
		return t, false
	}
	t := &cachedTree{ready: make(chan struct{})}
	c.trees[h] = t
	return t, true
}

func (c *cachedStore) fill(t *cachedTree, h plumbing.Hash, like entryList) {
	t.entries, t.err = readTree(c.EncodedObjectStorer, h, like)
	close(t.ready)
}

// prefetch reads the directories dirs (base, ours, theirs; zero: none)
// on another goroutine, last first, while the walk reads them first to
// last: each tree is read once, by whichever comes to it first, and a
// tree being read is waited for.
func (c *cachedStore) prefetch(dirs [][3]plumbing.Hash) {
	if !c.parallel || len(dirs) == 0 {
		return
	}
	go func() {
		for i := len(dirs) - 1; i >= 0; i-- {
			var like entryList
			for _, h := range dirs[i] {
				if h.IsZero() {
					continue
				}
				if t, mine := c.claim(h); mine {
					c.fill(t, h, like)
					if like.own == nil {
						like = t.entries
					}
				}
			}
		}
	}()
}

// readTree reads tree h, its entries where like has them equal kept as
// like's (see entryList).
func readTree(s storer.EncodedObjectStorer, h plumbing.Hash, like entryList) (entryList, error) {
	var l entryList
	err := withTree(s, h, func(es []odb.TreeEntry) error {
		l = listOf(es, like)
		return nil
	})
	return l, err
}

// treeReader is a store that reads trees itself (gitstore's: without
// building an object, into memory used again).
type treeReader interface {
	WithTree(h plumbing.Hash, fn func([]odb.TreeEntry) error) error
}

// withTree calls fn with tree h's entries in their stored order, valid
// while fn runs.
func withTree(s storer.EncodedObjectStorer, h plumbing.Hash, fn func([]odb.TreeEntry) error) error {
	if r, ok := s.(treeReader); ok {
		return r.WithTree(h, fn)
	}
	obj, err := s.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return err
	}
	b, err := content(obj)
	if err != nil {
		return err
	}
	es, err := odb.ParseTree(b)
	if err != nil {
		return fmt.Errorf("tree %s: %w", h, err)
	}
	return fn(es)
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
