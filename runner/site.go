package runner

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// Limits of what run pages show of an integration's diff: the newest
// diffRuns integrations get one (a `git diff` each, only when their page is
// first written), each at most maxDiffBytes.
const (
	diffRuns     = 200
	maxDiffBytes = 512 << 10
)

// SiteConfigKey is the git config key naming the site's folder; when it is
// set, integrate and run refresh the site at the end.
const SiteConfigKey = "ci.html"

// SiteDir is the site folder git config ci.html names, made absolute
// against the repository's top; "" when it is not set.
func SiteDir(repo *gitstore.Repo) (string, error) {
	dir, err := repo.Config(SiteConfigKey)
	if err != nil || dir == "" {
		return "", err
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repo.Path(), dir)
	}
	return dir, nil
}

// CollectSite reads what the site shows from the repository: the committed
// pipeline (nil, with a warning, when the config cannot be read), the
// target's commits, and every record in refs/notes/ci, once per run id. Logs
// and diffs are read later, only for run pages that are written. The
// garbage collector runs less often meanwhile (lessGC).
func CollectSite(repo *gitstore.Repo) (*htmlgen.Site, []string, error) {
	defer lessGC()()
	// The records cache decodes while the config, the target's log and the
	// notes tree are read.
	cache := make(chan recordsCache, 1)
	go func() { cache <- loadRecordsCache(recordsCachePath(repo)) }()
	// The target and its commits are read while the pipeline's config is:
	// each starts a git process (git config), and waits for it.
	target := make(chan siteTarget, 1)
	go func() { target <- readTarget(repo) }()
	var warnings []string
	s := &htmlgen.Site{Name: repo.Name()}
	if cfg, err := LoadConfig(repo); err != nil {
		warnings = append(warnings, fmt.Sprintf("pipeline config: %v; the site shows the stages the runs have", err))
	} else if p, err := cfg.Parsed.Pipeline(DefaultPipeline); err == nil {
		s.Pipeline = p
	}
	t := <-target
	if t.err != nil {
		return nil, warnings, t.err
	}
	s.Target = strings.TrimPrefix(t.ref, "refs/heads/")
	s.Commits = t.commits
	warnings = append(warnings, t.warnings...)
	runs, warn, err := readRecords(repo, cache)
	if err != nil {
		return nil, warnings, err
	}
	s.Runs = runs
	warnings = append(warnings, warn...)
	s.Details = newRunDetails(repo, s.Runs)
	return s, warnings, nil
}

// siteTarget is the target branch the site shows and its commits.
type siteTarget struct {
	ref      string
	commits  []htmlgen.Commit
	warnings []string
	err      error
}

// readTarget resolves the target (ci.into, else the default branch) and
// lists its commits.
func readTarget(repo *gitstore.Repo) siteTarget {
	ref, err := resolveTarget(repo, "")
	if err != nil {
		return siteTarget{err: err}
	}
	commits, warnings, err := targetCommits(repo, ref)
	return siteTarget{ref: ref, commits: commits, warnings: warnings, err: err}
}

// runDetails reads logs from run refs and diffs with git, on demand.
type runDetails struct {
	repo     *gitstore.Repo
	once     sync.Once
	refs     map[string]plumbing.Hash
	refsErr  error
	withDiff map[string]bool // the newest diffRuns integrations
}

func newRunDetails(repo *gitstore.Repo, recs []*pipeline.Record) *runDetails {
	d := &runDetails{repo: repo, withDiff: map[string]bool{}}
	var ids []string
	for _, r := range recs {
		if r.Kind == pipeline.KindIntegrate && r.Base != "" {
			ids = append(ids, r.Run)
		}
	}
	sort.Strings(ids)
	for _, id := range ids[max(0, len(ids)-diffRuns):] {
		d.withDiff[id] = true
	}
	return d
}

// RunDetail reads rec's logs from its run ref (none when the ref is gone)
// and, for a recent integration, its diff against its base.
func (d *runDetails) RunDetail(rec *pipeline.Record) (*htmlgen.RunDetail, error) {
	d.once.Do(func() { d.refs, d.refsErr = d.repo.RunRefs() })
	if d.refsErr != nil {
		return nil, d.refsErr
	}
	out := &htmlgen.RunDetail{Logs: map[string][]byte{}}
	if commit, ok := d.refs[rec.Run]; ok {
		files, err := d.repo.RunFiles(commit)
		if err != nil {
			return nil, err
		}
		for _, s := range rec.Steps {
			if log, ok := files["logs/"+s.Stage+"/"+s.Step+".log"]; ok {
				out.Logs[s.Stage+"/"+s.Step] = log
			}
		}
	}
	if d.withDiff[rec.Run] {
		patch, cut, err := d.repo.Diff(plumbing.NewHash(rec.Base), plumbing.NewHash(rec.Commit), maxDiffBytes)
		if err == nil { // objects of a candidate fetched without its base: no diff
			out.Diff, out.DiffTruncated = patch, cut
		}
	}
	return out, nil
}
