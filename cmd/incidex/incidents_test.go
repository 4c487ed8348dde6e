package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/incidex/incidex/export/table"
	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/merge"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/store"
)

// runIncidex runs the command tree as runCLI does, with "incidents" in it
// whether or not the root adds it yet.
func runIncidex(t *testing.T, args ...string) cliResult {
	t.Helper()
	ios, _, out, errOut := cli.TestIOStreams()
	f := &Factory{IOStreams: ios, Version: "v0.0.0-test", Now: func() time.Time {
		return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	}}
	root := NewCmdRoot(f)
	if c, _, err := root.Find([]string{"incidents"}); err != nil || c.Name() != "incidents" {
		root.AddCommand(NewCmdIncidents(f, nil))
	}
	root.SetArgs(args)
	ctx := context.Background()
	cmd, err := root.ExecuteContextC(ctx)
	if cmd == nil {
		cmd = root
	}
	code := exitStatus(ctx, ios, cmd, err)
	return cliResult{stdout: out.String(), stderr: errOut.String(), code: code}
}

// mergePages are pages that report some incidents several times.
const mergePages = "../../testdata/merge/pages"

// extractedRecords decodes the result records of extract's jsonl output,
// leaving out error records.
func extractedRecords(t *testing.T, jsonl string) []*record.Result {
	t.Helper()
	var rs []*record.Result
	for _, line := range nonEmptyLines(jsonl) {
		if line == "" || strings.Contains(line, `"error":`) && !strings.Contains(line, `"schema"`) {
			continue
		}
		var r record.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("not a record: %v\n%s", err, line)
		}
		rs = append(rs, &r)
	}
	return rs
}

// listedIncidents decodes "incidents" jsonl output.
func listedIncidents(t *testing.T, jsonl string) []record.Merged {
	t.Helper()
	var ms []record.Merged
	for _, line := range nonEmptyLines(jsonl) {
		if line == "" {
			continue
		}
		var m record.Merged
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a merged incident: %v\n%s", err, line)
		}
		ms = append(ms, m)
	}
	return ms
}

// mergedJSON maps merged incidents by id to their JSON.
func mergedJSON(t *testing.T, ms []record.Merged) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i := range ms {
		b, err := json.Marshal(&ms[i])
		if err != nil {
			t.Fatal(err)
		}
		out[ms[i].ID] = string(b)
	}
	return out
}

// theMerge is what package merge makes of rs at once, as "incidex merge".
func theMerge(t *testing.T, rs []*record.Result) map[string]string {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return mergedJSON(t, merge.New(set, merge.Options{}).Merge(rs))
}

