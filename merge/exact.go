package merge

import (
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// finish applies the conservative rename rules where renames are possible,
// and assembles the result.
func (m *merger) finish(root *odb.TreeEntry) (Result, error) {
	tree := emptyTree
	if root != nil {
		tree = root.Hash
	} else if h, err := m.writeTree("", nil); err != nil {
		return Result{}, err
	} else {
		tree = h
	}
	if err := m.dropUnlessDir(tree); err != nil {
		return Result{}, err
	}
	free := m.exactRenames && !m.pathOnly
	if !free {
		m.conflicts = append(m.conflicts, m.suspects...)
		if err := m.checkRenames(); err != nil {
			return Result{}, err
		}
	}
	cs := sortConflicts(m.conflicts)
	if err := m.fillStages(cs); err != nil {
		return Result{}, err
	}
	sort.SliceStable(m.messages, func(i, j int) bool { return m.messages[i].Path < m.messages[j].Path })
	for _, c := range cs {
		if c.Reason == "rename" || c.Reason == "directory rename" {
			m.messages = append(m.messages, Message{Path: c.Path, Kind: "CONFLICT (" + c.Reason + ")", Paths: []string{c.Path},
				Text: "CONFLICT (" + c.Reason + "): git-ci does not detect renames yet; " + c.Path + " may be part of one"})
		}
	}
	if len(m.submodules) > 0 {
		m.messages = append(m.messages, Message{Text: submoduleAdvice(m.submodules)})
	}
	r := Result{Tree: tree, Conflicts: cs, Messages: m.messages, Exact: free && !m.approx && m.walkInexact == ""}
	r.deferredGrew = m.opt.deferredGrew || len(m.deferredDirs[0]) > hashmapGrowAt || len(m.deferredDirs[1]) > hashmapGrowAt
	switch {
	case m.pathOnly:
		r.inexact = "criss-cross"
	case !free:
		r.inexact = "renames: " + m.whyInexact
	case m.walkInexact != "":
		r.inexact = "renames: " + m.walkInexact
	case m.approx:
		r.inexact = "line merge"
	}
	return r, nil
}

// dropUnlessDir drops the conflicts marked unlessDir where the merged
// tree has a directory.
func (m *merger) dropUnlessDir(tree plumbing.Hash) error {
	keep := m.conflicts[:0]
	for _, c := range m.conflicts {
		if c.unlessDir {
			e, err := m.entryAt(rootEntry(tree), c.Path)
			if err != nil {
				return err
			}
			if isDir(e) {
				continue
			}
		}
		keep = append(keep, c)
	}
	m.conflicts = keep
	return nil
}

// submoduleAdvice is what merge-ort prints after the messages when
// gitlinks conflicted (print_submodule_conflict_suggestion); git-ci, like
// merge-tree, never has the submodules checked out, so no per-submodule
// steps are listed.
func submoduleAdvice(paths []string) string {
	return "Recursive merging with submodules currently only supports trivial cases.\n" +
		"Please manually handle the merging of each conflicted submodule.\n" +
		"This can be accomplished with the following steps:\n" +
		" - come back to superproject and run:\n\n" +
		"      git add " + strings.Join(paths, " ") + "\n\n" +
		"   to record the above merge or update\n" +
		" - resolve any other conflicts in the superproject\n" +
		" - commit the resulting index in the superproject"
}

// fillStages looks up the stages of conflicts recorded by path only.
func (m *merger) fillStages(cs []Conflict) error {
	for i := range cs {
		if cs[i].Stages != [3]Stage{} || cs[i].messageOnly {
			continue
		}
		for s, h := range m.trees {
			e, err := m.entryAt(rootEntry(h), cs[i].Path)
			if err != nil {
				return err
			}
			if e = fileOf(e); e != nil {
				cs[i].Stages[s] = Stage{Mode: e.Mode, Hash: e.Hash}
			}
		}
	}
	return nil
}

// entryAt finds the entry at path p below the directory d.
func (m *merger) entryAt(d *odb.TreeEntry, p string) (*odb.TreeEntry, error) {
	dir := ""
	for p != "" {
		name, rest := p, ""
		for i := 0; i < len(p); i++ {
			if p[i] == '/' {
				name, rest = p[:i], p[i+1:]
				break
			}
		}
		if d == nil || d.Mode != filemode.Dir {
			return nil, nil
		}
		es, err := m.entries(dir, d)
		if err != nil {
			return nil, err
		}
		d, dir, p = es[name], join(dir, name), rest
	}
	return d, nil
}

// sortConflicts sorts by path and keeps the first conflict of each path,
// but one with stages over one by message only.
func sortConflicts(cs []Conflict) []Conflict {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Path < cs[j].Path })
	var out []Conflict
	for _, c := range cs {
		switch n := len(out); {
		case n == 0 || out[n-1].Path != c.Path:
			out = append(out, c)
		case out[n-1].messageOnly && !c.messageOnly:
			out[n-1] = c
		}
	}
	return out
}
