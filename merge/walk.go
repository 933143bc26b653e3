package merge

import (
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// emptyTree is the id of the tree with no entries; a store need not hold it.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// merger holds the state of one Trees call.
type merger struct {
	s         storer.EncodedObjectStorer
	conflicts []Conflict
	renames   renameState
}

// vanished records, for the directory being merged, whether it or one of its
// ancestors existed as a directory in the base but is gone on that side
// (the precondition of git's directory rename detection).
type vanished struct{ ours, theirs bool }

// rootEntry wraps a root tree id as a directory entry; the empty tree is nil.
func rootEntry(h plumbing.Hash) *object.TreeEntry {
	if h.IsZero() || h == emptyTree {
		return nil
	}
	return &object.TreeEntry{Mode: filemode.Dir, Hash: h}
}

// same reports whether two entries are both absent or have equal mode and
// hash. Equal hashes stand for equal content, so unchanged subtrees are
// never read.
func same(a, b *object.TreeEntry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Mode == b.Mode && a.Hash == b.Hash
}

func isDir(e *object.TreeEntry) bool { return e != nil && e.Mode == filemode.Dir }

// fileOf is the non-directory part of an entry (blob, symlink or gitlink).
func fileOf(e *object.TreeEntry) *object.TreeEntry {
	if e == nil || isDir(e) {
		return nil
	}
	return e
}

// dirOf is the directory part of an entry.
func dirOf(e *object.TreeEntry) *object.TreeEntry {
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

// mergeName merges the entries found under one path and returns the merged
// entry, nil when the path ends up absent.
func (m *merger) mergeName(p string, b, o, t *object.TreeEntry, v vanished) (*object.TreeEntry, error) {
	switch {
	case same(o, t):
		m.renames.bothSides(p, b, o)
		return o, nil
	case same(o, b):
		m.oneSide(p, b, t, v.ours)
		return t, nil
	case same(t, b):
		m.oneSide(p, b, o, v.theirs)
		return o, nil
	}
	hasDir := isDir(b) || isDir(o) || isDir(t)
	hasFile := fileOf(b) != nil || fileOf(o) != nil || fileOf(t) != nil
	switch {
	case !hasDir:
		return m.fileConflict(p, b, o, t), nil
	case !hasFile:
		return m.mergeDir(p, b, o, t, v)
	}
	return m.mergeMixed(p, b, o, t, v)
}

// mergeMixed merges a path that is a file on some side and a directory on
// another: the file parts and the directory parts merge separately, as git
// sees them as different paths, and clash if both survive.
func (m *merger) mergeMixed(p string, b, o, t *object.TreeEntry, v vanished) (*object.TreeEntry, error) {
	f, err := m.mergeName(p, fileOf(b), fileOf(o), fileOf(t), v)
	if err != nil {
		return nil, err
	}
	d, err := m.mergeName(p, dirOf(b), dirOf(o), dirOf(t), v)
	if err != nil {
		return nil, err
	}
	switch {
	case f != nil && d != nil:
		m.conflict(p, "file/directory")
		return o, nil
	case f != nil:
		return f, nil
	}
	return d, nil
}

// oneSide takes a change made on one side only. otherGone says the other
// side removed a directory above p, which git may treat as a directory
// rename that moves this change elsewhere.
func (m *merger) oneSide(p string, b, x *object.TreeEntry, otherGone bool) {
	if otherGone && x != nil {
		m.conflict(p, "directory rename")
	}
	m.renames.oneSide(p, b, x)
}

// fileConflict records a conflict between two different non-directory
// changes and keeps ours.
func (m *merger) fileConflict(p string, b, o, t *object.TreeEntry) *object.TreeEntry {
	switch {
	case b == nil:
		m.renames.differ = true
		m.conflict(p, "add/add")
	case o == nil || t == nil:
		m.renames.differ = true
		m.conflict(p, "modify/delete")
	case o.Hash == t.Hash:
		m.conflict(p, "mode")
	default:
		m.conflict(p, "content")
	}
	return o
}

func (m *merger) conflict(p, reason string) {
	m.conflicts = append(m.conflicts, Conflict{Path: p, Reason: reason})
}

// mergeDir merges three directories (any may be absent) entry by entry and
// writes the result; it returns nil for a directory left empty, as git
// stores no empty trees.
func (m *merger) mergeDir(p string, b, o, t *object.TreeEntry, v vanished) (*object.TreeEntry, error) {
	if b != nil {
		v.ours = v.ours || o == nil
		v.theirs = v.theirs || t == nil
	}
	bs, os, ts, err := m.entries3(p, b, o, t)
	if err != nil {
		return nil, err
	}
	var out []object.TreeEntry
	for _, name := range unionNames(bs, os, ts) {
		e, err := m.mergeName(join(p, name), bs[name], os[name], ts[name], v)
		if err != nil {
			return nil, err
		}
		if e != nil {
			out = append(out, object.TreeEntry{Name: name, Mode: e.Mode, Hash: e.Hash})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	h, err := m.writeTree(p, out)
	if err != nil {
		return nil, err
	}
	return &object.TreeEntry{Mode: filemode.Dir, Hash: h}, nil
}

func (m *merger) entries3(p string, b, o, t *object.TreeEntry) (bs, os, ts map[string]*object.TreeEntry, err error) {
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
func (m *merger) entries(p string, e *object.TreeEntry) (map[string]*object.TreeEntry, error) {
	if e == nil || e.Hash == emptyTree {
		return nil, nil
	}
	tree, err := object.GetTree(m.s, e.Hash)
	if err != nil {
		return nil, fmt.Errorf("read tree %s at %q: %w", e.Hash, p+"/", err)
	}
	byName := make(map[string]*object.TreeEntry, len(tree.Entries))
	for i := range tree.Entries {
		byName[tree.Entries[i].Name] = &tree.Entries[i]
	}
	return byName, nil
}

// unionNames lists the names of the given directories, sorted.
func unionNames(dirs ...map[string]*object.TreeEntry) []string {
	seen := map[string]bool{}
	var names []string
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
// git's order (a directory sorts as if its name ended in '/'), which go-git's
// Tree.Encode requires.
func (m *merger) writeTree(p string, entries []object.TreeEntry) (plumbing.Hash, error) {
	sort.Sort(object.TreeEntrySorter(entries))
	tree := &object.Tree{Entries: entries}
	obj := m.s.NewEncodedObject()
	if err := tree.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode merged tree at %q: %w", p+"/", err)
	}
	if m.s.HasEncodedObject(obj.Hash()) == nil {
		return obj.Hash(), nil
	}
	h, err := m.s.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write merged tree %s at %q: %w", obj.Hash(), p+"/", err)
	}
	return h, nil
}

func sortConflicts(cs []Conflict) []Conflict {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Path < cs[j].Path })
	var out []Conflict
	for _, c := range cs {
		if len(out) == 0 || out[len(out)-1].Path != c.Path {
			out = append(out, c)
		}
	}
	return out
}
