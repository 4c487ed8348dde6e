package incident_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
)

// benchPages reads the test pages and, when ../shared is there, the corpus
// pages into memory.
func benchPages(b *testing.B) [][]byte {
	b.Helper()
	pages, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.html"))
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

// BenchmarkRules measures incident finding alone (sentences, dictionaries,
// patterns and the stages) on parsed articles, in one goroutine, after one
// untimed pass that loads prose's model.
//
//	go test ./extract/incident -run '^$' -bench Rules -benchtime 20x
func BenchmarkRules(b *testing.B) {
	pages := benchPages(b)
	x := extracttest.Default(b)
	var articles []*article.Article
	for i, p := range pages {
		page, err := source.FromBytes(strconv.Itoa(i), "", p, 0)
		if err != nil {
			continue
		}
		if a, err := article.Parse(page, article.Options{}); err == nil {
			articles = append(articles, a)
		}
	}
	for _, a := range articles {
		x.Article(a) // one untimed pass loads prose's model
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range articles {
			x.Article(a)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*len(articles))/b.Elapsed().Seconds(), "articles/s")
}
