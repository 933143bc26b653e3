package merge

import (
	"strings"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// renamedAlike is rename/rename(1to1): both sides renamed the file to the
// same path; their versions merge there over the base version.
func (pl *planner) renamedAlike(r, next rename) error {
	m := pl.m
	if pl.dfDst[r.dst] || pl.dfDst[next.dst] {
		goes, err := pl.baseDirGoes(r.dst, r.src)
		if err != nil {
			return err
		}
		if !goes || next.dst != r.dst {
			return pl.giveUp("rename/rename(1to1) onto a directory")
		}
	}
	if pl.final(r) != r.dst || pl.final(next) != next.dst {
		return pl.renamedAlikeMoved(r, next)
	}
	base := pl.sides[0].deleted[r.src]
	o, t := pl.sides[0].added[r.dst], pl.sides[1].added[r.dst]
	pl.place(r.src, nil)
	if same(o, t) {
		pl.place(r.dst, o)
		return nil
	}
	if fileType(o.Mode) != fileType(t.Mode) {
		return pl.giveUp("rename/rename(1to1) with distinct types")
	}
	res, clean, err := m.contentMerge(r.dst, base, o, t, [3]string{}, 0)
	if err != nil {
		return err
	}
	pl.place(r.dst, res)
	if !clean {
		m.contentConflict(r.dst, base, o, t)
	}
	return nil
}

// baseDirGoes says that only the base has a directory at p, where both
// sides have a file, and that nothing keeps a path below it (a move
// there, or a rename/rename of a source there other than src, whose
// base stage could stay): process_entry then finds the directory merged
// to nothing and merges the file as if no directory had been there.
func (pl *planner) baseDirGoes(p, src string) (bool, error) {
	es, err := pl.entriesAt(p)
	if err != nil || !isDir(es[0]) || fileOf(es[1]) == nil || fileOf(es[2]) == nil {
		return false, err
	}
	below := func(q string) bool { return strings.HasPrefix(q, p+"/") }
	for q := range pl.moveEnds {
		if below(q) {
			return false, nil
		}
	}
	renamed := map[string]bool{}
	for _, r := range pl.renames {
		if below(r.src) && r.src != src {
			if renamed[r.src] {
				return false, nil
			}
			renamed[r.src] = true
		}
	}
	return true, nil
}

// renamedAlikeMoved is rename/rename(1to1) that a directory rename made:
// one side's destination moved onto the other's (collect_renames), so
// process_renames sees both renames alike and gives the path the base
// stage; process_entry merges the three there, conflicted as the move
// is (path_conflict), labelled with the moved version's old path.
func (pl *planner) renamedAlikeMoved(r, next rename) error {
	m := pl.m
	if r.side == 1 {
		r, next = next, r
	}
	if pl.final(r) != r.dst && pl.final(next) != next.dst {
		return pl.giveUp("rename/rename(1to1) moved by directory renames of both sides")
	}
	dst := pl.final(r)
	base := pl.sides[0].deleted[r.src]
	o, t := pl.sides[0].added[r.dst], pl.sides[1].added[next.dst]
	if fileType(o.Mode) != fileType(t.Mode) {
		return pl.giveUp("rename/rename(1to1) with distinct types")
	}
	names := [3]string{dst, r.dst, next.dst}
	pl.place(r.src, nil)
	res, clean, err := m.contentMerge(dst, base, o, t, names, 0)
	if err != nil {
		return err
	}
	pl.place(dst, res)
	if !clean {
		m.contentConflict(dst, base, o, t)
		return nil
	}
	m.conflict(dst, "file location", base, o, t)
	return nil
}

// renamedApart is rename/rename(1to2): the versions merge (labelled with
// both new paths) and the result goes to both destinations, conflicted;
// the source stays conflicted at stage 1 only. A destination a directory
// rename moved counts at its new path, as collect_renames rewrote the
// pair before process_renames saw it.
func (pl *planner) renamedApart(a, b rename) error {
	m := pl.m
	base := pl.sides[0].deleted[a.src]
	o, t := pl.sides[0].added[a.dst], pl.sides[1].added[b.dst]
	origA, origB := a.dst, b.dst
	a.dst, b.dst = pl.final(a), pl.final(b)
	if fileType(o.Mode) != fileType(t.Mode) {
		return pl.giveUp("rename/rename(1to2) with distinct types")
	}
	res, clean, err := m.contentMerge(a.src, base, o, t, [3]string{a.src, a.dst, b.dst}, 1)
	if err != nil {
		return err
	}
	res2 := res
	if !clean && same(res, o) {
		res2 = t // a binary conflict kept ours; keep theirs on their path
	}
	m.message("CONFLICT (rename/rename)", []string{a.src, a.dst, b.dst}, "CONFLICT (rename/rename): %s renamed to %s in %s and to %s in %s.",
		a.src, a.dst, m.opt.Branch1, b.dst, m.opt.Branch2)
	if a.dst == a.src {
		return pl.apartBack(a.src, 0, base, res, moved{from: origB, to: b.dst, side: 1}, res2)
	}
	if b.dst == b.src {
		return pl.apartBack(a.src, 1, base, res2, moved{from: origA, to: a.dst, side: 0}, res)
	}
	pl.place(a.src, nil)
	// Where a directory stays at the source, merge-ort drops the base
	// version (process_entry, filemask 1 with a directory result).
	m.conflict(a.src, "rename/rename", base, nil, nil)
	m.conflicts[len(m.conflicts)-1].unlessDir = true
	if err := pl.apartAt(moved{from: origA, to: a.dst, side: 0}, res, pl.sides[1].added[a.dst]); err != nil {
		return err
	}
	return pl.apartAt(moved{from: origB, to: b.dst, side: 1}, res2, pl.sides[0].added[b.dst])
}

// apartAt puts a rename/rename(1to2) result at mv.to, the destination
// of side mv.side; where the other side added a file there, the two
// merge as an add/add. mv.from differs where a directory rename of the
// other side moved the destination there.
func (pl *planner) apartAt(mv moved, res, added *odb.TreeEntry) error {
	m, dst, side, moved := pl.m, mv.to, mv.side, mv.from != mv.to
	if pl.moveEnds[dst] && !moved && !pl.movedOntoOnly(dst, side, added) {
		return pl.giveUp("rename/rename(1to2) onto a path a directory rename moves")
	}
	if pl.dfDst[dst] {
		return pl.apartOntoDir(dst, res, added, side, moved)
	}
	if moved && added != nil {
		return pl.apartMovedOntoAdded(mv, res, added)
	}
	if pl.staged == nil {
		pl.staged = map[string][3]*odb.TreeEntry{}
	}
	st := pl.staged[dst]
	st[side+1] = res
	pl.staged[dst] = st
	if c := pl.collided[dst]; c != nil || pl.dsts[1-side][dst] {
		// The other side renamed a file here too: its rename, processed
		// before or after this one, decides its stage, and process_entry
		// merges the two (mergeCollided).
		c = pl.collide(dst)
		c.stages[side+1] = res
		c.pathConflict, c.reason = true, "rename/rename"
		return nil
	}
	o, t := bySide(side, res, added)
	if added == nil {
		pl.place(dst, res)
		m.conflict(dst, "rename/rename", nil, o, t)
		return nil
	}
	if same(pl.sides[0].added[dst], pl.sides[1].added[dst]) {
		// Both sides added the same there (match_mask 6): merge-ort
		// takes stage 2, whatever the rename put there.
		pl.place(dst, o)
		m.conflict(dst, "rename/rename", nil, o, t)
		return nil
	}
	if fileType(added.Mode) != fileType(res.Mode) {
		c := pl.collide(dst)
		c.stages[side+1] = res
		c.pathConflict, c.reason = true, "rename/rename"
		return nil
	}
	merged, clean, err := m.contentMerge(dst, nil, o, t, [3]string{}, 0)
	if err != nil {
		return err
	}
	if !clean {
		m.contentConflictMessage(dst, contentReason("add/add", o))
	}
	pl.place(dst, merged)
	m.conflict(dst, "rename/rename", nil, o, t)
	return nil
}

// apartBack is rename/rename(1to2) of src where a directory rename moved
// side's destination back onto src: src's entry holds that side's
// stage, which the 1to2's merge replaced with res, and process_entry
// sees a modify/delete there (path_conflict: said only where res differs
// from the base); the other destination, away, is as usual.
func (pl *planner) apartBack(src string, side int, base, res *odb.TreeEntry, away moved, awayRes *odb.TreeEntry) error {
	m := pl.m
	if away.to == src {
		return pl.giveUp("rename/rename(1to2), both moved back onto the source")
	}
	es, err := pl.entriesAt(src)
	if err != nil {
		return err
	}
	if isDir(es[0]) || isDir(es[1]) || isDir(es[2]) {
		return pl.giveUp("rename/rename(1to2) moved back onto a directory")
	}
	pl.place(src, res)
	m.keptOnSide(src, side, base, res, "rename/rename", true)
	return pl.apartAt(away, awayRes, pl.sides[side].added[away.to])
}

// movedOntoOnly says that the one move touching dst, a destination of
// side's rename/rename(1to2), is a file of the other side moved onto it:
// apply_directory_rename_modifications gave that file the other side's
// stage there (moveOntoRename), and the 1to2's merge, which reads only
// each side's own stage, sets the other; the two then merge as the
// add/add of a collision.
func (pl *planner) movedOntoOnly(dst string, side int, added *odb.TreeEntry) bool {
	return added == nil && pl.movedIn[1-side][dst] != nil
}

// apartMovedOntoAdded puts a rename/rename(1to2) result that a
// directory rename moved onto a file the other side added: the moved
// entry joins that file (apply_directory_rename_modifications), the
// 1to2's merge becomes its stage there, and process_entry merges the two
// as an add/add, conflicted (path_conflict), labelled with the path the
// result came from.
func (pl *planner) apartMovedOntoAdded(mv moved, res, added *odb.TreeEntry) error {
	if pl.collided[mv.to] != nil || pl.dsts[1-mv.side][mv.to] || fileType(added.Mode) != fileType(res.Mode) {
		return pl.giveUp("rename/rename(1to2) onto a path a directory rename moves")
	}
	o, t := bySide(mv.side, res, added)
	merged, err := pl.m.mergeMoved(mv, nil, o, t)
	if err != nil {
		return err
	}
	pl.place(mv.to, merged)
	return nil
}

// apartOntoDir puts a rename/rename(1to2) result at a destination where
// a tree has a directory: process_entry merges the directory first and
// then takes the file as added on the renaming side, conflicted
// (path_conflict), at DST~BRANCH where the directory stays.
func (pl *planner) apartOntoDir(dst string, res, added *odb.TreeEntry, side int, moved bool) error {
	if added != nil || moved || pl.collided[dst] != nil || pl.dsts[1-side][dst] {
		return pl.giveUp("rename/rename onto a directory")
	}
	o, t := onSide(side, res)
	pl.addDF(dst, &dfFile{o: o, t: t, kind: dfMoved, reason: "rename/rename"})
	return nil
}
