package merge

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// fileType is the S_IFMT part of a mode: regular file, symlink, gitlink.
func fileType(m filemode.FileMode) filemode.FileMode {
	switch m {
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		return filemode.Regular
	}
	return m
}

func modeOf(e *odb.TreeEntry) filemode.FileMode {
	if e == nil {
		return 0
	}
	return e.Mode
}

func hashOf(e *odb.TreeEntry) plumbing.Hash {
	if e == nil {
		return plumbing.ZeroHash
	}
	return e.Hash
}

// resolve merges a file changed differently on both sides, as merge-ort's
// process_entry does: distinct types, content merge (a two-way merge when
// the base is absent or of another type), or modify/delete.
func (m *merger) resolve(d *dirOut, name string, b, o, t *odb.TreeEntry, df bool) error {
	p := join(d.path, name)
	if o == nil || t == nil {
		return m.modifyDelete(d, name, b, o, t)
	}
	if fileType(o.Mode) != fileType(t.Mode) {
		m.distinctTypes(d, name, b, o, t)
		return nil
	}
	res, clean, err := m.contentMerge(p, b, o, t, [3]string{}, 0)
	if err != nil {
		return err
	}
	d.add(name, res)
	kind := "content"
	if b == nil {
		kind = "add/add"
	}
	reason := contentReason(kind, o)
	if !clean {
		m.contentConflictMessage(p, reason)
	} else if df {
		reason = "file/directory"
	}
	if !clean || df {
		m.conflict(p, reason, b, o, t)
	}
	return nil
}

// resolvePending is process_entry for stages renames decided (all files
// of base, ours and theirs, o and t present): distinct types get a path
// each, the same type merges with the stages' paths as labels.
func (m *merger) resolvePending(d *dirOut, name string, pd *pending) error {
	p := join(d.path, name)
	if fileType(pd.o.Mode) != fileType(pd.t.Mode) {
		m.distinctTypes(d, name, pd.b, pd.o, pd.t)
		return nil
	}
	res, clean, err := m.contentMerge(p, pd.b, pd.o, pd.t, pd.names, 0)
	if err != nil {
		return err
	}
	d.add(name, res)
	if !clean {
		m.contentConflict(p, pd.b, pd.o, pd.t)
	}
	return nil
}

// contentReason is merge-ort's word for a content merge that conflicted:
// "submodule" for a gitlink, else kind ("content" or "add/add").
func contentReason(kind string, o *odb.TreeEntry) string {
	if o.Mode == filemode.Submodule {
		return "submodule"
	}
	return kind
}

// contentConflictMessage is what merge-ort prints for a conflicted content
// merge at p.
func (m *merger) contentConflictMessage(p, reason string) {
	m.message("CONFLICT (contents)", []string{p}, "CONFLICT (%s): Merge conflict in %s", reason, p)
}

// contentConflict records a content merge at p that did not merge
// cleanly: its message and its stages ("add/add" without a base).
func (m *merger) contentConflict(p string, b, o, t *odb.TreeEntry) {
	kind := "content"
	if b == nil {
		kind = "add/add"
	}
	reason := contentReason(kind, o)
	m.contentConflictMessage(p, reason)
	m.conflict(p, reason, b, o, t)
}

// mergeMoved merges the versions of the file a directory rename moved to
// mv.to, the moving side's labelled with its old path (process_entry),
// and records the path's conflict: the content's when the contents do not
// merge, else "file location".
func (m *merger) mergeMoved(mv moved, b, o, t *odb.TreeEntry) (*odb.TreeEntry, error) {
	names := [3]string{mv.to, mv.to, mv.to}
	names[mv.side+1] = mv.from
	res, clean, err := m.contentMerge(mv.to, b, o, t, names, 0)
	if err != nil {
		return nil, err
	}
	if clean {
		m.conflict(mv.to, "file location", b, o, t)
	} else {
		m.contentConflict(mv.to, b, o, t)
	}
	return res, nil
}

// modifyDeleteMessage is merge-ort's message for a file modified on
// branch modifiedIn and deleted on deletedIn, kept at p.
func (m *merger) modifyDeleteMessage(p, deletedIn, modifiedIn string) {
	m.message("CONFLICT (modify/delete)", []string{p}, "CONFLICT (modify/delete): %s deleted in %s and modified in %s.  Version %s of %s left in tree.",
		p, deletedIn, modifiedIn, modifiedIn, p)
}

// bySide returns mine and other, side's entry and the other side's, as
// ours and theirs.
func bySide(side int, mine, other *odb.TreeEntry) (o, t *odb.TreeEntry) {
	if side == 1 {
		return other, mine
	}
	return mine, other
}

// sideBranches names side's branch and the other side's.
func (m *merger) sideBranches(side int) (own, other string) {
	if side == 1 {
		return m.opt.Branch2, m.opt.Branch1
	}
	return m.opt.Branch1, m.opt.Branch2
}

