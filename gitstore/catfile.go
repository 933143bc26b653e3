package gitstore

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// catFile is a running `git cat-file --batch`: a few objects out of a big
// packed repository in a few milliseconds, where go-git first indexes
// every object of the pack (tens of milliseconds at 100,000 notes).
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func (r *Repo) startCatFile() (*catFile, error) {
	cmd := exec.Command("git", "-C", r.Path(), "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return &catFile{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10)}, nil
}

// read returns the type and content of the object name names (an id or a
// revision such as ID^{tree}); a missing object gives plumbing.ErrObjectNotFound.
func (c *catFile) read(name string) (plumbing.ObjectType, []byte, error) {
	_, typ, b, err := c.readID(name)
	return typ, b, err
}

// readID is read that also returns the object's id: cat-file resolves any
// revision git does (main, HEAD~2, v1.0^{commit}) on the way.
func (c *catFile) readID(name string) (plumbing.Hash, plumbing.ObjectType, []byte, error) {
	if strings.ContainsAny(name, "\n") {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("%q: %w", name, plumbing.ErrObjectNotFound)
	}
	if _, err := io.WriteString(c.in, name+"\n"); err != nil {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("git cat-file: %w", err)
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("git cat-file: %w", err)
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("%s: %w", name, plumbing.ErrObjectNotFound)
	}
	if len(f) != 3 || len(f[0]) != 40 {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("git cat-file: unexpected %q", header)
	}
	typ, err := plumbing.ParseObjectType(f[1])
	size, err2 := strconv.Atoi(f[2])
	if err != nil || err2 != nil {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("git cat-file: unexpected %q", header)
	}
	content := make([]byte, size+1)
	if _, err := io.ReadFull(c.out, content); err != nil {
		return plumbing.ZeroHash, 0, nil, fmt.Errorf("git cat-file: %w", err)
	}
	return plumbing.NewHash(f[0]), typ, content[:size], nil
}

// tree reads a tree object's entries in their stored order.
func (c *catFile) tree(h plumbing.Hash) ([]object.TreeEntry, error) {
	typ, b, err := c.read(h.String())
	if err != nil {
		return nil, err
	}
	if typ != plumbing.TreeObject {
		return nil, fmt.Errorf("%s is a %s, not a tree", h, typ)
	}
	var entries []object.TreeEntry
	for len(b) > 0 {
		sp := bytes.IndexByte(b, ' ')
		nul := bytes.IndexByte(b, 0)
		if sp < 0 || nul < sp || len(b) < nul+21 {
			return nil, fmt.Errorf("tree %s: malformed", h)
		}
		mode, err := strconv.ParseUint(string(b[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("tree %s: malformed mode %q", h, b[:sp])
		}
		var id plumbing.Hash
		copy(id[:], b[nul+1:nul+21])
		entries = append(entries, object.TreeEntry{Name: string(b[sp+1 : nul]), Mode: filemode.FileMode(mode), Hash: id})
		b = b[nul+21:]
	}
	return entries, nil
}

func (c *catFile) close() {
	c.in.Close()
	c.cmd.Wait()
}
