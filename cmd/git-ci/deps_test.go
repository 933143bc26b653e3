package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointInward enforces the design's layering: the pure
// packages run no processes and import no IO package of git-ci, and
// dependencies point from cmd inward, never back.
func TestDependenciesPointInward(t *testing.T) {
	const mod = "github.com/git-ci/git-ci/"
	forbidden := map[string][]string{
		"pipeline": {"os/exec", mod + "gitstore", mod + "runner", mod + "merge", mod + "htmlgen"},
		"merge":    {"os/exec", mod + "gitstore", mod + "runner", mod + "pipeline", mod + "htmlgen"},
		"htmlgen":  {"os/exec", mod + "gitstore", mod + "runner"},
		"gitstore": {mod + "runner", mod + "pipeline", mod + "htmlgen"},
		"runner":   {mod + "cmd/git-ci"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, b := range bad {
				if d == b {
					t.Errorf("%s depends on %s", pkg, b)
				}
			}
		}
	}
}
