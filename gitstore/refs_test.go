package gitstore

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestResolve(t *testing.T) {
	dir := newRepo(t)
	first := revParse(t, dir, "HEAD")
	second := commitFile(t, dir, "f", "1\n", "second")
	gitT(t, dir, "tag", "-a", "-m", "annotated", "v1", first.String())
	r := openRepo(t, dir)
	for _, rev := range []string{"HEAD", "main", "HEAD~1", "v1", "main^{/initial}", first.String()[:10]} {
		want := revParse(t, dir, rev+"^{commit}")
		got, err := r.Resolve(rev)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %s, %v; want %s", rev, got, err, want)
		}
	}
	if want := second; revParse(t, dir, "HEAD") != want {
		t.Fatal("HEAD is not the second commit")
	}
	for _, rev := range []string{"nope", "HEAD~5", "--all", "HEAD^{tree}:README"} {
		if got, err := r.Resolve(rev); !errors.Is(err, ErrNoRef) {
			t.Errorf("Resolve(%q) = %s, %v; want ErrNoRef", rev, got, err)
		}
	}
}

func TestRefValueMissing(t *testing.T) {
	r := openRepo(t, newRepo(t))
	for _, name := range []string{"refs/heads/nope", NotesRef, RunsPrefix + "x"} {
		if h, err := r.RefValue(name); err != nil || !h.IsZero() {
			t.Errorf("RefValue(%s) = %s, %v; want zero, nil", name, h, err)
		}
	}
}

func TestRefValuePacked(t *testing.T) {
	dir := newRepo(t)
	head := revParse(t, dir, "HEAD")
	gitT(t, dir, "update-ref", "refs/ci/runs/packed", head.String())
	gitT(t, dir, "pack-refs", "--all")
	r := openRepo(t, dir)
	if h, err := r.RefValue("refs/ci/runs/packed"); err != nil || h != head {
		t.Errorf("RefValue(packed ref) = %s, %v; want %s", h, err, head)
	}
}

func TestResolveBranch(t *testing.T) {
	dir := newRepo(t)
	head := revParse(t, dir, "HEAD")
	other := commitFile(t, dir, "f", "x\n", "other")
	gitT(t, dir, "update-ref", "refs/remotes/origin/feat", other.String())
	gitT(t, dir, "update-ref", "refs/heads/both", head.String())
	gitT(t, dir, "update-ref", "refs/remotes/both", other.String())
	r := openRepo(t, dir)
	tests := []struct {
		give     string
		wantRef  plumbing.ReferenceName
		wantHash plumbing.Hash
	}{
		{"main", "refs/heads/main", other},
		{"refs/heads/main", "refs/heads/main", other},
		{"origin/feat", "refs/remotes/origin/feat", other},
		{"both", "refs/heads/both", head}, // a local branch wins
		{"refs/remotes/origin/feat", "refs/remotes/origin/feat", other},
	}
	for _, tt := range tests {
		ref, h, err := r.ResolveBranch(tt.give)
		if err != nil || ref != tt.wantRef || h != tt.wantHash {
			t.Errorf("ResolveBranch(%q) = %s, %s, %v; want %s, %s", tt.give, ref, h, err, tt.wantRef, tt.wantHash)
		}
	}
	for _, give := range []string{"nope", "feat", "refs/heads/nope"} {
		if _, _, err := r.ResolveBranch(give); !errors.Is(err, ErrNoRef) || !strings.Contains(err.Error(), give) {
			t.Errorf("ResolveBranch(%q) error = %v; want ErrNoRef naming it", give, err)
		}
	}
}

func TestDefaultBranch(t *testing.T) {
	dir := newRepo(t)
	head := revParse(t, dir, "HEAD")
	r := openRepo(t, dir)
	check := func(want string, wantErr bool) {
		t.Helper()
		got, err := r.DefaultBranch()
		if wantErr {
			if !errors.Is(err, ErrNoRef) {
				t.Errorf("DefaultBranch() = %q, %v; want ErrNoRef", got, err)
			}
			return
		}
		if err != nil || got != want {
			t.Errorf("DefaultBranch() = %q, %v; want %q", got, err, want)
		}
	}
	gitT(t, dir, "update-ref", "refs/heads/master", head.String())
	check("main", false) // main before master
	gitT(t, dir, "config", "ci.into", "release")
	check("release", false)
	gitT(t, dir, "config", "--unset", "ci.into")
	gitT(t, dir, "checkout", "--quiet", "--detach")
	gitT(t, dir, "update-ref", "-d", "refs/heads/main")
	check("master", false)
	gitT(t, dir, "update-ref", "-d", "refs/heads/master")
	check("", true)
}

