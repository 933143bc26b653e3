package merge

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// gitRepo is a real repository in a temporary directory, driven by the git
// command with a fixed identity, fixed dates and no user or system config.
type gitRepo struct {
	tb  testing.TB
	dir string
	env []string
}

func newGitRepo(tb testing.TB) *gitRepo {
	tb.Helper()
	dir := tb.TempDir()
	env := append(os.Environ(),
		"HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_AUTHOR_DATE=2005-04-07T22:13:13Z", "GIT_COMMITTER_DATE=2005-04-07T22:13:13Z",
	)
	r := &gitRepo{tb: tb, dir: dir, env: env}
	r.git(nil, "init", "-q", "-b", "main")
	return r
}

// run runs git with stdin and returns stdout and the exit code; it fails the
// test when git could not run or exited above 1.
func (r *gitRepo) run(stdin []byte, args ...string) (string, int) {
	r.tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code != 1 {
		r.tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), code
}

// git runs git and fails the test unless it exits 0.
func (r *gitRepo) git(stdin []byte, args ...string) string {
	r.tb.Helper()
	out, code := r.run(stdin, args...)
	if code != 0 {
		r.tb.Fatalf("git %s: exit %d", strings.Join(args, " "), code)
	}
	return strings.TrimSpace(out)
}

// store opens the repository with go-git. Reopen after git wrote packs:
// go-git reads the pack list once.
func (r *gitRepo) store() storer.EncodedObjectStorer {
	r.tb.Helper()
	if _, err := git.PlainOpen(r.dir); err != nil {
		r.tb.Fatal(err)
	}
	// Keeping the pack files open spares a reopen per object read.
	return filesystem.NewStorageWithOptions(osfs.New(filepath.Join(r.dir, ".git")),
		cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
}

func (r *gitRepo) rev(name string) plumbing.Hash {
	r.tb.Helper()
	return plumbing.NewHash(r.git(nil, "rev-parse", name))
}

// snapshot maps paths to file specs: "text" is a regular file, "x:text" an
// executable, "l:target" a symlink, "g:<40 hex>" a gitlink.
type snapshot map[string]string

// importStream writes a fast-import stream that creates branches
// <prefix>base, and <prefix>ours and <prefix>theirs on top of it.
func importStream(prefix string, base, ours, theirs snapshot) []byte {
	var b strings.Builder
	commitStream(&b, prefix+"base", nil, base)
	commitStream(&b, prefix+"ours", []string{prefix + "base"}, ours)
	commitStream(&b, prefix+"theirs", []string{prefix + "base"}, theirs)
	return []byte(b.String())
}

// commitStream adds to a fast-import stream a commit of files on branch
// with the given parent branches. Each commit is a second younger than the
// one before (git orders merge bases by date).
func commitStream(b *strings.Builder, branch string, parents []string, files snapshot) {
	commitClock++
	fmt.Fprintf(b, "commit refs/heads/%s\ncommitter C O Mitter <c@example.com> %d +0000\ndata %d\n%s\n", branch, 1112911993+commitClock, len(branch), branch)
	for i, p := range parents {
		fmt.Fprintf(b, "%s refs/heads/%s\n", []string{"from", "merge"}[min(i, 1)], p)
	}
	b.WriteString("deleteall\n")
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		spec := files[p]
		mode, data := "100644", spec
		switch {
		case strings.HasPrefix(spec, "x:"):
			mode, data = "100755", spec[2:]
		case strings.HasPrefix(spec, "l:"):
			mode, data = "120000", spec[2:]
		case strings.HasPrefix(spec, "g:"):
			fmt.Fprintf(b, "M 160000 %s %s\n", spec[2:], p)
			continue
		}
		fmt.Fprintf(b, "M %s inline %s\ndata %d\n%s\n", mode, p, len(data), data)
	}
	b.WriteString("\n")
}

// commitClock makes commit dates distinct.
var commitClock int64

