package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
)

// InitResult says what Init did.
type InitResult struct {
	Dir      string   // the config repo
	Created  bool     // false: an existing config was kept
	Detected string   // what the pipeline was derived from, when created
	Remotes  []string // git config values added so results travel with fetch and show in log ("key value")
}

// DefaultConfigDir is where init puts the config repo unless told: beside
// the project, named after it: /src/myapp -> /src/myapp-ci.
func DefaultConfigDir(repo *gitstore.Repo) string {
	parent := filepath.Dir(repo.Path())
	if repo.Dir == "" {
		parent = filepath.Dir(repo.CommonDir)
	}
	return filepath.Join(parent, repo.Name()+"-ci")
}

// Init creates the config repo at dir ("" = the configured one, else
// DefaultConfigDir) with a pipeline detected from the project's files at
// HEAD, commits it, and records ci.config. An existing ci.yaml is never
// overwritten: the repo is only recorded. It also configures the remotes
// (ConfigureRemotes), so results travel with a plain git fetch.
func Init(repo *gitstore.Repo, dir string) (*InitResult, error) {
	if dir == "" {
		configured, err := repo.Config("ci.config")
		if err != nil {
			return nil, err
		}
		dir = configured
	}
	if dir == "" {
		dir = DefaultConfigDir(repo)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	res := &InitResult{Dir: dir}
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); errors.Is(err, os.ErrNotExist) {
		if err := createConfigRepo(repo, res); err != nil {
			return nil, err
		}
	}
	if err := repo.SetConfig("ci.config", dir); err != nil {
		return nil, err
	}
	res.Remotes, err = ConfigureRemotes(repo)
	return res, err
}

func createConfigRepo(repo *gitstore.Repo, res *InitResult) error {
	yaml, detected := pipeline.Detect(projectFiles(repo))
	if err := os.MkdirAll(res.Dir, 0o755); err != nil {
		return fmt.Errorf("create config repo: %w", err)
	}
	if _, err := gitstore.Open(res.Dir); errors.Is(err, gitstore.ErrNotRepo) {
		if err := gitIn(res.Dir, "init", "--quiet"); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(res.Dir, ConfigFile), yaml, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", ConfigFile, err)
	}
	if err := gitIn(res.Dir, "add", ConfigFile); err != nil {
		return err
	}
	msg := "ci: pipeline for " + repo.Name() + "\n\nDetected: " + detected + "\n"
	if err := gitIn(res.Dir, "commit", "--quiet", "-m", msg); err != nil {
		// No identity configured: commit as git-ci rather than fail.
		if err := gitIn(res.Dir, "-c", "user.name=git-ci", "-c", "user.email=git-ci@localhost", "commit", "--quiet", "-m", msg); err != nil {
			return err
		}
	}
	res.Created, res.Detected = true, detected
	return nil
}

func gitIn(dir string, args ...string) error {
	r := &gitstore.Repo{Dir: dir}
	_, err := r.Run(context.Background(), nil, args...)
	return err
}

// projectFiles reads the top-level files Detect looks at from HEAD, where
// committed content decides what CI will see.
func projectFiles(repo *gitstore.Repo) map[string][]byte {
	files := map[string][]byte{}
	head, err := repo.Resolve("HEAD")
	if err != nil {
		return files
	}
	for _, name := range []string{"go.mod", "GNUmakefile", "makefile", "Makefile", "package.json"} {
		if b, err := repo.File(head, name); err == nil {
			files[name] = b
		}
	}
	return files
}
