package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// ConfigFile is the pipeline file at the root of the config repo.
const ConfigFile = "ci.yaml"

// Config is the committed configuration a run uses.
type Config struct {
	Dir     string        // the config repo
	Commit  plumbing.Hash // the config commit the run records
	Parsed  *pipeline.Config
	Project pipeline.Project
	Warning string // e.g. uncommitted changes that do not count
}

// ConfigError is a problem with the configuration; Hint says how to fix it.
type ConfigError struct {
	Err  error
	Hint string
}

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// LoadConfig reads ci.yaml as committed at HEAD of the config repo named by
// git config ci.config, and selects the project for repo (ci.project).
// Uncommitted edits do not count; they come back as a Warning.
func LoadConfig(repo *gitstore.Repo) (*Config, error) {
	dir, err := repo.Config("ci.config")
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, &ConfigError{Err: errors.New("no CI configuration for this repository (git config ci.config is not set)"),
			Hint: "run `git ci init` to create a config repo, or `git config ci.config PATH` to use an existing one"}
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repo.Path(), dir)
	}
	cfgRepo, err := gitstore.Open(dir)
	if err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("config repo %s (git config ci.config): %w", dir, err),
			Hint: "run `git ci init` to create it, or `git config ci.config PATH` to point at the right one"}
	}
	c := &Config{Dir: dir}
	data, err := c.readCommitted(cfgRepo)
	if err != nil {
		return nil, err
	}
	c.Parsed, err = pipeline.Parse(ConfigFile, data)
	if err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("%s: %w", dir, err), Hint: c.editHint()}
	}
	project, _ := repo.Config("ci.project")
	c.Project, err = c.Parsed.SelectProject(project, repo.Path())
	if err != nil {
		return nil, &ConfigError{Err: err, Hint: "set `git config ci.project NAME` to one of the projects in " + filepath.Join(dir, ConfigFile)}
	}
	if dirty, _ := gitstore.DirtyPaths(dir); contains(dirty, ConfigFile) {
		c.Warning = fmt.Sprintf("%s has uncommitted changes; only committed config counts, so this run uses %s",
			filepath.Join(dir, ConfigFile), c.Commit.String()[:7])
	}
	return c, nil
}

func (c *Config) editHint() string {
	return fmt.Sprintf("edit %s, then `git -C %s commit -am 'ci: fix pipeline'`", filepath.Join(c.Dir, ConfigFile), c.Dir)
}

func (c *Config) readCommitted(cfgRepo *gitstore.Repo) ([]byte, error) {
	head, err := cfgRepo.Resolve("HEAD")
	if err != nil {
		hint := fmt.Sprintf("commit it: `git -C %s add %s && git -C %s commit -m 'ci: pipeline'`", c.Dir, ConfigFile, c.Dir)
		return nil, &ConfigError{Err: fmt.Errorf("config repo %s has no commits; only committed config counts", c.Dir), Hint: hint}
	}
	c.Commit = head
	b, err := cfgRepo.File(head, ConfigFile)
	if errors.Is(err, gitstore.ErrNoFile) {
		hint := fmt.Sprintf("add it: `git -C %s add %s && git -C %s commit`", c.Dir, ConfigFile, c.Dir)
		if _, serr := os.Stat(filepath.Join(c.Dir, ConfigFile)); serr != nil {
			hint = "run `git ci init` to create one"
		}
		return nil, &ConfigError{Err: fmt.Errorf("config repo %s: no %s committed at HEAD (%s); only committed config counts", c.Dir, ConfigFile, head.String()[:7]), Hint: hint}
	}
	return b, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
