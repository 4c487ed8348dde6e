package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/record"
)

// copiesOf returns n copies of each record of rs, each copy another
// outlet's report of the same story: another URL and title, no canonical
// URL, a publication a few hours later.
func copiesOf(rs []*record.Result, n int) []*record.Result {
	out := make([]*record.Result, 0, n*len(rs))
	for c := range n {
		for i, r := range rs {
			cp := *r
			cp.Input = fmt.Sprintf("https://outlet%d.example/story/%d", c, i)
			cp.URL, cp.CanonicalURL = cp.Input, ""
			cp.Title = fmt.Sprintf("Outlet %d: %s", c, r.Title)
			if t, ok := parseTime(r.Published); ok {
				cp.Published = t.Add(time.Duration(c) * 3 * time.Hour).UTC().Format(time.RFC3339)
			}
			out = append(out, &cp)
		}
	}
	return out
}

// BenchmarkPut stores the records of the 96 training pages, each told by
// 10 or 50 outlets, as "extract --db" does: Put then FlushIfDue for each
// article, and the last flush at Close. Extraction is not in it (see
// BenchmarkExtractDB in cmd/incidex).
//
//	go test ./store -run '^$' -bench Put -benchtime 3x
func BenchmarkPut(b *testing.B) {
	pages := extracted(b, "testdata/train/*/pages/*.html")
	for _, outlets := range []int{10, 50} {
		rs := copiesOf(pages, outlets)
		b.Run(fmt.Sprintf("articles=%d", len(rs)), func(b *testing.B) {
			for b.Loop() {
				d, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), Options{})
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range rs {
					if _, err := d.Put(context.Background(), r); err != nil {
						b.Fatal(err)
					}
					if err := d.FlushIfDue(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				if err := d.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(rs)*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// Word lists of the generated incidents.
var (
	nameWords   = []string{"Harbor", "Lindqvist", "Castellan", "Brightsmile", "Arden", "Ashfall", "Carrow", "Greyholm", "Brackenmoor", "Dunholm", "Fenby", "Wyndcliffe", "Cindervale", "Marrow", "Pellmore", "Tallyframe", "Kelderman", "Oakridge", "Northgate", "Silverton", "Quill", "Juniper", "Vantage", "Yarrow", "Ember", "Zephyr", "Ironbridge", "Mossley", "Redfern", "Thornbury"}
	nameTails   = []string{"Bank", "Energi", "Pharma", "Dental", "Sports", "Logistics", "Council", "Hospital", "University", "Insurance", "Foods", "Water", "Telecom", "Airways", "Retail"}
	actorNames  = []string{"LockBit", "ALPHV", "Akira", "Clop", "Quiet Heron", "Scattered Spider", "Black Basta", "Play", "Rhysida", "Medusa", "BianLian", "Hollow Fen", "Crimson Tally", "Silent Orchard", "Blackhollow", "Ashfall"}
	toolNames   = []string{"LockBit", "BlackCat", "Akira", "Cobalt Strike", "Mimikatz", "phishing", "CVE-2023-34362", "CVE-2024-3400", "AnyDesk", "Emotet", "QakBot", "SIM swapping"}
	sectorNames = []string{"finance", "healthcare", "energy", "retail", "government", "education", "manufacturing", "technology", "transport", "telecommunications", "insurance", "legal"}
	countries   = []string{"GB", "US", "DE", "FR", "SE", "NL", "AU", "CA", "IE", "ES", "IT", "JP"}
)

// generated returns n generated records: n incidents of distinct victims
// over three years, one in five told by a second outlet a day later.
func generated(n int) []*record.Result {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var rs []*record.Result
	for i := range n {
		pick := func(list []string) string { return list[rng.IntN(len(list))] }
		victim := fmt.Sprintf("%s %s %d", pick(nameWords), pick(nameTails), i)
		status := "confirmed"
		if rng.IntN(10) == 0 {
			status = "attempted"
		}
		rep := report{
			input: fmt.Sprintf("https://news.example/%d", i), url: fmt.Sprintf("https://news.example/%d", i),
			published: start.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour)))).Format(time.RFC3339),
			victims:   []string{victim}, sector: pick(sectorNames), country: pick(countries),
			actor: pick(actorNames), tool: pick(toolNames), status: status,
			title: victim + " hit by cyber attack",
		}
		rs = append(rs, rep.record())
		if i%5 == 0 {
			second := rep
			second.input = fmt.Sprintf("https://other.example/%d", i)
			second.url, second.title = second.input, "Update: "+rep.title
			t, _ := time.Parse(time.RFC3339, rep.published)
			second.published = t.Add(24 * time.Hour).Format(time.RFC3339)
			rs = append(rs, second.record())
		}
	}
	return rs
}

// benchDB returns a database of scale generated incidents: the one at
// $INCIDEX_BENCH_DB when it holds that many (else made there), or a new
// one in a temporary folder. Articles are stored 1000 to a transaction
// and merged once at the end: a quicker way to the same rows.
func benchDB(b *testing.B, scale int) *DB {
	b.Helper()
	path := os.Getenv("INCIDEX_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	articles := scale + (scale+4)/5 // as generated makes them
	if d, err := Open(context.Background(), path, Options{ReadOnly: true}); err == nil {
		if c, err := d.Count(context.Background()); err == nil && c.Articles == articles {
			b.Cleanup(func() { d.Close() })
			return d
		}
		d.Close()
		os.Remove(path)
	}
	w, err := Open(context.Background(), path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := w.getMerger()
	if err != nil {
		b.Fatal(err)
	}
	rs := generated(scale)
	ctx := context.Background()
	for len(rs) > 0 {
		chunk := rs[:min(1000, len(rs))]
		rs = rs[len(chunk):]
		err := w.inTx(ctx, func(tx *sql.Tx) error {
			for _, r := range chunk {
				a, err := newArticle(r)
				if err != nil {
					return err
				}
				if a.units, err = m.units(r); err != nil {
					return err
				}
				if _, err := w.put(ctx, tx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil { // merges every block once
		b.Fatal(err)
	}
	d, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}

// BenchmarkIncidents runs typical "incidex incidents" queries over a
// database of $INCIDEX_DB_SCALE merged incidents (default 10000; the
// README's figures are for 100000, whose database takes a few minutes to
// make: set INCIDEX_BENCH_DB to keep it for the next run).
//
//	INCIDEX_DB_SCALE=100000 INCIDEX_BENCH_DB=/tmp/incidex-100k.db go test ./store -run '^$' -bench Incidents
func BenchmarkIncidents(b *testing.B) {
	scale := 10000
	if s := os.Getenv("INCIDEX_DB_SCALE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("INCIDEX_DB_SCALE=%q: want a number of incidents", s)
		}
		scale = n
	}
	d := benchDB(b, scale)
	c, err := d.Count(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d articles, %d incidents, %d merged incidents", c.Articles, c.Incidents, c.Merged)
	// A victim the database has, its name cut short: "harbor bank 1234"
	// of "Harbor Bank 12345".
	var newest record.Merged
	if err := d.Incidents(context.Background(), Filter{Limit: 1}, func(data []byte) error {
		return json.Unmarshal(data, &newest)
	}); err != nil || len(newest.Victims) == 0 {
		b.Fatalf("no incident: %v", err)
	}
	victim := strings.ToLower(newest.Victims[0].Name)
	victim = victim[:len(victim)-1]
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	queries := []struct {
		name   string
		filter Filter
	}{
		{"newest-100", Filter{Limit: 100}},
		{"victim-substring", Filter{Victim: victim, Limit: 100}},
		{"actor", Filter{Actor: "lockbit", Limit: 100}},
		{"sector-since-90d", Filter{Sector: "healthcare", Since: now.AddDate(0, 0, -90), Limit: 100}},
		{"country-status", Filter{Country: "se", Status: "attempted", Limit: 100}},
		{"tool-all-matches", Filter{Tool: "cve-2024-3400"}},
		{"no-match", Filter{Victim: "no such victim", Limit: 100}},
		{"all", Filter{}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				rows = 0
				err := d.Incidents(context.Background(), q.filter, func([]byte) error {
					rows++
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
	b.Run("count-all", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.CountIncidents(context.Background(), Filter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
