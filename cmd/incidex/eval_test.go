package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/internal/score"
)

// waterHTML reports an attempted attack with an actor, a technique, a CVE
// and a ransomware brand.
var waterHTML = articleHTML("Hackers tried to breach Hartwell Water, company says",
	"Hartwell Water said on Monday that hackers had tried to gain access to the systems that control its pumping stations, but that the attack was blocked before any harm was done.",
	"The company said the attackers sent phishing emails to engineers and tried to exploit CVE-2023-27997, a flaw in Fortinet firewalls, and that the LockBit ransomware gang had claimed responsibility on its leak site.",
	"Customers' water supplies were not affected, and the company said it had informed the National Cyber Security Centre, which is helping it to review its defences.")

// evalGold labels water.html, hack.html (hackHTML), missing.html (not in
// the pages folder) and fire.html (no incident), in an order that is not
// the pages' sorted order.
const evalGold = `{"page": "water.html", "incidents": [{"victims": ["Hartwell Water|Hartwell"], "actors": ["LockBit|LockBit 3.0"], "tooling": ["phishing|spear-phishing", "CVE-2023-27997|FortiOS flaw", "LockBit"], "impacts": [], "status": "attempted"}]}
{"page": "hack.html", "incidents": [{"victims": ["Marks and Spencer|M&S"], "actors": ["Scattered Spider|UNC3944", "ShinyHunters"], "tooling": ["DragonForce"], "impacts": ["availability"], "status": "confirmed"}], "optional": {"actors": ["DragonForce"]}}
{"page": "missing.html", "incidents": [{"victims": ["Acme Bank"], "actors": [], "tooling": [], "impacts": ["confidentiality"]}]}

{"page": "fire.html", "incidents": [], "notes": "no attack"}
`

// evalFixture writes the gold file and the pages of evalGold and returns
// their paths.
func evalFixture(t *testing.T) (gold, pages string) {
	t.Helper()
	dir := t.TempDir()
	pages = filepath.Join(dir, "pages")
	if err := os.Mkdir(pages, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, pages, "water.html", waterHTML)
	writeFile(t, pages, "hack.html", hackHTML)
	writeFile(t, pages, "fire.html", fireHTML)
	return writeFile(t, dir, "gold.jsonl", evalGold), pages
}

func TestEvalText(t *testing.T) {
	gold, pages := evalFixture(t)
	// victims: Hartwell Water and M&S found, Acme Bank (page missing) not.
	// actors: LockBit and Scattered Spider found, ShinyHunters missed;
	// DragonForce is optional. tooling: all four found, plus the Fortinet
	// vulnerability's name beside its CVE id. impacts: hack.html reports
	// integrity where the gold says availability; missing.html's
	// confidentiality is missed. Linkage and status: 2 of 3.
	want := `victims   P=1.000 R=0.667 F1=0.800  (tp=2 fp=0 fn=1)
actors    P=1.000 R=0.667 F1=0.800  (tp=2 fp=0 fn=1)
tooling   P=0.800 R=1.000 F1=0.889  (tp=4 fp=1 fn=0)
impacts   P=0.000 R=0.000 F1=0.000  (tp=0 fp=1 fn=2)
linkage=0.667 status=0.667 nonincident_clean=1/1 missing_pages=1 bad_lines=0
macro_f1=0.83
  hack.html: missed actor 'shinyhunters'
  hack.html: actor 'shinyhunters' not linked to victim 'marks and spencer'
  missing.html: no output: not found in ` + pages + `
  missing.html: missed victim 'acme bank'
  water.html: extra tool 'fortinet fortios ssl vpn vulnerability'
`
	for _, jobs := range []string{"1", "4"} {
		t.Run("j"+jobs, func(t *testing.T) {
			res := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages, "-j", jobs}})
			if res.code != exitOK {
				t.Errorf("exit %d, want 0; stderr:\n%s", res.code, res.stderr)
			}
			if res.stdout != want {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, want)
			}
			if wantErr := "incidex: missing.html: not found in " + pages + "\n"; res.stderr != wantErr {
				t.Errorf("stderr = %q, want %q", res.stderr, wantErr)
			}
		})
	}
}

