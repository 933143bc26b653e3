package merge

import (
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// emptyTree is the id of the tree with no entries; a store need not hold it.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

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
}

// vanished records, for the directory being merged, whether it or one of its
// ancestors existed as a directory in the base but is gone on that side
// (the precondition of git's directory rename detection).
type vanished struct{ ours, theirs bool }

// dirOut collects the merged entries of one directory.
type dirOut struct {
	path    string
	entries []odb.TreeEntry
	// taken holds the names in any of the three trees and those given out
	// by uniqueName, as merge-ort's unique_path sees them.
	taken map[string]bool
}

func (d *dirOut) add(name string, e *odb.TreeEntry) {
	if e != nil {
		d.entries = append(d.entries, odb.TreeEntry{Name: name, Mode: e.Mode, Hash: e.Hash})
	}
}

// rootEntry wraps a root tree id as a directory entry; the empty tree is nil.
func rootEntry(h plumbing.Hash) *odb.TreeEntry {
	if h.IsZero() || h == emptyTree {
		return nil
	}
	return &odb.TreeEntry{Mode: filemode.Dir, Hash: h}
}

// same reports whether two entries are both absent or have equal mode and
// hash. Equal hashes stand for equal content, so unchanged subtrees are
// never read.
func same(a, b *odb.TreeEntry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Mode == b.Mode && a.Hash == b.Hash
}

func isDir(e *odb.TreeEntry) bool { return e != nil && e.Mode == filemode.Dir }

// fileOf is the non-directory part of an entry (blob, symlink or gitlink).
func fileOf(e *odb.TreeEntry) *odb.TreeEntry {
	if e == nil || isDir(e) {
		return nil
	}
	return e
}

