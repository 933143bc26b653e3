package gitstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

type signature = odb.Signature

// identity is who git-ci's commits are by: git's own committer identity
// (GIT_COMMITTER_*, user.name, user.email), else "git-ci".
func (r *Repo) identity() signature {
	r.identOnce.Do(func() {
		if sig, ok := configIdent(r.config()); ok {
			r.ident = sig // no git process for what the config says
			return
		}
		r.ident = signature{Name: "git-ci", Email: "git-ci@localhost"}
		out, err := r.Run(context.Background(), nil, "var", "GIT_COMMITTER_IDENT")
		if err != nil {
			return
		}
		if sig, err := odb.ParseSignature(strings.TrimSpace(string(out))); err == nil {
			// git var's date is "now" unless GIT_COMMITTER_DATE fixes it;
			// only a fixed date may be kept, "now" is filled in below.
			if os.Getenv("GIT_COMMITTER_DATE") == "" {
				sig.When = time.Time{}
			}
			r.ident = sig
		}
	})
	sig := r.ident
	if sig.When.IsZero() {
		sig.When = time.Now()
	}
	return sig
}

// WriteCommit writes a commit object and returns its id.
func (r *Repo) WriteCommit(tree plumbing.Hash, parents []plumbing.Hash, message string) (plumbing.Hash, error) {
	sig := r.identity()
	c := &odb.Commit{Author: sig, Committer: sig, Message: message, Tree: tree, Parents: parents}
	return r.objects.Write(plumbing.CommitObject, odb.EncodeCommit(c))
}

// WriteBlob writes content as a blob and returns its id.
func (r *Repo) WriteBlob(content []byte) (plumbing.Hash, error) {
	return r.objects.Write(plumbing.BlobObject, content)
}

// WriteTree writes a tree of the given entries, in git's order, and returns its id.
func (r *Repo) WriteTree(entries []odb.TreeEntry) (plumbing.Hash, error) {
	sorted := append([]odb.TreeEntry(nil), entries...)
	odb.SortTree(sorted)
	return r.writeRawTree(sorted)
}

// writeRawTree writes a tree of entries in the order given, as git's notes
// code does (WriteTree sorts).
func (r *Repo) writeRawTree(entries []odb.TreeEntry) (plumbing.Hash, error) {
	return r.objects.Write(plumbing.TreeObject, odb.EncodeTree(entries))
}

// Commit reads a commit object.
func (r *Repo) Commit(h plumbing.Hash) (*odb.Commit, error) {
	typ, b, err := r.read(h)
	if err == nil && typ != plumbing.CommitObject {
		err = fmt.Errorf("a %s, not a commit", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	c, err := odb.ParseCommit(b)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	return c, nil
}

// ErrNoFile means a commit's tree has no file at the path asked for.
var ErrNoFile = errors.New("no such file")

// File returns the content of the file at path (slash-separated) in
// commit's tree; an error wrapping ErrNoFile when there is none.
func (r *Repo) File(commit plumbing.Hash, path string) ([]byte, error) {
	c, err := r.Commit(commit)
	if err != nil {
		return nil, err
	}
	id, dirs := c.Tree, strings.Split(path, "/")
	for i, name := range dirs {
		entries, err := r.tree(id)
		if err != nil {
			return nil, err
		}
		found := false
		for _, e := range entries {
			if e.Name == name && (i == len(dirs)-1) != (e.Mode == filemode.Dir) {
				id, found = e.Hash, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%s at %s: %w", path, commit.String()[:7], ErrNoFile)
		}
	}
	typ, b, err := r.read(id)
	if err == nil && typ != plumbing.BlobObject {
		err = fmt.Errorf("%s at %s is a %s", path, commit.String()[:7], typ)
	}
	return b, err
}

// IsAncestor reports whether a is b or an ancestor of b (git merge-base
// --is-ancestor: git's commit-graph makes it fast on any history).
func (r *Repo) IsAncestor(a, b plumbing.Hash) (bool, error) {
	if a == b {
		return true, nil
	}
	_, err := r.Run(context.Background(), nil, "merge-base", "--is-ancestor", a.String(), b.String())
	var ge *GitError
	var ee *exec.ExitError
	if errors.As(err, &ge) && errors.As(ge.Err, &ee) && ee.ExitCode() == 1 {
		return false, nil
	}
	return err == nil, err
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
