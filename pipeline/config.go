package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config is a parsed, validated ci.yaml.
type Config struct {
	Projects  []Project   // in file order; may be empty
	Pipelines []*Pipeline // in file order; always holds "integrate"
}

// Project is an entry of ci.yaml's projects: a repository the config serves
// and the parameters (environment) every step of its runs gets.
type Project struct {
	Name   string
	Repo   string            // path or URL as written; may be empty
	Params map[string]string // nil when there are none
}

// Pipeline is a named list of stages that run in order.
type Pipeline struct {
	Name   string
	Params map[string]string // nil when there are none; override project params
	Stages []Stage
}

// Stage is a set of steps that run in parallel; the shorthand `run:` form is
// stored as a stage with one step named like the stage.
type Stage struct {
	Name  string
	Steps []Step
}

// Step is one shell command run in its own worktree.
type Step struct {
	Name    string
	Run     string
	Timeout time.Duration // 0 means none
}

// IntegratePipeline is the pipeline `git ci integrate` runs unless told
// otherwise; every valid ci.yaml defines it.
const IntegratePipeline = "integrate"

// Error is a problem at a place in a file. Its text is "FILE:LINE:COL: MSG";
// Line and Col are 1-based.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

// Error renders e as "FILE:LINE:COL: MSG".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Pipeline returns the pipeline called name; the error names it and lists
// the pipelines that are defined.
func (c *Config) Pipeline(name string) (*Pipeline, error) {
	for _, p := range c.Pipelines {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(c.Pipelines))
	for i, p := range c.Pipelines {
		names[i] = p.Name
	}
	return nil, fmt.Errorf("no pipeline %q in ci.yaml (defined: %s)", name, quoteList(names))
}

// SelectProject picks the project a run of the repository at repoPath uses.
// A non-empty name (from `git config ci.project`) must name a project.
// Otherwise the project whose repo equals repoPath, or else the only one
// whose repo has the same base name (without ".git"), is chosen; failing
// that, the only project when there is one, and the zero Project when
// ci.yaml defines none. Any other case is an error telling how to choose.
func (c *Config) SelectProject(name, repoPath string) (Project, error) {
	if name != "" {
		for _, p := range c.Projects {
			if p.Name == name {
				return p, nil
			}
		}
		return Project{}, fmt.Errorf("no project %q in ci.yaml (defined: %s)", name, quoteList(c.projectNames(c.Projects)))
	}
	if p, ok, err := c.matchRepo(repoPath); ok || err != nil {
		return p, err
	}
	switch len(c.Projects) {
	case 0:
		return Project{}, nil
	case 1:
		return c.Projects[0], nil
	}
	return Project{}, fmt.Errorf("no project in ci.yaml matches repository %q (defined: %s); choose one with `git config ci.project NAME`",
		repoPath, quoteList(c.projectNames(c.Projects)))
}

// matchRepo finds the project whose repo is repoPath, or else the only one
// with the same base name; ok is false when none matches.
func (c *Config) matchRepo(repoPath string) (p Project, ok bool, err error) {
	if repoPath == "" {
		return Project{}, false, nil
	}
	clean := filepath.Clean(repoPath)
	for _, p := range c.Projects {
		if p.Repo != "" && filepath.Clean(p.Repo) == clean {
			return p, true, nil
		}
	}
	var same []Project
	for _, p := range c.Projects {
		if p.Repo != "" && repoBase(p.Repo) == repoBase(repoPath) {
			same = append(same, p)
		}
	}
	switch len(same) {
	case 0:
		return Project{}, false, nil
	case 1:
		return same[0], true, nil
	}
	return Project{}, false, fmt.Errorf("several projects in ci.yaml match repository %q (%s); choose one with `git config ci.project NAME`",
		repoPath, quoteList(c.projectNames(same)))
}

// repoBase is the last path component of a repository path or URL, without
// a ".git" suffix: "/srv/git/app.git", "host:app" and "/src/app/" give "app".
func repoBase(repo string) string {
	repo = strings.TrimRight(repo, `/\`)
	if i := strings.LastIndexAny(repo, `/\:`); i >= 0 {
		repo = repo[i+1:]
	}
	return strings.TrimSuffix(repo, ".git")
}

func (c *Config) projectNames(ps []Project) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// quoteList renders names as `"a", "b"`, or "none".
func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := slices.Clone(names)
	for i, n := range q {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
