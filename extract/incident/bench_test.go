package incident_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// BenchmarkLongPage measures incident finding on long synthetic articles
// of 0.5 to 1.1 MB (the MB metric) built to make pairwise work show: every sentence names
// organisations no dictionary knows, so each name is compared with the
// others the page named before.
//
//	go test ./extract/incident -run '^$' -bench LongPage -benchtime 1x
//
// names: 15,000 sentences, each naming a different firm ("Officials at
// Firm7 Alpha Beta said staff were unaffected by the attack.");
// victims: 7,500 paragraphs, each with two victims a rule reads ("Acme7 Bank
// was breached by hackers.");
// vocabulary: 6,000 sentences, each listing names drawn from 24 words, so
// that most names share words with most others;
// claims: 12,000 sentences, each opening with an unknown one-word name that
// claims an attack ("Zq7x claimed responsibility ..."), so that every name
// asks how the text writes its word;
// breached: 12,000 sentences, each naming a victim and its short form
// ("Hackers breached Kor7 Vanta Systems, and Kor7 said ..."), so that every
// name asks where else it is named;
// pairs: 12,000 sentences, each naming two unknown firms joined by "and"
// ("Qa7x Bee and Zo7y Dee were hit ..."), so that every pair asks whether
// its parts are named alone elsewhere.
func BenchmarkLongPage(b *testing.B) {
	x := extracttest.Default(b)
	vocab := strings.Fields("Acme Harrow Spencer Marks Norsk Hydro Kingsmere Glenvarra British Credit Union Mutual " +
		"Airways Holdings Trust Council Hospital Department Bank Systems Health Life Colorado Cathay")
	build := func(n int, sentence func(i int) string) *article.Article {
		paras := make([]string, n)
		for i := range paras {
			paras[i] = sentence(i)
		}
		return &article.Article{Input: "long", Title: "Ransomware attack hits firms", Paragraphs: paras, Text: strings.Join(paras, "\n\n")}
	}
	pages := []struct {
		name string
		a    *article.Article
	}{
		{"names", build(15000, func(i int) string {
			return fmt.Sprintf("Officials at Firm%d Alpha Beta said staff were unaffected by the attack.", i)
		})},
		{"victims", build(7500, func(i int) string {
			return fmt.Sprintf("Name%dx said it was hacked. Acme%d Bank was breached by hackers.", i, i)
		})},
		{"vocabulary", build(6000, func(i int) string {
			var names []string
			for k := 0; k < 6; k++ {
				names = append(names, vocab[(i*7+k*5)%len(vocab)]+" "+vocab[(i*11+k*3+1)%len(vocab)])
			}
			return "The ransomware attack on " + strings.Join(names, ", ") + " was confirmed, and " + vocab[i%len(vocab)] + " said it was hit by hackers."
		})},
		{"claims", build(12000, func(i int) string {
			return fmt.Sprintf("Zq%dx claimed responsibility for the ransomware attack on Acme Bank.", i)
		})},
		{"pairs", build(12000, func(i int) string {
			return fmt.Sprintf("Qa%dx Bee and Zo%dy Dee were hit by the ransomware attack.", i, i)
		})},
		{"breached", build(12000, func(i int) string {
			return fmt.Sprintf("Hackers breached Kor%d Vanta Systems, and Kor%d said data was stolen.", i, i)
		})},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			b.ReportMetric(float64(len(p.a.Text))/1e6, "MB")
			for i := 0; i < b.N; i++ {
				x.Article(p.a)
			}
		})
	}
}
