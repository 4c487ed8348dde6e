package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"time"

	"path/filepath"
	"strings"
	"testing"

	"github.com/incidex/incidex/export/table"
	"github.com/incidex/incidex/extract/record"
)

var (
	paraHack1 = "Marks & Spencer was hit by a cyber attack that forced the retailer to pause online orders, the company said on Tuesday evening in a statement to the stock exchange."
	paraHack2 = "The attack has been linked to a group called Scattered Spider, which used a tool from the DragonForce ransomware cartel to encrypt servers at the company's head office."
	paraHack3 = "Police and the National Crime Agency are investigating, and the company said it was working with external experts to restore its systems as quickly as possible."
	hackHTML  = articleHTML("Marks & Spencer hit by cyber attack", paraHack1, paraHack2, paraHack3)
)

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	hack := writeFile(t, dir, "hack.html", hackHTML)
	fire := writeFile(t, dir, "fire.html", fireHTML)
	empty := writeFile(t, dir, "empty.html", emptyHTML)
	goodRules := writeFile(t, dir, "extra.yaml", "actors:\n  - id: actor.test-heron\n    name: Grey Heron\n    kind: group\n")
	badRules := writeFile(t, dir, "bad.yaml", "actors:\n  - id: actor.x\n    name: X\n    kind: wizard\n    colour: red\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
		wantRecord int      // JSON lines on stdout, -1 to skip the check
	}{
		{
			name:       "one incident with actor and tooling",
			args:       []string{"extract", hack},
			wantOut:    []string{`"schema":"incidex/v1"`, `"name":"Marks & Spencer"`, `"name":"Scattered Spider"`, `"name":"DragonForce"`},
			wantRecord: 1,
		},
		{
			name:       "no incident gives an empty list",
			args:       []string{"extract", fire},
			wantOut:    []string{`"incidents":[]`},
			wantRecord: 1,
		},
		{
			name:       "failed input is an error record and exit 3",
			args:       []string{"extract", hack, empty},
			wantCode:   3,
			wantOut:    []string{`"error":"no article text found`},
			wantErr:    []string{"incidex: " + empty + ": no article text found"},
			wantRecord: 2,
		},
		{
			name:       "user rules extend the default pack",
			args:       []string{"extract", "--rules", goodRules, hack},
			wantOut:    []string{`"name":"Marks & Spencer"`},
			wantRecord: 1,
		},
		{
			name:       "bad rules name file and line of every problem",
			args:       []string{"extract", "--rules", badRules, hack},
			wantCode:   1,
			wantErr:    []string{"bad.yaml:4:", "wizard", "bad.yaml:5:", "colour"},
			wantRecord: 0,
		},
		{
			name:       "no default rules needs a pack",
			args:       []string{"extract", "--no-default-rules", hack},
			wantCode:   2,
			wantErr:    []string{"--no-default-rules needs at least one --rules pack"},
			wantRecord: 0,
		},
		{
			name:       "only the user pack",
			args:       []string{"extract", "--no-default-rules", "--rules", goodRules, hack},
			wantOut:    []string{`"incidents":[]`},
			wantRecord: 1,
		},
		{
			name:       "unknown format lists the command's own",
			args:       []string{"extract", "--format", "xml", hack},
			wantCode:   2,
			wantErr:    []string{"must be json, jsonl, text, csv, tsv, stix or stix-jsonl"},
			wantRecord: 0,
		},
		{
			name:       "missing rules path",
			args:       []string{"extract", "--rules", filepath.Join(dir, "nope.yaml"), hack},
			wantCode:   1,
			wantErr:    []string{"nope.yaml"},
			wantRecord: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: tt.args})
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(res.stdout, s) {
					t.Errorf("stdout lacks %s:\n%s", s, res.stdout)
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(res.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, res.stderr)
				}
			}
			lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
			if strings.TrimSpace(res.stdout) == "" {
				lines = nil
			}
			if tt.wantRecord >= 0 && len(lines) != tt.wantRecord {
				t.Errorf("%d lines on stdout, want %d:\n%s", len(lines), tt.wantRecord, res.stdout)
			}
			for _, l := range lines {
				var v map[string]any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Errorf("stdout line is not JSON: %v: %s", err, l)
				}
			}
		})
	}
}

