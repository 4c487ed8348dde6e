package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/export/table"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/cli"
)

// runMergeCLI runs "incidex merge" through the command tree the way main
// does. The tree gets the merge command here when it lacks it, so that
// the test holds before and after root.go registers it.
func runMergeCLI(t *testing.T, stdin string, stdoutTTY bool, args ...string) cliResult {
	t.Helper()
	return runMergeCLIContext(t, context.Background(), stdin, stdoutTTY, args...)
}

// runMergeCLIContext is runMergeCLI under ctx.
func runMergeCLIContext(t *testing.T, ctx context.Context, stdin string, stdoutTTY bool, args ...string) cliResult {
	t.Helper()
	ios, in, out, errOut := cli.TestIOStreams()
	in.WriteString(stdin)
	ios.SetStdoutTTY(stdoutTTY)
	f := &Factory{IOStreams: ios, Version: "v0.0.0-test", Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }}
	root := NewCmdRoot(f)
	if c, _, err := root.Find([]string{"merge"}); err != nil || c == root {
		root.AddCommand(NewCmdMerge(f, nil))
	}
	root.SetArgs(append([]string{"merge"}, args...))
	cmd, err := root.ExecuteContextC(ctx)
	if cmd == nil {
		cmd = root
	}
	code := exitStatus(ctx, ios, cmd, err)
	return cliResult{stdout: out.String(), stderr: errOut.String(), code: code}
}

// mergeRecord is a record of one incident at victim (a name and aliases
// joined by "|"), published on day, by an actor ("Name:attribution").
func mergeRecord(name, published, victim string, actors ...string) *record.Result {
	parts := strings.Split(victim, "|")
	inc := record.Incident{
		ID: "inc-" + name, Status: "confirmed", Confidence: 0.8,
		Victims: []record.Victim{{Name: parts[0], Aliases: append([]string{}, parts[1:]...), Sector: "retail", Country: "GB", Confidence: 0.9,
			Evidence: []record.Evidence{{Rule: "victim.hit", Text: parts[0] + " was hit by a cyber attack.", Start: 0, End: 40}}}},
		Actors: []record.Actor{}, Tooling: []record.Tool{}, Impacts: []record.Impact{}, Responders: []record.Responder{}, Indicators: []record.Indicator{},
	}
	for _, a := range actors {
		n, att, _ := strings.Cut(a, ":")
		inc.Actors = append(inc.Actors, record.Actor{Name: n, Aliases: []string{}, Kind: "group", Attribution: att,
			Evidence: []record.Evidence{{Rule: "actor", Text: n + " claimed the attack.", Start: 41, End: 70}}})
	}
	return &record.Result{Schema: record.SchemaVersion, Input: name + ".html", URL: "https://news.example/" + name,
		Title: parts[0] + " hit", Site: "Example", Published: published, Incidents: []record.Incident{inc}}
}

// recordsJSONL encodes records one a line.
func recordsJSONL(t *testing.T, records ...*record.Result) string {
	t.Helper()
	var b strings.Builder
	for _, r := range records {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

// mergedLines decodes JSONL merged incidents.
func mergedLines(t *testing.T, out string) []record.Merged {
	t.Helper()
	var list []record.Merged
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var m record.Merged
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a merged incident: %v: %s", err, line)
		}
		list = append(list, m)
	}
	return list
}