func TestExtractDB(t *testing.T) {
	db := filepath.Join(t.TempDir(), "incidents.db")
	first := runIncidex(t, "extract", "-j", "2", "--db", db, mergePages)
	if first.code != exitOK {
		t.Fatalf("extract --db: exit %d\n%s", first.code, first.stderr)
	}
	rs := extractedRecords(t, first.stdout)
	want := theMerge(t, rs)

	list := runIncidex(t, "incidents", "--db", db, "--limit", "0")
	if list.code != exitOK || list.stderr != "" {
		t.Fatalf("incidents: exit %d\n%s", list.code, list.stderr)
	}
	listed := listedIncidents(t, list.stdout)
	if got := mergedJSON(t, listed); !equalMaps(got, want) {
		t.Errorf("incidents lists %d incidents, incidex merge makes %d of the same records, or they differ", len(got), len(want))
	}
	for i := 1; i < len(listed); i++ {
		if listed[i-1].LastReported < listed[i].LastReported && listed[i].LastReported != "" {
			t.Errorf("not newest first: %s before %s", listed[i-1].LastReported, listed[i].LastReported)
		}
	}

	// The same inputs again: one article each, the same incidents.
	again := runIncidex(t, "extract", "-q", "-j", "2", "--db", db, mergePages)
	if again.code != exitOK {
		t.Fatalf("second extract --db: exit %d\n%s", again.code, again.stderr)
	}
	c := counts(t, db)
	if c.Articles != len(rs) {
		t.Errorf("%d articles after storing %d records twice", c.Articles, len(rs))
	}
	if got := runIncidex(t, "incidents", "--db", db, "--limit", "0"); got.stdout != list.stdout {
		t.Errorf("storing the same records again changed the incidents")
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// counts opens the database read-only and counts its rows.
func counts(t *testing.T, path string) store.Counts {
	t.Helper()
	d, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c, err := d.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExtractDBResume(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(mergePages, "*.html"))
	if err != nil || len(pages) < 6 {
		t.Fatalf("pages: %v", err)
	}
	pages = pages[:6]

	t.Run("--resume names the database", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "incidents.db")
		if got := runIncidex(t, append([]string{"extract", "--db", db}, pages[:3]...)...); got.code != exitOK {
			t.Fatalf("first run: exit %d\n%s", got.code, got.stderr)
		}
		got := runIncidex(t, append([]string{"extract", "--db", db, "--resume", db}, pages...)...)
		if got.code != exitOK {
			t.Fatalf("resumed run: exit %d\n%s", got.code, got.stderr)
		}
		var inputs []string
		for _, r := range extractedRecords(t, got.stdout) {
			inputs = append(inputs, r.Input)
		}
		if !slices.Equal(inputs, pages[3:]) {
			t.Errorf("the resumed run read %q, want only %q: the stored inputs are skipped, the records go to stdout", inputs, pages[3:])
		}
		if c := counts(t, db); c.Articles != 6 {
			t.Errorf("%d articles, want 6", c.Articles)
		}
	})

	t.Run("--resume FILE with --db", func(t *testing.T) {
		dir := t.TempDir()
		db, out := filepath.Join(dir, "incidents.db"), filepath.Join(dir, "out.jsonl")
		if got := runIncidex(t, append([]string{"extract", "--db", db, "--resume", out}, pages[:4]...)...); got.code != exitOK {
			t.Fatalf("first run: exit %d\n%s", got.code, got.stderr)
		}
		// A kill after the fourth record was stored, before its line was
		// written: the database has it, the file does not.
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := nonEmptyLines(string(b))
		if err := os.WriteFile(out, []byte(strings.Join(lines[:3], "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		got := runIncidex(t, append([]string{"extract", "--db", db, "--resume", out}, pages...)...)
		if got.code != exitOK || got.stdout != "" {
			t.Fatalf("resumed run: exit %d, stdout %q\n%s", got.code, got.stdout, got.stderr)
		}
		b, _ = os.ReadFile(out)
		var inputs []string
		for _, r := range extractedRecords(t, string(b)) {
			inputs = append(inputs, r.Input)
		}
		if !slices.Equal(inputs, pages) {
			t.Errorf("the file records %q, want every input once, in order", inputs)
		}
		if c := counts(t, db); c.Articles != 6 {
			t.Errorf("%d articles, want 6", c.Articles)
		}
	})

	t.Run("--resume DB takes any format and -o", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "incidents.db")
		got := runIncidex(t, "extract", "--db", db, "--resume", db, "--format", "csv", "-o", filepath.Join(dir, "x.csv"), pages[0])
		if got.code != exitOK {
			t.Errorf("exit %d\n%s", got.code, got.stderr)
		}
	})
}

func TestExtractDBRefusesOtherFiles(t *testing.T) {
	foreign := func(t *testing.T, path string, stmts ...string) {
		t.Helper()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"a text file", func(t *testing.T, path string) {
			writeFile(t, filepath.Dir(path), filepath.Base(path), strings.Repeat("my notes\n", 30))
		}, "not an incidex database: not a SQLite database; it was left as it is"},
		{"another program's database", func(t *testing.T, path string) {
			foreign(t, path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('x')")
		}, "not an incidex database: a SQLite database of another program"},
		{"a newer schema", func(t *testing.T, path string) {
			foreign(t, path, fmt.Sprintf("PRAGMA application_id = %d", store.ApplicationID), "PRAGMA user_version = 99", "CREATE TABLE x (y)")
		}, "database written by a newer incidex: schema version 99"},
	}
	page := filepath.Join(mergePages, "coop-ffb-first-report.html")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "incidents.db")
			tt.make(t, path)
			before, _ := os.ReadFile(path)
			fi, _ := os.Stat(path)
			got := runIncidex(t, "extract", "--db", path, page)
			if got.code != exitError || !strings.Contains(got.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", got.code, got.stderr, tt.want)
			}
			if got.stdout != "" {
				t.Errorf("the input was read although the database was refused: %.80s", got.stdout)
			}
			list := runIncidex(t, "incidents", "--db", path)
			if list.code != exitError || !strings.Contains(list.stderr, tt.want) {
				t.Errorf("incidents: exit %d, stderr %q", list.code, list.stderr)
			}
			after, _ := os.ReadFile(path)
			fi2, _ := os.Stat(path)
			if !bytes.Equal(before, after) || !fi.ModTime().Equal(fi2.ModTime()) {
				t.Errorf("the refused file was changed")
			}
			ents, _ := os.ReadDir(dir)
			if len(ents) != 1 {
				t.Errorf("files beside the refused one: %v", ents)
			}
		})
	}
}

