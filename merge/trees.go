package merge

import (
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// emptyTree is the id of the tree with no entries; a store need not hold it.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// rootEntry wraps a root tree id as a directory entry; the empty tree is nil.
func rootEntry(h plumbing.Hash) *odb.TreeEntry {
	if h.IsZero() || h == emptyTree {
		return nil
	}
	return &odb.TreeEntry{Mode: filemode.Dir, Hash: h}
}

// same reports whether two entries are both absent or have equal mode and
// hash. Equal hashes stand for equal content, so unchanged subtrees are
// never read.
func same(a, b *odb.TreeEntry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Mode == b.Mode && a.Hash == b.Hash
}

func isDir(e *odb.TreeEntry) bool { return e != nil && e.Mode == filemode.Dir }

// fileOf is the non-directory part of an entry (blob, symlink or gitlink).
func fileOf(e *odb.TreeEntry) *odb.TreeEntry {
	if e == nil || isDir(e) {
		return nil
	}
	return e
}

// dirOf is the directory part of an entry.
func dirOf(e *odb.TreeEntry) *odb.TreeEntry {
	if !isDir(e) {
		return nil
	}
	return e
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func (m *merger) entries3(p string, b, o, t *odb.TreeEntry) (bs, os, ts map[string]*odb.TreeEntry, err error) {
	if bs, err = m.entries(p, b); err != nil {
		return nil, nil, nil, err
	}
	if os, err = m.entries(p, o); err != nil {
		return nil, nil, nil, err
	}
	ts, err = m.entries(p, t)
	return bs, os, ts, err
}

// entries reads the directory e (nil: empty) into a map by name.
func (m *merger) entries(p string, e *odb.TreeEntry) (map[string]*odb.TreeEntry, error) {
	if e == nil || e.Hash == emptyTree {
		return nil, nil
	}
	es, err := treeEntries(m.s, e.Hash)
	if err != nil {
		return nil, fmt.Errorf("read tree %s at %q: %w", e.Hash, p+"/", err)
	}
	byName := make(map[string]*odb.TreeEntry, len(es))
	for i := range es {
		byName[es[i].Name] = &es[i]
	}
	return byName, nil
}

// withNames adds extra to the sorted names, keeping them sorted and unique.
func withNames(names, extra []string) []string {
	seen := make(map[string]bool, len(names))
	out := append([]string(nil), names...)
	for _, n := range names {
		seen[n] = true
	}
	for _, n := range extra {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// unionNames lists the names of the given directories, sorted.
func unionNames(dirs ...map[string]*odb.TreeEntry) []string {
	most := 0
	for _, d := range dirs {
		most = max(most, len(d))
	}
	seen := make(map[string]bool, most)
	names := make([]string, 0, most)
	for _, d := range dirs {
		for name := range d {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// writeTree stores a tree object with the given entries, sorting them in
// git's order (a directory sorts as if its name ended in '/').
func (m *merger) writeTree(p string, entries []odb.TreeEntry) (plumbing.Hash, error) {
	odb.SortTree(entries)
	return m.writeObject(plumbing.TreeObject, odb.EncodeTree(entries), "tree", p)
}
