package merge

import (
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// manyBases merges over three or more merge bases as merge_ort_internal
// does: the bases, oldest first, are folded into one virtual commit,
// each step merging the virtual commit so far (whose parents are the
// two commits it merged) with the next base over their own merge bases.
// When two bases have the same date their order in git's list depends
// on its commit queue, and the result is the conservative one.
func manyBases(s storer.EncodedObjectStorer, bases []*commit, oc, tc *commit, opt Options, depth int) (Result, error) {
	for i := range bases {
		for j := i + 1; j < len(bases); j++ {
			if bases[i].Committer.When.Unix() == bases[j].Committer.When.Unix() {
				r, err := crissCross(s, bases, oc.TreeHash, tc.TreeHash, opt, depth)
				r.inexact = "virtual base order"
				return r, err
			}
		}
	}
	inner := Options{Branch1: tempBranch1, Branch2: tempBranch2, deferredGrew: opt.deferredGrew}
	merged := bases[len(bases)-1] // get_merge_bases lists the newest first
	for i := len(bases) - 2; i >= 0; i-- {
		next := bases[i]
		v, err := mergeCommits(s, merged, next, inner, depth+1)
		if err != nil {
			return Result{}, fmt.Errorf("merge bases %s and %s: %w", merged.Hash, next.Hash, err)
		}
		if !v.Exact {
			r, err := crissCross(s, bases, oc.TreeHash, tc.TreeHash, opt, depth)
			r.inexact = "virtual base: " + v.inexact
			return r, err
		}
		merged = virtualCommit(s, v.Tree, merged, next)
		inner.deferredGrew = inner.deferredGrew || v.deferredGrew
	}
	opt.Ancestor, opt.deferredGrew = mergedAncestors, inner.deferredGrew
	return mergeTrees(s, merged.TreeHash, oc.TreeHash, tc.TreeHash, opt, depth, false)
}

// virtualCommit is make_virtual_commit: a commit of tree with parents
// prev and next, dated 0 (so git's date-ordered walks reach it last),
// held in memory only; its id is made up and names nothing in the store.
func virtualCommit(s storer.EncodedObjectStorer, tree plumbing.Hash, prev, next *commit) *commit {
	id := plumbing.ComputeHash(plumbing.BlobObject, []byte("git-ci virtual commit "+tree.String()+" "+prev.Hash.String()+" "+next.Hash.String()))
	c := &commit{s: s, Hash: id, TreeHash: tree, ParentHashes: []plumbing.Hash{prev.Hash, next.Hash}, virtual: []*commit{prev, next}}
	c.Committer.When = time.Unix(0, 0)
	return c
}
