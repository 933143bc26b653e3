package merge

import "slices"

// guessTie is dir_rename_guess for dir where several new directories
// share the highest count: get_highest_rename_path keeps the first of
// them in the iteration order of the count map, a git hashmap (by
// strhash bucket, then newest first), whose keys were added as
// initialize_dir_rename_info counted the exact renames in the order of
// their destinations. It is unknownDir where that order is not known.
func (r *detection) guessTie(dir string) (string, error) {
	counts := r.di.counts[dir]
	if len(counts) > hashmapGrowAt {
		return unknownDir, nil
	}
	added, err := r.countOrder(dir)
	if err != nil || added == nil {
		return unknownDir, err
	}
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	for _, nd := range hashmapOrder(added) {
		if counts[nd] == top {
			return nd, nil
		}
	}
	return unknownDir, nil
}

// countOrder lists the new directories of dir's count map in the order
// initialize_dir_rename_info added them: the exact renames found so far
// (every count comes from one), by their destinations' queue order. nil
// when that order is not known.
func (r *detection) countOrder(dir string) ([]string, error) {
	srcOf := make(map[string]string, len(r.pairs))
	dsts := make([]string, 0, len(r.pairs))
	for _, p := range r.pairs {
		srcOf[p[1]] = p[0]
		dsts = append(dsts, p[1])
	}
	ord, err := r.queueOrder(dsts)
	if err != nil || ord == nil {
		return nil, err
	}
	var added []string
	for _, d := range ord {
		for _, st := range r.di.countSteps(srcOf[d], d) {
			if st[0] == dir && !slices.Contains(added, st[1]) {
				added = append(added, st[1])
			}
		}
	}
	return added, nil
}
