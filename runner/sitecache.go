package runner

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// recordsCacheVersion names the cache's layout and the record format it
// holds; a cache of any other version is ignored and rebuilt.
var recordsCacheVersion = "git-ci records cache 3/v" + strconv.Itoa(pipeline.RecordVersion)

// recordsCache is what reading the site's records keeps between builds:
// each note blob's parsed records and parse errors, by the blob's id. A
// blob's content never changes, so neither do its records.
type recordsCache struct {
	Notes map[plumbing.Hash]parsedNote
	// order is the notes in the order to write them (decoded: the order
	// they were written in); nil: any.
	order []plumbing.Hash
	// words are the cache file's table of repeated strings (names,
	// statuses), which the notes' encodings refer to by index; a save
	// only appends to it, so encodings read from the file stay valid.
	words []string
}

// parsedNote is a note's records and the errors of the lines that are not
// records, as text.
type parsedNote struct {
	Recs []pipeline.Record
	Errs []string
	enc  string // its encoding in the cache file; "" for a note parsed now
	rank int    // its place in the cache file
}

// cachePath is the site's cache file name in repo's git dir
// (.git/ci/cache/NAME), shared by all its worktrees.
func cachePath(repo *gitstore.Repo, name string) string {
	return filepath.Join(repo.CommonDir, "ci", "cache", name)
}

// recordsCachePath is the cache of repo's parsed notes.
func recordsCachePath(repo *gitstore.Repo) string { return cachePath(repo, "records.bin") }

// loadRecordsCache reads the cache at path; a missing, corrupt or other
// version's cache gives an empty one.
func loadRecordsCache(path string) recordsCache {
	b, err := os.ReadFile(path)
	if err != nil {
		return recordsCache{Notes: map[plumbing.Hash]parsedNote{}}
	}
	c, err := decodeRecordsCache(b)
	if err != nil {
		return recordsCache{Notes: map[plumbing.Hash]parsedNote{}}
	}
	return c
}

// save writes the cache to path: to a temporary file, then renamed, so a
// reader finds the old cache or the new one. Notes read from the file are
// copied as they were encoded; only new ones are encoded.
func (c recordsCache) save(path string) error {
	if err := writeFileAtomic(path, c.encode()); err != nil {
		return err
	}
	os.Remove(filepath.Join(filepath.Dir(path), "records.gob")) // of git-ci before the binary cache
	return nil
}

// writeFileAtomic writes b to path through a temporary file renamed into
// place, so a reader finds the old file or the new one.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err := errors.Join(err, tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// parallel calls f(0) ... f(n-1) on runtime.NumCPU goroutines.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}
