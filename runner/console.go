package runner

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// console serialises what steps print: each line prefixed with its step, and
// on a terminal a status line of the running steps, redrawn in place.
type console struct {
	mu      sync.Mutex
	out     io.Writer
	term    bool
	running map[string]time.Time // "stage/step" -> start
	drawn   bool
}

func newConsole(out io.Writer, term bool) *console {
	return &console{out: out, term: term, running: map[string]time.Time{}}
}

// Printf prints a line of git-ci's own.
func (c *console) Printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
	fmt.Fprintf(c.out, format, args...)
	c.draw()
}

func (c *console) line(prefix string, text []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
	fmt.Fprintf(c.out, "%s %s\n", prefix, text)
	c.draw()
}

func (c *console) start(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running[name] = time.Now()
}

func (c *console) stop(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.running, name)
	c.clear()
	c.draw()
}

// tick redraws the status line until done is closed.
func (c *console) tick(done <-chan struct{}) {
	if !c.term {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			c.mu.Lock()
			c.clear()
			c.draw()
			c.mu.Unlock()
		}
	}
}

func (c *console) clear() {
	if c.drawn {
		io.WriteString(c.out, "\r\x1b[K")
		c.drawn = false
	}
}

func (c *console) draw() {
	if !c.term || len(c.running) == 0 {
		return
	}
	names := make([]string, 0, len(c.running))
	for n := range c.running {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %s", n, time.Since(c.running[n]).Truncate(time.Second))
	}
	fmt.Fprintf(c.out, "\x1b[2mrunning: %s\x1b[0m", strings.Join(parts, ", "))
	c.drawn = true
}

// lineWriter splits a step's output into lines for the console.
type lineWriter struct {
	c      *console
	prefix string
	buf    []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.c.line(w.prefix, bytes.TrimRight(w.buf[:i], "\r"))
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

// Flush prints a last line that had no newline.
func (w *lineWriter) Flush() {
	if len(w.buf) > 0 {
		w.c.line(w.prefix, w.buf)
		w.buf = nil
	}
}
