package table

import (
	"slices"
	"testing"

	"github.com/incidex/incidex/extract/record"
)

func TestMergedRow(t *testing.T) {
	m := &record.Merged{
		ID: "0123456789abcdef", BlockKey: "m", Campaign: "abcdefabcdef", Status: "confirmed",
		FirstReported: "2025-04-22T09:00:00Z", LastReported: "2025-05-21T00:00:00Z", Confidence: 0.9,
		Occurred: &record.MergedOccurred{Date: "2025-04-19"},
		Victims:  []record.MergedVictim{{Name: "Marks & Spencer", Aliases: []string{"M&S", "Marks and Spencer Group plc"}, Sector: "retail", Country: "GB"}},
		Actors:   []record.MergedActor{{Name: "DragonForce", Attribution: "claimed", AttributionSource: "s2"}},
		Tooling:  []record.MergedTool{{Name: "DragonForce", Kind: "ransomware"}},
		Impacts: []record.MergedImpact{
			{Kind: "availability", Summary: "online orders\npaused"},
			{Kind: "financial", Summary: "up to £300m", Quantity: &record.Quantity{Value: 3e8, Unit: "GBP"}, QuantitySource: "s3"},
		},
		Indicators: []record.MergedIndicator{{Type: "domain", Value: "evil.example"}},
		Sources: []record.Source{
			{Key: "s1", Input: "bbc.html", URL: "https://bbc.example/ms"},
			{Key: "s2", Input: "saved/ft.html", CanonicalURL: "https://ft.example/ms"},
			{Key: "s3", Input: "saved/sky.html"},
		},
	}
	want := []string{
		"0123456789abcdef", "m", "abcdefabcdef", "confirmed", "2025-04-22T09:00:00Z", "2025-05-21T00:00:00Z", "2025-04-19",
		"Marks & Spencer", "M&S; Marks and Spencer Group plc", "retail", "GB", "DragonForce", "DragonForce: claimed (s2)",
		"DragonForce (ransomware)", "availability: online orders paused; financial: up to £300m (300000000 GBP, s3)",
		"domain: evil.example", "3", "https://bbc.example/ms; https://ft.example/ms; saved/sky.html", "0.9",
	}
	got := MergedRow(m)
	if !slices.Equal(got, want) {
		t.Errorf("MergedRow =\n%q\nwant\n%q", got, want)
	}
	if len(got) != len(MergedColumns) {
		t.Errorf("row has %d cells, header %d", len(got), len(MergedColumns))
	}
	if empty := MergedRow(&record.Merged{ID: "x"}); len(empty) != len(MergedColumns) {
		t.Errorf("an empty incident has %d cells", len(empty))
	}
}
