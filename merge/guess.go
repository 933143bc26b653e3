package merge

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
	best, bestBucket := "", uint32(0)
	for nd, n := range counts {
		b := strhash(nd) % hashmapInitialSize
		if n == top && (best == "" || b < bestBucket || b == bestBucket && added[nd] > added[best]) {
			best, bestBucket = nd, b
		}
	}
	return best, nil
}

// countOrder numbers the new directories of dir's count map in the order
// initialize_dir_rename_info added them: the exact renames found so far,
// by their destinations' queue order. nil when that order is not known.
func (r *detection) countOrder(dir string) (map[string]int, error) {
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
	added := map[string]int{}
	for _, d := range ord {
		for _, st := range r.di.countSteps(srcOf[d], d) {
			if _, ok := added[st[1]]; st[0] == dir && !ok {
				added[st[1]] = len(added)
			}
		}
	}
	return added, nil
}
