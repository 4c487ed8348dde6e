package extract_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
)

// testPages lists the pages of testdata/ and, when ../shared is there, of
// the labelled corpus.
func testPages(tb testing.TB) []string {
	tb.Helper()
	pages, _ := filepath.Glob(filepath.Join("..", "testdata", "*.html"))
	if len(pages) < 10 {
		tb.Fatalf("found %d test pages", len(pages))
	}
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "pages", "*.html"))
	return append(pages, corpus...)
}

// BenchmarkExtract measures "incidex extract"'s work per page in one
// goroutine: charset decoding, parsing, main text and the rules, after one
// untimed pass that loads prose's model. Pages that fail (the section front) count
// too, as they do in a batch.
//
//	go test ./extract -run '^$' -bench Extract -benchtime 10x
func BenchmarkExtract(b *testing.B) {
	pages := testPages(b)
	x := extracttest.Default(b)
	var data [][]byte
	var size int64
	for _, p := range pages {
		d, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		size += int64(len(d))
	}
	run := func() {
		for j, d := range data {
			page, err := source.FromBytes(pages[j], "", d, 0)
			if err != nil {
				continue
			}
			_, _ = x.Page(page)
		}
	}
	run() // the one-time costs, prose's model among them, are not timed
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "articles/s")
}
