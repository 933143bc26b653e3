package runner

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// Limits of what run pages show of an integration's diff: the newest
// diffRuns integrations get one (a `git diff` each, only when their page is
// first written), each at most maxDiffBytes.
const (
	diffRuns     = 200
	maxDiffBytes = 512 << 10
)

// SiteConfigKey is the git config key naming the site's folder; when it is
// set, integrate and run refresh the site at the end.
const SiteConfigKey = "ci.html"

// SiteDir is the site folder git config ci.html names, made absolute
// against the repository's top; "" when it is not set.
func SiteDir(repo *gitstore.Repo) (string, error) {
	dir, err := repo.Config(SiteConfigKey)
	if err != nil || dir == "" {
		return "", err
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repo.Path(), dir)
	}
	return dir, nil
}

// CollectSite reads what the site shows from the repository: the committed
// pipeline (nil, with a warning, when the config cannot be read), the
// target's commits, and every record in refs/notes/ci, once per run id. Logs
// and diffs are read later, only for run pages that are written. The
// garbage collector runs less often meanwhile (lessGC).
func CollectSite(repo *gitstore.Repo) (*htmlgen.Site, []string, error) {
	defer lessGC()()
	// The records cache decodes while the config, the target's log and the
	// notes tree are read.
	cache := make(chan recordsCache, 1)
	go func() { cache <- loadRecordsCache(recordsCachePath(repo)) }()
	var warnings []string
	s := &htmlgen.Site{Name: repo.Name()}
	if cfg, err := LoadConfig(repo); err != nil {
		warnings = append(warnings, fmt.Sprintf("pipeline config: %v; the site shows the stages the runs have", err))
	} else if p, err := cfg.Parsed.Pipeline(DefaultPipeline); err == nil {
		s.Pipeline = p
	}
	target, err := resolveTarget(repo, "")
	if err != nil {
		return nil, warnings, err
	}
	s.Target = strings.TrimPrefix(target, "refs/heads/")
	commits, warn, err := targetCommits(repo, target)
	if err != nil {
		return nil, warnings, err
	}
	s.Commits = commits
	warnings = append(warnings, warn...)
	runs, warn, err := readRecords(repo, cache)
	if err != nil {
		return nil, warnings, err
	}
	s.Runs = runs
	warnings = append(warnings, warn...)
	s.Details = newRunDetails(repo, s.Runs)
	return s, warnings, nil
}

// runDetails reads logs from run refs and diffs with git, on demand.
type runDetails struct {
	repo     *gitstore.Repo
	once     sync.Once
	refs     map[string]plumbing.Hash
	refsErr  error
	withDiff map[string]bool // the newest diffRuns integrations
}

func newRunDetails(repo *gitstore.Repo, recs []*pipeline.Record) *runDetails {
	d := &runDetails{repo: repo, withDiff: map[string]bool{}}
	var ids []string
	for _, r := range recs {
		if r.Kind == pipeline.KindIntegrate && r.Base != "" {
			ids = append(ids, r.Run)
		}
	}
	sort.Strings(ids)
	for _, id := range ids[max(0, len(ids)-diffRuns):] {
		d.withDiff[id] = true
	}
	return d
}

// RunDetail reads rec's logs from its run ref (none when the ref is gone)
// and, for a recent integration, its diff against its base.
func (d *runDetails) RunDetail(rec *pipeline.Record) (*htmlgen.RunDetail, error) {
	d.once.Do(func() { d.refs, d.refsErr = d.repo.RunRefs() })
	if d.refsErr != nil {
		return nil, d.refsErr
	}
	out := &htmlgen.RunDetail{Logs: map[string][]byte{}}
	if commit, ok := d.refs[rec.Run]; ok {
		files, err := d.repo.RunFiles(commit)
		if err != nil {
			return nil, err
		}
		for _, s := range rec.Steps {
			if log, ok := files["logs/"+s.Stage+"/"+s.Step+".log"]; ok {
				out.Logs[s.Stage+"/"+s.Step] = log
			}
		}
	}
	if d.withDiff[rec.Run] {
		patch, cut, err := d.repo.Diff(plumbing.NewHash(rec.Base), plumbing.NewHash(rec.Commit), maxDiffBytes)
		if err == nil { // objects of a candidate fetched without its base: no diff
			out.Diff, out.DiffTruncated = patch, cut
		}
	}
	return out, nil
}

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
	parallel(len(notes), func(i int) {
		if n := &notes[i]; !n.cached {
			recs, errs := pipeline.ParseNote(n.text)
			n.parsed.Recs = recs
			for _, e := range errs {
				n.parsed.Errs = append(n.parsed.Errs, e.Error())
			}
		}
	})
	var warnings []string
	for _, n := range notes {
		for _, e := range n.parsed.Errs {
			warnings = append(warnings, fmt.Sprintf("%s %s: %s (skipped)", gitstore.NotesRef, n.obj.String()[:10], e))
		}
	}
	orderNotes(notes, len(cache.order))
	if next, changed := nextCache(cache, notes); changed {
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

// nextCache is the records cache for notes (in the order to write them):
// cache's notes that are still there and the new ones; changed reports
// whether it differs from cache. It reuses cache's map.
func nextCache(cache recordsCache, notes []noteBlob) (next recordsCache, changed bool) {
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
				changed = true
			}
		}
	}
	for rank, blob := range cache.order {
		if !kept[rank] {
			delete(next.Notes, blob)
			changed = true
		}
	}
	return next, changed
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
	sorted := make([]noteBlob, len(notes))
	for i := range notes {
		if n := &notes[i]; n.cached {
			sorted[start[n.parsed.rank]] = *n
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
	k := len(notes) - len(fresh)
	for _, i := range fresh {
		sorted[k] = notes[i]
		k++
	}
	copy(notes, sorted)
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
