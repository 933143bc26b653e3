package runner

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// NewRunID returns an id that sorts by start time (UTC, to the millisecond)
// and is unique across machines (64 random bits), and is a valid ref
// component: 20261122T021408.123Z-1f2e3d4c5b6a7980.
func NewRunID(now time.Time) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return now.UTC().Format("20060102T150405.000Z") + "-" + hex.EncodeToString(b[:])
}
