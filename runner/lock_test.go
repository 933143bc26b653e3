package runner

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A lock left by a crashed process whose pid this process now has (a
// container restarted after a crash) is stale, not waited for forever.
func TestAcquireLockOwnPIDIsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	host, _ := os.Hostname()
	if err := createExclusive(path, Holder{PID: os.Getpid(), Host: host, Since: time.Now(), What: "crashed"}); err != nil {
		t.Fatal(err)
	}
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
	host, _ := os.Hostname()
	old := Holder{PID: os.Getppid(), Host: host, Since: time.Now().Add(-staleAfter - time.Hour), What: "old"}
	if err := createExclusive(path, old); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	lock, err := AcquireLock(ctx, path, "test", func(h Holder) { t.Errorf("waited for %s", h) })
	if err != nil {
		t.Fatalf("AcquireLock: %v", err)
	}
	lock.Release()
}

// A lock held by a live process on this host, recently, is waited for.
func TestAcquireLockWaitsForLiveHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.lock")
	host, _ := os.Hostname()
	if err := createExclusive(path, Holder{PID: os.Getppid(), Host: host, Since: time.Now(), What: "live"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	waited := false
	_, err := AcquireLock(ctx, path, "test", func(Holder) { waited = true })
	if err == nil || !waited {
		t.Fatalf("AcquireLock = %v, waited %v; want to wait until cancelled", err, waited)
	}
}
