package runner

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
)

// targetLogVersion names the layout of the target's log cache.
const targetLogVersion = "target-log-1"

// targetLogCache is the target's commit list as the site last read it,
// valid while the target's tip is Tip: `git log` of the same commit gives
// the same list.
type targetLogCache struct {
	Version, Ref, Tip string
	Commits           []htmlgen.Commit
}

// targetLogPath is the cache of the target's commit list, in repo's git dir.
func targetLogPath(repo *gitstore.Repo) string {
	return filepath.Join(repo.CommonDir, "ci", "cache", "target-log.gob")
}

// targetCommits is target's commits, newest first, as `git log target`
// lists them: from the cache when the target's tip is the one it was made
// for, else from git, and then cached. A cache that cannot be written is
// a warning.
func targetCommits(repo *gitstore.Repo, target string) ([]htmlgen.Commit, []string, error) {
	tip, err := repo.RefValue(target)
	if err != nil {
		return nil, nil, err
	}
	path := targetLogPath(repo)
	if b, err := os.ReadFile(path); err == nil {
		var c targetLogCache
		if gob.NewDecoder(bytes.NewReader(b)).Decode(&c) == nil && c.Version == targetLogVersion && c.Ref == target && c.Tip == tip.String() {
			return c.Commits, nil, nil
		}
	}
	log, err := repo.Log([]string{tip.String()}, 0)
	if err != nil {
		return nil, nil, err
	}
	c := targetLogCache{Version: targetLogVersion, Ref: target, Tip: tip.String(), Commits: make([]htmlgen.Commit, 0, len(log))}
	for _, l := range log {
		c.Commits = append(c.Commits, htmlgen.Commit{Hash: l.Hash.String(), Subject: l.Subject, Author: l.Author, Date: l.Date})
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(c); err == nil {
		if err := writeFileAtomic(path, b.Bytes()); err != nil {
			return c.Commits, []string{"target log cache " + path + " not written: " + err.Error()}, nil
		}
	}
	return c.Commits, nil, nil
}
