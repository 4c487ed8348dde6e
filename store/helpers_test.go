package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
)

// report describes a small record for a test: one incident of one or more
// victims.
type report struct {
	input, url, canonical string
	published, fetched    string
	title                 string
	victims               []string
	aliases               []string // of the first victim
	sector, country       string
	actor, tool, status   string
}

// record builds the incidex/v1 record r describes.
func (r report) record() *record.Result {
	ev := func(rule, text string) []record.Evidence {
		return []record.Evidence{{Rule: rule, Text: text, Start: 0, End: len(text)}}
	}
	title := r.title
	if title == "" {
		title = strings.Join(r.victims, " and ") + " hit by cyber attack"
	}
	status := r.status
	if status == "" {
		status = "confirmed"
	}
	inc := record.Incident{
		ID: fmt.Sprintf("%x", sha256.Sum256([]byte(r.input+title)))[:12], Status: status,
		Victims: []record.Victim{}, Actors: []record.Actor{}, Tooling: []record.Tool{},
		Impacts: []record.Impact{}, Responders: []record.Responder{}, Indicators: []record.Indicator{},
		Confidence: 0.8,
	}
	for i, v := range r.victims {
		vic := record.Victim{Name: v, Aliases: []string{}, Sector: r.sector, Country: r.country, Confidence: 0.9,
			Cues: []string{"pattern"}, Evidence: ev("victim.said", v+" said it was hit by a cyber attack.")}
		if i == 0 && r.aliases != nil {
			vic.Aliases = r.aliases
		}
		inc.Victims = append(inc.Victims, vic)
	}
	if r.actor != "" {
		inc.Actors = append(inc.Actors, record.Actor{Name: r.actor, Aliases: []string{}, Kind: "group", Attribution: "claimed",
			Confidence: 0.9, Cues: []string{"pattern"}, Evidence: ev("actor.claimed", r.actor+" claimed the attack.")})
	}
	if r.tool != "" {
		inc.Tooling = append(inc.Tooling, record.Tool{Name: r.tool, Kind: "ransomware", Evidence: ev("tool.ransomware", "The "+r.tool+" ransomware was used.")})
	}
	inc.Impacts = append(inc.Impacts, record.Impact{Kind: "availability", Summary: "systems taken offline",
		Quantity: &record.Quantity{Value: 3, Unit: "people"}, Evidence: ev("impact.offline", "Systems were taken offline.")})
	inc.Indicators = append(inc.Indicators, record.Indicator{Type: "domain", Value: "evil.example", Defanged: "evil[.]example",
		Evidence: ev("indicator", "The domain evil[.]example was used.")})
	return &record.Result{
		Schema: record.SchemaVersion, Input: r.input, URL: r.url, CanonicalURL: r.canonical,
		FetchedAt: r.fetched, Title: title, Published: r.published,
		Incidents: []record.Incident{inc},
	}
}

// openTest opens a new database in a temporary folder.
func openTest(t testing.TB) *DB {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "incidents.db"))
}

