// Package runner performs what git-ci decides: it runs plans in linked
// worktrees (under GITDIR/ci/work/RUN), streams and keeps their logs, holds
// the per-target integration lock (GITDIR/ci/locks), and carries out the
// integrate flow: merge, test, promote by compare-and-swap, record.
package runner
