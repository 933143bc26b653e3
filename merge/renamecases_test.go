package merge

import "testing"

// baseD has a renamable file in the directory d that ours renames to k.
var (
	baseD   = with(base0, "d/p", textP)
	dToK    = with(baseD, "d/b", "", "d/e/f", "", "d/e/g", "", "d/p", "", "k/b", "2\n", "k/e/f", "3\n", "k/e/g", "4\n", "k/p", textP)
	dToKNoP = with(dToK, "k/p", "")
)

// renameCases are rename cases beyond the simple ones, each checked
// against git's merge-tree; want records git's conflicted paths.
var renameCases = []mergeCase{
	// collect_renames moves theirs' d/r to k/r before process_renames
	// sees the rename/rename(1to2).
	{name: "rename/rename, one moved by a directory rename", base: baseD, ours: dToK,
		theirs: with(baseD, "d/p", "", "d/r", textP), want: []string{"d/p", "k/p", "k/r"}},
}

func TestMergeRenameCases(t *testing.T) { runMergeCases(t, renameCases) }