// dirOf is the directory part of an entry.
func dirOf(e *odb.TreeEntry) *odb.TreeEntry {
	if !isDir(e) {
		return nil
	}
	return e
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
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
	bs, os, ts, err := m.entries3(p, b, o, t)
	if err != nil {
		return nil, err
	}
	names := unionNames(bs, os, ts)
	if m.plan != nil && len(m.plan.names[p]) > 0 {
		names = withNames(names, m.plan.names[p])
	}
	d := &dirOut{path: p, taken: make(map[string]bool, len(names))}
	for _, n := range names {
		d.taken[n] = true
	}
	for i := len(names) - 1; i >= 0; i-- {
		n := names[i]
		if err := m.mergeName(d, n, bs[n], os[n], ts[n], v); err != nil {
			return nil, err
		}
	}
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
	p := join(d.path, name)
	if m.plan != nil {
		if f := m.plan.df[p]; f != nil {
			return m.mergeDF(d, name, f, b, o, t, v)
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

// dirInTheWay says what merge-ort says when one side kept a file that the
// other side replaced by a directory: the file (deleted by the merge) is
// "moved" out of the directory's way. merge-ort says it only when it reads
// that directory, which it does only when the side with the directory has
// relevant rename sources.
func (m *merger) dirInTheWay(d *dirOut, name string, kept, other *odb.TreeEntry, branch string, dirSide int) {
	if fileOf(kept) == nil || !isDir(other) || !m.relevant[dirSide] {
		return
	}
	np := m.uniqueName(d, name, branch)
	d.taken[np] = true
	m.message(join(d.path, np), "CONFLICT (file/directory): directory in the way of %s from %s; moving it to %s instead.",
		join(d.path, name), branch, join(d.path, np))
}

// mergeDirPart merges the directory part of a name that is a file on some
// side and a directory on another; nil when no directory survives.
func (m *merger) mergeDirPart(p string, b, o, t *odb.TreeEntry, v vanished) (*odb.TreeEntry, error) {
	db, do, dt := dirOf(b), dirOf(o), dirOf(t)
	switch {
	case same(do, dt):
		m.bothSides(p, db, do)
		return do, nil
	case same(do, db):
		m.oneSide(p, db, dt, v.ours)
		return dt, nil
	case same(dt, db):
		m.oneSide(p, db, do, v.theirs)
		return do, nil
	}
	return m.mergeDir(p, db, do, dt, v)
}

// mergeMixed merges a name that is a file on some side and a directory on
// another, as merge-ort does: the directory stays, and a file that
// survives the merge next to it moves to NAME~BRANCH, conflicted.
func (m *merger) mergeMixed(d *dirOut, name string, b, o, t *odb.TreeEntry, v vanished) error {
	p := join(d.path, name)
	de, err := m.mergeDirPart(p, b, o, t, v)
	if err != nil {
		return err
	}
	fb, fo, ft := fileOf(b), fileOf(o), fileOf(t)
	if de == nil {
		return m.mergeFile(d, name, p, fb, fo, ft, v, false)
	}
	d.add(name, de)
	if fo == nil && ft == nil {
		m.bothSides(p, fb, nil)
		return nil
	}
	branch := m.opt.Branch1
	if dirOf(o) != nil {
		branch = m.opt.Branch2
	}
	np := m.uniqueName(d, name, branch)
	d.taken[np] = true
	m.message(join(d.path, np), "CONFLICT (file/directory): directory in the way of %s from %s; moving it to %s instead.",
		p, branch, join(d.path, np))
	return m.mergeFile(d, np, p, fb, fo, ft, v, true)
}

// uniqueName is merge-ort's unique_path: NAME~BRANCH, with the branch's
// slashes flattened, and _0, _1, ... appended while the name is taken.
func (m *merger) uniqueName(d *dirOut, name, branch string) string {
	base := name + "~" + flatten(branch)
	n := base
	for i := 0; d.taken[n]; i++ {
		n = fmt.Sprintf("%s_%d", base, i)
	}
	return n
}

func flatten(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '/' {
			b[i] = '_'
		}
	}
	return string(b)
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

// message records an informational message; merge-ort drops those of the
// inner merges that build a virtual base.
func (m *merger) message(p, format string, args ...any) {
	if m.depth == 0 {
		m.messages = append(m.messages, Message{Path: p, Text: fmt.Sprintf(format, args...)})
	}
}

func (m *merger) entries3(p string, b, o, t *odb.TreeEntry) (bs, os, ts map[string]*odb.TreeEntry, err error) {
	if bs, err = m.entries(p, b); err != nil {
		return nil, nil, nil, err
	}
	if os, err = m.entries(p, o); err != nil {
		return nil, nil, nil, err
	}
	ts, err = m.entries(p, t)
	return bs, os, ts, err
}

// entries reads the directory e (nil: empty) into a map by name.
func (m *merger) entries(p string, e *odb.TreeEntry) (map[string]*odb.TreeEntry, error) {
	if e == nil || e.Hash == emptyTree {
		return nil, nil
	}
	es, err := treeEntries(m.s, e.Hash)
	if err != nil {
		return nil, fmt.Errorf("read tree %s at %q: %w", e.Hash, p+"/", err)
	}
	byName := make(map[string]*odb.TreeEntry, len(es))
	for i := range es {
		byName[es[i].Name] = &es[i]
	}
	return byName, nil
}

// withNames adds extra to the sorted names, keeping them sorted and unique.
func withNames(names, extra []string) []string {
	seen := make(map[string]bool, len(names))
	out := append([]string(nil), names...)
	for _, n := range names {
		seen[n] = true
	}
	for _, n := range extra {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// unionNames lists the names of the given directories, sorted.
func unionNames(dirs ...map[string]*odb.TreeEntry) []string {
	most := 0
	for _, d := range dirs {
		most = max(most, len(d))
	}
	seen := make(map[string]bool, most)
	names := make([]string, 0, most)
	for _, d := range dirs {
		for name := range d {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// writeTree stores a tree object with the given entries, sorting them in
// git's order (a directory sorts as if its name ended in '/').
func (m *merger) writeTree(p string, entries []odb.TreeEntry) (plumbing.Hash, error) {
	odb.SortTree(entries)
	return m.writeObject(plumbing.TreeObject, odb.EncodeTree(entries), "tree", p)
}
