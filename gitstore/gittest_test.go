package gitstore

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// gitEnv isolates the git command from the user's and the system's setup
// and fixes identities and dates, so object ids are the same on every run.
// It returns the temporary HOME.
func gitEnv(t testing.TB) string {
	t.Helper()
	home := t.TempDir()
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
		"GIT_COMMON_DIR", "GIT_NOTES_REF", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"} {
		if _, ok := os.LookupEnv(k); ok {
			t.Setenv(k, "") // restored after the test
			os.Unsetenv(k)
		}
	}
	for k, v := range map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME":     "A U Thor",
		"GIT_AUTHOR_EMAIL":    "author@example.com",
		"GIT_AUTHOR_DATE":     "1700000000 +0000",
		"GIT_COMMITTER_NAME":  "C O Mitter",
		"GIT_COMMITTER_EMAIL": "committer@example.com",
		"GIT_COMMITTER_DATE":  "1700000000 +0000",
		"GIT_TERMINAL_PROMPT": "0",
	} {
		t.Setenv(k, v)
	}
	return home
}

// newRepo makes a repository with branch main holding one commit of
// README, and returns its work tree.
func newRepo(t testing.TB) string {
	t.Helper()
	gitEnv(t)
	dir := filepath.Join(t.TempDir(), "repo")
	gitT(t, "", "init", "--quiet", "-b", "main", dir)
	commitFile(t, dir, "README", "hello\n", "initial")
	return dir
}

// openRepo opens dir with Open, failing the test on error.
func openRepo(t testing.TB, dir string) *Repo {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return r
}

// gitT runs git in dir ("" = the current directory) and returns its
// standard output without the final newline; a failure fails the test.
func gitT(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return gitIn(t, dir, "", args...)
}

// gitIn is gitT with standard input.
func gitIn(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	out, err := gitOut(dir, stdin, args...)
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// gitOut runs git and returns its output; the error holds git's stderr.
func gitOut(dir, stdin string, args ...string) (string, error) {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.Command("git", args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return strings.TrimSuffix(stdout.String(), "\n"), nil
}

// commitFile writes name in dir's work tree, commits it and returns the commit.
func commitFile(t testing.TB, dir, name, content, msg string) plumbing.Hash {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "add", "--", name)
	gitT(t, dir, "commit", "--quiet", "-m", msg)
	return revParse(t, dir, "HEAD")
}

// revParse is git's own answer for rev, ZeroHash when it does not resolve.
func revParse(t testing.TB, dir, rev string) plumbing.Hash {
	t.Helper()
	out, err := gitOut(dir, "", "rev-parse", "--verify", "--quiet", rev)
	if err != nil {
		return plumbing.ZeroHash
	}
	return plumbing.NewHash(out)
}

// writeFileT writes a file, making its directory.
func writeFileT(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
