package runner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// writeHolder writes a lock file as another git-ci would have.
func writeHolder(t *testing.T, path string, h Holder) {
	t.Helper()
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// deadPID is the id of a process of this host that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("sleep", "0")
	if err := cmd.Run(); err != nil {
		return 0x7ffffff0 // above any pid_max
	}
	return cmd.Process.Pid
}

func hostname(t *testing.T) string {
	t.Helper()
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAcquireRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locks", "main.lock")
	l, err := AcquireLock(context.Background(), path, "git ci integrate feat", nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := readHolder(path)
	if err != nil {
		t.Fatal(err)
	}
	if h.PID != os.Getpid() || h.Host != hostname(t) || h.What != "git ci integrate feat" || time.Since(h.Since) > time.Minute {
		t.Errorf("lock file holds %+v, want this process now", h)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("lock file after Release: %v", err)
	}
	l, err = AcquireLock(context.Background(), path, "again", nil)
	if err != nil {
		t.Fatalf("AcquireLock after Release: %v", err)
	}
	l.Release()
}

func TestAcquireLockWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	first, err := AcquireLock(context.Background(), path, "first", nil)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan Holder, 10)
	got := make(chan error, 1)
	var released atomic.Bool
	go func() {
		l, err := AcquireLock(context.Background(), path, "second", func(h Holder) { waiting <- h })
		if err == nil {
			if !released.Load() {
				err = errors.New("second acquired the lock while the first held it")
			}
			l.Release()
		}
		got <- err
	}()
	var h Holder
	select {
	case h = <-waiting:
	case err := <-got:
		first.Release()
		t.Fatalf("second AcquireLock returned %v without waiting for the first holder", err)
	case <-time.After(10 * time.Second):
		t.Fatal("second AcquireLock neither waited nor returned")
	}
	if h.What != "first" || h.PID != os.Getpid() {
		t.Errorf("onWait got %+v, want the first holder", h)
	}
	if !strings.Contains(h.String(), "first") || !strings.Contains(h.String(), hostname(t)) {
		t.Errorf("Holder.String() = %q, want what and host", h)
	}
	time.Sleep(3 * pollInterval / 2)
	released.Store(true)
	first.Release()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if n := len(waiting); n != 0 {
		t.Errorf("onWait called %d more times for the same holder", n)
	}
}

func TestAcquireLockStale(t *testing.T) {
	host := hostname(t)
	tests := []struct {
		name string
		give Holder
	}{
		{"dead pid on this host", Holder{PID: deadPID(t), Host: host, Since: time.Now().UTC(), What: "dead"}},
		{"pid above pid_max", Holder{PID: 0x7ffffff0, Host: host, Since: time.Now().UTC(), What: "dead"}},
		{"other host, two days old", Holder{PID: os.Getpid(), Host: "elsewhere.example", Since: time.Now().Add(-48 * time.Hour).UTC(), What: "old"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "main.lock")
			writeHolder(t, path, tt.give)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			l, err := AcquireLock(ctx, path, "me", func(h Holder) { t.Errorf("waited for stale holder %+v", h) })
			if err != nil {
				t.Fatalf("AcquireLock over a stale lock: %v", err)
			}
			defer l.Release()
			if h, err := readHolder(path); err != nil || h.PID != os.Getpid() || h.What != "me" {
				t.Errorf("lock file holds %+v, %v; want ours", h, err)
			}
			if _, err := os.Stat(path + ".break"); !os.IsNotExist(err) {
				t.Errorf("break guard left behind: %v", err)
			}
		})
	}
}

