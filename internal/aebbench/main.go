// Command aebbench runs incidex's article reader over the main-text
// extraction benchmark in ../shared/aeb, writes the predictions in the
// benchmark's format and prints F1 and pages per second.
//
//	go run ./internal/aebbench ../shared/aeb
//	go run ./internal/aebbench -o /tmp/pred.json -worst 10 ../shared/aeb
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/incidex/incidex/internal/aeb"
)

func main() {
	out := flag.String("o", "", "write predictions to this file (the benchmark's {\"<id>\": {\"articleBody\": ...}} format)")
	rounds := flag.Int("rounds", 5, "timed passes over the pages; the fastest is reported")
	worst := flag.Int("worst", 0, "list this many pages with the lowest F1")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: aebbench [-o predictions.json] [-rounds N] [-worst N] AEB_DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *rounds, *worst); err != nil {
		fmt.Fprintln(os.Stderr, "aebbench:", err)
		os.Exit(1)
	}
}

func run(dir, out string, rounds, worst int) error {
	pages, err := aeb.Load(dir)
	if err != nil {
		return err
	}
	preds := make(map[string]string, len(pages))
	best := time.Duration(0)
	var failed int
	for r := 0; r < max(rounds, 1); r++ {
		failed = 0
		start := time.Now()
		for _, pg := range pages {
			text, err := aeb.Text(pg)
			if err != nil {
				failed++
			}
			preds[pg.ID] = text
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	res := aeb.Score(pages, preds)
	fmt.Printf("pages     %d (%d without article text)\n", len(pages), failed)
	fmt.Printf("F1        %.3f\nprecision %.3f\nrecall    %.3f\n", res.F1, res.Precision, res.Recall)
	fmt.Printf("pages/s   %.0f (one goroutine, charset decoding and parsing included, best of %d)\n",
		float64(len(pages))/best.Seconds(), max(rounds, 1))
	if worst > 0 {
		sort.Slice(res.Pages, func(i, j int) bool { return res.Pages[i].F1() < res.Pages[j].F1() })
		for _, s := range res.Pages[:min(worst, len(res.Pages))] {
			fmt.Printf("  %.3f  p=%.3f r=%.3f  %s\n", s.F1(), s.Precision, s.Recall, s.ID)
		}
	}
	if out != "" {
		type body struct {
			ArticleBody string `json:"articleBody"`
		}
		m := make(map[string]body, len(preds))
		for id, t := range preds {
			m[id] = body{t}
		}
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return fmt.Errorf("write predictions: %w", err)
		}
	}
	return nil
}
