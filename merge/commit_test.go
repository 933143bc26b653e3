package merge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestBasesAgreeWithGit compares Bases with `git merge-base --all` on
// random histories: many merges (criss-crosses, three or more bases),
// several roots (unrelated pairs), and dates in order, tied, or skewed.
func TestBasesAgreeWithGit(t *testing.T) {
	for _, dates := range []string{"ordered", "ties", "skewed"} {
		t.Run(dates, func(t *testing.T) {
			r := newGitRepo(t)
			rng := rand.New(rand.NewSource(int64(len(dates))))
			const n = 60
			var b strings.Builder
			for i := 0; i < n; i++ {
				date := 1112911993 + i*60
				switch dates {
				case "ties":
					date = 1112911993 + i/4*60
				case "skewed":
					date = 1112911993 + rng.Intn(n)*60
				}
				fmt.Fprintf(&b, "commit refs/heads/c%d\nmark :%d\ncommitter C <c@x> %d +0000\ndata 2\nc\n", i, i+1, date)
				if i > 0 && rng.Intn(12) > 0 { // some commits are roots
					fmt.Fprintf(&b, "from :%d\n", rng.Intn(i)+1)
					if rng.Intn(2) == 0 {
						fmt.Fprintf(&b, "merge :%d\n", rng.Intn(i)+1)
					}
				}
				fmt.Fprintf(&b, "M 644 inline f\ndata 3\n%d\n\n", i%7)
			}
			r.git([]byte(b.String()), "fast-import", "--quiet")
			s := r.store()
			several := 0
			for k := 0; k < 200; k++ {
				x, y := fmt.Sprintf("c%d", rng.Intn(n)), fmt.Sprintf("c%d", rng.Intn(n))
				out, _ := r.run(nil, "merge-base", "--all", x, y)
				want := strings.Fields(out)
				hs, err := Bases(s, r.rev(x), r.rev(y))
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range hs {
					got = append(got, h.String())
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("merge bases of %s and %s: %v, git %v", x, y, got, want)
				}
				if len(want) > 1 {
					several++
				}
			}
			if several == 0 {
				t.Error("no pair had several merge bases: the test checks too little")
			}
		})
	}
}
