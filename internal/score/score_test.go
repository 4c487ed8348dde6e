package score

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// smallGold and smallPreds are a hand-checked case: see TestScoreSmall.
func smallGold() []Gold {
	return []Gold{
		{Page: "a.html", Incidents: []GoldIncident{{
			Victims: []string{"Acme Water Utilities|Acme Water"},
			Actors:  []string{"Example Spider|UNC0000", "FakeLocker"},
			Tooling: []string{"FakeLocker", "phishing"},
			Impacts: []string{"availability", "confidentiality"},
			Status:  "confirmed",
		}}, Optional: GoldOptional{Actors: []string{"OtherGroup"}}},
		{Page: "b.html"},
		{Page: "c.html", Incidents: []GoldIncident{{
			Victims: []string{"Beta Corp"},
			Impacts: []string{"financial"},
			Status:  "attempted",
		}}},
	}
}

func smallPreds() map[string]Record {
	return Predictions(
		Record{Page: "pages/a.html", Incidents: []Incident{{
			Status:  "confirmed",
			Victims: []Item{{Name: "Acme Water Inc."}},
			Actors:  []Item{{Name: "UNC0000"}, {Name: "OtherGroup"}},
			Tooling: StringItems("FakeLocker ransomware", "Cobalt Strike"),
			Impacts: []string{"availability", "integrity"},
		}}},
		Record{Page: "/tmp/b.html", Incidents: []Incident{{Victims: StringItems("Someone")}}},
	)
}

func TestScoreSmall(t *testing.T) {
	res := Score(smallGold(), smallPreds())
	counts := []struct {
		name      string
		got, want Counts
	}{
		{"victims", res.Victims, Counts{TP: 1, FP: 1, FN: 1}},
		{"actors", res.Actors, Counts{TP: 1, FP: 0, FN: 1}},
		{"tooling", res.Tooling, Counts{TP: 1, FP: 1, FN: 1}},
		{"impacts", res.Impacts, Counts{TP: 1, FP: 1, FN: 2}},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
		}
	}
	if res.Linkage != (Ratio{OK: 1, All: 2}) || res.Status != (Ratio{OK: 1, All: 2}) {
		t.Errorf("linkage %+v status %+v, want 1/2 and 1/2", res.Linkage, res.Status)
	}
	if res.NonIncidentPages != 1 || res.NonIncidentClean != 0 {
		t.Errorf("non-incident pages %d clean %d, want 1 and 0", res.NonIncidentPages, res.NonIncidentClean)
	}
	if !slices.Equal(res.MissingPages, []string{"c.html"}) {
		t.Errorf("missing pages %q, want [c.html]", res.MissingPages)
	}
	if got, want := [3]float64{res.Actors.P(), res.Actors.R(), res.Actors.F1()}, [3]float64{1, 0.5, 0.667}; got != want {
		t.Errorf("actors P/R/F1 = %v, want %v", got, want)
	}
	if got := res.MacroF1(); got != 0.556 {
		t.Errorf("MacroF1 = %v, want 0.556", got)
	}
	wantDetails := []string{
		"a.html: missed actor 'fakelocker'",
		"a.html: missed tool 'phishing'",
		"a.html: extra tool 'cobalt strike'",
		"a.html: actor 'fakelocker' not linked to victim 'acme water utilities'",
		"b.html: extra victim 'someone'",
		"c.html: missed victim 'beta'",
	}
	if !slices.Equal(res.Details, wantDetails) {
		t.Errorf("details:\n%s\nwant:\n%s", strings.Join(res.Details, "\n"), strings.Join(wantDetails, "\n"))
	}
	var b strings.Builder
	if err := res.WriteDetails(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "  c.html: missed victim 'beta'\n  no output for c.html\n") {
		t.Errorf("WriteDetails ends %q", b.String())
	}
}

func TestScoreDedupAndStatus(t *testing.T) {
	gold := []Gold{{Page: "p.html", Incidents: []GoldIncident{{
		Victims: []string{"Acme"}, Actors: []string{"LockBit"}, // Status defaults to confirmed
	}}}}
	tests := []struct {
		name       string
		inc        []Incident
		victims    Counts
		statusOK   int
		linkageOK  int
		detailsLen int
	}{
		{"items sharing a name count once", []Incident{
			{Status: "confirmed", Victims: []Item{{Name: "Acme"}, {Name: "ACME Inc"}}, Actors: StringItems("LockBit")},
			{Victims: []Item{{Name: "Acme Holdings", Aliases: []string{"acme"}}}},
		}, Counts{TP: 1}, 1, 1, 0},
		{"status of any matching incident", []Incident{
			{Status: "attempted", Victims: StringItems("Acme")},
			{Status: "confirmed", Victims: StringItems("Acme"), Actors: StringItems("LockBit")},
		}, Counts{TP: 1}, 1, 1, 0},
		{"empty status never matches", []Incident{
			{Victims: StringItems("Acme"), Actors: StringItems("LockBit")},
		}, Counts{TP: 1}, 0, 1, 0},
		{"actor in another incident is not linked", []Incident{
			{Status: "confirmed", Victims: StringItems("Acme")},
			{Status: "confirmed", Victims: StringItems("Other"), Actors: StringItems("LockBit")},
		}, Counts{TP: 1, FP: 1}, 1, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Score(gold, Predictions(Record{Page: "p.html", Incidents: tt.inc}))
			if res.Victims != tt.victims || res.Status.OK != tt.statusOK || res.Linkage.OK != tt.linkageOK || len(res.Details) != tt.detailsLen {
				t.Errorf("victims %+v status %d linkage %d details %q; want %+v, %d, %d, %d details",
					res.Victims, res.Status.OK, res.Linkage.OK, res.Details, tt.victims, tt.statusOK, tt.linkageOK, tt.detailsLen)
			}
		})
	}
}

