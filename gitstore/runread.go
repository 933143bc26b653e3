package gitstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// FindRun resolves a run id, or a unique prefix of one, to its full id and
// its run commit under refs/ci/runs/. The error names the id and, when it is
// ambiguous, the runs it matches.
func (r *Repo) FindRun(id string) (string, plumbing.Hash, error) {
	out, err := r.Run(context.Background(), nil, "for-each-ref", "--format=%(refname) %(objectname)", RunsPrefix+id+"*")
	if err != nil {
		return "", plumbing.ZeroHash, err
	}
	var names []string
	var hashes []plumbing.Hash
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, hash, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if full := strings.TrimPrefix(name, RunsPrefix); full == id {
			return full, plumbing.NewHash(hash), nil
		}
		names = append(names, strings.TrimPrefix(name, RunsPrefix))
		hashes = append(hashes, plumbing.NewHash(hash))
	}
	switch len(names) {
	case 0:
		return "", plumbing.ZeroHash, fmt.Errorf("run %q: no %s%s: %w", id, RunsPrefix, id, ErrNoRef)
	case 1:
		return names[0], hashes[0], nil
	}
	sort.Strings(names)
	return "", plumbing.ZeroHash, fmt.Errorf("run %q is ambiguous: it matches %s", id, strings.Join(names, ", "))
}

// RunFiles reads the files of a run commit's tree: run.json and the logs,
// by slash-separated path.
func (r *Repo) RunFiles(runCommit plumbing.Hash) (map[string][]byte, error) {
	c, err := r.Commit(runCommit)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	if err := r.readFiles(c.Tree, "", files); err != nil {
		return nil, fmt.Errorf("run commit %s: %w", runCommit, err)
	}
	return files, nil
}

// RevList lists the commits of a range in git's own syntax (rev-list
// arguments such as "main", "main~10..main"), newest first, at most max.
func (r *Repo) RevList(rangeArgs []string, max int) ([]plumbing.Hash, error) {
	args := append([]string{"rev-list", fmt.Sprintf("--max-count=%d", max)}, rangeArgs...)
	out, err := r.Run(context.Background(), nil, append(args, "--")...)
	if err != nil {
		return nil, err
	}
	var hs []plumbing.Hash
	for _, l := range strings.Fields(string(out)) {
		hs = append(hs, plumbing.NewHash(l))
	}
	return hs, nil
}

// readFiles adds the files under tree to files, by path under prefix.
func (r *Repo) readFiles(tree plumbing.Hash, prefix string, files map[string][]byte) error {
	entries, err := r.tree(tree)
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch {
		case e.Mode == filemode.Dir:
			err = r.readFiles(e.Hash, prefix+e.Name+"/", files)
		case e.Mode.IsFile():
			var typ plumbing.ObjectType
			typ, files[prefix+e.Name], err = r.read(e.Hash)
			if err == nil && typ != plumbing.BlobObject {
				err = fmt.Errorf("%s%s is a %s", prefix, e.Name, typ)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
