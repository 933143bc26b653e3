package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Detect returns the ci.yaml `git ci init` writes for a project, and a
// one-line description of what it found, e.g. "Go module (go.mod)". files
// maps the names of top-level files of the project to their content (the
// caller passes go.mod, GNUmakefile, makefile, Makefile and package.json when
// present). A make test target wins, as the project's own interface; then a
// Go module, then an npm test script; with none of them the pipeline is an
// example step that fails until someone edits it. The result always parses.
func Detect(files map[string][]byte) (yaml []byte, detected string) {
	for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
		if data, ok := files[name]; ok && hasMakeTarget(data, "test") {
			return render(shorthandStage("make test")), fmt.Sprintf("make test target (%s)", name)
		}
	}
	if _, ok := files["go.mod"]; ok {
		return render(goStage), "Go module (go.mod)"
	}
	if data, ok := files["package.json"]; ok && hasNpmTest(data) {
		return render(shorthandStage("npm test")), "npm test script (package.json)"
	}
	return render(exampleStage), "nothing recognised (no go.mod, make test target or npm test script)"
}

// hasMakeTarget reports whether a makefile has a rule whose targets include
// target; special targets such as .PHONY and variable assignments do not count.
func hasMakeTarget(makefile []byte, target string) bool {
	sc := bufio.NewScanner(bytes.NewReader(makefile))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '\t' || line[0] == '#' {
			continue
		}
		targets, rest, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ":=") || strings.ContainsAny(targets, "=$") {
			continue
		}
		for _, t := range strings.Fields(targets) {
			if t == target {
				return true
			}
		}
	}
	return false
}

// hasNpmTest reports whether package.json defines a test script other than
// the one `npm init` writes, which only fails.
func hasNpmTest(packageJSON []byte) bool {
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(packageJSON, &pkg) != nil {
		return false
	}
	test := strings.TrimSpace(pkg.Scripts["test"])
	return test != "" && !strings.Contains(test, "no test specified")
}

const header = `# ci.yaml: the pipelines git-ci runs, written by ` + "`git ci init`" + `.
# Only committed content counts: commit your edits to this config repo.
#
# A pipeline is a list of stages that run in order; a stage runs only if every
# stage before it passed. The steps of a stage run in parallel, each in its own
# fresh worktree of the commit under test; a step passes when its "run" shell
# command exits 0. Stage and step names use letters, digits, ".", "_" and "-".
#
# params are environment variables for every step. A config repo can serve
# several repositories, each with its own params (pipeline params win):
#
# projects:
#   myapp:
#     repo: /srv/git/myapp.git       # path or URL; ` + "`git config ci.project`" + ` overrides matching
#     params: {GOFLAGS: -mod=readonly}
pipelines:
  integrate:                         # what ` + "`git ci integrate BRANCH`" + ` runs before promoting
    params: {}                       # e.g. {CGO_ENABLED: "0"}
    stages:
`

const goStage = `      - name: test
        steps:                       # these two run in parallel
          - name: vet
            run: go vet ./...
          - name: unit
            run: go test ./...
            timeout: 30m             # optional: a Go duration (90s, 10m, 1h30m); none by default
`

const exampleStage = `      - name: build
        steps:
          - name: example
            # Replace with the commands that build and test the project,
            # ideally a script the project keeps (./build.sh, make test).
            run: 'echo "git-ci: edit ci.yaml in the config repo to define your pipeline" >&2; exit 1'
            timeout: 30m             # optional: a Go duration (90s, 10m, 1h30m); none by default
`

// shorthandStage is a stage "test" that runs one command.
func shorthandStage(run string) string {
	return `      - name: test                   # shorthand: a stage with "run" is one step of the same name
        run: ` + run + `
        timeout: 30m                 # optional: a Go duration (90s, 10m, 1h30m); none by default
`
}

func render(stages string) []byte {
	return []byte(header + stages)
}
