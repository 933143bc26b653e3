package odb

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"sync"
)

// zinflate decodes the zlib stream at the start of src (RFC 1950, 1951)
// into dst, which must be exactly the inflated size, as a pack entry's
// header gives it. It reads src in place with a 64-bit bit buffer and
// table lookups: compress/flate pulls each byte through an io.ByteReader
// and took 2.5 times git's time to inflate the trees of a merge. The
// stream's Adler-32 is not checked (it took a fifth of the time; the
// compress/zlib reader this replaces, stopping at the size, never reached
// it either): damage shows as a malformed stream or a wrong size.
func zinflate(dst, src []byte) error {
	if len(src) < 2 || src[0]&0x0f != 8 || src[0]>>4 > 7 || (uint(src[0])<<8|uint(src[1]))%31 != 0 || src[1]&0x20 != 0 {
		return errZlibHeader
	}
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	d.in = bitReader{src: src, pos: 2}
	d.out, d.o = dst, 0
	if err := d.blocks(); err != nil {
		return err
	}
	if d.o != len(dst) {
		return errInflate
	}
	if d.in.alignedPos()+4 > len(src) {
		return errInflate
	}
	return nil
}

// zinflateHead decodes the start of the zlib stream src into dst, up to
// len(dst) bytes, and returns how many it wrote: fewer only when the
// stream ends first. A loose object's header, which gives its size, is
// read so.
func zinflateHead(dst, src []byte) (int, error) {
	if len(src) < 2 || src[0]&0x0f != 8 || src[0]>>4 > 7 || (uint(src[0])<<8|uint(src[1]))%31 != 0 || src[1]&0x20 != 0 {
		return 0, errZlibHeader
	}
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	d.in = bitReader{src: src, pos: 2}
	d.out, d.o, d.head = dst, 0, true
	defer func() { d.head = false }()
	if err := d.blocks(); err != nil && err != errFull {
		return 0, err
	}
	return d.o, nil
}

var (
	errZlibHeader = errors.New("inflate: bad zlib header")
	errInflate    = errors.New("inflate: corrupt deflate stream")
	errFull       = errors.New("inflate: output full") // zinflateHead's stop
)

// decoder holds the tables of one stream; pooled, as building its
// tables' backing arrays costs more than a small object's inflation.
type decoder struct {
	in             bitReader
	out            []byte
	o              int
	lit, dist, cls huffman
	lens           [maxLit + maxDist]uint8
	head           bool // zinflateHead: a full out ends decoding with errFull
}

var decoders = sync.Pool{New: func() any { return new(decoder) }}

const (
	maxLit  = 288
	maxDist = 32
)

func (d *decoder) blocks() error {
	for {
		d.in.refill()
		final := d.in.take(1)
		var err error
		switch d.in.take(2) {
		case 0:
			err = d.stored()
		case 1:
			f := fixedCodes()
			err = d.huffmanBlock(&f.lit, &f.dist)
		case 2:
			if err = d.readTables(); err == nil {
				err = d.huffmanBlock(&d.lit, &d.dist)
			}
		default:
			err = errInflate
		}
		if err != nil {
			return err
		}
		if d.in.overrun() {
			return errInflate
		}
		if final == 1 {
			return nil
		}
	}
}

// stored copies a block stored as is: LEN, NLEN, then LEN bytes.
func (d *decoder) stored() error {
	at := d.in.alignedPos()
	src := d.in.src
	if at+4 > len(src) {
		return errInflate
	}
	n := int(binary.LittleEndian.Uint16(src[at:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(src[at+2:]) || at+4+n > len(src) {
		return errInflate
	}
	if n > len(d.out)-d.o {
		if !d.head {
			return errInflate
		}
		d.o += copy(d.out[d.o:], src[at+4:])
		return errFull
	}
	d.o += copy(d.out[d.o:], src[at+4:at+4+n])
	d.in = bitReader{src: src, pos: at + 4 + n}
	return nil
}

// The length and distance codes' base values and extra bits (RFC 1951 3.2.5).
var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// huffmanBlock decodes literals and back references up to the end of
// the block.
func (d *decoder) huffmanBlock(lit, dist *huffman) error {
	in, out, o := &d.in, d.out, d.o
	for {
		if in.n < 15 { // a code
			in.refill()
		}
		sym, ok := lit.decode(in)
		switch {
		case !ok:
			return errInflate
		case sym < 256:
			if o >= len(out) {
				return d.full(o)
			}
			out[o] = byte(sym)
			o++
			continue
		case sym == 256:
			d.o = o
			return nil
		case sym > 285:
			return errInflate
		}
		if in.n < 33 { // a length's extra bits, a distance and its extra bits
			in.refill()
		}
		sym -= 257
		n := int(lenBase[sym]) + int(in.take(uint(lenExtra[sym])))
		dsym, ok := dist.decode(in)
		if !ok || dsym >= 30 {
			return errInflate
		}
		back := int(distBase[dsym]) + int(in.take(uint(distExtra[dsym])))
		if back > o {
			return errInflate
		}
		full := n > len(out)-o
		if full {
			if !d.head {
				return errInflate
			}
			n = len(out) - o
		}
		if back >= n {
			copy(out[o:o+n], out[o-back:])
		} else {
			for i := o; i < o+n; i++ { // overlapping: a run
				out[i] = out[i-back]
			}
		}
		o += n
		if full {
			return d.full(o)
		}
	}
}

// full is the end of a block whose output has no room for the next
// bytes: for zinflateHead the end of decoding, else a corrupt stream.
func (d *decoder) full(o int) error {
	if !d.head {
		return errInflate
	}
	d.o = o
	return errFull
}

// codeOrder is the order of the code length code's lengths.
var codeOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// readTables reads a dynamic block's code lengths and builds its tables.
func (d *decoder) readTables() error {
	in := &d.in
	in.refill()
	nlit := int(in.take(5)) + 257
	ndist := int(in.take(5)) + 1
	ncl := int(in.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		return errInflate
	}
	var cl [19]uint8
	for i := 0; i < ncl; i++ {
		in.refill()
		cl[codeOrder[i]] = uint8(in.take(3))
	}
	if !d.cls.build(cl[:]) {
		return errInflate
	}
	lens := d.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		in.refill()
		sym, ok := d.cls.decode(in)
		if !ok {
			return errInflate
		}
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var n int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return errInflate
			}
			n, v = 3+int(in.take(2)), lens[i-1]
		case 17:
			n = 3 + int(in.take(3))
		default:
			n = 11 + int(in.take(7))
		}
		if i+n > len(lens) {
			return errInflate
		}
		for ; n > 0; n-- {
			lens[i] = v
			i++
		}
	}
	if lens[256] == 0 || !d.lit.build(lens[:nlit]) || !d.dist.build(lens[nlit:]) {
		return errInflate
	}
	return nil
}

