package merge

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// Labels merge-ort gives the sides of the inner merges that build a
// virtual merge base, and the base of the final merge over it.
const (
	tempBranch1     = "Temporary merge branch 1"
	tempBranch2     = "Temporary merge branch 2"
	mergedAncestors = "merged common ancestors"
)

// mergeCommits is merge-ort's merge_ort_internal: it merges oc and tc over
// their merge bases, at recursion depth depth.
func mergeCommits(s storer.EncodedObjectStorer, oc, tc *commit, opt Options, depth int) (Result, error) {
	bases, err := oc.MergeBase(tc)
	if err != nil {
		return Result{}, fmt.Errorf("merge base of %s and %s: %w", oc.Hash, tc.Hash, err)
	}
	switch len(bases) {
	case 0:
		opt.Ancestor = "empty tree"
		return mergeTrees(s, plumbing.ZeroHash, oc.TreeHash, tc.TreeHash, opt, depth, false)
	case 1:
		opt.Ancestor = bases[0].Hash.String()[:7]
		return mergeTrees(s, bases[0].TreeHash, oc.TreeHash, tc.TreeHash, opt, depth, false)
	case 2:
		return virtualMerge(s, bases, oc, tc, opt, depth)
	}
	return manyBases(s, bases, oc, tc, opt, depth)
}

// virtualMerge merges over a virtual base: the merge of the two bases
// (conflicts and all, labelled "Temporary merge branch 1/2"). git takes
// the older base (by committer date) as branch 1; for bases of the same
// date the order depends on git's commit queue, so both orders are tried,
// and where they lead to different results the outcome is the
// conservative one.
func virtualMerge(s storer.EncodedObjectStorer, bases []*commit, oc, tc *commit, opt Options, depth int) (Result, error) {
	inner := Options{Branch1: tempBranch1, Branch2: tempBranch2, deferredGrew: opt.deferredGrew}
	opt.Ancestor = mergedAncestors
	orders := [][2]*commit{{bases[0], bases[1]}, {bases[1], bases[0]}}
	switch t0, t1 := bases[0].Committer.When, bases[1].Committer.When; {
	case t0.Unix() < t1.Unix():
		orders = orders[:1]
	case t1.Unix() < t0.Unix():
		orders = orders[1:]
	}
	var results []Result
	var virtual []plumbing.Hash
	for _, pair := range orders {
		v, err := mergeCommits(s, pair[0], pair[1], inner, depth+1)
		if err != nil {
			return Result{}, fmt.Errorf("merge bases %s and %s: %w", pair[0].Hash, pair[1].Hash, err)
		}
		if !v.Exact {
			r, err := crissCross(s, bases, oc.TreeHash, tc.TreeHash, opt, depth)
			r.inexact = "virtual base: " + v.inexact
			return r, err
		}
		if len(virtual) == 1 && virtual[0] == v.Tree {
			break
		}
		virtual = append(virtual, v.Tree)
		outer := opt
		outer.deferredGrew = opt.deferredGrew || v.deferredGrew
		r, err := mergeTrees(s, v.Tree, oc.TreeHash, tc.TreeHash, outer, depth, false)
		if err != nil {
			return Result{}, err
		}
		results = append(results, r)
	}
	if len(results) == 1 || sameResult(results[0], results[1]) {
		return results[0], nil
	}
	for _, r := range results {
		if !r.Clean() {
			r.Exact, r.inexact = false, "virtual base order"
			return r, nil
		}
	}
	r, err := differing(s, results[0].Tree, results[1].Tree)
	r.Exact, r.inexact = false, "virtual base order"
	return r, err
}

func sameResult(a, b Result) bool {
	if a.Tree != b.Tree || a.Exact != b.Exact || len(a.Conflicts) != len(b.Conflicts) {
		return false
	}
	for i := range a.Conflicts {
		if a.Conflicts[i] != b.Conflicts[i] {
			return false
		}
	}
	return true
}

// crissCross is the conservative fallback for several merge bases when the
// virtual base cannot be built exactly: it merges by path only (no content
// merges) over each base, and counts as clean only identical clean
// results. That is safe by path: where ours and theirs differ, identical
// clean results need both bases equal to the unchanged side, and then the
// virtual base holds that same content; where the bases differ, ours and
// theirs are equal, which leaves the rename rule's comparison of the
// sides unchanged.
func crissCross(s storer.EncodedObjectStorer, bases []*commit, ours, theirs plumbing.Hash, opt Options, depth int) (Result, error) {
	var first Result
	for i, b := range bases {
		r, err := mergeTrees(s, b.TreeHash, ours, theirs, opt, depth, true)
		if err != nil {
			return Result{}, fmt.Errorf("merge over base %s: %w", b.Hash, err)
		}
		r.Exact, r.inexact = false, "criss-cross"
		if !r.Clean() {
			return r, nil
		}
		if i == 0 {
			first = r
			continue
		}
		if r.Tree != first.Tree {
			return differing(s, first.Tree, r.Tree)
		}
	}
	return first, nil
}

// differing reports every path where the trees a and b differ as a
// "criss-cross" conflict, keeping a as the result tree.
func differing(s storer.EncodedObjectStorer, a, b plumbing.Hash) (Result, error) {
	m := &merger{s: s}
	var cs []Conflict
	_, err := m.diff("", rootEntry(a), rootEntry(b), func(p string, _, _ *odb.TreeEntry) bool {
		cs = append(cs, Conflict{Path: p, Reason: "criss-cross"})
		return false
	})
	if err != nil {
		return Result{}, err
	}
	if len(cs) == 0 {
		return Result{}, errors.New("merge results over the merge bases differ but no path differs")
	}
	return Result{Tree: a, Conflicts: sortConflicts(cs), inexact: "criss-cross"}, nil
}
