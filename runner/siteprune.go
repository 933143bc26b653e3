package runner

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/git-ci/git-ci/htmlgen"
	"github.com/go-git/go-billy/v5/osfs"
)

// Removing what a published site no longer needs: generations older than
// the one just replaced, shared folders no generation links to, run files
// no remaining manifest lists.

// removeOlderGenerations starts removing the generations older than the
// current one, which no reader opens any more and the build does not
// read, while the site is built; wait returns when it is done (and may be
// called again).
func removeOlderGenerations(l siteLayout) (wait func() error) {
	done := make(chan error, 1)
	go func() {
		entries, err := os.ReadDir(l.store)
		var errs []error
		for _, e := range entries {
			n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), "gen-"))
			if strings.HasPrefix(e.Name(), "gen-") && err == nil && n < l.curGen {
				errs = append(errs, os.RemoveAll(filepath.Join(l.store, e.Name())))
			}
		}
		done <- errors.Join(append(errs, err)...)
	}()
	return sync.OnceValue(func() error { return <-done })
}

// pruneSite removes the generations older than the one just replaced (a
// reader may still be on that one) and the shared folders no remaining
// generation links to. Newer generations are another publisher's.
func pruneSite(l siteLayout, current int) error {
	entries, err := os.ReadDir(l.store)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	var errs []error
	for _, e := range entries {
		n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), "gen-"))
		if !strings.HasPrefix(e.Name(), "gen-") || err != nil {
			continue
		}
		p := filepath.Join(l.store, e.Name())
		if n < l.curGen || (l.curGen == 0 && n < current) {
			errs = append(errs, os.RemoveAll(p))
			continue
		}
		if t, err := os.Readlink(filepath.Join(p, "runs")); err == nil {
			used[filepath.Base(filepath.Dir(t))] = true // ../shared-KEY/runs
		}
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "shared-") && !used[e.Name()] {
			errs = append(errs, os.RemoveAll(filepath.Join(l.store, e.Name())))
		}
	}
	errs = append(errs, pruneRunFiles(l, current))
	return errors.Join(errs...)
}

// pruneRunFiles removes the run files (runs/*.html) of the current
// generation's shared folder that no remaining generation's manifest
// lists: the pages of runs alone that are in a bundle now, in the
// generation just replaced as well. Raw logs stay. When a generation
// linking to the folder has no manifest (another publisher is writing
// it), nothing is removed.
func pruneRunFiles(l siteLayout, current int) error {
	runs, err := filepath.EvalSymlinks(filepath.Join(l.gen(current), "runs"))
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(l.store)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, e := range entries {
		gen := filepath.Join(l.store, e.Name())
		if !strings.HasPrefix(e.Name(), "gen-") {
			continue
		}
		if t, err := filepath.EvalSymlinks(filepath.Join(gen, "runs")); err != nil || t != runs {
			continue
		}
		if _, err := os.Stat(filepath.Join(gen, htmlgen.ManifestFile)); err != nil {
			return nil
		}
		m, err := htmlgen.ReadManifest(osfs.New(gen))
		if err != nil {
			return nil
		}
		for p := range m {
			listed[p] = true
		}
	}
	names, err := readNames(runs)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		if strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, ".") && !listed["runs/"+name] {
			errs = append(errs, os.Remove(filepath.Join(runs, name)))
		}
	}
	return errors.Join(errs...)
}
