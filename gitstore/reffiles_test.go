package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestUpdateRefsHereAsGit moves git-ci's refs in process in one
// repository and with git update-ref in an identical one: the refs and
// reflogs written must be byte for byte the same, for a repository with a
// work tree, a bare one, one logging every ref, and from inside a work
// tree's .git.
func TestUpdateRefsHereAsGit(t *testing.T) {
	for _, setup := range []string{"work tree", "bare", "logAllRefUpdates=always", "inside .git"} {
		t.Run(setup, func(t *testing.T) {
			var dirs [2]string
			for i := range dirs {
				dirs[i] = newRepo(t)
				switch setup {
				case "bare":
					bare := filepath.Join(t.TempDir(), "bare.git")
					gitT(t, "", "clone", "--quiet", "--bare", dirs[i], bare)
					dirs[i] = bare
				case "logAllRefUpdates=always":
					gitT(t, dirs[i], "config", "core.logAllRefUpdates", "always")
				case "inside .git":
					// git init sets it; unset, whether to log depends on bareness.
					gitT(t, dirs[i], "config", "--unset", "core.logAllRefUpdates")
				}
			}
			a := revParse(t, dirs[0], "HEAD")
			var b plumbing.Hash
			for _, d := range dirs {
				if setup == "bare" {
					b = a
				} else {
					b = commitFile(t, d, "f", "b\n", "b")
				}
			}
			if a2 := revParse(t, dirs[1], "HEAD"); a2 != revParse(t, dirs[0], "HEAD") {
				t.Fatalf("repositories differ: %s, %s", a, a2)
			}
			steps := []struct {
				msg     string
				updates []RefUpdate
			}{
				{"git-ci: run r1", []RefUpdate{{Name: NotesRef, New: a}, {Name: RunsPrefix + "r1", New: a}}},
				{"git-ci:   spaced\tmessage", []RefUpdate{{Name: NotesRef, Old: a, New: b}}},
				{"no change: no reflog entry", []RefUpdate{{Name: NotesRef, Old: b, New: b}, {Name: RunsPrefix + "r1", Old: a, New: b}}},
			}
			at := func(dir string) string { // where git and git-ci run
				if setup == "inside .git" {
					return filepath.Join(dir, ".git") // no work tree found, yet not bare
				}
				return dir
			}
			r := openRepo(t, at(dirs[1]))
			for _, s := range steps {
				var in strings.Builder
				for _, u := range s.updates {
					in.WriteString("update " + u.Name + " " + u.New.String() + " " + u.Old.String() + "\n")
				}
				gitIn(t, at(dirs[0]), in.String(), "update-ref", "-m", s.msg, "--stdin")
				if !r.refsHere(refNames(s.updates)) {
					t.Fatalf("refsHere(%v) = false, want git-ci to move them", refNames(s.updates))
				}
				if err := r.UpdateRefs(s.msg, s.updates...); err != nil {
					t.Fatalf("UpdateRefs: %v", err)
				}
			}
			for _, f := range []string{NotesRef, RunsPrefix + "r1", "logs/" + NotesRef, "logs/" + RunsPrefix + "r1"} {
				want, werr := os.ReadFile(filepath.Join(gitDirOf(t, dirs[0]), f))
				got, gerr := os.ReadFile(filepath.Join(gitDirOf(t, dirs[1]), f))
				if string(got) != string(want) || (werr == nil) != (gerr == nil) {
					t.Errorf("%s: git-ci wrote %q (%v), git %q (%v)", f, got, gerr, want, werr)
				}
			}
			gitT(t, dirs[1], "fsck", "--no-progress")
			checkNoLocks(t, dirs[1])
		})
	}
}

func gitDirOf(t *testing.T, dir string) string {
	return gitT(t, dir, "rev-parse", "--path-format=absolute", "--git-common-dir")
}

// checkNoLocks fails the test when a ref lock file is left in dir's refs.
func checkNoLocks(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(gitDirOf(t, dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".lock") {
			t.Errorf("lock left behind: %s", p)
		}
		return nil
	})
}

