package gitstore

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestParseGitConfigAsGit parses config texts both ways: parseGitConfig,
// and `git config --file F --list` as the oracle. Where git reads a text,
// parseGitConfig may refuse it (git-ci then asks git: slower, not wrong),
// and when it reads it, the keys and values must be git's; where git
// rejects a text, parseGitConfig must refuse it too.
func TestParseGitConfigAsGit(t *testing.T) {
	texts := []string{
		"[user]\n\tname = Jane Doe\n\temail = jane@example.com\n",
		"[user]\nname=x\n[User]\nNAME = y\n",
		"[remote \"origin\"]\n\turl = /tmp/x\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
		"[remote \"Or]ig\\\"in\"]\nurl = a\n",
		"[section.Sub]\nkey = v\n",
		"[core]\n\tbare\n\tlogAllRefUpdates = always\n",
		"[a]\nk = \"quoted ; not a comment\" ; comment\nj = one   two\t three   # c\n",
		"[a]\nk = esc\\tta\\\\b\\\"q\\\"\\n\n",
		"[a]\nk = con\\\ntinued\n",
		"[a]\nk = trailing spaces   \nm =\nn = \"\"\n",
		"; comment\n# comment\n\n[a] k = on the header line\n",
		"[a]\r\nk = crlf\r\n",
		"[a]\nk = \"unterminated\n",
		"[a]\nk = bad \\escape\n",
		"[a\nk = v\n",
		"k = v\n",
		"[a]\n1k = v\n",
		"[a]\nk_x = v\n",
		"[a]\nk-x = v\n",
		"[a \"sub\"]k=v\n",
		"[a]\n\tk = \"a\\\n b\"\n",
		"[a \"x\" ]\nk=v\n",
		"[a  \"x\"]\nk=v\n",
		"[a\t\"x\"]\nk=v\n",
		"[a]\nk = a=b\nbool ; comment\n",
		"[a]\nk = \"\\t\"\nu = Jürgen Ünïcode\n",
		"[a.b.c]\nk = v\n",
		"[a \"\"]\nk = v\n",
		"[-a]\nk = v\n",
		"[a]\nk\n= v\n",
	}
	for _, text := range texts {
		f := filepath.Join(t.TempDir(), "config")
		writeFileT(t, f, text)
		out, err := exec.Command("git", "config", "--file", f, "--list", "-z").Output()
		values := map[string][]string{}
		ok := parseGitConfig(text, values)
		if err != nil {
			if ok {
				t.Errorf("%q: git rejects it (%v), parseGitConfig read it: %v", text, err, values)
			}
			continue
		}
		if !ok {
			t.Logf("%q: git reads it, parseGitConfig leaves it to git", text)
			continue
		}
		var want, got []string
		for _, e := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
			want = append(want, strings.Replace(e, "\n", "=", 1)) // -z: KEY NEWLINE VALUE
		}
		for k, vs := range values {
			for _, v := range vs {
				if v == noValue {
					got = append(got, k) // git lists a key without value alone
				} else {
					got = append(got, k+"="+v)
				}
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q:\n got %q\nwant %q (git config --list)", text, got, want)
		}
	}
}

// TestSystemConfigWhereGitReadsIt checks the system config's path against
// the one git names, where this machine has one.
func TestSystemConfigWhereGitReadsIt(t *testing.T) {
	out, _ := exec.Command("git", "config", "--system", "--list", "--show-origin").Output()
	origin, _, found := strings.Cut(string(out), "\t")
	if !found {
		t.Skip("no system config here to compare")
	}
	if want := strings.TrimPrefix(origin, "file:"); systemConfig() != want {
		t.Errorf("systemConfig() = %s, git reads %s", systemConfig(), want)
	}
}

// TestConfigAsGit reads keys with Config and ConfigAll, in process, and
// with git config --get / --get-all, after each of a few changes made
// through SetConfig, AddConfig and git itself.
func TestConfigAsGit(t *testing.T) {
	dir := newRepo(t)
	r := openRepo(t, dir)
	keys := []string{"ci.into", "CI.Into", "remote.Origin.url", "remote.origin.url", "remote.origin.fetch", "a.b.c.d", "core.bare", "ci.flag", "user.name"}
	check := func(when string) {
		t.Helper()
		if !r.config().ok {
			t.Fatalf("%s: config not read in process", when)
		}
		for _, k := range keys {
			want, _ := gitOut(dir, "", "config", "--get", k)
			if got, err := r.Config(k); err != nil || got != strings.TrimSpace(want) {
				t.Errorf("%s: Config(%s) = %q, %v; git config --get says %q", when, k, got, err, want)
			}
			all, _ := gitOut(dir, "", "config", "--get-all", "-z", k)
			var wantAll []string
			if all != "" {
				wantAll = strings.Split(strings.TrimSuffix(all, "\x00"), "\x00")
			}
			if got, err := r.ConfigAll(k); err != nil || !slices.Equal(got, wantAll) {
				t.Errorf("%s: ConfigAll(%s) = %q, %v; git config --get-all says %q", when, k, got, err, wantAll)
			}
		}
	}
	check("fresh")
	if err := r.SetConfig("ci.into", "trunk"); err != nil {
		t.Fatal(err)
	}
	check("after SetConfig")
	for _, v := range []string{"+refs/heads/*:refs/remotes/origin/*", "refs/notes/ci*:refs/notes/remotes/origin/ci*"} {
		if _, err := r.AddConfig("remote.origin.fetch", v); err != nil {
			t.Fatal(err)
		}
	}
	check("after AddConfig")
	old, err := os.ReadFile(filepath.Join(dir, ".git", "config"))
	if err != nil {
		t.Fatal(err)
	}
	writeFileT(t, filepath.Join(dir, ".git", "config"), string(old)+"[remote \"Origin\"]\n\turl = /elsewhere\n[a \"b.c\"]\n\td = x\n[ci]\n\tflag\n")
	r = openRepo(t, dir)
	check("after git's own changes, opened again")
}