// A lock left by a crashed process whose pid this process now has (a
// container restarted after a crash) is stale, not waited for forever: it
// was taken before this process started.
func TestAcquireLockOwnPIDIsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	writeHolder(t, path, Holder{PID: os.Getpid(), Host: hostname(t), Since: processStart.Add(-time.Second).UTC(), What: "crashed"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	lock, err := AcquireLock(ctx, path, "test", func(h Holder) { t.Errorf("waited for %s", h) })
	if err != nil {
		t.Fatalf("AcquireLock: %v", err)
	}
	if err := lock.Release(); err != nil {
		t.Fatal(err)
	}
}

// A lock older than staleAfter is stale even when its pid is alive on this
// host, since the pid may belong to another process by now.
func TestAcquireLockOldIsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	writeHolder(t, path, Holder{PID: os.Getppid(), Host: hostname(t), Since: time.Now().Add(-staleAfter - time.Hour).UTC(), What: "old"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	lock, err := AcquireLock(ctx, path, "test", func(h Holder) { t.Errorf("waited for %s", h) })
	if err != nil {
		t.Fatalf("AcquireLock: %v", err)
	}
	lock.Release()
}

func TestAcquireLockNotStale(t *testing.T) {
	host := hostname(t)
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	tests := []struct {
		name string
		give Holder
	}{
		{"other host, an hour old", Holder{PID: 0x7ffffff0, Host: "elsewhere.example", Since: time.Now().Add(-time.Hour).UTC(), What: "remote"}},
		{"live pid on this host", Holder{PID: sleeper.Process.Pid, Host: host, Since: time.Now().Add(-time.Hour).UTC(), What: "alive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "main.lock")
			writeHolder(t, path, tt.give)
			ctx, cancel := context.WithTimeout(context.Background(), 3*pollInterval)
			defer cancel()
			var waited []Holder
			l, err := AcquireLock(ctx, path, "me", func(h Holder) { waited = append(waited, h) })
			if err == nil {
				l.Release()
				t.Fatal("AcquireLock took a live lock")
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("AcquireLock = %v, want ctx.Err()", err)
			}
			if len(waited) != 1 || waited[0].What != tt.give.What || waited[0].PID != tt.give.PID {
				t.Errorf("onWait got %+v, want the holder once", waited)
			}
			if h, err := readHolder(path); err != nil || h.What != tt.give.What {
				t.Errorf("lock file now holds %+v, %v; want it untouched", h, err)
			}
		})
	}
}

func TestAcquireLockCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	held, err := AcquireLock(context.Background(), path, "holder", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := AcquireLock(ctx, path, "waiter", func(Holder) { cancel() })
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("AcquireLock after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("AcquireLock did not return after cancel")
	}
}

// TestAcquireLockStarting checks that a lock file being written (empty
// for now) is waited for, not broken.
func TestAcquireLockStarting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*pollInterval)
	defer cancel()
	if l, err := AcquireLock(ctx, path, "me", nil); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			l.Release()
		}
		t.Fatalf("AcquireLock over a lock being written = %v, want to wait", err)
	}
	// An unreadable lock file that old is a writer that died mid-write.
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	l, err := AcquireLock(context.Background(), path, "me", nil)
	if err != nil {
		t.Fatalf("AcquireLock over a broken old lock: %v", err)
	}
	l.Release()
}

// TestAcquireLockExclusive has many goroutines contend for one lock, some
// starting from a stale one; at no moment may two hold it.
func TestAcquireLockExclusive(t *testing.T) {
	for _, stale := range []bool{false, true} {
		t.Run(map[bool]string{false: "free", true: "stale"}[stale], func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "main.lock")
			if stale {
				writeHolder(t, path, Holder{PID: deadPID(t), Host: hostname(t), Since: time.Now().UTC(), What: "dead"})
			}
			var holders, maxHolders, acquired atomic.Int32
			var wg sync.WaitGroup
			const goroutines, rounds = 12, 2
			for i := 0; i < goroutines; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k := 0; k < rounds; k++ {
						l, err := AcquireLock(context.Background(), path, "contender", nil)
						if err != nil {
							t.Error(err)
							return
						}
						n := holders.Add(1)
						for {
							m := maxHolders.Load()
							if n <= m || maxHolders.CompareAndSwap(m, n) {
								break
							}
						}
						acquired.Add(1)
						time.Sleep(time.Millisecond)
						holders.Add(-1)
						if err := l.Release(); err != nil {
							t.Errorf("Release: %v", err)
						}
					}
				}()
			}
			wg.Wait()
			if m := maxHolders.Load(); m != 1 {
				t.Errorf("%d goroutines held the lock at once", m)
			}
			if n := acquired.Load(); n != goroutines*rounds {
				t.Errorf("lock acquired %d times, want %d", n, goroutines*rounds)
			}
		})
	}
}
