package extract_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/incidex/incidex/extract"
)

// benchPages reads the test pages and, when ../shared is there, the corpus
// pages into memory.
func benchPages(b *testing.B) [][]byte {
	b.Helper()
	pages, _ := filepath.Glob(filepath.Join("..", "testdata", "*.html"))
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "pages", "*.html"))
	var out [][]byte
	for _, p := range append(pages, corpus...) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// BenchmarkExtract measures incidex extract's work per article in one
// goroutine: charset decoding, parsing, main text and the rules, with the
// model loaded once beforehand. Pages that fail (the section front) count
// too, as they do in a batch.
//
//	go test ./extract -run '^$' -bench Extract -benchtime 10x
func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
	x := extractor(b)
	x.LoadModel()
	var bytes int64
	for _, p := range pages {
		bytes += int64(len(p))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			html, err := extract.DecodeHTML(p, "")
			if err != nil {
				continue
			}
			a, err := extract.ParseArticle(html, extract.ArticleOptions{})
			if err != nil {
				continue
			}
			x.Extract(a)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkRules measures the rules alone on parsed articles.
func BenchmarkRules(b *testing.B) {
	pages := benchPages(b)
	x := extractor(b)
	x.LoadModel()
	var articles []*extract.Article
	for _, p := range pages {
		html, _ := extract.DecodeHTML(p, "")
		if a, err := extract.ParseArticle(html, extract.ArticleOptions{}); err == nil {
			articles = append(articles, a)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range articles {
			x.Extract(a)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*len(articles))/b.Elapsed().Seconds(), "articles/s")
}
