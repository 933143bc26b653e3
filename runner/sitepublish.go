package runner

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
	"github.com/go-git/go-billy/v5/osfs"
)

// SiteResult is what PublishSite did.
type SiteResult struct {
	Dir      string
	Runs     int
	Written  int // files written
	Kept     int // files unchanged since the last build (hard-linked)
	Warnings []string
}

// PublishSite builds the site of repo into dir atomically: it renders into
// a new folder beside dir (DIR.tmp-*), hard-linking the files that did not
// change from the current site, then swaps the folders, so a reader sees
// the old site or the new one, never half of one. A dir that exists but
// holds no git-ci site is left alone, with an error.
func PublishSite(repo *gitstore.Repo, dir string) (*SiteResult, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	s, warnings, err := CollectSite(repo)
	if err != nil {
		return nil, err
	}
	res, err := publish(s, dir)
	if res != nil {
		res.Warnings = warnings
	}
	return res, err
}

func publish(s *htmlgen.Site, dir string) (*SiteResult, error) {
	prev, err := previousSite(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // gone after the swap; cleans up after a failure
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	out := htmlgen.Output{FS: osfs.New(tmp), Prev: prev, ConcurrentFS: true,
		Keep: func(p string) error { return linkOrCopy(filepath.Join(dir, p), filepath.Join(tmp, p)) }}
	_, r, err := htmlgen.Build(s, out)
	if err != nil {
		return nil, fmt.Errorf("html site %s: %w", dir, err)
	}
	if err := swap(tmp, dir); err != nil {
		return nil, err
	}
	return &SiteResult{Dir: dir, Runs: len(s.Runs), Written: r.Written, Kept: r.Kept}, nil
}

// previousSite reads the manifest of the site in dir; none when dir does
// not exist. A non-empty dir without a manifest is not git-ci's to replace.
func previousSite(dir string) (htmlgen.Manifest, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return htmlgen.Manifest{}, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, htmlgen.ManifestFile)); err != nil && len(entries) > 0 {
		return nil, &ConfigError{Err: fmt.Errorf("%s exists and is not a site git-ci wrote (no %s); not replacing it", dir, htmlgen.ManifestFile),
			Hint: "choose an empty or new folder with --out DIR or `git config ci.html DIR`"}
	}
	return htmlgen.ReadManifest(osfs.New(dir))
}

// swap puts the folder tmp in the place of dir: dir is renamed away, tmp
// renamed in, the old one removed.
func swap(tmp, dir string) error {
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir) // put the old site back
		return err
	}
	return os.RemoveAll(old)
}

// linkOrCopy puts src at dst, as a hard link where the file system allows.
func linkOrCopy(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	outf, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(outf, in); err != nil {
		outf.Close()
		return err
	}
	return outf.Close()
}

func sortStrings(s []string) { sort.Strings(s) }
