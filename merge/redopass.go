package merge

import "github.com/git-ci/git-ci/gitstore/odb"

// merge-ort's second pass after redo_after_renames (MERGE_RESTART): it
// collects the merge info again with the renames of the first pass
// cached, and handle_deferred_entries resolves each directory deferred
// for a side that holds none of that side's rename targets trivially
// (resolve_trivial_directory_merge): merge-ort never reads what is in it.
// What the walk reports there only because merge-ort read the directory
// in the first pass (a file in the way of a directory) is then not said.

// trivialDirs returns the directories the second pass resolves
// trivially; targets holds each side's rename destinations.
func (m *merger) trivialDirs(targets [2]map[string]bool) (map[string]bool, error) {
	tr := &traversal{m: m}
	roots := [3]*odb.TreeEntry{rootEntry(m.trees[0]), rootEntry(m.trees[1]), rootEntry(m.trees[2])}
	if err := tr.level("", roots[0], roots[1], roots[2], 0); err != nil {
		return nil, err
	}
	trivial := map[string]bool{}
	for side := 1; side <= 2; side++ {
		targetDirs := map[string]bool{}
		for dst := range targets[side-1] {
			for d := dirName(dst); d != ""; d = dirName(d) {
				targetDirs[d] = true
			}
		}
		// Reading a deferred directory may defer more below it.
		for len(tr.deferred[side]) > 0 {
			d := tr.deferred[side][0]
			tr.deferred[side] = tr.deferred[side][1:]
			if !targetDirs[d.path] {
				trivial[d.path] = true
				continue
			}
			if err := tr.level(d.path, d.b, d.o, d.t, d.mask); err != nil {
				return nil, err
			}
		}
	}
	return trivial, nil
}

// relevantTargets is, per side, the destinations of the renames of
// relevant sources: the cached renames handle_deferred_entries looks at.
func relevantTargets(rs []rename, sides [2]*sideDiff, infos [2]*dirInfo) [2]map[string]bool {
	var targets [2]map[string]bool
	for s := 0; s < 2; s++ {
		targets[s] = map[string]bool{}
		content := relevantSources(sides[s], sides[1-s])
		for _, r := range rs {
			if r.side == s && (content[r.src] || infos[s].location[r.src]) {
				targets[s][r.dst] = true
			}
		}
	}
	return targets
}

// inTrivialDir reports whether p is in or is a directory the second pass
// resolves trivially.
func (m *merger) inTrivialDir(p string) bool {
	if len(m.trivial) == 0 {
		return false
	}
	for d := p; d != ""; d = dirName(d) {
		if m.trivial[d] {
			return true
		}
	}
	return false
}
