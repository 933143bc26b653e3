package runner_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/runner"
)

// payload would, if it ran, set the page's title and mark the body.
const payload = `<script>document.title='pwned'</script><img src=x onerror="document.body.setAttribute('data-pwned','1')">`

// gitEnv isolates git from the user's setup, with a fixed identity.
func gitEnv(t *testing.T) {
	home := t.TempDir()
	for k, v := range map[string]string{"HOME": home, "XDG_CONFIG_HOME": home, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Tess Ter", "GIT_AUTHOR_EMAIL": "tess@example.com",
		"GIT_COMMITTER_NAME": "Tess Ter", "GIT_COMMITTER_EMAIL": "tess@example.com"} {
		t.Setenv(k, v)
	}
}

// siteRepo makes a repository whose pipeline (build, test, deploy) passed
// for branch good, whose commit message is hostile, and failed for a branch
// with a hostile name; it returns the open repository.
func siteRepo(t *testing.T, dir string) *gitstore.Repo {
	t.Helper()
	gitEnv(t)
	app, cfg := filepath.Join(dir, "app"), filepath.Join(dir, "app-ci")
	sh(t, dir, "git", "init", "-q", "-b", "main", app)
	os.WriteFile(filepath.Join(app, "hello.txt"), []byte("hello, world\n"), 0o644)
	sh(t, app, "git", "add", ".")
	sh(t, app, "git", "commit", "-qm", "init")
	sh(t, dir, "git", "init", "-q", "-b", "main", cfg)
	os.WriteFile(filepath.Join(cfg, "ci.yaml"), []byte(`pipelines:
  integrate:
    stages:
      - {name: build, run: "printf '\\033[1;32mbuilt\\033[0m <b>ok</b>\\n'"}
      - name: test
        steps:
          - {name: unit, run: "grep -q world hello.txt || { echo no world in hello.txt; exit 3; }"}
          - {name: vet, run: "echo vetted"}
      - {name: deploy, run: "echo deployed"}
`), 0o644)
	sh(t, cfg, "git", "add", ".")
	sh(t, cfg, "git", "commit", "-qm", "pipeline")
	sh(t, app, "git", "config", "ci.config", cfg)
	sh(t, app, "git", "checkout", "-qb", "good")
	os.WriteFile(filepath.Join(app, "greeting.txt"), []byte("hello, brave new world\n"), 0o644)
	sh(t, app, "git", "add", ".")
	sh(t, app, "git", "commit", "-qm", "greet "+payload)
	sh(t, app, "git", "checkout", "-qb", "bad/<svg/onload=alert(1)>", "main")
	os.WriteFile(filepath.Join(app, "hello.txt"), []byte("hello\n"), 0o644)
	sh(t, app, "git", "commit", "-qam", "break it")
	sh(t, app, "git", "checkout", "-q", "main")
	repo, err := gitstore.Open(app)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"good", "bad/<svg/onload=alert(1)>"} {
		o := runner.IntegrateOptions{Options: runner.Options{Repo: repo, Out: io.Discard}, Branch: b}
		out, err := runner.Integrate(context.Background(), o)
		if err != nil {
			t.Fatalf("integrate %s: %v", b, err)
		}
		for _, r := range out.Runs {
			t.Logf("%s", runner.Summary(r))
		}
	}
	return repo
}

// chromium finds the browser; scripts/test installs Debian's chromium.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: the browser test needs it (scripts/test installs it: apt-get install -y chromium)")
	return ""
}

// browse runs headless chromium on page with extra flags and returns what
// it printed (the DOM, for --dump-dom).
func browse(t *testing.T, bin, page string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, flags...)
	out, err := exec.CommandContext(ctx, bin, append(args, "file://"+page)...).Output()
	if err != nil {
		t.Fatalf("chromium %s: %v", page, err)
	}
	return string(out)
}

var titleRE = regexp.MustCompile(`(?s)<title>(.*?)</title>`)

