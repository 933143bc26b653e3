// Package linemerge is git's three-way line merge, ported from git's xdiff
// (git 2.39): histogram diff with its Myers fallback, xdl_change_compact, and
// xdl_merge at level XDL_MERGE_ZEALOUS in the "merge" conflict style, as
// ll-merge.c's ll_xdl_merge runs it for merge-ort. It is pure: it reads and
// writes byte slices only, touches no files, refs or processes, and assumes
// nothing about encoding (lines are bytes up to and including '\n').
package linemerge
