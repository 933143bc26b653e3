package merge

import "github.com/git-ci/git-ci/gitstore/odb"

// Files that process_renames leaves at a path where a tree has a
// directory, other than a content merge: process_entry merges the
// directory first, then places the file (mergeDF).

// oneSideDF places a file only one side has, beside a directory: at
// name (the directory merged away) or at NAME~BRANCH (df). It is
// process_entry's "added on one side", conflicted where df or moved
// (path_conflict), with the file's side as its only stage.
func (m *merger) oneSideDF(d *dirOut, name string, f *dfFile, df bool) {
	res := f.o
	if res == nil {
		res = f.t
	}
	d.add(name, res)
	switch {
	case df:
		m.conflict(join(d.path, name), "file/directory", nil, f.o, f.t)
	case f.kind == dfMoved:
		m.conflict(join(d.path, name), f.reason, nil, f.o, f.t)
	}
}

// keepAtDir leaves side's version of a file at p, where the other side
// put a directory: process_renames left it there (a rename against a
// type change), and process_entry sees it added on one side with a
// directory in the way (df_conflict).
func (pl *planner) keepAtDir(p string, side int, e *odb.TreeEntry) {
	o, t := onSide(side, e)
	pl.addDF(p, &dfFile{o: o, t: t, kind: dfOneSide})
}

// renameDeleteOntoDir is a rename on one side of a file the other side
// deleted, onto a path where a tree has a directory: process_renames
// gives the destination the base stage (rename/delete, path_conflict).
func (pl *planner) renameDeleteOntoDir(r rename, base, mine *odb.TreeEntry) {
	pl.renameDeleteMessage(r)
	pl.place(r.src, nil)
	o, t := onSide(r.side, mine)
	pl.addDF(r.dst, &dfFile{b: base, o: o, t: t, kind: dfRenameDelete})
}

// typeChangeOntoDir is a rename on one side, onto a path where a tree
// has a directory, of a file the other side changed to or from a
// regular file: the other side's version stays at the source, and the
// destination gets the base stage (process_renames' rename vs
// typechange), a modify/delete beside the directory.
func (pl *planner) typeChangeOntoDir(r rename, base, mine, theirs *odb.TreeEntry) {
	pl.place(r.src, theirs)
	o, t := onSide(r.side, mine)
	pl.addDF(r.dst, &dfFile{b: base, o: o, t: t, kind: dfModifyDelete})
}

// renameDeleteDF places a rename/delete's file beside a directory: the
// renamed version (in a virtual base the base version), conflicted as a
// modify/delete, with the message unless the rename kept the contents
// (path_conflict; a dfModifyDelete always has it).
func (m *merger) renameDeleteDF(d *dirOut, name string, f *dfFile) {
	p := join(d.path, name)
	mine, modBranch, delBranch := f.o, m.opt.Branch1, m.opt.Branch2
	if mine == nil {
		mine, modBranch, delBranch = f.t, m.opt.Branch2, m.opt.Branch1
	}
	res := mine
	if m.depth > 0 {
		res = f.b
	}
	d.add(name, res)
	if f.b.Hash != mine.Hash || f.kind == dfModifyDelete {
		m.modifyDeleteMessage(p, delBranch, modBranch)
	}
	reason := "rename/delete"
	if f.kind == dfModifyDelete {
		reason = "modify/delete"
	}
	m.conflict(p, reason, f.b, f.o, f.t)
}
