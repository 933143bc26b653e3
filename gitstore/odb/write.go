package odb

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/klauspost/compress/zlib"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// Hash is the id git gives an object of type typ and this content.
func Hash(typ plumbing.ObjectType, content []byte) plumbing.Hash {
	h := sha1.New()
	h.Write([]byte(typ.String() + " " + strconv.Itoa(len(content)) + "\x00"))
	h.Write(content)
	var id plumbing.Hash
	h.Sum(id[:0])
	return id
}

// zlibWriters keeps compressors for reuse, by level: a new one allocates
// and clears its tables, half a millisecond, more than the rest of
// writing an object.
var zlibWriters = map[int]*sync.Pool{
	zlib.BestSpeed:     zlibPool(zlib.BestSpeed),
	zlib.NoCompression: zlibPool(zlib.NoCompression),
}

func zlibPool(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		zw, _ := zlib.NewWriterLevel(nil, level)
		return zw
	}}
}

// looseLevel is the zlib level of a loose object of type typ: git's
// default (core.looseCompression 1, best speed), but none for a tree.
// A tree is mostly object ids, 20 random bytes an entry, which deflate
// cannot shrink: a notes fanout directory of 256 entries came to 82% of
// its 7.4 KB at level 1 (two 4 KB blocks on disk either way), and that
// cost more CPU than the rest of writing it. Stored blocks are what git
// itself writes with core.looseCompression 0; it and fsck read them as
// any others, and a pack compresses the tree again.
func looseLevel(typ plumbing.ObjectType) int {
	if typ == plumbing.TreeObject {
		return zlib.NoCompression
	}
	return zlib.BestSpeed
}

// Write stores an object as a loose object, unless the store has it, and
// returns its id. A reader never sees half an object: it is written to
// an unnamed file linked into place whole where the system allows
// (rawfile.WriteLinked), else, as git does, to a temporary file beside
// it, renamed into place.
func (db *DB) Write(typ plumbing.ObjectType, content []byte) (plumbing.Hash, error) {
	id := Hash(typ, content)
	if db.has(id, false) { // as git: no rescan of the packs to write an object
		return id, nil
	}
	path := loosePath(db.dirs[0], id)
	z := bytes.NewBuffer(make([]byte, 0, len(content)+64)) // no growing: room for stored blocks
	pool := zlibWriters[looseLevel(typ)]
	zw := pool.Get().(*zlib.Writer)
	defer pool.Put(zw)
	zw.Reset(z)
	zw.Write([]byte(typ.String() + " " + strconv.Itoa(len(content)) + "\x00"))
	zw.Write(content)
	if err := zw.Close(); err != nil {
		return id, err
	}
	if rawfile.WriteLinked(filepath.Dir(path), path, 0o444, z.Bytes()) {
		return id, nil
	}
	tmp, err := writeTemp(filepath.Dir(path), z.Bytes())
	if err == nil {
		err = rawfile.Rename(tmp, path)
	}
	if err != nil {
		if tmp != "" {
			syscall.Unlink(tmp)
		}
		return id, fmt.Errorf("write object %s: %w", id, err)
	}
	return id, nil
}

// writeTemp writes content to a new read-only file in dir (objects/XX),
// making dir only when it is missing, as git does: one system call to
// create the file in the common case. It returns the file's name, also
// with an error when the file was created.
func writeTemp(dir string, content []byte) (string, error) {
	for i := 0; ; i++ {
		name := filepath.Join(dir, fmt.Sprintf("tmp_obj_%06x", rand.Uint32()&0xffffff))
		created, err := rawfile.WriteNew(name, 0o444, content)
		switch {
		case err == nil || created:
			return name, err
		case errors.Is(err, fs.ErrNotExist) && i == 0:
			if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", err
			}
		case errors.Is(err, fs.ErrExist) && i < 100:
		default:
			return "", err
		}
	}
}
