package gitstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// readRef reads a shared ref as git's files backend stores it: a loose
// file under the common dir, else a line of packed-refs. It returns the
// ref's value as stored: an id, or "ref: TARGET" for a symbolic ref; ok
// is false when there is no such ref. In a repository with another ref
// backend (reftable) git reads it, and a symbolic ref comes back resolved.
func (r *Repo) readRef(name string) (string, bool, error) {
	if !r.filesBackend() {
		return r.readRefByGit(name)
	}
	b, err := rawfile.ReadFile(filepath.Join(r.CommonDir, filepath.FromSlash(name)))
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

// filesBackend reports whether the repository keeps its refs as files
// (loose and packed-refs), the only layout read in process. Every ref read
// asks, so it is decided once: a repository changes its ref storage only
// by `git refs migrate`, not under a running command.
func (r *Repo) filesBackend() bool {
	r.refStorageOnce.Do(func() {
		b, _ := rawfile.ReadFile(filepath.Join(r.CommonDir, "config"))
		r.refFiles = refsAsFiles(b)
	})
	return r.refFiles
}

// refsAsFiles reads extensions.refStorage where git does: in the
// repository's own config file alone (setup.c's read_repository_format),
// whose content is b, not in the system or global ones. So a command that
// only reads refs reads no other config file, nor searches PATH for git's
// system config; one that reads the whole config decides it then.
func refsAsFiles(b []byte) bool {
	c := gitConfig{values: map[string][]string{}}
	if parseGitConfig(string(b), c.values) {
		v, set := c.get("extensions.refstorage")
		return !set || v == "files"
	}
	// A config this reader does not follow: a mention of refStorage at
	// all sends refs to git.
	return !bytes.Contains(bytes.ToLower(b), []byte("refstorage"))
}

func (r *Repo) readRefByGit(name string) (string, bool, error) {
	out, err := r.Run(context.Background(), nil, "rev-parse", "--verify", "--quiet", "--end-of-options", name)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), true, nil
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
	mu    sync.Mutex
	stat  fs.FileInfo
	refs  map[string]string
	names []string // refs' names in order
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
	b, err := rawfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	var names []string
	sorted := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# pack-refs with:") {
			sorted = slices.Contains(strings.Fields(line), "sorted")
		}
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue // the header, or the peeled value of the tag above
		}
		if id, name, ok := strings.Cut(line, " "); ok {
			refs[name] = id
			names = append(names, name)
		}
	}
	if !sorted {
		slices.Sort(names)
	}
	r.packed.stat, r.packed.refs, r.packed.names = st, refs, names
	return refs, sc.Err()
}

// packedUnder reports whether packed-refs holds a ref below prefix
// (which ends in "/").
func (r *Repo) packedUnder(prefix string) (bool, error) {
	if refs, err := r.packedRefs(); refs == nil || err != nil {
		return false, err
	}
	r.packed.mu.Lock()
	defer r.packed.mu.Unlock()
	i, _ := slices.BinarySearch(r.packed.names, prefix)
	return i < len(r.packed.names) && strings.HasPrefix(r.packed.names[i], prefix), nil
}