func TestUpdateRefs(t *testing.T) {
	dir := newRepo(t)
	a := revParse(t, dir, "HEAD")
	b := commitFile(t, dir, "f", "b\n", "b")
	c := commitFile(t, dir, "f", "c\n", "c")
	r := openRepo(t, dir)

	check := func(ref string, want plumbing.Hash) {
		t.Helper()
		if got := revParse(t, dir, ref); got != want {
			t.Errorf("git rev-parse %s = %s, want %s", ref, got, want)
		}
		if got, err := r.RefValue(ref); err != nil || got != want {
			t.Errorf("RefValue(%s) = %s, %v; want %s", ref, got, err, want)
		}
	}
	if err := r.UpdateRefs("test: create", RefUpdate{Name: "refs/heads/x", New: a}, RefUpdate{Name: "refs/ci/runs/r1", New: b}); err != nil {
		t.Fatalf("create: %v", err)
	}
	check("refs/heads/x", a)
	check("refs/ci/runs/r1", b)
	if err := r.UpdateRefs("test: update x", RefUpdate{Name: "refs/heads/x", Old: a, New: c}); err != nil {
		t.Fatalf("update: %v", err)
	}
	check("refs/heads/x", c)
	if got := gitT(t, dir, "reflog", "show", "--format=%gs", "refs/heads/x"); got != "test: update x\ntest: create" {
		t.Errorf("git reflog show refs/heads/x:\n%s\nwant the two messages, newest first", got)
	}
	if err := r.UpdateRefs("test: delete", RefUpdate{Name: "refs/ci/runs/r1", Old: b}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	check("refs/ci/runs/r1", plumbing.ZeroHash)
}

func TestUpdateRefsMoved(t *testing.T) {
	dir := newRepo(t)
	a := revParse(t, dir, "HEAD")
	b := commitFile(t, dir, "f", "b\n", "b")
	c := commitFile(t, dir, "f", "c\n", "c")
	gitT(t, dir, "update-ref", "refs/heads/x", a.String())
	gitT(t, dir, "update-ref", "refs/heads/y", b.String())
	r := openRepo(t, dir)
	refs := func() string { return gitT(t, dir, "for-each-ref", "--format=%(refname) %(objectname)") }
	before := refs()
	tests := []struct {
		name    string
		give    []RefUpdate
		wantErr RefMovedError
	}{
		{"stale update", []RefUpdate{{Name: "refs/heads/x", Old: b, New: c}},
			RefMovedError{Ref: "refs/heads/x", Expected: b, Found: a}},
		{"second update stale", []RefUpdate{{Name: "refs/heads/x", Old: a, New: c}, {Name: "refs/heads/y", Old: a, New: c}},
			RefMovedError{Ref: "refs/heads/y", Expected: a, Found: b}},
		{"create existing", []RefUpdate{{Name: "refs/heads/new", New: a}, {Name: "refs/heads/y", New: c}},
			RefMovedError{Ref: "refs/heads/y", Expected: plumbing.ZeroHash, Found: b}},
		{"update missing", []RefUpdate{{Name: "refs/heads/x", Old: a, New: b}, {Name: "refs/heads/gone", Old: a, New: b}},
			RefMovedError{Ref: "refs/heads/gone", Expected: a, Found: plumbing.ZeroHash}},
		{"stale delete", []RefUpdate{{Name: "refs/heads/x", Old: c}},
			RefMovedError{Ref: "refs/heads/x", Expected: c, Found: a}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.UpdateRefs("test: "+tt.name, tt.give...)
			var moved *RefMovedError
			if !errors.As(err, &moved) {
				t.Fatalf("UpdateRefs = %v, want *RefMovedError", err)
			}
			if *moved != tt.wantErr {
				t.Errorf("UpdateRefs error = %+v, want %+v", *moved, tt.wantErr)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr.Ref) || !strings.Contains(msg, short(tt.wantErr.Expected)) || !strings.Contains(msg, short(tt.wantErr.Found)) {
				t.Errorf("error %q does not name the ref, expected and found values", msg)
			}
			if after := refs(); after != before {
				t.Errorf("refs changed by a failed transaction:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	if got := gitT(t, dir, "reflog", "show", "--format=%gs", "refs/heads/x"); strings.Contains(got, "test:") {
		t.Errorf("failed transactions left reflog entries:\n%s", got)
	}
}

func TestUpdateRefsNotMoved(t *testing.T) {
	dir := newRepo(t)
	a := revParse(t, dir, "HEAD")
	gitT(t, dir, "update-ref", "refs/heads/x", a.String())
	r := openRepo(t, dir)
	// A D/F conflict is no moved ref: git's own words are reported.
	err := r.UpdateRefs("test", RefUpdate{Name: "refs/heads/x/y", New: a})
	var moved *RefMovedError
	if err == nil || errors.As(err, &moved) {
		t.Fatalf("UpdateRefs(refs/heads/x/y) = %v, want a git error that is no *RefMovedError", err)
	}
	var ge *GitError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "refs/heads/x") {
		t.Errorf("error %v: want a *GitError naming refs/heads/x", err)
	}
}