func TestWriteText(t *testing.T) {
	res := Score(smallGold(), smallPreds())
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `victims   P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)
actors    P=1.000 R=0.500 F1=0.667  (tp=1 fp=0 fn=1)
tooling   P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)
impacts   P=0.500 R=0.333 F1=0.400  (tp=1 fp=1 fn=2)
linkage=0.5 status=0.5 nonincident_clean=0/1 missing_pages=1 bad_lines=0
macro_f1=0.556
`
	if b.String() != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"victims": {"p": 0.5, "r": 0.5, "f": 0.5, "tp": 1, "fp": 1, "fn": 1}, ` +
		`"actors": {"p": 1.0, "r": 0.5, "f": 0.667, "tp": 1, "fp": 0, "fn": 1}, ` +
		`"tooling": {"p": 0.5, "r": 0.5, "f": 0.5, "tp": 1, "fp": 1, "fn": 1}, ` +
		`"impacts": {"p": 0.5, "r": 0.333, "f": 0.4, "tp": 1, "fp": 1, "fn": 2}, ` +
		`"linkage": 0.5, "status": 0.5, "nonincident_clean": "0/1", "missing_pages": 1, "bad_lines": 0, "macro_f1": 0.556}` + "\n"
	if b.String() != wantJSON {
		t.Errorf("WriteJSON:\n%s\nwant:\n%s", b.String(), wantJSON)
	}
	if got := res.JSON()["actors"].(map[string]any)["f"]; got != 0.667 {
		t.Errorf(`JSON()["actors"]["f"] = %v, want 0.667`, got)
	}
}

func TestReadPredictions(t *testing.T) {
	input := strings.Join([]string{
		`{"input": "pages/a.html", "incidents": [{"status": "confirmed", "victims": [{"name": "Acme", "aliases": ["Acme Co"]}], "actors": ["LockBit"], "impacts": [{"kind": "availability"}, "financial", {"x": 1}, 3]}]}`,
		`not json`,
		``,
		"\x1c\u00a0",
		`{"source": {"path": "", "url": "https://example.com/news/b.html"}, "incidents": {}}`,
		`{"input": "dir/", "source": "c.html", "incidents": []}`,
		`{"file": "d.html", "incidents": [{"victims": "Ab", "tooling": {"Mimikatz": 1, "Cobalt": 2}, "actors": [{"name": 7, "aliases": "xy"}]}]}`,
		`{"input": "e.html", "incidents": [{"victims": [{"name": null}]}]}`,
		`{"input": "e.html", "incidents": [{"victims": [{"aliases": ["Acme"]}]}], "x": NaN}`,
		`[1, 2]`,
	}, "\r\n")
	_, _, err := ReadPredictions(strings.NewReader(input))
	if err == nil || !strings.HasPrefix(err.Error(), "line 10:") {
		t.Fatalf("ReadPredictions error = %v, want one for line 10 (not an object)", err)
	}
	preds, bad, err := ReadPredictions(strings.NewReader(strings.TrimSuffix(input, "\r\n[1, 2]")))
	if err != nil {
		t.Fatal(err)
	}
	if bad != 1 {
		t.Errorf("bad lines = %d, want 1", bad)
	}
	keys := make([]string, 0, len(preds))
	for k := range preds {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"a.html", "b.html", "d.html", "e.html"}; !slices.Equal(keys, want) {
		t.Errorf("pages %q, want %q", keys, want)
	}
	a := preds["a.html"].Incidents[0]
	if a.Status != "confirmed" || a.Victims[0].Name != "Acme" || !slices.Equal(a.Victims[0].Aliases, []string{"Acme Co"}) ||
		a.Actors[0].Name != "LockBit" || !slices.Equal(a.Impacts, []string{"availability", "financial"}) {
		t.Errorf("a.html incident = %+v", a)
	}
	// Python iterates a string by character and an object by key, in order.
	d := preds["d.html"].Incidents[0]
	if got := []string{d.Victims[0].Name, d.Victims[1].Name, d.Tooling[0].Name, d.Tooling[1].Name}; !slices.Equal(got, []string{"A", "b", "Mimikatz", "Cobalt"}) {
		t.Errorf("d.html items = %q", got)
	}
	// A name that is not a string is left out; the first alias stands in.
	if got := d.Actors[0]; got.Name != "x" || !slices.Equal(got.Aliases, []string{"y"}) {
		t.Errorf("d.html actor = %+v, want x with alias y", got)
	}
	// The nameless item on the first e.html line is forgiven: a later line
	// replaces it. A missing name counts as "".
	if got := preds["e.html"].Incidents[0].Victims[0]; got.Name != "" || !slices.Equal(got.Aliases, []string{"Acme"}) {
		t.Errorf("e.html victim = %+v", got)
	}
}

func TestReadPredictionsErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"record not an object", "{}\n\"x\"\n", "line 2: record is a string, not an object"},
		{"item without a name", `{"input": "a.html", "incidents": [{"actors": [{"name": null}]}]}`, "line 1: incident 1: actors: item 1 has no name"},
		{"incidents not a list", `{"input": "a.html", "incidents": "x"}`, "line 1: incidents is a string, not a list"},
		{"item a number", `{"input": "a.html", "incidents": [{"tooling": [1]}]}`, "line 1: incident 1: tooling: item 1 is a number, not a string or an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadPredictions(strings.NewReader(tt.input))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadGold(t *testing.T) {
	gold, err := ReadGold(strings.NewReader(
		`{"page": "a.html", "published": "2024-01-02", "incidents": [{"victims": ["Acme|ACME"], "impacts": ["availability"]}], "optional": null, "notes": "n"}` +
			"\n\n" + `{"page": "b.html", "incidents": []}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) != 2 || gold[0].Published != "2024-01-02" || gold[0].Incidents[0].Status != "" ||
		!slices.Equal(gold[0].Incidents[0].Victims, []string{"Acme|ACME"}) || gold[1].Page != "b.html" {
		t.Errorf("ReadGold = %+v", gold)
	}
	errs := []struct {
		name, input, want string
	}{
		{"syntax", "{\"page\": \"a\", \"incidents\": []}\n\n{\"page\": ", "line 3: invalid JSON at column 10: expecting value"},
		{"no page", `{"incidents": []}`, "line 1: page is missing"},
		{"no incidents", `{"page": "a.html"}`, "line 1: incidents is missing"},
		{"null list", `{"page": "a.html", "incidents": [{"victims": null}]}`, "line 1: incident 1: victims is null, not a list"},
		{"empty status", `{"page": "a.html", "incidents": [{"status": ""}]}`, "line 1: incident 1: status must be a non-empty string"},
		{"invalid UTF-8", "{\"page\": \"a\xff\", \"incidents\": []}", "line 1: invalid UTF-8"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadGold(strings.NewReader(tt.input))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadCorpusGold(t *testing.T) {
	f, err := os.Open(sharedPath("corpus", "gold.jsonl"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	gold, err := ReadGold(f)
	if err != nil {
		t.Fatal(err)
	}
	// The corpus grows; every line must be read, and it has at least the
	// 18 pages it started with.
	if len(gold) < 18 {
		t.Errorf("read %d gold pages, want at least 18", len(gold))
	}
}

func TestDecodeReplace(t *testing.T) {
	// Python: b"...".decode("utf-8", "replace")
	tests := []struct {
		name, in, want string
	}{
		{"valid", "Telefónica", "Telefónica"},
		{"truncated three-byte sequence is one", "\xe2\x82a", "\ufffda"},
		{"surrogate bytes are three", "\xed\xa0\x80", "\ufffd\ufffd\ufffd"},
		{"truncated four-byte sequence is one", "\xf0\x90\x80", "\ufffd"},
		{"above U+10FFFF", "\xf4\x90\x80\x80", "\ufffd\ufffd\ufffd\ufffd"},
		{"overlong", "\xc0\xaf", "\ufffd\ufffd"},
		{"literal U+FFFD kept", "\ufffd\xff", "\ufffd\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeReplace([]byte(tt.in)); got != tt.want {
				t.Errorf("decodeReplace(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	got := splitLines("a\r\nb\rc\n\nd")
	if want := []string{"a", "b", "c", "", "d"}; !slices.Equal(got, want) {
		t.Errorf("splitLines = %q, want %q", got, want)
	}
}

func TestLineError(t *testing.T) {
	_, err := ReadGold(strings.NewReader("\n\r\n{\"page\": 1, \"incidents\": []}"))
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || le.Err.Error() != "page is a number, not a string" {
		t.Errorf("error = %#v, want a *LineError for line 3", err)
	}
}
