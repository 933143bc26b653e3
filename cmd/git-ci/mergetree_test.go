package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMergeTreeScripts runs the merge-tree scripts of testdata/script on
// their own, so that `go test -run Merge` covers the command.
func TestMergeTreeScripts(t *testing.T) {
	dir := t.TempDir()
	files, err := filepath.Glob("testdata/script/merge_*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no merge scripts: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		Setup:               setupGit,
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits},
	})
}

func TestMergeTreeQuotePath(t *testing.T) {
	for give, want := range map[string]string{
		"a/b.txt":        "a/b.txt",
		"tab\there":      `"tab\there"`,
		`quote"d`:        `"quote\"d"`,
		"caf\u00e9":      `"caf\303\251"`,
		`back\slash`:     `"back\\slash"`,
		"new\nline":      `"new\nline"`,
		"bell\a\x01\x7f": `"bell\a\001\177"`,
	} {
		if have := quotePath(give); have != want {
			t.Errorf("quotePath(%q) = %s, want %s", give, have, want)
		}
	}
}
