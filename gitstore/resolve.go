package gitstore

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// resolveHere resolves the revisions most commands get (HEAD, a full
// object id, a branch, tag or remote-tracking name, a full ref name) to a
// commit without starting git, in git's order (refs.c's
// ref_rev_parse_rules). ok is false for anything else, for git to read:
// revision syntax (main~2, HEAD@{1}, v1^{tree}), short ids, pseudo-refs
// such as FETCH_HEAD, per-worktree refs, names that resolve to no
// commit, so that git words the error, and every name in a repository
// whose refs are not files (reftable).
func (r *Repo) resolveHere(rev string) (plumbing.Hash, bool) {
	if rev == "" || strings.ContainsAny(rev, "~^:@{}[]?* \\\t\n") || strings.Contains(rev, "..") || !r.filesBackend() {
		return plumbing.ZeroHash, false
	}
	if rev == "HEAD" {
		return r.peelHere(r.headHere())
	}
	if len(rev) == 40 {
		if h, ok := parseHex(rev); ok {
			return r.peelHere(h, true)
		}
	}
	if isPseudoRef(rev) || perWorktree(rev) {
		return plumbing.ZeroHash, false
	}
	for _, full := range []string{"refs/" + rev, "refs/tags/" + rev, "refs/heads/" + rev, "refs/remotes/" + rev, "refs/remotes/" + rev + "/HEAD"} {
		if strings.HasPrefix(rev, "refs/") && full == "refs/"+rev {
			full = rev // refs/heads/x is itself the first rule, "%.*s"
		}
		if h, ok := r.refHere(full); ok {
			return r.peelHere(h, true)
		}
	}
	return plumbing.ZeroHash, false
}

// headHere is this worktree's HEAD, from its own git dir (a linked
// worktree's HEAD is not the common dir's).
func (r *Repo) headHere() (plumbing.Hash, bool) {
	b, err := rawfile.ReadFile(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return plumbing.ZeroHash, false
	}
	line := string(bytes.TrimSpace(b))
	if target, ok := strings.CutPrefix(line, "ref: "); ok {
		if perWorktree(target) {
			return plumbing.ZeroHash, false
		}
		return r.refHere(target)
	}
	return parseHex(line)
}

// refHere reads a shared ref; ok is false when it does not exist.
func (r *Repo) refHere(name string) (plumbing.Hash, bool) {
	if perWorktree(name) {
		return plumbing.ZeroHash, false
	}
	h, err := r.RefValue(name)
	return h, err == nil && !h.IsZero()
}

// peelHere follows annotated tags to the commit they name; ok is false
// when h is not there or names no commit.
func (r *Repo) peelHere(h plumbing.Hash, ok bool) (plumbing.Hash, bool) {
	for i := 0; ok && i < 10; i++ {
		typ, b, err := r.read(h)
		switch {
		case err != nil:
			return h, false
		case typ == plumbing.CommitObject:
			return h, true
		case typ != plumbing.TagObject:
			return h, false
		}
		line, _, _ := bytes.Cut(b, []byte("\n"))
		id, found := bytes.CutPrefix(line, []byte("object "))
		if !found {
			return h, false
		}
		h, ok = parseHex(string(id))
	}
	return h, false
}

func parseHex(s string) (plumbing.Hash, bool) {
	if len(s) != 40 || strings.Trim(s, "0123456789abcdef") != "" {
		return plumbing.ZeroHash, false
	}
	return plumbing.NewHash(s), true
}

// isPseudoRef is git's test for names such as FETCH_HEAD or ORIG_HEAD,
// which live in the git dir: all capitals and underscores.
func isPseudoRef(name string) bool {
	return strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == ""
}

// perWorktree refs live in each worktree's git dir, not the common one.
func perWorktree(name string) bool {
	for _, p := range []string{"refs/worktree/", "refs/bisect/", "refs/rewritten/", "worktrees/", "main-worktree/"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
