package main

import (
	"context"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/incidex/incidex/internal/cli"
)

// evalRecallPreds are hand-written records for the pages of evalGold, so
// that the figures below do not depend on what extraction finds. Against
// evalGold: every label found but Acme Bank (missing.html has no record),
// ShinyHunters and both impact kinds; one extra tool on water.html, an
// unlinked ShinyHunters and an incident on fire.html, which has none.
const evalRecallPreds = `{"input": "pages/water.html", "incidents": [{"status": "attempted", "victims": [{"name": "Hartwell Water"}], "actors": [{"name": "LockBit"}], "tooling": [{"name": "phishing"}, {"name": "CVE-2023-27997"}, {"name": "LockBit"}, {"name": "Fortinet FortiOS SSL VPN vulnerability"}], "impacts": []}]}
{"input": "pages/hack.html", "incidents": [{"status": "confirmed", "victims": [{"name": "Marks and Spencer"}], "actors": [{"name": "Scattered Spider"}], "tooling": [{"name": "DragonForce"}], "impacts": [{"kind": "integrity"}]}]}
{"input": "pages/fire.html", "incidents": [{"status": "confirmed", "victims": [{"name": "Northside Warehousing"}], "actors": [], "tooling": [], "impacts": []}]}
`

// TestEvalRecallOnly checks that --recall-only scores every page for recall
// alone, in its own block with misses only among the details, and that
// gold lines marked "exhaustive": false are scored the same way.
func TestEvalRecallOnly(t *testing.T) {
	dir := t.TempDir()
	gold := writeFile(t, dir, "gold.jsonl", evalGold)
	preds := writeFile(t, dir, "run.jsonl", evalRecallPreds)
	want := `no exhaustive gold: every page is recall-only, so there is no precision, F1, macro_f1, linkage, status or nonincident_clean
missing_pages=1 bad_lines=0
recall-only (4 pages, gold not exhaustive):
victims   R=0.667  (tp=2 fn=1)
actors    R=0.667  (tp=2 fn=1)
tooling   R=1.000  (tp=4 fn=0)
impacts   R=0.000  (tp=0 fn=2)
  hack.html: missed actor 'shinyhunters'
  missing.html: no output: no record in ` + preds + `
  missing.html: missed victim 'acme bank'
`
	res := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--predictions", preds, "--recall-only"}})
	if res.code != exitOK || res.stderr != "" {
		t.Errorf("exit %d, want 0; stderr:\n%s", res.code, res.stderr)
	}
	if res.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, want)
	}

	// The same run marked line by line instead of by the flag.
	marked := writeFile(t, dir, "marked.jsonl", strings.ReplaceAll(evalGold, `{"page": `, `{"exhaustive": false, "page": `))
	if res := runCLI(t, cliRun{args: []string{"eval", "--gold", marked, "--predictions", preds}}); res.stdout != want {
		t.Errorf(`"exhaustive": false on every line gives:`+"\n%s\nwant:\n%s", res.stdout, want)
	}

	res = runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--predictions", preds, "--recall-only", "--format", "json"}})
	var got map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, res.stdout)
	}
	checks := map[string]any{
		"pages":            4.0,
		"exhaustive_pages": 0.0,
		"missing_pages":    1.0,
		"bad_lines":        0.0,
		"recall_only": map[string]any{
			"pages":   4.0,
			"victims": map[string]any{"r": 0.667, "tp": 2.0, "fn": 1.0},
			"actors":  map[string]any{"r": 0.667, "tp": 2.0, "fn": 1.0},
			"tooling": map[string]any{"r": 1.0, "tp": 4.0, "fn": 0.0},
			"impacts": map[string]any{"r": 0.0, "tp": 0.0, "fn": 2.0},
		},
		"details": []any{"hack.html: missed actor 'shinyhunters'", "missing.html: no output: no record in " + preds, "missing.html: missed victim 'acme bank'"},
	}
	// With no exhaustive page, the figures that need one are null, not 0.
	for _, k := range []string{"victims", "actors", "tooling", "impacts", "linkage", "status", "nonincident_clean", "macro_f1"} {
		checks[k] = nil
	}
	for k, want := range checks {
		if v, ok := got[k]; !ok || !reflect.DeepEqual(v, want) {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	if len(got) != len(checks) {
		t.Errorf("JSON has %d keys, want %d: %v", len(got), len(checks), got)
	}
}

// TestEvalRecallOnlyMixed marks two of the four gold lines not exhaustive:
// the main block must be that of the other two alone, and the marked
// pages' extra finds, unlinked actor and unclean non-incident page must
// count nowhere.
func TestEvalRecallOnlyMixed(t *testing.T) {
	dir := t.TempDir()
	preds := writeFile(t, dir, "run.jsonl", evalRecallPreds)
	var mixed, exhaustive []string
	for _, line := range strings.Split(strings.TrimSpace(evalGold), "\n") {
		switch {
		case strings.Contains(line, `"hack.html"`), strings.Contains(line, `"fire.html"`):
			line = strings.Replace(line, `{"page"`, `{"exhaustive": false, "page"`, 1)
		case strings.Contains(line, `"page"`):
			exhaustive = append(exhaustive, line)
		}
		mixed = append(mixed, line)
	}
	mixedGold := writeFile(t, dir, "mixed.jsonl", strings.Join(mixed, "\n")+"\n")
	exhaustiveGold := writeFile(t, dir, "exhaustive.jsonl", strings.Join(exhaustive, "\n")+"\n")

	res := runCLI(t, cliRun{args: []string{"eval", "--gold", mixedGold, "--predictions", preds}})
	if res.code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", res.code, res.stderr)
	}
	alone := runCLI(t, cliRun{args: []string{"eval", "--gold", exhaustiveGold, "--predictions", preds}})
	// The two exhaustive pages' report, headed, then the recall-only block.
	// hack.html's ShinyHunters is missed; its unlinked line, water.html's
	// extra tool and fire.html's extra victim stay where they belong.
	mainBlock, aloneDetails, _ := strings.Cut(alone.stdout, "\n  ")
	want := "exhaustive gold (2 pages):\n" + mainBlock + `
recall-only (2 pages, gold not exhaustive):
victims   R=1.000  (tp=1 fn=0)
actors    R=0.500  (tp=1 fn=1)
tooling   R=1.000  (tp=1 fn=0)
impacts   R=0.000  (tp=0 fn=1)
  hack.html: missed actor 'shinyhunters'
  ` + aloneDetails
	if res.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, want)
	}
	for _, s := range []string{"victims   P=1.000 R=0.500 F1=0.667  (tp=1 fp=0 fn=1)", "tooling   P=0.750 R=1.000 F1=0.857  (tp=3 fp=1 fn=0)", "nonincident_clean=0/0"} {
		if !strings.Contains(res.stdout, s) {
			t.Errorf("main block lacks %q:\n%s", s, res.stdout)
		}
	}
}

