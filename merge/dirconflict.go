package merge

import (
	"strings"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// Path-level conflicts of directory renames, as merge-ort's
// check_for_directory_rename and handle_path_level_conflicts decide
// them: a directory rename is not applied to a path when the other
// side's renames would move something onto that path, when it would go
// into a directory its own side renamed away (a warning), when something
// is in the way at the new path, or when several paths would go there.
// The last two make the merge unclean without a conflicted file: the
// message is the only trace (a Conflict without stages here).

// dirCollisions is compute_collisions for both sides, and what
// handle_path_level_conflicts remembers.
type dirCollisions struct {
	dirRenames [2]map[string]string
	// sources maps, per side, a new path to the side's paths a directory
	// rename of the other side would move there, sorted.
	sources [2]map[string][]string
	// reported holds the new paths a conflict was reported for.
	reported [2]map[string]bool
	// targets holds the new paths files were moved to, from either side.
	targets map[string]bool
}

// dirRenameOf is check_for_directory_rename for path p added (or renamed
// to) on side: the path the other side's directory rename moves it to,
// or "" when none applies.
func (pl *planner) dirRenameOf(dc *dirCollisions, side int, p string) (string, error) {
	m, other := pl.m, dc.dirRenames[1-side]
	if len(other) == 0 || len(dc.sources[1-side][p]) > 0 {
		return "", nil
	}
	d, ok := dirRenamed(p, other)
	if !ok {
		return "", nil
	}
	newDir := other[d]
	if _, ok := dc.dirRenames[side][newDir]; ok {
		m.message("Directory rename skipped since directory was renamed on both sides", []string{d, p, newDir},
			"WARNING: Avoiding applying %s -> %s rename to %s, because %s itself was renamed.", d, newDir, p, newDir)
		return "", nil
	}
	np := applyDirRename(d, newDir, p)
	srcs := dc.sources[side][np]
	inWay, err := pl.inWay(np, side)
	if err != nil {
		return "", err
	}
	switch {
	case dc.reported[side][np]:
		return "", nil
	case inWay:
		dc.reported[side][np] = true
		pl.uncleanAt("CONFLICT (file in way of directory rename)", append([]string{np}, srcs...), "CONFLICT (implicit dir rename): Existing file/dir at %s in the way of implicit directory rename(s) putting the following path(s) there: %s.",
			np, strings.Join(srcs, ", "))
		return "", nil
	case len(srcs) > 1:
		dc.reported[side][np] = true
		pl.uncleanAt("CONFLICT(directory rename collision)", append([]string{np}, srcs...), "CONFLICT (implicit dir rename): Cannot map more than one path to %s; implicit directory renames tried to put these paths there: %s",
			np, strings.Join(srcs, ", "))
		return "", nil
	}
	if dc.targets[np] {
		return "", pl.giveUp("directory renames of both sides collide")
	}
	dc.targets[np] = true
	return np, nil
}

// uncleanAt records a conflict that git reports by its message alone.
func (pl *planner) uncleanAt(kind string, paths []string, format string, args ...any) {
	pl.m.message(kind, paths, format, args...)
	pl.m.conflicts = append(pl.m.conflicts, Conflict{Path: paths[0], Reason: "implicit dir rename", messageOnly: true})
}

// inWay is path_in_way: whether merge-ort's collected paths hold p as
// resolved already, or as present on side. A path below a directory
// merge-ort does not read is not held; where that depends on how it
// defers directories, inWay gives up.
func (pl *planner) inWay(p string, side int) (bool, error) {
	m := pl.m
	es, err := pl.entriesAt(p)
	if err != nil || es == [3]*odb.TreeEntry{} {
		return false, err
	}
	for d := dirName(p); d != ""; d = dirName(d) {
		ds, err := pl.entriesAt(d)
		if err != nil {
			return false, err
		}
		b, o, t := ds[0], ds[1], ds[2]
		oSame, tSame := b != nil && same(o, b), b != nil && same(t, b)
		if oSame && tSame || oSame && !m.relevant[1] || tSame && !m.relevant[0] {
			return false, pl.giveUp("directory rename into a directory merge-ort may not read")
		}
	}
	return resolvedEarly(es) || es[side+1] != nil, nil
}

// resolvedEarly says whether collect_merge_info resolves the path with
// entries es (base, ours, theirs) without process_entry: nothing
// changed, or three files of which two are alike.
func resolvedEarly(es [3]*odb.TreeEntry) bool {
	b, o, t := es[0], es[1], es[2]
	files := fileOf(b) != nil && fileOf(o) != nil && fileOf(t) != nil
	return b != nil && same(o, b) && same(t, b) ||
		files && (same(o, t) || same(o, b) || same(t, b))
}

// entriesAt is what base, ours and theirs have at p.
func (pl *planner) entriesAt(p string) ([3]*odb.TreeEntry, error) {
	var es [3]*odb.TreeEntry
	for i, tree := range pl.m.trees {
		e, err := pl.m.entryAt(rootEntry(tree), p)
		if err != nil {
			return es, err
		}
		es[i] = e
	}
	return es, nil
}

// ontoOther returns the other side's file at mv.to, where a move that is
// not in the way lands (nil: nothing there); it gives up on the cases
// not ported (a directory, a base version).
func (pl *planner) ontoOther(mv moved) (*odb.TreeEntry, error) {
	es, err := pl.entriesAt(mv.to)
	if err != nil || es == [3]*odb.TreeEntry{} {
		return nil, err
	}
	x := es[2-mv.side]
	if es[0] != nil || fileOf(x) == nil {
		return nil, pl.giveUp("directory rename onto an existing path")
	}
	return x, nil
}

// moveOntoRename moves a file side added onto the destination of a
// rename of the other side: apply_directory_rename_modifications joins
// it to that path, so process_renames sees the rename collide with it
// (rename/add, or rename/add/delete), and process_entry merges the two
// with the paths they came from as labels.
func (pl *planner) moveOntoRename(mv moved) {
	e := pl.sides[mv.side].added[mv.from]
	if pl.movedIn[mv.side] == nil {
		pl.movedIn[mv.side] = map[string]*odb.TreeEntry{}
	}
	pl.movedIn[mv.side][mv.to] = e
	pl.moveMessage(mv)
	pl.place(mv.from, nil)
	c := pl.collide(mv.to)
	c.stages[mv.side+1] = e
	c.pathConflict, c.reason = true, "file location"
	c.names = [3]string{mv.to, mv.to, mv.to}
	c.names[mv.side+1] = mv.from
}

// moveOnto moves a file side added onto the file the other side added
// at the new path: apply_directory_rename_modifications joins the two
// into one add/add, conflicted as a file location conflict is, and
// process_entry merges them with the paths they came from as labels.
func (pl *planner) moveOnto(mv moved, x *odb.TreeEntry) error {
	m := pl.m
	if pl.dsts[1-mv.side][mv.to] {
		pl.moveOntoRename(mv)
		return nil
	}
	e := pl.sides[mv.side].added[mv.from]
	pl.moveMessage(mv)
	o, t := bySide(mv.side, e, x)
	if fileType(o.Mode) != fileType(t.Mode) {
		// process_entry's distinct types: each version gets a path.
		pl.place(mv.from, nil)
		pl.resolveLater(mv.to, &pending{o: o, t: t})
		return nil
	}
	res, err := m.mergeMoved(mv, nil, o, t)
	if err != nil {
		return err
	}
	pl.place(mv.from, nil)
	pl.place(mv.to, res)
	return nil
}