func TestMergeCommand(t *testing.T) {
	dir := t.TempDir()
	ms1 := mergeRecord("bbc", "2025-04-22", "Marks & Spencer|M&S")
	ms2 := mergeRecord("ft", "2025-04-25", "M&S", "DragonForce:claimed")
	coop := mergeRecord("guardian", "2025-04-30", "the Co-op")
	coop2 := mergeRecord("sky", "2025-05-02", "Co-operative Group")
	day1 := writeFile(t, dir, "day1.jsonl", recordsJSONL(t, ms1, coop)+`{"input":"gone.html","error":"no such file"}`+"\n")
	day2 := writeFile(t, dir, "day2.jsonl", recordsJSONL(t, ms2, coop2)+"this line is no record\n")
	html := writeFile(t, dir, "page.html", "<html><body>news</body></html>\n")
	folder := filepath.Join(dir, "folder")
	if err := os.MkdirAll(filepath.Join(folder, ".hidden"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, folder, "a.jsonl", recordsJSONL(t, ms1, coop))
	writeFile(t, folder, "notes.txt", "not read")
	writeFile(t, filepath.Join(folder, ".hidden"), "x.jsonl", "garbage")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(recordsJSONL(t, ms2, coop2)))
	zw.Close()
	writeFile(t, folder, "b.jsonl.gz", gz.String())
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)

	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
		incident int // merged incidents on stdout (jsonl), -1 to skip
	}{
		{
			name: "two files, two incidents", args: []string{day1, day2}, incident: 2,
			wantOut: []string{`"schema":"incidex-merged/v1"`, `"name":"Marks & Spencer","aliases":["M&S"]`, `"attribution":"claimed","attribution_source":"s2"`, `"block_key":"m"`},
			wantErr: []string{"day2.jsonl: skipped 1 line that is not incidex records (first: line 3: not a JSON object)", "skipped 1 error record"},
		},
		{
			name: "stdin by default", stdin: recordsJSONL(t, ms1, ms2), incident: 1,
		},
		{
			name: "a folder: .jsonl and gzip, hidden files skipped", args: []string{folder}, incident: 2,
		},
		{
			name: "a missing file among good ones", args: []string{day1, filepath.Join(dir, "missing.jsonl")}, wantCode: 3, incident: 2,
			wantErr: []string{"missing.jsonl: no such file or directory"},
		},
		{
			name: "only missing files", args: []string{filepath.Join(dir, "missing.jsonl")}, wantCode: 1, incident: 0,
			wantErr: []string{"missing.jsonl: no such file or directory"},
		},
		{
			name: "an HTML page", args: []string{html}, wantCode: 1, incident: 0,
			wantErr: []string{"page.html: not incidex JSONL records (line 1: not a JSON object)"},
		},
		{
			name: "binary junk on stdin", stdin: "\x00\x01\x02\xff\xfe\n\x89PNG", wantCode: 1, incident: 0,
			wantErr: []string{"incidex: -: not incidex JSONL records (line 1: not a JSON object)"},
		},
		{
			name: "a folder without records", args: []string{empty}, wantCode: 1, incident: 0,
			wantErr: []string{"empty: no .jsonl, .ndjson, .json files in the folder"},
		},
		{
			name: "a short window splits", args: []string{"--window", "1d", day1, day2}, incident: 4,
		},
		{
			name: "a bad window", args: []string{"--window", "soon", day1}, wantCode: 2, incident: -1,
			wantErr: []string{`"soon" is not a duration`, "incidex merge --help"},
		},
		{
			name: "stdin twice", args: []string{"-", "-"}, wantCode: 2, incident: -1,
			wantErr: []string{`"-" (stdin) may be given only once`},
		},
		{
			name: "no rules at all", args: []string{"--no-default-rules", day1}, wantCode: 2, incident: -1,
			wantErr: []string{"--no-default-rules needs at least one --rules pack"},
		},
		{
			name: "csv", args: []string{"--format", "csv", day1, day2}, incident: -1,
			wantOut: []string{strings.Join(table.MergedColumns, ",") + "\n", ",m,", "DragonForce: claimed (s2)"},
		},
		{
			name: "text", args: []string{"--format", "text", day1, day2}, incident: -1,
			wantOut: []string{"Marks & Spencer: confirmed, reported 2025-04-22 to 2025-04-25 by 2 sources", "   sources:   s1 2025-04-22 Example: Marks & Spencer hit <https://news.example/bbc>"},
		},
		{
			name: "stix", args: []string{"--format", "stix", day1, day2}, incident: -1,
			wantOut: []string{`"type":"bundle"`, `"type":"report"`, `"x_incidex_sources"`, `"report_ref":"report--`},
		},
		{
			name: "units", args: []string{"--format", "units", day1}, incident: -1,
			wantOut: []string{`{"schema":"incidex-unit/v1","block_key":"m"`, `"block_key":"c"`},
		},
		{
			name: "help lists the exit statuses", args: []string{"--help"}, incident: -1,
			wantOut: []string{"Exit status:", "3    some inputs could not be read", "--window duration"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runMergeCLI(t, tt.stdin, false, tt.args...)
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(res.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, res.stdout)
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(res.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, res.stderr)
				}
			}
			if tt.incident >= 0 {
				if got := len(mergedLines(t, res.stdout)); got != tt.incident {
					t.Errorf("%d merged incidents, want %d:\n%s", got, tt.incident, res.stdout)
				}
			}
			if strings.Contains(res.stderr, "goroutine") || strings.Contains(res.stderr, "panic") {
				t.Errorf("stderr shows a crash:\n%s", res.stderr)
			}
		})
	}
}

