package linemerge

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// mergeCase is one three-way line merge.
type mergeCase struct {
	name               string
	base, ours, theirs string
}

// gitResult is what git made of a case: the merged blob and its verdict.
type gitResult struct {
	content  []byte
	conflict bool
}

// gitEnv is the environment of oracle git runs: no user or system config
// (a merge.conflictStyle there would change the markers), fixed identity.
func gitEnv(home string) []string {
	return append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com",
		"GIT_COMMITTER_NAME=C", "GIT_COMMITTER_EMAIL=c@example.com")
}

// runGit runs git in dir and returns stdout and the exit code; exit codes
// other than 0 and 1 fail the test.
func runGit(tb testing.TB, dir string, stdin []byte, args ...string) ([]byte, int) {
	tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, gitEnv(dir)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code != 1 {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes(), code
}

// gitMerge merges every case at once in a fresh repository: path fN holds
// case N on branches base, ours and theirs; one `git merge-tree
// --write-tree --name-only ours theirs` merges them all and `git cat-file
// --batch` reads the merged blobs back.
func gitMerge(tb testing.TB, cases []mergeCase) []gitResult {
	tb.Helper()
	dir := tb.TempDir()
	runGit(tb, dir, nil, "init", "-q", "-b", "base")
	var stream bytes.Buffer
	side := func(ref, from string, mark int, pick func(mergeCase) string) {
		fmt.Fprintf(&stream, "commit refs/heads/%s\nmark :%d\ncommitter C <c@example.com> 0 +0000\ndata 0\n", ref, mark)
		if from != "" {
			fmt.Fprintf(&stream, "from %s\n", from)
		}
		for i, c := range cases {
			content := pick(c)
			fmt.Fprintf(&stream, "M 100644 inline f%d\ndata %d\n%s\n", i, len(content), content)
		}
	}
	side("base", "", 1, func(c mergeCase) string { return c.base })
	side("ours", ":1", 2, func(c mergeCase) string { return c.ours })
	side("theirs", ":1", 3, func(c mergeCase) string { return c.theirs })
	runGit(tb, dir, stream.Bytes(), "fast-import", "--quiet")

	out, _ := runGit(tb, dir, nil, "merge-tree", "--write-tree", "--name-only", "ours", "theirs")
	lines := strings.Split(string(out), "\n")
	tree, conflicted := lines[0], map[string]bool{}
	for _, l := range lines[1:] {
		if l == "" {
			break
		}
		conflicted[l] = true
	}
	var req bytes.Buffer
	for i := range cases {
		fmt.Fprintf(&req, "%s:f%d\n", tree, i)
	}
	blobs, _ := runGit(tb, dir, req.Bytes(), "cat-file", "--batch")
	r := bufio.NewReader(bytes.NewReader(blobs))
	res := make([]gitResult, len(cases))
	for i := range cases {
		header, err := r.ReadString('\n')
		fields := strings.Fields(header)
		if err != nil || len(fields) != 3 {
			tb.Fatalf("cat-file f%d: %q %v", i, header, err)
		}
		size, _ := strconv.Atoi(fields[2])
		content := make([]byte, size+1)
		if _, err := io.ReadFull(r, content); err != nil {
			tb.Fatalf("cat-file f%d: %v", i, err)
		}
		res[i] = gitResult{content: content[:size], conflict: conflicted[fmt.Sprintf("f%d", i)]}
	}
	return res
}

// oracleOptions are the labels `git merge-tree ours theirs` writes.
var oracleOptions = Options{OursLabel: "ours", TheirsLabel: "theirs"}

// compareWithGit merges every case with Merge and with git and returns a
// description of each disagreement.
func compareWithGit(tb testing.TB, cases []mergeCase) []string {
	tb.Helper()
	want := gitMerge(tb, cases)
	var diffs []string
	for i, c := range cases {
		have := Merge([]byte(c.base), []byte(c.ours), []byte(c.theirs), oracleOptions)
		if bytes.Equal(have.Content, want[i].content) && (have.Conflicts > 0) == want[i].conflict {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%s: base=%q ours=%q theirs=%q\n  git conflict=%v: %q\n have conflicts=%d: %q",
			c.name, c.base, c.ours, c.theirs, want[i].conflict, want[i].content, have.Conflicts, have.Content))
	}
	return diffs
}
