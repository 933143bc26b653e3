package htmlgen

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/util"
)

// ManifestFile is the file, at the site's root, that lists every file of
// the site with the key of its inputs and the hash of its bytes.
const ManifestFile = ".git-ci-manifest"

// Manifest maps a site file's slash-separated path to its entry.
type Manifest map[string]Entry

// Entry is one file of a site: Key digests the inputs it was rendered from
// ("" when the page has no cheap key), Sum digests its bytes.
type Entry struct{ Key, Sum string }

// ReadManifest reads the manifest of the site in fsys; a site without one
// (or no site) gives an empty manifest.
func ReadManifest(fsys billy.Filesystem) (Manifest, error) {
	b, err := util.ReadFile(fsys, ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := Manifest{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, " ")
		if len(f) == 3 {
			m[f[0]] = Entry{Key: f[1], Sum: f[2]}
		}
	}
	return m, nil
}

func (m Manifest) write(fsys billy.Filesystem) error {
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, p := range paths {
		key := m[p].Key
		if key == "" {
			key = "-"
		}
		fmt.Fprintf(&b, "%s %s %s\n", p, key, m[p].Sum)
	}
	return util.WriteFile(fsys, ManifestFile, b.Bytes(), 0o644)
}

// writer puts files into the new site, keeping unchanged ones. Pages
// render on worker goroutines; the file system is used by one at a time
// unless Output.ConcurrentFS says it is safe.
type writer struct {
	out  Output
	tmpl *template.Template
	mu   sync.Mutex // next, res, err
	fsMu sync.Mutex
	next Manifest
	res  Result
	err  error
	jobs chan job
	wg   sync.WaitGroup
	// imm is where immutable files go (Output.Immutable, else FS); have
	// holds the ones it has, by path from the site's root.
	imm  billy.Filesystem
	have map[string]bool
}

// job is a page to render and write; data, when nil, comes from prepare.
type job struct {
	path, key, tmpl string
	data            any
	prepare         func() (any, error)
	immutable       bool // goes to the immutable files
	tryKeep         bool // keep the previous site's page when its key is key
	// render, when set, writes the page instead of tmpl.
	render func(*bytes.Buffer) error
}

func newWriter(out Output, tmpl *template.Template) *writer {
	w := &writer{out: out, tmpl: tmpl, next: Manifest{}, jobs: make(chan job, 2*runtime.NumCPU()), imm: cmp.Or(out.Immutable, out.FS), have: map[string]bool{}}
	names := out.ImmutableNames
	if names == nil {
		entries, _ := w.imm.ReadDir(runsDir) // none: an empty folder
		for _, e := range entries {
			names = append(names, e.Name())
		}
	}
	for _, name := range names {
		w.have[runsDir+"/"+name] = true
	}
	for i := 0; i < runtime.NumCPU(); i++ {
		w.wg.Add(1)
		go w.work()
	}
	return w
}

func (w *writer) work() {
	defer w.wg.Done()
	var buf bytes.Buffer
	for j := range w.jobs {
		if j.tryKeep && w.keep(j.path, j.key) {
			continue
		}
		buf.Reset()
		var err error
		switch {
		case j.render != nil:
			err = j.render(&buf)
		case j.prepare != nil:
			j.data, err = j.prepare()
		}
		if err == nil && j.render == nil {
			err = w.tmpl.ExecuteTemplate(&buf, j.tmpl, j.data)
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", j.path, err)
		} else if j.immutable {
			err = w.putImmutable(j.path, buf.Bytes())
		} else {
			err = w.put(j.path, j.key, buf.Bytes())
		}
		if err != nil {
			w.mu.Lock()
			w.err = cmp.Or(w.err, err)
			w.mu.Unlock()
		}
	}
}

// wait finishes the pages queued and returns the first error.
func (w *writer) wait() error {
	close(w.jobs)
	w.wg.Wait()
	return w.err
}

// keep takes path from the previous site if its key is the same; false
// means the caller must render it.
func (w *writer) keep(p, key string) bool {
	old, ok := w.out.Prev[p]
	if key == "" || !ok || old.Key != key || w.out.Keep == nil {
		return false
	}
	if err := w.fs(func() error { return w.out.Keep(p) }); err != nil {
		return false // gone or unreadable: render it again
	}
	w.mu.Lock()
	w.next[p] = old
	w.res.Kept++
	w.mu.Unlock()
	return true
}

