package merge

import (
	"fmt"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// dirInTheWay says what merge-ort says when one side kept a file that the
// other side replaced by a directory: the file (deleted by the merge) is
// "moved" out of the directory's way. merge-ort says it only when it reads
// that directory, which it does only when the side with the directory has
// relevant rename sources.
func (m *merger) dirInTheWay(d *dirOut, name string, kept, other *odb.TreeEntry, branch string, dirSide int) {
	if fileOf(kept) == nil || !isDir(other) || !m.relevant[dirSide] || m.inTrivialDir(join(d.path, name)) {
		return
	}
	np := m.uniqueName(d, name, branch)
	d.take(np)
	m.message("CONFLICT (file/directory)", []string{join(d.path, np), join(d.path, name)},
		"CONFLICT (file/directory): directory in the way of %s from %s; moving it to %s instead.", join(d.path, name), branch, join(d.path, np))
}

// mergeDirPart merges the directory part of a name that is a file on some
// side and a directory on another; nil when no directory survives.
func (m *merger) mergeDirPart(p string, b, o, t *odb.TreeEntry, v vanished) (*odb.TreeEntry, error) {
	db, do, dt := dirOf(b), dirOf(o), dirOf(t)
	switch {
	case m.forced[p]:
		// Renames decided paths below p.
	case same(do, dt):
		m.bothSides(p, db, do)
		return do, nil
	case same(do, db):
		m.oneSide(p, db, dt, v.ours)
		return dt, nil
	case same(dt, db):
		m.oneSide(p, db, do, v.theirs)
		return do, nil
	}
	return m.mergeDir(p, db, do, dt, v)
}

// mergeMixed merges a name that is a file on some side and a directory on
// another, as merge-ort does: the directory stays, and a file that
// survives the merge next to it moves to NAME~BRANCH, conflicted.
func (m *merger) mergeMixed(d *dirOut, name string, b, o, t *odb.TreeEntry, v vanished) error {
	p := join(d.path, name)
	de, err := m.mergeDirPart(p, b, o, t, v)
	if err != nil {
		return err
	}
	fb, fo, ft := fileOf(b), fileOf(o), fileOf(t)
	if de == nil {
		return m.mergeFile(d, name, p, fb, fo, ft, v, false)
	}
	d.add(name, de)
	if fo == nil && ft == nil {
		m.bothSides(p, fb, nil)
		return nil
	}
	branch := m.opt.Branch1
	if dirOf(o) != nil {
		branch = m.opt.Branch2
	}
	np := m.uniqueName(d, name, branch)
	d.take(np)
	m.message("CONFLICT (file/directory)", []string{join(d.path, np), p},
		"CONFLICT (file/directory): directory in the way of %s from %s; moving it to %s instead.", p, branch, join(d.path, np))
	return m.mergeFile(d, np, p, fb, fo, ft, v, true)
}

// uniqueName is merge-ort's unique_path: NAME~BRANCH, with the branch's
// slashes flattened, and _0, _1, ... appended while the name is taken.
func (m *merger) uniqueName(d *dirOut, name, branch string) string {
	base := name + "~" + flatten(branch)
	n := base
	for i := 0; d.taken(n); i++ {
		n = fmt.Sprintf("%s_%d", base, i)
	}
	return n
}

func flatten(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '/' {
			b[i] = '_'
		}
	}
	return string(b)
}
