package merge

import (
	"slices"
	"sort"
)

// The order in which merge-ort reads the directories it deferred.
//
// handle_deferred_entries traverses the directories of a side's
// possible_trivial_merges (a strintmap, keyed by directory) in its
// iteration order (it moves the map to 'copy' by a struct assignment and
// iterates that), so rename sources and destinations below them join the
// rename queue in that order. git's hashmap has 64 buckets until it
// holds more than 51 entries, picks a bucket by strhash (32-bit FNV-1)
// of the key, and adds at the head of a bucket's chain. So the order is:
// by bucket, then the directory deferred last first. A larger table
// (more than 51 directories, in this merge or one of the merges of merge
// bases before it, whose maps merge-ort reuses) is not modelled.

const (
	hashmapInitialSize = 64
	hashmapGrowAt      = hashmapInitialSize * 80 / 100
)

// deferredRanks numbers side's deferred directories from 1 in the order
// merge-ort traverses them; nil when that order is not modelled.
func (m *merger) deferredRanks(side int) map[string]int {
	dirs := m.deferredDirs[side]
	if len(dirs) > hashmapGrowAt || m.opt.deferredGrew {
		return nil
	}
	ranks := make(map[string]int, len(dirs))
	for i, d := range hashmapOrder(dirs) {
		ranks[d] = i + 1
	}
	return ranks
}

// hashmapOrder returns keys, given in the order they were added, in the
// order a git hashmap of at most hashmapGrowAt entries iterates them: by
// strhash bucket, the key added last first within a bucket.
func hashmapOrder(keys []string) []string {
	out := slices.Clone(keys)
	slices.Reverse(out)
	sort.SliceStable(out, func(i, j int) bool {
		return strhash(out[i])%hashmapInitialSize < strhash(out[j])%hashmapInitialSize
	})
	return out
}

// strhash is git's strhash (hashmap.c): FNV-1, 32 bits.
func strhash(s string) uint32 {
	h := uint32(0x811c9dc5)
	for i := 0; i < len(s); i++ {
		h = h*0x01000193 ^ uint32(s[i])
	}
	return h
}