// TestExtractFormats checks each output format of extract on a page with
// one incident, a page with none and a failed input.
func TestExtractFormats(t *testing.T) {
	dir := t.TempDir()
	hack := writeFile(t, dir, "hack.html", hackHTML)
	fire := writeFile(t, dir, "fire.html", fireHTML)
	empty := writeFile(t, dir, "empty.html", emptyHTML)
	inputs := []string{hack, fire, empty}

	t.Run("text is the default on a terminal", func(t *testing.T) {
		res := runCLI(t, cliRun{args: append([]string{"extract"}, inputs...), stdoutTTY: true})
		for _, want := range []string{
			"Marks & Spencer hit by cyber attack\n" + hack + "\n",
			"\n1. Marks & Spencer: confirmed (confidence ",
			"Scattered Spider (suspected)",
			"no incident reported\n",
		} {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
			}
		}
		if res.code != exitPartial || !strings.Contains(res.stderr, empty) {
			t.Errorf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
	t.Run("jsonl is the default in a pipe", func(t *testing.T) {
		res := runCLI(t, cliRun{args: []string{"extract", hack}})
		if !strings.HasPrefix(res.stdout, `{"schema":"incidex/v1"`) || strings.Count(res.stdout, "\n") != 1 {
			t.Errorf("stdout = %s", res.stdout)
		}
	})
	for _, format := range []string{"csv", "tsv"} {
		t.Run(format, func(t *testing.T) {
			res := runCLI(t, cliRun{args: append([]string{"extract", "--format", format}, inputs...), stdoutTTY: true})
			r := csv.NewReader(strings.NewReader(res.stdout))
			if format == "tsv" {
				r.Comma = '\t'
			}
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("%v in\n%s", err, res.stdout)
			}
			// the header and the one incident: a page without incidents
			// and a failed page have no row
			if len(rows) != 2 || !slices.Equal(rows[0], table.Columns) {
				t.Fatalf("rows = %q", rows)
			}
			row := map[string]string{}
			for i, c := range table.Columns {
				row[c] = rows[1][i]
			}
			if row["input"] != hack || row["victims"] != "Marks & Spencer" || row["status"] != "confirmed" ||
				!strings.Contains(row["actors"], "Scattered Spider") || !strings.Contains(row["tooling"], "DragonForce (ransomware)") {
				t.Errorf("row = %v", row)
			}
		})
	}
	t.Run("csv of no incident is the header alone", func(t *testing.T) {
		res := runCLI(t, cliRun{args: []string{"extract", "--format", "csv", fire}})
		if want := strings.Join(table.Columns, ",") + "\n"; res.stdout != want || res.code != exitOK {
			t.Errorf("exit %d, stdout %q, want %q", res.code, res.stdout, want)
		}
	})
	t.Run("stix is one bundle for the run", func(t *testing.T) {
		res := runCLI(t, cliRun{args: append([]string{"extract", "--format", "stix"}, inputs...)})
		var bundle struct {
			Type    string           `json:"type"`
			Objects []map[string]any `json:"objects"`
		}
		if err := json.Unmarshal([]byte(res.stdout), &bundle); err != nil {
			t.Fatalf("%v: %s", err, res.stdout)
		}
		types := map[string]int{}
		for _, o := range bundle.Objects {
			types[o["type"].(string)]++
		}
		// a page that reports no incident has nothing to report
		if bundle.Type != "bundle" || types["report"] != 1 || types["incident"] != 1 || types["intrusion-set"] != 2 {
			t.Errorf("bundle of %v", types)
		}
		if res.code != exitPartial {
			t.Errorf("exit %d", res.code)
		}
	})
	t.Run("stix-jsonl is one bundle an input", func(t *testing.T) {
		res := runCLI(t, cliRun{args: append([]string{"extract", "--format", "stix-jsonl"}, inputs...)})
		lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d lines, want a bundle for each page read:\n%s", len(lines), res.stdout)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, `{"type":"bundle"`) {
				t.Errorf("line is not a bundle: %.80s", l)
			}
		}
	})
	t.Run("-o writes the file, stdout stays empty", func(t *testing.T) {
		out := filepath.Join(dir, "out", "incidents.csv")
		res := runCLI(t, cliRun{args: []string{"extract", "--format", "csv", "-o", out, hack}, stdoutTTY: true})
		if !strings.Contains(res.stderr, "incidents.csv") || res.code != exitError {
			t.Errorf("a missing folder: exit %d, stderr %q", res.code, res.stderr)
		}
		out = filepath.Join(dir, "incidents.csv")
		res = runCLI(t, cliRun{args: []string{"extract", "--format", "csv", "-o", out, hack}, stdoutTTY: true})
		data, err := os.ReadFile(out)
		if err != nil || res.stdout != "" || res.code != exitOK || !strings.Contains(string(data), "Marks & Spencer") {
			t.Errorf("exit %d, stdout %q, file %q (%v)", res.code, res.stdout, data, err)
		}
		// without --format, a file gets jsonl whatever the terminal
		res = runCLI(t, cliRun{args: []string{"extract", "-o", out, hack}, stdoutTTY: true})
		data, _ = os.ReadFile(out)
		if !strings.HasPrefix(string(data), `{"schema":"incidex/v1"`) || strings.Count(string(data), "\n") != 1 {
			t.Errorf("-o without --format wrote %q", data)
		}
	})
	t.Run("-o and --resume are one too many", func(t *testing.T) {
		res := runCLI(t, cliRun{args: []string{"extract", "-o", filepath.Join(dir, "a"), "--resume", filepath.Join(dir, "b"), hack}})
		if res.code != exitUsage || !strings.Contains(res.stderr, "-o") {
			t.Errorf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
}

// TestExtractProvenance checks that a record says where its page came
// from: a download's final URL and fetch time, a web archive record's
// target URI and date, the page's canonical URL and language; a saved
// file has no URL and no fetch time.
func TestExtractProvenance(t *testing.T) {
	page := strings.Replace(hackHTML, "<title>", `<link rel="canonical" href="/news/ms-hack"><title>`, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/final" {
			http.Redirect(w, r, "/final", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	dir := t.TempDir()
	saved := writeFile(t, dir, "saved.html", page)
	crawl := writeFile(t, dir, "crawl.warc", warcResponse("https://news.example/ms", "200 OK", "text/html", page))

	before := time.Now().Add(-time.Second)
	res := runCLI(t, cliRun{args: []string{"extract", "--allow-private-networks", "-j", "1", srv.URL + "/start", crawl, saved}})
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var recs []record.Result
	for line := range strings.Lines(res.stdout) {
		var r record.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	fetched, err := time.Parse(time.RFC3339, recs[0].FetchedAt)
	if dl := recs[0]; dl.URL != srv.URL+"/final" || dl.CanonicalURL != srv.URL+"/news/ms-hack" || dl.Language != "en" ||
		err != nil || fetched.Before(before.Truncate(time.Second)) || fetched.After(time.Now()) {
		t.Errorf("download: url %q, canonical %q, language %q, fetched_at %q", dl.URL, dl.CanonicalURL, dl.Language, dl.FetchedAt)
	}
	if w := recs[1]; w.URL != "https://news.example/ms" || w.FetchedAt != "2024-05-01T10:00:00Z" || w.CanonicalURL != "https://news.example/news/ms-hack" {
		t.Errorf("web archive: url %q, fetched_at %q, canonical %q", w.URL, w.FetchedAt, w.CanonicalURL)
	}
	if f := recs[2]; f.URL != "" || f.FetchedAt != "" || f.Language != "en" {
		t.Errorf("saved file: url %q, fetched_at %q, language %q", f.URL, f.FetchedAt, f.Language)
	}
}