// TestExtractDBFullDisk stores a batch on a file system that fills up: the
// input that meets the full disk fails, the run stops with exit 1, and
// every record stored before is whole.
func TestExtractDBFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	db := filepath.Join(dir, "incidents.db")
	got := runIncidex(t, "extract", "-j", "2", "--db", db, "../../testdata/train")
	if got.code != exitError {
		t.Fatalf("exit %d, want 1\n%s", got.code, got.stderr)
	}
	// The disk fills up while an article is stored (that input fails)
	// or while the stored ones are merged: either way the run stops.
	for _, want := range []string{"database or disk is full", "stopped (the records stored before are kept)"} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, got.stderr)
		}
	}
	lines := nonEmptyLines(got.stdout)
	if last := lines[len(lines)-1]; strings.Contains(got.stderr, "store in "+db) && !strings.Contains(last, `"error":"store in `+db+`: database or disk is full`) {
		t.Errorf("the last record is not the failed store: %.200s", last)
	}
	t.Logf("stderr: %s", got.stderr)
	stored := extractedRecords(t, got.stdout)
	c := counts(t, db)
	if c.Articles != len(stored) || c.Articles == 0 {
		t.Errorf("%d articles in the database, %d records written before the failure", c.Articles, len(stored))
	}
	checkStoredWhole(t, db)
}

// checkStoredWhole checks a database with SQL alone: SQLite finds it
// sound, and every article has the incident rows its record gives.
func checkStoredWhole(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}
	rows, err := db.Query(`SELECT record, (SELECT count(*) FROM incidents i WHERE i.article_id = a.id),
		(SELECT count(*) FROM victims v WHERE v.article_id = a.id), (SELECT count(*) FROM units u WHERE u.article_id = a.id)
		FROM articles a`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		var incidents, victims, units int
		if err := rows.Scan(&data, &incidents, &victims, &units); err != nil {
			t.Fatal(err)
		}
		var r record.Result
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		wantVictims := 0
		for _, inc := range r.Incidents {
			wantVictims += len(inc.Victims)
		}
		if incidents != len(r.Incidents) || victims != wantVictims || len(r.Incidents) > 0 && units == 0 {
			t.Errorf("%s: %d incidents, %d victims, %d units stored; the record has %d incidents, %d victims",
				r.Input, incidents, victims, units, len(r.Incidents), wantVictims)
		}
	}
}

