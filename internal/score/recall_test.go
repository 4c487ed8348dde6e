package score

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// mainFigures is res without what pages whose gold is not exhaustive may
// add to: the recall-only block, the missing pages and the detail lines.
func mainFigures(res Result) Result {
	res.RecallOnly = RecallOnly{}
	res.MissingPages = nil
	res.Details = nil
	return res
}

// TestScoreRecallOnly scores smallGold's exhaustive pages together with one
// page, r.html, whose gold is not exhaustive: its extra finds must lower
// nothing, its misses only its own recall, and the figures of the other
// pages must be those they have alone.
func TestScoreRecallOnly(t *testing.T) {
	alone := Score(smallGold(), smallPreds())
	tests := []struct {
		name    string
		gold    []GoldIncident
		rec     *Record // nil: no output for r.html
		want    RecallOnly
		details []string // r.html's detail lines
	}{
		{
			name: "extra finds lower nothing",
			gold: []GoldIncident{{Victims: []string{"Acme"}, Actors: []string{"LockBit"}, Tooling: []string{"LockBit"},
				Impacts: []string{"availability"}, Status: "confirmed"}},
			rec: &Record{Incidents: []Incident{{
				Status:  "attempted",
				Victims: StringItems("Acme", "Other Co"),
				Actors:  StringItems("LockBit", "Some Spider"),
				Tooling: StringItems("LockBit", "Cobalt Strike"),
				Impacts: []string{"availability", "integrity"},
			}}},
			want: RecallOnly{Pages: 1, Victims: Counts{TP: 1}, Actors: Counts{TP: 1}, Tooling: Counts{TP: 1}, Impacts: Counts{TP: 1}},
		},
		{
			name: "a miss lowers its recall only",
			gold: []GoldIncident{{Victims: []string{"Acme", "Beta Corp"}, Actors: []string{"LockBit"},
				Impacts: []string{"availability", "confidentiality"}}},
			rec:  &Record{Incidents: []Incident{{Status: "confirmed", Victims: StringItems("Acme"), Impacts: []string{"availability"}}}},
			want: RecallOnly{Pages: 1, Victims: Counts{TP: 1, FN: 1}, Actors: Counts{FN: 1}, Impacts: Counts{TP: 1, FN: 1}},
			// No "not linked" line: linkage is not scored on the page.
			details: []string{"r.html: missed victim 'beta'", "r.html: missed actor 'lockbit'"},
		},
		{
			name: "an unlinked actor is neither counted nor reported",
			gold: []GoldIncident{{Victims: []string{"Acme"}, Actors: []string{"LockBit"}}},
			rec: &Record{Incidents: []Incident{
				{Victims: StringItems("Acme")},
				{Victims: StringItems("Other Co"), Actors: StringItems("LockBit")},
			}},
			want: RecallOnly{Pages: 1, Victims: Counts{TP: 1}, Actors: Counts{TP: 1}},
		},
		{
			name: "gold without incidents is not a non-incident page",
			rec:  &Record{Incidents: []Incident{{Victims: StringItems("Someone")}}},
			want: RecallOnly{Pages: 1},
		},
		{
			name:    "a page without output misses its labels",
			gold:    []GoldIncident{{Victims: []string{"Acme"}, Impacts: []string{"availability"}}},
			want:    RecallOnly{Pages: 1, Victims: Counts{FN: 1}, Impacts: Counts{FN: 1}},
			details: []string{"r.html: missed victim 'acme'"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Gold{Page: "r.html", Incidents: tt.gold, NotExhaustive: true}
			gold := append([]Gold{r}, smallGold()...)
			preds := smallPreds()
			wantMissing := alone.MissingPages
			if tt.rec != nil {
				rec := *tt.rec
				rec.Page = "r.html"
				preds["r.html"] = rec
			} else {
				wantMissing = append([]string{"r.html"}, wantMissing...)
			}
			res := Score(gold, preds)

			if res.RecallOnly != tt.want {
				t.Errorf("RecallOnly = %+v, want %+v", res.RecallOnly, tt.want)
			}
			if got, want := mainFigures(res), mainFigures(alone); !reflect.DeepEqual(got, want) {
				t.Errorf("main figures changed:\n got %+v\nwant %+v", got, want)
			}
			if wantDetails := append(slices.Clip(tt.details), alone.Details...); !slices.Equal(res.Details, wantDetails) {
				t.Errorf("details:\n%s\nwant:\n%s", strings.Join(res.Details, "\n"), strings.Join(wantDetails, "\n"))
			}
			if !slices.Equal(res.MissingPages, wantMissing) {
				t.Errorf("missing pages %q, want %q", res.MissingPages, wantMissing)
			}

			// The row tests something: scored as exhaustive, the same page
			// changes the main figures.
			gold[0].NotExhaustive = false
			full := mainFigures(Score(gold, preds))
			full.ExhaustivePages = alone.ExhaustivePages
			if reflect.DeepEqual(full, mainFigures(alone)) {
				t.Errorf("scored as exhaustive, r.html changes no figure")
			}
		})
	}
}

