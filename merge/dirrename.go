package merge

import (
	"sort"
	"strings"
)

// Directory renames, as merge-ort makes them with its default
// merge.directoryRenames=conflict.
//
// While it collects the trees, merge-ort marks a directory that one side
// removed and the other side added files directly in; there, and below
// it, every file the removing side deleted is a rename source for its
// location (RELEVANT_LOCATION), and the removed directories are recorded
// with a relevance (dirs_removed: RELEVANT_FOR_SELF where the other side
// added a file, RELEVANT_FOR_ANCESTOR below a marked directory).
// diffcore-rename counts, for each relevant removed directory, where its
// renamed files went (update_dir_rename_counts), stops looking for
// renames of location-only sources once a directory's majority is known
// (handle_early_known_dir_renames), and merge-ort keeps, per directory,
// the destination with the unique highest count
// (get_provisional_directory_renames). A file the other side added in a
// renamed directory moves along, reported as CONFLICT (file location).
//
// Ported exactly: all of the above, the moves (dirmove.go,
// moveontobase.go) and the path-level conflicts (dirconflict.go). Not
// ported (planRenames gives up): among others, a move of a file with a
// directory at its old path, onto a rename's source, or onto a rename
// destination where a source is renamed on both sides.

// Relevance of a removed directory (diffcore.h's dir_rename_relevance).
const (
	notRelevant         = 0
	relevantForAncestor = 1
	relevantForSelf     = 2
)

// unknownDir is diffcore-rename's placeholder destination for sources
// whose rename is not known yet.
const unknownDir = "/"

// dirInfo is what directory rename detection needs about one side.
type dirInfo struct {
	// removed holds the directories of the base the side removed, with
	// their relevance (merge-ort's dirs_removed).
	removed map[string]int
	// location holds the sources relevant only for their location.
	location map[string]bool
	// counts is dir_rename_count: old directory -> new directory -> count.
	counts map[string]map[string]int
	// marked says whether merge-ort's dir_rename_mask is 0x07 for the
	// entries of a directory.
	marked func(dir string) bool
}

func dirName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// dirInfos computes each side's removed directories and location
// relevant sources from the sides' changes (collect_rename_info).
func dirInfos(sides [2]*sideDiff) [2]*dirInfo {
	var removed, adds [2]map[string]bool
	for x := 0; x < 2; x++ {
		removed[x], adds[x] = map[string]bool{}, map[string]bool{}
		for _, d := range sides[x].removed {
			removed[x][d] = true
		}
		for p := range sides[x].added {
			adds[x][dirName(p)] = true
		}
	}
	memo := map[string]bool{}
	// marked says whether merge-ort's dir_rename_mask is 0x07 for the
	// entries of directory p.
	var marked func(p string) bool
	marked = func(p string) bool {
		if p == "" || !removed[0][p] && !removed[1][p] {
			return false
		}
		if v, ok := memo[p]; ok {
			return v
		}
		v := false
		for x := 0; x < 2; x++ {
			if removed[x][p] && !removed[1-x][p] && adds[1-x][p] {
				v = true
			}
		}
		v = v || marked(dirName(p))
		memo[p] = v
		return v
	}
	var out [2]*dirInfo
	for x := 0; x < 2; x++ {
		di := &dirInfo{removed: map[string]int{}, location: map[string]bool{}, counts: map[string]map[string]int{}, marked: marked}
		for d := range removed[x] {
			switch {
			case marked(d) && adds[1-x][d] && !removed[1-x][d]:
				di.removed[d] = relevantForSelf
			case marked(dirName(d)):
				di.removed[d] = relevantForAncestor
			default:
				di.removed[d] = notRelevant
			}
		}
		for p := range sides[x].deleted {
			if marked(dirName(p)) {
				di.location[p] = true
			}
		}
		out[x] = di
	}
	return out
}

