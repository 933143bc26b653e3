package merge

import (
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// Content merges done ahead: while the merge walk goes last name first,
// another goroutine line-merges the files both sides changed (walkBoth
// notes them) first to last. Each merge is done once, by whichever comes to it
// first; the walk waits for one under way. Only the plain case is done
// ahead (three regular files, no rename plan): its labels are known.

// aheadKey names a line merge: the three versions and the options.
type aheadKey struct {
	b, o, t plumbing.Hash
	opt     lineOptions
}

// aheadMerge is one line merge, done or under way.
type aheadMerge struct {
	ready  chan struct{} // closed once the fields below are set
	ok     bool          // false: not merged (a blob binary or unreadable)
	r      lineResult
	exact  bool
	id     plumbing.Hash // the merged blob's
	stored bool          // the store holds it already
}

// aheadMerges holds the merges done ahead in one merge of trees.
type aheadMerges struct {
	todo [][3]plumbing.Hash // base, ours, theirs of the files walkBoth noted

	mu     sync.Mutex
	merges map[aheadKey]*aheadMerge
}

// claim returns the place of merge k, and whether the caller is the one
// to do it.
func (a *aheadMerges) claim(k aheadKey) (*aheadMerge, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if x := a.merges[k]; x != nil {
		delete(a.merges, k) // one taker: the walk merges each file once
		return x, false
	}
	x := &aheadMerge{ready: make(chan struct{})}
	if a.merges == nil {
		a.merges = map[aheadKey]*aheadMerge{}
	}
	a.merges[k] = x
	return x, true
}

// mergedAhead returns the line merge k when another goroutine did it,
// else nil.
func (m *merger) mergedAhead(k aheadKey) *aheadMerge {
	if m.ahead == nil {
		return nil
	}
	x, mine := m.ahead.claim(k)
	if mine {
		close(x.ready) // the walk merges it; the other goroutine skips it
		return nil
	}
	if <-x.ready; !x.ok {
		return nil
	}
	return x
}

// noteBothChanged records, while walkBoth runs, a file both sides
// changed from a common base: a content merge the walk will likely do.
func (m *merger) noteBothChanged(b, o, t *odb.TreeEntry) {
	b, o, t = fileOf(b), fileOf(o), fileOf(t)
	if m.ahead != nil && regular(b) && regular(o) && regular(t) && o.Hash != t.Hash && o.Hash != b.Hash && t.Hash != b.Hash {
		m.ahead.todo = append(m.ahead.todo, [3]plumbing.Hash{b.Hash, o.Hash, t.Hash})
	}
}

// mergeAhead starts the content merges walkBoth noted on another
// goroutine, in walkBoth's order: the merge walk meets them in the
// opposite one (last name first).
func (m *merger) mergeAhead() {
	if m.ahead == nil || m.plan != nil || m.pathOnly || len(m.ahead.todo) < 2 {
		return
	}
	opt := lineOptions{
		OursLabel: m.opt.Branch1, BaseLabel: m.opt.Ancestor, TheirsLabel: m.opt.Branch2,
		MarkerSize: 7 + 2*m.depth,
	}
	todo := m.ahead.todo
	go func() {
		for _, h := range todo {
			k := aheadKey{h[0], h[1], h[2], opt}
			if x, mine := m.ahead.claim(k); mine {
				m.mergeBlobsAhead(x, k)
				close(x.ready)
			}
		}
	}()
}

func regular(e *odb.TreeEntry) bool { return e != nil && fileType(e.Mode) == filemode.Regular }

// mergedAheadBlob writes the result of a line merge done ahead, unless
// the store holds it.
func (m *merger) mergedAheadBlob(p string, x *aheadMerge) (plumbing.Hash, bool, error) {
	if !x.stored {
		return m.mergedBlob(p, x.r, x.exact)
	}
	m.approx = m.approx || !x.exact
	m.message("Auto-merging", []string{p}, "Auto-merging %s", p)
	return x.id, x.r.Conflicts == 0, nil
}

// mergeBlobsAhead reads the three blobs of k, merges them and looks the
// result up in the store; x.ok stays false when a blob is binary or
// cannot be read (the walk then does it all).
func (m *merger) mergeBlobsAhead(x *aheadMerge, k aheadKey) {
	bufs := blobBufs.Get().(*blobRooms)
	defer blobBufs.Put(bufs)
	var blobs [3][]byte
	for i, h := range [3]plumbing.Hash{k.b, k.o, k.t} {
		var err error
		if blobs[i], err = bufs.read(m, "", i, h); err != nil || isBinary(blobs[i]) {
			return
		}
	}
	x.r, x.exact = lineMerge(blobs[0], blobs[1], blobs[2], k.opt)
	x.id = plumbing.ComputeHash(plumbing.BlobObject, x.r.Content)
	x.stored = m.s.HasEncodedObject(x.id) == nil
	x.ok = true
}
