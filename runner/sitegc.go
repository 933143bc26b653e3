package runner

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// Building the site allocates a lot that lives briefly (records, rows,
// pages) over a large live heap (every record), so at the default GOGC of
// 100 the collector runs often and marks the whole heap each time. While
// the site is read and built, the collector runs at GOGC 400, with a soft
// memory limit of 2 GiB that makes it run sooner on a large history;
// neither applies when the user set GOGC or GOMEMLIMIT. The settings are
// the process's: they are restored when the build ends.
//
// Until the first collection the collector runs at GOGC 1600: a fresh
// process's first heap goal is then 64 MB instead of 16 MB, so an
// incremental build at 10,000 runs (~50 MB) finishes without one. That
// collection cost ~28 ms of CPU, and more in page faults: it scanned
// memory the decoder had not written yet, which then faulted twice.
const (
	siteGCPercent      = 400
	siteFirstGCPercent = 1600
	siteMemLimitGB     = 2
)

// lessGC applies the site's garbage-collector settings and returns the
// function that restores the previous ones.
func lessGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	var mu sync.Mutex
	restored := false
	limit := debug.SetMemoryLimit(siteMemLimitGB << 30)
	percent := debug.SetGCPercent(siteFirstGCPercent)
	// A cleanup runs after a collection found its object unreachable:
	// from the first collection on, the steady setting.
	runtime.AddCleanup(new([64]byte), func(struct{}) {
		mu.Lock()
		defer mu.Unlock()
		if !restored {
			debug.SetGCPercent(siteGCPercent)
		}
	}, struct{}{})
	return func() {
		mu.Lock()
		defer mu.Unlock()
		restored = true
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
