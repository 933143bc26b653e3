// Package gitstore does all of git-ci's git IO: it reads and writes objects
// with go-git, and moves refs (refs/heads/*, refs/notes/ci, refs/ci/runs/*,
// refs/ci/candidates/*), manages linked worktrees and reads git config through
// the git command, so that git's lock files protect every ref it touches.
package gitstore
