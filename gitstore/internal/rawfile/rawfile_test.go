package rawfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 4095, 4096, 100_000} {
		want := bytes.Repeat([]byte("x"), size)
		path := filepath.Join(dir, "f")
		os.WriteFile(path, want, 0o644)
		have, err := ReadFile(path)
		if err != nil || !bytes.Equal(have, want) {
			t.Errorf("%d bytes: have %d bytes, %v", size, len(have), err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestWriteNewAndRename(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if created, err := WriteNew(a, 0o444, []byte("one")); !created || err != nil {
		t.Fatalf("WriteNew: %v, %v", created, err)
	}
	if created, err := WriteNew(a, 0o444, []byte("two")); created || !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteNew over a file: %v, %v", created, err)
	}
	if st, _ := os.Stat(a); st.Mode().Perm() != 0o444&^umask(t) {
		t.Errorf("mode %v", st.Mode())
	}
	os.WriteFile(b, []byte("old"), 0o644)
	if err := Rename(a, b); err != nil {
		t.Fatal(err)
	}
	if have, _ := os.ReadFile(b); string(have) != "one" {
		t.Errorf("renamed: %q", have)
	}
	if err := Rename(a, b); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("rename of a missing file: %v", err)
	}
}

func TestAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	for _, line := range []string{"1\n", "2\n"} {
		f, err := OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if have, _ := os.ReadFile(path); string(have) != "1\n2\n" {
		t.Errorf("have %q", have)
	}
}

// umask is the process's umask, read by a file made for the purpose.
func umask(t *testing.T) os.FileMode {
	path := filepath.Join(t.TempDir(), "umask")
	os.WriteFile(path, nil, 0o777)
	st, _ := os.Stat(path)
	return 0o777 &^ st.Mode().Perm()
}
