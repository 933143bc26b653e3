package merge

import (
	"strings"
	"testing"
)

// Texts equally similar to textP (one line of the same length changed).
var (
	textT1 = strings.Replace(textP, "p line 1", "tied 1", 1)
	textT2 = strings.Replace(textP, "p line 2", "tied 2", 1)
	textA7 = strings.Replace(textP, "p line 7", "aa line 7", 1)
	textB7 = strings.Replace(textP, "p line 7", "bb line 7", 1)
	textC7 = strings.Replace(textP, "p line 7", "cc line 7", 1)
)

// tieCases are inexact renames whose candidates tie; diffcore-rename
// settles them by the order of its stable sort (record_if_better,
// STABLE_QSORT, find_renames), each checked against git's merge-tree.
var tieCases = []mergeCase{
	// One source, two destinations of the same score: the first
	// destination in path order takes p, r2 is an add.
	{name: "tied destinations, the first takes the source", ours: with(base0, "p", "", "r1", textT1, "r2", textT2),
		theirs: with(base0, "p", textP6), renames: true},
	// Two sources, one destination of the same score: the first source
	// in path order is renamed, the other is a modify/delete.
	{name: "tied sources, the first is renamed", base: with(base0, "p", textA7, "s", textB7),
		ours:   with(base0, "p", "", "r", textC7),
		theirs: with(base0, "p", strings.Replace(textA7, "p line 3", "theirs 3", 1), "s", strings.Replace(textB7, "p line 4", "theirs 4", 1)),
		want:   []string{"s"}},
	// Theirs replaces s/x by two copies in new directories, which
	// merge-ort defers and reads by hashmap bucket (m, 50, before k,
	// 52), in one bucket the one deferred last first (bs before an,
	// both 52): the first copy read is s/x's exact rename and takes
	// ours' edit, the other is an add.
	{name: "exact renames in deferred directories, by bucket", base: with(base0, "s/x", textX),
		ours: with(base0, "s/x", "top\n"+textX), theirs: with(base0, "k/x", textX, "m/x", textX)},
	{name: "exact renames in deferred directories, in one bucket", base: with(base0, "s/x", textX),
		ours: with(base0, "s/x", "top\n"+textX), theirs: with(base0, "an/x", textX, "bs/x", textX)},
	// Theirs renames s/x and s/y exactly, into k and m: s's guess for
	// basenames is a tie, which get_highest_rename_path settles by its
	// map's order: the lower strhash bucket (m, 50, before k, 52), and
	// in one bucket the directory counted last (an and bs, both 52: an
	// when merge-ort reads both deferred, bs first; bs when ours changed
	// both and they are read in path order). s/n pairs with the guess's
	// n and takes ours' edit (seed 4, case r47).
	{name: "tied directory guess, by bucket", base: tieDirBase,
		ours: with(tieDirBase, "s/n", "top\n"+textN), theirs: tieDirs("k", "m"), renames: true},
	{name: "tied directory guess, in one bucket", base: tieDirBase,
		ours: with(tieDirBase, "s/n", "top\n"+textN), theirs: tieDirs("an", "bs"), renames: true},
	{name: "tied directory guess, in one bucket, not deferred", base: tieDirBase,
		ours:   with(tieDirBase, "s/n", "top\n"+textN, "an/o", "o\n", "bs/o", "o\n"),
		theirs: with(tieDirs("an", "bs"), "an/t", "t\n", "bs/t", "t\n"), renames: true},
}

var (
	textX      = lines("x", 8)
	textN      = lines("n", 8)
	tieDirBase = with(base0, "s/x", textX, "s/y", lines("y", 8), "s/n", textN)
)

// tieDirs moves s/x to a/x and s/y to b/y, and s/n, changed a little
// each way, to both a/n and b/n.
func tieDirs(a, b string) snapshot {
	return with(tieDirBase, "s/x", "", "s/y", "", "s/n", "", a+"/x", textX, b+"/y", lines("y", 8),
		a+"/n", textN+a+"\n", b+"/n", textN+b+"\n")
}

func TestMergeTieCases(t *testing.T) { runMergeCases(t, tieCases) }