// TestRecallOnlyReport checks the text and JSON reports of mixed gold and
// of gold that is not exhaustive at all, and that exhaustive gold alone
// keeps the script's report (TestWriteText has its bytes).
func TestRecallOnlyReport(t *testing.T) {
	partial := Gold{Page: "r.html", NotExhaustive: true, Incidents: []GoldIncident{{
		Victims: []string{"Acme", "Beta Corp"}, Actors: []string{"LockBit"}, Impacts: []string{"availability", "confidentiality"},
	}}}
	preds := smallPreds()
	preds["r.html"] = Record{Page: "r.html", Incidents: []Incident{{
		Victims: StringItems("Acme", "Gamma"), Tooling: StringItems("Mimikatz"), Impacts: []string{"availability", "integrity"},
	}}}
	recallBlock := `recall-only (1 page, gold not exhaustive):
victims   R=0.500  (tp=1 fn=1)
actors    R=0.000  (tp=0 fn=1)
tooling   R=n/a    (tp=0 fn=0)
impacts   R=0.500  (tp=1 fn=1)
`
	wantRecallJSON := map[string]any{
		"pages":   1.0,
		"victims": map[string]any{"r": 0.5, "tp": 1.0, "fn": 1.0},
		"actors":  map[string]any{"r": 0.0, "tp": 0.0, "fn": 1.0},
		"tooling": map[string]any{"r": nil, "tp": 0.0, "fn": 0.0},
		"impacts": map[string]any{"r": 0.5, "tp": 1.0, "fn": 1.0},
	}
	tests := []struct {
		name     string
		gold     []Gold
		wantText string
		wantJSON map[string]any // keys to check; nil: no recall-only keys
	}{
		{
			name: "exhaustive only",
			gold: smallGold(),
			wantText: `victims   P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)
actors    P=1.000 R=0.500 F1=0.667  (tp=1 fp=0 fn=1)
tooling   P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)
impacts   P=0.500 R=0.333 F1=0.400  (tp=1 fp=1 fn=2)
linkage=0.5 status=0.5 nonincident_clean=0/1 missing_pages=1 bad_lines=0
macro_f1=0.556
`,
		},
		{
			name: "mixed",
			gold: append(smallGold(), partial),
			wantText: `exhaustive gold (3 pages):
victims   P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)
actors    P=1.000 R=0.500 F1=0.667  (tp=1 fp=0 fn=1)
tooling   P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)
impacts   P=0.500 R=0.333 F1=0.400  (tp=1 fp=1 fn=2)
linkage=0.5 status=0.5 nonincident_clean=0/1 missing_pages=1 bad_lines=0
macro_f1=0.556
` + recallBlock,
			wantJSON: map[string]any{
				"exhaustive_pages": 3.0,
				"recall_only":      wantRecallJSON,
				"victims":          map[string]any{"p": 0.5, "r": 0.5, "f": 0.5, "tp": 1.0, "fp": 1.0, "fn": 1.0},
				"macro_f1":         0.556,
				"missing_pages":    1.0,
			},
		},
		{
			name: "not exhaustive at all",
			gold: []Gold{partial},
			wantText: `no exhaustive gold: every page is recall-only, so there is no precision, F1, macro_f1, linkage, status or nonincident_clean
missing_pages=0 bad_lines=0
` + recallBlock,
			wantJSON: map[string]any{
				"exhaustive_pages": 0.0,
				"recall_only":      wantRecallJSON,
				"victims":          nil, "actors": nil, "tooling": nil, "impacts": nil,
				"linkage": nil, "status": nil, "nonincident_clean": nil, "macro_f1": nil,
				"missing_pages": 0.0, "bad_lines": 0.0,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Score(tt.gold, preds)
			var b strings.Builder
			if err := res.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.wantText {
				t.Errorf("WriteText:\n%s\nwant:\n%s", b.String(), tt.wantText)
			}
			raw, err := json.Marshal(res.JSON())
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if tt.wantJSON == nil {
				for _, k := range []string{"exhaustive_pages", "recall_only"} {
					if v, ok := got[k]; ok {
						t.Errorf("JSON has %q = %v; exhaustive gold must keep the script's keys", k, v)
					}
				}
			}
			for k, want := range tt.wantJSON {
				if v, ok := got[k]; !ok || !reflect.DeepEqual(v, want) {
					t.Errorf("JSON %s = %v (present %v), want %v", k, v, ok, want)
				}
			}
		})
	}
}

func TestReadGoldExhaustive(t *testing.T) {
	const first = `{"page": "a.html", "incidents": []}` + "\n"
	tests := []struct {
		name, field       string
		wantNotExhaustive bool
		wantErr           string // "" means no error
	}{
		{"absent means exhaustive", ``, false, ""},
		{"true", `, "exhaustive": true`, false, ""},
		{"false", `, "exhaustive": false`, true, ""},
		{"a string is an error naming the line", `, "exhaustive": "false"`, false, "line 2: exhaustive is a string, not true or false"},
		{"null is an error", `, "exhaustive": null`, false, "line 2: exhaustive is null, not true or false"},
		{"a number is an error", `, "exhaustive": 0`, false, "line 2: exhaustive is a number, not true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gold, err := ReadGold(strings.NewReader(first + `{"page": "b.html", "incidents": []` + tt.field + "}\n"))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(gold) != 2 || gold[0].NotExhaustive || gold[1].NotExhaustive != tt.wantNotExhaustive {
				t.Errorf("ReadGold = %+v, want b.html NotExhaustive %v", gold, tt.wantNotExhaustive)
			}
		})
	}
}
