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
//     queue order, basename matches with the directory guess, similarity
//     at 50% with diffcore-delta's span hashes, merge-ort's content and
//     location relevant sources), then a rename with the other side's
//     edits merged into the new path, rename/delete, rename/add,
//     rename/rename(1to1), (1to2) and (2to1), a rename against a type
//     change, a file renamed into a directory at its old path or onto
//     a path where a directory stays (moved to PATH~BRANCH);
//   - directory renames (merge.directoryRenames=conflict): the majority
//     rule per removed directory, files added or renamed into a renamed
//     directory moved along and reported as CONFLICT (file location);
//   - two merge bases: the virtual base built as merge-ort builds it
//     (the older base as "Temporary merge branch 1"; for bases of the same
//     date both orders are tried and must agree).
//
// Where it is not (a rename choice that depends on an order git does not
// fix, a directory renamed to several places or onto existing paths, a
// rename/rename or rename/delete with a directory in the way, a merge that
// merge-ort restarts after rename detection, more than two merge bases),
// the result is conservative: never clean where git conflicts, and a
// clean tree is git's tree. See rename.go for those rules.
package merge
