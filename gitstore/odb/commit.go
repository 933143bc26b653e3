package odb

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Commit is what git-ci reads of a commit object, and writes.
type Commit struct {
	Tree      plumbing.Hash
	Parents   []plumbing.Hash
	Author    Signature
	Committer Signature
	Message   string
}

// Signature is an author or committer line: who, and when in their zone.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// ParseCommit reads a commit object's content. Headers it does not know
// (gpgsig, encoding, mergetag) are skipped with their continuation lines.
func ParseCommit(b []byte) (*Commit, error) {
	c := &Commit{}
	for len(b) > 0 {
		line, rest, _ := bytes.Cut(b, []byte("\n"))
		b = rest
		if len(line) == 0 {
			c.Message = string(b)
			break
		}
		key, val, _ := strings.Cut(string(line), " ")
		var err error
		switch key {
		case "tree":
			c.Tree, err = parseID(val)
		case "parent":
			var p plumbing.Hash
			p, err = parseID(val)
			c.Parents = append(c.Parents, p)
		case "author":
			c.Author, err = ParseSignature(val)
		case "committer":
			c.Committer, err = ParseSignature(val)
		}
		if err != nil {
			return nil, fmt.Errorf("commit header %q: %w", line, err)
		}
	}
	if c.Tree.IsZero() {
		return nil, fmt.Errorf("commit has no tree")
	}
	return c, nil
}

func parseID(s string) (plumbing.Hash, error) {
	if len(s) != 40 || strings.Trim(s, "0123456789abcdef") != "" {
		return plumbing.ZeroHash, fmt.Errorf("bad object id %q", s)
	}
	return plumbing.NewHash(s), nil
}

// ParseSignature reads "Name <email> 1700000000 +0100". A missing or bad
// date gives the zero time, as git shows such commits rather than failing.
func ParseSignature(s string) (Signature, error) {
	lt, gt := strings.LastIndex(s, "<"), strings.LastIndex(s, ">")
	if lt < 0 || gt < lt {
		return Signature{}, fmt.Errorf("no <email> in %q", s)
	}
	sig := Signature{Name: strings.TrimSpace(s[:lt]), Email: s[lt+1 : gt]}
	if f := strings.Fields(s[gt+1:]); len(f) == 2 {
		secs, err := strconv.ParseInt(f[0], 10, 64)
		tz, err2 := time.Parse("-0700", f[1])
		if err == nil && err2 == nil {
			sig.When = time.Unix(secs, 0).In(tz.Location())
		}
	}
	return sig, nil
}

// EncodeCommit is the content of a commit object, as git writes it.
func EncodeCommit(c *Commit) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "tree %s\n", c.Tree)
	for _, p := range c.Parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n%s", c.Author, c.Committer, c.Message)
	return b.Bytes()
}

// String is the signature as a commit header holds it.
func (s Signature) String() string {
	return fmt.Sprintf("%s <%s> %d %s", s.Name, s.Email, s.When.Unix(), s.When.Format("-0700"))
}
