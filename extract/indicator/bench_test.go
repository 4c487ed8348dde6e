package indicator

import (
	"strings"
	"testing"
)

// BenchmarkFind runs Find over about 100 KB of the labelled sentences.
func BenchmarkFind(b *testing.B) {
	var sb strings.Builder
	ls := readLabelled(b, "testdata/sentences.jsonl")
	for sb.Len() < 100_000 {
		for _, l := range ls {
			sb.WriteString(l.Text)
			sb.WriteString("\n")
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		testFinder.Find(text, Options{ExcludeHosts: []string{"securenews-today.com"}})
	}
}
