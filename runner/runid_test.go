package runner

import (
	"os/exec"
	"regexp"
	"slices"
	"testing"
	"time"
)

var runIDRE = regexp.MustCompile(`^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{16}$`)

func TestNewRunIDSortsByTime(t *testing.T) {
	start := time.Date(2026, 11, 22, 2, 14, 8, 123_456_789, time.FixedZone("CET", 3600))
	var ids []string
	for _, d := range []time.Duration{0, time.Millisecond, 999 * time.Millisecond, time.Second, time.Hour, 24 * time.Hour, 400 * 24 * time.Hour} {
		ids = append(ids, NewRunID(start.Add(d)))
	}
	for i, id := range ids {
		if !runIDRE.MatchString(id) {
			t.Errorf("NewRunID = %q, want the form 20261122T011408.123Z-<16 hex>", id)
		}
		if i > 0 && ids[i-1] >= id {
			t.Errorf("run ids out of time order: %q before %q", ids[i-1], id)
		}
	}
	if want := "20261122T011408.123Z-"; ids[0][:len(want)] != want {
		t.Errorf("NewRunID(%s) = %q, want UTC to the millisecond %q...", start, ids[0], want)
	}
}

func TestNewRunIDUnique(t *testing.T) {
	now := time.Now()
	seen := make(map[string]bool, 10000)
	for i := 0; i < 10000; i++ {
		id := NewRunID(now) // the same millisecond: only the random part differs
		if seen[id] {
			t.Fatalf("NewRunID repeated %q after %d calls", id, i)
		}
		seen[id] = true
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if ids[0][:20] != ids[len(ids)-1][:20] {
		t.Errorf("ids of one instant differ in their time part: %q, %q", ids[0], ids[len(ids)-1])
	}
}

func TestNewRunIDIsRefComponent(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, now := range []time.Time{time.Now(), time.Unix(0, 0), time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)} {
		id := NewRunID(now)
		if out, err := exec.Command("git", "check-ref-format", "refs/ci/runs/"+id).CombinedOutput(); err != nil {
			t.Errorf("git check-ref-format refs/ci/runs/%s: %v %s", id, err, out)
		}
	}
}
