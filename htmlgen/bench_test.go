package htmlgen

import (
	"bytes"
	"io"
	"testing"

	"github.com/go-git/go-billy/v5/memfs"
)

// BenchmarkRunPage renders the fixture's failed run page (a long log, a
// diff) and its passed one.
func BenchmarkRunPage(b *testing.B) {
	s := fixture()
	m := newModel(s)
	for _, i := range []int{2, 3} {
		r := &s.Runs[i]
		d, _ := s.Details.RunDetail(r)
		page, err := runPageOf(m, &writer{out: Output{FS: memfs.New()}, next: Manifest{}, imm: memfs.New(), have: map[string]bool{}}, r, d)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(r.Status, func(b *testing.B) {
			for b.Loop() {
				var buf bytes.Buffer
				if err := m.runHTML(&buf, []*runPage{page}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFrame renders a page that is only the frame (head and foot).
func BenchmarkFrame(b *testing.B) {
	m := newModel(fixture())
	p := branchesPage{Page: m.page("Branches", "branches", "")}
	for b.Loop() {
		if err := templates().ExecuteTemplate(io.Discard, "branches", p); err != nil {
			b.Fatal(err)
		}
	}
}