// distinctPages writes copies of the training pages into dir, each copy a
// different article: the same story at another canonical URL ("?copy=N"
// added), as another outlet's report of it. It returns how many.
func distinctPages(t testing.TB, dir string, copies int) int {
	t.Helper()
	src, err := filepath.Glob("../../testdata/train/*/pages/*.html")
	if err != nil || len(src) == 0 {
		t.Fatalf("no training pages: %v", err)
	}
	n := 0
	for c := range copies {
		for _, s := range src {
			data, err := os.ReadFile(s)
			if err != nil {
				t.Fatal(err)
			}
			page := canonicalURL.ReplaceAll(data, fmt.Appendf(nil, `${1}${2}?copy=%d"`, c))
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%s", c, filepath.Base(s))), page, 0o644); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	return n
}

// canonicalURL matches the canonical URL of the training pages, as a link,
// an Open Graph tag and JSON-LD give it.
var canonicalURL = regexp.MustCompile(`(rel="canonical" href="|property="og:url" content="|"mainEntityOfPage": ")([^"]*)"`)

// waitForArticles polls the database until it holds at least n articles.
func waitForArticles(t *testing.T, path string, n int, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(6 * guard)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the writer ended before storing %d articles: %v", n, err)
		default:
		}
		if d, err := store.Open(context.Background(), path, store.Options{ReadOnly: true}); err == nil {
			c, err := d.Count(context.Background())
			d.Close()
			if err == nil && c.Articles >= n {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %d articles stored after %v", n, 6*guard)
}

// TestExtractDBKilled kills a batch that stores into a database and
// checks that every article it committed is whole; a resumed run then
// stores the rest, and the incidents are the merge of all of them.
func TestExtractDBKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildIncidex(t)
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages")
	os.Mkdir(pages, 0o755)
	n := distinctPages(t, pages, 4)
	db := filepath.Join(dir, "incidents.db")

	cmd := exec.Command(filepath.Join(bin, "incidex"), "extract", "-q", "-j", "2", "--db", db, pages)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waitForArticles(t, db, 30, exited)
	cmd.Process.Kill()
	<-exited

	stored := counts(t, db).Articles
	if stored >= n {
		t.Skipf("the run finished (%d articles) before it was killed", stored)
	}
	checkStoredWhole(t, db)

	got := runIncidex(t, "extract", "-q", "-j", "2", "--db", db, "--resume", db, pages)
	if got.code != exitOK && got.code != exitPartial {
		t.Fatalf("resumed run: exit %d\n%s", got.code, got.stderr)
	}
	checkStoredWhole(t, db)
	list := runIncidex(t, "incidents", "--db", db, "--limit", "0")
	if list.code != exitOK || list.stderr != "" {
		t.Fatalf("incidents: exit %d\n%s", list.code, list.stderr)
	}
	if got, want := mergedJSON(t, listedIncidents(t, list.stdout)), theMerge(t, storedRecords(t, db)); !equalMaps(got, want) {
		t.Errorf("after the kill and the resumed run, incidents lists %d incidents; the merge of the stored records makes %d (or they differ)", len(got), len(want))
	}
	t.Logf("killed after %d of %d articles", stored, n)
}

// storedRecords returns the records of the database's articles.
func storedRecords(t *testing.T, path string) []*record.Result {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT record FROM articles")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var rs []*record.Result
	for rows.Next() {
		var data []byte
		rows.Scan(&data)
		var r record.Result
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, &r)
	}
	return rs
}

// TestIncidentsWhileExtractWrites lists incidents again and again from
// this process while another process stores a batch.
func TestIncidentsWhileExtractWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildIncidex(t)
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages")
	os.Mkdir(pages, 0o755)
	// enough pages (about 580) that the batch outlasts many reads even
	// on a loaded machine
	distinctPages(t, pages, 6)
	db := filepath.Join(dir, "incidents.db")

	cmd := exec.Command(filepath.Join(bin, "incidex"), "extract", "-q", "-j", "2", "--db", db, pages)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waitForArticles(t, db, 1, exited)
	reads := 0 // reads that began while the batch was still writing
	for writing := true; writing; {
		select {
		case err := <-exited:
			if err != nil && cmd.ProcessState.ExitCode() != exitPartial {
				t.Fatalf("the writer failed: %v\n%s", err, stderr.String())
			}
			writing = false
		default:
		}
		got := runIncidex(t, "incidents", "--db", db, "--limit", "5")
		if got.code != exitOK {
			t.Fatalf("incidents while a batch writes: exit %d\n%s", got.code, got.stderr)
		}
		listedIncidents(t, got.stdout) // fails the test unless whole records
		if writing {
			reads++
		}
	}
	if reads < 1 {
		t.Errorf("no read began while the batch wrote: nothing was tested")
	}
	t.Logf("%d reads while the batch wrote", reads)
}

