package runner

import (
	"os"
	"runtime/debug"
)

// Building the site allocates a lot that lives briefly (records, rows,
// pages) over a large live heap (every record), so at the default GOGC of
// 100 the collector runs often and marks the whole heap each time. While
// the site is read and built, the collector runs at GOGC 400, with a soft
// memory limit of 2 GiB that makes it run sooner on a large history;
// neither applies when the user set GOGC or GOMEMLIMIT. The settings are
// the process's: they are restored when the build ends.
const (
	siteGCPercent  = 400
	siteMemLimitGB = 2
)

// lessGC applies the site's garbage-collector settings and returns the
// function that restores the previous ones.
func lessGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(siteMemLimitGB << 30)
	percent := debug.SetGCPercent(siteGCPercent)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
