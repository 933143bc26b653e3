package merge

import (
	"flag"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
)

var (
	seedFlag  = flag.Int64("merge.seed", 1, "seed of the random differential merge test")
	casesFlag = flag.Int("merge.cases", 0, "number of random merge cases (0: 1500; 150 with -short, 300 with -race)")
	showFlag  = flag.String("merge.show", "", "log the cases whose reason for not being exact contains this text")
	basesFlag = flag.Int("merge.bases", 3, "merge bases of each case of TestMergeRandomDifferentialManyBases")
)

// gen builds random snapshots: a base of about 20 files in a few
// directories, and sides made of line edits, rewrites, additions,
// deletions, renames of files (exact and edited) and directories, mode
// flips, binary content and type changes. tags names the operations used.
type gen struct {
	rng  *rand.Rand
	n    int // counter for fresh names and texts
	tags map[string]bool
	// bases, when 3 or more, makes every case a criss-cross with that
	// many merge bases; otherwise one case in five has two.
	bases int
}

var genDirs = []string{"", "a/", "a/c/", "b/", "e/"}

func (g *gen) text() string {
	g.n++
	return lines(fmt.Sprintf("t%d", g.n), 3+g.rng.Intn(8))
}

// kin returns a text of one of four families: texts of a family are over
// 50% alike, so git's rename detection has ambiguous pairings to choose.
func (g *gen) kin() string {
	spec := lines(fmt.Sprintf("fam%d", g.rng.Intn(4)), 8)
	for i := g.rng.Intn(3); i >= 0; i-- {
		spec = g.edit(spec)
	}
	return spec
}

func (g *gen) base() snapshot {
	s := snapshot{}
	for i := 0; i < 20; i++ {
		spec := []string{g.text(), g.kin()}[g.rng.Intn(2)]
		switch g.rng.Intn(20) {
		case 0:
			spec = "x:" + spec
		case 1:
			spec = "l:target" + fmt.Sprint(i)
		case 2:
			spec = sub1
		case 3:
			spec = "bin\x00" + spec
		}
		s[fmt.Sprintf("%sf%d", genDirs[g.rng.Intn(len(genDirs))], i)] = spec
	}
	return s
}

// pick returns a path of s, preferring the few "hot" paths both sides favour.
func (g *gen) pick(s snapshot) string {
	paths := sortedPaths(s)
	if len(paths) == 0 {
		return ""
	}
	if g.rng.Intn(2) == 0 && len(paths) > 4 {
		return paths[g.rng.Intn(4)]
	}
	return paths[g.rng.Intn(len(paths))]
}

