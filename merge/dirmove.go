package merge

import (
	"sort"
	"strings"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// dirRenamed is check_dir_renamed: the nearest directory above p that
// dirRenames has.
func dirRenamed(p string, dirRenames map[string]string) (string, bool) {
	for d := p; strings.Contains(d, "/"); {
		d = dirName(d)
		if _, ok := dirRenames[d]; ok {
			return d, true
		}
	}
	return "", false
}

// applyDirRename is apply_dir_rename.
func applyDirRename(oldDir, newDir, p string) string {
	rest := p[len(oldDir)+1:]
	if newDir == "" {
		return rest
	}
	return newDir + "/" + rest
}

// moved is one file a directory rename moves: added (or renamed to from)
// path on side, now at to.
type moved struct {
	from, to string
	side     int
}

// applyDirRenames moves what each side added into a directory the other
// side renamed (collect_renames with check_for_directory_rename and
// apply_directory_rename_modifications, directoryRenames=conflict).
// renamed holds the destinations of the renames found on each side.
func (pl *planner) applyDirRenames(dirRenames [2]map[string]string, renamed [2]map[string]bool) error {
	// handle_directory_level_conflicts: a directory both sides renamed
	// is renamed by neither.
	for d := range dirRenames[0] {
		if _, both := dirRenames[1][d]; both {
			delete(dirRenames[0], d)
			delete(dirRenames[1], d)
		}
	}
	dc := &dirCollisions{dirRenames: dirRenames, targets: map[string]bool{}}
	for i := 0; i < 2; i++ {
		dc.sources[i], dc.reported[i] = map[string][]string{}, map[string]bool{}
		for _, p := range sortedEntries(pl.sides[i].added) {
			if d, ok := dirRenamed(p, dirRenames[1-i]); ok {
				np := applyDirRename(d, dirRenames[1-i][d], p)
				dc.sources[i][np] = append(dc.sources[i][np], p)
			}
		}
	}
	for i := 0; i < 2; i++ {
		for _, p := range sortedEntries(pl.sides[i].added) {
			np, err := pl.dirRenameOf(dc, i, p)
			if err != nil {
				return err
			}
			if np == "" {
				continue
			}
			if err := pl.move(moved{from: p, to: np, side: i}, renamed[i][p]); err != nil {
				return err
			}
		}
	}
	return nil
}

// move applies a directory rename to a file side added (or renamed to).
func (pl *planner) move(mv moved, renamed bool) error {
	if pl.moveEnds == nil {
		pl.moveEnds = map[string]bool{}
	}
	pl.moveEnds[mv.from], pl.moveEnds[mv.to] = true, true
	if err := pl.clearAbove(mv.to); err != nil {
		return err
	}
	if err := pl.noDirAt(mv.from); err != nil {
		return err
	}
	es, err := pl.entriesAt(mv.to)
	if err != nil {
		return err
	}
	switch {
	case renamed:
	case fileOf(es[0]) != nil:
		return pl.moveOntoBase(mv, es[0], es[2-mv.side])
	case es[0] == nil && isDir(es[2-mv.side]):
		return pl.moveOntoDir(mv)
	}
	if renamed && pl.srcOf(mv.side, mv.from) == mv.to && (fileOf(es[2-mv.side]) != nil || pl.renamedTwice(mv.to)) {
		pl.moveRenamed(mv) // back onto its source: see renamedBack, apartBack
		return nil
	}
	onto, err := pl.ontoOther(mv)
	if err != nil {
		return err
	}
	if onto != nil && renamed && pl.dsts[1-mv.side][mv.to] && pl.srcOf(mv.side, mv.from) != pl.srcOf(1-mv.side, mv.to) {
		return pl.movedOntoRename(mv)
	}
	if onto != nil && !renamed {
		return pl.moveOnto(mv, onto)
	}
	if renamed {
		// A file there collides with the rename (renamedOnto).
		pl.moveRenamed(mv)
		return nil
	}
	pl.moveAdded(mv)
	return nil
}

// clearAbove gives up unless the directory p goes to exists on some side
// and no tree has a file above p, or a file only at p's parent
// (checkOrphans decides that case once the renames are processed).
func (pl *planner) clearAbove(p string) error {
	m, parent := pl.m, dirName(p)
	parentSeen, parentFile := parent == "", false
	for _, tree := range m.trees {
		for d := parent; d != ""; d = dirName(d) {
			e, err := m.entryAt(rootEntry(tree), d)
			if err != nil {
				return err
			}
			switch {
			case fileOf(e) != nil && d == parent:
				parentFile = true
			case fileOf(e) != nil:
				return pl.giveUp("directory rename below a file")
			case d == parent && isDir(e):
				parentSeen = true
			}
		}
	}
	switch {
	case parentFile && parentSeen:
		return pl.giveUp("directory rename below a file and a directory")
	case parentFile:
		pl.orphans = append(pl.orphans, p)
	case !parentSeen:
		return pl.newDirsAbove(p)
	}
	return nil
}

// newDirsAbove makes the walk create the directories above p that no tree
// has, as apply_directory_rename_modifications adds them to merge-ort's
// paths.
func (pl *planner) newDirsAbove(p string) error {
	var missing []string
	for d := dirName(p); d != ""; d = dirName(d) {
		es, err := pl.entriesAt(d)
		if err != nil {
			return err
		}
		if isDir(es[0]) || isDir(es[1]) || isDir(es[2]) {
			break
		}
		if es != [3]*odb.TreeEntry{} {
			return pl.giveUp("directory rename below a file")
		}
		missing = append(missing, d)
	}
	if pl.plan.newDirs == nil {
		pl.plan.newDirs = map[string]bool{}
	}
	for _, d := range missing {
		if !pl.plan.newDirs[d] {
			pl.plan.newDirs[d] = true
			pl.plan.addName(d)
		}
	}
	return nil
}

// checkOrphans accepts the files moved below a path that is a file in
// every tree that has it, unless collect_merge_info resolved that file
// already: merge-ort lists such a moved file as conflicted, but the tree
// it writes for the "directory" is overwritten by the file's own
// process_entry (write_completed_directory, then process_entry), so the
// moved file is in no tree. The walk never reaches it either. (A file
// resolved early keeps no result of its own; the directory would win.)
func (pl *planner) checkOrphans() error {
	for _, p := range pl.orphans {
		es, err := pl.entriesAt(dirName(p))
		if err != nil {
			return err
		}
		if resolvedEarly(es) {
			return pl.giveUp("directory rename below a file")
		}
	}
	return nil
}

// moveAdded puts a file side added in a renamed directory at its new
// path, conflicted (CONFLICT (file location)).
func (pl *planner) moveAdded(mv moved) {
	m := pl.m
	e := pl.sides[mv.side].added[mv.from]
	pl.place(mv.from, nil)
	pl.place(mv.to, e)
	pl.plan.addName(mv.to)
	pl.moveMessage(mv)
	o, t := onSide(mv.side, e)
	m.conflict(mv.to, "file location", nil, o, t)
}

// moveMessage says that a file side added moves with a directory.
func (pl *planner) moveMessage(mv moved) {
	withNew, withDir := pl.m.sideBranches(mv.side)
	pl.m.message("CONFLICT (directory rename suggested)", []string{mv.to, mv.from}, "CONFLICT (file location): %s added in %s inside a directory that was renamed in %s, suggesting it should perhaps be moved to %s.",
		mv.from, withNew, withDir, mv.to)
}

// moveRenamed records that the rename to mv.from goes on to mv.to; the
// rename itself is processed with the others.
func (pl *planner) moveRenamed(mv moved) {
	m := pl.m
	if pl.transit[mv.side] == nil {
		pl.transit[mv.side] = map[string]string{}
	}
	pl.transit[mv.side][mv.from] = mv.to
	src := pl.srcOf(mv.side, mv.from)
	withNew, withDir := m.sideBranches(mv.side)
	pl.place(mv.from, nil)
	pl.plan.addName(mv.to)
	m.message("CONFLICT (directory rename suggested)", []string{mv.to, mv.from}, "CONFLICT (file location): %s renamed to %s in %s, inside a directory that was renamed in %s, suggesting it should perhaps be moved to %s.",
		src, mv.from, withNew, withDir, mv.to)
}

// movedOntoRename moves a rename's destination onto the destination of
// a rename of another file by the other side: merge-ort joins the two
// entries (apply_directory_rename_modifications), so each rename
// collides with the other's file (rename/add, or rename/add/delete),
// and the path merges as an add/add, conflicted, labelled with the
// moved one's original path (see renamed and movedOnto). Where either
// source is renamed on both sides, it gives up.
func (pl *planner) movedOntoRename(mv moved) error {
	if pl.renamedTwice(pl.srcOf(mv.side, mv.from)) || pl.renamedTwice(pl.srcOf(1-mv.side, mv.to)) {
		return pl.giveUp("renamed into a renamed directory, onto a rename destination")
	}
	if pl.renamedIn[mv.side] == nil {
		pl.renamedIn[mv.side] = map[string]*odb.TreeEntry{}
	}
	pl.renamedIn[mv.side][mv.to] = pl.sides[mv.side].added[mv.from]
	pl.moveRenamed(mv)
	return nil
}

// renamedTwice says that both sides renamed src.
func (pl *planner) renamedTwice(src string) bool {
	n := 0
	for _, r := range pl.renames {
		if r.src == src {
			n++
		}
	}
	return n > 1
}

// srcOf is the source of side's rename to dst.
func (pl *planner) srcOf(side int, dst string) string {
	for _, r := range pl.renames {
		if r.side == side && r.dst == dst {
			return r.src
		}
	}
	return ""
}

// addName makes the walk visit p although no tree has it.
func (pl *renamePlan) addName(p string) {
	if pl.names == nil {
		pl.names = map[string][]string{}
	}
	d := dirName(p)
	pl.names[d] = append(pl.names[d], baseName(p))
}

func sortedEntries(es map[string]*odb.TreeEntry) []string {
	ps := make([]string, 0, len(es))
	for p := range es {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}
