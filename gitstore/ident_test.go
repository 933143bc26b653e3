package gitstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIdentityAgreesWithGit compares the identity git-ci commits with
// against `git var GIT_COMMITTER_IDENT` for config files and environments
// of every kind git reads, and checks which ones are read in process.
func TestIdentityAgreesWithGit(t *testing.T) {
	cases := []struct {
		name          string
		local, global string
		xdg           string
		env           map[string]string
		wantHere      bool // read in process, no git var
	}{
		{name: "local", local: "[user]\n\tname = Jane Doe\n\temail = jane@example.com\n", wantHere: true},
		{name: "global under local", global: "[user]\nname = G\nemail = g@example.com\n", local: "[user]\n name = L\n", wantHere: true},
		{name: "xdg then home", xdg: "[user]\nname = X\nemail = x@example.com\n", global: "[user]\nemail = h@example.com\n", wantHere: true},
		{name: "committer.* first", local: "[user]\nname = U\nemail = u@example.com\n[committer]\nname = C\nemail = c@example.com\n", wantHere: true},
		{name: "environment first", local: "[user]\nname = U\nemail = u@example.com\n",
			env: map[string]string{"GIT_COMMITTER_NAME": "E N", "GIT_COMMITTER_EMAIL": "e@example.com"}, wantHere: true},
		{name: "quotes escapes comments", local: "[user]\n\tname = \"Jane \\\"JD\\\"\"   Doe  # comment\n\temail = j@example.com ; c\n", wantHere: true},
		{name: "crud", local: "[user]\nname = \" .Jane <Doe>, \"\nemail = <jane@example.com>\n", wantHere: true},
		{name: "continued line", local: "[user]\nname = Jane \\\n  Doe\nemail = j@example.com\n", wantHere: true},
		{name: "case of section and key", local: "[USER]\nNAME = Jane\nEmail = j@example.com\n", wantHere: true},
		{name: "subsection is not the section", local: "[user]\nname = Right\nemail = r@example.com\n[user \"x\"]\nname = Wrong\n", wantHere: true},
		{name: "old subsection syntax", local: "[user]\nname = Right\nemail = r@example.com\n[user.x]\nname = Wrong\n", wantHere: true},
		{name: "EMAIL variable", local: "[user]\nname = Jane\n", env: map[string]string{"EMAIL": "env@example.com"}, wantHere: true},
		{name: "include: git reads it", local: "[include]\npath = other\n", wantHere: false},
		{name: "git -c: git reads it", local: "[user]\nname = Jane\nemail = j@example.com\n",
			env: map[string]string{"GIT_CONFIG_PARAMETERS": "'user.name'='Other'"}, wantHere: false},
		{name: "date to parse: git parses it", local: "[user]\nname = Jane\nemail = j@example.com\n",
			env: map[string]string{"GIT_COMMITTER_DATE": "2023-11-14T22:13:20Z"}, wantHere: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := newRepo(t)
			home := os.Getenv("HOME")
			for _, k := range []string{"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			write := func(path, text string) {
				if text == "" {
					return
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
				if err == nil {
					_, err = f.WriteString(text)
					f.Close()
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			write(filepath.Join(dir, ".git", "config"), c.local)
			write(filepath.Join(home, ".gitconfig"), c.global)
			write(filepath.Join(home, ".config", "git", "config"), c.xdg)
			write(filepath.Join(dir, ".git", "other"), "[user]\nname = Included\nemail = i@example.com\n")

			r := openRepo(t, dir)
			_, here := configIdent(r.config())
			if here != c.wantHere {
				t.Errorf("read in process = %v, want %v", here, c.wantHere)
			}
			want := gitT(t, dir, "var", "GIT_COMMITTER_IDENT")
			got := r.identity()
			if !strings.HasPrefix(want, got.Name+" <"+got.Email+"> ") {
				t.Errorf("identity %q <%s>, git var says %q", got.Name, got.Email, want)
			}
			if date := os.Getenv("GIT_COMMITTER_DATE"); here && !strings.HasSuffix(want, " "+got.When.Format("-0700")) || date == "1700000000 +0000" && got.When.Unix() != 1700000000 {
				t.Errorf("date %v, git var says %q", got.When, want)
			}
		})
	}
}