func sortedPaths(s snapshot) []string {
	paths := make([]string, 0, len(s))
	for p := range s {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// edit changes one line of a text, keeping it similar for rename detection.
func (g *gen) edit(spec string) string {
	ls := strings.SplitAfter(spec, "\n")
	ls[g.rng.Intn(len(ls))] = fmt.Sprintf("edit %d\n", g.rng.Intn(5))
	return strings.Join(ls, "")
}

func (g *gen) freshPath() string {
	g.n++
	return fmt.Sprintf("%sn%d", []string{"", "a/", "b/", "a/c/", "e/", "z/"}[g.rng.Intn(6)], g.n%7)
}

// op applies one random change to s.
func (g *gen) op(s snapshot) {
	p := g.pick(s)
	if p == "" {
		g.tags["add"] = true
		s[g.freshPath()] = g.text()
		return
	}
	switch k := g.rng.Intn(13); k {
	case 0, 1, 10, 11:
		g.tags["edit"] = true
		s[p] = g.edit(s[p])
	case 2:
		g.tags["rewrite"] = true
		s[p] = g.text()
	case 3:
		g.tags["add"] = true
		s[g.freshPath()] = []string{g.text(), s[p], g.edit(s[p]), g.kin()}[g.rng.Intn(4)]
	case 4:
		g.tags["delete"] = true
		delete(s, p)
	case 5, 6:
		spec := s[p]
		delete(s, p)
		tag, to := "rename", []string{g.freshPath(), "r/" + p}[g.rng.Intn(2)]
		if g.rng.Intn(2) == 0 {
			tag, spec = "rename+edit", g.edit(spec)
		}
		g.tags[tag] = true
		s[to] = spec
	case 7:
		g.tags["rename dir"] = true
		g.renameDir(s, p)
	case 8:
		g.tags["mode"] = true
		if strings.HasPrefix(s[p], "x:") {
			s[p] = s[p][2:]
		} else {
			s[p] = "x:" + s[p]
		}
	case 9:
		g.tags["type"] = true
		spec := s[p]
		delete(s, p)
		s[[]string{p + "/sub", p}[g.rng.Intn(2)]] = []string{spec, "l:somewhere", sub2}[g.rng.Intn(3)]
	case 12:
		g.tags["binary"] = true
		s[p] = "bin\x00" + g.edit(strings.TrimPrefix(s[p], "bin\x00"))
	}
}

// renameDir moves every file of p's directory to another directory.
func (g *gen) renameDir(s snapshot, p string) {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return
	}
	dir, to := p[:i+1], []string{"m/", "a/m/", "b/"}[g.rng.Intn(3)]
	for _, q := range sortedPaths(s) {
		if strings.HasPrefix(q, dir) {
			s[to+q[len(dir):]] = s[q]
			delete(s, q)
		}
	}
}

// side derives a branch from base: sometimes first copying some of the
// other side's changes, so that both sides change paths identically.
func (g *gen) side(base, other snapshot) snapshot {
	s := with(base)
	if other != nil && g.rng.Intn(3) == 0 {
		for _, p := range sortedPaths(union(base, other)) {
			if base[p] != other[p] && g.rng.Intn(2) == 0 {
				s = with(s, p, other[p])
			}
		}
	}
	for i := 1 + g.rng.Intn(4); i > 0; i-- {
		g.op(s)
	}
	return s
}

func union(a, b snapshot) snapshot {
	out := with(a)
	for k, v := range b {
		out[k] = v
	}
	return out
}

// history writes one random case to a fast-import stream under prefix:
// branches base, ours and theirs; one case in five is a criss-cross, where
// ours and theirs each merge two commits x1 and y1 (in opposite orders),
// so that both are merge bases.
func (g *gen) history(prefix string) ([]byte, []string) {
	g.tags = map[string]bool{}
	var b strings.Builder
	base := g.base()
	commitStream(&b, prefix+"base", nil, base)
	if g.bases >= 3 {
		g.manyBases(&b, prefix, base)
	} else if g.rng.Intn(5) == 0 {
		g.tags["criss-cross"] = true
		x1 := g.side(base, nil)
		y1 := g.side(base, x1)
		commitStream(&b, prefix+"x1", []string{prefix + "base"}, x1)
		commitStream(&b, prefix+"y1", []string{prefix + "base"}, y1)
		commitStream(&b, prefix+"ours", []string{prefix + "x1", prefix + "y1"}, g.side(g.mix(base, x1, y1), nil))
		commitStream(&b, prefix+"theirs", []string{prefix + "y1", prefix + "x1"}, g.side(g.mix(base, y1, x1), nil))
	} else {
		ours := g.side(base, nil)
		commitStream(&b, prefix+"ours", []string{prefix + "base"}, ours)
		commitStream(&b, prefix+"theirs", []string{prefix + "base"}, g.side(base, ours))
	}
	tags := make([]string, 0, len(g.tags))
	for t := range g.tags {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	return []byte(b.String()), tags
}

// manyBases writes g.bases sides of base, s0, s1, ..., and ours and
// theirs each merging all of them (in opposite orders, with some changes of
// their own): every side is a merge base, and git folds them into a
// virtual base one at a time (merge_ort_internal).
func (g *gen) manyBases(b *strings.Builder, prefix string, base snapshot) {
	g.tags["criss-cross"] = true
	g.tags[fmt.Sprintf("%d merge bases", g.bases)] = true
	sides := make([]snapshot, g.bases)
	names := make([]string, g.bases)
	for i := range sides {
		var prev snapshot
		if i > 0 {
			prev = sides[i-1]
		}
		sides[i] = g.side(base, prev)
		names[i] = fmt.Sprintf("%ss%d", prefix, i)
		commitStream(b, names[i], []string{prefix + "base"}, sides[i])
	}
	ours, theirs := sides[0], sides[len(sides)-1]
	for i := 1; i < len(sides); i++ {
		ours = g.mix(base, ours, sides[i])
		theirs = g.mix(base, theirs, sides[len(sides)-1-i])
	}
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	commitStream(b, prefix+"ours", names, g.side(ours, nil))
	commitStream(b, prefix+"theirs", reversed, g.side(theirs, nil))
}

// mix is a made-up merge of a and b: a with some of b's changes from base.
func (g *gen) mix(base, a, b snapshot) snapshot {
	s := with(a)
	for _, p := range sortedPaths(union(base, b)) {
		if base[p] != b[p] && g.rng.Intn(2) == 0 {
			s = with(s, p, b[p])
		}
	}
	return s
}