// update is update_dir_rename_counts for the rename of src to dst.
func (di *dirInfo) update(src, dst string) {
	for _, st := range di.countSteps(src, dst) {
		di.increment(st[0], st[1])
	}
}

// countSteps lists the (old directory, new directory) counts that
// update_dir_rename_counts increments for the rename of src to dst.
func (di *dirInfo) countSteps(src, dst string) [][2]string {
	var steps [][2]string
	oldDir, newDir := src, dst
	first := true
	for {
		oldBase, newBase := baseName(oldDir), baseName(newDir)
		oldDir, newDir = dirName(oldDir), dirName(newDir)
		if _, ok := di.removed[oldDir]; !ok {
			return steps
		}
		// From the second round on, the components just stripped must
		// agree: a/b/c/x -> d/c/x counts a/b/c -> d/c and a/b -> d.
		if !first && oldBase != newBase {
			return steps
		}
		flag := di.removed[oldDir]
		if flag == relevantForSelf || first {
			steps = append(steps, [2]string{oldDir, newDir})
		}
		first = false
		if flag == notRelevant || oldDir == "" || newDir == "" {
			return steps
		}
	}
}

func (di *dirInfo) increment(oldDir, newDir string) {
	c := di.counts[oldDir]
	if c == nil {
		c = map[string]int{}
		di.counts[oldDir] = c
	}
	c[newDir]++
}

// guess is dir_rename_guess for dir: the destination with the highest
// count; ok is false when none, ambiguous when the highest is shared.
func (di *dirInfo) guess(dir string) (best string, ok, ambiguous bool) {
	max, ties := 0, 0
	for d, n := range di.counts[dir] {
		switch {
		case n > max:
			best, max, ties = d, n, 0
		case n == max:
			ties++
		}
	}
	return best, max > 0, ties > 0
}

// cullKnown is handle_early_known_dir_renames: it returns the sources
// still worth comparing.
func (di *dirInfo) cullKnown(srcs []string, content map[string]bool) []string {
	for _, s := range srcs {
		for d := dirName(s); d != "" && di.removed[d] != notRelevant; d = dirName(d) {
			di.increment(d, unknownDir)
		}
	}
	for d, c := range di.counts {
		if di.removed[d] == relevantForSelf && determinable(c) {
			di.removed[d] = relevantForAncestor
		}
	}
	var keep []string
	for _, s := range srcs {
		if di.location[s] && !content[s] && di.removable(s) {
			continue
		}
		keep = append(keep, s)
	}
	return keep
}

func (di *dirInfo) removable(s string) bool {
	for d := dirName(s); ; d = dirName(d) {
		switch di.removed[d] {
		case notRelevant:
			return true
		case relevantForSelf:
			return false
		}
		if d == "" {
			return true
		}
	}
}

// determinable is dir_rename_already_determinable.
func determinable(c map[string]int) bool {
	first, second, unknown := 0, 0, 0
	for d, n := range c {
		switch {
		case d == unknownDir:
			unknown = n
		case n >= first:
			second, first = first, n
		case n >= second:
			second = n
		}
	}
	return first > second+unknown
}

// provisional is cleanup_dir_rename_info and
// get_provisional_directory_renames: old directory -> new directory.
// split lists, sorted, the directories with no majority destination:
// merge-ort renames them nowhere, and reports each as a conflict without
// a conflicted file.
func (di *dirInfo) provisional() (renames map[string]string, split []string) {
	renames = map[string]string{}
	for d, c := range di.counts {
		if di.removed[d] == notRelevant {
			continue
		}
		max, best, shared := 0, "", false
		for nd, n := range c {
			if nd == unknownDir {
				continue
			}
			switch {
			case n > max:
				max, best, shared = n, nd, false
			case n == max:
				shared = true
			}
		}
		if max == 0 {
			continue
		}
		if shared {
			split = append(split, d)
			continue
		}
		renames[d] = best
	}
	sort.Strings(split)
	return renames, split
}
