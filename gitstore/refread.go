package gitstore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
)

// readRef reads a shared ref as git's files backend stores it: a loose
// file under the common dir, else a line of packed-refs. It returns the
// ref's value as stored: an id, or "ref: TARGET" for a symbolic ref; ok
// is false when there is no such ref.
func (r *Repo) readRef(name string) (string, bool, error) {
	b, err := os.ReadFile(filepath.Join(r.CommonDir, filepath.FromSlash(name)))
	switch {
	case err == nil:
		return strings.TrimSpace(string(b)), true, nil
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.EISDIR) && !errors.Is(err, syscall.ENOTDIR):
		return "", false, fmt.Errorf("read %s: %w", name, err)
	}
	packed, err := r.packedRefs()
	if err != nil {
		return "", false, err
	}
	v, ok := packed[name]
	return v, ok, nil
}

// RefValue returns the id a ref holds, following symbolic refs; ZeroHash
// when it does not exist.
func (r *Repo) RefValue(name string) (plumbing.Hash, error) {
	for depth := 0; depth < 5; depth++ {
		v, ok, err := r.readRef(name)
		if err != nil || !ok {
			return plumbing.ZeroHash, err
		}
		target, symbolic := strings.CutPrefix(v, "ref: ")
		if !symbolic {
			h, ok := parseHex(v)
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("%s: not an object id: %q", name, v)
			}
			return h, nil
		}
		name = strings.TrimSpace(target)
	}
	return plumbing.ZeroHash, fmt.Errorf("%s: symbolic refs nested too deep", name)
}

// packed caches the parsed packed-refs file while it is unchanged: it
// can hold every run ref ever packed, and refs are read often.
type packed struct {
	mu   sync.Mutex
	stat fs.FileInfo
	refs map[string]string
}

func (r *Repo) packedRefs() (map[string]string, error) {
	path := filepath.Join(r.CommonDir, "packed-refs")
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.packed.mu.Lock()
	defer r.packed.mu.Unlock()
	if old := r.packed.stat; old != nil && os.SameFile(old, st) && old.Size() == st.Size() && old.ModTime().Equal(st.ModTime()) {
		return r.packed.refs, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue // the header, or the peeled value of the tag above
		}
		if id, name, ok := strings.Cut(line, " "); ok {
			refs[name] = id
		}
	}
	r.packed.stat, r.packed.refs = st, refs
	return refs, sc.Err()
}
