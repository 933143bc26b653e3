package odb

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// TreeEntry is one entry of a tree object.
type TreeEntry struct {
	Name string
	Mode filemode.FileMode
	Hash plumbing.Hash
}

// ParseTree returns a tree object's entries in their stored order. It
// reads the bytes in place (go-git's object.Tree.Decode, several times
// slower, goes through a bufio.Reader entry by entry), then copies the
// names into one string of their own: a single allocation per tree
// instead of one per entry, a fifth of the tree's size, and b is free
// to be used again.
func ParseTree(b []byte) ([]TreeEntry, error) {
	entries, err := parseTree(make([]TreeEntry, 0, countEntries(b)), b)
	if err != nil {
		return nil, err
	}
	return OwnNames(entries), nil
}

// OwnNames gives the names of entries one string of their own, copied,
// and returns entries.
func OwnNames(entries []TreeEntry) []TreeEntry {
	size := 0
	for _, e := range entries {
		size += len(e.Name)
	}
	names := make([]byte, 0, size)
	for _, e := range entries {
		names = append(names, e.Name...)
	}
	text := unsafe.String(unsafe.SliceData(names), len(names)) // names never change again
	for i, at := 0, 0; i < len(entries); i++ {
		n := len(entries[i].Name)
		entries[i].Name, at = text[at:at+n], at+n
	}
	return entries
}

// ReadTree reads tree id and returns its entries, as ParseTree.
func (db *DB) ReadTree(id plumbing.Hash) ([]TreeEntry, error) {
	var entries []TreeEntry
	err := db.WithTree(id, func(es []TreeEntry) error {
		entries = OwnNames(slices.Clone(es))
		return nil
	})
	return entries, err
}

// WithTree reads tree id and calls fn with its entries in their stored
// order, and returns fn's error. The entries and their names are fn's
// only while it runs: they are in memory used again for the next tree,
// as a merge reads hundreds of trees and every fresh page of memory a
// process touches costs a page fault (~3 µs on a small VM; keeping every
// tree's bytes cost a merge of 100,000 files ~110 of them).
func (db *DB) WithTree(id plumbing.Hash, fn func([]TreeEntry) error) error {
	buf := treeBufs.Get().(*treeBuf)
	defer treeBufs.Put(buf)
	typ, b, err := db.read(id, buf.text)
	if err != nil {
		return err
	}
	if cap(b) > cap(buf.text) {
		buf.text = b[:0] // Read's result is the caller's: the next tree's room
	}
	if typ != plumbing.TreeObject {
		return fmt.Errorf("%s is a %s, not a tree", id, typ)
	}
	if n := countEntries(b); cap(buf.entries) < n {
		buf.entries = make([]TreeEntry, 0, n) // not grown by appends: fewer fresh pages
	}
	entries, err := parseTree(buf.entries[:0], b)
	if err != nil {
		return fmt.Errorf("tree %s: %w", id, err)
	}
	buf.entries = entries[:0]
	return fn(entries)
}

// treeBuf is the room of WithTree: a tree's bytes and entries.
type treeBuf struct {
	text    []byte
	entries []TreeEntry
}

var treeBufs = sync.Pool{New: func() any { return new(treeBuf) }}

// parseTree appends the entries of tree content b to entries, their
// names slices of b.
func parseTree(entries []TreeEntry, b []byte) ([]TreeEntry, error) {
	text := unsafe.String(unsafe.SliceData(b), len(b))
	for at := 0; len(b) > 0; {
		sp := bytes.IndexByte(b, ' ')
		nul := bytes.IndexByte(b, 0)
		if sp <= 0 || nul < sp || len(b) < nul+21 {
			return nil, fmt.Errorf("malformed tree entry %q", b[:min(len(b), 60)])
		}
		var mode filemode.FileMode
		for _, c := range b[:sp] {
			if c < '0' || c > '7' {
				return nil, fmt.Errorf("malformed tree entry mode %q", b[:sp])
			}
			mode = mode<<3 | filemode.FileMode(c-'0')
		}
		var id plumbing.Hash
		copy(id[:], b[nul+1:nul+21])
		entries = append(entries, TreeEntry{Name: text[at+sp+1 : at+nul], Mode: mode, Hash: id})
		b, at = b[nul+21:], at+nul+21
	}
	return entries, nil
}

// countEntries counts the entries of tree content b, as parseTree will
// find them: counting its NUL bytes would count those of the ids too,
// 8% more room than needed, and memory a merge touches costs faults.
func countEntries(b []byte) int {
	n := 0
	for {
		nul := bytes.IndexByte(b, 0)
		if nul < 0 || len(b) < nul+21 {
			return n
		}
		b, n = b[nul+21:], n+1
	}
}

// EncodeTree is the content of a tree object of entries, in the order
// given (SortTree puts them in git's).
func EncodeTree(entries []TreeEntry) []byte {
	n := 0
	for _, e := range entries {
		n += len(e.Name) + 28
	}
	return AppendTree(make([]byte, 0, n), entries)
}

// AppendTree appends the content of a tree object of entries to b, as
// EncodeTree makes it, and returns the extended slice.
func AppendTree(b []byte, entries []TreeEntry) []byte {
	for _, e := range entries {
		b = strconv.AppendUint(b, uint64(e.Mode), 8)
		b = append(b, ' ')
		b = append(b, e.Name...)
		b = append(b, 0)
		b = append(b, e.Hash[:]...)
	}
	return b
}

// SortTree puts entries in git's tree order: by name, a directory's name
// compared as if it ended in "/".
func SortTree(entries []TreeEntry) {
	slices.SortFunc(entries, compareTreeEntries)
}

// compareTreeEntries is git's base_name_compare, without building the
// names with "/".
func compareTreeEntries(a, b TreeEntry) int {
	n := min(len(a.Name), len(b.Name))
	if c := strings.Compare(a.Name[:n], b.Name[:n]); c != 0 {
		return c
	}
	return cmp.Compare(charAfter(a, n), charAfter(b, n))
}

// charAfter is e's name's byte at i, or past its end '/' for a directory
// and 0 for a file.
func charAfter(e TreeEntry, i int) byte {
	switch {
	case i < len(e.Name):
		return e.Name[i]
	case e.Mode == filemode.Dir:
		return '/'
	}
	return 0
}
