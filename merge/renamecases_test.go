package merge

import (
	"fmt"
	"testing"
)

// baseD has a renamable file in the directory d that ours renames to k.
var (
	textG   = lines("g", 8)
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
	// Theirs' d/n moves to k/n where ours added a file too: one add/add,
	// conflicted (apply_directory_rename_modifications).
	{name: "directory rename onto a path the other side added", base: baseD, ours: with(dToK, "k/n", "same\n"),
		theirs: with(baseD, "d/n", "same\n"), want: []string{"k/n"}},
	{name: "directory rename onto a path the other side added, contents merge", base: baseD, ours: with(dToK, "k/n", lines("n", 5)),
		theirs: with(baseD, "d/n", lines("n", 5)+"more\n"), want: []string{"k/n"}},
	{name: "directory rename onto a path the other side added, contents conflict", base: baseD, ours: with(dToK, "k/n", "ours\n"),
		theirs: with(baseD, "d/n", "theirs\n"), want: []string{"k/n"}},
	// handle_path_level_conflicts: the file stays, the merge is unclean
	// and says so in a message only.
	{name: "directory rename onto a path in the way", base: with(baseD, "k/n", "old\n"), ours: with(dToK, "k/n", "old\n"),
		theirs: with(baseD, "d/n", "theirs\n", "k/n", "old\n")},
	{name: "directory renames of two paths onto one", base: with(baseD, "d/x/q", textQ), ours: with(dToK, "k/q", textQ),
		theirs: with(baseD, "d/x/q", textQ, "d/n", "1\n", "d/x/n", "2\n")},
	// A directory replaces the renamed file on both sides.
	{name: "rename/rename(1to1) into a directory at the source", ours: with(base0, "p", "", "p/sub", textP),
		theirs: with(base0, "p", "", "p/sub", textP, "a", "7\n"), renames: true},
	// Both sides rename p/sub to p, where only the base has a directory:
	// the directory merges to nothing and p merges as any 1to1 does
	// (ManyBases seed 7, case r256).
	{name: "rename/rename(1to1) onto the base's directory", base: with(base0, "p", "", "p/sub", textP, "p/x", "x\n"),
		ours: with(base0, "p", textP1), theirs: with(base0, "p", textP6)},
	{name: "rename/rename(1to1) onto the base's directory, contents conflict", base: with(base0, "p", "", "p/sub", textP),
		ours: with(base0, "p", textP1), theirs: with(base0, "p", textP1b), want: []string{"p"}},
	// p/x renamed apart below it keeps its base stage: not ported.
	{name: "rename/rename(1to1) onto the base's directory, a 1to2 below", base: with(base0, "p", "", "p/sub", textP, "p/x", textQ+"x\n"),
		ours: with(base0, "p", textP1, "q", "", "x1", textQ+"x\n"), theirs: with(base0, "p", textP6, "q", "", "x2", textQ+"x\n"),
		want: []string{"p/x", "x1", "x2"}, conservative: true},
	{name: "rename/rename(1to2), a directory at the source", ours: with(base0, "p", "", "r1", textP, "p/x", "x\n"),
		theirs: with(base0, "p", "", "r2", textP), want: []string{"r1", "r2"}},
	// rename/add, then process_entry's distinct types: the regular file
	// moves to r~ours.
	{name: "rename onto a symlink the other side added", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "r", "l:x"), want: []string{"r", "r~ours"}},
	{name: "rename onto a symlink the other side added, mirrored", ours: with(base0, "r", "l:x"),
		theirs: with(base0, "p", "", "r", textP1), want: []string{"r", "r~theirs"}},
	// Theirs' d/p/sub moves to k/p/sub, below ours' renamed k/p: listed
	// as conflicted, in no tree.
	{name: "directory rename below a renamed file", base: baseD, ours: dToK,
		theirs: with(baseD, "d/p", "", "d/p/sub", "sub\n", "d/n", "n\n"), want: []string{"k/n", "k/p", "k/p/sub"}},
	// The same below a file theirs added (seed 5, case r1483).
	{name: "directory rename below an added file", base: baseD, ours: with(baseD, "d/f/sub", "sub\n", "d/n", "n\n"),
		theirs: with(dToK, "k/f", "f\n"), want: []string{"k/f/sub", "k/n"}},
	// Below a file no side changed, which collect_merge_info resolves
	// at once: write_completed_directory's tree replaces it. Not ported.
	{name: "directory rename below an unchanged file", base: with(baseD, "k/f", "f\n"),
		ours: with(baseD, "k/f", "f\n", "d/f/sub", "sub\n", "d/n", "n\n"), theirs: with(dToK, "k/f", "f\n"),
		want: []string{"k/f/sub", "k/n"}, conservative: true},
	// Without a file added directly in d, d is no rename source for its
	// location: nothing moves.
	{name: "no directory rename below a renamed file", base: baseD, ours: dToK,
		theirs: with(baseD, "d/p", "", "d/p/sub", "sub\n"), want: []string{"k/p"}},
	// rename/rename(1to2) of p where theirs also renamed another file onto
	// ours' destination r1: the rename/add decides theirs' stage at r1,
	// before (g < p) or after (q > p) the 1to2, and r1 merges as add/add.
	{name: "rename/rename(1to2) onto a later rename/add", ours: with(base0, "p", "", "r1", textP1),
		theirs: with(base0, "p", "", "r2", textP6, "q", "", "r1", textQ), want: []string{"p", "r1", "r2"}},
	{name: "rename/rename(1to2) onto an earlier rename/add", base: with(base0, "g", textQ), ours: with(base0, "g", textQ, "p", "", "r1", textP1),
		theirs: with(base0, "p", "", "r2", textP6, "r1", textQ), want: []string{"p", "r1", "r2"}},
	{name: "rename/rename(1to2) onto a symlink", ours: with(base0, "p", "", "r1", textP1),
		theirs: with(base0, "p", "", "r2", textP6, "r1", "l:x"), want: []string{"p", "r1", "r1~ours", "r2"}},
	// rename/rename(1to2) of q, theirs to k/r2, where ours' d/r2 moves
	// with theirs' d -> k: the moved file takes ours' stage at k/r2 and
	// merges there with the 1to2's result (seed 6, case r93).
	{name: "rename/rename(1to2) onto a file a directory rename moves", base: baseD, ours: with(baseD, "q", "", "r1", textQ, "d/r2", textQ+"t\n"),
		theirs: with(dToK, "q", "", "k/r2", textQ+"t\n"), want: []string{"k/r2", "q", "r1"}},
	{name: "rename/rename(1to2) onto a file a directory rename moves, contents conflict", base: baseD,
		ours: with(baseD, "q", "", "r1", textQ, "d/r2", "ours\n"), theirs: with(dToK, "q", "", "k/r2", textQ),
		want: []string{"k/r2", "q", "r1"}},
	// Ours' destination d/r2 moves to k/r2, where theirs added a file:
	// the two merge there, labelled d/r2 and k/r2 (seed 6, case r557).
	{name: "rename/rename(1to2) moved onto an added file", base: baseD, ours: with(baseD, "q", "", "d/r2", textQ),
		theirs: with(dToK, "q", "", "r1", textQ, "k/r2", textQ+"more\n"), want: []string{"k/r2", "q", "r1"}},
	{name: "rename/rename(1to2) moved onto an added file, contents conflict", base: baseD, ours: with(baseD, "q", "", "d/r2", textQ),
		theirs: with(dToK, "q", "", "r1", "x\n"+textQ, "k/r2", "theirs\n"), want: []string{"k/r2", "q", "r1"}},
	{name: "rename/rename(1to2) moved onto an added file, mirrored", base: baseD, ours: with(dToK, "q", "", "r1", "x\n"+textQ, "k/r2", "ours\n"),
		theirs: with(baseD, "q", "", "d/r2", textQ), want: []string{"k/r2", "q", "r1"}},
	// Ours renames d/p to k/p, into k, which theirs renamed to d: the
	// rename goes back onto its source, collides with theirs' d/p, and
	// process_renames then resolves d/p by removal (seed 9, case r786).
	// (Theirs changes d/p: else d/p is no rename source for it.)
	{name: "rename moved back onto its source", base: with(baseD, "k/n", "n\n"), ours: with(baseD, "k/n", "n\n", "d/p", "", "k/p", textP1),
		theirs: with(baseD, "k/n", "", "d/n", "n\n", "d/p", textP6)},
	{name: "rename moved back onto its source, contents conflict", base: with(baseD, "k/n", "n\n"),
		ours: with(baseD, "k/n", "n\n", "d/p", "", "k/p", textP1), theirs: with(baseD, "k/n", "", "d/n", "n\n", "d/p", textP1b)},
	{name: "rename moved back onto its source, mirrored, with a conflict elsewhere", base: with(baseD, "k/n", "n\n"),
		ours: with(baseD, "k/n", "", "d/n", "n\n", "d/p", textP6, "a", "8\n"), theirs: with(baseD, "k/n", "n\n", "d/p", "", "k/p", textP1, "a", "9\n"),
		want: []string{"a"}},
	// The same as one half of a rename/rename(1to2): d/p's entry gets
	// ours' stage, which the 1to2's merge replaces, and process_entry
	// makes it a modify/delete, said where the merge changed d/p
	// (ManyBases seed 12, case r280).
	{name: "rename/rename(1to2), one moved back onto its source", base: with(baseD, "k/n", "n\n"),
		ours: with(baseD, "k/n", "n\n", "d/p", "", "k/p", textP1), theirs: with(baseD, "k/n", "", "d/n", "n\n", "d/p", "", "r", textP6),
		want: []string{"d/p", "r"}},
	{name: "rename/rename(1to2), one moved back onto its source, unchanged", base: with(baseD, "k/n", "n\n"),
		ours: with(baseD, "k/n", "n\n", "d/p", "", "k/p", textP), theirs: with(baseD, "k/n", "", "d/n", "n\n", "d/p", "", "r", textP),
		want: []string{"d/p", "r"}},
	{name: "rename/rename(1to2), one moved back onto its source, mirrored", base: with(baseD, "k/n", "n\n"),
		ours: with(baseD, "k/n", "", "d/n", "n\n", "d/p", "", "r", textP6), theirs: with(baseD, "k/n", "n\n", "d/p", "", "k/p", textP1),
		want: []string{"d/p", "r"}},
	// Theirs' d/n moves to k/n, where ours renamed the symlink q: the
	// two are distinct types (seed 8, case r859).
	{name: "directory rename onto a rename destination of another type", base: with(baseD, "q", "l:x"),
		ours: with(dToK, "q", "", "k/n", "l:x"), theirs: with(baseD, "q", "l:x", "d/n", "n\n"), want: []string{"k/n", "k/n~theirs"}},
	{name: "directory rename onto a rename destination of another type, source deleted", base: with(baseD, "q", "l:x"),
		ours: with(dToK, "q", "", "k/n", "l:x"), theirs: with(baseD, "q", "", "d/n", "n\n"), want: []string{"k/n", "k/n~theirs"}},
	{name: "directory rename onto a rename destination of another type, mirrored", base: with(baseD, "q", "l:x"),
		ours: with(baseD, "q", "", "d/n", "n\n"), theirs: with(dToK, "q", "", "k/n", "l:x"), want: []string{"k/n", "k/n~ours"}},
	// Ours renames p to r; theirs makes p a symlink and renames g to r,
	// one destination of g's rename/rename(1to2): process_renames drops
	// the rename of p but gives r its base version, and r merges three
	// ways, conflicted (seed 1, case r1420). g sorts before p, s after.
	{name: "rename and type change onto a rename/rename(1to2) destination", base: with(base0, "g", textQ),
		ours: with(base0, "g", "", "g1", textQ, "p", "", "r", textP), theirs: with(base0, "g", "", "r", textQ+"t\n", "p", "l:x"), want: []string{"g", "g1", "r"}},
	{name: "rename and type change onto a later rename/rename(1to2) destination", base: with(base0, "s", textQ),
		ours: with(base0, "s", "", "s1", textQ, "p", "", "r", textP), theirs: with(base0, "s", "", "r", textQ+"t\n", "p", "l:x"), want: []string{"r", "s", "s1"}},
	{name: "rename and type change onto a rename/rename(1to2) destination, mirrored", base: with(base0, "g", textQ),
		ours: with(base0, "g", "", "r", textQ+"t\n", "p", "l:x"), theirs: with(base0, "g", "", "g1", textQ, "p", "", "r", textP1), want: []string{"g", "g1", "r"}},
	// The same onto a plain rename of theirs (rename/add).
	{name: "rename and type change onto a rename", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "q", "", "r", textQ, "p", "l:x"), want: []string{"r"}},
	// Ours renames q into d, which theirs renamed to k; theirs made q a
	// symlink: the symlink stays at q, and k/q2 is a modify/delete,
	// said only when ours changed q (path_conflict) (seed 11, r1014).
	{name: "rename and type change, moved by a directory rename", base: baseD, ours: with(baseD, "q", "", "d/q2", textQ),
		theirs: with(dToK, "q", "l:x"), want: []string{"k/q2"}},
	{name: "rename and type change, moved by a directory rename, changed", base: baseD, ours: with(baseD, "q", "", "d/q2", textQ+"o\n"),
		theirs: with(dToK, "q", "l:x"), want: []string{"k/q2"}},
	{name: "rename and type change, moved by a directory rename, mirrored", base: baseD, ours: with(dToK, "q", "l:x"),
		theirs: with(baseD, "q", "", "d/q2", textQ+"o\n"), want: []string{"k/q2"}},
	// get_provisional_directory_renames: s went half to k, half to m; the
	// merge is unclean with no conflicted file and s/n stays.
	{name: "directory rename split", base: with(base0, "s/x", textP, "s/y", textQ), ours: with(base0, "k/x", textP, "m/y", textQ),
		theirs: with(base0, "s/x", textP, "s/y", textQ, "s/n", "n\n")},
	// A symlink renamed on one side, made a gitlink on the other: a
	// normal rename to process_renames, distinct types at the new path.
	{name: "renamed symlink made a gitlink", base: with(base0, "s", "l:target"), ours: with(base0, "s2", "l:target"),
		theirs: with(base0, "s", sub1), want: []string{"s2~ours", "s2~theirs"}},
	// A rename onto a file theirs added, of a file theirs made a
	// symlink: the collision is dropped and r merges three ways.
	{name: "rename/add and type change, merging", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "p", "l:p", "r", textP6), renames: true},
	{name: "rename/add and type change, conflicting", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "p", "l:p", "r", textP1b), want: []string{"r"}},
	// Theirs' d/n moves to k/n, where ours renamed q: the rename
	// collides with it (rename/add) and k/n merges as add/add, labelled
	// with the paths the versions came from.
	{name: "directory rename onto a rename destination", base: baseD, ours: with(dToK, "q", "", "k/n", textQ),
		theirs: with(baseD, "d/n", "n\n"), want: []string{"k/n"}},
	{name: "directory rename onto a rename destination, source deleted", base: baseD, ours: with(dToK, "q", "", "k/n", textQ),
		theirs: with(baseD, "d/n", "n\n", "q", ""), want: []string{"k/n"}},
	// Theirs renames p into d, which ours renamed to k; ours added k/p2
	// there: the moved rename collides with it.
	{name: "rename moved by a directory rename onto an added file", base: baseD, ours: with(dToK, "k/p2", "ours\n"),
		theirs: with(baseD, "p", "", "d/p2", textP), want: []string{"k/p2"}},
	{name: "rename moved by a directory rename onto an added file, source deleted", base: baseD, ours: with(dToK, "k/p2", "ours\n", "p", ""),
		theirs: with(baseD, "p", "", "d/p2", textP), want: []string{"k/p2"}},
	// Theirs' d/s/x moves to k/s/x, a directory no tree has:
	// apply_directory_rename_modifications creates it.
	{name: "directory rename into a new directory", base: baseD, ours: dToK,
		theirs: with(baseD, "d/n", "n\n", "d/s/x", "x\n"), want: []string{"k/n", "k/s/x"}},
	// Theirs' d/n moves to k/n, a file of the base that theirs deleted
	// and ours kept: process_entry takes the moved file (match_mask),
	// conflicted with all three stages.
	{name: "directory rename onto a path the base has", base: with(baseD, "k/n", "old\n"), ours: with(dToK, "k/n", "old\n"),
		theirs: with(baseD, "d/n", "theirs\n"), want: []string{"k/n"}},
	{name: "directory rename onto a path the base has, mirrored", base: with(baseD, "k/n", "old\n"), ours: with(baseD, "d/n", "ours\n"),
		theirs: with(dToK, "k/n", "old\n"), want: []string{"k/n"}},
	// Ours changed k/n: the three versions merge, labelled with d/n
	// (theirs' d/n too unlike k/n to be its rename).
	{name: "directory rename onto a path the base has, contents merge", base: with(baseD, "k/n", lines("n", 3)),
		ours: with(dToK, "k/n", lines("n", 3)+"end\n"), theirs: with(baseD, "d/n", lines("top", 9)+lines("n", 3)), want: []string{"k/n"}},
	{name: "directory rename onto a path the base has, contents conflict", base: with(baseD, "k/n", "old\n"),
		ours: with(dToK, "k/n", "ours\n"), theirs: with(baseD, "d/n", "theirs\n"), want: []string{"k/n"}},
	// Ours' d/x moves to k/x, which ours renamed to r and theirs changed:
	// process_renames drops k/x, with the moved file in it, once it has
	// merged the rename; only the message is left of d/x (ManyBases
	// seed 9, case r10).
	{name: "directory rename onto the source of its own side's rename", base: with(baseD, "k/x", textQ, "k/y", "y\n"),
		ours: with(baseD, "k/y", "y\n", "r", textQ, "d/x", "new\n", "a", "8\n"), theirs: with(dToK, "k/x", textQ+"t\n", "k/y", "y\n", "a", "9\n"),
		want: []string{"a"}},
	{name: "directory rename onto the source of its own side's rename, mirrored", base: with(baseD, "k/x", textQ, "k/y", "y\n"),
		ours: with(dToK, "k/x", textQ+"t\n", "k/y", "y\n", "a", "8\n"), theirs: with(baseD, "k/y", "y\n", "r", textQ, "d/x", "new\n", "a", "9\n"),
		want: []string{"a"}},
	// Both sides deleted k/n: the moved d/n makes it a modify/delete.
	{name: "directory rename onto a path both sides deleted", base: with(baseD, "k/n", "old\n"), ours: dToK,
		theirs: with(baseD, "d/n", "theirs\n"), want: []string{"k/n"}},
	{name: "directory rename onto a path both sides deleted, mirrored", base: with(baseD, "k/n", "old\n"), ours: with(baseD, "d/n", "ours\n"),
		theirs: dToK, want: []string{"k/n"}},
	// Theirs' d/n moves to k/n, where ours has a directory: the
	// directory stays and the file moves on to k/n~theirs.
	{name: "directory rename onto a directory", base: baseD, ours: with(dToK, "k/n/x", "x\n"),
		theirs: with(baseD, "d/n", "n\n"), want: []string{"k/n~theirs"}},
	// Theirs renames the symlink s into a directory at s, which ours made
	// a regular file: process_renames leaves ours' file at s, where the
	// directory is in the way (moved to s~ours), and s/sub is a
	// modify/delete.
	{name: "rename and type change, a directory at the source", base: with(base0, "s", "l:x"), ours: with(base0, "s", "ours\n"),
		theirs: with(base0, "s/sub", "l:x"), want: []string{"s/sub", "s~ours"}},
	{name: "rename and type change, a directory at the source, mirrored", base: with(base0, "s", "l:x"),
		ours: with(base0, "s/sub", "l:x"), theirs: with(base0, "s", "theirs\n"), want: []string{"s/sub", "s~theirs"}},
	// Theirs renames q into d, which ours renamed to k; ours renamed q
	// to the same new path: collect_renames makes it a
	// rename/rename(1to1), conflicted as a moved file.
	{name: "rename/rename(1to1) made by a directory rename", base: baseD, ours: with(dToK, "q", "", "k/q2", textQ),
		theirs: with(baseD, "q", "", "d/q2", textQ), want: []string{"k/q2"}},
	{name: "rename/rename(1to1) made by a directory rename, contents conflict", base: baseD, ours: with(dToK, "q", "", "k/q2", "x\n"+textQ),
		theirs: with(baseD, "q", "", "d/q2", "y\n"+textQ), want: []string{"k/q2"}},
	{name: "rename/rename(1to1) made by a directory rename, mirrored", base: baseD, ours: with(baseD, "q", "", "d/q2", textQ+"o\n"),
		theirs: with(dToK, "q", "", "k/q2", textQ), want: []string{"k/q2"}},
	// Ours renames p to r, where theirs, which deleted p, has a
	// directory: the rename/delete's file moves to r~ours, a
	// modify/delete there when ours changed it.
	{name: "rename/delete onto a directory", ours: with(base0, "p", "", "r", textP),
		theirs: with(base0, "p", "", "r/x", "x\n"), want: []string{"r~ours"}},
	{name: "rename/delete onto a directory, changed", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "p", "", "r/x", "x\n"), want: []string{"r~ours"}},
	{name: "rename/delete onto a directory, mirrored", ours: with(base0, "p", "", "r/x", "x\n"),
		theirs: with(base0, "p", "", "r", textP1), want: []string{"r~theirs"}},
	// Ours renames p to r, where theirs, which changed p in a way that
	// conflicts, has a directory: the merged file moves to r~ours with
	// its three stages (ManyBases seed 9, case r69: binary).
	{name: "rename onto a directory with a content conflict", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "p", textP1b, "r/x", "x\n"), want: []string{"r~ours"}},
	{name: "rename onto a directory with a content conflict, mirrored", ours: with(base0, "p", textP1b, "r/x", "x\n"),
		theirs: with(base0, "p", "", "r", textP1), want: []string{"r~theirs"}},
	{name: "rename onto a directory with a binary conflict", base: with(base0, "p", "b\x00"+textP),
		ours: with(base0, "p", "", "r", "b\x00"+textP1), theirs: with(base0, "p", "b\x00"+textP1b, "r/x", "x\n"), want: []string{"r~ours"}},
	{name: "rename onto a directory with a binary conflict, mirrored", base: with(base0, "p", "b\x00"+textP),
		ours: with(base0, "p", "b\x00"+textP1b, "r/x", "x\n"), theirs: with(base0, "p", "", "r", "b\x00"+textP1), want: []string{"r~theirs"}},
	// The base's directory at r goes on both sides: the file stays at r.
	{name: "rename/delete onto a directory that goes", base: with(base0, "r/x", "x\n"), ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "p", ""), want: []string{"r"}},
	// rename/rename(1to2) of p to r/sub and to r: the directory ours
	// made at r stays, and theirs' r moves to r~theirs.
	{name: "rename/rename(1to2) onto a directory", ours: with(base0, "p", "", "r/sub", textP),
		theirs: with(base0, "p", "", "r", textP), want: []string{"p", "r/sub", "r~theirs"}},
	{name: "rename/rename(1to2) onto a directory, contents merge", ours: with(base0, "p", "", "r", textP1),
		theirs: with(base0, "p", "", "r/sub", textP6), want: []string{"p", "r/sub", "r~ours"}},
	// Ours renames q to d/q2, which theirs' d -> k moves to k/q2, where
	// theirs renamed g: each rename collides with the other's file, and
	// k/q2 merges as an add/add (ManyBases seed 10, case r10).
	{name: "rename moved by a directory rename onto a rename destination", base: with(baseD, "g", textG),
		ours: with(baseD, "g", textG+"o\n", "q", "", "d/q2", textQ), theirs: with(dToK, "g", "", "k/q2", textG, "q", "t\n"+textQ),
		want: []string{"k/q2"}},
	{name: "rename moved by a directory rename onto a rename destination, sources deleted", base: with(baseD, "g", textG),
		ours: with(baseD, "g", "", "q", "", "d/q2", textQ), theirs: with(dToK, "g", "", "q", "", "k/q2", textG), want: []string{"k/q2"}},
	{name: "rename moved by a directory rename onto a rename destination, mirrored", base: with(baseD, "g", textG),
		ours: with(dToK, "g", "", "k/q2", textG+"o\n"), theirs: with(baseD, "q", "", "d/q2", textQ), want: []string{"k/q2"}},
	// Theirs' d/n moves to k/n, where ours added a symlink: one entry of
	// distinct types, the regular file moved to k/n~theirs.
	{name: "directory rename onto a symlink the other side added", base: baseD, ours: with(dToK, "k/n", "l:x"),
		theirs: with(baseD, "d/n", "n\n"), want: []string{"k/n", "k/n~theirs"}},
	// Ours renames p to r, where theirs has a directory; theirs made p a
	// symlink: it stays at p, and r~ours is a modify/delete.
	{name: "rename onto a directory and type change", ours: with(base0, "p", "", "r", textP),
		theirs: with(base0, "p", "l:p", "r/x", "x\n"), want: []string{"r~ours"}},
	{name: "rename onto a directory and type change, mirrored", ours: with(base0, "p", "l:p", "r/x", "x\n"),
		theirs: with(base0, "p", "", "r", textP1), want: []string{"r~theirs"}},
	// Theirs renames p, which ours changed, and changes the directory g
	// that ours kept, replacing g/k by a directory: reading g for rename
	// targets triples the paths merge-ort knows, so it starts over
	// (redo_after_renames) and the second pass resolves g without
	// reading it: no "directory in the way of g/k" message.
	// (a conflicts so that git prints its messages.)
	{name: "rename, merge-ort restarts after renames", base: baseG, ours: with(baseG, "p", textP1, "a", "o\n"),
		theirs: with(baseG, "a", "t\n", "p", "", "r", textP6, "g/k", "", "g/k/sub", "sub\n", "g/f1", "1'\n", "g/f2", "2'\n"),
		want:   []string{"a"}},
}

// baseG has a directory g of many files.
var baseG = func() snapshot {
	s := with(base0, "g/k", "k\n")
	for i := 1; i <= 40; i++ {
		s[fmt.Sprintf("g/f%d", i)] = fmt.Sprintln(i)
	}
	return s
}()

func TestMergeRenameCases(t *testing.T) { runMergeCases(t, renameCases) }
