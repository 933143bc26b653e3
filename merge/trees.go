package merge

import (
	"fmt"
	"slices"
	"strings"

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

// named is one name of directories read side by side, with the entry
// each of them has under it (nil where it has none).
type named struct {
	name string
	in   [3]*odb.TreeEntry
}

// sideBySide reads up to three directories (nil: empty) and lists the
// names any of them has, sorted, each once with its entries: a merge of
// the sorted entry lists, as git's traverse_trees walks them.
func (m *merger) sideBySide(p string, dirs ...*odb.TreeEntry) ([]named, error) {
	var lists [3]cursor
	var like entryList // the first version read, for the others to share
	most := 0
	for i, d := range dirs {
		if d == nil || d.Hash == emptyTree {
			continue
		}
		l, err := treeEntries(m.s, d.Hash, like)
		if err != nil {
			return nil, fmt.Errorf("read tree %s at %q: %w", d.Hash, p+"/", err)
		}
		lists[i], most = newCursor(l), max(most, len(l.own)+len(l.edits))
		if like.own == nil {
			like = l
		}
	}
	out := m.bufs.newRows()
	if cap(out) < most {
		out = make([]named, 0, most+most/8)
	}
	for {
		first, any := "", false
		for i := range lists {
			if h := lists[i].head; h != nil && (!any || h.Name < first) {
				first, any = h.Name, true
			}
		}
		if !any {
			return out, nil
		}
		r := named{name: first}
		for i := range lists {
			if c := &lists[i]; c.head != nil && c.head.Name == first {
				r.in[i] = c.head
				if c.plain() { // cursor.next, inlined
					c.i++
					c.head = &c.own[c.i]
				} else {
					c.nextEdited()
				}
			}
		}
		out = append(out, r)
	}
}

// prefetchChanged starts reading ahead the directories among rows that
// both sides changed: those walkBoth reads next.
func (m *merger) prefetchChanged(rows []named) {
	c, ok := m.s.(*cachedStore)
	if !ok || !c.parallel {
		return
	}
	var dirs [][3]plumbing.Hash
	for _, r := range rows {
		b, o, t := dirOf(r.in[0]), dirOf(r.in[1]), dirOf(r.in[2])
		if same(o, b) || same(t, b) {
			continue
		}
		var ids [3]plumbing.Hash
		for i, d := range [3]*odb.TreeEntry{b, o, t} {
			if d != nil && d.Hash != emptyTree {
				ids[i] = d.Hash
			}
		}
		dirs = append(dirs, ids)
	}
	c.prefetch(dirs)
}

// entries reads the directory e (nil: empty) into a map by name.
func (m *merger) entries(p string, e *odb.TreeEntry) (map[string]*odb.TreeEntry, error) {
	if e == nil || e.Hash == emptyTree {
		return nil, nil
	}
	l, err := treeEntries(m.s, e.Hash, entryList{})
	if err != nil {
		return nil, fmt.Errorf("read tree %s at %q: %w", e.Hash, p+"/", err)
	}
	byName := make(map[string]*odb.TreeEntry, len(l.own)+len(l.edits))
	for c := newCursor(l); c.head != nil; c.next() {
		byName[c.head.Name] = c.head
	}
	return byName, nil
}

// withNames adds the names in extra the rows lack, as rows of absent
// entries, keeping them sorted.
func withNames(rows []named, extra []string) []named {
	for _, n := range extra {
		if i, found := slices.BinarySearchFunc(rows, n, byName); !found {
			rows = slices.Insert(rows, i, named{name: n})
		}
	}
	return rows
}

func byName(r named, name string) int { return strings.Compare(r.name, name) }

// writeTree stores a tree object with the given entries, sorting them in
// git's order (a directory sorts as if its name ended in '/').
func (m *merger) writeTree(p string, entries []odb.TreeEntry) (plumbing.Hash, error) {
	odb.SortTree(entries)
	m.treeBuf = odb.AppendTree(m.treeBuf[:0], entries) // writeObject keeps no hold of it
	return m.writeObject(plumbing.TreeObject, m.treeBuf, "tree", p)
}
