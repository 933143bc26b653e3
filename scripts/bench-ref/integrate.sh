#!/bin/sh
# The git-command equivalent of `git ci integrate BRANCH` with a one-step
# pipeline `true`: what scripts/bench integrate compares git-ci against.
set -e
b=$1 into=${2:-main}
old=$(git rev-parse "refs/heads/$into")
tip=$(git rev-parse "refs/heads/$b")
if git merge-base --is-ancestor "$tip" "$old"; then exit 0; fi
tree=$(git merge-tree --write-tree "$old" "$tip")
cand=$(git commit-tree -p "$old" -p "$tip" -m "Integrate $b into $into" "$tree")
id=$(date +%s%N)
git update-ref "refs/ci/candidates/$id" "$cand" ""
wt="$(git rev-parse --git-common-dir)/ci/ref-work/$id"
git worktree add --detach --quiet "$wt" "$cand"
(cd "$wt" && true)
git worktree remove --force "$wt"
git update-ref -m integrate "refs/heads/$into" "$cand" "$old"
git notes --ref=ci add -m "{\"run\":\"$id\",\"status\":\"passed\"}" "$cand"
git update-ref -d "refs/ci/candidates/$id" "$cand"
