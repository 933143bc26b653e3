package htmlgen

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
)

// manyRuns is the fixture with n more runs, which fill bundles.
func manyRuns(n int) *Site {
	s := fixture()
	for i := 0; i < n; i++ {
		r := rec(1, pipeline.KindRun, "", 100+i%3, 200+i%3, false, "passed", "failed", "passed")
		r.Run = fmt.Sprintf("20260302T%06d.000Z-%016x", i, i)
		r.Ref = "refs/ci/runs/" + r.Run
		s.Runs = append(s.Runs, &r)
	}
	return s
}

// TestRunBundles: full bundles of runBundle runs share a file, the runs
// after them have one each, and every link to a run names a file of the
// site and a section of it.
func TestRunBundles(t *testing.T) {
	s := manyRuns(2*runBundle + 2) // with the fixture's 5 runs: 2 bundles and 7 runs alone
	fs, _ := build(t, s)
	bundles, _ := util.Glob(fs, "runs/b-*.html")
	all, _ := util.Glob(fs, "runs/*.html")
	if len(bundles) != 2 || len(all) != 9 {
		t.Fatalf("run files: %d bundles of %d, want 2 of 9", len(bundles), len(all))
	}
	link := regexp.MustCompile(`href="([^"#]*\.html)#(r-[^"]*)"`)
	pages, _ := util.Glob(fs, "*.html")
	more, _ := util.Glob(fs, "*/*.html")
	seen := map[string]bool{}
	for _, p := range append(pages, more...) {
		for _, m := range link.FindAllStringSubmatch(read(t, fs, p), -1) {
			target := path.Join(path.Dir(p), m[1])
			if !strings.Contains(read(t, fs, target), `<article class="run" id="`+m[2]+`">`) {
				t.Errorf("%s: link %s#%s: no such run section", p, m[1], m[2])
			}
			seen[m[2]] = true
		}
	}
	if len(seen) < 12 {
		t.Errorf("%d runs linked, want at least the 12 latest", len(seen))
	}
}

// TestBundleFills: when the runs alone fill a bundle, the next build
// writes the bundle, links to it, and lists it (not the runs alone) in the
// manifest; the runs' own files stay for the previous generation.
func TestBundleFills(t *testing.T) {
	s := manyRuns(runBundle - 6) // 63 runs: none bundled
	imm := memfs.New()
	first, _ := rebuild(t, s, memfs.New(), imm)
	if b, _ := util.Glob(imm, "runs/b-*.html"); len(b) != 0 {
		t.Fatalf("bundles before one is full: %v", b)
	}
	s = manyRuns(runBundle - 5)
	second, _ := rebuild(t, s, first, imm)
	b, _ := util.Glob(imm, "runs/b-*.html")
	if len(b) != 1 {
		t.Fatalf("bundles: %v, want 1", b)
	}
	m, err := ReadManifest(second)
	if err != nil {
		t.Fatal(err)
	}
	var shared []string
	for p, e := range m {
		if e.Sum == sharedSum {
			shared = append(shared, p)
		}
	}
	if len(shared) != 1 || shared[0] != b[0] {
		t.Errorf("manifest lists %v, want just %s", shared, b[0])
	}
	flow := read(t, second, "flow.html")
	if !strings.Contains(flow, `href="`+b[0]+`#r-`) {
		t.Errorf("flow.html does not link into %s", b[0])
	}
}
