package gitstore

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// How a notes tree is laid out, as git's notes.c decides it: the trie is
// walked in order, and at each even level n (one byte of the id) with
// n <= 2*fanout, a node whose 16 children are all internal nodes or
// unread directories gets one more level of fanout; a note's path puts a
// "/" after each of the first fanout bytes of its object's id. Directories
// not read and still at a fanout level are written back as they were.

// A directory not read yet at a level n < 2*fanout is written back as it
// is; one at n >= 2*fanout is read and its notes laid out again.

// walkFlags are git's FOR_EACH_NOTE_* flags.
type walkFlags int

const (
	keepSubtrees  walkFlags = 1 << iota // FOR_EACH_NOTE_DONT_UNPACK_SUBTREES
	yieldSubtrees                       // FOR_EACH_NOTE_YIELD_SUBTREES
	noPaths                             // fn gets "" for the path: the caller needs none
)

// noteFunc gets each note (or, with yieldSubtrees, each unread directory,
// path ending in "/") with its path in the tree git would write.
type noteFunc func(leaf *trieEntry, path string) error

// fanout is git's determine_fanout for node at level n.
func fanout(node *trieEntry, n, fan int) int {
	if n%2 != 0 || n > 2*fan {
		return fan
	}
	for _, p := range node.kids {
		if p == nil || p.kind == trieNote {
			return fan
		}
	}
	return fan + 1
}

// pathWithFanout is git's construct_path_with_fanout.
func pathWithFanout(key plumbing.Hash, fan int) string {
	return pathPrefix(key, fan, 40+fan)
}

// pathPrefix is the first n bytes of pathWithFanout(key, fan), built in
// one allocation: a note's write asks for every entry of the
// directories on its path (512 at 100,000 notes).
func pathPrefix(key plumbing.Hash, fan, n int) string {
	const digits = "0123456789abcdef"
	var b [40 + 20]byte
	i := 0
	for k, c := range key {
		b[i], b[i+1] = digits[c>>4], digits[c&0xf]
		i += 2
		if k < fan {
			b[i] = '/'
			i++
		}
		if i >= n {
			break
		}
	}
	return string(b[:n])
}

// walk calls fn for each note in object order (for_each_note_helper).
// Without keepSubtrees it reads the whole tree.
func (t *notesTrie) walk(node *trieEntry, n, fan int, flags walkFlags, fn noteFunc) error {
	fan = fanout(node, n, fan)
	for i := 0; i < 16; i++ {
		p := node.kids[i]
		if p == nil {
			continue
		}
		var err error
		switch p.kind {
		case trieInternal:
			err = t.walk(p, n+1, fan, flags, fn)
		case trieNote:
			path := ""
			if flags&noPaths == 0 {
				path = pathWithFanout(p.key, fan)
			}
			err = fn(p, path)
		case trieSubtree:
			if n < 2*fan && flags&yieldSubtrees != 0 {
				path := pathPrefix(p.key, fan, 2*p.plen+fan)
				if path[len(path)-1] != '/' {
					path += "/"
				}
				err = fn(p, path)
			}
			if err == nil && (n >= 2*fan || flags&keepSubtrees == 0) {
				node.kids[i] = nil
				if err := t.load(p, node, n); err != nil {
					return err
				}
				i-- // look at this slot again
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// treeStack is the chain of directories being written, root first
// (git's tree_write_stack).
type treeStack struct {
	entries []odb.TreeEntry
	next    *treeStack
	name    string // the directory open in next, "" when none
}

// write writes the notes tree and returns its id (write_notes_tree).
func (t *notesTrie) write() (plumbing.Hash, error) {
	root := &treeStack{}
	t.written = 0
	err := t.walk(t.root, 0, 0, keepSubtrees|yieldSubtrees, func(p *trieEntry, path string) error {
		mode := filemode.Regular
		if path[len(path)-1] == '/' {
			path, mode = path[:len(path)-1], filemode.Dir
		}
		if err := t.writeNonNotes(root, path); err != nil {
			return err
		}
		if p.pending {
			if _, err := t.r.WriteBlob(p.content); err != nil {
				return err
			}
			p.pending, p.content = false, nil
		}
		return t.writeEntry(root, path, mode, p.val)
	})
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := t.writeNonNotes(root, ""); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := t.finishDir(root); err != nil {
		return plumbing.ZeroHash, err
	}
	return t.r.writeRawTree(root.entries)
}

// writeNonNotes writes the non-notes that sort before path (all when path
// is ""), skipping one at path itself: a note wins (write_each_non_note_until).
func (t *notesTrie) writeNonNotes(root *treeStack, path string) error {
	for ; t.written < len(t.nonNotes); t.written++ {
		nn := t.nonNotes[t.written]
		if path != "" && nn.path > path {
			break
		}
		if nn.path != path {
			if err := t.writeEntry(root, nn.path, nn.mode, nn.hash); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeEntry adds the entry at path, closing the directories it is not
// in and opening the ones it is in (write_each_note_helper).
func (t *notesTrie) writeEntry(s *treeStack, path string, mode filemode.FileMode, h plumbing.Hash) error {
	n := 0
	for 3*n+2 < len(path) && s.name != "" && path[3*n:3*n+2] == s.name && path[3*n+2] == '/' {
		n++
		s = s.next
	}
	if err := t.finishDir(s); err != nil {
		return err
	}
	for 3*n+2 < len(path) && path[3*n+2] == '/' {
		s.name, s.next = path[3*n:3*n+2], &treeStack{}
		n++
		s = s.next
	}
	s.entries = append(s.entries, odb.TreeEntry{Name: path[3*n:], Mode: mode, Hash: h})
	return nil
}

// finishDir writes the directories open below s and enters the top one in s.
func (t *notesTrie) finishDir(s *treeStack) error {
	if s.next == nil {
		return nil
	}
	if err := t.finishDir(s.next); err != nil {
		return err
	}
	h, err := t.r.writeRawTree(s.next.entries)
	if err != nil {
		return err
	}
	s.entries = append(s.entries, odb.TreeEntry{Name: s.name, Mode: filemode.Dir, Hash: h})
	s.next, s.name = nil, ""
	return nil
}
