package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// store is the repository's object store as merge and go-git's storer
// interface see it: reads by odb, which looks an object up in a pack's
// index where it lies (go-git decodes every index in full first: tens of
// milliseconds at 100,000 notes), writes as loose objects.
type store struct {
	db *odb.DB
}

func (s *store) NewEncodedObject() plumbing.EncodedObject { return &plumbing.MemoryObject{} }

// WriteObject writes an object from its bytes as a loose object unless
// the store holds it, as odb.DB.Write; merge writes its objects so, with
// one hash and one look-up each.
func (s *store) WriteObject(typ plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	return s.db.Write(typ, data)
}

// ParallelReads says EncodedObject is safe from several goroutines at
// once (odb.DB is): merge then reads trees ahead.
func (s *store) ParallelReads() bool { return true }

// SetEncodedObject writes obj unless the store has it.
func (s *store) SetEncodedObject(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	r, err := obj.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return s.db.Write(obj.Type(), b)
}

func (s *store) IterEncodedObjects(plumbing.ObjectType) (storer.EncodedObjectIter, error) {
	return nil, errors.New("gitstore: listing every object is not supported")
}

func (s *store) AddAlternate(string) error {
	return errors.New("gitstore: adding an alternate is not supported")
}

// EncodedObject reads object h; plumbing.ErrObjectNotFound when it is
// missing or not of type t, as go-git's storers report it.
func (s *store) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	typ, b, err := s.db.Read(h)
	if errors.Is(err, odb.ErrNotFound) {
		return nil, plumbing.ErrObjectNotFound
	}
	if err != nil {
		return nil, err
	}
	ot := plumbing.ObjectType(typ) // odb numbers types as go-git does: git's pack numbers
	if t != plumbing.AnyObject && ot != t {
		return nil, plumbing.ErrObjectNotFound
	}
	return &readObject{h: h, t: ot, b: b}, nil
}

// ReadInto reads object h, into buf when it has room (odb.DB.ReadInto);
// a missing object gives plumbing.ErrObjectNotFound.
func (s *store) ReadInto(h plumbing.Hash, buf []byte) (plumbing.ObjectType, []byte, error) {
	typ, b, err := s.db.ReadInto(h, buf)
	if errors.Is(err, odb.ErrNotFound) {
		return 0, nil, plumbing.ErrObjectNotFound
	}
	return plumbing.ObjectType(typ), b, err
}

// WithTree calls fn with tree h's entries, valid only while it runs
// (odb.DB.WithTree): merge keeps of them what it needs.
func (s *store) WithTree(h plumbing.Hash, fn func([]odb.TreeEntry) error) error {
	return missing(h, s.db.WithTree(h, fn))
}

func (s *store) HasEncodedObject(h plumbing.Hash) error {
	if s.db.Has(h) {
		return nil
	}
	return plumbing.ErrObjectNotFound
}

func (s *store) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	obj, err := s.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return 0, err
	}
	return obj.Size(), nil
}

// readObject is an object read from the store: its id is known, so it is
// not hashed again (plumbing.MemoryObject would).
type readObject struct {
	h plumbing.Hash
	t plumbing.ObjectType
	b []byte
}

func (o *readObject) Hash() plumbing.Hash           { return o.h }
func (o *readObject) Type() plumbing.ObjectType     { return o.t }
func (o *readObject) SetType(t plumbing.ObjectType) { o.t = t }
func (o *readObject) Size() int64                   { return int64(len(o.b)) }
func (o *readObject) SetSize(int64)                 {}
func (o *readObject) Bytes() []byte                 { return o.b } // merge reads without a copy
func (o *readObject) Reader() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(o.b)), nil
}
func (o *readObject) Writer() (io.WriteCloser, error) {
	return nil, fmt.Errorf("object %s was read from the store: it cannot be written", o.h)
}

// read returns the type and content of object h; a missing object gives
// an error wrapping plumbing.ErrObjectNotFound.
func (r *Repo) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	typ, b, err := r.objects.Read(h)
	return plumbing.ObjectType(typ), b, missing(h, err)
}

// tree reads a tree object's entries in their stored order.
func (r *Repo) tree(h plumbing.Hash) ([]odb.TreeEntry, error) {
	es, err := r.objects.ReadTree(h)
	return es, missing(h, err)
}

// missing is err, with odb's not-found given as go-git's, naming h.
func missing(h plumbing.Hash, err error) error {
	if errors.Is(err, odb.ErrNotFound) {
		return fmt.Errorf("%s: %w", h, plumbing.ErrObjectNotFound)
	}
	return err
}
