package runner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"
	"time"
	"unsafe"
)

// The site's caches (.git/ci/cache/records.bin, target-log.bin) are files
// of git-ci's own: a header line naming the layout's version, varints and
// length-prefixed strings, and a CRC-32C of everything before it at the
// end. They are read with one ReadFile, checked, and decoded without
// reflection; every string decoded is a substring of the file's bytes
// (used in place: the buffer ReadFile returned is never written), so
// decoding allocates little.

// errCacheCorrupt says a cache file is truncated, altered or of another
// version: the caller ignores it and rebuilds it.
var errCacheCorrupt = errors.New("cache file corrupt or of another version")

// castagnoli is made on first use: its tables cost every command 0.2 ms
// at start, and only the site's caches need them.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// cacheWriter appends the values of a cache file.
type cacheWriter struct{ b []byte }

// newCacheWriter starts a cache file of the layout version.
func newCacheWriter(version string, size int) *cacheWriter {
	w := &cacheWriter{b: make([]byte, 0, size)}
	w.b = append(w.b, version...)
	w.b = append(w.b, '\n')
	return w
}

func (w *cacheWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *cacheWriter) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *cacheWriter) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }

func (w *cacheWriter) bool(v bool) {
	if v {
		w.uint(1)
	} else {
		w.uint(0)
	}
}

// time writes t's instant and its zone's offset (not the zone's name).
func (w *cacheWriter) time(t time.Time) {
	_, offset := t.Zone()
	w.int(t.Unix())
	w.uint(uint64(t.Nanosecond()))
	w.int(int64(offset))
}

// bytes is the file: what was written and its checksum.
func (w *cacheWriter) bytes() []byte {
	return binary.LittleEndian.AppendUint32(w.b, crc32.Checksum(w.b, castagnoli()))
}

// cacheReader reads the values a cacheWriter wrote. The first error
// sticks: later reads return zero values, and err says the file is bad.
type cacheReader struct {
	s     string
	off   int
	err   error
	zones map[int]*time.Location
}

// openCache checks b's version and checksum and returns a reader of the
// values after the version line. b must not change afterwards: strings
// read are b's bytes.
func openCache(b []byte, version string) (*cacheReader, error) {
	head := len(version) + 1
	if len(b) < head+4 || string(b[:len(version)]) != version || b[len(version)] != '\n' {
		return nil, errCacheCorrupt
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli()) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, errCacheCorrupt
	}
	// The strings decoded share b's memory instead of a copy of it: b is
	// the caller's ReadFile buffer, never written again.
	return &cacheReader{s: unsafe.String(unsafe.SliceData(body), len(body)), off: head}, nil
}

func (r *cacheReader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("%w (at byte %d)", errCacheCorrupt, r.off)
	}
	r.off = len(r.s)
}

func (r *cacheReader) uint() uint64 {
	var v uint64
	for shift := 0; r.off < len(r.s) && shift < 64; shift += 7 {
		c := r.s[r.off]
		r.off++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.fail()
	return 0
}

func (r *cacheReader) int() int64 {
	u := r.uint()
	return int64(u>>1) ^ -int64(u&1) // zig-zag, as binary.AppendVarint writes
}

func (r *cacheReader) bool() bool { return r.uint() == 1 }

// count reads a number of items that each take at least one byte, so
// that a bad file cannot ask for more than it holds.
func (r *cacheReader) count() int {
	n := r.uint()
	if n > uint64(len(r.s)-r.off) {
		r.fail()
		return 0
	}
	return int(n)
}

// str returns the next string, a substring of the file.
func (r *cacheReader) str() string {
	n := r.count()
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// raw returns the next n bytes as a string.
func (r *cacheReader) raw(n int) string {
	if n > len(r.s)-r.off {
		r.fail()
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// time reads what cacheWriter.time wrote: the instant, in UTC or in a
// zone of the offset written.
func (r *cacheReader) time() time.Time {
	sec, nsec, offset := r.int(), r.uint(), int(r.int())
	t := time.Unix(sec, int64(nsec))
	if offset == 0 {
		return t.UTC()
	}
	if r.zones == nil {
		r.zones = map[int]*time.Location{}
	}
	loc, ok := r.zones[offset]
	if !ok {
		loc = time.FixedZone("", offset)
		r.zones[offset] = loc
	}
	return t.In(loc)
}

// done reports an error if the reader failed or did not read all.
func (r *cacheReader) done() error {
	if r.err == nil && r.off != len(r.s) {
		r.fail()
	}
	return r.err
}
