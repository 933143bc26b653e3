package htmlgen

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/git-ci/git-ci/pipeline"
	"github.com/google/go-cmp/cmp"
)

// TestGoRowsMatchTemplates: trendHTML and branchRowHTML write what the
// "trend" and "branchrow" templates do, for charts of any length and
// durations, and for texts that need escaping.
func TestGoRowsMatchTemplates(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	statuses := []string{pipeline.StatusPassed, pipeline.StatusFailed, pipeline.StatusError, "odd <\"&'+>", ""}
	for n := 0; n <= 2*trendLen; n += 7 {
		var ps []point
		for i := 0; i < n; i++ {
			ps = append(ps, point{MS: rnd.Int64N(10_000_000) * int64(i%3), Status: statuses[rnd.IntN(len(statuses))]})
		}
		var want strings.Builder
		if err := templates().ExecuteTemplate(&want, "trend", ps); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), string(trendHTML(ps))); diff != "" {
			t.Fatalf("trend of %d points (-template +Go):\n%s", n, diff)
		}
	}
	for i, name := range []string{"feat", "a<b>&\"c'+d", "ünï/côdé"} {
		run := &pipeline.Record{Status: statuses[i], Promoted: i%2 == 0, Started: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)}
		br := branchInfo{Name: name, Runs: []*pipeline.Record{run, run}}
		var want strings.Builder
		if err := templates().ExecuteTemplate(&want, "branchrow", br); err != nil {
			t.Fatal(err)
		}
		have, err := branchRowHTML(br)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), string(have)); diff != "" {
			t.Errorf("branch row %q (-template +Go):\n%s", name, diff)
		}
	}
}
