package htmlgen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestANSISpans(t *testing.T) {
	for _, tc := range []struct {
		give string
		want []span
	}{
		{"plain\n", []span{{"", "plain\n"}}},
		{"\x1b[31mred\x1b[0m ok\n", []span{{"fg1", "red"}, {"", " ok\n"}}},
		{"\x1b[1;92mbold green\x1b[22m green\x1b[39m\n", []span{{"fg10 b", "bold green"}, {"fg10", " green"}, {"", "\n"}}},
		{"\x1b[38;5;196mx\x1b[48;2;1;2;3my\x1b[m\n", []span{{"", "xy\n"}}},
		{"\x1b]0;title\x07text\x1b[2K\n", []span{{"", "text\n"}}},
		{"10%\r50%\r100%\n", []span{{"", "100%\n"}}},
		{"a\x00b\x08c\td\n", []span{{"", "abc\td\n"}}},
		{"<b>&amp;</b>\n", []span{{"", "<b>&amp;</b>\n"}}}, // escaped by logHTML
	} {
		if have := ansiSpans(tc.give); !cmp.Equal(have, tc.want, cmp.AllowUnexported(span{})) {
			t.Errorf("ansiSpans(%q) = %v, want %v", tc.give, have, tc.want)
		}
	}
	if have := logHTML(ansiSpans("\x1b[31m<img src=x onerror=alert(1)>\x1b[0m")); have != `<span class="fg1">&lt;img src=x onerror=alert(1)&gt;</span>` {
		t.Errorf("logHTML = %s", have)
	}
}

func TestRenderLogCut(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= maxLogLines+5; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	v := renderLog([]byte(b.String()))
	if v.Lines != maxLogLines+5 || v.Cut != 5 || !strings.HasPrefix(v.Spans[0].Text, "line 6\n") {
		t.Errorf("renderLog: %d lines, %d cut, starts %.10q", v.Lines, v.Cut, v.Spans[0].Text)
	}
	if v := renderLog([]byte("short\n")); v.Cut != 0 || v.Lines != 1 {
		t.Errorf("short log: %+v", v)
	}
}

func TestWordDiff(t *testing.T) {
	old, new := `return "hello world"`, `return "hello brave world"`
	have := wordDiff(old, new, true)
	want := []seg{{`return "hello `, false}, {"brave ", true}, {`world"`, false}}
	if !cmp.Equal(have, want, cmp.AllowUnexported(seg{})) {
		t.Errorf("wordDiff added = %v, want %v", have, want)
	}
	if have := wordDiff(old, new, false); len(have) != 1 || have[0].Changed {
		t.Errorf("wordDiff removed = %v, want the old line unchanged", have)
	}
}