// openAt opens the database at path for writing, closing it at the end of
// the test.
func openAt(t testing.TB, path string) *DB {
	t.Helper()
	d, err := Open(context.Background(), path, Options{Now: fixedNow})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func fixedNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// put stores r and fails the test on an error.
func put(t testing.TB, d *DB, r *record.Result) Outcome {
	t.Helper()
	out, err := d.Put(context.Background(), r)
	if err != nil {
		t.Fatalf("Put %s: %v", r.Input, err)
	}
	return out
}

// listed flushes d and returns the merged incidents f selects.
func listed(t testing.TB, d *DB, f Filter) []record.Merged {
	t.Helper()
	if err := d.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	var out []record.Merged
	err := d.Incidents(context.Background(), f, func(data []byte) error {
		var m record.Merged
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		t.Fatalf("Incidents: %v", err)
	}
	return out
}

// count returns the number of rows of table.
func count(t testing.TB, d *DB, table string) int {
	t.Helper()
	var n int
	if err := d.db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// tables are the tables of the schema, for digests and checks.
var tables = []string{"articles", "inputs", "incidents", "victims", "actors", "tools", "impacts",
	"responders", "indicators", "evidence", "units", "pending_blocks", "merged", "merged_names"}

// digest is a hash of every row of every table: two databases of equal
// digests hold the same rows.
func digest(t testing.TB, db *sql.DB) string {
	t.Helper()
	h := sha256.New()
	for _, table := range tables {
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatalf("digest %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(h, "%s\n%s\n", table, strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// checkWhole fails the test unless every stored article is whole: its
// rows are those its record gives, its units are stored, every unit's
// block has merged incidents or is pending, every merged incident's block
// has units or is pending, and SQLite finds the file sound.
func checkWhole(t testing.TB, d *DB) {
	t.Helper()
	var ok string
	if err := d.db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}
	rows, err := d.db.Query("SELECT id, record FROM articles")
	if err != nil {
		t.Fatal(err)
	}
	type art struct {
		id int64
		r  record.Result
	}
	var arts []art
	for rows.Next() {
		var a art
		var data []byte
		if err := rows.Scan(&a.id, &data); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &a.r); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	rows.Close()
	m, err := d.getMerger()
	if err != nil {
		t.Fatal(err)
	}
	rowsOf := func(table string, id int64) int {
		var n int
		if err := d.db.QueryRow("SELECT count(*) FROM "+table+" WHERE article_id = ?", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, a := range arts {
		want := map[string]int{"incidents": len(a.r.Incidents), "indicators": len(a.r.Indicators)}
		evidence := 0
		for _, ind := range a.r.Indicators {
			evidence += len(ind.Evidence)
		}
		for _, inc := range a.r.Incidents {
			want["victims"] += len(inc.Victims)
			want["actors"] += len(inc.Actors)
			want["tools"] += len(inc.Tooling)
			want["impacts"] += len(inc.Impacts)
			want["responders"] += len(inc.Responders)
			want["indicators"] += len(inc.Indicators)
			for _, v := range inc.Victims {
				evidence += len(v.Evidence)
			}
			for _, x := range inc.Actors {
				evidence += len(x.Evidence)
			}
			for _, x := range inc.Tooling {
				evidence += len(x.Evidence)
			}
			for _, x := range inc.Impacts {
				evidence += len(x.Evidence)
			}
			for _, x := range inc.Responders {
				evidence += len(x.Evidence)
			}
			for _, x := range inc.Indicators {
				evidence += len(x.Evidence)
			}
		}
		want["evidence"] = evidence
		units, err := m.units(&a.r)
		if err != nil {
			t.Fatal(err)
		}
		want["units"] = len(units)
		for table, n := range want {
			if got := rowsOf(table, a.id); got != n {
				t.Errorf("article %d (%s): %d rows in %s, want %d", a.id, a.r.Input, got, table, n)
			}
		}
		if rowsOf("inputs", a.id) == 0 {
			t.Errorf("article %d (%s): no input recorded", a.id, a.r.Input)
		}
	}
	var orphans int
	if err := d.db.QueryRow(`SELECT count(*) FROM (SELECT DISTINCT block_key FROM units) u
		WHERE NOT EXISTS (SELECT 1 FROM merged m WHERE m.block_key = u.block_key)
		AND u.block_key NOT IN (SELECT block_key FROM pending_blocks)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans > 0 {
		t.Errorf("%d blocks of units have no merged incident", orphans)
	}
	if err := d.db.QueryRow(`SELECT count(*) FROM merged m
		WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.block_key = m.block_key)
		AND m.block_key NOT IN (SELECT block_key FROM pending_blocks)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans > 0 {
		t.Errorf("%d merged incidents have no unit", orphans)
	}
}

// extracted returns the records of the pages matching pattern (relative
// to the repository's root), extracted once per test binary.
func extracted(t testing.TB, pattern string) []*record.Result {
	t.Helper()
	extractedMu.Lock()
	defer extractedMu.Unlock()
	if rs, ok := extractedCache[pattern]; ok {
		return rs
	}
	paths, err := filepath.Glob(filepath.Join("..", pattern))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no pages match %s: %v", pattern, err)
	}
	slices.Sort(paths)
	x := extracttest.Default(t)
	var rs []*record.Result
	for _, p := range paths {
		page, err := source.ReadFile(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, err := x.Page(page)
		if err != nil {
			continue // a page without an article is not a record
		}
		rs = append(rs, r)
	}
	extractedCache[pattern] = rs
	return rs
}

var (
	extractedMu    sync.Mutex
	extractedCache = map[string][]*record.Result{}
)

// fileSnapshot is a file's bytes and modification time, and the names of the
// files beside it.
type fileSnapshot struct {
	data     []byte
	mtime    time.Time
	mode     os.FileMode
	siblings []string
}

func snapshot(t testing.TB, path string) fileSnapshot {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return fileSnapshot{data: data, mtime: fi.ModTime(), mode: fi.Mode(), siblings: names}
}

func (s fileSnapshot) equal(o fileSnapshot) bool {
	return string(s.data) == string(o.data) && s.mtime.Equal(o.mtime) && s.mode == o.mode && slices.Equal(s.siblings, o.siblings)
}
