// Package merge computes three-way merges of commits and trees in the object
// store as git's merge-ort does (`git merge-tree --write-tree`, git 2.38+,
// default options); it reads objects and writes the merged blobs and trees
// through a storer, and touches no refs or files.
//
// What is git-exact (Result.Exact is true, and the random differential test
// checks verdict, tree, stages and messages against git):
//
//   - merges by path: one-sided and identical changes, modify/delete (the
//     modified version stays), delete/delete, add/add, file/directory (the
//     file moves to PATH~BRANCH), distinct types (symlink vs file vs
//     gitlink), exec-bit merges, symlinks and gitlinks changed on both
//     sides (conflicts, as merge-tree never has submodules checked out);
//   - content merges of regular files through merge/linemerge (git's
//     xdl_merge), binary files (git's NUL test) conflicting with ours kept,
//     BRANCH and BRANCH:PATH labels, longer markers in virtual bases and
//     rename/rename merges;
//   - renames: git's rename detection per side (exact renames in git's
//     queue order, including directories merge-ort defers and reads in
//     the order of its hashmap, basename matches with the directory
//     guess, similarity at 50% with diffcore-delta's span hashes,
//     merge-ort's content and location relevant sources), then a rename
//     with the other side's edits merged into the new path, rename/delete,
//     rename/add, rename/rename(1to1), (1to2) and (2to1) and their chains
//     (a 1to2 onto the other side's rename/add), a rename against a type
//     change (with or without a file added or renamed to the new path,
//     moved by a directory rename, or with a directory at the old path:
//     moved to PATH~BRANCH), a rename/rename(1to1) onto a directory only
//     the base has, a file of another type at a rename's new path
//     (distinct types), a file renamed into a directory at its old path
//     or onto a path where a directory stays (moved to PATH~BRANCH), also
//     as a rename/delete, against a type change or as one destination of
//     a rename/rename(1to2); the directory guess of basename matches, a
//     tie settled in the order of git's hashmap;
//   - directory renames (merge.directoryRenames=conflict): the majority
//     rule per removed directory, files added or renamed into a renamed
//     directory moved along and reported as CONFLICT (file location),
//     also as a rename/rename(1to2) destination or making a
//     rename/rename(1to1), onto a file or a rename destination the
//     other side has there (one add/add; distinct types), a renamed
//     file onto another file's rename destination, a rename back onto
//     its own source (which merge-ort then drops, or, as one half of a
//     rename/rename(1to2), leaves as a modify/delete), onto the source
//     of its own side's rename (dropped with it), onto a file of the
//     base that the other side kept (the moved file, conflicted) or
//     changed (three-way merge), onto a directory of the other side
//     (moved to PATH~BRANCH), into a directory no tree has, or below a
//     file (listed, in no tree, as merge-ort leaves it); the path-level
//     rules of handle_path_level_conflicts (a path in the way, several paths
//     onto one, a directory renamed to several places) that make a merge
//     unclean with no conflicted file (a Conflict without stages), and
//     the warning for a rename into a directory its own side renamed;
//   - merge bases: none (the empty tree), one, two (the virtual base built
//     as merge-ort builds it, the older base as "Temporary merge branch
//     1"; for bases of the same date both orders are tried and must
//     agree), three or more (folded oldest first into virtual commits,
//     as merge_ort_internal does; bases of equal dates stay conservative).
//
// Where it is not (a rename choice that depends on an order git does not
// fix or that is not modelled, such as equally good inexact candidates
// or more than 51 deferred directories; a directory rename of a file
// with a directory at its old path (git 2.39 writes a mode-0 entry
// there), onto a rename's source the other side deleted or retyped, or
// below a file merge-ort resolves early; a rename/rename(1to1) onto a directory that stays, or a
// rename/add/delete onto a directory; a merge that merge-ort restarts
// without possible renames; a virtual base that is itself not exact),
// the result is conservative: never clean where git conflicts, and a
// clean tree is git's tree. Result.Exact says which. See rename.go for
// those rules.
package merge
