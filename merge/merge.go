package merge

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Store is what merge needs from the object database: go-git's
// storer.EncodedObjectStorer, which a repository's Storer satisfies.
type Store interface {
	storer.EncodedObjectStorer
}

// Options names the sides of a merge, as git's merge-ort does: the names
// label conflict markers and messages. `git merge-tree OURS THEIRS` uses
// the arguments as given.
type Options struct {
	// Branch1 and Branch2 name ours and theirs; empty means "ours" and
	// "theirs" for Trees and the commit ids for Commits.
	Branch1, Branch2 string
	// Ancestor names the base; empty means "base" for Trees and, for
	// Commits, what merge-ort uses ("empty tree", the base's abbreviated
	// id, or "merged common ancestors").
	Ancestor string
	// deferredGrew says a merge of merge bases before this one deferred
	// enough directories to grow merge-ort's map of them (deferorder.go).
	deferredGrew bool
}

// Result is the outcome of a merge.
type Result struct {
	// Tree is the merged tree, written to the store. It is written also when
	// the merge conflicts, as merge-ort writes it: text conflicts carry
	// markers, modify/delete keeps the modified version, a file in the way
	// of a directory moves to PATH~BRANCH.
	Tree plumbing.Hash
	// Conflicts lists the conflicted paths, sorted by path, one entry per
	// path; empty means the merge is clean.
	Conflicts []Conflict
	// Messages are merge-ort's informational messages ("Auto-merging X",
	// "CONFLICT (content): Merge conflict in X", ...), sorted by path, in
	// the order git prints them.
	Messages []Message
	// Exact reports that the result is git's by construction: no rename
	// could apply (no side both added and deleted files), no conservative
	// fallback was used. When false, the verdict is still never clean
	// where git conflicts, and a clean tree is git's tree.
	Exact bool
	// inexact names what kept the result from being exact.
	inexact string
	// deferredGrew is Options.deferredGrew for the merges after this one.
	deferredGrew bool
}

// Conflict is one conflicted path.
type Conflict struct {
	// Path is slash-separated and relative to the root of the tree.
	Path string
	// Reason names the rule: "content", "add/add", "submodule",
	// "modify/delete", "file/directory", "distinct types", or one of the
	// conservative ones: "rename", "directory rename", "criss-cross".
	Reason string
	// Stages are the versions at Path in base (1), ours (2) and theirs (3),
	// as `git merge-tree` lists them; a zero Mode means absent. All are
	// absent for a conflict git reports by a message only (reason
	// "implicit dir rename": a directory rename it refused to apply
	// makes the merge unclean although every file merged).
	Stages [3]Stage
	// messageOnly marks such a conflict.
	messageOnly bool
	// unlessDir marks a conflict that does not stand where the merged
	// tree has a directory at Path.
	unlessDir bool
}

// Stage is one version of a conflicted path.
type Stage struct {
	Mode filemode.FileMode
	Hash plumbing.Hash
}

// Message is one informational message about Path (empty for the
// advice git prints after all others); Text may span several lines and
// has no final newline. Kind is git's stable short type of it
// ("Auto-merging", "CONFLICT (contents)", ...; empty for the advice),
// Paths the paths it is about, Path first: what `git merge-tree -z`
// prints before each message.
type Message struct {
	Path, Text string
	Kind       string
	Paths      []string
}

// Clean reports whether the merge has no conflicts.
func (r Result) Clean() bool { return len(r.Conflicts) == 0 }

// Trees merges the trees ours and theirs against base and writes the merged
// tree to s. Any of the three may be plumbing.ZeroHash, meaning the empty
// tree. Errors name the object that could not be read or written.
func Trees(s storer.EncodedObjectStorer, base, ours, theirs plumbing.Hash) (Result, error) {
	return TreesWith(s, base, ours, theirs, Options{})
}

// TreesWith is Trees with the sides named by opt.
func TreesWith(s storer.EncodedObjectStorer, base, ours, theirs plumbing.Hash, opt Options) (Result, error) {
	opt = opt.withDefaults("ours", "theirs", "base")
	return mergeTrees(withCache(s), base, ours, theirs, opt, 0, false)
}

func (o Options) withDefaults(b1, b2, anc string) Options {
	if o.Branch1 == "" {
		o.Branch1 = b1
	}
	if o.Branch2 == "" {
		o.Branch2 = b2
	}
	if o.Ancestor == "" {
		o.Ancestor = anc
	}
	return o
}

// mergeTrees runs one merge at the given recursion depth (0: the final
// merge; deeper: building a virtual merge base). pathOnly turns every
// change on both sides of a file into a conflict.
func mergeTrees(s storer.EncodedObjectStorer, base, ours, theirs plumbing.Hash, opt Options, depth int, pathOnly bool) (Result, error) {
	m := &merger{s: s, opt: opt, depth: depth, pathOnly: pathOnly, trees: [3]plumbing.Hash{base, ours, theirs}}
	if c, ok := s.(*cachedStore); ok && c.parallel {
		m.ahead = &aheadMerges{}
	}
	var err error
	if !pathOnly {
		if m.plan, m.exactRenames, err = m.planRenames(); err != nil {
			return Result{}, err
		}
		m.mergeAhead()
	}
	root, err := m.mergeDir("", rootEntry(base), rootEntry(ours), rootEntry(theirs), vanished{})
	if err != nil {
		return Result{}, err
	}
	return m.finish(root)
}

// Commits merges the commits ours and theirs over their merge bases, as
// merge-ort does: without a common ancestor over the empty tree, with
// several (a criss-cross history) over a virtual base made by merging the
// bases. The sides are labelled by their ids.
func Commits(s storer.EncodedObjectStorer, ours, theirs plumbing.Hash) (Result, error) {
	return CommitsWith(s, ours, theirs, Options{})
}

// CommitsWith is Commits with the sides named by opt (Ancestor is
// ignored: merge-ort names the base itself).
func CommitsWith(s storer.EncodedObjectStorer, ours, theirs plumbing.Hash, opt Options) (Result, error) {
	oc, err := getCommit(s, ours)
	if err != nil {
		return Result{}, fmt.Errorf("read commit %s: %w", ours, err)
	}
	tc, err := getCommit(s, theirs)
	if err != nil {
		return Result{}, fmt.Errorf("read commit %s: %w", theirs, err)
	}
	opt = opt.withDefaults(ours.String(), theirs.String(), "")
	return mergeCommits(withCache(s), oc, tc, opt, 0)
}

// CommitsOver merges the commits ours and theirs over the given base
// commit, as `git merge-tree --merge-base` does; the base is labelled by
// opt.Ancestor.
func CommitsOver(s storer.EncodedObjectStorer, base, ours, theirs plumbing.Hash, opt Options) (Result, error) {
	var trees [3]plumbing.Hash
	for i, h := range []plumbing.Hash{base, ours, theirs} {
		c, err := getCommit(s, h)
		if err != nil {
			return Result{}, fmt.Errorf("read commit %s: %w", h, err)
		}
		trees[i] = c.TreeHash
	}
	opt = opt.withDefaults(ours.String(), theirs.String(), base.String())
	return mergeTrees(withCache(s), trees[0], trees[1], trees[2], opt, 0, false)
}
