package merge

import (
	"errors"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// errGiveUp stops process for a case not ported; whyInexact says which.
var errGiveUp = errors.New("rename case not ported")

// renamePlan is merge-ort's process_renames, decided before the merge walk:
// what the walk puts at the paths renames touch.
type renamePlan struct {
	// at holds the merged file of each path a rename decides (nil: none).
	at map[string]*odb.TreeEntry
	// names holds, per directory, the names of paths in at that no tree
	// has (where a directory rename moves a file).
	names map[string][]string
	// df holds renamed files whose destination has a directory.
	df map[string]*dfFile
}

func newPlan() *renamePlan {
	return &renamePlan{at: map[string]*odb.TreeEntry{}}
}

// rename is one rename found on side (0 ours, 1 theirs).
type rename struct {
	src, dst string
	side     int
}

type planner struct {
	m     *merger
	sides [2]*sideDiff
	plan  *renamePlan
	// dirRenames are each side's directory renames, and renamed each
	// side's rename destinations (see applyDirRenames).
	dirRenames [2]map[string]string
	dsts       [2]map[string]bool
	// transit maps, per side, a rename destination in a directory the
	// other side renamed to where the directory rename moves it.
	transit [2]map[string]string
	// dfDst holds rename destinations with a directory in some tree.
	dfDst map[string]bool
	// staged holds stages a rename/rename(1to2) rewrote (merge-ort
	// writes its merge into the destinations' stages).
	staged  map[string][3]*odb.TreeEntry
	renames []rename
	// collided holds the stages of destinations where a rename met a file
	// the other side added there (rename/add, rename/rename(2to1)); they
	// merge once all renames are processed.
	collided map[string]*collision
}

// collision is a destination that both sides have a file at.
type collision struct {
	stages [3]*odb.TreeEntry
	// pathConflict marks a rename/add/delete: conflicted whatever merges.
	pathConflict bool
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

// place decides the file at p and makes the walk reach it.
func (pl *planner) place(p string, e *odb.TreeEntry) {
	pl.plan.at[p] = e
	forceAbove(pl.m.forced, p)
}

// giveUp records why the renames cannot be made exactly.
func (pl *planner) giveUp(why string) error {
	pl.m.whyInexact = why
	return errGiveUp
}

// process handles the renames sorted by source, as process_renames does;
// it returns false for the cases not ported.
func (pl *planner) process(rs []rename) (bool, error) {
	err := pl.processAll(rs)
	if errors.Is(err, errGiveUp) {
		return false, nil
	}
	return err == nil, err
}

func (pl *planner) processAll(rs []rename) error {
	pl.renames = rs
	if err := pl.applyDirRenames(pl.dirRenames, pl.dsts); err != nil {
		return err
	}
	if err := pl.eachRename(rs); err != nil {
		return err
	}
	return pl.mergeCollided()
}

func (pl *planner) eachRename(rs []rename) error {
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i+1 < len(rs) && rs[i+1].src == r.src {
			next := rs[i+1]
			i++
			if pl.transit[r.side][r.dst] != "" || pl.transit[next.side][next.dst] != "" {
				return pl.giveUp("rename/rename into a renamed directory")
			}
			if err := pl.clear(r, &next); err != nil {
				return err
			}
			if err := pl.clear(next, &r); err != nil {
				return err
			}
			if r.dst == next.dst {
				if err := pl.renamedAlike(r); err != nil {
					return err
				}
				continue
			}
			if err := pl.renamedApart(r, next); err != nil {
				return err
			}
			continue
		}
		if err := pl.clear(r, nil); err != nil {
			return err
		}
		if err := pl.renamed(r); err != nil {
			return err
		}
	}
	return nil
}

// clear checks what every ported case needs: no directory at the source
// on the renaming side, none at the destination anywhere, and nothing at
// the destination on the other side unless it renamed there too (partner
// is the other side's rename of the same source, if any).
func (pl *planner) clear(r rename, partner *rename) error {
	m := pl.m
	for _, tree := range m.trees {
		e, err := m.entryAt(rootEntry(tree), r.dst)
		if err != nil {
			return err
		}
		if isDir(e) {
			if partner != nil || pl.transit[r.side][r.dst] != "" {
				return pl.giveUp("rename with a directory in the way")
			}
			if pl.dfDst == nil {
				pl.dfDst = map[string]bool{}
			}
			pl.dfDst[r.dst] = true
		}
	}
	if partner != nil {
		e, err := m.entryAt(rootEntry(m.trees[r.side+1]), r.src)
		if err != nil {
			return err
		}
		if isDir(e) && !(r.dst != partner.dst && strings.HasPrefix(r.dst, r.src+"/")) {
			return pl.giveUp("rename with a directory in the way")
		}
	}
	return nil
}

// renamed handles a rename on one side: the other side kept the source
// (a normal rename: its changes merge into the destination) or deleted it
// (rename/delete).
func (pl *planner) renamed(r rename) error {
	m, me, other := pl.m, pl.sides[r.side], pl.sides[1-r.side]
	base, mine := me.deleted[r.src], me.added[r.dst]
	label := r.dst // the destination as the renaming side has it
	moved := pl.transit[r.side][r.dst] != ""
	if moved {
		r.dst = pl.transit[r.side][r.dst]
	}
	srcDir := false
	for _, p := range me.dirOver {
		srcDir = srcDir || p == r.src
	}
	if pl.dfDst[r.dst] {
		return pl.renamedOntoDir(r, base, mine, srcDir || moved)
	}
	if _, gone := other.deleted[r.src]; gone {
		if _, collides := other.added[r.dst]; collides {
			return pl.renameAddDelete(r)
		}
		return pl.renameDelete(r, base, mine)
	}
	theirs, changed := other.modified[r.src]
	if changed && isRegular(theirs) != isRegular(mine) {
		if srcDir || moved {
			return pl.giveUp("rename and type change with a directory in the way")
		}
		return pl.renameTypeChange(r, base, mine, theirs)
	}
	if added, collides := other.added[r.dst]; collides {
		if !changed {
			theirs = base
		}
		return pl.renameCollides(r, base, mine, theirs, added)
	}
	if !changed && moved {
		// Moved by a directory rename: conflicted, with the other
		// side's unchanged version as its stage.
		o, t := mine, base
		if r.side == 1 {
			o, t = base, mine
		}
		pl.place(r.src, nil)
		pl.place(r.dst, mine)
		m.conflict(r.dst, "file location", base, o, t)
		return nil
	}
	if !changed {
		if srcDir {
			// The renamed file leaves the directory in its place
			// without a file/directory conflict.
			pl.place(r.src, nil)
		}
		return nil // merges as a deletion and an addition
	}
	if fileType(theirs.Mode) != fileType(mine.Mode) {
		return pl.giveUp("rename and type change")
	}
	names := [3]string{r.src, r.src, r.src}
	names[r.side+1] = label
	o, t := mine, theirs
	if r.side == 1 {
		o, t = theirs, mine
	}
	pl.place(r.src, nil)
	res, clean, err := m.contentMerge(r.dst, base, o, t, names, 0)
	if err != nil {
		return err
	}
	pl.place(r.dst, res)
	if !clean {
		reason := contentReason("content", o)
		m.contentConflictMessage(r.dst, reason)
		m.conflict(r.dst, reason, base, o, t)
	} else if moved {
		m.conflict(r.dst, "file location", base, o, t)
	}
	return nil
}

// renameTypeChange is a rename on one side of a file the other side
// changed between a regular file and another type: the other side's
// version stays at the source, and the destination is left as a
// modify/delete (the renamed version, or in a virtual base the base).
func (pl *planner) renameTypeChange(r rename, base, mine, theirs *odb.TreeEntry) error {
	m := pl.m
	if _, collides := pl.sides[1-r.side].added[r.dst]; collides {
		return pl.giveUp("rename/add and type change")
	}
	rb, db := m.opt.Branch1, m.opt.Branch2
	if r.side == 1 {
		rb, db = db, rb
	}
	res := mine
	if m.depth > 0 {
		res = base
	}
	pl.place(r.src, theirs)
	pl.place(r.dst, res)
	m.message(r.dst, "CONFLICT (modify/delete): %s deleted in %s and modified in %s.  Version %s of %s left in tree.",
		r.dst, db, rb, rb, r.dst)
	o, t := mine, (*odb.TreeEntry)(nil)
	if r.side == 1 {
		o, t = nil, mine
	}
	m.conflict(r.dst, "modify/delete", base, o, t)
	return nil
}

func isRegular(e *odb.TreeEntry) bool { return fileType(e.Mode) == filemode.Regular }

// renameDelete is a rename on one side of a file the other side deleted:
// the destination keeps the renamed version (in a virtual base: the base
// version), conflicted.
func (pl *planner) renameDelete(r rename, base, mine *odb.TreeEntry) error {
	m := pl.m
	rb, db := m.opt.Branch1, m.opt.Branch2
	if r.side == 1 {
		rb, db = db, rb
	}
	m.message(r.dst, "CONFLICT (rename/delete): %s renamed to %s in %s, but deleted in %s.", r.src, r.dst, rb, db)
	res := mine
	if m.depth > 0 {
		res = base
	}
	pl.place(r.src, nil)
	pl.place(r.dst, res)
	if base.Hash != mine.Hash {
		m.message(r.dst, "CONFLICT (modify/delete): %s deleted in %s and modified in %s.  Version %s of %s left in tree.",
			r.dst, db, rb, rb, r.dst)
	}
	o, t := mine, (*odb.TreeEntry)(nil)
	if r.side == 1 {
		o, t = nil, mine
	}
	m.conflict(r.dst, "rename/delete", base, o, t)
	return nil
}

// renameCollides is a rename onto a path the other side added a file at
// (rename/add, or one half of rename/rename(2to1)): the renamed file
// merges with the other side's version of the source, and the result
// takes the renaming side's stage at the destination.
func (pl *planner) renameCollides(r rename, base, mine, theirs, added *odb.TreeEntry) error {
	m := pl.m
	if fileType(theirs.Mode) != fileType(mine.Mode) || fileType(added.Mode) != fileType(mine.Mode) {
		return pl.giveUp("rename/add with a type change")
	}
	names := [3]string{r.src, r.src, r.src}
	names[r.side+1] = r.dst
	o, t := mine, theirs
	if r.side == 1 {
		o, t = theirs, mine
	}
	merged, clean, err := m.contentMerge(r.src, base, o, t, names, 1)
	if err != nil {
		return err
	}
	if merged == nil {
		return pl.giveUp("rename/add merging to nothing")
	}
	if !clean {
		m.message(r.dst, "CONFLICT (rename involved in collision): rename of %s -> %s has content conflicts AND collides with another path; this may result in nested conflict markers.",
			r.src, r.dst)
	}
	pl.place(r.src, nil)
	pl.collide(r.dst).stages[r.side+1] = merged
	return nil
}

// renameAddDelete is a rename of a file the other side deleted, onto a
// path the other side added a file at: the destination stays the add/add
// it is, conflicted.
func (pl *planner) renameAddDelete(r rename) error {
	m := pl.m
	rb, db := m.opt.Branch1, m.opt.Branch2
	if r.side == 1 {
		rb, db = db, rb
	}
	m.message(r.dst, "CONFLICT (rename/delete): %s renamed to %s in %s, but deleted in %s.", r.src, r.dst, rb, db)
	pl.place(r.src, nil)
	pl.collide(r.dst).pathConflict = true
	return nil
}

// mergeCollided merges each collided destination as the add/add it now
// is (merge-ort's process_entry), in path order.
func (pl *planner) mergeCollided() error {
	m := pl.m
	for _, dst := range sortedKeys(pl.collided) {
		c := pl.collided[dst]
		o, t := c.stages[1], c.stages[2]
		if same(pl.sides[0].added[dst], pl.sides[1].added[dst]) {
			// The sides added the same: merge-ort takes ours.
			pl.place(dst, o)
			if c.pathConflict {
				m.conflict(dst, "rename/delete", nil, o, t)
			}
			continue
		}
		if fileType(o.Mode) != fileType(t.Mode) {
			return pl.giveUp("rename/add with distinct types")
		}
		res, clean, err := m.contentMerge(dst, nil, o, t, [3]string{}, 0)
		if err != nil {
			return err
		}
		pl.place(dst, res)
		reason := contentReason("add/add", o)
		if !clean {
			m.contentConflictMessage(dst, reason)
		} else if c.pathConflict {
			reason = "rename/delete"
		}
		if !clean || c.pathConflict {
			m.conflict(dst, reason, nil, o, t)
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
