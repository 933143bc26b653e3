package gitstore

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

type signature = object.Signature

// identity is who git-ci's commits are by: git's own committer identity
// (GIT_COMMITTER_*, user.name, user.email), else "git-ci".
func (r *Repo) identity() object.Signature {
	r.identOnce.Do(func() {
		r.ident = object.Signature{Name: "git-ci", Email: "git-ci@localhost"}
		out, err := r.Run(context.Background(), nil, "var", "GIT_COMMITTER_IDENT")
		if err != nil {
			return
		}
		if sig, ok := parseIdent(strings.TrimSpace(string(out))); ok {
			r.ident = sig
		}
	})
	sig := r.ident
	if sig.When.IsZero() {
		sig.When = time.Now()
	}
	return sig
}

// parseIdent parses "Name <email> 1700000000 +0100" as git var prints it.
func parseIdent(s string) (object.Signature, bool) {
	lt, gt := strings.LastIndex(s, "<"), strings.LastIndex(s, ">")
	if lt < 0 || gt < lt {
		return object.Signature{}, false
	}
	sig := object.Signature{Name: strings.TrimSpace(s[:lt]), Email: s[lt+1 : gt]}
	// git var's date is "now" unless GIT_COMMITTER_DATE fixes it; only a
	// fixed date may be cached, so "now" is left for identity to fill in.
	f := strings.Fields(s[gt+1:])
	if len(f) == 2 && os.Getenv("GIT_COMMITTER_DATE") != "" {
		secs, err := strconv.ParseInt(f[0], 10, 64)
		tz, err2 := time.Parse("-0700", f[1])
		if err == nil && err2 == nil {
			sig.When = time.Unix(secs, 0).In(tz.Location())
		}
	}
	return sig, true
}

// WriteCommit writes a commit object and returns its id.
func (r *Repo) WriteCommit(tree plumbing.Hash, parents []plumbing.Hash, message string) (plumbing.Hash, error) {
	sig := r.identity()
	c := &object.Commit{Author: sig, Committer: sig, Message: message, TreeHash: tree, ParentHashes: parents}
	obj := r.storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode commit: %w", err)
	}
	return r.storer.SetEncodedObject(obj)
}

// WriteBlob writes content as a blob and returns its id.
func (r *Repo) WriteBlob(content []byte) (plumbing.Hash, error) {
	obj := r.storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(content); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.storer.SetEncodedObject(obj)
}

// WriteTree writes a tree of the given entries, in git's order, and returns its id.
func (r *Repo) WriteTree(entries []object.TreeEntry) (plumbing.Hash, error) {
	sorted := append([]object.TreeEntry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return treeKey(sorted[i]) < treeKey(sorted[j]) })
	t := &object.Tree{Entries: sorted}
	obj := r.storer.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode tree: %w", err)
	}
	return r.storer.SetEncodedObject(obj)
}

// treeKey is git's tree order: a directory sorts as if its name ended in "/".
func treeKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// Commit reads a commit object.
func (r *Repo) Commit(h plumbing.Hash) (*object.Commit, error) {
	c, err := object.GetCommit(r.storer, h)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	return c, nil
}

// IsAncestor reports whether a is b or an ancestor of b.
func (r *Repo) IsAncestor(a, b plumbing.Hash) (bool, error) {
	if a == b {
		return true, nil
	}
	ca, err := r.Commit(a)
	if err != nil {
		return false, err
	}
	cb, err := r.Commit(b)
	if err != nil {
		return false, err
	}
	return ca.IsAncestor(cb)
}

// ChangedPaths lists the paths whose content differs between two commits' trees.
func (r *Repo) ChangedPaths(a, b plumbing.Hash) ([]string, error) {
	out, err := r.Run(context.Background(), nil, "diff-tree", "-r", "--name-only", "-z", "--no-renames", a.String(), b.String())
	if err != nil {
		return nil, err
	}
	return splitZ(out), nil
}

func splitZ(b []byte) []string {
	var out []string
	for _, s := range strings.Split(string(b), "\x00") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
