package htmlgen

import (
	"cmp"
	"strconv"
	"time"

	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-billy/v5"
)

// Site is everything the site shows. Build reads it and never changes it.
type Site struct {
	Name     string             // the project, for titles
	Target   string             // the target branch, short name ("main")
	Pipeline *pipeline.Pipeline // as configured; nil: the stages the runs have
	Commits  []Commit           // the target's commits, newest first
	Runs     []*pipeline.Record // every run, any order; a run id seen twice counts once
	Details  Details            // logs and diffs of runs; nil: run pages show neither
}

// Commit is a commit of the target branch as the flow page lists it.
type Commit struct {
	Hash    string
	Subject string
	Author  string
	Date    time.Time // when it landed (committer date)
}

// Details loads what only a run's own page shows. Build calls it only for
// run pages it must (re)write, so a source may be slow.
type Details interface {
	RunDetail(rec *pipeline.Record) (*RunDetail, error)
}

// RunDetail is a run's logs and, for an integration, its diff.
type RunDetail struct {
	Logs          map[string][]byte // by "stage/step"; a step without a log is absent
	Diff          []byte            // unified diff of the run's commit against its base; nil: none
	DiffTruncated bool              // Diff was cut
}

// Output is where Build writes and what it may keep of the previous site.
type Output struct {
	FS   billy.Filesystem // the new site's folder
	Prev Manifest         // the previous site's manifest (ReadManifest); nil: none
	// Keep puts the previous site's file at path, unchanged, into FS (a hard
	// link or a copy). nil: every page is written.
	Keep func(path string) error
	// Immutable holds the files under runs/ (run pages and raw logs):
	// written once, each to a temporary name and renamed, never changed or
	// removed, and kept by their being there. Its files are valid for one
	// SharedKey. nil: FS holds them too.
	Immutable billy.Filesystem
	// ImmutableNames, when not nil, lists the files in Immutable's runs/
	// folder, for a caller that lists them faster than Immutable.ReadDir
	// (osfs's stats each file).
	ImmutableNames []string
	// ConcurrentFS says FS, Immutable and Keep may be used by several
	// goroutines at once (osfs may; memfs may not).
	ConcurrentFS bool
}

// Result counts what Build did.
type Result struct {
	Written int // files rendered and written
	Kept    int // files taken unchanged from the previous site or already in Immutable
}

// SharedKey digests what every run page shows besides its own run: the
// renderer's version, the project's name, the target, and whether details
// are loaded. A run file (runs/NAME.html for a run alone, NAME a digest of
// its id; runs/b-NAME.html for a bundle, NAME a digest of its runs' ids)
// depends only on its records, which never change once written, and on
// this key; a folder of run files is valid for one SharedKey.
func SharedKey(s *Site) string {
	return keyOf(s.Name, s.Target, strconv.FormatBool(s.Details != nil))
}

// version is mixed into page keys: a new renderer rewrites every page.
const version = "htmlgen-2"

// Build renders the site into out.FS and returns the new manifest, also
// written as ManifestFile, which lists the files of FS. A page whose inputs
// (its key) or whose rendered bytes match the previous manifest is kept
// through out.Keep instead of being written again. Run files and raw logs
// go to out.Immutable, only those it does not have yet; the manifest also
// lists every run file the site links to (Sum "shared"), so that a
// publisher can remove those no generation needs.
func Build(s *Site, out Output) (Manifest, Result, error) {
	m := newModel(s)
	w := newWriter(out, m.tmpl)
	err := w.static()
	steps := []func(*model, *writer) error{writePipeline, writeFlow, writeStats, writeBranches, writeRuns}
	for _, step := range steps {
		if err == nil {
			err = step(m, w)
		}
	}
	if err := cmp.Or(err, w.wait()); err != nil {
		return nil, w.res, err
	}
	return w.next, w.res, w.next.write(out.FS)
}
