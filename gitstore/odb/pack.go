package odb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// pack is one pack file and its version-2 index, both mapped read-only:
// the index is searched in place (fanout table, then a binary search of
// the sorted ids), so opening a pack reads nothing.
type pack struct {
	idxPath string
	n       int // objects in the pack
	*mapping
}

// mapping is a pack's mapped files, unmapped when the pack is dropped or
// no longer reachable (a cleanup: a process may open many repositories).
// No slice of it leaves this package: every object read is a copy.
type mapping struct {
	idx  []byte // the .idx
	data []byte // the .pack, once an object of it is read
}

const idxHeader = 8 + 256*4 // magic, version, fanout table

func openPack(idxPath string) (*pack, error) {
	idx, err := mapFile(idxPath)
	if err != nil {
		return nil, err
	}
	p := &pack{idxPath: idxPath, mapping: &mapping{idx: idx}}
	runtime.AddCleanup(p, func(m *mapping) { m.unmap() }, p.mapping)
	if len(idx) < idxHeader || string(idx[:8]) != "\xfftOc\x00\x00\x00\x02" {
		p.close()
		return nil, fmt.Errorf("%s: not a version 2 pack index", idxPath)
	}
	p.n = int(binary.BigEndian.Uint32(idx[idxHeader-4:]))
	if len(idx) < idxHeader+p.n*28+40 {
		p.close()
		return nil, fmt.Errorf("%s: truncated pack index", idxPath)
	}
	return p, nil
}

