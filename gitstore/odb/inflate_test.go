package odb

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"testing"
)

// zlibOf compresses b at the given level.
func zlibOf(t testing.TB, b []byte, level int) []byte {
	var z bytes.Buffer
	w, err := zlib.NewWriterLevel(&z, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// sample is n bytes mixing runs, repeats and noise, as trees and source
// files have them.
func sample(rng *rand.Rand, n int) []byte {
	b := make([]byte, 0, n)
	for len(b) < n {
		switch rng.IntN(4) {
		case 0:
			for i := rng.IntN(40); i > 0; i-- {
				b = append(b, byte(rng.IntN(256)))
			}
		case 1:
			b = append(b, bytes.Repeat([]byte{byte(rng.IntN(256))}, rng.IntN(300))...)
		case 2:
			if len(b) > 0 {
				at := rng.IntN(len(b))
				b = append(b, b[at:min(len(b), at+rng.IntN(200))]...)
			}
		default:
			b = append(b, "100644 file.go\x00"...)
		}
	}
	return b[:n]
}

func TestZinflateAgreesWithZlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 400; i++ {
		want := sample(rng, rng.IntN(1<<uint(rng.IntN(18))+1))
		for _, level := range []int{zlib.NoCompression, zlib.BestSpeed, zlib.DefaultCompression, zlib.BestCompression, zlib.HuffmanOnly} {
			z := zlibOf(t, want, level)
			have := make([]byte, len(want))
			if err := zinflate(have, append(z, "trailing pack bytes"...)); err != nil {
				t.Fatalf("case %d level %d (%d bytes): %v", i, level, len(want), err)
			}
			if !bytes.Equal(have, want) {
				t.Fatalf("case %d level %d: inflated bytes differ", i, level)
			}
		}
	}
}

func TestZinflateHeadAgreesWithZlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 400; i++ {
		want := sample(rng, rng.IntN(1<<uint(rng.IntN(16))+1))
		for _, level := range []int{zlib.NoCompression, zlib.BestSpeed, zlib.DefaultCompression, zlib.HuffmanOnly} {
			z := zlibOf(t, want, level)
			for _, k := range []int{0, 1, rng.IntN(len(want) + 1), len(want), len(want) + 1 + rng.IntN(100)} {
				have := make([]byte, k)
				n, err := zinflateHead(have, z)
				if err != nil || n != min(k, len(want)) || !bytes.Equal(have[:n], want[:n]) {
					t.Fatalf("case %d level %d: %d of %d bytes: have %d bytes, %v", i, level, k, len(want), n, err)
				}
			}
		}
	}
	// The decoder, pooled, decodes whole streams again afterwards.
	want := sample(rng, 5000)
	z := zlibOf(t, want, zlib.DefaultCompression)
	if err := zinflate(make([]byte, len(want)-1), z); err == nil {
		t.Error("zinflate after zinflateHead: shorter output: no error")
	}
}

func TestZinflateRejectsDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	want := sample(rng, 5000)
	z := zlibOf(t, want, zlib.DefaultCompression)
	have := make([]byte, len(want))
	for _, give := range [][]byte{nil, z[:1], z[:len(z)-1], z[:len(z)/2]} {
		if err := zinflate(have, give); err == nil {
			t.Errorf("%d of %d bytes: no error", len(give), len(z))
		}
	}
	if err := zinflate(have[:len(have)-1], z); err == nil {
		t.Error("shorter output: no error")
	}
	if err := zinflate(make([]byte, len(want)+1), z); err == nil {
		t.Error("longer output: no error")
	}
	for i := 0; i < 2000; i++ { // no panic; no checksum, so no verdict
		bad := bytes.Clone(z)
		bad[2+rng.IntN(len(bad)-2)] ^= byte(1 + rng.IntN(255))
		zinflate(have, bad)
	}
}

func FuzzZinflate(f *testing.F) {
	f.Add([]byte("hello, hello, hello"), 100)
	f.Fuzz(func(t *testing.T, z []byte, size int) {
		if size < 0 || size > 1<<20 {
			return
		}
		zinflate(make([]byte, size), z) // no panic
		want := z
		z = zlibOf(t, want, zlib.DefaultCompression)
		have := make([]byte, len(want))
		if err := zinflate(have, z); err != nil || !bytes.Equal(have, want) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// benchStream is the stream both inflate benchmarks read, and room for it.
func benchStream(b *testing.B) (z, have []byte) {
	want := sample(rand.New(rand.NewPCG(5, 6)), 3000)
	b.SetBytes(int64(len(want)))
	return zlibOf(b, want, zlib.DefaultCompression), make([]byte, len(want))
}

func BenchmarkZinflate(b *testing.B) {
	z, have := benchStream(b)
	for b.Loop() {
		if err := zinflate(have, z); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkZlibReader(b *testing.B) {
	z, have := benchStream(b)
	r, _ := zlib.NewReader(bytes.NewReader(z))
	for b.Loop() {
		r.(zlib.Resetter).Reset(bytes.NewReader(z), nil)
		if _, err := io.ReadFull(r, have); err != nil {
			b.Fatal(err)
		}
	}
}
