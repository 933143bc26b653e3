//go:build !linux

package rawfile

// WriteLinked is the Linux O_TMPFILE write (linked_linux.go); elsewhere
// it does nothing and says so.
func WriteLinked(dir, path string, perm uint32, content []byte) (done bool) {
	return false
}