func mapFile(path string) ([]byte, error) {
	fd, err := rawfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := rawfile.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Size == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	b, err := syscall.Mmap(fd, 0, int(st.Size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	return b, nil
}

func (p *pack) close() error { return p.unmap() }

func (m *mapping) unmap() error {
	var first error
	for _, b := range [][]byte{m.idx, m.data} {
		if b != nil {
			if err := syscall.Munmap(b); err != nil && first == nil {
				first = err
			}
		}
	}
	m.idx, m.data = nil, nil
	return first
}

// find returns where object id starts in the pack.
func (p *pack) find(id plumbing.Hash) (int64, bool) {
	fan := func(i int) int { return int(binary.BigEndian.Uint32(p.idx[8+4*i:])) }
	lo, hi := 0, fan(int(id[0]))
	if id[0] > 0 {
		lo = fan(int(id[0]) - 1)
	}
	names := p.idx[idxHeader:]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(names[mid*20:mid*20+20], id[:]); {
		case c == 0:
			return p.offset(mid), true
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// offset reads the i-th object's pack offset; offsets past 2 GiB live in
// a table of their own.
func (p *pack) offset(i int) int64 {
	offs := idxHeader + p.n*24
	o := binary.BigEndian.Uint32(p.idx[offs+4*i:])
	if o&0x80000000 == 0 {
		return int64(o)
	}
	large := offs + p.n*4 + 8*int(o&0x7fffffff)
	return int64(binary.BigEndian.Uint64(p.idx[large:]))
}

func (p *pack) packData() ([]byte, error) {
	if p.data == nil {
		b, err := mapFile(strings.TrimSuffix(p.idxPath, ".idx") + ".pack")
		if err != nil {
			return nil, err
		}
		if len(b) < 12 || string(b[:4]) != "PACK" {
			syscall.Munmap(b)
			return nil, fmt.Errorf("%s: not a pack", p.idxPath)
		}
		p.data = b
	}
	return p.data, nil
}

// entry is the header of one object in a pack.
type entry struct {
	typ     plumbing.ObjectType
	size    int           // the inflated size (of the delta, for a delta)
	body    int64         // where the zlib stream starts
	baseOff int64         // ofsDelta: the base's offset
	baseID  plumbing.Hash // refDelta: the base's id
}

func (p *pack) entryAt(off int64) (entry, error) {
	data, err := p.packData()
	if err != nil {
		return entry{}, err
	}
	bad := func() (entry, error) {
		return entry{}, fmt.Errorf("%s: bad object header at offset %d", p.idxPath, off)
	}
	i := off
	if i < 12 || i >= int64(len(data)) {
		return bad()
	}
	c := data[i]
	i++
	e := entry{typ: plumbing.ObjectType(c >> 4 & 7), size: int(c & 15)}
	for shift := 4; c&0x80 != 0; shift += 7 {
		if i >= int64(len(data)) || shift > 56 {
			return bad()
		}
		c = data[i]
		i++
		e.size |= int(c&0x7f) << shift
	}
	switch e.typ {
	case ofsDelta:
		if i >= int64(len(data)) {
			return bad()
		}
		c = data[i]
		i++
		back := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= int64(len(data)) || back > 1<<55 {
				return bad()
			}
			c = data[i]
			i++
			back = (back+1)<<7 | int64(c&0x7f)
		}
		e.baseOff = off - back
		if e.baseOff < 12 || back == 0 {
			return bad()
		}
	case refDelta:
		if i+20 > int64(len(data)) {
			return bad()
		}
		copy(e.baseID[:], data[i:])
		i += 20
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return bad()
	}
	e.body = i
	return e, nil
}

// inflate returns the size bytes of the zlib stream at e.body, in
// scratch when it has room for them.
func (p *pack) inflate(e entry, scratch []byte) ([]byte, error) {
	out := scratch[:min(e.size, cap(scratch))]
	if len(out) < e.size {
		out = make([]byte, e.size)
	}
	if err := zinflate(out, p.data[e.body:]); err != nil {
		// The pack itself is damaged: git fsck names what is lost.
		return nil, fmt.Errorf("%s: offset %d: %w (run git fsck; fetch or restore the damaged objects)", p.idxPath, e.body, err)
	}
	return out, nil
}

// wholeAt returns the entry at off in p when it is a whole object (no
// delta) that the cache of delta bases does not hold.
func (db *DB) wholeAt(p *pack, off int64) (entry, bool) {
	if _, _, ok := db.bases.get(p, off); ok {
		return entry{}, false
	}
	e, err := p.entryAt(off)
	if err != nil || e.typ == ofsDelta || e.typ == refDelta {
		return entry{}, false // readPacked reads it, or reports the error
	}
	return e, true
}

// readPacked returns the object at off in p, applying its delta chain.
// Bases met on the way are cached: trees of one directory and successive
// versions of a file share them.
func (db *DB) readPacked(p *pack, off int64) (plumbing.ObjectType, []byte, error) {
	type link struct {
		p   *pack
		off int64
		e   entry
	}
	var chain []link
	var typ plumbing.ObjectType
	var b []byte
	for {
		if t, cached, ok := db.bases.get(p, off); ok {
			typ, b = t, cached
			if len(chain) == 0 {
				b = bytes.Clone(b) // the caller's to keep, the cache's to share
			}
			break
		}
		e, err := p.entryAt(off)
		if err != nil {
			return 0, nil, err
		}
		if e.typ != ofsDelta && e.typ != refDelta {
			if b, err = p.inflate(e, nil); err != nil {
				return 0, nil, err
			}
			typ = e.typ
			if len(chain) > 0 {
				db.bases.put(p, off, typ, b)
			}
			break
		}
		chain = append(chain, link{p, off, e})
		if len(chain) > 10000 {
			return 0, nil, fmt.Errorf("%s: delta chain too long at offset %d", p.idxPath, off)
		}
		if e.typ == ofsDelta {
			off = e.baseOff
			continue
		}
		// A ref delta's base may be anywhere, also in another pack.
		found := false
		for _, q := range db.packs {
			if o, ok := q.find(e.baseID); ok {
				p, off, found = q, o, true
				break
			}
		}
		if !found {
			t, base, err := db.readLoose(e.baseID)
			if err != nil {
				return 0, nil, fmt.Errorf("%s: delta base %s: %w", p.idxPath, e.baseID, err)
			}
			typ, b = t, base
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		delta, err := l.p.inflate(l.e, nil)
		if err != nil {
			return 0, nil, err
		}
		if b, err = applyDelta(b, delta); err != nil {
			return 0, nil, fmt.Errorf("%s: offset %d: %w", l.p.idxPath, l.off, err)
		}
		if i > 0 {
			db.bases.put(l.p, l.off, typ, b)
		}
	}
	return typ, b, nil
}

var errDelta = errors.New("corrupt delta")

// applyDelta builds an object from its base and a delta in git's format:
// the two sizes, then copies from the base and inserts of literal bytes.
func applyDelta(base, delta []byte) ([]byte, error) {
	varint := func() int {
		n, shift := 0, 0
		for len(delta) > 0 && shift < 64 {
			c := delta[0]
			delta = delta[1:]
			n |= int(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				return n
			}
		}
		return -1
	}
	if varint() != len(base) {
		return nil, errDelta
	}
	size := varint()
	if size < 0 {
		return nil, errDelta
	}
	out := make([]byte, 0, size)
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0:
			var off, n int
			for bit := 0; bit < 7; bit++ {
				if op&(1<<bit) == 0 {
					continue
				}
				if len(delta) == 0 {
					return nil, errDelta
				}
				if bit < 4 {
					off |= int(delta[0]) << (8 * bit)
				} else {
					n |= int(delta[0]) << (8 * (bit - 4))
				}
				delta = delta[1:]
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || len(out)+n > size {
				return nil, errDelta
			}
			out = append(out, base[off:off+n]...)
		case op != 0:
			if int(op) > len(delta) || len(out)+int(op) > size {
				return nil, errDelta
			}
			out = append(out, delta[:op]...)
			delta = delta[op:]
		default:
			return nil, errDelta
		}
	}
	if len(out) != size {
		return nil, errDelta
	}
	return out, nil
}

// baseCache keeps delta bases recently built, up to a memory budget; when
// full it starts again (simple, and a chain rarely outlives a few reads).
type baseCache struct {
	m    map[baseKey]cachedBase
	size int
}

type baseKey struct {
	p   *pack
	off int64
}

type cachedBase struct {
	typ plumbing.ObjectType
	b   []byte
}

// baseCacheBudget is git's default core.deltaBaseCacheLimit. Reading
// 110,000 notes whose blobs are chains of deltas 50 deep (git's and
// fast-import's default depth), in object-id order, the 16 MiB it was
// before held a fraction of them and most reads inflated whole chains
// again: 37-63 s to read them; 15 s with git's budget.
const baseCacheBudget = 96 << 20

func (c *baseCache) get(p *pack, off int64) (plumbing.ObjectType, []byte, bool) {
	v, ok := c.m[baseKey{p, off}]
	return v.typ, v.b, ok
}

func (c *baseCache) put(p *pack, off int64, typ plumbing.ObjectType, b []byte) {
	if len(b) > baseCacheBudget/4 {
		return
	}
	if c.m == nil || c.size+len(b) > baseCacheBudget {
		c.m, c.size = map[baseKey]cachedBase{}, 0
	}
	c.m[baseKey{p, off}] = cachedBase{typ, b}
	c.size += len(b)
}
