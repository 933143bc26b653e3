package merge

import (
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// detectRenames is diffcore_rename_extended as merge-ort runs it for one
// side (no copies, no break detection, 50%, merge-ort's relevant sources):
// it returns (source, destination) pairs, or errAmbiguous.
func (m *merger) detectRenames(side int, me, other *sideDiff, di *dirInfo) ([][2]string, error) {
	srcs := filePaths(me.deleted)
	dsts := filePaths(me.added)
	content := relevantSources(me, other)
	relevant := map[string]bool{}
	for p := range content {
		relevant[p] = true
	}
	for p := range di.location {
		relevant[p] = true
	}
	if len(relevant) == 0 || len(srcs) == 0 || len(dsts) == 0 {
		return nil, nil
	}
	r := &detection{m: m, me: me, di: di, srcUsed: map[string]bool{}, dstUsed: map[string]bool{}, ranks: m.deferredRanks(side)}
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
	left = di.cullKnown(left, content)
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
func filePaths(es map[string]*odb.TreeEntry) []string {
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
	ranks            map[string]int // see deferredRanks
	me               *sideDiff
	di               *dirInfo
	srcUsed, dstUsed map[string]bool
	pairs            [][2]string
	data             map[string][]byte
	spans            map[string]map[uint32]uint32
}

func (r *detection) pair(src, dst string) {
	r.srcUsed[src], r.dstUsed[dst] = true, true
	r.pairs = append(r.pairs, [2]string{src, dst})
	r.di.update(src, dst)
}

// exact pairs identical contents (find_exact_renames): each destination,
// in the order merge-ort queued them, takes the first unused source of
// the same content (and mode, unless both are regular files), in queue
// order, preferring one of the same basename. The queue follows the
// trees in path order, except that directories merge-ort defers come
// after the rest in an order of their own: choices that depend on that
// order are ambiguous.
func (r *detection) exact(srcs, dsts []string) error {
	groups := map[string][]string{}
	for _, s := range srcs {
		k := r.me.deleted[s].Hash.String()
		groups[k] = append(groups[k], s)
	}
	dstGroups := map[string][]string{}
	for _, d := range dsts {
		k := r.me.added[d].Hash.String()
		dstGroups[k] = append(dstGroups[k], d)
	}
	for k, ds := range dstGroups {
		ss := groups[k]
		if len(ss) == 0 {
			continue
		}
		sOrd, dOrd, err := r.queueOrders(ss, ds)
		if err != nil {
			return err
		}
		if (len(ss) > 1 || len(ds) > 1) && (sOrd == nil || dOrd == nil) {
			return fmt.Errorf("%w: exact renames in deferred directories", errAmbiguous)
		}
		if sOrd == nil {
			sOrd = ss
		}
		if dOrd == nil {
			dOrd = ds
		}
		for _, d := range dOrd {
			de := r.me.added[d]
			best, bestScore := "", 0
			for _, s := range sOrd {
				se := r.me.deleted[s]
				if r.srcUsed[s] || (fileType(se.Mode) != filemode.Regular || fileType(de.Mode) != filemode.Regular) && se.Mode != de.Mode {
					continue
				}
				score := 1
				if basenameSame(s, d) {
					score = 2
				}
				if score > bestScore {
					best, bestScore = s, score
					if score == 2 {
						break
					}
				}
			}
			if best != "" {
				r.pair(best, d)
			}
		}
	}
	return nil
}

// queueOrders is queueOrder of some sources and some destinations.
func (r *detection) queueOrders(srcs, dsts []string) (sOrd, dOrd []string, err error) {
	if sOrd, err = r.queueOrder(srcs); err == nil {
		dOrd, err = r.queueOrder(dsts)
	}
	return sOrd, dOrd, err
}

// queueOrder sorts paths as merge-ort queues them; nil when the order
// depends on how merge-ort iterates its deferred directories.
func (r *detection) queueOrder(ps []string) ([]string, error) {
	type keyed struct{ root, p string }
	ks := make([]keyed, len(ps))
	roots := map[string]bool{}
	for i, p := range ps {
		root, err := r.deferredRoot(p)
		if err != nil {
			return nil, err
		}
		ks[i] = keyed{root, p}
		if root != "" {
			roots[root] = true
		}
	}
	for root := range roots {
		if len(roots) > 1 && r.ranks[root] == 0 {
			return nil, nil
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		if (ks[i].root == "") != (ks[j].root == "") {
			return ks[i].root == ""
		}
		if ri, rj := r.ranks[ks[i].root], r.ranks[ks[j].root]; ri != rj {
			return ri < rj
		}
		return ks[i].p < ks[j].p
	})
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.p
	}
	return out, nil
}

// deferredRoot is the outermost directory above p whose traversal
// merge-ort defers (one side left it as in the base, or only one side
// has it), or "" when p is met in the main traversal.
func (r *detection) deferredRoot(p string) (string, error) {
	m := r.m
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		d := p[:i]
		var es [3]*odb.TreeEntry
		for t, tree := range m.trees {
			e, err := m.entryAt(rootEntry(tree), d)
			if err != nil {
				return "", err
			}
			es[t] = e
		}
		b, o, t := es[0], es[1], es[2]
		hasFile := fileOf(b) != nil || fileOf(o) != nil || fileOf(t) != nil
		oneSided := b != nil && (same(o, b) || same(t, b)) ||
			b == nil && !hasFile && isDir(o) != isDir(t)
		if oneSided && !r.di.marked(dirName(d)) {
			return d, nil
		}
	}
	return "", nil
}

