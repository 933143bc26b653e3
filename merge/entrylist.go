package merge

import (
	"math"
	"slices"
	"strings"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// entryList is a tree's entries sorted by name: own, but where edits
// (in order) say otherwise. The versions of a directory differ in few
// entries, and one kept as its edits of another's own keeps little
// memory: memory a merge keeps is fresh pages it touches.
type entryList struct {
	own   []odb.TreeEntry
	edits []edit
	// strict says no name repeats in own: only then may another
	// version be kept as edits of it.
	strict bool
}

// edit is an entry at own[at]: in its place, or before it (at may be
// len(own)); a nil one drops own[at].
type edit struct {
	e        *odb.TreeEntry
	at       int32
	replaces bool
}

// listOf returns es as an entryList: as edits of like's own when they
// are few, else as a copy. It may sort es by name.
func listOf(es []odb.TreeEntry, like entryList) entryList {
	if l, ok := editsOf(es, like); ok {
		return l
	}
	strict := increasing(es)
	if !strict {
		slices.SortStableFunc(es, func(a, b odb.TreeEntry) int { return strings.Compare(a.Name, b.Name) })
		strict = increasing(es)
	}
	return entryList{own: odb.OwnNames(slices.Clone(es)), strict: strict}
}

// increasing says es's names strictly increase.
func increasing(es []odb.TreeEntry) bool {
	for i := 1; i < len(es); i++ {
		if es[i].Name <= es[i-1].Name {
			return false
		}
	}
	return true
}

// editsOf returns es as edits of like's own when they are at most half
// of es and es's names strictly increase (edits cannot say otherwise).
func editsOf(es []odb.TreeEntry, like entryList) (entryList, bool) {
	if !like.strict || len(like.own) == 0 || len(like.own) > math.MaxInt32 {
		return entryList{}, false
	}
	n, fresh := 0, 0
	ok := diffNames(es, like.own, true, func(ed edit) bool {
		n++
		if ed.e != nil {
			fresh++
		}
		return n <= len(es)/2
	})
	if !ok {
		return entryList{}, false
	}
	own := make([]odb.TreeEntry, 0, fresh)
	edits := make([]edit, 0, n)
	diffNames(es, like.own, false, func(ed edit) bool {
		if ed.e != nil {
			own = append(own, *ed.e)
			ed.e = &own[len(own)-1]
		}
		edits = append(edits, ed)
		return true
	})
	odb.OwnNames(own) // es's names are only lent
	return entryList{own: like.own, edits: edits, strict: true}, true
}

// diffNames calls fn, in name order, with the edits that make like (its
// names strictly increasing) into es, whose entries they are, while fn
// returns true. With check, it stops, returning false, where es's names
// do not strictly increase: as like's do, only at a name es adds.
func diffNames(es, like []odb.TreeEntry, check bool, fn func(edit) bool) bool {
	for i, j := 0, 0; i < len(es) || j < len(like); {
		c := 1
		if i < len(es) {
			c = -1
			if j < len(like) {
				if a, b := &es[i], &like[j]; a.Hash == b.Hash && a.Mode == b.Mode && a.Name == b.Name {
					i, j = i+1, j+1 // the same entry, as most are
					continue
				}
				c = strings.Compare(es[i].Name, like[j].Name)
			}
		}
		var ed edit
		switch {
		case c < 0:
			if check && i > 0 && es[i].Name <= es[i-1].Name {
				return false
			}
			ed = edit{e: &es[i], at: int32(j)}
			i++
		case c > 0:
			ed = edit{at: int32(j), replaces: true}
			j++
		default:
			ed = edit{e: &es[i], at: int32(j), replaces: true}
			i, j = i+1, j+1
		}
		if !fn(ed) {
			return false
		}
	}
	return true
}

// cursor walks an entryList in order: head is the entry it is at, nil
// past the end.
type cursor struct {
	own   []odb.TreeEntry
	edits []edit
	i, j  int // at own[i] and edits[j]
	head  *odb.TreeEntry
}

func newCursor(l entryList) cursor {
	c := cursor{own: l.own, edits: l.edits}
	c.settle()
	return c
}

// next moves to the next entry.
func (c *cursor) next() {
	if c.plain() {
		c.i++
		c.head = &c.own[c.i]
		return
	}
	c.nextEdited()
}

// plain says the next entry is own's next, no edit being left: the step
// a walk takes for nearly every name, small enough to inline there (next
// itself is too big to).
func (c *cursor) plain() bool { return c.j == len(c.edits) && c.i+1 < len(c.own) }

func (c *cursor) nextEdited() {
	if ed := c.edit(); ed != nil && ed.e != nil {
		if ed.replaces {
			c.i++
		}
		c.j++
	} else {
		c.i++
	}
	c.settle()
}

// settle sets head, past the entries of own that edits drop.
func (c *cursor) settle() {
	for ed := c.edit(); ed != nil; ed = c.edit() {
		if ed.e != nil {
			c.head = ed.e
			return
		}
		c.i, c.j = c.i+1, c.j+1
	}
	c.head = nil
	if c.i < len(c.own) {
		c.head = &c.own[c.i]
	}
}

// edit is the edit at the cursor's place, if any.
func (c *cursor) edit() *edit {
	if c.j < len(c.edits) && int(c.edits[c.j].at) == c.i {
		return &c.edits[c.j]
	}
	return nil
}
