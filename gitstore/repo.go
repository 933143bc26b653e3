package gitstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// MinGitVersion is the oldest git whose `merge-tree --write-tree` and
// `update-ref --stdin` behaviour git-ci relies on.
var MinGitVersion = [2]int{2, 38}

// ErrNotRepo means the directory is not inside a git repository.
var ErrNotRepo = errors.New("not a git repository")

// Repo is an open repository: objects read and written in process (odb),
// refs read in process, and the git command for ref transactions,
// worktrees and config. It is safe for concurrent use.
type Repo struct {
	Dir       string // top of the work tree; "" for a bare repository
	GitDir    string // this work tree's git dir
	CommonDir string // the shared git dir (objects, refs, config)

	objects *odb.DB
	storer  *store // objects as go-git's storer interface has them
	packed  packed // packed-refs, parsed

	identOnce sync.Once
	ident     signature

	refStorageOnce sync.Once
	refFiles       bool // see filesBackend

	configMu   sync.Mutex
	configRead *gitConfig // nil until read, and after SetConfig

	workersOnce sync.Once
	userWorkers bool // checkout.workers is set: leave it to the user

	// worktreeMu serializes git worktree add/remove/prune: git reads every
	// entry of .git/worktrees, and dies on one another git is still writing.
	worktreeMu sync.Mutex
}

// Storer returns the object store as merge uses it.
func (r *Repo) Storer() storer.EncodedObjectStorer { return r.storer }

// Open opens the repository that contains dir, as git would find it.
// It returns an error wrapping ErrNotRepo, naming dir, when there is none.
func Open(dir string) (*Repo, error) {
	if r, ok := discover(dir); ok {
		return r.openObjects()
	}
	// One git process: --show-toplevel comes last, so where there is no work
	// tree (a bare repository, inside .git) git fails after the rest.
	out, err := run(context.Background(), dir, nil, "rev-parse", "--path-format=absolute",
		"--git-dir", "--git-common-dir", "--is-bare-repository", "--show-toplevel")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 3 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	r := &Repo{GitDir: lines[0], CommonDir: lines[1]}
	if err == nil && len(lines) == 4 {
		r.Dir = lines[3]
	}
	return r.openObjects()
}

func (r *Repo) openObjects() (*Repo, error) {
	// The common dir holds the objects and refs all worktrees share.
	if _, err := os.Stat(filepath.Join(r.CommonDir, "objects")); err != nil {
		return nil, fmt.Errorf("open %s: %w", r.CommonDir, err)
	}
	r.objects = odb.Open(filepath.Join(r.CommonDir, "objects"))
	r.storer = &store{r.objects}
	return r, nil
}

// Name is the repository's name for people: the base name of its work tree,
// or of its git dir without ".git".
func (r *Repo) Name() string {
	if r.Dir != "" {
		return filepath.Base(r.Dir)
	}
	return strings.TrimSuffix(filepath.Base(r.CommonDir), ".git")
}

// Path is the directory git commands run in: the work tree, else the git dir.
func (r *Repo) Path() string {
	if r.Dir != "" {
		return r.Dir
	}
	return r.GitDir
}

// Run runs the git command in the repository and returns its standard
// output. A failure's error holds the command and git's own message.
func (r *Repo) Run(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	return run(ctx, r.Path(), stdin, args...)
}

// GitError is a git command that failed; Stderr holds what git said.
type GitError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *GitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	msg = strings.TrimPrefix(msg, "fatal: ")
	msg = strings.TrimPrefix(msg, "error: ")
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}

func (e *GitError) Unwrap() error { return e.Err }

func run(ctx context.Context, dir string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	// A process group of its own: the terminal's Ctrl-C reaches git-ci,
	// which cancels what should stop and still finishes its ref updates.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return stdout.Bytes(), nil
}

// Config returns the value of a git config key, "" when it is not set:
// from the config read in process where it can be (see gitConfig), else
// from git config.
func (r *Repo) Config(key string) (string, error) {
	if c := r.config(); c.ok {
		if name, ok := configName(key); ok {
			v, _ := c.get(name)
			if v == noValue {
				v = "" // as git config --get prints a key without value
			}
			return v, nil
		}
	}
	out, err := r.Run(context.Background(), nil, "config", "--get", key)
	var ge *GitError
	var ee *exec.ExitError
	if errors.As(err, &ge) && errors.As(ge.Err, &ee) && ee.ExitCode() == 1 {
		return "", nil
	}
	return strings.TrimSpace(string(out)), err
}

// SetConfig sets a git config key in the repository's own config.
func (r *Repo) SetConfig(key, value string) error {
	defer r.forgetConfig()
	_, err := r.Run(context.Background(), nil, "config", key, value)
	return err
}

var versionRE = lazyRegexp(`git version (\d+)\.(\d+)`)

// CheckGitVersion returns an error naming the installed and the required
// version when git is missing or older than MinGitVersion.
func CheckGitVersion() error {
	out, err := exec.Command("git", "version").Output()
	if err != nil {
		return fmt.Errorf("git not found on PATH: %w", err)
	}
	m := versionRE().FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("cannot read git version from %q", strings.TrimSpace(string(out)))
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	if major < MinGitVersion[0] || major == MinGitVersion[0] && minor < MinGitVersion[1] {
		return fmt.Errorf("git %d.%d is too old: git-ci needs git >= %d.%d", major, minor, MinGitVersion[0], MinGitVersion[1])
	}
	return nil
}

// lazyRegexp compiles expr on first use, not at every command's start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
