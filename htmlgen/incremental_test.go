package htmlgen

import (
	"testing"
	"time"

	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
)

// rebuild builds s into a new memfs, keeping files from prev (a site built
// before) as the runner's hard links do, with its immutable files in imm,
// and returns the new site and what Build did.
func rebuild(t *testing.T, s *Site, prev, imm billy.Filesystem) (billy.Filesystem, Result) {
	t.Helper()
	m, err := ReadManifest(prev)
	if err != nil {
		t.Fatal(err)
	}
	next := memfs.New()
	keep := func(p string) error {
		b, err := util.ReadFile(prev, p)
		if err != nil {
			return err
		}
		return util.WriteFile(next, p, b, 0o644)
	}
	_, res, err := Build(s, Output{FS: next, Prev: m, Keep: keep, Immutable: imm})
	if err != nil {
		t.Fatal(err)
	}
	return next, res
}

// countingDetails counts the run pages whose details were loaded.
type countingDetails struct{ n *int }

func (c countingDetails) RunDetail(r *pipeline.Record) (*RunDetail, error) {
	*c.n++
	return fixtureDetails{}.RunDetail(r)
}

// TestIncremental: a build with nothing new writes nothing and loads no
// run details; one more run rewrites only the pages that show it.
func TestIncremental(t *testing.T) {
	loaded := 0
	s := fixture()
	s.Details = countingDetails{&loaded}
	imm := memfs.New()
	first, res := rebuild(t, s, memfs.New(), imm)
	if res.Kept != 0 || loaded != 5 {
		t.Fatalf("first build: %+v, %d details loaded; want nothing kept, 5 loaded", res, loaded)
	}
	loaded = 0
	second, res := rebuild(t, s, first, imm)
	if res.Written != 0 || loaded != 0 {
		t.Errorf("unchanged rebuild: %+v, %d details loaded; want nothing written or loaded", res, loaded)
	}
	feat := rec(6, pipeline.KindIntegrate, "feat-c", 105, 205, true, "passed", "passed", "passed")
	s.Runs = append(s.Runs, &feat)
	s.Commits = append([]Commit{{Hash: hash(105), Subject: "Integrate feat-c into main", Author: "Ada", Date: t0.Add(6 * time.Hour)}}, s.Commits...)
	_, res = rebuild(t, s, second, imm)
	// index, flow, flow-1, stats, branches, the new branch's page, the new run page.
	if res.Written != 7 || loaded != 1 {
		t.Errorf("one more run: %+v, %d details loaded; want 7 written, 1 loaded", res, loaded)
	}
}
