// Package rawfile reads and writes files with system calls alone, as
// git's object and ref files are read and written many times a command:
// an os.File of a regular file costs five more system calls than its
// open (Go tries to register it with its poller, then sets it back),
// a fifth of the time of reading a small file, and os.Rename stats its
// target first.
package rawfile

import (
	"io/fs"
	"os"
	"syscall"
)

// ReadFile returns the content of the file at path.
func ReadFile(path string) ([]byte, error) {
	fd, err := open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	b := make([]byte, 0, st.Size+1) // one more: the read that sees the end
	for {
		n, err := syscall.Read(fd, b[len(b):cap(b)])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return b, nil
		}
		b = b[:len(b)+n]
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the file grew
		}
	}
}

// File is a file open for writing.
type File struct {
	fd   int
	path string
}

// Create creates the file at path, which must not exist yet, for writing.
func Create(path string, perm uint32) (*File, error) {
	return OpenFile(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL, perm)
}

// OpenFile opens the file at path with flags (syscall's O_ flags) for
// writing.
func OpenFile(path string, flags int, perm uint32) (*File, error) {
	fd, err := open(path, flags, perm)
	if err != nil {
		return nil, err
	}
	return &File{fd, path}, nil
}

// Write writes all of b.
func (f *File) Write(b []byte) error {
	for len(b) > 0 {
		n, err := syscall.Write(f.fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "write", Path: f.path, Err: err}
		}
		b = b[n:]
	}
	return nil
}

// Close closes the file.
func (f *File) Close() error {
	if err := syscall.Close(f.fd); err != nil {
		return &fs.PathError{Op: "close", Path: f.path, Err: err}
	}
	return nil
}

// WriteNew creates the file at path, which must not exist yet, with the
// given permissions and content; created says whether it was created,
// also when writing it failed.
func WriteNew(path string, perm uint32, content []byte) (created bool, err error) {
	f, err := Create(path, perm)
	if err != nil {
		return false, err
	}
	err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return true, err
}

// Rename renames oldpath to newpath, replacing a file there.
func Rename(oldpath, newpath string) error {
	if err := syscall.Rename(oldpath, newpath); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}

// Open opens the file at path read-only and returns its descriptor.
func Open(path string) (int, error) {
	return open(path, syscall.O_RDONLY, 0)
}

func open(path string, flags int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(path, flags|syscall.O_CLOEXEC, perm)
		if err != syscall.EINTR {
			if err != nil {
				return -1, &fs.PathError{Op: "open", Path: path, Err: err}
			}
			return fd, nil
		}
	}
}

// Fstat is syscall.Fstat, again when interrupted.
func Fstat(fd int, st *syscall.Stat_t) error {
	for {
		if err := syscall.Fstat(fd, st); err != syscall.EINTR {
			return err
		}
	}
}