func TestEvalJSON(t *testing.T) {
	gold, pages := evalFixture(t)
	res := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages, "--format", "json"}})
	if res.code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", res.code, res.stderr)
	}
	if n := strings.Count(res.stdout, "\n"); n != 1 || !strings.HasSuffix(res.stdout, "}\n") {
		t.Errorf("want one JSON line off a terminal, got %d lines:\n%s", n, res.stdout)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, res.stdout)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	wantKeys := []string{"actors", "bad_lines", "details", "impacts", "linkage", "macro_f1", "missing_pages", "nonincident_clean", "pages", "status", "tooling", "victims"}
	if !sameSet(keys, wantKeys) {
		t.Errorf("keys %v, want %v", keys, wantKeys)
	}
	for _, f := range []string{"victims", "actors", "tooling", "impacts"} {
		m, ok := got[f].(map[string]any)
		if !ok {
			t.Errorf("%s is %T, want an object", f, got[f])
			continue
		}
		var fk []string
		for k := range m {
			fk = append(fk, k)
		}
		if !sameSet(fk, []string{"p", "r", "f", "tp", "fp", "fn"}) {
			t.Errorf("%s has keys %v", f, fk)
		}
	}
	checks := map[string]any{
		"pages":             4.0,
		"missing_pages":     1.0,
		"bad_lines":         0.0,
		"linkage":           0.667,
		"status":            0.667,
		"nonincident_clean": "1/1",
		"macro_f1":          0.83,
		"victims":           map[string]any{"p": 1.0, "r": 0.667, "f": 0.8, "tp": 2.0, "fp": 0.0, "fn": 1.0},
		"tooling":           map[string]any{"p": 0.8, "r": 1.0, "f": 0.889, "tp": 4.0, "fp": 1.0, "fn": 0.0},
	}
	for k, want := range checks {
		if !reflect.DeepEqual(got[k], want) {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	details, ok := got["details"].([]any)
	if !ok || len(details) != 5 {
		t.Fatalf("details = %v, want 5 strings", got["details"])
	}
	if details[0] != "hack.html: missed actor 'shinyhunters'" || details[4] != "water.html: extra tool 'fortinet fortios ssl vpn vulnerability'" {
		t.Errorf("details not sorted by page: %v", details)
	}

	// A perfect page still has a details list, empty rather than null.
	onlyFire := writeFile(t, t.TempDir(), "gold.jsonl", `{"page": "fire.html", "incidents": []}`)
	res = runCLI(t, cliRun{args: []string{"eval", "--gold", onlyFire, "--pages", pages, "--format", "json"}})
	if res.code != exitOK || !strings.Contains(res.stdout, `"details":[]`) || !strings.Contains(res.stdout, `"pages":1`) {
		t.Errorf("exit %d, stdout %s", res.code, res.stdout)
	}
}

func TestEvalInterrupted(t *testing.T) {
	gold, pages := evalFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages}, ctx: ctx})
	if res.code != exitInterrupted || res.stdout != "" {
		t.Errorf("exit %d, stdout %q; want 130 and nothing", res.code, res.stdout)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return true
}

// TestEvalPredictions scores records extracted before: the records of
// "incidex extract" over the pages must score as eval --pages does, a gold
// page without a record is reported as such, and lines that are not JSON
// count as bad lines.
func TestEvalPredictions(t *testing.T) {
	gold, pages := evalFixture(t)
	ext := runCLI(t, cliRun{args: []string{"extract", "-q", "--format", "jsonl", pages}})
	if ext.code != exitOK {
		t.Fatalf("extract: exit %d; stderr:\n%s", ext.code, ext.stderr)
	}
	dir := t.TempDir()
	preds := writeFile(t, dir, "run.jsonl", ext.stdout+"not json\n")
	viaPages := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages, "--format", "json"}})
	viaPreds := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--predictions", preds, "--format", "json"}})
	if viaPreds.code != exitOK || viaPreds.stderr != "" {
		t.Fatalf("eval --predictions: exit %d; stderr:\n%s", viaPreds.code, viaPreds.stderr)
	}
	var a, b map[string]any
	if err := json.Unmarshal([]byte(viaPages.stdout), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(viaPreds.stdout), &b); err != nil {
		t.Fatal(err)
	}
	if b["bad_lines"] != 1.0 {
		t.Errorf("bad_lines = %v, want 1", b["bad_lines"])
	}
	if want := "missing.html: no output: no record in " + preds; !slices.Contains(anyStrings(b["details"]), want) {
		t.Errorf("details lack %q: %v", want, b["details"])
	}
	for _, k := range []string{"victims", "actors", "tooling", "impacts", "linkage", "status", "macro_f1", "missing_pages"} {
		if !reflect.DeepEqual(a[k], b[k]) {
			t.Errorf("%s: --pages gives %v, --predictions %v", k, a[k], b[k])
		}
	}

	// A gold page in a subfolder is found by its base name, as the
	// script finds it.
	subGold := writeFile(t, dir, "sub-gold.jsonl", strings.Replace(evalGold, `"page": "water.html"`, `"page": "sub/water.html"`, 1))
	viaSub := runCLI(t, cliRun{args: []string{"eval", "--gold", subGold, "--predictions", preds}})
	if !strings.HasPrefix(viaSub.stdout, "victims   P=1.000 R=0.667") || strings.Contains(viaSub.stdout, "sub/water.html: no output") {
		t.Errorf("a gold page in a subfolder was not scored:\n%s", viaSub.stdout)
	}

	for _, tt := range []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"with --pages", []string{"--pages", pages, "--predictions", preds}, exitUsage, "--pages and --predictions exclude each other"},
		{"with --rules", []string{"--predictions", preds, "--rules", gold}, exitUsage, "--rules and --no-default-rules are for extracting --pages"},
		{"missing file", []string{"--predictions", filepath.Join(dir, "nope.jsonl")}, exitError, "--predictions: open " + filepath.Join(dir, "nope.jsonl")},
		{"a record that is not an object", []string{"--predictions", writeFile(t, dir, "bad.jsonl", "[1, 2]\n")}, exitError, "bad.jsonl:1: record is"},
		{"no page has a record", []string{"--predictions", writeFile(t, dir, "other.jsonl", `{"input": "x/other.html", "incidents": []}`+"\n")}, exitError, "none of the pages of " + gold + " has a record in"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: append([]string{"eval", "--gold", gold}, tt.args...)})
			if res.code != tt.code || !strings.Contains(res.stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", res.code, res.stderr, tt.code, tt.wantErr)
			}
		})
	}
}

