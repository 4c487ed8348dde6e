package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/cli"
)

// BenchmarkBatch runs the whole batch pipeline of "incidex extract" (walk,
// read, decode, parse, rules, encode, ordered write) over the pages of
// testdata/ copied into a folder, with 1 and 2 workers. The prose model is
// loaded beforehand, as a batch loads it while the first pages are read.
//
//	go test ./cmd/incidex -run '^$' -bench Batch -benchtime 5x
func BenchmarkBatch(b *testing.B) {
	src, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*.html"))
	if err != nil || len(src) == 0 {
		b.Fatalf("no testdata pages: %v", err)
	}
	dir := b.TempDir()
	const copies = 20
	pages := 0
	for c := range copies {
		for _, s := range src {
			data, err := os.ReadFile(s)
			if err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("%02d-%s", c, filepath.Base(s))
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				b.Fatal(err)
			}
			pages++
		}
	}
	set, err := loadRules(nil, false)
	if err != nil {
		b.Fatal(err)
	}
	x := extract.New(set)
	// Load prose's model before timing, as a batch loads it beside its
	// first pages: one untimed pass over the pages.
	for _, s := range src {
		if page, err := source.ReadFile(s, 0); err == nil {
			_, _ = x.Page(page)
		}
	}
	converts := []struct {
		command string
		convert func(context.Context, *source.Page) (any, error)
	}{
		{"extract", func(ctx context.Context, p *source.Page) (any, error) { return x.PageContext(ctx, p) }},
		{"article", func(_ context.Context, p *source.Page) (any, error) { return article.Parse(p, article.Options{}) }},
	}

	for _, c := range converts {
		for _, jobs := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/j%d", c.command, jobs), func(b *testing.B) {
				benchmarkBatch(b, dir, pages, jobs, c.convert)
			})
		}
	}
}

// benchmarkBatch runs readPages over dir with jobs workers.
func benchmarkBatch(b *testing.B, dir string, pages, jobs int, convert func(context.Context, *source.Page) (any, error)) {
	ios, _, _, _ := cli.TestIOStreams()
	ios.Out, ios.ErrOut = io.Discard, io.Discard
	opts := defaultReadOptions(&Factory{IOStreams: ios})
	opts.Format = cli.FormatJSONL
	opts.Jobs = jobs
	for b.Loop() {
		err := readPages(context.Background(), &opts, []string{dir}, convert)
		// Some testdata pages have no article, by design: exit 3.
		var silent *silentExitError
		if err != nil && !errors.As(err, &silent) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
}
