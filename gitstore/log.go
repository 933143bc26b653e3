package gitstore

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// CommitInfo is what people read about a commit in a list: its id, the
// first line of its message, its author and its committer date.
type CommitInfo struct {
	Hash    plumbing.Hash
	Subject string
	Author  string
	Date    time.Time
}

// Log lists the commits of a range in git's own syntax (as RevList takes
// it), newest first, at most max (0: all), with subject, author and committer date (when it landed),
// from one `git log` process.
func (r *Repo) Log(rangeArgs []string, max int) ([]CommitInfo, error) {
	args := []string{"log", "--no-color", "--format=%H%x1f%an%x1f%ct%x1f%s%x1e"}
	if max > 0 {
		args = append(args, fmt.Sprintf("--max-count=%d", max))
	}
	out, err := r.Run(context.Background(), nil, append(append(args, rangeArgs...), "--")...)
	if err != nil {
		return nil, err
	}
	var cs []CommitInfo
	for _, rec := range bytes.Split(out, []byte{0x1e}) {
		f := bytes.Split(bytes.TrimLeft(rec, "\n"), []byte{0x1f})
		if len(f) != 4 {
			continue
		}
		var sec int64
		fmt.Sscan(string(f[2]), &sec)
		cs = append(cs, CommitInfo{Hash: plumbing.NewHash(string(f[0])), Author: string(f[1]),
			Date: time.Unix(sec, 0).UTC(), Subject: string(f[3])})
	}
	return cs, nil
}

// RunRefs lists refs/ci/runs/: run id -> run commit, from one
// `git for-each-ref`.
func (r *Repo) RunRefs() (map[string]plumbing.Hash, error) {
	out, err := r.Run(context.Background(), nil, "for-each-ref", "--format=%(objectname) %(refname)", RunsPrefix)
	if err != nil {
		return nil, err
	}
	runs := map[string]plumbing.Hash{}
	for _, line := range bytes.Split(out, []byte("\n")) {
		hash, name, ok := bytes.Cut(line, []byte(" "))
		if ok {
			runs[string(bytes.TrimPrefix(name, []byte(RunsPrefix)))] = plumbing.NewHash(string(hash))
		}
	}
	return runs, nil
}

// Diff is `git diff` from a to b: a unified patch of what b changes, at
// most maxBytes of it (0: all); truncated says that more was cut.
func (r *Repo) Diff(a, b plumbing.Hash, maxBytes int) (patch []byte, truncated bool, err error) {
	out, err := r.Run(context.Background(), nil, "diff", "--no-color", "--no-ext-diff", "--no-textconv", a.String(), b.String(), "--")
	if err != nil {
		return nil, false, err
	}
	if maxBytes > 0 && len(out) > maxBytes {
		cut := bytes.LastIndexByte(out[:maxBytes], '\n')
		return out[:cut+1], true, nil
	}
	return out, false, nil
}
