package merge

import "github.com/git-ci/git-ci/gitstore/odb"

// moveOntoBase moves a file side added onto a path where the base has a
// file that side deleted and the other side kept, changed or deleted:
// apply_directory_rename_modifications joins the moved file to the entry
// there, whose match_mask collect_merge_info set from the base and the
// other side. process_entry then takes the moved file when the other
// side kept the base (match_mask 3 or 5) or merges the three versions,
// labelled with the moved file's old path, and the path conflicts either
// way (path_conflict).
func (pl *planner) moveOntoBase(mv moved, b, x *odb.TreeEntry) error {
	m, e := pl.m, pl.sides[mv.side].added[mv.from]
	for _, r := range pl.renames {
		if r.src == mv.to && r.side == mv.side && fileOf(x) != nil && !pl.renamedTwice(r.src) &&
			isRegular(x) == isRegular(pl.sides[r.side].added[r.dst]) {
			pl.movedOntoOwnSource(mv)
			return nil
		}
		if r.src == mv.to || r.dst == mv.to {
			return pl.giveUp("directory rename onto a rename's source or destination")
		}
	}
	if isDir(x) || x != nil && !same(x, b) && fileType(x.Mode) != fileType(e.Mode) {
		return pl.giveUp("directory rename onto an existing path")
	}
	pl.moveMessage(mv)
	pl.place(mv.from, nil)
	o, t := bySide(mv.side, e, x)
	if x == nil {
		pl.movedOntoDeleted(mv, b, e)
		return nil
	}
	if same(x, b) {
		pl.place(mv.to, e)
		m.conflict(mv.to, "file location", b, o, t)
		return nil
	}
	res, err := m.mergeMoved(mv, b, o, t)
	if err != nil {
		return err
	}
	pl.place(mv.to, res)
	return nil
}

// movedOntoOwnSource moves a file side added onto the source of a
// rename of its own side, a file the other side kept or changed: the
// moved file joins the source's entry, which process_renames then
// resolves by removal after handling the rename as usual (its merge
// reads no stage of the renaming side there), so the moved file is in
// no tree and only the message says where it would have gone.
func (pl *planner) movedOntoOwnSource(mv moved) {
	pl.moveMessage(mv)
	pl.place(mv.from, nil)
}

// movedOntoDeleted completes a move onto a file of the base that both
// sides deleted: the entry there becomes a modify/delete (filemask 1
// and the moved file's side), with path_conflict: the moved file stays,
// and the modify/delete message is said unless it has the base's
// contents.
func (pl *planner) movedOntoDeleted(mv moved, b, e *odb.TreeEntry) {
	m := pl.m
	pl.place(mv.to, e)
	m.keptOnSide(mv.to, mv.side, b, e, "file location", true)
}

// moveOntoDir moves a file side added onto a path where only the other
// side has a directory: apply_directory_rename_modifications joins it to
// the directory's entry as a file/directory conflict (df_conflict), and
// process_entry handles it as added on one side (see oneSideDF).
func (pl *planner) moveOntoDir(mv moved) error {
	e := pl.sides[mv.side].added[mv.from]
	pl.moveMessage(mv)
	pl.place(mv.from, nil)
	o, t := onSide(mv.side, e)
	pl.addDF(mv.to, &dfFile{o: o, t: t, kind: dfMoved, reason: "file location"})
	return nil
}

// noDirAt gives up when a tree has a directory at p, the old path of a
// moved file: git 2.39 then records the moved file at its new path with
// mode 0 (seen where the base had the directory, the file moved to a
// free path or beside a directory); not ported.
func (pl *planner) noDirAt(p string) error {
	es, err := pl.entriesAt(p)
	if err != nil {
		return err
	}
	if isDir(es[0]) || isDir(es[1]) || isDir(es[2]) {
		return pl.giveUp("directory rename of a file with a directory at its old path")
	}
	return nil
}
