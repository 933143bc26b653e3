package rawfile

import (
	"errors"
	"strconv"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// How an unnamed file is linked into place: found out on first use.
const (
	linkUnknown = iota
	linkEmptyPath
	linkProc
	linkNone
)

var linkHow atomic.Int32

// WriteLinked writes content to an unnamed file in dir (O_TMPFILE) and
// links it at path once it is whole, so the file appears complete or not
// at all: a file's creation and rename cost, without the name in between
// (one directory entry added instead of two changes). A file at path
// already is left as it is. done is false, with nothing left behind,
// where the system or file system does not do it, or any step failed:
// the caller then writes a named temporary file and renames it, which
// reports a lasting error.
func WriteLinked(dir, path string, perm uint32, content []byte) (done bool) {
	if linkHow.Load() == linkNone {
		return false
	}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, perm)
	if err != nil {
		if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) {
			linkHow.Store(linkNone) // no O_TMPFILE here
		}
		return false
	}
	defer unix.Close(fd)
	for b := content; len(b) > 0; {
		n, err := unix.Write(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false
		}
		b = b[n:]
	}
	return link(fd, path)
}

// link gives the unnamed file fd the name path: by the descriptor itself
// where the process may (CAP_DAC_READ_SEARCH), else by its /proc name.
func link(fd int, path string) bool {
	how := linkHow.Load()
	if how == linkUnknown || how == linkEmptyPath {
		err := unix.Linkat(fd, "", unix.AT_FDCWD, path, unix.AT_EMPTY_PATH)
		if err == nil || errors.Is(err, unix.EEXIST) {
			linkHow.Store(linkEmptyPath)
			return true
		}
		if how == linkEmptyPath || !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.EPERM) {
			return false
		}
	}
	err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	switch {
	case err == nil || errors.Is(err, unix.EEXIST):
		linkHow.Store(linkProc)
		return true
	case how == linkUnknown && (errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EPERM)):
		linkHow.Store(linkNone) // no /proc, no capability
	}
	return false
}