// fixedCodes are the tables of RFC 1951's fixed Huffman codes, built on
// first use.
var fixedCodes = sync.OnceValue(func() (f *struct{ lit, dist huffman }) {
	f = new(struct{ lit, dist huffman })
	var lens [maxLit]uint8
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	f.lit.build(lens[:])
	for i := 0; i < 30; i++ {
		lens[i] = 5
	}
	f.dist.build(lens[:30])
	return f
})

// bitReader reads src least significant bit first. Past the end of src it
// reads zeros; overrun tells whether any of them was consumed.
type bitReader struct {
	src []byte
	pos int    // next byte of src to load, counting the zeros past its end
	buf uint64 // loaded bits not consumed, next first
	n   uint   // how many
}

// refill loads whole bytes until at least 56 bits are buffered.
func (r *bitReader) refill() {
	if r.pos+8 <= len(r.src) {
		r.buf |= binary.LittleEndian.Uint64(r.src[r.pos:]) << r.n
		r.pos += int(63-r.n) >> 3
		r.n |= 56
		return
	}
	for r.n < 56 {
		if r.pos < len(r.src) {
			r.buf |= uint64(r.src[r.pos]) << r.n
		}
		r.pos++
		r.n += 8
	}
}

// take consumes n bits (n <= the bits buffered) and returns them.
func (r *bitReader) take(n uint) uint32 {
	v := uint32(r.buf & (1<<n - 1))
	r.buf >>= n
	r.n -= n
	return v
}

// alignedPos drops the bits up to a byte boundary and returns the
// position in src of the next byte not consumed.
func (r *bitReader) alignedPos() int {
	return r.pos - int(r.n>>3)
}

func (r *bitReader) overrun() bool { return r.alignedPos() > len(r.src) }

// huffman decodes one canonical Huffman code: the next bits of input
// (the longest code's length, at most maxRootBits) index root; a code
// longer than that links to a table in sub, indexed by the bits after
// them.
type huffman struct {
	root [1 << maxRootBits]uint32
	bits uint // the bits that index root
	sub  []uint32
}

// A table entry is sym<<16 | length of the code, or, linking to a table
// of sub, offset<<16 | link | the bits that index it; 0 is no code.
const (
	maxRootBits = 10
	link        = 1 << 8
)

// decode returns the next symbol; ok false for bits that are no code.
// The buffer must hold 15 bits.
func (h *huffman) decode(r *bitReader) (uint32, bool) {
	e := h.root[r.buf&(1<<h.bits-1)&(1<<maxRootBits-1)]
	if e&link != 0 {
		e = h.sub[e>>16+uint32(r.buf>>h.bits)&(1<<(e&0xff)-1)]
	}
	n := uint(e & 0xff)
	if n == 0 {
		return 0, false
	}
	r.buf >>= n
	r.n -= n
	return e >> 16, true
}

// build makes the tables of the code with the given lengths per symbol
// (0: unused); false for lengths that are no prefix code (more codes of
// a length than fit). An incomplete code is accepted, its unused bit
// patterns decode as errors.
func (h *huffman) build(lens []uint8) bool {
	var count [16]int
	longest := 0
	for _, l := range lens {
		count[l]++
		longest = max(longest, int(l))
	}
	count[0] = 0
	var next [16]int
	code, left := 0, 1
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
		left = left<<1 - count[l]
		if left < 0 {
			return false
		}
	}
	rootBits := min(longest, maxRootBits)
	h.bits = uint(rootBits)
	root := h.root[:1<<rootBits]
	clear(root)
	h.sub = h.sub[:0]
	subBits := max(longest-rootBits, 0)
	for sym, l := range lens {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		rev := int(bits.Reverse16(uint16(c)) >> (16 - l))
		leaf := uint32(sym)<<16 | uint32(l)
		if int(l) <= rootBits {
			for i := rev; i < len(root); i += 1 << l {
				root[i] = leaf
			}
			continue
		}
		lo := rev & (1<<rootBits - 1)
		if root[lo] == 0 {
			root[lo] = uint32(len(h.sub))<<16 | link | uint32(subBits)
			h.sub = append(h.sub, make([]uint32, 1<<subBits)...)
		}
		off := int(root[lo] >> 16)
		for i := rev >> rootBits; i < 1<<subBits; i += 1 << (int(l) - rootBits) {
			h.sub[off+i] = leaf
		}
	}
	return true
}
