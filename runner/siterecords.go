package runner

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// readAllRecords reads every record in refs/notes/ci, once per run id (a
// run is noted on its commit and on its tree). It parses only the note
// blobs the records cache (.git/ci/cache/records.bin) lacks, in parallel,
// and rewrites the cache when its blobs changed; a cache that cannot be
// written is a warning.
func readAllRecords(repo *gitstore.Repo) ([]*pipeline.Record, []string, error) {
	loaded := make(chan recordsCache, 1)
	loaded <- loadRecordsCache(recordsCachePath(repo))
	return readRecords(repo, loaded)
}

// readRecords is readAllRecords with the cache from loaded, which gives it
// once (loadRecordsCache, begun by the caller, decodes while git reads the
// notes tree: the cache is first needed after that). The records come
// sorted by run id.
func readRecords(repo *gitstore.Repo, loaded <-chan recordsCache) ([]*pipeline.Record, []string, error) {
	treesPath := notesTreesPath(repo)
	trees := &gitstore.NoteTrees{Known: loadNotesTrees(treesPath)}
	notes, cache, err := walkNotes(repo, loaded, trees)
	if err != nil {
		return nil, nil, err
	}
	parseNewNotes(notes)
	warnings := noteWarnings(notes)
	orderNotes(notes, len(cache.order))
	if next, stale := nextCache(cache, notes); stale > staleNotes || (stale > 0 && len(cache.order) == 0) {
		path := recordsCachePath(repo)
		if err := next.save(path); err != nil {
			warnings = append(warnings, fmt.Sprintf("records cache %s not written: %v", path, err))
		}
	}
	if err := saveNotesTrees(treesPath, trees); err != nil {
		warnings = append(warnings, fmt.Sprintf("notes trees cache %s not written: %v", treesPath, err))
	}
	return uniqueRecords(notes), warnings, nil
}

// staleNotes is how many notes the records cache may lack or hold in
// vain before a build rewrites it: rewriting it whole (3 MB at 10,000
// notes, 30 MB at 100,000) costs more than parsing a few notes again, so
// a build after one more run parses that note and leaves the cache as it
// is, and every 33rd rewrites it. A variable for tests.
var staleNotes = 32

// nextCache is the records cache for notes (in the order to write them):
// cache's notes that are still there and the new ones; stale counts the
// notes added and removed. It reuses cache's map.
func nextCache(cache recordsCache, notes []noteBlob) (next recordsCache, stale int) {
	next = recordsCache{Notes: cache.Notes, words: cache.words, order: make([]plumbing.Hash, 0, len(cache.Notes)+8)}
	kept := make([]bool, len(cache.order)) // by rank
	for _, n := range notes {
		switch {
		case n.blob.IsZero():
		case n.cached:
			if !kept[n.parsed.rank] { // a commit's note and its tree's are often one blob
				kept[n.parsed.rank] = true
				next.order = append(next.order, n.blob)
			}
		default:
			if _, ok := next.Notes[n.blob]; !ok {
				next.Notes[n.blob] = n.parsed
				next.order = append(next.order, n.blob)
				stale++
			}
		}
	}
	for rank, blob := range cache.order {
		if !kept[rank] {
			delete(next.Notes, blob)
			stale++
		}
	}
	return next, stale
}

// parseNewNotes parses the notes the cache lacks, in parallel.
func parseNewNotes(notes []noteBlob) {
	parallel(len(notes), func(i int) {
		if n := &notes[i]; !n.cached {
			recs, errs := pipeline.ParseNote(n.text)
			n.parsed.Recs = recs
			for _, e := range errs {
				n.parsed.Errs = append(n.parsed.Errs, e.Error())
			}
		}
	})
}

// noteWarnings names the lines of notes that are not records.
func noteWarnings(notes []noteBlob) []string {
	var warnings []string
	for _, n := range notes {
		for _, e := range n.parsed.Errs {
			warnings = append(warnings, fmt.Sprintf("%s %s: %s (skipped)", gitstore.NotesRef, n.obj.String()[:10], e))
		}
	}
	return warnings
}