// keptOnSide records p as a modify/delete: e, side's version of it,
// against the base b and no version of the other side; reason names
// the rule. Where a directory rename made it a path conflict, merge-ort
// says nothing when e has the base's contents.
func (m *merger) keptOnSide(p string, side int, b, e *odb.TreeEntry, reason string, pathConflict bool) {
	if !pathConflict || b.Hash != e.Hash {
		own, other := m.sideBranches(side)
		m.modifyDeleteMessage(p, other, own)
	}
	o, t := onSide(side, e)
	m.conflict(p, reason, b, o, t)
}

// onSide returns e as ours or as theirs, by the side (0 ours, 1 theirs)
// that has it; the other is nil.
func onSide(side int, e *odb.TreeEntry) (o, t *odb.TreeEntry) {
	if side == 1 {
		return nil, e
	}
	return e, nil
}

// modifyDelete keeps the modified side (the base, in a virtual base).
func (m *merger) modifyDelete(d *dirOut, name string, b, o, t *odb.TreeEntry) error {
	p := join(d.path, name)
	res, modBranch, delBranch := o, m.opt.Branch1, m.opt.Branch2
	if o == nil {
		res, modBranch, delBranch = t, m.opt.Branch2, m.opt.Branch1
	}
	if m.depth > 0 {
		res = b
	}
	d.add(name, res)
	m.modifyDeleteMessage(p, delBranch, modBranch)
	m.conflict(p, "modify/delete", b, o, t)
	return nil
}

// distinctTypes handles a path that is a regular file, a symlink or a
// gitlink with a different type on each side: in the final merge each
// version gets a path of its own (the regular file, or both, move to
// PATH~BRANCH); in a virtual base the base version stays.
func (m *merger) distinctTypes(d *dirOut, name string, b, o, t *odb.TreeEntry) {
	p := join(d.path, name)
	if m.depth > 0 {
		d.add(name, b)
		m.conflict(p, "distinct types", b, o, t)
		return
	}
	moveO := fileType(o.Mode) == filemode.Regular
	moveT := !moveO && fileType(t.Mode) == filemode.Regular
	if !moveO && !moveT {
		moveO, moveT = true, true
	}
	oName, tName := name, name
	if moveO {
		oName = m.uniqueName(d, name, m.opt.Branch1)
	}
	if moveT {
		tName = m.uniqueName(d, name, m.opt.Branch2)
	}
	d.take(oName)
	d.take(tName)
	how, paths := "one of them so each can be recorded somewhere.", []string{p}
	if moveO {
		paths = append(paths, join(d.path, oName))
	}
	if moveT {
		paths = append(paths, join(d.path, tName))
	}
	if moveO && moveT {
		how = "both of them so each can be recorded somewhere."
	}
	m.message("CONFLICT (distinct modes)", paths, "CONFLICT (distinct types): %s had different types on each side; renamed %s", p, how)
	baseFor := func(x *odb.TreeEntry) *odb.TreeEntry {
		if b != nil && fileType(b.Mode) == fileType(x.Mode) {
			return b
		}
		return nil
	}
	d.add(tName, t)
	m.conflict(join(d.path, tName), "distinct types", baseFor(t), nil, t)
	d.add(oName, o)
	m.conflict(join(d.path, oName), "distinct types", baseFor(o), o, nil)
}

// contentMerge is merge-ort's handle_content_merge for o and t of the same
// type: modes merge, then ids, then contents (regular files), while
// symlinks and gitlinks changed on both sides conflict. A nil result
// means the path is removed (a virtual base without a base version).
// names are the paths of b, o and t when a rename makes them differ;
// extra lengthens the conflict markers (merge-ort: 1 for the merges that
// rename/rename conflicts make).
func (m *merger) contentMerge(p string, b, o, t *odb.TreeEntry, names [3]string, extra int) (*odb.TreeEntry, bool, error) {
	bMode, bHash := modeOf(b), hashOf(b)
	res := &odb.TreeEntry{Mode: t.Mode}
	clean := true
	if o.Mode != t.Mode && o.Mode != bMode {
		res.Mode, clean = o.Mode, t.Mode == bMode
	}
	twoWay := b == nil || fileType(b.Mode) != fileType(o.Mode)
	switch {
	case o.Hash == t.Hash || o.Hash == bHash:
		res.Hash = t.Hash
	case t.Hash == bHash:
		res.Hash = o.Hash
	case fileType(o.Mode) == filemode.Regular:
		h, ok, err := m.mergeBlobs(p, b, o, t, twoWay, names, extra)
		if err != nil {
			return nil, false, err
		}
		res.Hash, clean = h, clean && ok
	case o.Mode == filemode.Submodule:
		// merge-tree has no submodule checked out: merge_submodule fails.
		m.message("CONFLICT (submodule not initialized)", []string{p}, "Failed to merge submodule %s (not checked out)", p)
		if m.depth == 0 {
			m.submodules = append(m.submodules, p)
		}
		clean = false
		res.Hash = o.Hash
		if m.depth > 0 && twoWay {
			res.Mode, res.Hash = bMode, bHash
		} else if m.depth > 0 {
			res.Hash = bHash
		}
	default: // symlink
		clean = false
		res.Hash = o.Hash
		if m.depth > 0 {
			res.Mode, res.Hash = bMode, bHash
		}
	}
	if res.Mode == 0 {
		return nil, clean, nil
	}
	return res, clean, nil
}

