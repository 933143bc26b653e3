package runner

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
)

// targetLogVersion names the layout of the target's log cache.
const targetLogVersion = "git-ci target log cache 2"

// targetLogPath is the cache of the target's commit list, in repo's git dir.
func targetLogPath(repo *gitstore.Repo) string {
	return cachePath(repo, "target-log.bin")
}

// targetCommits is target's commits, newest first, as `git log target`
// lists them: from the cache when the target's tip is the one it was made
// for (`git log` of the same commit gives the same list), else from git,
// and then cached. A cache that cannot be written is a warning.
func targetCommits(repo *gitstore.Repo, target string) ([]htmlgen.Commit, []string, error) {
	tip, err := repo.RefValue(target)
	if err != nil {
		return nil, nil, err
	}
	path := targetLogPath(repo)
	if b, err := os.ReadFile(path); err == nil {
		if commits, err := decodeTargetLog(b, target, tip.String()); err == nil {
			return commits, nil, nil
		}
	}
	log, err := repo.Log([]string{tip.String()}, 0)
	if err != nil {
		return nil, nil, err
	}
	commits := make([]htmlgen.Commit, 0, len(log))
	for _, l := range log {
		commits = append(commits, htmlgen.Commit{Hash: l.Hash.String(), Subject: l.Subject, Author: l.Author, Date: l.Date})
	}
	if err := writeFileAtomic(path, encodeTargetLog(target, tip.String(), commits)); err != nil {
		return commits, []string{"target log cache " + path + " not written: " + err.Error()}, nil
	}
	os.Remove(filepath.Join(filepath.Dir(path), "target-log.gob")) // of git-ci before the binary cache
	return commits, nil, nil
}

// encodeTargetLog is the cache file of ref's commits at tip: the ref, the
// tip, then the commits' count and each commit's fields.
func encodeTargetLog(ref, tip string, commits []htmlgen.Commit) []byte {
	w := newCacheWriter(targetLogVersion, 128*len(commits)+256)
	w.str(ref)
	w.str(tip)
	w.uint(uint64(len(commits)))
	for _, c := range commits {
		w.str(c.Hash)
		w.str(c.Subject)
		w.str(c.Author)
		w.time(c.Date)
	}
	return w.bytes()
}

// decodeTargetLog reads the commits of a cache file made for ref at tip;
// an error for a file of another ref or tip, or a flawed one.
func decodeTargetLog(b []byte, ref, tip string) ([]htmlgen.Commit, error) {
	r, err := openCache(b, targetLogVersion)
	if err != nil {
		return nil, err
	}
	if r.str() != ref || r.str() != tip {
		return nil, errors.New("target log cache of another tip")
	}
	commits := make([]htmlgen.Commit, r.count())
	for i := range commits {
		c := &commits[i]
		c.Hash, c.Subject, c.Author = r.str(), r.str(), r.str()
		c.Date = r.time()
	}
	return commits, r.done()
}