// anyStrings returns the strings of a decoded JSON array.
func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestEvalErrors(t *testing.T) {
	gold, pages := evalFixture(t)
	dir := t.TempDir()
	badGold := writeFile(t, dir, "bad-gold.jsonl", `{"page": "hack.html", "incidents": []}`+"\n\n"+`{"page": "fire.html", "incidents": [}`+"\n")
	emptyGold := writeFile(t, dir, "empty.jsonl", "\n\n")
	nowhereGold := writeFile(t, dir, "nowhere.jsonl", `{"page": "a.html", "incidents": []}`+"\n"+`{"page": "b.html", "incidents": []}`+"\n")
	badRules := writeFile(t, dir, "bad.yaml", "actors:\n  - id: actor.x\n    name: X\n    kind: wizard\n    colour: red\n")

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string
		wantOut  string // a substring of stdout; "" means stdout must be empty
	}{
		{"missing --gold", []string{"eval", "--pages", pages}, exitUsage, []string{"--gold is required", "incidex eval --help"}, ""},
		{"missing --pages", []string{"eval", "--gold", gold}, exitUsage, []string{"--pages or --predictions is required"}, ""},
		{"no flags at all", []string{"eval"}, exitUsage, []string{"--gold is required"}, ""},
		{"positional argument", []string{"eval", "--gold", gold, "--pages", pages, "page.html"}, exitUsage, []string{`unexpected argument "page.html"`}, ""},
		{"jsonl is not a format here", []string{"eval", "--gold", gold, "--pages", pages, "--format", "jsonl"}, exitUsage, []string{"--format must be text or json"}, ""},
		{"zero jobs", []string{"eval", "--gold", gold, "--pages", pages, "-j", "0"}, exitUsage, []string{"-j must be at least 1"}, ""},
		{"no default rules alone", []string{"eval", "--gold", gold, "--pages", pages, "--no-default-rules"}, exitUsage, []string{"--no-default-rules needs"}, ""},
		{"gold file missing", []string{"eval", "--gold", filepath.Join(dir, "nope.jsonl"), "--pages", pages}, exitError, []string{"gold file: open " + filepath.Join(dir, "nope.jsonl") + ": no such file"}, ""},
		{"gold line not JSON", []string{"eval", "--gold", badGold, "--pages", pages}, exitError, []string{"incidex: " + badGold + ":3: "}, ""},
		{"gold without pages", []string{"eval", "--gold", emptyGold, "--pages", pages}, exitError, []string{emptyGold + ": no labelled pages"}, ""},
		{"pages folder missing", []string{"eval", "--gold", gold, "--pages", filepath.Join(dir, "nope")}, exitError, []string{"--pages: stat " + filepath.Join(dir, "nope")}, ""},
		{"pages is a file", []string{"eval", "--gold", gold, "--pages", gold}, exitError, []string{"is not a folder"}, ""},
		{"bad rules name file and line", []string{"eval", "--gold", gold, "--pages", pages, "--rules", badRules}, exitError, []string{"bad.yaml:4:", "wizard", "bad.yaml:5:", "colour"}, ""},
		{"no page readable", []string{"eval", "--gold", nowhereGold, "--pages", pages}, exitError,
			[]string{"incidex: a.html: not found in", "none of the 2 pages of " + nowhereGold + " could be read from " + pages},
			"missing_pages=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: tt.args})
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(res.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, res.stderr)
				}
			}
			if tt.wantOut == "" && res.stdout != "" || !strings.Contains(res.stdout, tt.wantOut) {
				t.Errorf("stdout = %q, want it to hold %q", res.stdout, tt.wantOut)
			}
		})
	}
}

