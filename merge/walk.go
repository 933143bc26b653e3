package merge

import (
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// merger holds the state of one merge of three trees.
type merger struct {
	s        storer.EncodedObjectStorer
	opt      Options
	depth    int  // merge-ort's call_depth: > 0 while building a virtual base
	pathOnly bool // every change on both sides of a file conflicts
	trees    [3]plumbing.Hash

	conflicts []Conflict
	messages  []Message
	// suspects are conservative conflicts that stand only when git could
	// detect renames (see rename.go).
	suspects []Conflict
	renames  renameState
	// plan holds the renames merge-ort would make, when they are simple
	// enough to make exactly; exactRenames says whether rename detection
	// was replicated exactly (also when there is nothing to do).
	plan         *renamePlan
	exactRenames bool
	// relevant says whether a side has rename sources merge-ort would look
	// at (files it deleted that the other side changed or deleted); only
	// then does merge-ort read the directories only that side changed.
	relevant [2]bool
	// forced holds the directories to merge entry by entry even when only
	// one side changed them: merge-ort reads them (see planRenames).
	forced map[string]bool
	// deferredDirs lists, per side, the directories merge-ort defers in
	// the order it defers them (see deferredRanks).
	deferredDirs [2][]string
	// whyInexact says why rename handling fell back to the rules.
	whyInexact string
	// submodules lists the gitlinks that failed to merge, in the order
	// merge-ort met them.
	submodules []string
	// approx is set when a stand-in may differ from git (the line merge).
	approx bool
	// walkInexact says why the walk left a case not checked against git.
	walkInexact string
	// trivial holds the directories merge-ort's second pass resolves
	// without reading them (see redopass.go).
	trivial map[string]bool
	bufs    buffers
	treeBuf []byte // the content of the tree being written
	// ahead holds content merges done on another goroutine (ahead.go);
	// nil when the store cannot be read from several goroutines.
	ahead *aheadMerges
}

// vanished records, for the directory being merged, whether it or one of its
// ancestors existed as a directory in the base but is gone on that side
// (the precondition of git's directory rename detection).
type vanished struct{ ours, theirs bool }

// dirOut collects the merged entries of one directory.
type dirOut struct {
	path    string
	entries []odb.TreeEntry
	// names are those in any of the three trees, sorted, and given those
	// given out since (by uniqueName, ...): together the names merge-ort's
	// unique_path sees taken.
	names []named
	given map[string]bool
}

// take marks name as taken.
func (d *dirOut) take(name string) {
	if d.given == nil {
		d.given = map[string]bool{}
	}
	d.given[name] = true
}

// taken reports whether name is one of the trees' or was given out.
func (d *dirOut) taken(name string) bool {
	_, found := slices.BinarySearchFunc(d.names, name, byName)
	return found || d.given[name]
}

func (d *dirOut) add(name string, e *odb.TreeEntry) {
	if e != nil {
		d.entries = append(d.entries, odb.TreeEntry{Name: name, Mode: e.Mode, Hash: e.Hash})
	}
}

// mergeDir merges three directories (any may be absent) entry by entry and
// writes the result; it returns nil for a directory left empty, as git
// stores no empty trees. Names are merged in reverse order, as merge-ort
// processes them.
func (m *merger) mergeDir(p string, b, o, t *odb.TreeEntry, v vanished) (*odb.TreeEntry, error) {
	if b != nil {
		v.ours = v.ours || o == nil
		v.theirs = v.theirs || t == nil
	}
	rows, err := m.sideBySide(p, b, o, t)
	if err != nil {
		return nil, err
	}
	if m.plan != nil && len(m.plan.names[p]) > 0 {
		rows = withNames(rows, m.plan.names[p])
	}
	d := &dirOut{path: p, names: rows, entries: m.bufs.newEntries()}
	for i := len(rows) - 1; i >= 0; i-- {
		r := &rows[i]
		if err := m.mergeName(d, r.name, r.in[0], r.in[1], r.in[2], v); err != nil {
			return nil, err
		}
	}
	m.bufs.doneRows(rows)
	defer m.bufs.doneEntries(d.entries)
	if len(d.entries) == 0 {
		return nil, nil
	}
	h, err := m.writeTree(p, d.entries)
	if err != nil {
		return nil, err
	}
	return &odb.TreeEntry{Mode: filemode.Dir, Hash: h}, nil
}

// mergeName merges the entries found under one name of directory d.
func (m *merger) mergeName(d *dirOut, name string, b, o, t *odb.TreeEntry, v vanished) error {
	if m.plan == nil && len(m.forced) == 0 && same(o, t) && same(o, b) {
		d.add(name, o) // unchanged: most names, and no path to build
		return nil
	}
	p := join(d.path, name)
	if m.plan != nil {
		if f := m.plan.df[p]; f != nil {
			return m.mergeDF(d, name, f, b, o, t, v)
		}
		if m.plan.newDirs[p] && b == nil && o == nil && t == nil {
			e, err := m.mergeDir(p, nil, nil, nil, v)
			d.add(name, e)
			return err
		}
		if pd := m.plan.pending[p]; pd != nil {
			return m.resolvePending(d, name, pd)
		}
		if e, ok := m.plan.at[p]; ok {
			// A rename decided the file here; a directory here (only where
			// the other side deleted a renamed file) merges as usual.
			d.add(name, e)
			b, o, t = dirOf(b), dirOf(o), dirOf(t)
			if b == nil && o == nil && t == nil {
				return nil
			}
		}
	}
	forced := m.forced[p] && (isDir(b) || isDir(o) || isDir(t))
	switch {
	case forced:
	case same(o, t):
		m.bothSides(p, b, o)
		d.add(name, o)
		return nil
	case same(o, b):
		m.dirInTheWay(d, name, o, t, m.opt.Branch1, 1)
		m.oneSide(p, b, t, v.ours)
		d.add(name, t)
		return nil
	case same(t, b):
		m.dirInTheWay(d, name, t, o, m.opt.Branch2, 0)
		m.oneSide(p, b, o, v.theirs)
		d.add(name, o)
		return nil
	}
	hasDir := isDir(b) || isDir(o) || isDir(t)
	hasFile := fileOf(b) != nil || fileOf(o) != nil || fileOf(t) != nil
	switch {
	case !hasDir:
		return m.mergeFile(d, name, p, b, o, t, v, false)
	case !hasFile:
		e, err := m.mergeDir(p, b, o, t, v)
		d.add(name, e)
		return err
	}
	return m.mergeMixed(d, name, b, o, t, v)
}

// mergeFile merges the non-directory entries b, o and t (any may be
// absent) and records the result under name in d. df says a directory
// stays at the file's original path (tracked, for the rename rules, as p):
// then any surviving file conflicts.
func (m *merger) mergeFile(d *dirOut, name, p string, b, o, t *odb.TreeEntry, v vanished, df bool) error {
	var res *odb.TreeEntry
	switch {
	case same(o, t):
		m.bothSides(p, b, o)
		res = o
	case same(o, b):
		m.oneSide(p, b, t, v.ours)
		res = t
	case same(t, b):
		m.oneSide(p, b, o, v.theirs)
		res = o
	default:
		if b == nil || o == nil || t == nil {
			m.renames.differ = true
		}
		return m.resolve(d, name, b, o, t, df)
	}
	d.add(name, res)
	if res != nil && df {
		m.conflict(join(d.path, name), "file/directory", b, o, t)
	}
	return nil
}

// bothSides records an identical change on both sides.
func (m *merger) bothSides(p string, b, x *odb.TreeEntry) {
	m.renames.bothSides(p, b, x)
}

// oneSide records a change made on one side only. otherGone says the
// other side removed a directory above p, which git may treat as a
// directory rename that moves this change elsewhere.
func (m *merger) oneSide(p string, b, x *odb.TreeEntry, otherGone bool) {
	if otherGone && x != nil {
		m.suspects = append(m.suspects, Conflict{Path: p, Reason: "directory rename"})
	}
	m.renames.oneSide(p, b, x)
}

// conflict records a conflicted path with its stages.
func (m *merger) conflict(p, reason string, b, o, t *odb.TreeEntry) {
	c := Conflict{Path: p, Reason: reason}
	for i, e := range []*odb.TreeEntry{b, o, t} {
		if e != nil {
			c.Stages[i] = Stage{Mode: e.Mode, Hash: e.Hash}
		}
	}
	m.conflicts = append(m.conflicts, c)
}

// message records one of merge-ort's messages (its path_msg): kind is
// git's stable short type of it, paths the paths it is about, the first
// where git files it. merge-ort drops those of the inner merges that
// build a virtual base.
func (m *merger) message(kind string, paths []string, format string, args ...any) {
	if m.depth == 0 {
		m.messages = append(m.messages, Message{Path: paths[0], Text: fmt.Sprintf(format, args...), Kind: kind, Paths: paths})
	}
}
