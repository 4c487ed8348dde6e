// Command sidebyside measures incidex's article reader against two other Go
// main-text extractors on the benchmark in ../shared/aeb, in one process and
// one goroutine, so that the pages/s figures are comparable on a noisy machine.
// It is a separate module so that the other extractors never become
// dependencies of incidex itself.
//
//	cd bench/sidebyside && go run . ../../../shared/aeb
package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/aeb"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sidebyside AEB_DIR")
		os.Exit(2)
	}
	pages, err := aeb.Load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sidebyside:", err)
		os.Exit(1)
	}
	dec := make([][]byte, len(pages))
	for i, pg := range pages {
		dec[i], _ = source.DecodeHTML(pg.HTML, "")
	}
	type ex struct {
		name string
		f    func(i int) string
	}
	exs := []ex{
		{"incidex (decode+parse+extract)", func(i int) string {
			text, _ := aeb.Text(pages[i])
			return text
		}},
		// The others get the bytes already decoded to UTF-8; their timings
		// leave decoding out, incidex's include it.
		{"readeck go-readability v2.1.3", func(i int) string {
			u, _ := url.Parse(pages[i].URL)
			a, err := readability.FromReader(bytes.NewReader(dec[i]), u)
			if err != nil {
				return ""
			}
			var b bytes.Buffer
			a.RenderText(&b)
			return b.String()
		}},
		{"go-trafilatura v1.12.2", func(i int) string {
			u, _ := url.Parse(pages[i].URL)
			r, err := trafilatura.Extract(bytes.NewReader(dec[i]), trafilatura.Options{OriginalURL: u})
			if err != nil || r == nil {
				return ""
			}
			return r.ContentText
		}},
		{"html.Parse alone", func(i int) string {
			_, _ = html.Parse(bytes.NewReader(dec[i]))
			return ""
		}},
	}
	best := make([]float64, len(exs))
	f1 := make([]float64, len(exs))
	for round := 0; round < 7; round++ {
		for k, e := range exs {
			preds := map[string]string{}
			start := time.Now()
			for i := range pages {
				preds[pages[i].ID] = e.f(i)
			}
			d := time.Since(start)
			r := aeb.Score(pages, preds)
			ps := float64(len(pages)) / d.Seconds()
			if ps > best[k] {
				best[k] = ps
			}
			f1[k] = r.F1
			if round == 0 {
				fmt.Printf("%-34s F1 %.3f  P %.3f  R %.3f\n", e.name, r.F1, r.Precision, r.Recall)
			}
		}
	}
	for k, e := range exs {
		fmt.Printf("%-34s F1 %.3f  best of 7: %6.0f pages/s\n", e.name, f1[k], best[k])
	}
}