// TestSiteInBrowser opens the site of a real repository in headless
// Chromium: the pipeline and flow pages show the stages and statuses, the
// hostile commit message and branch name run no script, and screenshots
// of every page type go to the test's log.
func TestSiteInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	repo := siteRepo(t, dir)
	site := filepath.Join(dir, "site")
	if _, err := runner.PublishSite(repo, site); err != nil {
		t.Fatal(err)
	}

	// The control: the same payload, unescaped, does run here.
	control := filepath.Join(dir, "control.html")
	os.WriteFile(control, []byte("<!doctype html><title>control</title><body>"+payload), 0o644)
	if dom := browse(t, bin, control, "--dump-dom"); !strings.Contains(dom, "<title>pwned</title>") || !strings.Contains(dom, `data-pwned="1"`) {
		t.Fatalf("control page: the payload did not run, so this test proves nothing:\n%s", dom)
	}

	index := browse(t, bin, filepath.Join(site, "index.html"), "--dump-dom")
	for _, want := range []string{"<h2>build</h2>", "<h2>test</h2>", "<h2>deploy</h2>", `class="step s-passed`, "Latest runs", "badge s-failed"} {
		if !strings.Contains(index, want) {
			t.Errorf("pipeline page lacks %q", want)
		}
	}
	flow := browse(t, bin, filepath.Join(site, "flow.html"), "--dump-dom")
	for _, want := range []string{"Integrate good into main", `cell s-passed`, `cell s-failed`, `cell s-skipped`, "candidate",
		"greet &lt;script&gt;document.title='pwned'&lt;/script&gt;", "bad/&lt;svg/onload=alert(1)&gt;"} {
		if !strings.Contains(flow, want) {
			t.Errorf("flow page lacks %q", want)
		}
	}
	for name, dom := range map[string]string{"index": index, "flow": flow} {
		if m := titleRE.FindStringSubmatch(dom); m == nil || strings.Contains(m[1], "pwned") {
			t.Errorf("%s: the payload ran: title %q", name, m)
		}
		if strings.Contains(dom, `data-pwned="1"`) || strings.Contains(dom, "<svg/onload") || strings.Contains(dom, "<svg onload") {
			t.Errorf("%s: the payload became markup", name)
		}
	}
	// A run link names its file and the run's section in it.
	link := regexp.MustCompile(`href="(runs/[^"#]+\.html)#(r-[0-9a-f]{16})"`).FindStringSubmatch(flow)
	if link == nil {
		t.Fatal("flow page links to no run section")
	}
	if run := browse(t, bin, filepath.Join(site, link[1])+"#"+link[2], "--dump-dom"); !strings.Contains(run, `<article class="run" id="`+link[2]+`">`) {
		t.Errorf("%s#%s: no such run section", link[1], link[2])
	}
	screenshots(t, bin, site)
}

// screenshots saves a picture of each page type, desktop and phone sized,
// into $GIT_CI_SCREENSHOTS or a temporary folder, and logs where.
func screenshots(t *testing.T, bin, site string) {
	out := os.Getenv("GIT_CI_SCREENSHOTS")
	if out == "" {
		out = t.TempDir()
	}
	os.MkdirAll(out, 0o755)
	runs, _ := filepath.Glob(filepath.Join(site, "runs", "*.html"))
	branches, _ := filepath.Glob(filepath.Join(site, "branches", "*.html"))
	pages := map[string]string{"pipeline": "index.html", "flow": "flow.html", "stats": "stats.html", "branches": "branches.html"}
	for i, r := range runs {
		pages["run-"+string(rune('a'+i))] = strings.TrimPrefix(r, site+"/")
	}
	if len(branches) > 0 {
		pages["branch"] = strings.TrimPrefix(branches[0], site+"/")
	}
	for name, p := range pages {
		png := filepath.Join(out, name+".png")
		size := "--window-size=1200,900"
		if strings.HasPrefix(name, "run-") {
			size = "--window-size=1200,1800" // logs and diff too
		}
		browse(t, bin, filepath.Join(site, p), "--screenshot="+png, size, "--hide-scrollbars")
		if fi, err := os.Stat(png); err != nil || fi.Size() == 0 {
			t.Errorf("no screenshot of %s", p)
		}
	}
	browse(t, bin, filepath.Join(site, "flow.html"), "--screenshot="+filepath.Join(out, "flow-phone.png"), "--window-size=390,844", "--hide-scrollbars")
	t.Logf("screenshots in %s", out)
}