// basenames is find_basename_matches: a relevant source and a destination
// whose basename is unique among the remaining ones pair at 75%; where
// the basename is not unique, the source is compared with the file of
// its basename where the exact renames took its directory
// (idx_possible_rename).
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
	// dir_rename_guess and idx_map, as the exact renames leave them.
	guess := map[string]string{}
	for dir := range r.di.counts {
		best, ok, ambiguous := r.di.guess(dir)
		switch {
		case ambiguous:
			tie, err := r.guessTie(dir)
			if err != nil {
				return err
			}
			guess[dir] = tie
		case ok:
			guess[dir] = best
		}
	}
	free := map[string]bool{}
	for _, d := range dsts {
		free[d] = !r.dstUsed[d]
	}
	guessed := map[string]bool{}
	for _, s := range srcs {
		b := baseName(s)
		if !relevant[s] || r.srcUsed[s] || dstBase[b] == 0 {
			continue
		}
		d := dstOf[b]
		if srcBase[b] > 1 || dstBase[b] > 1 {
			// idx_possible_rename: where the exact renames took the
			// source's directory.
			nd, ok := guess[dirName(s)]
			if !ok || nd == "" {
				continue
			}
			if nd == unknownDir {
				return fmt.Errorf("%w: basename guess of a split directory", errAmbiguous)
			}
			d = nd + "/" + b
			if !free[d] || r.dstUsed[d] {
				if guessed[d] {
					// The order of sources decides.
					return fmt.Errorf("%w: basename guesses collide", errAmbiguous)
				}
				continue
			}
		}
		score, err := r.similarity(s, d)
		if err != nil {
			return err
		}
		if score >= minBasenameScore {
			guessed[d] = true
			r.pair(s, d)
		}
	}
	return nil
}

type candidate struct {
	src, dst    string
	score, name int
}

// matrix is the inexact step, diffcore_rename_extended's matrix: each
// destination keeps its best candidates (record_if_better), the matrix is
// sorted best first by a stable sort (STABLE_QSORT with score_compare) and
// find_renames takes each pair whose source and destination are still
// free. Sources and destinations are in merge-ort's queue order; where
// that order is not known, ties are ambiguous (matrixTies).
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
		return fmt.Errorf("%w: over the rename limit", errAmbiguous)
	}
	sOrd, dOrd, err := r.queueOrders(srcs, left)
	if err != nil {
		return err
	}
	if sOrd == nil || dOrd == nil {
		return r.matrixTies(srcs, left)
	}
	var mx []candidate
	for _, d := range dOrd {
		var m [candidatesPerDest]candidate
		for _, s := range sOrd {
			score, err := r.similarity(s, d)
			if err != nil {
				return err
			}
			c := candidate{src: s, dst: d, score: score}
			if basenameSame(s, d) {
				c.name = 1
			}
			recordIfBetter(&m, c)
		}
		mx = append(mx, m[:]...)
	}
	sort.SliceStable(mx, func(i, j int) bool { return scoreCompare(mx[i], mx[j]) < 0 })
	// find_renames
	for _, c := range mx {
		if c.dst == "" || c.score < minimumScore {
			break
		}
		if r.dstUsed[c.dst] || r.srcUsed[c.src] {
			continue
		}
		r.pair(c.src, c.dst)
	}
	return nil
}

// recordIfBetter is record_if_better: c replaces the first of the worst
// slots when it is strictly better; empty slots (dst "") are the worst.
func recordIfBetter(m *[candidatesPerDest]candidate, c candidate) {
	worst := 0
	for i := 1; i < len(m); i++ {
		if scoreCompare(m[i], m[worst]) > 0 {
			worst = i
		}
	}
	if scoreCompare(m[worst], c) > 0 {
		m[worst] = c
	}
}

// scoreCompare is score_compare: negative when a sorts first; empty
// slots sink to the bottom.
func scoreCompare(a, b candidate) int {
	switch {
	case a.dst == "" && b.dst == "":
		return 0
	case a.dst == "":
		return 1
	case b.dst == "":
		return -1
	}
	return better(a, b)
}

// matrixTies is the inexact step when merge-ort's queue order is not
// known: the best candidates of each destination, taken best first,
// where equal candidates competing for a path are ambiguous.
func (r *detection) matrixTies(srcs, left []string) error {
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
				return fmt.Errorf("%w: tied candidates beyond four in deferred directories", errAmbiguous)
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
				return fmt.Errorf("%w: tied candidates compete in deferred directories", errAmbiguous)
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
