package runner

import (
	"os"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/gitstore/odb"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// notesTreesVersion names the layout of the notes trees cache.
const notesTreesVersion = "git-ci notes trees cache 1"

// notesTreesPath is the cache of the notes tree's directories, in repo's
// git dir: what the last walk of the notes read (gitstore.NoteTrees).
func notesTreesPath(repo *gitstore.Repo) string {
	return cachePath(repo, "notes-trees.bin")
}

// loadNotesTrees reads the cache at path; a missing, corrupt or other
// version's cache gives none.
func loadNotesTrees(path string) map[plumbing.Hash][]odb.TreeEntry {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	trees, err := decodeNotesTrees(b)
	if err != nil {
		return nil
	}
	return trees
}

// staleTrees is how many directories a walk may read from git before the
// trees it used are written: one more note changes a directory or two,
// cheaper to read again than the cache to rewrite (0.7 MB at 10,000
// notes, 7 MB at 100,000). A variable for tests.
var staleTrees = 32

// saveNotesTrees writes the trees the walk used, to a temporary file
// renamed into place, when there was no cache or the walk read more than
// staleTrees of them from git.
func saveNotesTrees(path string, t *gitstore.NoteTrees) error {
	read := 0
	for id := range t.Used {
		if _, ok := t.Known[id]; !ok {
			read++
		}
	}
	if read == 0 || (read <= staleTrees && len(t.Known) > 0) {
		return nil
	}
	return writeFileAtomic(path, encodeNotesTrees(t.Used))
}

// encodeNotesTrees is the cache file: the number of trees and of entries
// in all, then each tree's id, its number of entries and each entry's
// name, mode and id.
func encodeNotesTrees(trees map[plumbing.Hash][]odb.TreeEntry) []byte {
	entries := 0
	for _, es := range trees {
		entries += len(es)
	}
	w := newCacheWriter(notesTreesVersion, 64*entries+32*len(trees)+64)
	w.uint(uint64(len(trees)))
	w.uint(uint64(entries))
	for id, es := range trees {
		w.b = append(w.b, id[:]...)
		w.uint(uint64(len(es)))
		for _, e := range es {
			w.str(e.Name)
			w.uint(uint64(e.Mode))
			w.b = append(w.b, e.Hash[:]...)
		}
	}
	return w.bytes()
}

// decodeNotesTrees reads a cache file; any flaw is errCacheCorrupt.
func decodeNotesTrees(b []byte) (map[plumbing.Hash][]odb.TreeEntry, error) {
	r, err := openCache(b, notesTreesVersion)
	if err != nil {
		return nil, err
	}
	trees := make(map[plumbing.Hash][]odb.TreeEntry, r.count())
	slab := make([]odb.TreeEntry, r.count())
	for r.err == nil && r.off < len(r.s) {
		var id plumbing.Hash
		copy(id[:], r.raw(len(id)))
		n := r.count()
		if n > len(slab) {
			return nil, errCacheCorrupt
		}
		es := slab[:n:n]
		slab = slab[n:]
		for i := range es {
			es[i].Name = r.str()
			es[i].Mode = filemode.FileMode(r.uint())
			copy(es[i].Hash[:], r.raw(len(es[i].Hash)))
		}
		trees[id] = es
	}
	return trees, r.done()
}
