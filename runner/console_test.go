package runner

import (
	"bytes"
	"strings"
	"testing"
)

// TestConsoleStatusLine checks what a terminal shows: a status line of the
// running steps, cleared before each log line and redrawn after it, and
// none at all when the output is not a terminal.
func TestConsoleStatusLine(t *testing.T) {
	var out bytes.Buffer
	c := newConsole(&out, true)
	c.start("test/unit")
	c.start("test/vet")
	w := &lineWriter{c: c, prefix: "[test/unit]"}
	w.Write([]byte("ok 1\npartial"))
	w.Flush()
	c.stop("test/unit")
	c.stop("test/vet")
	want := "[test/unit] ok 1\n\x1b[2mrunning: test/unit 0s, test/vet 0s\x1b[0m" +
		"\r\x1b[K[test/unit] partial\n\x1b[2mrunning: test/unit 0s, test/vet 0s\x1b[0m" +
		"\r\x1b[K\x1b[2mrunning: test/vet 0s\x1b[0m" +
		"\r\x1b[K"
	if have := out.String(); have != want {
		t.Errorf("terminal output:\nhave %q\nwant %q", have, want)
	}

	out.Reset()
	c = newConsole(&out, false)
	c.start("test/unit")
	(&lineWriter{c: c, prefix: "[test/unit]"}).Write([]byte("a\r\nb\n"))
	c.stop("test/unit")
	if have := out.String(); have != "[test/unit] a\n[test/unit] b\n" || strings.Contains(have, "running") {
		t.Errorf("plain output = %q", have)
	}
}
