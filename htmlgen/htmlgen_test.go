package htmlgen

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-billy/v5/util"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func build(t *testing.T, s *Site) (billy.Filesystem, Result) {
	t.Helper()
	fs := memfs.New()
	_, res, err := Build(s, Output{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	return fs, res
}

func read(t *testing.T, fs billy.Filesystem, p string) string {
	t.Helper()
	b, err := util.ReadFile(fs, p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(b)
}

// TestGolden compares each page type of the fixture with testdata/*.golden.
func TestGolden(t *testing.T) {
	s := fixture()
	fs, _ := build(t, s)
	failed := s.Runs[3]
	pages := map[string]string{
		"pipeline": "index.html", "flow": "flow.html", "stats": "stats.html", "branches": "branches.html",
		"branch": branchPath("feat-a"), "run-failed": runPath(failed.Run), "run-passed": runPath(s.Runs[2].Run),
	}
	for name, p := range pages {
		t.Run(name, func(t *testing.T) {
			have := read(t, fs, p)
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(have), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if d := cmp.Diff(string(want), have); d != "" {
				t.Errorf("%s differs from %s (-want +have):\n%s", p, golden, d)
			}
		})
	}
}

// TestHostileTextIsEscaped: commit messages, branch names, run messages
// and logs with markup show as text on every page.
func TestHostileTextIsEscaped(t *testing.T) {
	fs, _ := build(t, fixture())
	hostile := regexp.MustCompile(`<script|<img|<b>(boom|brave|")|onerror=alert\(1\)>`)
	files, _ := util.Glob(fs, "*.html")
	more, _ := util.Glob(fs, "*/*.html")
	for _, p := range append(files, more...) {
		page := read(t, fs, p)
		if m := hostile.FindString(page); m != "" {
			t.Errorf("%s: unescaped %q", p, m)
		}
	}
	flow := read(t, fs, "flow.html")
	for _, want := range []string{"fix: &lt;script&gt;alert(1)&lt;/script&gt;", "bad&lt;b&gt;&#34;branch"} {
		if !strings.Contains(flow, want) {
			t.Errorf("flow.html lacks %q", want)
		}
	}
	run := read(t, fs, runPath(fixture().Runs[3].Run))
	for _, want := range []string{"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;", `<span class="fg1">error: &lt;b&gt;boom&lt;/b&gt;</span>`} {
		if !strings.Contains(run, want) {
			t.Errorf("run page lacks %q", want)
		}
	}
}

// TestFileNamesAreHashed: no file name carries a branch name or run id.
func TestFileNamesAreHashed(t *testing.T) {
	fs, _ := build(t, fixture())
	ok := regexp.MustCompile(`^(\.git-ci-manifest|[a-z]+\.(html|css)|flow-\d+\.html|runs/(b-)?[0-9a-f]{16}(-\d+\.txt|\.html)|branches/[0-9a-f]{2}\.html)$`)
	util.Walk(fs, "/", func(p string, info os.FileInfo, err error) error {
		p = strings.TrimPrefix(p, "/")
		if err == nil && !info.IsDir() && !ok.MatchString(p) {
			t.Errorf("unexpected file name %q", p)
		}
		return err
	})
}

// TestLinksAreRelative: every href and src is relative and names a file
// of the site (or an anchor of the page).
func TestLinksAreRelative(t *testing.T) {
	fs, _ := build(t, fixture())
	link := regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	files, _ := util.Glob(fs, "*.html")
	more, _ := util.Glob(fs, "*/*.html")
	for _, p := range append(files, more...) {
		for _, m := range link.FindAllStringSubmatch(read(t, fs, p), -1) {
			target := m[1]
			if strings.HasPrefix(target, "#") {
				continue
			}
			if strings.Contains(target, ":") || strings.HasPrefix(target, "/") {
				t.Errorf("%s: link %q is not relative", p, target)
				continue
			}
			if _, err := fs.Stat(filepath.Join(filepath.Dir(p), strings.SplitN(target, "#", 2)[0])); err != nil {
				t.Errorf("%s: link %q: %v", p, target, err)
			}
		}
	}
}

// TestDumpFixture writes the fixture's site to $HTMLGEN_DUMP for a person
// (or a browser) to look at; skipped unless that is set.
func TestDumpFixture(t *testing.T) {
	dir := os.Getenv("HTMLGEN_DUMP")
	if dir == "" {
		t.Skip("set HTMLGEN_DUMP=DIR to write the fixture's site there")
	}
	if _, _, err := Build(fixture(), Output{FS: osfs.New(dir)}); err != nil {
		t.Fatal(err)
	}
}