// TestEvalSizeCaps reads gold and predictions files under caps lowered to
// the size of the test files: one byte more is refused, naming the file.
func TestEvalSizeCaps(t *testing.T) {
	gold, _ := evalFixture(t)
	preds := writeFile(t, t.TempDir(), "run.jsonl", `{"input": "water.html", "incidents": []}`+"\n")
	size := func(p string) int64 {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	g, p := size(gold), size(preds)
	tests := []struct {
		name  string
		read  func(limit int64) error
		limit int64
		want  string // the error; empty for none
	}{
		{name: "gold at the cap", read: readGold(gold), limit: g},
		{name: "gold one byte over", read: readGold(gold), limit: g - 1,
			want: fmt.Sprintf("%s: larger than the %d bytes limit for a gold file", gold, g-1)},
		{name: "predictions at the cap", read: readPreds(preds), limit: p},
		{name: "predictions one byte over", read: readPreds(preds), limit: p - 1,
			want: fmt.Sprintf("--predictions: %s: larger than the %d bytes limit for a predictions file; score it in parts", preds, p-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.limit)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("read: %v", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("read error %v, want %s", err, tt.want)
			}
		})
	}
}

func readGold(path string) func(int64) error {
	return func(limit int64) error { _, err := readGoldFile(path, limit); return err }
}

func readPreds(path string) func(int64) error {
	return func(limit int64) error { _, _, err := readPredictionsFile(path, limit); return err }
}

// TestEvalGoldEndless gives eval a gold file without an end: reading
// stops one byte past the real cap.
func TestEvalGoldEndless(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	_, pages := evalFixture(t)
	res := runCLI(t, cliRun{args: []string{"eval", "--gold", "/dev/zero", "--pages", pages}})
	want := "incidex: /dev/zero: larger than the 32 MiB limit for a gold file\n"
	if res.code != exitError || res.stderr != want {
		t.Errorf("exit %d, stderr %q; want exit %d, %q", res.code, res.stderr, exitError, want)
	}
}

// TestEvalCorpus runs eval on ../shared/corpus and checks it against the
// path of ../shared/tools/incident-score: the records of "incidex extract
// --format jsonl" over the pages, read back by score.ReadPredictions
// and scored. The figures and details must be the same, and victims, actors
// and tooling must keep the floor of extract.TestCorpusQualityFloor.
func TestEvalCorpus(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	gold, pages := filepath.Join(corpus, "gold.jsonl"), filepath.Join(corpus, "pages")
	if _, err := os.Stat(gold); err != nil {
		t.Skipf("labelled corpus not found: %v", err)
	}
	res := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages, "--format", "json"}})
	if res.code != exitOK {
		t.Fatalf("eval: exit %d; stderr:\n%s", res.code, res.stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
		t.Fatal(err)
	}

	ext := runCLI(t, cliRun{args: []string{"extract", "-q", "--format", "jsonl", pages}})
	if ext.code != exitOK {
		t.Fatalf("extract: exit %d; stderr:\n%s", ext.code, ext.stderr)
	}
	gf, err := os.Open(gold)
	if err != nil {
		t.Fatal(err)
	}
	defer gf.Close()
	labels, err := score.ReadGold(gf)
	if err != nil {
		t.Fatal(err)
	}
	preds, bad, err := score.ReadPredictions(strings.NewReader(ext.stdout))
	if err != nil {
		t.Fatal(err)
	}
	want := score.Score(labels, preds)
	want.BadLines = bad
	wantJSON := want.JSON()
	wantJSON["pages"] = len(labels)
	wantJSON["details"] = want.Details // gold order; sorted below
	b, err := json.Marshal(wantJSON)
	if err != nil {
		t.Fatal(err)
	}
	var wantObj map[string]any
	if err := json.Unmarshal(b, &wantObj); err != nil {
		t.Fatal(err)
	}
	gotDetails, _ := got["details"].([]any)
	wantDetails, _ := wantObj["details"].([]any)
	if g, w := sortedStrings(gotDetails), sortedStrings(wantDetails); !slices.Equal(g, w) {
		t.Errorf("details %v, want %v", gotDetails, wantDetails)
	}
	delete(got, "details")
	delete(wantObj, "details")
	if !reflect.DeepEqual(got, wantObj) {
		t.Errorf("eval figures:\n%v\nscorer on extract output:\n%v", got, wantObj)
	}

	for _, f := range []string{"victims", "actors", "tooling"} {
		m := got[f].(map[string]any)
		for _, k := range []string{"p", "r"} {
			if v := m[k].(float64); v < 0.9 {
				t.Errorf("%s %s = %.3f, under 0.9", f, k, v)
			}
		}
	}
	if got["missing_pages"] != 0.0 {
		t.Errorf("missing_pages = %v", got["missing_pages"])
	}
}

func sortedStrings(v []any) []string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i], _ = x.(string)
	}
	slices.Sort(s)
	return s
}
