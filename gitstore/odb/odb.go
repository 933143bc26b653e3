// Package odb reads git objects by id, loose or packed, as git itself
// does: a pack's index is searched where it lies, mapped into memory and
// never loaded or indexed whole, so reading a few objects out of a pack of
// a million costs a binary search and the inflation of each delta chain.
// (go-git decodes every pack index in full on its first read: tens of
// milliseconds at 100,000 notes, more than git's whole `git notes show`.)
//
// It writes loose objects as git does (write.go); packs are git's to write.
package odb

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// Object types are go-git's plumbing.ObjectType, whose numbers are git's
// pack format's.
const (
	ofsDelta = plumbing.OFSDeltaObject
	refDelta = plumbing.REFDeltaObject
)

// ErrNotFound means no object store of the DB holds the object.
var ErrNotFound = errors.New("object not found")

// DB is a repository's object store: its objects directory and the
// alternates it names. It is safe for concurrent use.
type DB struct {
	dirs []string // objects directories: the repository's, then alternates

	mu    sync.Mutex
	packs []*pack
	// unmapping is held to unmap a pack; Read holds it shared, without
	// mu, while it inflates an object of a pack.
	unmapping sync.RWMutex
	seen      map[string]bool // pack index files already opened
	bases     baseCache
}

// Open opens the object store in objectsDir (a repository's .git/objects).
// Packs are found on first use.
func Open(objectsDir string) *DB {
	db := &DB{seen: map[string]bool{}}
	db.dirs = alternates(objectsDir, map[string]bool{}, 0)
	return db
}

// alternates is dir and, depth first, the object directories its
// info/alternates names (relative ones from dir), as git reads them.
func alternates(dir string, visited map[string]bool, depth int) []string {
	dir = filepath.Clean(dir)
	if visited[dir] || depth > 5 {
		return nil
	}
	visited[dir] = true
	dirs := []string{dir}
	b, _ := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		dirs = append(dirs, alternates(line, visited, depth+1)...)
	}
	return dirs
}

// Close releases the mapped pack files.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.unmapping.Lock()
	defer db.unmapping.Unlock()
	var first error
	for _, p := range db.packs {
		if err := p.close(); err != nil && first == nil {
			first = err
		}
	}
	db.packs, db.seen = nil, map[string]bool{}
	db.bases = baseCache{}
	return first
}

// Read returns the type and content of object id; ErrNotFound (wrapped,
// naming the id) when no store holds it. The content is the caller's own.
func (db *DB) Read(id plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	return db.read(id, nil)
}

// ReadInto is Read, but inflates a whole object of a pack into scratch
// when it has room for it: a caller done with an object's content uses
// the memory again.
func (db *DB) ReadInto(id plumbing.Hash, scratch []byte) (plumbing.ObjectType, []byte, error) {
	return db.read(id, scratch)
}

// read is ReadInto.
func (db *DB) read(id plumbing.Hash, scratch []byte) (plumbing.ObjectType, []byte, error) {
	db.mu.Lock()
	typ, b, p, e, err := db.readLocked(id)
	if p == nil {
		db.mu.Unlock()
		return typ, b, err
	}
	// A whole object needs nothing shared to inflate: outside db.mu,
	// goroutines inflate side by side (unmapping waits for them).
	db.unmapping.RLock()
	db.mu.Unlock()
	defer db.unmapping.RUnlock()
	b, err = p.inflate(e, scratch)
	runtime.KeepAlive(p) // its cleanup unmaps
	return e.typ, b, err
}

// readLocked is Read under db.mu, but for a whole object of a pack (no
// delta, not cached), which it leaves to inflate: then p is its pack and
// e its entry.
func (db *DB) readLocked(id plumbing.Hash) (typ plumbing.ObjectType, b []byte, p *pack, e entry, err error) {
	// git's order: packs, loose objects, then packs again after looking for
	// new ones (a concurrent repack may have moved the object).
	for rescan := false; ; rescan = true {
		if err := db.scanPacks(rescan); err != nil {
			return 0, nil, nil, entry{}, err
		}
		for i := 0; i < len(db.packs); i++ {
			p := db.packs[i]
			off, ok := p.find(id)
			if !ok {
				continue
			}
			if e, ok := db.wholeAt(p, off); ok {
				return 0, nil, p, e, nil
			}
			typ, b, err := db.readPacked(p, off)
			if errors.Is(err, fs.ErrNotExist) {
				// A repack removed the pack between finding its index and
				// reading it: the object is elsewhere now.
				db.drop(p)
				i--
				continue
			}
			return typ, b, nil, entry{}, err
		}
		if !rescan {
			typ, b, err := db.readLoose(id)
			if !errors.Is(err, ErrNotFound) {
				return typ, b, nil, entry{}, err
			}
		} else {
			return 0, nil, nil, entry{}, fmt.Errorf("%s: %w", id, ErrNotFound)
		}
	}
}

