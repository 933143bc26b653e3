package merge

import (
	"errors"

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
	// pending holds files whose stages renames decided and that the walk
	// resolves as process_entry does (see resolvePending).
	pending map[string]*pending
	// newDirs holds directories no tree has that moved files go into.
	newDirs map[string]bool
}

// pending is the stages renames left at a path, and the paths they came
// from (merge-ort's conflict_info pathnames, labels of a content merge).
type pending struct {
	b, o, t *odb.TreeEntry
	names   [3]string
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
	// orphans are the new paths of moved files whose parent is a file.
	orphans []string
	// moveEnds holds the old and new paths of the files directory
	// renames moved; movedIn, per side, the files moved onto a path
	// the other side renamed a file to.
	moveEnds map[string]bool
	movedIn  [2]map[string]*odb.TreeEntry
	// renamedIn holds, per side, the renamed files a directory rename
	// moved onto a rename destination of the other side.
	renamedIn [2]map[string]*odb.TreeEntry
}

// place decides the file at p and makes the walk reach it.
func (pl *planner) place(p string, e *odb.TreeEntry) {
	pl.plan.at[p] = e
	forceAbove(pl.m.forced, p)
}

// resolveLater leaves the stages at p to the walk.
func (pl *planner) resolveLater(p string, pd *pending) {
	if pl.plan.pending == nil {
		pl.plan.pending = map[string]*pending{}
	}
	pl.plan.pending[p] = pd
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
	if err := pl.mergeCollided(); err != nil {
		return err
	}
	return pl.checkOrphans()
}

func (pl *planner) eachRename(rs []rename) error {
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i+1 < len(rs) && rs[i+1].src == r.src {
			next := rs[i+1]
			i++
			if err := pl.clear(r, &next); err != nil {
				return err
			}
			if err := pl.clear(next, &r); err != nil {
				return err
			}
			if pl.final(r) == pl.final(next) {
				if err := pl.renamedAlike(r, next); err != nil {
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

// final is where the rename r puts the file: its destination, or where
// a directory rename of the other side moves that (collect_renames).
func (pl *planner) final(r rename) string {
	if to := pl.transit[r.side][r.dst]; to != "" {
		return to
	}
	return r.dst
}

// clear checks what every ported case needs: no directory at the
// destination in any tree when a directory rename moved it, and notes
// destinations with a directory (dfDst) for the cases to check. A
// directory at the source is no obstacle: merge-ort drops the base's file
// there (process_entry, filemask 1) and merges the directory.
func (pl *planner) clear(r rename, partner *rename) error {
	m := pl.m
	for _, tree := range m.trees {
		e, err := m.entryAt(rootEntry(tree), r.dst)
		if err != nil {
			return err
		}
		if isDir(e) {
			if pl.transit[r.side][r.dst] != "" {
				return pl.giveUp("rename moved by a directory rename, onto a directory")
			}
			if pl.dfDst == nil {
				pl.dfDst = map[string]bool{}
			}
			pl.dfDst[r.dst] = true
		}
	}
	return nil
}
