package merge

import (
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

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
	if r.dst == r.src {
		return pl.renamedBack(r, base, mine)
	}
	srcDir := false
	for _, p := range me.dirOver {
		srcDir = srcDir || p == r.src
	}
	if pl.dfDst[r.dst] {
		return pl.renamedOntoDir(r, base, mine, srcDir || moved)
	}
	if _, gone := other.deleted[r.src]; gone {
		if pl.addedOn(1-r.side, r.dst) != nil {
			if err := pl.renameAddDelete(r); err != nil || !moved {
				return err
			}
			pl.movedOnto(r, label, mine)
			return nil
		}
		return pl.renameDelete(r, base, mine)
	}
	theirs, changed := other.modified[r.src]
	if changed && isRegular(theirs) != isRegular(mine) {
		if moved && (srcDir || pl.addedOn(1-r.side, r.dst) != nil) {
			return pl.giveUp("rename and type change, moved by a directory rename")
		}
		return pl.renameTypeChange(r, base, mine, theirs, srcDir, moved)
	}
	if added := pl.addedOn(1-r.side, r.dst); added != nil {
		if !changed {
			theirs = base
		}
		if err := pl.renameCollides(r, base, mine, theirs, added); err != nil || !moved {
			return err
		}
		pl.movedOnto(r, label, mine)
		return nil
	}
	if !changed && moved {
		// Moved by a directory rename: conflicted, with the other
		// side's unchanged version as its stage.
		o, t := bySide(r.side, mine, base)
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
		// A symlink against a gitlink: not a type change to
		// process_renames (neither is regular), a normal rename whose
		// destination process_entry splits as distinct types.
		if moved {
			return pl.giveUp("rename and type change, moved")
		}
		o, t := bySide(r.side, mine, theirs)
		pl.place(r.src, nil)
		pl.resolveLater(r.dst, &pending{b: base, o: o, t: t})
		return nil
	}
	names := [3]string{r.src, r.src, r.src}
	names[r.side+1] = label
	o, t := bySide(r.side, mine, theirs)
	pl.place(r.src, nil)
	res, clean, err := m.contentMerge(r.dst, base, o, t, names, 0)
	if err != nil {
		return err
	}
	pl.place(r.dst, res)
	if !clean {
		m.contentConflict(r.dst, base, o, t)
	} else if moved {
		m.conflict(r.dst, "file location", base, o, t)
	}
	return nil
}

// renamedBack is a rename that a directory rename of the other side
// moved back onto its source, a file the other side kept or changed:
// apply_directory_rename_modifications joins the renamed file to the
// source's entry, so process_renames sees a rename onto itself that
// collides with the other side's file (rename/add). It merges the three
// versions there and, the source being the destination, then marks the
// path resolved by removal: the file is gone, and only the messages say
// so. The rest (a directory there, a type change, a deleted source) is
// not ported.
func (pl *planner) renamedBack(r rename, base, mine *odb.TreeEntry) error {
	m := pl.m
	es, err := pl.entriesAt(r.src)
	if err != nil {
		return err
	}
	theirs := es[2-r.side]
	if fileOf(es[0]) == nil || es[r.side+1] != nil || fileOf(theirs) == nil || isRegular(theirs) != isRegular(mine) {
		return pl.giveUp("rename moved back onto its source")
	}
	o, t := bySide(r.side, mine, theirs)
	_, clean, err := m.contentMerge(r.src, base, o, t, [3]string{r.src, r.src, r.src}, 1)
	if err != nil {
		return err
	}
	if !clean {
		m.collisionMessage(r.src, r.src)
	}
	pl.place(r.src, nil)
	return nil
}

// renameTypeChange is a rename on one side of a file the other side
// changed between a regular file and another type: the other side's
// version stays at the source, and the destination is left as a
// modify/delete (the renamed version, or in a virtual base the base).
// srcDir says the renaming side has a directory at the source; moved,
// that a directory rename moved the destination (a path conflict, so
// process_entry says nothing when the renamed file kept the base's
// contents).
func (pl *planner) renameTypeChange(r rename, base, mine, theirs *odb.TreeEntry, srcDir, moved bool) error {
	m := pl.m
	if added := pl.addedOn(1-r.side, r.dst); added != nil {
		if srcDir {
			return pl.giveUp("rename/add and type change with a directory in the way")
		}
		return pl.renameAddTypeChange(r, base, mine, theirs, added)
	}
	res := mine
	if m.depth > 0 {
		res = base
	}
	if srcDir {
		pl.keepAtDir(r.src, 1-r.side, theirs)
	} else {
		pl.place(r.src, theirs)
	}
	pl.place(r.dst, res)
	m.keptOnSide(r.dst, r.side, base, mine, "modify/delete", moved)
	return nil
}

