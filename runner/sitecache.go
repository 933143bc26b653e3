package runner

import (
	"bytes"
	"cmp"
	"encoding/gob"
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
var recordsCacheVersion = "records-1/v" + strconv.Itoa(pipeline.RecordVersion)

// recordsCache is what reading the site's records keeps between builds:
// each note blob's parsed records and parse errors, by the blob's id. A
// blob's content never changes, so neither do its records.
type recordsCache struct {
	Notes map[plumbing.Hash]parsedNote
}

// parsedNote is a note's records and the errors of the lines that are not
// records, as text.
type parsedNote struct {
	Recs []pipeline.Record
	Errs []string
}

// cacheFile is the cache on disk: its version, then the notes in chunks,
// each gob-encoded apart, so that they decode in parallel.
type cacheFile struct {
	Version string
	Chunks  [][]byte
}

// cacheEntry is a note blob and what it holds, in a chunk.
type cacheEntry struct {
	Blob plumbing.Hash
	Note parsedNote
}

// recordsCachePath is the cache of repo's parsed notes, in its git dir.
func recordsCachePath(repo *gitstore.Repo) string {
	return filepath.Join(repo.CommonDir, "ci", "cache", "records.gob")
}

// loadRecordsCache reads the cache at path; a missing, corrupt or other
// version's cache gives an empty one.
func loadRecordsCache(path string) recordsCache {
	empty := recordsCache{Notes: map[plumbing.Hash]parsedNote{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return empty
	}
	var f cacheFile
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&f); err != nil || f.Version != recordsCacheVersion {
		return empty
	}
	chunks := make([][]cacheEntry, len(f.Chunks))
	errs := make([]error, len(f.Chunks))
	parallel(len(f.Chunks), func(i int) {
		errs[i] = gob.NewDecoder(bytes.NewReader(f.Chunks[i])).Decode(&chunks[i])
	})
	if errors.Join(errs...) != nil {
		return empty
	}
	c := recordsCache{Notes: make(map[plumbing.Hash]parsedNote, len(chunks)*cacheChunk)}
	for _, chunk := range chunks {
		for _, e := range chunk {
			c.Notes[e.Blob] = e.Note
		}
	}
	return c
}

// cacheChunk is how many notes a chunk of the cache file holds.
const cacheChunk = 1024

// save writes the cache to path: to a temporary file, then renamed, so a
// reader finds the old cache or the new one.
func (c recordsCache) save(path string) error {
	var entries []cacheEntry
	for blob, n := range c.Notes {
		entries = append(entries, cacheEntry{Blob: blob, Note: n})
	}
	f := cacheFile{Version: recordsCacheVersion, Chunks: make([][]byte, (len(entries)+cacheChunk-1)/cacheChunk)}
	errs := make([]error, len(f.Chunks))
	parallel(len(f.Chunks), func(i int) {
		var b bytes.Buffer
		errs[i] = gob.NewEncoder(&b).Encode(entries[i*cacheChunk : min(len(entries), (i+1)*cacheChunk)])
		f.Chunks[i] = b.Bytes()
	})
	var b bytes.Buffer
	if err := cmp.Or(errors.Join(errs...), gob.NewEncoder(&b).Encode(f)); err != nil {
		return err
	}
	return writeFileAtomic(path, b.Bytes())
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