// incidentsDB is a database of the merge pages, made once per test.
func incidentsDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "incidents.db")
	if got := runIncidex(t, "extract", "-q", "--db", db, mergePages); got.code != exitOK {
		t.Fatalf("extract --db: exit %d\n%s", got.code, got.stderr)
	}
	return db
}

func TestIncidentsCommand(t *testing.T) {
	db := incidentsDB(t)
	all := listedIncidents(t, runIncidex(t, "incidents", "--db", db, "--limit", "0").stdout)
	if len(all) < 3 {
		t.Fatalf("%d incidents", len(all))
	}
	// A victim reported by several sources.
	var multi record.Merged
	for _, m := range all {
		if len(m.Sources) > 1 && len(m.Victims) > 0 {
			multi = m
			break
		}
	}
	if multi.ID == "" {
		t.Fatal("no incident has several sources")
	}
	victim := multi.Victims[0].Name

	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		stderr  []string
		records int // jsonl lines, -1: not jsonl
	}{
		{name: "jsonl by default", args: []string{"--limit", "0"}, records: len(all)},
		{name: "limit, and a note of the rest", args: []string{"--limit", "2"}, records: 2,
			stderr: []string{fmt.Sprintf("incidex: the newest 2 of %d incidents; --limit 0 lists all", len(all))}},
		{name: "victim in any case", args: []string{"--victim", strings.ToUpper(victim)}, records: -1, stdout: []string{multi.ID}},
		{name: "text", args: []string{"--format", "text", "--limit", "0"}, records: -1,
			stdout: []string{victim + ": " + multi.Status, "id:", multi.ID, "sources:   s1 "}},
		{name: "text with nothing", args: []string{"--format", "text", "--victim", "no such victim anywhere"}, records: -1,
			stderr: []string{"incidex: no incident matches\n"}},
		{name: "csv", args: []string{"--format", "csv", "--limit", "0"}, records: -1,
			stdout: []string{strings.Join(table.MergedColumns, ",") + "\n", multi.ID + ","}},
		{name: "csv with nothing has its header", args: []string{"--format", "csv", "--victim", "no such victim anywhere"}, records: -1,
			stdout: []string{strings.Join(table.MergedColumns, ",") + "\n"}},
		{name: "stix", args: []string{"--format", "stix", "--limit", "3"}, records: -1,
			stdout: []string{`"type":"bundle"`, `"type":"incident"`}, stderr: []string{"the newest 3 of"}},
		{name: "since a duration, from the injected now", args: []string{"--since", "20000d"}, records: -1},
		{name: "bad status", args: []string{"--status", "maybe"}, code: exitUsage, records: -1,
			stderr: []string{"--status must be confirmed or attempted"}},
		{name: "bad since", args: []string{"--since", "yesterday"}, code: exitUsage, records: -1,
			stderr: []string{`--since: "yesterday" is not a date`}},
		{name: "since a duration too long to hold", args: []string{"--since", "1e300d"}, code: exitUsage, records: -1,
			stderr: []string{`--since: "1e300d" is not a date`}},
		{name: "since NaN days", args: []string{"--since", "NaNd"}, code: exitUsage, records: -1,
			stderr: []string{`--since: "NaNd" is not a date`}},
		{name: "since after until", args: []string{"--since", "2025-02-01", "--until", "2025-01-01"}, code: exitUsage, records: -1,
			stderr: []string{"--since 2025-02-01 is not before --until 2025-01-01"}},
		{name: "negative limit", args: []string{"--limit", "-1"}, code: exitUsage, records: -1,
			stderr: []string{"--limit must be 0 or more"}},
		{name: "a stray argument", args: []string{"lockbit"}, code: exitUsage, records: -1,
			stderr: []string{`unknown command "lockbit" for "incidex incidents"`}},
		{name: "show by id", args: []string{"show", multi.ID}, records: -1,
			stdout: []string{"{\n  \"schema\": \"incidex-merged/v1\",\n  \"id\": \"" + multi.ID + "\""}},
		{name: "show by the start of an id, as text", args: []string{"show", multi.ID[:8], "--format", "text"}, records: -1,
			stdout: []string{"Incident " + multi.ID, "Victims:\n  " + victim, "Sources:\n  [s1] ", "  [s2] ", "    [s1] \""}},
		{name: "show jsonl", args: []string{"show", multi.ID, "--format", "jsonl"}, records: 1},
		{name: "show an unknown id", args: []string{"show", "ffffffffffff"}, code: exitError, records: -1,
			stderr: []string{"incidex: no such incident: ffffffffffff"}},
		{name: "show without an id", args: []string{"show"}, code: exitUsage, records: -1,
			stderr: []string{"show takes one incident id, got 0 arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"incidents", "--db", db}, tt.args...)
			got := runIncidex(t, args...)
			if got.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", got.code, tt.code, got.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(got.stdout, s) {
					t.Errorf("stdout does not contain %q:\n%.600s", s, got.stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(got.stderr, s) {
					t.Errorf("stderr does not contain %q:\n%s", s, got.stderr)
				}
			}
			if len(tt.stderr) == 0 && got.stderr != "" {
				t.Errorf("unexpected stderr: %s", got.stderr)
			}
			if tt.records >= 0 {
				if n := len(listedIncidents(t, got.stdout)); n != tt.records {
					t.Errorf("%d records, want %d", n, tt.records)
				}
			}
		})
	}

	t.Run("json is the jsonl records indented", func(t *testing.T) {
		got := runIncidex(t, "incidents", "--db", db, "--format", "json", "--limit", "0")
		dec := json.NewDecoder(strings.NewReader(got.stdout))
		var n int
		for ; dec.More(); n++ {
			var m record.Merged
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			if m.ID != all[n].ID {
				t.Errorf("record %d is %s, want %s", n, m.ID, all[n].ID)
			}
		}
		if n != len(all) || !strings.HasPrefix(got.stdout, "{\n  \"schema\"") {
			t.Errorf("%d records:\n%.100s", n, got.stdout)
		}
	})
	t.Run("csv has a row per incident", func(t *testing.T) {
		got := runIncidex(t, "incidents", "--db", db, "--format", "csv", "--limit", "0")
		rows, err := csv.NewReader(strings.NewReader(got.stdout)).ReadAll()
		if err != nil || len(rows) != len(all)+1 {
			t.Errorf("%d rows, %v", len(rows), err)
		}
	})
	t.Run("filters select what they say", func(t *testing.T) {
		got := listedIncidents(t, runIncidex(t, "incidents", "--db", db, "--victim", strings.ToLower(victim[:4]), "--limit", "0").stdout)
		if len(got) == 0 {
			t.Fatal("nothing found")
		}
		for _, m := range got {
			found := false
			for _, v := range m.Victims {
				for _, n := range append([]string{v.Name}, v.Aliases...) {
					found = found || strings.Contains(strings.ToLower(n), strings.ToLower(victim[:4]))
				}
			}
			if !found {
				t.Errorf("%s has no victim named like %q", m.ID, victim[:4])
			}
		}
	})
}