func TestUpdateRefsHereFaults(t *testing.T) {
	dir := newRepo(t)
	a := revParse(t, dir, "HEAD")
	b := commitFile(t, dir, "f", "b\n", "b")
	r := openRepo(t, dir)
	if err := r.UpdateRefs("setup", RefUpdate{Name: NotesRef, New: a}, RefUpdate{Name: RunsPrefix + "x/y", New: a}); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "pack-refs", "--all", "--prune")
	refs := func() string { return gitT(t, dir, "for-each-ref", "--format=%(refname) %(objectname)") }
	before := refs()

	t.Run("lock held by another process", func(t *testing.T) {
		lock := filepath.Join(dir, ".git", NotesRef+".lock")
		writeFileT(t, lock, "")
		err := r.UpdateRefs("test", RefUpdate{Name: NotesRef, Old: a, New: b})
		if err == nil || !strings.Contains(err.Error(), lock) || !strings.Contains(err.Error(), "remove the stale lock") {
			t.Errorf("UpdateRefs with %s held = %v, want an error naming the lock and the fix", lock, err)
		}
		if _, err := os.Stat(lock); err != nil {
			t.Errorf("another's lock removed: %v", err)
		}
		os.Remove(lock)
	})
	t.Run("moved", func(t *testing.T) {
		err := r.UpdateRefs("test", RefUpdate{Name: RunsPrefix + "new", New: b}, RefUpdate{Name: NotesRef, Old: b, New: a})
		var moved *RefMovedError
		if !errors.As(err, &moved) || *moved != (RefMovedError{Ref: NotesRef, Expected: b, Found: a}) {
			t.Errorf("UpdateRefs = %v, want refs/notes/ci moved", err)
		}
	})
	t.Run("packed ref below", func(t *testing.T) {
		err := r.UpdateRefs("test", RefUpdate{Name: RunsPrefix + "x", New: b})
		var ge *GitError
		if !errors.As(err, &ge) || !strings.Contains(err.Error(), RunsPrefix+"x") {
			t.Errorf("UpdateRefs(%sx) = %v, want git's error naming the ref", RunsPrefix, err)
		}
	})
	t.Run("packed ref above", func(t *testing.T) {
		// refs/ci/runs/x/y is packed; its name as a directory, empty or
		// missing, is git's conflict to report.
		for _, mkdir := range []bool{false, true} {
			if mkdir {
				os.MkdirAll(filepath.Join(dir, ".git", RunsPrefix+"x", "y"), 0o777)
			}
			err := r.UpdateRefs("test", RefUpdate{Name: RunsPrefix + "x/y/z", New: b})
			var ge *GitError
			if !errors.As(err, &ge) || !strings.Contains(err.Error(), RunsPrefix+"x/y") {
				t.Errorf("UpdateRefs(%sx/y/z), directory made %v = %v, want git's error naming the ref", RunsPrefix, mkdir, err)
			}
		}
		os.RemoveAll(filepath.Join(dir, ".git", RunsPrefix+"x"))
	})
	t.Run("missing object", func(t *testing.T) {
		missing := plumbing.NewHash("1234567890123456789012345678901234567890")
		err := r.UpdateRefs("test", RefUpdate{Name: RunsPrefix + "m", New: missing})
		if err == nil || !strings.Contains(err.Error(), missing.String()) {
			t.Errorf("UpdateRefs to a missing object = %v, want an error naming it", err)
		}
	})
	if after := refs(); after != before {
		t.Errorf("refs changed by failed transactions:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	checkNoLocks(t, dir)
	if err := r.UpdateRefs("test", RefUpdate{Name: NotesRef, Old: a, New: b}); err != nil {
		t.Errorf("UpdateRefs after the faults: %v", err)
	}
}

func TestRefsHereOnlyWhereSafe(t *testing.T) {
	dir := newRepo(t)
	r := openRepo(t, dir)
	if r.refsHere([]string{"refs/heads/main"}) {
		t.Error("refsHere(refs/heads/main) = true: branches are git's to move (HEAD's reflog, hooks)")
	}
	for _, c := range []struct{ key, value string }{{"extensions.refStorage", "reftable"}, {"core.sharedRepository", "group"}, {"core.hooksPath", "hooks"}} {
		dir := newRepo(t)
		gitT(t, dir, "config", c.key, c.value)
		if openRepo(t, dir).refsHere([]string{NotesRef}) {
			t.Errorf("with %s=%s refsHere = true, want git to move the refs", c.key, c.value)
		}
	}
	dir = newRepo(t)
	writeFileT(t, filepath.Join(dir, ".git", "hooks", "reference-transaction"), "#!/bin/sh\n")
	if openRepo(t, dir).refsHere([]string{NotesRef}) {
		t.Error("with a reference-transaction hook refsHere = true, want git to run it")
	}
}

// TestRecordRunBesideGitNotes records runs in goroutines while git
// processes append notes to the same refs/notes/ci by compare-and-swap
// (git notes on a scratch ref, then git update-ref NEW OLD; `git notes`
// itself moves the ref without checking, so it loses concurrent notes
// whoever writes them): git's lock files keep git-ci and git apart, and
// every line of both lands once.
func TestRecordRunBesideGitNotes(t *testing.T) {
	dir := newRepo(t)
	commits := threeCommits(t, dir)
	const each = 8
	script := fmt.Sprintf(`for i in $(seq %d); do
	until old=$(git rev-parse -q --verify %[2]s || echo 0000000000000000000000000000000000000000) &&
		git update-ref refs/notes/scratch $old &&
		git notes --ref=scratch append -m "git $i" %[3]s &&
		git update-ref %[2]s $(git rev-parse refs/notes/scratch) $old 2>/dev/null; do :; done
done`, each, NotesRef, commits[2])
	gitLoop := exec.Command("sh", "-c", script)
	gitLoop.Dir = dir
	if err := gitLoop.Start(); err != nil {
		t.Fatal(err)
	}
	want := map[plumbing.Hash][]string{}
	var runs []string
	for i := 1; i <= each; i++ {
		want[commits[2]] = append(want[commits[2]], fmt.Sprintf("git %d", i))
		if i > 1 {
			want[commits[2]] = append(want[commits[2]], "") // git notes append's blank line between notes
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		r := openRepo(t, dir)
		var mine []Run
		for k := 0; k < each; k++ {
			id := fmt.Sprintf("w%d-%d", w, k)
			mine = append(mine, testRun(id, commits[w], id))
			want[commits[w]] = append(want[commits[w]], id)
			runs = append(runs, id)
		}
		goRecord(t, &wg, r, mine)
	}
	wg.Wait()
	if err := gitLoop.Wait(); err != nil {
		t.Fatalf("git notes loop: %v", err)
	}
	checkRecorded(t, dir, want, runs, 3*each)
	checkNoLocks(t, dir)
}

// TestRefsOfAnotherBackendReadByGit marks a repository as keeping its refs
// in reftable (as git >= 2.45 can; the git here, older, ignores the
// extension in a format-0 repository and keeps files): git-ci must then
// read and move every ref through git, and still get git's answers.
func TestRefsOfAnotherBackendReadByGit(t *testing.T) {
	dir := newRepo(t)
	head := revParse(t, dir, "HEAD")
	gitT(t, dir, "notes", "--ref=ci", "add", "-m", "n", head.String())
	gitT(t, dir, "config", "extensions.refStorage", "reftable")
	for _, include := range []bool{false, true} {
		if include { // a config git-ci does not read itself
			gitT(t, dir, "config", "include.path", "none")
		}
		r := openRepo(t, dir)
		if r.filesBackend() || r.refsHere([]string{NotesRef}) {
			t.Fatalf("include %v: filesBackend %v, refsHere %v; want refs left to git", include, r.filesBackend(), r.refsHere([]string{NotesRef}))
		}
		if _, ok := r.resolveHere("main"); ok {
			t.Errorf("include %v: resolveHere(main) read the ref files", include)
		}
		if h, err := r.Resolve("main"); err != nil || h != head {
			t.Errorf("include %v: Resolve(main) = %s, %v; want %s", include, h, err, head)
		}
		if h, err := r.RefValue(NotesRef); err != nil || h != revParse(t, dir, NotesRef) {
			t.Errorf("include %v: RefValue(%s) = %s, %v", include, NotesRef, h, err)
		}
		if h, err := r.RefValue("refs/heads/none"); err != nil || !h.IsZero() {
			t.Errorf("include %v: RefValue of a missing ref = %s, %v; want zero, nil", include, h, err)
		}
		recordT(t, r, testRun(fmt.Sprintf("r%v", include), head, fmt.Sprintf("run %v", include)))
	}
	if got := gitT(t, dir, "notes", "--ref=ci", "show", head.String()); got != "n\nrun false\nrun true" {
		t.Errorf("note after two runs recorded through git:\n%s", got)
	}
}

// TestRefStorageFromTheRepositoryConfigOnly: git reads extensions from
// the repository's own config file (setup.c's read_repository_format),
// so a refStorage in the global config changes nothing, and git-ci
// keeps reading the ref files; in the repository's config it sends
// refs to git.
func TestRefStorageFromTheRepositoryConfigOnly(t *testing.T) {
	dir := newRepo(t)
	gitT(t, dir, "config", "--global", "extensions.refStorage", "reftable")
	if r := openRepo(t, dir); !r.filesBackend() {
		t.Fatal("a global extensions.refStorage sent refs to git")
	}
	// git >= 2.45 names the format it reads (older git echoes the option).
	if got := strings.TrimSpace(gitT(t, dir, "rev-parse", "--show-ref-format")); got == "reftable" {
		t.Fatal("git itself reads reftable here: the test's premise is wrong")
	}
	gitT(t, dir, "config", "extensions.refStorage", "reftable")
	if r := openRepo(t, dir); r.filesBackend() {
		t.Fatal("the repository's extensions.refStorage left refs to git-ci")
	}
}
