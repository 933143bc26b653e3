package merge

import (
	"errors"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Exact rename handling, a port of the part of merge-ort that applies when
// renames are simple: git's rename detection (exact renames, basename
// matches, the similarity matrix) run for each side exactly, and every
// rename found moves a file that the other side kept (changed or not) to a
// path the other side left alone. Then the other side's changes merge into
// the new path, and the merge is exact. Anything else (directory renames,
// rename/delete, rename/rename, rename/add, a choice that depends on an
// order git does not document) makes planRenames give up, and the merge
// falls back to the conservative rules of rename.go.

// errAmbiguous means git's choice depends on details not replicated here.
var errAmbiguous = errors.New("rename detection not replicated exactly")

var emptyBlob = plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")

// sideDiff is one side's file-level change from the base.
type sideDiff struct {
	// added holds the side's files where the base has none; deleted the
	// base's files where the side has none; modified the side's files
	// where both have one and they differ.
	added, deleted, modified map[string]*object.TreeEntry
	// removed lists directories of the base that the side does not have;
	// dirOver the base's files that the side replaced by a directory.
	removed, dirOver []string
}

func newSideDiff() *sideDiff {
	return &sideDiff{added: map[string]*object.TreeEntry{}, deleted: map[string]*object.TreeEntry{}, modified: map[string]*object.TreeEntry{}}
}

func (m *merger) diffSide(b, x *object.TreeEntry) (*sideDiff, error) {
	d := newSideDiff()
	return d, m.walkDiff(d, "", b, x)
}

// note records the change from b to x at p itself (not below it).
func (d *sideDiff) note(p string, b, x *object.TreeEntry) {
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
func (m *merger) walkBoth(sides [2]*sideDiff, p string, b, o, t *object.TreeEntry) error {
	if same(o, b) || same(t, b) {
		return nil
	}
	sides[0].note(p, b, o)
	sides[1].note(p, b, t)
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
	bs, os, ts, err := m.entries3(p, db, do, dt)
	if err != nil {
		return err
	}
	for _, n := range unionNames(bs, os, ts) {
		if err := m.walkBoth(sides, join(p, n), bs[n], os[n], ts[n]); err != nil {
			return err
		}
	}
	return nil
}

func (m *merger) walkDiff(d *sideDiff, p string, b, x *object.TreeEntry) error {
	if same(b, x) {
		return nil
	}
	d.note(p, b, x)
	db, dx := dirOf(b), dirOf(x)
	if same(db, dx) {
		return nil
	}
	bs, err := m.entries(p, db)
	if err != nil {
		return err
	}
	xs, err := m.entries(p, dx)
	if err != nil {
		return err
	}
	for _, n := range unionNames(bs, xs) {
		if err := m.walkDiff(d, join(p, n), bs[n], xs[n]); err != nil {
			return err
		}
	}
	return nil
}

// planRenames decides renames as merge-ort would. ok is false when it
// cannot be sure (whyInexact says why); plan is nil when no rename needs
// handling.
func (m *merger) planRenames() (plan *renamePlan, ok bool, err error) {
	// Where both sides changed the base first: a side with no relevant
	// sources there has none at all, and needs nothing more.
	sides := [2]*sideDiff{newSideDiff(), newSideDiff()}
	roots := [3]*object.TreeEntry{rootEntry(m.trees[0]), rootEntry(m.trees[1]), rootEntry(m.trees[2])}
	if err := m.walkBoth(sides, "", roots[0], roots[1], roots[2]); err != nil {
		return nil, false, err
	}
	for s := 0; s < 2; s++ {
		m.relevant[s] = len(relevantSources(sides[s], sides[1-s])) > 0
	}
	m.forced = map[string]bool{}
	for s := 0; s < 2; s++ {
		// A directory one side removed and the other added to: merge-ort
		// detects renames for all its files (location relevance), then
		// directory renames.
		if addedBelow(sides[1-s].added, sides[s].removed) {
			m.whyInexact = "directory rename"
			return nil, false, nil
		}
	}
	for s := 0; s < 2; s++ {
		if !m.relevant[s] {
			continue
		}
		if sides[s], err = m.diffSide(roots[0], roots[s+1]); err != nil {
			return nil, false, err
		}
		m.forceDirOver(sides[s], sides[1-s])
	}
	if !(m.relevant[0] && sides[0].mayRename()) && !(m.relevant[1] && sides[1].mayRename()) {
		return nil, true, nil
	}
	var renames []rename
	for s := 0; s < 2; s++ {
		pairs, err := m.detectRenames(sides[s], sides[1-s])
		if errors.Is(err, errAmbiguous) {
			m.whyInexact = "ambiguous detection"
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		for _, pr := range pairs {
			renames = append(renames, rename{src: pr[0], dst: pr[1], side: s})
		}
	}
	sort.SliceStable(renames, func(i, j int) bool { return renames[i].src < renames[j].src })
	pl := &planner{m: m, sides: sides, plan: newPlan()}
	nc, nm, ns := len(m.conflicts), len(m.messages), len(m.submodules)
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

// addedBelow reports whether a path of added lies below one of dirs.
func addedBelow(added map[string]*object.TreeEntry, dirs []string) bool {
	if len(dirs) == 0 {
		return false
	}
	removed := map[string]bool{}
	for _, d := range dirs {
		removed[d] = true
	}
	for p := range added {
		for i := len(p) - 1; i > 0; i-- {
			if p[i] == '/' && removed[p[:i]] {
				return true
			}
		}
	}
	return false
}

// detectRenames is diffcore_rename_extended as merge-ort runs it for one
// side (no copies, no break detection, 50%, merge-ort's relevant sources):
// it returns (source, destination) pairs, or errAmbiguous.
func (m *merger) detectRenames(me, other *sideDiff) ([][2]string, error) {
	srcs := filePaths(me.deleted)
	dsts := filePaths(me.added)
	relevant := relevantSources(me, other)
	if len(relevant) == 0 || len(srcs) == 0 || len(dsts) == 0 {
		return nil, nil
	}
	r := &detection{m: m, me: me, srcUsed: map[string]bool{}, dstUsed: map[string]bool{}}
	if err := r.exact(srcs, dsts); err != nil {
		return nil, err
	}
	if err := r.basenames(srcs, dsts, relevant); err != nil {
		return nil, err
	}
	var left []string
	for _, p := range srcs {
		if relevant[p] && !r.srcUsed[p] {
			left = append(left, p)
		}
	}
	if err := r.matrix(left, dsts); err != nil {
		return nil, err
	}
	return r.pairs, nil
}

// relevantSources are the files me deleted that other deleted or changed:
// merge-ort detects renames only for those (and exact renames only when
// there are some).
func relevantSources(me, other *sideDiff) map[string]bool {
	relevant := map[string]bool{}
	for p := range me.deleted {
		_, gone := other.deleted[p]
		_, changed := other.modified[p]
		if gone || changed {
			relevant[p] = true
		}
	}
	return relevant
}

// filePaths lists the paths of es that rename detection considers (not
// the empty blob), sorted.
func filePaths(es map[string]*object.TreeEntry) []string {
	var ps []string
	for p, e := range es {
		if e.Hash != emptyBlob {
			ps = append(ps, p)
		}
	}
	sort.Strings(ps)
	return ps
}

type detection struct {
	m                *merger
	me               *sideDiff
	srcUsed, dstUsed map[string]bool
	pairs            [][2]string
	data             map[string][]byte
	spans            map[string]map[uint32]uint32
}

func (r *detection) pair(src, dst string) {
	r.srcUsed[src], r.dstUsed[dst] = true, true
	r.pairs = append(r.pairs, [2]string{src, dst})
}

// exact pairs identical contents (find_exact_renames): a source not used
// yet, preferring the same basename; ties are ambiguous.
func (r *detection) exact(srcs, dsts []string) error {
	chosen := map[string]string{}
	for _, d := range dsts {
		de := r.me.added[d]
		best, bestScore, ties := "", -1, 0
		for _, s := range srcs {
			se := r.me.deleted[s]
			if se.Hash != de.Hash || (fileType(se.Mode) != filemode.Regular || fileType(de.Mode) != filemode.Regular) && se.Mode != de.Mode {
				continue
			}
			score := 1
			if basenameSame(s, d) {
				score = 2
			}
			switch {
			case score > bestScore:
				best, bestScore, ties = s, score, 0
			case score == bestScore:
				ties++
			}
		}
		if best == "" {
			continue
		}
		if ties > 0 {
			return errAmbiguous
		}
		if prev, taken := chosen[best]; taken {
			_ = prev
			return errAmbiguous
		}
		chosen[best] = d
		r.pair(best, d)
	}
	return nil
}

// basenames is find_basename_matches: a relevant source and a destination
// whose basename is unique among the remaining ones pair at 75%.
func (r *detection) basenames(srcs, dsts []string, relevant map[string]bool) error {
	srcBase, dstBase := map[string]int{}, map[string]int{}
	var dstOf = map[string]string{}
	for _, s := range srcs {
		if !r.srcUsed[s] {
			srcBase[baseName(s)]++
		}
	}
	for _, d := range dsts {
		if !r.dstUsed[d] {
			dstBase[baseName(d)]++
			dstOf[baseName(d)] = d
		}
	}
	for _, s := range srcs {
		b := baseName(s)
		if !relevant[s] || r.srcUsed[s] || dstBase[b] == 0 {
			continue
		}
		if srcBase[b] > 1 || dstBase[b] > 1 {
			return errAmbiguous // git guesses from directory renames
		}
		d := dstOf[b]
		score, err := r.similarity(s, d)
		if err != nil {
			return err
		}
		if score >= minBasenameScore {
			r.pair(s, d)
		}
	}
	return nil
}

type candidate struct {
	src, dst    string
	score, name int
}

// matrix is the inexact step: the best candidates of each destination,
// taken best first. Equal candidates competing for a path are ambiguous.
func (r *detection) matrix(srcs, dsts []string) error {
	var left []string
	for _, d := range dsts {
		if !r.dstUsed[d] {
			left = append(left, d)
		}
	}
	ns, nd := len(srcs), len(left)
	if ns == 0 || nd == 0 {
		return nil
	}
	if !((nd <= renameLimit || ns <= renameLimit) && uint64(nd)*uint64(ns) <= renameLimit*renameLimit) {
		return errAmbiguous
	}
	var all []candidate
	for _, d := range left {
		var cs []candidate
		for _, s := range srcs {
			score, err := r.similarity(s, d)
			if err != nil {
				return err
			}
			if score >= minimumScore {
				c := candidate{src: s, dst: d, score: score}
				if basenameSame(s, d) {
					c.name = 1
				}
				cs = append(cs, c)
			}
		}
		sortCandidates(cs)
		if len(cs) > candidatesPerDest {
			if better(cs[candidatesPerDest-1], cs[candidatesPerDest]) == 0 {
				return errAmbiguous
			}
			cs = cs[:candidatesPerDest]
		}
		all = append(all, cs...)
	}
	sortCandidates(all)
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && better(all[i], all[j]) == 0 {
			j++
		}
		seenS, seenD := map[string]bool{}, map[string]bool{}
		for _, c := range all[i:j] {
			if r.srcUsed[c.src] || r.dstUsed[c.dst] {
				continue
			}
			if seenS[c.src] || seenD[c.dst] {
				return errAmbiguous
			}
			seenS[c.src], seenD[c.dst] = true, true
		}
		for _, c := range all[i:j] {
			if !r.srcUsed[c.src] && !r.dstUsed[c.dst] {
				r.pair(c.src, c.dst)
			}
		}
		i = j
	}
	return nil
}

// better orders candidates as score_compare: negative when a is better.
func better(a, b candidate) int {
	if a.score != b.score {
		return b.score - a.score
	}
	return b.name - a.name
}

func sortCandidates(cs []candidate) {
	sort.SliceStable(cs, func(i, j int) bool { return better(cs[i], cs[j]) < 0 })
}

// similarity estimates how much of source s is in destination d.
func (r *detection) similarity(s, d string) (int, error) {
	se, de := r.me.deleted[s], r.me.added[d]
	if fileType(se.Mode) != filemode.Regular || fileType(de.Mode) != filemode.Regular {
		return 0, nil
	}
	sd, ss, err := r.content(s, se.Hash)
	if err != nil {
		return 0, err
	}
	dd, ds, err := r.content(d, de.Hash)
	if err != nil {
		return 0, err
	}
	return similarity(sd, dd, ss, ds), nil
}

func (r *detection) content(p string, h plumbing.Hash) ([]byte, map[uint32]uint32, error) {
	if r.data == nil {
		r.data, r.spans = map[string][]byte{}, map[string]map[uint32]uint32{}
	}
	key := h.String()
	if data, ok := r.data[key]; ok {
		return data, r.spans[key], nil
	}
	data, err := r.m.readBlob(p, h)
	if err != nil {
		return nil, nil, err
	}
	r.data[key], r.spans[key] = data, spans(data)
	return data, r.spans[key], nil
}
