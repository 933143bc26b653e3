package merge

import (
	"slices"
	"strings"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// entryList is a tree's entries sorted by name: own, but where edits
// (sorted by name) say otherwise: an edit's entry replaces own's of its
// name or adds one, a nil one drops own's. The versions of a directory
// differ in few entries, and one kept as its edits of another's own
// keeps little memory: memory a merge keeps is fresh pages it touches.
type entryList struct {
	own   []odb.TreeEntry
	edits []edit
}

type edit struct {
	name string
	e    *odb.TreeEntry
}

// listOf returns es as an entryList: as edits of like (sorted by name)
// when they are few, else as a copy. It sorts es by name.
func listOf(es, like []odb.TreeEntry) entryList {
	byName := func(a, b odb.TreeEntry) int { return strings.Compare(a.Name, b.Name) }
	if !slices.IsSortedFunc(es, byName) {
		slices.SortStableFunc(es, byName)
	}
	n, fresh := 0, 0
	ok := len(like) > 0 && diffNames(es, like, func(_ string, e *odb.TreeEntry) {
		n++
		if e != nil {
			fresh++
		}
	})
	if !ok || n > len(es)/2 {
		return entryList{own: odb.OwnNames(slices.Clone(es))}
	}
	own := make([]odb.TreeEntry, 0, fresh)
	edits := make([]edit, 0, n)
	diffNames(es, like, func(name string, e *odb.TreeEntry) {
		if e != nil {
			own = append(own, *e)
			e = &own[len(own)-1]
		}
		edits = append(edits, edit{name: name, e: e})
	})
	odb.OwnNames(own)
	for i := range edits {
		if e := edits[i].e; e != nil {
			edits[i].name = e.Name // es's name is only lent
		}
	}
	return entryList{own: like, edits: edits}
}

// diffNames calls fn, in name order, for each name where es and like
// (both sorted by name) differ, with es's entry (nil: es has none). It
// returns false, early, where a name repeats: edits cannot say that.
func diffNames(es, like []odb.TreeEntry, fn func(name string, e *odb.TreeEntry)) bool {
	for i, j := 0, 0; i < len(es) || j < len(like); {
		if i > 0 && i < len(es) && es[i].Name == es[i-1].Name || j > 0 && j < len(like) && like[j].Name == like[j-1].Name {
			return false
		}
		switch {
		case j == len(like) || i < len(es) && es[i].Name < like[j].Name:
			fn(es[i].Name, &es[i])
			i++
		case i == len(es) || like[j].Name < es[i].Name:
			fn(like[j].Name, nil)
			j++
		default:
			if es[i] != like[j] {
				fn(es[i].Name, &es[i])
			}
			i, j = i+1, j+1
		}
	}
	return true
}

// cursor walks an entryList in order.
type cursor struct {
	l    entryList
	i, j int // at l.own[i] and l.edits[j]
}

// head returns the entry the cursor is at, nil past the end.
func (c *cursor) head() *odb.TreeEntry {
	for {
		var o *odb.TreeEntry
		if c.i < len(c.l.own) {
			o = &c.l.own[c.i]
		}
		if c.j == len(c.l.edits) {
			return o
		}
		ed := c.l.edits[c.j]
		switch {
		case o != nil && o.Name < ed.name:
			return o
		case ed.e != nil:
			return ed.e
		}
		if o != nil && o.Name == ed.name { // dropped
			c.i++
		}
		c.j++
	}
}

// next moves past the entry head returned.
func (c *cursor) next() {
	if c.j < len(c.l.edits) && (c.i == len(c.l.own) || c.l.edits[c.j].name <= c.l.own[c.i].Name) {
		if c.i < len(c.l.own) && c.l.edits[c.j].name == c.l.own[c.i].Name {
			c.i++
		}
		c.j++
		return
	}
	c.i++
}
