package table

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/incidex/incidex/extract/record"
)

func TestRows(t *testing.T) {
	r := &record.Result{
		Input: "coop.html", URL: "https://news.example/coop", Title: `Co-op hack, "the worst"`, Published: "2025-05-01",
		Incidents: []record.Incident{
			{ID: "aaa", Status: "confirmed", Confidence: 0.87, Occurred: &record.Occurred{Date: "2025-04"},
				Victims:    []record.Victim{{Name: "Marks & Spencer", Sector: "retail", Country: "GB"}, {Name: "Harrods", Sector: "retail", Country: "GB"}},
				Actors:     []record.Actor{{Name: "Scattered Spider", Attribution: "suspected"}, {Name: "DragonForce", Attribution: "claimed"}},
				Tooling:    []record.Tool{{Name: "DragonForce", Kind: "ransomware"}},
				Impacts:    []record.Impact{{Kind: "availability", Summary: "online orders\npaused"}},
				Indicators: []record.Indicator{{Type: "domain", Value: "evil.example.net"}},
			},
			{ID: "bbb", Status: "attempted"},
		},
	}
	got := Rows(r)
	want := [][]string{
		{"coop.html", "https://news.example/coop", `Co-op hack, "the worst"`, "2025-05-01", "aaa", "confirmed", "2025-04",
			"Marks & Spencer; Harrods", "retail", "GB", "Scattered Spider; DragonForce",
			"Scattered Spider: suspected; DragonForce: claimed", "DragonForce (ransomware)",
			"availability: online orders paused", "domain: evil.example.net", "0.87"},
		{"coop.html", "https://news.example/coop", `Co-op hack, "the worst"`, "2025-05-01", "bbb", "attempted",
			"", "", "", "", "", "", "", "", "", "0"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Rows =\n%q\nwant\n%q", got, want)
	}
	for _, row := range got {
		if len(row) != len(Columns) {
			t.Errorf("row has %d cells, header %d", len(row), len(Columns))
		}
	}

	// The rows survive a round trip through encoding/csv, quotes and commas
	// included.
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(append([][]string{Columns}, got...)); err != nil {
		t.Fatal(err)
	}
	back, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(back[1:], want, slices.Equal) {
		t.Errorf("round trip = %q", back)
	}

	if rows := Rows(&record.Result{Input: "x", Incidents: []record.Incident{}}); len(rows) != 0 {
		t.Errorf("an article with no incident gave %d rows", len(rows))
	}
}