// mergeBlobs merges three versions of a regular file's content (merge-ort's
// merge_3way and ll_merge): binary content conflicts keeping ours (in a
// virtual base: the base, cleanly); text goes through lineMerge with the
// branch names as labels and markers longer by 2 per recursion level.
func (m *merger) mergeBlobs(p string, b, o, t *odb.TreeEntry, twoWay bool, names [3]string, extra int) (plumbing.Hash, bool, error) {
	if m.pathOnly {
		return o.Hash, false, nil
	}
	bl, ol, tl := m.opt.Ancestor, m.opt.Branch1, m.opt.Branch2
	if names[0] != "" && !(names[0] == names[1] && names[1] == names[2]) {
		bl, ol, tl = bl+":"+names[0], ol+":"+names[1], tl+":"+names[2]
	}
	opt := lineOptions{
		OursLabel: ol, BaseLabel: bl, TheirsLabel: tl,
		MarkerSize: 7 + 2*m.depth + extra,
	}
	if !twoWay {
		if x := m.mergedAhead(aheadKey{b.Hash, o.Hash, t.Hash, opt}); x != nil {
			return m.mergedAheadBlob(p, x)
		}
	}
	bufs := blobBufs.Get().(*blobRooms)
	defer blobBufs.Put(bufs)
	var base []byte
	var err error
	if !twoWay {
		if base, err = bufs.read(m, p, 0, b.Hash); err != nil {
			return plumbing.ZeroHash, false, err
		}
	}
	ours, err := bufs.read(m, p, 1, o.Hash)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	theirs, err := bufs.read(m, p, 2, t.Hash)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	if isBinary(base) || isBinary(ours) || isBinary(theirs) {
		out, clean := base, true
		if m.depth == 0 {
			out, clean = ours, false
			m.message("CONFLICT (binary)", []string{p}, "warning: Cannot merge binary files: %s (%s vs. %s)", p, ol, tl)
		}
		h, err := m.writeBlob(p, out)
		m.message("Auto-merging", []string{p}, "Auto-merging %s", p)
		return h, clean, err
	}
	r, exact := lineMerge(base, ours, theirs, opt)
	return m.mergedBlob(p, r, exact)
}

// mergedBlob writes the result of a line merge.
func (m *merger) mergedBlob(p string, r lineResult, exact bool) (plumbing.Hash, bool, error) {
	m.approx = m.approx || !exact
	h, err := m.writeBlob(p, r.Content)
	m.message("Auto-merging", []string{p}, "Auto-merging %s", p)
	return h, r.Conflicts == 0, err
}

func (m *merger) readBlob(p string, h plumbing.Hash) ([]byte, error) {
	return m.readBlobInto(p, h, nil)
}

// readBlobInto is readBlob, into buf when the store can and it has room.
func (m *merger) readBlobInto(p string, h plumbing.Hash, buf []byte) ([]byte, error) {
	if r, ok := readerOf(m.s); ok {
		typ, b, err := r.ReadInto(h, buf)
		if err == nil && typ != plumbing.BlobObject {
			err = plumbing.ErrObjectNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("read blob %s at %q: %w", h, p, err)
		}
		return b, nil
	}
	blob, err := m.s.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s at %q: %w", h, p, err)
	}
	data, err := content(blob)
	if err != nil {
		return nil, fmt.Errorf("read blob %s at %q: %w", h, p, err)
	}
	return data, nil
}

func (m *merger) writeBlob(p string, data []byte) (plumbing.Hash, error) {
	return m.writeObject(plumbing.BlobObject, data, "blob", p)
}

// writeObject stores an object unless the store has it already, and
// keeps no hold of data. A store that writes from bytes does it all (one
// hash, one look-up); else the id is hashed from data first: a merge often
// makes objects the store holds, and then nothing more is built.
func (m *merger) writeObject(typ plumbing.ObjectType, data []byte, kind, p string) (plumbing.Hash, error) {
	if w, ok := writerOf(m.s); ok {
		h, err := w.WriteObject(typ, data)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("write merged %s at %q: %w", kind, p, err)
		}
		return h, nil
	}
	h := plumbing.ComputeHash(typ, data)
	if m.s.HasEncodedObject(h) == nil {
		return h, nil
	}
	obj := m.s.NewEncodedObject()
	obj.SetType(typ)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		_, err = m.s.SetEncodedObject(obj)
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write merged %s at %q: %w", kind, p, err)
	}
	return obj.Hash(), nil
}