// put records and writes content at path, unless the previous site has the
// same bytes there, which it keeps instead.
func (w *writer) put(p, key string, content []byte) error {
	sum := digest(content)
	w.mu.Lock()
	w.next[p] = Entry{Key: key, Sum: sum}
	w.mu.Unlock()
	if old, ok := w.out.Prev[p]; ok && old.Sum == sum && w.out.Keep != nil {
		if err := w.fs(func() error { return w.out.Keep(p) }); err == nil {
			w.mu.Lock()
			w.res.Kept++
			w.mu.Unlock()
			return nil
		}
	}
	w.mu.Lock()
	w.res.Written++
	w.mu.Unlock()
	return w.fs(func() error {
		if dir := path.Dir(p); dir != "." {
			if err := w.out.FS.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		return util.WriteFile(w.out.FS, p, content, 0o644)
	})
}

// putImmutable writes content at path p of the immutable files, unless it
// is there: to a temporary name first, then renamed, so p is complete or
// absent. The caller writes a page's raw logs before the page.
func (w *writer) putImmutable(p string, content []byte) error {
	w.mu.Lock()
	has := w.have[p]
	w.have[p] = true
	if !has {
		w.res.Written++
	}
	w.mu.Unlock()
	if has {
		return nil
	}
	return w.fs(func() error {
		if err := w.imm.MkdirAll(path.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := util.TempFile(w.imm, path.Dir(p), ".tmp-")
		if err != nil {
			return err
		}
		_, err = f.Write(content)
		if err := cmp.Or(err, f.Close()); err != nil {
			w.imm.Remove(f.Name())
			return err
		}
		return w.imm.Rename(f.Name(), p)
	})
}

// sharedSum is the Sum of a manifest entry that names an immutable file
// the site links to (not a file of the generation).
const sharedSum = "shared"

// shared lists the immutable file p in the manifest: the site links to it.
func (w *writer) shared(p string) {
	w.mu.Lock()
	w.next[p] = Entry{Sum: sharedSum}
	w.mu.Unlock()
}

// hasImmutable reports whether the immutable file p is written, and
// counts it kept if so.
func (w *writer) hasImmutable(p string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.have[p] {
		w.res.Kept++
	}
	return w.have[p]
}

// fs runs f, alone unless the file system allows concurrent use.
func (w *writer) fs(f func() error) error {
	if !w.out.ConcurrentFS {
		w.fsMu.Lock()
		defer w.fsMu.Unlock()
	}
	return f()
}

// page queues tmpl with data for rendering into path, unless key says the
// previous site's page is the same: then a worker keeps that one (links
// it, hundreds per build, on the workers too). data must not change
// afterwards.
func (w *writer) page(p, key, tmpl string, data any) error {
	w.jobs <- job{path: p, key: key, tmpl: tmpl, data: data, tryKeep: true}
	return nil
}

// immutablePage queues the immutable page p, which render writes on a
// worker.
func (w *writer) immutablePage(p string, render func(*bytes.Buffer) error) error {
	w.jobs <- job{path: p, render: render, immutable: true}
	return nil
}

func (w *writer) static() error {
	return w.put("style.css", "", styleCSS)
}

// digest is a short hex digest of b: 16 hex digits of its SHA-256.
func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}

// keyOf digests the parts a page is rendered from, with the renderer's
// version, into a page key.
func keyOf(parts ...string) string {
	h := sha256.New()
	h.Write([]byte(version))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// keyer digests the parts of a page key one by one, as keyOf does with
// parts given at once (in a format of its own: the two give different
// keys), without making each part a string first.
type keyer struct{ buf []byte }

// start begins a new key with parts, reusing k's buffer.
func (k *keyer) start(parts ...string) *keyer {
	k.buf = append(k.buf[:0], version...)
	for _, p := range parts {
		k.str(p)
	}
	return k
}

func (k *keyer) str(s string) { k.buf = append(append(k.buf, 0), s...) }
func (k *keyer) int(v int64)  { k.buf = strconv.AppendInt(append(k.buf, 0), v, 10) }
func (k *keyer) bool(v bool)  { k.buf = strconv.AppendBool(append(k.buf, 0), v) }
func (k *keyer) sum() string  { s := sha256.Sum256(k.buf); return hex.EncodeToString(s[:8]) }

// nameOf is the file name stem for an untrusted name (branch, run id):
// 16 hex digits of its SHA-256, so no name can reach outside its folder or
// carry markup into a link.
func nameOf(untrusted string) string {
	return digest([]byte(untrusted))
}
