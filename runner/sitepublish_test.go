package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-ci/git-ci/htmlgen"
	"github.com/git-ci/git-ci/pipeline"
)

func publishSite(t *testing.T, dir string, n int) *SiteResult {
	t.Helper()
	s := &htmlgen.Site{Name: "app", Target: "main", Details: memDetails{}}
	for i := 1; i <= n; i++ {
		r := benchRecord(i, strings.Repeat("a", 39)+string(rune('0'+i)), "b", pipeline.StatusPassed)
		s.Runs = append(s.Runs, &r)
	}
	res, err := publish(s, dir)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestPublishGenerations: a site folder of older versions becomes a link
// to a generation; each publish makes a new generation, keeps the one it
// replaced, removes older ones, and shares run pages among them.
func TestPublishGenerations(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	os.MkdirAll(filepath.Join(dir, "runs"), 0o755)
	os.WriteFile(filepath.Join(dir, htmlgen.ManifestFile), []byte("index.html - 0\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "runs", "old.html"), []byte("old"), 0o644)

	publishSite(t, dir, 1)
	target, err := os.Readlink(dir)
	if err != nil || target != filepath.Join(".site.site", "gen-1") {
		t.Fatalf("site is %q (%v), want a link to .site.site/gen-1", target, err)
	}
	runs, _ := filepath.Glob(filepath.Join(dir, "runs", "*.html"))
	if len(runs) != 1 {
		t.Fatalf("run pages through the link: %v, want 1", runs)
	}
	before, _ := os.Stat(runs[0])

	res := publishSite(t, dir, 2)
	if res.Written == 0 || res.Kept == 0 {
		t.Errorf("second publish: %+v, want some written and some kept", res)
	}
	publishSite(t, dir, 3)
	gens, _ := filepath.Glob(filepath.Join(root, ".site.site", "gen-*"))
	if len(gens) != 2 || !strings.HasSuffix(gens[0], "gen-2") || !strings.HasSuffix(gens[1], "gen-3") {
		t.Errorf("generations %v, want gen-2 (the previous) and gen-3", gens)
	}
	after, err := os.Stat(filepath.Join(root, ".site.site", "gen-2", "runs", filepath.Base(runs[0])))
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("the first run's page was rewritten or is gone (%v)", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "index.html")); err != nil || !strings.Contains(string(b), "Pipeline") {
		t.Errorf("index.html through the link: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(root, ".site*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestPublishNotASite: a folder without a manifest and a link that is not
// git-ci's are left alone.
func TestPublishNotASite(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "notasite")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644)
	link := filepath.Join(root, "link")
	os.Symlink("notasite", link)
	for _, d := range []string{dir, link} {
		if _, err := publish(&htmlgen.Site{Name: "app", Target: "main"}, d); err == nil || !strings.Contains(err.Error(), "not a site git-ci wrote") {
			t.Errorf("publish to %s: %v, want it refused", d, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep.txt")); string(b) != "mine" {
		t.Error("keep.txt is gone")
	}
	if _, err := os.Stat(filepath.Join(root, ".notasite.site")); err == nil {
		t.Error("a store was made beside a folder that is not a site")
	}
}

// TestPublishPrunesBundledRuns: once runs fill a bundle, their own pages
// stay while the generation that links to them does, then go.
func TestPublishPrunesBundledRuns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	count := func() (bundles, alone int) {
		files, _ := filepath.Glob(filepath.Join(dir, "runs", "*.html"))
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "b-") {
				bundles++
			} else {
				alone++
			}
		}
		return bundles, alone
	}
	publishSite(t, dir, 63)
	if b, a := count(); b != 0 || a != 63 {
		t.Fatalf("63 runs: %d bundles, %d runs alone; want 0, 63", b, a)
	}
	publishSite(t, dir, 64)
	if b, a := count(); b != 1 || a != 63 {
		t.Fatalf("64 runs: %d bundles, %d runs alone; want 1 and the previous generation's 63", b, a)
	}
	publishSite(t, dir, 65)
	if b, a := count(); b != 1 || a != 1 {
		t.Fatalf("65 runs: %d bundles, %d runs alone; want 1, 1", b, a)
	}
}