// noteBlob is a note as read from the notes tree, parsed or from the
// records cache.
type noteBlob struct {
	obj, blob plumbing.Hash
	text      []byte
	parsed    parsedNote
	cached    bool
}

// walkNotes lists every note of refs/notes/ci with what the cache has of
// it; the text of the others. It takes the notes tree's directories from
// trees where it has them.
func walkNotes(repo *gitstore.Repo, loaded <-chan recordsCache, trees *gitstore.NoteTrees) ([]noteBlob, recordsCache, error) {
	var cache recordsCache
	var once sync.Once
	wait := func() { once.Do(func() { cache = <-loaded }) }
	var notes []noteBlob
	err := repo.AllNoteBlobsWith(trees, func(blob plumbing.Hash) bool {
		wait()
		if notes == nil {
			notes = make([]noteBlob, 0, len(cache.Notes)+64)
		}
		_, ok := cache.Notes[blob]
		return ok
	}, func(obj, blob plumbing.Hash, text []byte) error {
		wait()
		n := noteBlob{obj: obj, blob: blob, text: text}
		n.parsed, n.cached = cache.Notes[blob]
		notes = append(notes, n)
		return nil
	})
	wait() // with no notes, not waited for yet
	return notes, cache, err
}

// orderNotes sorts notes in the order of the cache file (ranks places),
// then the new ones by their first run, so that the cache, rewritten in
// this order, holds the runs about in run-id order: records and steps
// decoded from it lie in memory in the order the site reads them. The
// cached ones are placed by rank, not compared.
func orderNotes(notes []noteBlob, ranks int) {
	start := make([]int32, ranks+1) // by rank, after counting: where its notes go
	var fresh []int32
	for i := range notes {
		if notes[i].cached {
			start[notes[i].parsed.rank+1]++
		} else {
			fresh = append(fresh, int32(i))
		}
	}
	for r := 1; r <= ranks; r++ {
		start[r] += start[r-1]
	}
	pos := make([]int32, len(notes)) // by note: where it goes
	for i := range notes {
		if n := &notes[i]; n.cached {
			pos[i] = start[n.parsed.rank]
			start[n.parsed.rank]++
		}
	}
	first := func(i int32) string {
		if recs := notes[i].parsed.Recs; len(recs) > 0 {
			return recs[0].Run
		}
		return ""
	}
	slices.SortStableFunc(fresh, func(i, j int32) int { return strings.Compare(first(i), first(j)) })
	for k, i := range fresh {
		pos[i] = int32(len(notes) - len(fresh) + k)
	}
	permute(notes, pos)
}

// permute moves notes[i] to notes[pos[i]], in place: each swap puts a
// note where it goes (a copy of the notes would be 1.5 MB at 10,000,
// new memory in every process).
func permute(notes []noteBlob, pos []int32) {
	for i := range notes {
		for int(pos[i]) != i {
			j := pos[i]
			notes[i], notes[j] = notes[j], notes[i]
			pos[i], pos[j] = pos[j], pos[i]
		}
	}
}

// uniqueRecords is the records of notes, sorted by run id, each run once
// (a run is noted on its commit and its tree): the first record of it in
// notes' order. Notes in the cache's order hold their runs about sorted
// already: then no sort is needed.
func uniqueRecords(notes []noteBlob) []*pipeline.Record {
	var recs []*pipeline.Record
	sorted := true
	for i := range notes {
		for j := range notes[i].parsed.Recs {
			r := &notes[i].parsed.Recs[j]
			sorted = sorted && (len(recs) == 0 || recs[len(recs)-1].Run < r.Run)
			recs = append(recs, r)
		}
	}
	if sorted {
		return recs
	}
	order := make([]int32, len(recs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Or(strings.Compare(recs[a].Run, recs[b].Run), cmp.Compare(a, b)) })
	runs := make([]*pipeline.Record, 0, len(recs))
	for _, i := range order {
		if len(runs) == 0 || runs[len(runs)-1].Run != recs[i].Run {
			runs = append(runs, recs[i])
		}
	}
	return runs
}
