package runner

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/htmlgen"
	"github.com/go-git/go-billy/v5/osfs"
)

// SiteResult is what PublishSite did.
type SiteResult struct {
	Dir      string
	Runs     int
	Written  int // files written
	Kept     int // files unchanged since the last build (hard-linked or shared)
	Warnings []string
}

// PublishSite builds the site of repo and publishes it at dir, atomically
// for readers: dir is a symbolic link to the current generation,
// .DIR.site/gen-N, which holds the pages that change (pipeline, flow,
// statistics, branches) and a link runs -> ../shared-KEY/runs to the run
// pages and raw logs, which never change once written. Publishing writes
// the new run pages, the new generation (hard-linking its unchanged
// pages), then renames a new link over dir and removes generations older
// than the one it replaced. A dir that exists but holds no git-ci site is
// left alone, with an error; a site folder of older versions is converted.
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

// siteLayout names the folders of the site published at dir.
type siteLayout struct {
	dir    string // the link readers open
	store  string // .DIR.site: generations and shared folders
	cur    string // the current generation (or a legacy site folder); "" if none
	curGen int    // its number; 0 when not a generation
	legacy bool   // dir is a real folder (a site of older versions, or empty)
}

func (l siteLayout) gen(n int) string { return filepath.Join(l.store, "gen-"+strconv.Itoa(n)) }

func publish(s *htmlgen.Site, dir string) (*SiteResult, error) {
	defer lessGC()()
	l, err := readLayout(dir)
	if err != nil {
		return nil, err
	}
	prev, err := previousSite(l)
	if err != nil {
		return nil, err
	}
	shared := "shared-" + htmlgen.SharedKey(s)
	if err := os.MkdirAll(filepath.Join(l.store, shared, "runs"), 0o755); err != nil {
		return nil, err
	}
	next, gen, err := newGeneration(l)
	if err != nil {
		return nil, err
	}
	older := removeOlderGenerations(l)
	defer older()
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(gen)
		}
	}()
	if err := os.Symlink(filepath.Join("..", shared, "runs"), filepath.Join(gen, "runs")); err != nil {
		return nil, err
	}
	names, err := readNames(filepath.Join(l.store, shared, "runs"))
	if err != nil {
		return nil, err
	}
	out := htmlgen.Output{FS: osfs.New(gen), Immutable: osfs.New(filepath.Join(l.store, shared)), ImmutableNames: names, Prev: prev, ConcurrentFS: true}
	if l.cur != "" {
		out.Keep = func(p string) error { return linkOrCopy(filepath.Join(l.cur, p), filepath.Join(gen, p)) }
	}
	_, r, err := htmlgen.Build(s, out)
	if err != nil {
		return nil, fmt.Errorf("html site %s: %w", dir, err)
	}
	if err := swapLink(l, filepath.Join(filepath.Base(l.store), filepath.Base(gen))); err != nil {
		return nil, err
	}
	ok = true
	if err := cmp.Or(older(), pruneSite(l, next)); err != nil {
		return nil, fmt.Errorf("html site %s published; removing old generations: %w", dir, err)
	}
	return &SiteResult{Dir: dir, Runs: len(s.Runs), Written: r.Written, Kept: r.Kept}, nil
}

// readLayout finds what dir is now: nothing, a link to a generation, or a
// real folder. A link elsewhere is not git-ci's to replace.
func readLayout(dir string) (siteLayout, error) {
	l := siteLayout{dir: dir, store: filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".site")}
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return l, nil
	case err != nil:
		return l, err
	case fi.Mode()&os.ModeSymlink == 0:
		l.cur, l.legacy = dir, true
		return l, nil
	}
	target, err := os.Readlink(dir)
	if err != nil {
		return l, err
	}
	stem, num, _ := strings.Cut(filepath.ToSlash(target), "/gen-")
	n, err := strconv.Atoi(num)
	if stem != filepath.Base(l.store) || err != nil || n <= 0 {
		return l, &ConfigError{Err: fmt.Errorf("%s is a link to %s, not a site git-ci wrote; not replacing it", dir, target),
			Hint: "choose an empty or new folder with --out DIR or `git config ci.html DIR`"}
	}
	l.cur, l.curGen = l.gen(n), n
	return l, nil
}

// previousSite reads the manifest of the current site; none when there is
// none. A non-empty folder without a manifest is not git-ci's to replace.
func previousSite(l siteLayout) (htmlgen.Manifest, error) {
	if l.cur == "" {
		return htmlgen.Manifest{}, nil
	}
	entries, err := os.ReadDir(l.cur)
	if errors.Is(err, os.ErrNotExist) && !l.legacy {
		return htmlgen.Manifest{}, nil // a dangling link: build afresh
	}
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(l.cur, htmlgen.ManifestFile)); err != nil && len(entries) > 0 {
		return nil, &ConfigError{Err: fmt.Errorf("%s exists and is not a site git-ci wrote (no %s); not replacing it", l.dir, htmlgen.ManifestFile),
			Hint: "choose an empty or new folder with --out DIR or `git config ci.html DIR`"}
	}
	return htmlgen.ReadManifest(osfs.New(l.cur))
}

// newGeneration makes the next generation's folder, numbered after the
// current one and any another publisher made meanwhile.
func newGeneration(l siteLayout) (int, string, error) {
	for n := l.curGen + 1; ; n++ {
		err := os.Mkdir(l.gen(n), 0o755)
		if err == nil {
			return n, l.gen(n), nil
		}
		if !errors.Is(err, os.ErrExist) {
			return 0, "", err
		}
	}
}

// swapLink points dir at target (relative to dir's folder) in one rename:
// a new link made at a temporary name is renamed over dir. A real folder
// at dir (a site of older versions) is first moved into the store, so for
// that one publish dir is briefly absent.
func swapLink(l siteLayout, target string) error {
	link := filepath.Join(filepath.Dir(l.dir), "."+filepath.Base(l.dir)+".link-tmp-"+strconv.Itoa(os.Getpid()))
	os.Remove(link) // left by a crash

	if err := os.Symlink(target, link); err != nil {
		return err
	}
	if l.legacy {
		old := filepath.Join(l.store, "legacy-"+strconv.Itoa(os.Getpid()))
		if err := os.Rename(l.dir, old); err != nil {
			os.Remove(link)
			return err
		}
		if err := os.Rename(link, l.dir); err != nil {
			os.Rename(old, l.dir) // put the old site back
			os.Remove(link)
			return err
		}
		return os.RemoveAll(old)
	}
	if err := os.Rename(link, l.dir); err != nil {
		os.Remove(link)
		return err
	}
	return nil
}

// readNames lists the names in dir, without a stat each.
func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if names == nil {
		names = []string{}
	}
	return names, err
}

// linkOrCopy puts src at dst, as a hard link where the file system allows.
// dst's folder is made only when the link finds it missing: hundreds of
// pages are linked per build, most into folders that exist.
func linkOrCopy(src, dst string) error {
	err := os.Link(src, dst)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		err = os.Link(src, dst)
	}
	if err == nil {
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