// TestEvalRecallOnlyPages runs the flag on extracted pages: whatever
// extraction finds, the recall-only block must hold the true positives and
// misses of the ordinary report, and no page may report an extra find.
func TestEvalRecallOnlyPages(t *testing.T) {
	gold, pages := evalFixture(t)
	plain := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages, "--format", "json"}})
	recall := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages, "--format", "json", "--recall-only"}})
	if plain.code != exitOK || recall.code != exitOK {
		t.Fatalf("exit %d and %d; stderr:\n%s%s", plain.code, recall.code, plain.stderr, recall.stderr)
	}
	var p, r map[string]any
	if err := json.Unmarshal([]byte(plain.stdout), &p); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(recall.stdout), &r); err != nil {
		t.Fatal(err)
	}
	ro, _ := r["recall_only"].(map[string]any)
	if ro["pages"] != 4.0 {
		t.Errorf("recall_only = %v, want 4 pages", r["recall_only"])
	}
	for _, f := range []string{"victims", "actors", "tooling", "impacts"} {
		pf, _ := p[f].(map[string]any)
		rf, _ := ro[f].(map[string]any)
		if pf == nil || rf == nil || pf["tp"] != rf["tp"] || pf["fn"] != rf["fn"] {
			t.Errorf("%s: ordinary %v, recall-only %v; want the same tp and fn", f, pf, rf)
		}
	}
	for _, d := range anyStrings(r["details"]) {
		if strings.Contains(d, ": extra ") || strings.Contains(d, " not linked ") {
			t.Errorf("recall-only detail line %q", d)
		}
	}
}

func TestEvalRecallOnlyFlagAndHelp(t *testing.T) {
	ios, _, _, _ := cli.TestIOStreams()
	var got *EvalOptions
	cmd := NewCmdEval(&Factory{IOStreams: ios}, func(_ context.Context, o *EvalOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--gold", "g.jsonl", "--pages", "p", "--recall-only"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !got.RecallOnly || got.Gold != "g.jsonl" {
		t.Errorf("options = %+v, want RecallOnly", got)
	}

	help := runCLI(t, cliRun{args: []string{"eval", "--help"}})
	for _, s := range []string{"--recall-only", `"exhaustive": false`, "recall-only (N", `"recall_only"`} {
		if !strings.Contains(help.stdout, s) {
			t.Errorf("eval --help lacks %q", s)
		}
	}
}

func TestEvalGoldExhaustiveNotBoolean(t *testing.T) {
	_, pages := evalFixture(t)
	gold := writeFile(t, t.TempDir(), "gold.jsonl",
		`{"page": "fire.html", "incidents": []}`+"\n"+`{"page": "hack.html", "incidents": [], "exhaustive": "no"}`+"\n")
	res := runCLI(t, cliRun{args: []string{"eval", "--gold", gold, "--pages", pages}})
	want := "incidex: " + gold + ":2: exhaustive is a string, not true or false\n"
	if res.code != exitError || res.stderr != want || res.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", res.code, res.stdout, res.stderr, want)
	}
}
