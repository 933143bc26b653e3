package merge

import (
	"github.com/git-ci/git-ci/gitstore/odb"
)

// dfFile is a renamed file whose destination has a directory in some
// tree: merge-ort merges the directory first, then the file, moved to
// DST~BRANCH when the directory stays (process_entry's df_conflict).
type dfFile struct {
	b, o, t *odb.TreeEntry
	names   [3]string
	kind    dfKind
	// reason names a dfMoved conflict where no directory stays.
	reason string
}

// dfKind is how process_entry handles a dfFile once the directory is
// merged.
type dfKind int

const (
	dfMerge        dfKind = iota // a content merge of b, o and t
	dfOneSide                    // added on one side (o or t)
	dfMoved                      // added on one side, with path_conflict
	dfRenameDelete               // modify/delete with path_conflict
	dfModifyDelete               // modify/delete
)

// renamedOntoDir is a rename, the other side keeping the source, onto a
// path where a tree has a directory; the walk merges it (mergeDF).
func (pl *planner) renamedOntoDir(r rename, base, mine *odb.TreeEntry, unusual bool) error {
	other := pl.sides[1-r.side]
	_, gone := other.deleted[r.src]
	theirs, changed := other.modified[r.src]
	if !changed {
		theirs = base
	}
	switch {
	case unusual:
		return pl.giveUp("rename onto a directory, from a directory or moved")
	case gone && pl.addedOn(1-r.side, r.dst) != nil:
		return pl.giveUp("rename/add/delete onto a directory")
	case gone:
		pl.renameDeleteOntoDir(r, base, mine)
		return nil
	case changed && isRegular(theirs) != isRegular(mine) && pl.addedOn(1-r.side, r.dst) == nil:
		pl.typeChangeOntoDir(r, base, mine, theirs)
		return nil
	case fileType(theirs.Mode) != fileType(mine.Mode):
		return pl.giveUp("rename onto a directory and type change")
	}
	names := [3]string{r.src, r.src, r.src}
	names[r.side+1] = r.dst
	o, t := bySide(r.side, mine, theirs)
	pl.place(r.src, nil)
	pl.addDF(r.dst, &dfFile{b: base, o: o, t: t, names: names})
	return nil
}

// mergeDF merges the directory at name, then the renamed file f: in
// place when the directory merges away, else at NAME~BRANCH.
func (m *merger) mergeDF(d *dirOut, name string, f *dfFile, b, o, t *odb.TreeEntry, v vanished) error {
	p := join(d.path, name)
	de, err := m.mergeDirPart(p, b, o, t, v)
	if err != nil {
		return err
	}
	fp, df := name, false
	if de != nil {
		d.add(name, de)
		branch := m.opt.Branch1
		if dirOf(o) != nil {
			branch = m.opt.Branch2
		}
		fp = m.uniqueName(d, name, branch)
		d.take(fp)
		df = true
		m.message("CONFLICT (file/directory)", []string{join(d.path, fp), p},
			"CONFLICT (file/directory): directory in the way of %s from %s; moving it to %s instead.", p, branch, join(d.path, fp))
	}
	path := join(d.path, fp)
	switch f.kind {
	case dfOneSide, dfMoved:
		m.oneSideDF(d, fp, f, df)
		return nil
	case dfRenameDelete, dfModifyDelete:
		m.renameDeleteDF(d, fp, f)
		return nil
	}
	res, clean, err := m.contentMerge(path, f.b, f.o, f.t, f.names, 0)
	if err != nil {
		return err
	}
	d.add(fp, res)
	reason := contentReason("content", f.o)
	switch {
	case df && !clean:
		// All three stages at the moved path, as git lists them (text
		// and binary, both sides: rename cases).
		m.contentConflictMessage(path, reason)
		m.conflict(path, reason, f.b, f.o, f.t)
	case df:
		// merge-ort lists the merged file alone, as the stage of the
		// side it came from (process_entry's df_file_index).
		if dirOf(o) != nil {
			m.conflict(path, "file/directory", nil, nil, res)
		} else {
			m.conflict(path, "file/directory", nil, res, nil)
		}
	case !clean:
		m.contentConflictMessage(path, reason)
		m.conflict(path, reason, f.b, f.o, f.t)
	}
	return nil
}

// addDF makes the walk merge the directory at p, then f (mergeDF).
func (pl *planner) addDF(p string, f *dfFile) {
	forceAbove(pl.m.forced, p)
	if pl.plan.df == nil {
		pl.plan.df = map[string]*dfFile{}
	}
	pl.plan.df[p] = f
}
