package main

import "testing"

// BenchmarkParse is the command line's share of a command's start.
func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var c cli
		p, err := newParser(&c, []string{"status"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Parse([]string{"status"}); err != nil {
			b.Fatal(err)
		}
	}
}
