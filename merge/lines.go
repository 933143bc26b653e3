package merge

import "github.com/git-ci/git-ci/merge/linemerge"

// lineOptions and lineResult are linemerge's Options and Result.
type (
	lineOptions = linemerge.Options
	lineResult  = linemerge.Result
)

// lineMerge is the line-level three-way merge, git's xdl_merge; exact
// reports whether the result is git's (a stand-in would say false).
var lineMerge = func(base, ours, theirs []byte, opt lineOptions) (lineResult, bool) {
	return linemerge.Merge(base, ours, theirs, opt), true
}

// isBinary is git's buffer_is_binary: a NUL in the first 8000 bytes.
func isBinary(b []byte) bool { return linemerge.IsBinary(b) }
