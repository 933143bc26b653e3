package merge

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/git-ci/git-ci/gitstore"
)

// TestParallelReadsAgree merges random histories, and one of many files
// both sides changed, through go-git's store (read by one goroutine) and
// gitstore's (trees read ahead and contents merged ahead on another
// goroutine, see cache.go and ahead.go): the results must be the same.
func TestParallelReadsAgree(t *testing.T) {
	n := 300
	if testing.Short() || raceEnabled {
		n = 100
	}
	g := &gen{rng: rand.New(rand.NewSource(7))}
	r := bigHistory(t, 2000)
	var all []byte
	prefixes := []string{"big/"}
	for i := 0; i < n; i++ {
		prefix := fmt.Sprintf("r%d/", i)
		stream, _ := g.history(prefix)
		all = append(all, stream...)
		prefixes = append(prefixes, prefix)
	}
	r.git(all, "fast-import", "--quiet")
	repo, err := gitstore.Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	stores := [2]storer.EncodedObjectStorer{r.store(), repo.Storer()}
	for _, prefix := range prefixes {
		for _, sides := range [2][2]string{{"ours", "theirs"}, {"theirs", "ours"}} {
			o, th := prefix+sides[0], prefix+sides[1]
			opt := Options{Branch1: o, Branch2: th}
			var results [2]Result
			for i, s := range stores {
				if results[i], err = CommitsWith(s, r.rev(o), r.rev(th), opt); err != nil {
					t.Fatalf("%s into %s: %v", th, o, err)
				}
			}
			if !reflect.DeepEqual(results[0], results[1]) {
				t.Fatalf("%s into %s: go-git's store gives\n%+v\ngitstore's\n%+v", th, o, results[0], results[1])
			}
		}
	}
}