// TestMergeDeterministic wants the same bytes whatever the order of the
// inputs and their lines, and through a partitioned run: units split,
// merged per block key and sorted.
func TestMergeDeterministic(t *testing.T) {
	dir := t.TempDir()
	records := []*record.Result{
		mergeRecord("a", "2025-04-22", "Marks & Spencer|M&S"),
		mergeRecord("b", "2025-04-25", "M&S", "DragonForce:claimed"),
		mergeRecord("c", "2025-04-30", "the Co-op"),
		mergeRecord("d", "2025-05-02", "Co-operative Group"),
		mergeRecord("e", "2025-05-02", "Harrods"),
		mergeRecord("f", "", "Harrods"),
	}
	one := writeFile(t, dir, "one.jsonl", recordsJSONL(t, records...))
	two := writeFile(t, dir, "two.jsonl", recordsJSONL(t, records[5], records[3], records[1])+recordsJSONL(t, records[4], records[0], records[2]))
	first := runMergeCLI(t, "", false, one)
	second := runMergeCLI(t, "", false, two)
	again := runMergeCLI(t, "", false, two, one) // every article twice
	if first.code != 0 || first.stdout == "" || first.stdout != second.stdout || first.stdout != again.stdout {
		t.Fatalf("outputs differ:\n%s\n---\n%s\n---\n%s", first.stdout, second.stdout, again.stdout)
	}

	units := runMergeCLI(t, "", false, "--format", "units", one)
	parts := map[string]*strings.Builder{}
	for _, line := range strings.Split(strings.TrimSpace(units.stdout), "\n") {
		var u struct {
			BlockKey string `json:"block_key"`
		}
		if err := json.Unmarshal([]byte(line), &u); err != nil {
			t.Fatal(err)
		}
		if parts[u.BlockKey] == nil {
			parts[u.BlockKey] = &strings.Builder{}
		}
		parts[u.BlockKey].WriteString(line + "\n")
	}
	var all []record.Merged
	for key, p := range parts {
		res := runMergeCLI(t, p.String(), false, "-")
		if res.code != 0 {
			t.Fatalf("partition %s: exit %d: %s", key, res.code, res.stderr)
		}
		all = append(all, mergedLines(t, res.stdout)...)
	}
	if len(parts) < 3 {
		t.Errorf("%d partitions, want one per block key (m, c, h)", len(parts))
	}
	want := mergedLines(t, first.stdout)
	if len(all) != len(want) {
		t.Fatalf("partitioned: %d incidents, whole: %d", len(all), len(want))
	}
	byID := map[string]record.Merged{}
	for _, m := range all {
		byID[m.ID] = m
	}
	for _, m := range want {
		a, _ := json.Marshal(m)
		b, _ := json.Marshal(byID[m.ID])
		if !bytes.Equal(a, b) {
			t.Errorf("incident %s differs when merged by partition:\n%s\n%s", m.ID, a, b)
		}
	}
}

func TestMergeOutputFile(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.jsonl", recordsJSONL(t, mergeRecord("a", "2025-04-22", "Harrods")))
	out := filepath.Join(dir, "out.tsv")
	res := runMergeCLI(t, "", true, "--format", "tsv", "-o", out, in)
	if res.code != 0 || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = '\t'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 || len(rows[1]) != len(table.MergedColumns) || rows[1][7] != "Harrods" {
		t.Errorf("rows %q, %v", rows, err)
	}
	if res := runMergeCLI(t, "", false, "-o", filepath.Join(dir, "no", "such", "dir", "x"), in); res.code != 1 || !strings.Contains(res.stderr, "incidex: -o: open") {
		t.Errorf("unwritable -o: exit %d, stderr %q", res.code, res.stderr)
	}
	// On a terminal the default is text.
	if res := runMergeCLI(t, "", true, in); !strings.HasPrefix(res.stdout, "Harrods: confirmed, reported 2025-04-22 by 1 source") {
		t.Errorf("terminal output:\n%s", res.stdout)
	}
}

// TestMergeInterrupted cancels the run as Ctrl-C does: exit 130, nothing
// half written.
func TestMergeInterrupted(t *testing.T) {
	var records []*record.Result
	for i := range 2000 {
		records = append(records, mergeRecord("a"+strconv.Itoa(i), "2025-04-22", "Victim "+strconv.Itoa(i%300)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := runMergeCLIContext(t, ctx, recordsJSONL(t, records...), false)
	if res.code != exitInterrupted || !strings.Contains(res.stderr, "incidex: interrupted") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
	if res.stdout != "" && !strings.HasSuffix(res.stdout, "\n") {
		t.Errorf("a half-written line: %q", res.stdout[max(0, len(res.stdout)-80):])
	}
}

func TestWindowFlag(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"60d", 60 * 24 * time.Hour, true},
		{"8w", 56 * 24 * time.Hour, true},
		{"1.5d", 36 * time.Hour, true},
		{"720h", 720 * time.Hour, true},
		{"0d", 0, false},
		{"-3d", 0, false},
		{"d", 0, false},
		{"1e300d", 0, false},
		{"NaNd", 0, false},
		{"Infw", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var w windowFlag
			err := w.Set(tt.in)
			if (err == nil) != tt.ok || (tt.ok && time.Duration(w) != tt.want) {
				t.Errorf("Set(%q) = %v, %v; want %v, ok %v", tt.in, time.Duration(w), err, tt.want, tt.ok)
			}
		})
	}
}