// oracle is what `git merge-tree --write-tree -z` says: the tree, the
// verdict, the conflicted paths, the stage lines and the messages, each
// with its kind and paths (see record).
type oracle struct {
	tree      plumbing.Hash
	clean     bool
	conflicts []string // unique paths, in git's order
	stages    []string // "MODE OID STAGE\tPATH"
	messages  []string
	// failed holds git's error output when git could not merge at all
	// (git 2.39 trips an assertion in process_renames on some inputs).
	failed string
}

func (r *gitRepo) mergeTree(ours, theirs string, flags ...string) oracle {
	args := append([]string{"merge-tree", "--write-tree", "-z"}, flags...)
	cmd := exec.Command("git", append(args, ours, theirs)...)
	cmd.Dir, cmd.Env = r.dir, r.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 {
		return oracle{failed: fmt.Sprintf("git %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, errb.String())}
	}
	return parseMergeTree(out.String(), cmd.ProcessState.ExitCode())
}

// parseMergeTree reads merge-tree's -z output: the tree, NUL; the stage
// lines, each ended by NUL; a NUL; then the messages as records: the
// count of paths, the paths, the kind, the text and a newline, each
// ended by NUL (the submodule advice last, as plain text).
func parseMergeTree(out string, code int) oracle {
	field := func() string {
		f, rest, _ := strings.Cut(out, "\x00")
		out = rest
		return f
	}
	o := oracle{tree: plumbing.NewHash(field()), clean: code == 0}
	for out != "" {
		line := field()
		if line == "" {
			break
		}
		o.stages = append(o.stages, line)
		p := line[strings.IndexByte(line, '\t')+1:]
		if n := len(o.conflicts); n == 0 || o.conflicts[n-1] != p {
			o.conflicts = append(o.conflicts, p)
		}
	}
	for out != "" {
		n, err := strconv.Atoi(out[:max(strings.IndexByte(out, 0), 0)])
		if err != nil {
			o.messages = append(o.messages, strings.TrimSuffix(out, "\n"))
			break
		}
		field()
		paths := make([]string, n)
		for i := range paths {
			paths[i] = field()
		}
		kind := field()
		o.messages = append(o.messages, record(kind, paths, strings.TrimSuffix(field(), "\n")))
	}
	return o
}

// record is one message as the oracle compares it.
func record(kind string, paths []string, text string) string {
	if kind == "" {
		return text
	}
	return fmt.Sprintf("[%s] %q %s", kind, paths, text)
}

// view is a Result in the oracle's terms.
func view(r Result) oracle {
	o := oracle{tree: r.Tree, clean: r.Clean()}
	for _, c := range r.Conflicts {
		if c.Stages != [3]Stage{} {
			o.conflicts = append(o.conflicts, c.Path)
		}
		for i, st := range c.Stages {
			if st.Mode != 0 {
				o.stages = append(o.stages, fmt.Sprintf("%06o %s %d\t%s", uint32(st.Mode), st.Hash, i+1, c.Path))
			}
		}
	}
	if !r.Clean() {
		for _, m := range r.Messages {
			o.messages = append(o.messages, record(m.Kind, m.Paths, m.Text))
		}
	}
	return o
}

// script is a shell script that rebuilds a case from its import stream.
func script(stream []byte, prefix string) string {
	merge := fmt.Sprintf("git merge-tree --write-tree %sours %stheirs\n", prefix, prefix)
	if bytes.IndexByte(stream, 0) < 0 {
		return fmt.Sprintf("git init -q case && cd case && git fast-import --quiet <<'EOF_STREAM'\n%sEOF_STREAM\n%s", stream, merge)
	}
	// A shell drops the NUL bytes of a here-document (binary files): the
	// stream goes to a file of its own, kept after the test.
	f, err := os.CreateTemp("", "git-ci-case-*.fi")
	if err == nil {
		_, err = f.Write(stream)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Sprintf("(the stream has binary content and could not be saved: %v)\n", err)
	}
	return fmt.Sprintf("git init -q case && cd case && git fast-import --quiet < %s\n%s", f.Name(), merge)
}
