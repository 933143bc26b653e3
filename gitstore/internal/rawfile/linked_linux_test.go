package rawfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteLinked(t *testing.T) {
	defer linkHow.Store(linkHow.Load())
	t.Run("found out", func(t *testing.T) { linkHow.Store(linkUnknown); testWriteLinked(t) })
	// The way of a process without CAP_DAC_READ_SEARCH.
	t.Run("by /proc", func(t *testing.T) { linkHow.Store(linkProc); testWriteLinked(t) })
}

func testWriteLinked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a")
	if !WriteLinked(dir, path, 0o444, []byte("first")) {
		if linkHow.Load() == linkNone {
			t.Skip("no O_TMPFILE, or no way to link it, here")
		}
		t.Fatal("WriteLinked: not done")
	}
	if have, _ := os.ReadFile(path); string(have) != "first" {
		t.Errorf("written: %q", have)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o444&^umask(t) {
		t.Errorf("mode %v", st.Mode())
	}
	// A file there already stays as it is (an object of that name is
	// that object).
	if !WriteLinked(dir, path, 0o444, []byte("second")) {
		t.Error("WriteLinked over a file: not done")
	}
	if have, _ := os.ReadFile(path); string(have) != "first" {
		t.Errorf("overwritten: %q", have)
	}
	if WriteLinked(filepath.Join(dir, "missing"), filepath.Join(dir, "missing", "b"), 0o444, nil) {
		t.Error("WriteLinked into a missing directory: done")
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("left in the directory: %v", names)
	}
}