func TestIncidentsNotesPendingMerges(t *testing.T) {
	db := incidentsDB(t)
	w, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := extractedRecords(t, runIncidex(t, "extract", filepath.Join(mergePages, "coop-ffb-first-report.html")).stdout)[0]
	r.Title = "Updated: " + r.Title
	if _, err := w.Put(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	// Not flushed yet: a batch would merge it a moment later.
	got := runIncidex(t, "incidents", "--db", db)
	if got.code != exitOK || !strings.Contains(got.stderr, "incidex: note: the latest articles of 1 block(s) of victims are not merged yet") {
		t.Errorf("exit %d, stderr %q", got.code, got.stderr)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := runIncidex(t, "incidents", "--db", db); got.stderr != "" {
		t.Errorf("after Close: stderr %q", got.stderr)
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		end  bool
		want time.Time
		bad  bool
	}{
		{in: "2025-01-31", want: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)},
		{in: "2025-01-31", end: true, want: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2025-01-31T08:00:00+01:00", want: time.Date(2025, 1, 31, 7, 0, 0, 0, time.UTC)},
		{in: "2025-01-31T08:00:00Z", end: true, want: time.Date(2025, 1, 31, 8, 0, 1, 0, time.UTC)},
		{in: "72h", want: now.Add(-72 * time.Hour)},
		{in: "30d", want: now.AddDate(0, 0, -30)},
		{in: "2w", want: now.AddDate(0, 0, -14)},
		{in: "1.5d", want: now.Add(-36 * time.Hour)},
		{in: "yesterday", bad: true},
		{in: "-3d", bad: true},
		{in: "-1h", bad: true},
		{in: "2025-13-01", bad: true},
	}
	for _, tt := range tests {
		got, err := parseWhen(tt.in, now, tt.end)
		switch {
		case tt.bad && err == nil:
			t.Errorf("parseWhen(%q) = %v, want an error", tt.in, got)
		case !tt.bad && (err != nil || !got.Equal(tt.want)):
			t.Errorf("parseWhen(%q, end=%v) = %v, %v; want %v", tt.in, tt.end, got, err, tt.want)
		}
	}
}

func TestNewCmdIncidentsFlags(t *testing.T) {
	ios, _, _, _ := cli.TestIOStreams()
	var got *IncidentsOptions
	cmd := NewCmdIncidents(&Factory{IOStreams: ios}, func(_ context.Context, o *IncidentsOptions) error {
		got = o
		return nil
	})
	cmd.SetArgs([]string{"--db", "x.db", "--since", "30d", "--until", "2025-01-31", "--victim", "Harbor", "--actor", "LockBit",
		"--sector", "finance", "--country", "GB", "--tool", "Akira", "--status", "confirmed", "--format", "csv", "--limit", "7"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := IncidentsOptions{DB: "x.db", Since: "30d", Until: "2025-01-31", Victim: "Harbor", Actor: "LockBit",
		Sector: "finance", Country: "GB", Tool: "Akira", Status: "confirmed", Format: cli.FormatCSV, Limit: 7}
	if got.DB != want.DB || got.Since != want.Since || got.Until != want.Until || got.Victim != want.Victim ||
		got.Actor != want.Actor || got.Sector != want.Sector || got.Country != want.Country || got.Tool != want.Tool ||
		got.Status != want.Status || got.Format != want.Format || got.Limit != want.Limit {
		t.Errorf("options %+v", *got)
	}
}

// BenchmarkExtractDB runs "incidex extract -j 2" over 480 pages (the 96
// training pages, five copies of each as different articles) without and
// with --db: the difference is what storing costs. The prose model is
// loaded beforehand, as a batch loads it beside its first pages.
//
//	go test ./cmd/incidex -run '^$' -bench ExtractDB -benchtime 3x
func BenchmarkExtractDB(b *testing.B) {
	dir := b.TempDir()
	pages := distinctPages(b, dir, 5)
	set, err := loadRules(nil, false)
	if err != nil {
		b.Fatal(err)
	}
	x := extract.New(set)
	x.Preload()
	convert := func(ctx context.Context, p *source.Page) (any, error) { return x.PageContext(ctx, p) }
	for _, withDB := range []bool{false, true} {
		b.Run(fmt.Sprintf("db=%v", withDB), func(b *testing.B) {
			for b.Loop() {
				ios, _, _, _ := cli.TestIOStreams()
				ios.Out, ios.ErrOut = io.Discard, io.Discard
				opts := defaultReadOptions(&Factory{IOStreams: ios})
				opts.Format, opts.Jobs = cli.FormatJSONL, 2
				if withDB {
					opts.DB = filepath.Join(b.TempDir(), "incidents.db")
					if opts.db, err = store.Open(context.Background(), opts.DB, store.Options{Rules: set}); err != nil {
						b.Fatal(err)
					}
				}
				err := readPages(context.Background(), &opts, []string{dir}, convert)
				if _, ok := errors.AsType[*silentExitError](err); err != nil && !ok {
					b.Fatal(err)
				}
				if withDB {
					if err := opts.db.Close(); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
