package merge

import (
	"sort"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// collision is a destination that both sides have a file at.
type collision struct {
	stages [3]*odb.TreeEntry
	// pathConflict marks a rename/add/delete or a rename/rename(1to2)
	// destination: conflicted whatever merges; reason names it.
	pathConflict bool
	reason       string
	// names are the paths the stages came from, where a directory
	// rename moved one (labels of the add/add merge).
	names [3]string
}

// addedOn is the file side added at p, or moved (added or renamed)
// there by a directory rename of the other side.
func (pl *planner) addedOn(side int, p string) *odb.TreeEntry {
	if e := pl.movedIn[side][p]; e != nil {
		return e
	}
	if e := pl.renamedIn[side][p]; e != nil {
		return e
	}
	return pl.sides[side].added[p]
}

// collide returns the collision at dst, made from what the sides added.
func (pl *planner) collide(dst string) *collision {
	if pl.collided == nil {
		pl.collided = map[string]*collision{}
	}
	c := pl.collided[dst]
	if c == nil {
		c = &collision{stages: [3]*odb.TreeEntry{nil, pl.sides[0].added[dst], pl.sides[1].added[dst]}}
		for i, e := range pl.staged[dst] {
			if e != nil {
				c.stages[i] = e
			}
		}
		pl.collided[dst] = c
	}
	return c
}

// renameCollides is a rename onto a path the other side added a file at
// (rename/add, or one half of rename/rename(2to1)): the renamed file
// merges with the other side's version of the source, and the result
// takes the renaming side's stage at the destination.
func (pl *planner) renameCollides(r rename, base, mine, theirs, added *odb.TreeEntry) error {
	m := pl.m
	if fileType(theirs.Mode) != fileType(mine.Mode) {
		return pl.giveUp("rename/add with a type change")
	}
	names := [3]string{r.src, r.src, r.src}
	names[r.side+1] = r.dst
	o, t := bySide(r.side, mine, theirs)
	merged, clean, err := m.contentMerge(r.src, base, o, t, names, 1)
	if err != nil {
		return err
	}
	if merged == nil {
		return pl.giveUp("rename/add merging to nothing")
	}
	if !clean {
		m.collisionMessage(r.src, r.dst)
	}
	pl.place(r.src, nil)
	pl.collide(r.dst).stages[r.side+1] = merged
	return nil
}

// renameAddDelete is a rename of a file the other side deleted, onto a
// path the other side added a file at: the destination stays the add/add
// it is, conflicted.
func (pl *planner) renameAddDelete(r rename) error {
	pl.renameDeleteMessage(r)
	pl.place(r.src, nil)
	c := pl.collide(r.dst)
	c.pathConflict = true
	if c.reason == "" {
		c.reason = "rename/delete"
	}
	return nil
}

// mergeCollided merges each collided destination as the add/add it now
// is, or over the base a dropped rename gave it (merge-ort's
// process_entry), in path order.
func (pl *planner) mergeCollided() error {
	m := pl.m
	for _, dst := range sortedKeys(pl.collided) {
		c := pl.collided[dst]
		b, o, t := c.stages[0], c.stages[1], c.stages[2]
		if same(pl.sides[0].added[dst], pl.sides[1].added[dst]) {
			// The sides added the same: merge-ort takes ours.
			pl.place(dst, o)
			if c.pathConflict {
				m.conflict(dst, c.reason, b, o, t)
			}
			continue
		}
		if fileType(o.Mode) != fileType(t.Mode) {
			// process_entry gives each version a path of its own.
			es, err := pl.entriesAt(dst)
			if err != nil {
				return err
			}
			if isDir(es[0]) || isDir(es[1]) || isDir(es[2]) {
				return pl.giveUp("rename/add with distinct types and a directory")
			}
			pl.resolveLater(dst, &pending{b: b, o: o, t: t})
			continue
		}
		res, clean, err := m.contentMerge(dst, b, o, t, c.names, 0)
		if err != nil {
			return err
		}
		pl.place(dst, res)
		reason := contentReason("add/add", o)
		if b != nil {
			reason = contentReason("content", o)
		}
		if !clean {
			m.contentConflictMessage(dst, reason)
		} else if c.pathConflict {
			reason = c.reason
		}
		if !clean || c.pathConflict {
			m.conflict(dst, reason, b, o, t)
		}
	}
	return nil
}

func sortedKeys(c map[string]*collision) []string {
	ks := make([]string, 0, len(c))
	for k := range c {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// collisionMessage is merge-ort's message for a rename of src to dst
// whose content merge conflicted where it collides with another path.
func (m *merger) collisionMessage(src, dst string) {
	m.message("CONFLICT (rename involved in collision)", []string{dst, src},
		"CONFLICT (rename involved in collision): rename of %s -> %s has content conflicts AND collides with another path; this may result in nested conflict markers.", src, dst)
}
