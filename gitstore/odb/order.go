package odb

import (
	"cmp"
	"math"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// SortByPack sorts ids in the order their objects lie in the packs (by
// pack, then offset; objects in no pack last, in the order given).
// Reading many objects in that order meets each delta's base just before
// it (git writes a delta after its base), so the delta base cache keeps
// the chains short, where another order rebuilds whole chains.
func (db *DB) SortByPack(ids []plumbing.Hash) {
	type placed struct {
		id   plumbing.Hash
		pack int // math.MaxInt: in no pack
		off  int64
	}
	items := make([]placed, len(ids))
	db.mu.Lock()
	scanned := db.scanPacks(false) == nil
	for k, id := range ids {
		items[k] = placed{id: id, pack: math.MaxInt}
		for i, p := range db.packs {
			if !scanned {
				break // an order is only a hint: all go as given
			}
			if off, ok := p.find(id); ok {
				items[k].pack, items[k].off = i, off
				break
			}
		}
	}
	db.mu.Unlock()
	slices.SortStableFunc(items, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.pack, b.pack), cmp.Compare(a.off, b.off))
	})
	for k := range items {
		ids[k] = items[k].id
	}
}
