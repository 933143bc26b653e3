package merge

import "testing"

// TestStrhash checks git's strhash against FNV-1's published values.
func TestStrhash(t *testing.T) {
	for _, c := range []struct {
		give string
		want uint32
	}{
		{"", 0x811c9dc5},
		{"a", 0x050c5d7e},
		{"foobar", 0x31f0b262},
	} {
		if have := strhash(c.give); have != c.want {
			t.Errorf("strhash(%q) = %#08x, want %#08x", c.give, have, c.want)
		}
	}
}