// renameAddTypeChange is a rename onto a path the other side added a
// file at, of a file the other side changed to or from a regular file:
// process_renames drops the collision (no break detection would have
// paired them), so the destination gets the base as its base stage and
// process_entry merges it three ways, unless both sides added the same
// there (match_mask 6: ours, clean); the other side's version stays at
// the source.
func (pl *planner) renameAddTypeChange(r rename, base, mine, theirs, added *odb.TreeEntry) error {
	if _, staged := pl.staged[r.dst]; staged || pl.dsts[1-r.side][r.dst] || pl.collided[r.dst] != nil || pl.renamedIn[1-r.side][r.dst] != nil {
		return pl.typeChangeOntoCollision(r, base, theirs)
	}
	pl.place(r.src, theirs)
	if same(mine, added) {
		pl.place(r.dst, mine)
		return nil
	}
	o, t := bySide(r.side, mine, added)
	pl.resolveLater(r.dst, &pending{b: base, o: o, t: t, names: [3]string{r.src, r.dst, r.dst}})
	return nil
}

// typeChangeOntoCollision is renameAddTypeChange where a rename of the
// other side sets the stage there too (a rename/add, or a destination of
// a rename/rename(1to2)): the destination is a collision, and the
// dropped rename only gives it the base version, labelled with the
// source (process_renames copies stage 0 and its pathname).
func (pl *planner) typeChangeOntoCollision(r rename, base, theirs *odb.TreeEntry) error {
	c := pl.collide(r.dst)
	if c.names != [3]string{} || c.stages[0] != nil || pl.renamedIn[1-r.side][r.dst] != nil {
		return pl.giveUp("rename/add and type change onto another rename")
	}
	pl.place(r.src, theirs)
	c.stages[0] = base
	c.names = [3]string{r.src, r.dst, r.dst}
	return nil
}

// movedOnto completes a collision of a rename that a directory rename
// moved onto a file the other side added: the moved entry brings its
// stage (unless the rename/add merge set it), its original path as the
// label, and its path conflict (apply_directory_rename_modifications).
func (pl *planner) movedOnto(r rename, label string, mine *odb.TreeEntry) {
	c := pl.collide(r.dst)
	if c.stages[r.side+1] == nil {
		c.stages[r.side+1] = mine
	}
	c.names = [3]string{r.dst, r.dst, r.dst}
	c.names[r.side+1] = label
	c.pathConflict = true
	if c.reason == "" {
		c.reason = "file location"
	}
}

func isRegular(e *odb.TreeEntry) bool { return fileType(e.Mode) == filemode.Regular }

// renameDelete is a rename on one side of a file the other side deleted:
// the destination keeps the renamed version (in a virtual base: the base
// version), conflicted.
func (pl *planner) renameDelete(r rename, base, mine *odb.TreeEntry) error {
	m := pl.m
	rb, db := pl.renameDeleteMessage(r)
	res := mine
	if m.depth > 0 {
		res = base
	}
	pl.place(r.src, nil)
	pl.place(r.dst, res)
	if base.Hash != mine.Hash {
		m.modifyDeleteMessage(r.dst, db, rb)
	}
	o, t := onSide(r.side, mine)
	m.conflict(r.dst, "rename/delete", base, o, t)
	return nil
}

// renameDeleteMessage is process_renames' message for a rename of r.src
// on branch rb that branch db deleted.
func (pl *planner) renameDeleteMessage(r rename) (rb, db string) {
	m := pl.m
	rb, db = m.sideBranches(r.side)
	m.message("CONFLICT (rename/delete)", []string{r.dst, r.src}, "CONFLICT (rename/delete): %s renamed to %s in %s, but deleted in %s.", r.src, r.dst, rb, db)
	return rb, db
}
