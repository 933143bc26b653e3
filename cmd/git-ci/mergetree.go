package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/git-ci/git-ci/gitstore"
	"github.com/git-ci/git-ci/merge"
	"github.com/git-ci/git-ci/runner"
)

// mergeTreeCmd is `git ci merge-tree`: `git merge-tree --write-tree` with
// git-ci's merge engine, same output and exit codes.
type mergeTreeCmd struct {
	NameOnly       bool   `help:"List only the conflicted paths, one per line, not their stages."`
	MergeBase      string `help:"Merge over this commit instead of the merge bases of OURS and THEIRS." placeholder:"COMMIT"`
	AllowUnrelated bool   `name:"allow-unrelated-histories" help:"Merge commits without a common ancestor (over the empty tree)."`
	Messages       *bool  `negatable:"" help:"Print the informational messages (default: only when there are conflicts)."`
	Null           bool   `name:"null" short:"z" help:"End each line with NUL, paths unquoted; each message as git's record: how many paths, the paths, its kind, its text."`
	Ours           string `arg:"" help:"Our side: a branch or any commit."`
	Theirs         string `arg:"" help:"Their side: a branch or any commit."`
}

func (c *mergeTreeCmd) Run(e *env) error {
	repo, err := openRepo()
	if err != nil {
		return err
	}
	ours, theirs, err := resolveCommits(repo, c.Ours, c.Theirs)
	if err != nil {
		return err
	}
	opt := merge.Options{Branch1: c.Ours, Branch2: c.Theirs}
	var res merge.Result
	if c.MergeBase != "" {
		base, err := resolveCommit(repo, c.MergeBase)
		if err != nil {
			return err
		}
		opt.Ancestor = c.MergeBase
		res, err = merge.CommitsOver(repo.Storer(), base, ours, theirs, opt)
		if err != nil {
			return err
		}
	} else {
		if err := c.checkRelated(repo, ours, theirs); err != nil {
			return err
		}
		if res, err = merge.CommitsWith(repo.Storer(), ours, theirs, opt); err != nil {
			return err
		}
	}
	w := bufio.NewWriter(e.stdout)
	writeMergeTree(w, res, c.NameOnly, c.Messages == nil && !res.Clean() || c.Messages != nil && *c.Messages, c.Null)
	if err := w.Flush(); err != nil {
		return err
	}
	if !res.Clean() {
		return exitCode(exitFailed)
	}
	return nil
}

// checkRelated refuses, as git does, commits without a common ancestor.
func (c *mergeTreeCmd) checkRelated(repo *gitstore.Repo, ours, theirs plumbing.Hash) error {
	if c.AllowUnrelated {
		return nil
	}
	bases, err := merge.Bases(repo.Storer(), ours, theirs)
	if err != nil {
		return err
	}
	if len(bases) == 0 {
		return &runner.ConfigError{Err: fmt.Errorf("%s and %s have no common ancestor", c.Ours, c.Theirs),
			Hint: "to merge them over the empty tree, add --allow-unrelated-histories"}
	}
	return nil
}

func resolveCommits(repo *gitstore.Repo, a, b string) (plumbing.Hash, plumbing.Hash, error) {
	ha, err := resolveCommit(repo, a)
	if err != nil {
		return ha, ha, err
	}
	hb, err := resolveCommit(repo, b)
	return ha, hb, err
}

// resolveCommit resolves rev as git does (HEAD, names and ids without
// starting git; the rest of git's revision syntax by git).
func resolveCommit(repo *gitstore.Repo, rev string) (plumbing.Hash, error) {
	h, err := repo.Resolve(rev)
	if errors.Is(err, gitstore.ErrNoRef) {
		return h, &runner.ConfigError{Err: fmt.Errorf("%q is not a commit", rev), Hint: "name a branch, tag or commit id (see `git log --oneline --all`)"}
	}
	return h, err
}

// writeMergeTree prints a result as `git merge-tree --write-tree` does:
// the tree id; the conflicted paths with their stages (or the paths only);
// then, after an empty line, the messages. With null (-z) every line ends
// in NUL instead and paths are not quoted, and each message is the record
// git's -z prints: the count of its paths, each path, its kind and its
// text, each ended by NUL (the text by a newline first, as git's puts).
func writeMergeTree(w *bufio.Writer, res merge.Result, nameOnly, messages, null bool) {
	end, name := byte('\n'), quotePath
	if null {
		end, name = 0, func(p string) string { return p }
	}
	fmt.Fprintf(w, "%s%c", res.Tree, end)
	for _, c := range res.Conflicts {
		if nameOnly {
			// A conflict git reports by a message only lists no path.
			if c.Stages != [3]merge.Stage{} {
				fmt.Fprintf(w, "%s%c", name(c.Path), end)
			}
			continue
		}
		for i, s := range c.Stages {
			if s.Mode != 0 {
				fmt.Fprintf(w, "%06o %s %d\t%s%c", uint32(s.Mode), s.Hash, i+1, name(c.Path), end)
			}
		}
	}
	if !messages {
		return
	}
	w.WriteByte(end)
	for _, m := range res.Messages {
		if null && m.Kind != "" {
			fmt.Fprintf(w, "%d\x00", len(m.Paths))
			for _, p := range m.Paths {
				fmt.Fprintf(w, "%s\x00", p)
			}
			fmt.Fprintf(w, "%s\x00%s\n\x00", m.Kind, m.Text)
			continue
		}
		fmt.Fprintln(w, m.Text)
	}
}

// quotePath quotes a path as git does with core.quotePath on (its
// quote_c_style): in double quotes, with C escapes and octal bytes, when
// it holds a control character, a quote, a backslash or a non-ASCII byte.
func quotePath(p string) string {
	need := false
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			need = true
			break
		}
	}
	if !need {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		c := p[i]
		if j := strings.IndexByte("\a\b\t\n\v\f\r\"\\", c); j >= 0 {
			b.WriteByte('\\')
			b.WriteByte("abtnvfr\"\\"[j])
		} else if c < 0x20 || c >= 0x7f {
			fmt.Fprintf(&b, "\\%03o", c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
