//go:build race

package merge

// raceEnabled scales the random differential test down under the race
// detector, which slows the merge several times.
const raceEnabled = true
