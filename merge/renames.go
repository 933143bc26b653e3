package merge

import (
	"errors"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// Exact rename handling, a port of merge-ort's detect_and_process_renames:
// git's rename detection (exact renames, basename matches, the similarity
// matrix, with merge-ort's relevant sources) run for each side exactly,
// directory renames (dirrename.go), then each rename processed as
// process_renames does (renameplan.go): a rename with the other side's
// edits merged into the new path, rename/delete, rename/add,
// rename/rename(1to1, 1to2, 2to1), a rename against a type change. The
// cases not ported (see whyInexact) make planRenames give up, and the
// merge falls back to the conservative rules of rename.go.

// errAmbiguous means git's choice depends on details not replicated here.
var errAmbiguous = errors.New("ambiguous detection")

var emptyBlob = plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")

// sideDiff is one side's file-level change from the base.
type sideDiff struct {
	// added holds the side's files where the base has none; deleted the
	// base's files where the side has none; modified the side's files
	// where both have one and they differ.
	added, deleted, modified map[string]*odb.TreeEntry
	// removed lists directories of the base that the side does not have;
	// dirOver the base's files that the side replaced by a directory.
	removed, dirOver []string
}

func newSideDiff() *sideDiff {
	return &sideDiff{added: map[string]*odb.TreeEntry{}, deleted: map[string]*odb.TreeEntry{}, modified: map[string]*odb.TreeEntry{}}
}

func (m *merger) diffSide(b, x *odb.TreeEntry) (*sideDiff, error) {
	d := newSideDiff()
	return d, m.walkDiff(d, "", b, x)
}

// note records the change from b to x at p itself (not below it).
func (d *sideDiff) note(p string, b, x *odb.TreeEntry) {
	fb, fx := fileOf(b), fileOf(x)
	switch {
	case fb != nil && fx == nil:
		d.deleted[p] = fb
		if isDir(x) {
			d.dirOver = append(d.dirOver, p)
		}
	case fb == nil && fx != nil:
		d.added[p] = fx
	case fb != nil && !same(fb, fx):
		d.modified[p] = fx
	}
	if isDir(b) && !isDir(x) && p != "" {
		d.removed = append(d.removed, p)
	}
}

// walkBoth notes the changes of both sides where both changed the base:
// the only places where merge-ort finds relevant rename sources, and all
// that the side without any needs to report.
func (m *merger) walkBoth(sides [2]*sideDiff, p string, b, o, t *odb.TreeEntry) error {
	if same(o, b) || same(t, b) {
		return nil
	}
	sides[0].note(p, b, o)
	sides[1].note(p, b, t)
	m.noteBothChanged(b, o, t)
	db, do, dt := dirOf(b), dirOf(o), dirOf(t)
	if same(do, db) || same(dt, db) {
		return nil
	}
	if db != nil && (do == nil || dt == nil) {
		// A directory one side removed: what the other side added there
		// may follow a directory rename, so all of it counts.
		if err := m.walkDiff(sides[0], p, db, do); err != nil {
			return err
		}
		return m.walkDiff(sides[1], p, db, dt)
	}
	rows, err := m.sideBySide(p, db, do, dt)
	if err != nil {
		return err
	}
	m.prefetchChanged(rows)
	for _, r := range rows {
		if same(r.in[1], r.in[0]) || same(r.in[2], r.in[0]) {
			continue // walkBoth's first test, before building the path
		}
		if err := m.walkBoth(sides, join(p, r.name), r.in[0], r.in[1], r.in[2]); err != nil {
			return err
		}
	}
	m.bufs.doneRows(rows)
	return nil
}

func (m *merger) walkDiff(d *sideDiff, p string, b, x *odb.TreeEntry) error {
	if same(b, x) {
		return nil
	}
	d.note(p, b, x)
	db, dx := dirOf(b), dirOf(x)
	if same(db, dx) {
		return nil
	}
	rows, err := m.sideBySide(p, db, dx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if same(r.in[0], r.in[1]) {
			continue // walkDiff's first test, before building the path
		}
		if err := m.walkDiff(d, join(p, r.name), r.in[0], r.in[1]); err != nil {
			return err
		}
	}
	m.bufs.doneRows(rows)
	return nil
}

// planRenames decides renames as merge-ort would. ok is false when it
// cannot be sure (whyInexact says why); plan is nil when no rename needs
// handling.
func (m *merger) planRenames() (plan *renamePlan, ok bool, err error) {
	// Where both sides changed the base first: a side with no relevant
	// sources there has none at all, and needs nothing more.
	sides := [2]*sideDiff{newSideDiff(), newSideDiff()}
	roots := [3]*odb.TreeEntry{rootEntry(m.trees[0]), rootEntry(m.trees[1]), rootEntry(m.trees[2])}
	if err := m.walkBoth(sides, "", roots[0], roots[1], roots[2]); err != nil {
		return nil, false, err
	}
	// A directory one side removed and the other added to: merge-ort
	// detects renames for all its files (location relevance), then
	// directory renames.
	infos := dirInfos(sides)
	for s := 0; s < 2; s++ {
		m.relevant[s] = len(relevantSources(sides[s], sides[1-s])) > 0 || len(infos[s].location) > 0
	}
	m.forced = map[string]bool{}
	for s := 0; s < 2; s++ {
		if !m.relevant[s] {
			continue
		}
		if sides[s], err = m.diffSide(roots[0], roots[s+1]); err != nil {
			return nil, false, err
		}
		m.forceDirOver(sides[s], sides[1-s])
	}
	// A second pass of merge-ort (see redo.go) changes the result where
	// renames are processed or a file/directory message is due.
	redo, err := m.mayRedo(m.relevant)
	if err != nil {
		return nil, false, err
	}
	noRenames := !(m.relevant[0] && sides[0].mayRename()) && !(m.relevant[1] && sides[1].mayRename())
	if redo && noRenames && len(m.forced) > 0 {
		m.whyInexact = "merge-ort redoes the merge after renames"
		return nil, false, nil
	}
	if noRenames {
		return nil, true, nil
	}
	infos = dirInfos(sides)
	var renames []rename
	var renamed [2]map[string]bool
	for s := 0; s < 2; s++ {
		renamed[s] = map[string]bool{}
		pairs, err := m.detectRenames(s, sides[s], sides[1-s], infos[s])
		if errors.Is(err, errAmbiguous) {
			m.whyInexact = err.Error()
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		for _, pr := range pairs {
			renames = append(renames, rename{src: pr[0], dst: pr[1], side: s})
			renamed[s][pr[1]] = true
		}
	}
	if redo {
		if m.trivial, err = m.trivialDirs(relevantTargets(renames, sides, infos)); err != nil {
			return nil, false, err
		}
	}
	sort.SliceStable(renames, func(i, j int) bool { return renames[i].src < renames[j].src })
	pl := &planner{m: m, sides: sides, plan: newPlan(), dsts: renamed}

	nc, nm, ns := len(m.conflicts), len(m.messages), len(m.submodules)
	if m.depth == 0 {
		// merge-ort detects directory renames in the outer merge only.
		for s := 0; s < 2; s++ {
			var split []string
			pl.dirRenames[s], split = infos[s].provisional()
			for _, d := range split {
				pl.uncleanAt("CONFLICT(directory rename unclear split)", []string{d}, "CONFLICT (directory rename split): Unclear where to rename %s to; it was renamed to multiple other directories, with no destination getting a majority of the files.", d)
			}
		}
	}
	if ok, err = pl.process(renames); !ok || err != nil {
		// What the renames processed so far recorded does not stand.
		m.conflicts, m.messages, m.submodules = m.conflicts[:nc], m.messages[:nm], m.submodules[:ns]
		return nil, false, err
	}
	return pl.plan, true, nil
}

// forceDirOver makes the walk read the directories above a file that me
// replaced by a directory while other kept it: merge-ort reads them when me
// has relevant rename sources, and says the file is in the way.
func (m *merger) forceDirOver(me, other *sideDiff) {
	for _, p := range me.dirOver {
		_, gone := other.deleted[p]
		_, changed := other.modified[p]
		if !gone && !changed {
			forceAbove(m.forced, p)
		}
	}
}

// forceAbove adds the directories above p to forced.
func forceAbove(forced map[string]bool, p string) {
	forced[""] = true
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			forced[p[:i]] = true
		}
	}
}

func (d *sideDiff) mayRename() bool { return len(d.added) > 0 && len(d.deleted) > 0 }
