// Package merge computes three-way merges of commits and trees in the object
// store, with git's verdict rules; it reads and writes objects through a
// storer and touches no refs or files.
//
// This version merges at path level: a path changed differently on both
// sides is a conflict, even where git's line merge would succeed. It is
// conservative by contract: it never reports a clean merge where
// `git merge-tree --write-tree` (merge-ort, default rename and
// directory-rename settings) reports a conflict, and when both are clean the
// merged tree ids are equal. See rename.go for how renames, which git detects
// and this package does not, are kept on the safe side.
package merge