// drop forgets a pack whose file is gone.
func (db *DB) drop(p *pack) {
	for i, q := range db.packs {
		if q == p {
			db.packs = append(db.packs[:i], db.packs[i+1:]...)
			break
		}
	}
	delete(db.seen, p.idxPath)
	db.bases = baseCache{}
	db.unmapping.Lock()
	p.close()
	db.unmapping.Unlock()
}

// Has reports whether some store holds object id.
func (db *DB) Has(id plumbing.Hash) bool {
	return db.has(id, true)
}

// has is Has; mayRescan false skips the rescan of the pack directory on a
// miss. Loose objects are looked for without db.mu: a stat costs more
// than the reads it would hold up.
func (db *DB) has(id plumbing.Hash, mayRescan bool) bool {
	if db.inPacks(id, false) {
		return true
	}
	for _, d := range db.dirs {
		if looseExists(d, id) {
			return true
		}
	}
	return mayRescan && db.inPacks(id, true)
}

// inPacks reports whether a pack holds id, looking for new packs first
// when rescan is set.
func (db *DB) inPacks(id plumbing.Hash, rescan bool) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.scanPacks(rescan) != nil {
		return false
	}
	for _, p := range db.packs {
		if _, ok := p.find(id); ok {
			return true
		}
	}
	return false
}

// scanPacks opens the pack indexes not opened yet: on first use, and
// with again when an object was not found.
func (db *DB) scanPacks(again bool) error {
	if len(db.seen) > 0 && !again {
		return nil
	}
	db.seen[""] = true // scanned once, even when there is no pack
	for _, d := range db.dirs {
		names, err := filepath.Glob(filepath.Join(d, "pack", "pack-*.idx"))
		if err != nil {
			return err
		}
		for _, idx := range names {
			if db.seen[idx] {
				continue
			}
			p, err := openPack(idx)
			if errors.Is(err, os.ErrNotExist) {
				continue // removed by a concurrent repack since the glob
			}
			if err != nil {
				return err
			}
			db.seen[idx] = true
			db.packs = append(db.packs, p)
		}
	}
	return nil
}

// looseExists reports whether dir holds object id as a loose object. The
// path is built on the stack and no file information kept: os.Stat
// allocates ~300 bytes, and a merge looks up every object it writes.
func looseExists(dir string, id plumbing.Hash) bool {
	var buf [256]byte
	p := append(buf[:0], dir...)
	p = hex.AppendEncode(append(p, '/'), id[:1])
	p = hex.AppendEncode(append(p, '/'), id[1:])
	var st syscall.Stat_t
	for {
		err := syscall.Stat(unsafe.String(unsafe.SliceData(p), len(p)), &st)
		if err != syscall.EINTR {
			return err == nil
		}
	}
}

func loosePath(dir string, id plumbing.Hash) string {
	h := id.String()
	return filepath.Join(dir, h[:2], h[2:])
}

// readLoose reads a loose object: zlib of "TYPE SIZE\0CONTENT".
func (db *DB) readLoose(id plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	for _, d := range db.dirs {
		path := loosePath(d, id)
		z, err := rawfile.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		typ, b, err := parseLoose(z)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w (run git fsck; fetch or restore the damaged objects)", path, err)
		}
		return typ, b, nil
	}
	return 0, nil, fmt.Errorf("%s: %w", id, ErrNotFound)
}

// parseLoose inflates a loose object with zinflate: its header first,
// which gives the size, then the whole of it (compress/zlib allocated
// and cleared 40 KB of tables for each, most of reading a small object).
func parseLoose(z []byte) (plumbing.ObjectType, []byte, error) {
	var head [32]byte // "commit " and a size of up to 20 digits, NUL
	n, err := zinflateHead(head[:], z)
	if err != nil {
		return 0, nil, err
	}
	header, _, ok := bytes.Cut(head[:n], []byte{0})
	name, size, ok2 := strings.Cut(string(header), " ")
	typ := typeNamed(name)
	length, err := strconv.Atoi(size)
	// Deflate makes at most 1032 bytes of one: a larger size is damage,
	// not memory to ask for.
	if !ok || !ok2 || typ == 0 || err != nil || length < 0 || size != strconv.Itoa(length) || length/1032 > len(z) {
		return 0, nil, fmt.Errorf("malformed loose object header %q", header)
	}
	b := make([]byte, len(header)+1+length)
	if err := zinflate(b, z); err != nil {
		return 0, nil, err
	}
	return typ, b[len(header)+1:], nil
}

func typeNamed(name string) plumbing.ObjectType {
	t, err := plumbing.ParseObjectType(name)
	if err != nil || t < plumbing.CommitObject || t > plumbing.TagObject {
		return 0
	}
	return t
}
