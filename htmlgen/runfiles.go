package htmlgen

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/git-ci/git-ci/pipeline"
)

// runBundle is how many runs share a run file. Creating a file is the
// dearest part of a build on slow disks, so the runs, in run-id order
// (oldest first), are cut into bundles of runBundle: a full bundle is one
// file, runs/b-HASH.html, HASH a digest of its run ids, and never changes;
// the runs after the last full bundle have a file each, runs/HASH.html,
// until their bundle fills. Every run is a section of its file, #r-HASH.
const runBundle = 64

// runFile is a file of run pages and the runs it holds, oldest first.
type runFile struct {
	path string // from the site's root
	runs []*pipeline.Record
}

// placeRuns cuts m.runs into run files.
func (m *model) placeRuns() {
	full := len(m.runs) / runBundle * runBundle
	m.files = make([]runFile, 0, full/runBundle+len(m.runs)-full)
	var ids bytes.Buffer
	for i := 0; i < full; i += runBundle {
		f := runFile{runs: m.runs[i : i+runBundle]}
		ids.Reset()
		for _, r := range f.runs {
			ids.WriteString(r.Run)
			ids.WriteByte(0)
		}
		f.path = runsDir + "/b-" + digest(ids.Bytes()) + ".html"
		m.files = append(m.files, f)
	}
	for i := full; i < len(m.runs); i++ {
		m.files = append(m.files, runFile{path: runPath(m.runs[i].Run), runs: m.runs[i : i+1]})
	}
}

// fileOf is the file that holds run r, nil for a run not in the site.
func (m *model) fileOf(r *pipeline.Record) *runFile {
	i, ok := m.pos[r]
	if !ok {
		return nil
	}
	full := len(m.runs) / runBundle * runBundle
	if int(i) < full {
		return &m.files[int(i)/runBundle]
	}
	return &m.files[full/runBundle+int(i)-full]
}

// runAnchor is the id of a run's section in its file.
func runAnchor(id string) string { return "r-" + nameOf(id) }

// runHref links to a run's section from a page root away from the site's
// root ("" or "../").
func (m *model) runHref(root string, r *pipeline.Record) string {
	return root + m.href(r)
}

// href links to a run's section from the site's root.
func (m *model) href(r *pipeline.Record) string {
	if f := m.fileOf(r); f != nil {
		return f.path + "#" + runAnchor(r.Run)
	}
	return runPath(r.Run) + "#" + runAnchor(r.Run)
}

// keyRun adds to a page's key what the page shows of run r: its link
// (its file and its id, of which the anchor is a digest) and its status.
func (m *model) keyRun(k *keyer, r *pipeline.Record) {
	if f := m.fileOf(r); f != nil {
		k.str(f.path)
	} else {
		k.str(runPath(r.Run))
	}
	k.str(r.Run)
	k.str(r.Status)
}

// writeRuns writes the run files the immutable files lack and lists
// every one in the manifest.
func writeRuns(m *model, w *writer) error {
	for _, f := range m.files {
		w.shared(f.path)
		if w.hasImmutable(f.path) {
			continue
		}
		if err := writeRunFile(m, w, f); err != nil {
			return err
		}
	}
	return nil
}

// runsDir holds the run files and raw logs, the site's immutable files.
const runsDir = "runs"

// rawPath is the raw log file of step i of a run, from the site's root.
func rawPath(run string, i int) string {
	return runsDir + "/" + nameOf(run) + "-" + strconv.Itoa(i) + ".txt"
}

// writeRunFile loads its runs' details here (a Details source need not be
// safe for concurrent use) and leaves the rest, rendering logs and diffs,
// to the writer's workers.
func writeRunFile(m *model, w *writer, f runFile) error {
	details := make([]*RunDetail, len(f.runs))
	if m.s.Details != nil {
		for i, r := range f.runs {
			d, err := m.s.Details.RunDetail(r)
			if err != nil {
				return fmt.Errorf("run %s: %w", r.Run, err)
			}
			details[i] = d
		}
	}
	return w.immutablePage(f.path, func(b *bytes.Buffer) error {
		pages := make([]*runPage, len(f.runs))
		for i, r := range f.runs {
			var err error
			if pages[i], err = runPageOf(m, w, r, details[i]); err != nil {
				return err
			}
		}
		return m.runHTML(b, pages)
	})
}
