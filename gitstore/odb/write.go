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

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/klauspost/compress/zlib"
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

// zlibWriters keeps compressors for reuse: a new one allocates and clears
// its tables, half a millisecond, more than the rest of writing an object.
var zlibWriters = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return zw
}}

// Write stores an object as a loose object, unless the store has it, and
// returns its id. Like git, it writes a temporary file beside the object
// and renames it into place, so a reader never sees half an object.
func (db *DB) Write(typ plumbing.ObjectType, content []byte) (plumbing.Hash, error) {
	id := Hash(typ, content)
	if db.has(id, false) { // as git: no rescan of the packs to write an object
		return id, nil
	}
	path := loosePath(db.dirs[0], id)
	var z bytes.Buffer
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	zw.Reset(&z)
	zw.Write([]byte(typ.String() + " " + strconv.Itoa(len(content)) + "\x00"))
	zw.Write(content)
	if err := zw.Close(); err != nil {
		return id, err
	}
	tmp, err := createTemp(filepath.Dir(path))
	if err != nil {
		return id, fmt.Errorf("write object %s: %w", id, err)
	}
	_, err = tmp.Write(z.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return id, fmt.Errorf("write object %s: %w", id, err)
	}
	return id, nil
}

// createTemp creates a new read-only file in dir (objects/XX), making dir
// only when it is missing, as git does: one system call in the common case.
func createTemp(dir string) (*os.File, error) {
	for i := 0; ; i++ {
		name := filepath.Join(dir, fmt.Sprintf("tmp_obj_%06x", rand.Uint32()&0xffffff))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
		switch {
		case err == nil:
			return f, nil
		case errors.Is(err, fs.ErrNotExist) && i == 0:
			if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return nil, err
			}
		case errors.Is(err, fs.ErrExist) && i < 100:
		default:
			return nil, err
		}
	}
}
