package gitstore

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// discover finds the repository containing dir the way git does in the
// common case — a work tree with a .git directory, or a linked worktree
// with a .git file — without starting git. ok is false for anything else
// (a bare repository, GIT_DIR and friends set, a repository owned by
// another user that safe.directory would judge), and Open then asks git.
func discover(dir string) (r *Repo, ok bool) {
	for _, v := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"} {
		if _, set := os.LookupEnv(v); set {
			return nil, false
		}
	}
	d, err := filepath.Abs(dir)
	if err == nil {
		d, err = filepath.EvalSymlinks(d)
	}
	if err != nil {
		return nil, false
	}
	for {
		if filepath.Base(d) == ".git" {
			return nil, false // inside a git dir: let git say what it is
		}
		if gitDir, found := dotGit(d); found {
			return repoAt(d, gitDir)
		}
		if isGitDir(d) {
			return nil, false // bare
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil, false
		}
		d = parent
	}
}

// dotGit returns the git dir that top/.git names: the directory itself, or
// the target of a "gitdir: PATH" file.
func dotGit(top string) (string, bool) {
	p := filepath.Join(top, ".git")
	fi, err := os.Stat(p)
	if err != nil {
		return "", false
	}
	if fi.IsDir() {
		return p, isGitDir(p)
	}
	b, err := rawfile.ReadFile(p)
	target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
	if err != nil || !ok {
		return "", false
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(top, target)
	}
	return filepath.Clean(target), isGitDir(target)
}

func repoAt(top, gitDir string) (*Repo, bool) {
	common := gitDir
	if b, err := rawfile.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common = strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		common = filepath.Clean(common)
	}
	if !ownedByMe(top) || !ownedByMe(common) {
		return nil, false
	}
	return &Repo{Dir: top, GitDir: gitDir, CommonDir: common}, true
}

// isGitDir is git's own test (is_git_directory): HEAD, objects and refs.
func isGitDir(d string) bool {
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(d, name)); err != nil {
			// A linked worktree's git dir has HEAD but shares objects and refs.
			if name != "HEAD" {
				if _, err := os.Stat(filepath.Join(d, "commondir")); err == nil {
					continue
				}
			}
			return false
		}
	}
	return true
}

func ownedByMe(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
