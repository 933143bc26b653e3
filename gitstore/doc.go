// Package gitstore does all of git-ci's git IO: it reads and writes objects
// with its own object database (odb), reads refs, moves its own refs
// (refs/notes/ci, refs/ci/runs/*, refs/ci/candidates/*) with git's lock
// files as git's files backend does and every other ref with git
// update-ref, manages linked worktrees, and reads git config in process
// where it can, through the git command where it cannot.
package gitstore
