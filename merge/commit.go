package merge

import (
	"container/heap"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// commit is what a merge reads of a commit: its tree, its parents, and
// its committer date, by which git orders the search for merge bases.
type commit struct {
	s            storer.EncodedObjectStorer
	Hash         plumbing.Hash
	TreeHash     plumbing.Hash
	ParentHashes []plumbing.Hash
	Committer    odb.Signature
	// virtual holds the parents of a virtual commit (a merged merge
	// base), which the store does not have.
	virtual []*commit
}

func getCommit(s storer.EncodedObjectStorer, h plumbing.Hash) (*commit, error) {
	obj, err := s.EncodedObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	b, err := content(obj)
	if err != nil {
		return nil, err
	}
	c, err := odb.ParseCommit(b)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	return &commit{s: s, Hash: h, TreeHash: c.Tree, ParentHashes: c.Parents, Committer: c.Committer}, nil
}

// addVirtual records c's virtual ancestors (and c, if virtual) in vs.
func (c *commit) addVirtual(vs map[plumbing.Hash]*commit) {
	if c.virtual == nil {
		return
	}
	vs[c.Hash] = c
	for _, p := range c.virtual {
		p.addVirtual(vs)
	}
}

// Flags of git's paint_down_to_common (commit-reach.c).
const (
	parent1 = 1 << iota
	parent2
	stale
	result
)

// MergeBase returns the merge bases of c and other as `git merge-base
// --all` finds them: git's paint_down_to_common walks both histories
// newest first, marking what each side reaches, and a commit both reach
// is a candidate whose ancestors stop counting; candidates that are
// ancestors of other candidates are then dropped. Newest first.
func (c *commit) MergeBase(other *commit) ([]*commit, error) {
	if c.Hash == other.Hash {
		return []*commit{c}, nil
	}
	w := &walker{s: c.s, nodes: map[plumbing.Hash]*node{}, virtual: map[plumbing.Hash]*commit{}}
	c.addVirtual(w.virtual)
	other.addVirtual(w.virtual)
	found, err := w.paint(c, other)
	if err != nil || len(found) < 2 {
		return found, err
	}
	var bases []*commit
	for i, x := range found {
		redundant := false
		for j, y := range found {
			if i != j && !redundant {
				if redundant, err = isAncestor(c.s, x, y); err != nil {
					return nil, err
				}
			}
		}
		if !redundant {
			bases = append(bases, x)
		}
	}
	return bases, nil
}

type node struct {
	c     *commit
	flags int
}

type walker struct {
	s     storer.EncodedObjectStorer
	nodes map[plumbing.Hash]*node
	// virtual holds the virtual commits the walk may reach.
	virtual map[plumbing.Hash]*commit
	queue   byDate
	seq     int
}

func (w *walker) node(h plumbing.Hash) (*node, error) {
	if n, ok := w.nodes[h]; ok {
		return n, nil
	}
	if c := w.virtual[h]; c != nil {
		n := &node{c: c}
		w.nodes[h] = n
		return n, nil
	}
	c, err := getCommit(w.s, h)
	if err != nil {
		return nil, err
	}
	n := &node{c: c}
	w.nodes[h] = n
	return n, nil
}

func (w *walker) push(n *node) {
	w.seq++
	heap.Push(&w.queue, queued{n, w.seq})
}

// paint is paint_down_to_common for one commit on each side; it returns
// the commits both reach first, newest first.
func (w *walker) paint(one, two *commit) ([]*commit, error) {
	a := &node{c: one, flags: parent1}
	b := &node{c: two, flags: parent2}
	w.nodes[one.Hash], w.nodes[two.Hash] = a, b
	w.push(a)
	w.push(b)
	var found []*commit
	for w.queue.nonStale() {
		n := heap.Pop(&w.queue).(queued).n
		flags := n.flags & (parent1 | parent2 | stale)
		if flags == parent1|parent2 {
			if n.flags&result == 0 {
				n.flags |= result
				found = insertByDate(found, n.c)
			}
			flags |= stale
		}
		for _, ph := range n.c.ParentHashes {
			p, err := w.node(ph)
			if err != nil {
				return nil, err
			}
			if p.flags&flags == flags {
				continue
			}
			p.flags |= flags
			w.push(p)
		}
	}
	return found, nil
}

// insertByDate is commit_list_insert_by_date: after those of the same date.
func insertByDate(list []*commit, c *commit) []*commit {
	i := 0
	for i < len(list) && list[i].Committer.When.Unix() >= c.Committer.When.Unix() {
		i++
	}
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = c
	return list
}

// isAncestor reports whether a is an ancestor of b, walking b's history no
// further back than a's date where dates allow (they may be skewed, so
// the walk goes on through older commits only until the queue is empty).
func isAncestor(s storer.EncodedObjectStorer, a, b *commit) (bool, error) {
	seen := map[plumbing.Hash]bool{b.Hash: true}
	todo := []*commit{b}
	for len(todo) > 0 {
		c := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, ph := range c.ParentHashes {
			if ph == a.Hash {
				return true, nil
			}
			if seen[ph] {
				continue
			}
			seen[ph] = true
			p, err := getCommit(s, ph)
			if err != nil {
				return false, err
			}
			todo = append(todo, p)
		}
	}
	return false, nil
}

// queued is a commit in git's prio_queue: newest first, then in the order
// it was queued.
type queued struct {
	n   *node
	seq int
}

type byDate []queued

func (q byDate) Len() int { return len(q) }
func (q byDate) Less(i, j int) bool {
	di, dj := q[i].n.c.Committer.When.Unix(), q[j].n.c.Committer.When.Unix()
	if di != dj {
		return di > dj
	}
	return q[i].seq < q[j].seq
}
func (q byDate) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *byDate) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *byDate) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// nonStale is queue_has_nonstale: some queued commit is not yet stale.
func (q byDate) nonStale() bool {
	for _, x := range q {
		if x.n.flags&stale == 0 {
			return true
		}
	}
	return false
}

// Bases returns the merge bases of commits a and b, as `git merge-base
// --all a b` does, newest first; none for unrelated histories.
func Bases(s storer.EncodedObjectStorer, a, b plumbing.Hash) ([]plumbing.Hash, error) {
	ca, err := getCommit(s, a)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", a, err)
	}
	cb, err := getCommit(s, b)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", b, err)
	}
	bases, err := ca.MergeBase(cb)
	hs := make([]plumbing.Hash, len(bases))
	for i, c := range bases {
		hs[i] = c.Hash
	}
	return hs, err
}
