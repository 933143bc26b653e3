package merge

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Store is what merge needs from the object database: go-git's
// storer.EncodedObjectStorer, which a repository's Storer satisfies.
type Store interface {
	storer.EncodedObjectStorer
}

// Result is the outcome of a merge.
type Result struct {
	// Tree is the merged tree, written to the store. It is written also when
	// the merge conflicts; conflicted paths then keep the "ours" content.
	Tree plumbing.Hash
	// Conflicts lists the conflicted paths, sorted by path, one entry per
	// path; empty means the merge is clean.
	Conflicts []Conflict
}

// Conflict is one conflicted path.
type Conflict struct {
	// Path is slash-separated and relative to the root of the tree.
	Path string
	// Reason names the rule: "content", "mode", "modify/delete", "add/add",
	// "file/directory", "rename", "directory rename" or "criss-cross".
	Reason string
}

// Clean reports whether the merge has no conflicts.
func (r Result) Clean() bool { return len(r.Conflicts) == 0 }

// Trees merges the trees ours and theirs against base and writes the merged
// tree to s. Any of the three may be plumbing.ZeroHash, meaning the empty
// tree. Errors name the object that could not be read or written.
func Trees(s storer.EncodedObjectStorer, base, ours, theirs plumbing.Hash) (Result, error) {
	m := &merger{s: s}
	root, err := m.mergeName("", rootEntry(base), rootEntry(ours), rootEntry(theirs), vanished{})
	if err != nil {
		return Result{}, err
	}
	if err := m.checkRenames(); err != nil {
		return Result{}, err
	}
	tree := emptyTree
	if root != nil {
		tree = root.Hash
	} else if tree, err = m.writeTree("", nil); err != nil {
		return Result{}, err
	}
	return Result{Tree: tree, Conflicts: sortConflicts(m.conflicts)}, nil
}

// Commits merges the commits ours and theirs over their merge bases, found
// with go-git's Commit.MergeBase. Without a common ancestor the base is the
// empty tree. With several bases (a criss-cross history) it merges over each
// base: any conflict is returned as such, and results that differ are
// reported as "criss-cross" conflicts at the paths where they differ.
func Commits(s storer.EncodedObjectStorer, ours, theirs plumbing.Hash) (Result, error) {
	oc, err := object.GetCommit(s, ours)
	if err != nil {
		return Result{}, fmt.Errorf("read commit %s: %w", ours, err)
	}
	tc, err := object.GetCommit(s, theirs)
	if err != nil {
		return Result{}, fmt.Errorf("read commit %s: %w", theirs, err)
	}
	bases, err := oc.MergeBase(tc)
	if err != nil {
		return Result{}, fmt.Errorf("merge base of %s and %s: %w", ours, theirs, err)
	}
	switch len(bases) {
	case 0:
		return Trees(s, plumbing.ZeroHash, oc.TreeHash, tc.TreeHash)
	case 1:
		return Trees(s, bases[0].TreeHash, oc.TreeHash, tc.TreeHash)
	}
	return crissCross(s, bases, oc.TreeHash, tc.TreeHash)
}

// crissCross merges over each of several bases. Git merges the bases into a
// virtual one; until that is implemented, only identical clean results over
// every base count as clean. That is safe by path: where ours and theirs
// differ, identical clean results need both bases equal to the unchanged
// side, and then the virtual base holds that same content; where the bases
// differ, ours and theirs are equal, which leaves the rename rule's
// comparison of the sides unchanged.
func crissCross(s storer.EncodedObjectStorer, bases []*object.Commit, ours, theirs plumbing.Hash) (Result, error) {
	var first Result
	for i, b := range bases {
		r, err := Trees(s, b.TreeHash, ours, theirs)
		if err != nil {
			return Result{}, fmt.Errorf("merge over base %s: %w", b.Hash, err)
		}
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
	_, err := m.diff("", rootEntry(a), rootEntry(b), func(p string, _, _ *object.TreeEntry) bool {
		cs = append(cs, Conflict{Path: p, Reason: "criss-cross"})
		return false
	})
	if err != nil {
		return Result{}, err
	}
	if len(cs) == 0 {
		return Result{}, errors.New("merge results over the merge bases differ but no path differs")
	}
	return Result{Tree: a, Conflicts: sortConflicts(cs)}, nil
}
