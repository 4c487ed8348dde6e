package summary

import (
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/record"
)

func TestText(t *testing.T) {
	long := strings.Repeat("word ", 100)
	r := &record.Result{
		Input: "coop.html", URL: "https://news.example/coop", Title: "Co-op hit", Published: "2025-05-01",
		Incidents: []record.Incident{
			{Status: "confirmed", Confidence: 0.873,
				Victims: []record.Victim{{Name: "Marks & Spencer", Sector: "retail", Country: "GB",
					Evidence: []record.Evidence{{Text: "M&S was hit by a cyber attack."}}}},
				Actors:     []record.Actor{{Name: "Scattered Spider", Attribution: "suspected"}},
				Tooling:    []record.Tool{{Name: "DragonForce", Kind: "ransomware"}},
				Impacts:    []record.Impact{{Kind: "availability", Summary: "online orders paused"}},
				Indicators: []record.Indicator{{Type: "domain", Value: "evil.example.net"}},
			},
			{Status: "attempted", Confidence: 0.5,
				Impacts: []record.Impact{{Kind: "availability", Summary: "systems shut", Evidence: []record.Evidence{{Text: long}}}}},
		},
	}
	got := string(Text(r))
	for _, want := range []string{
		"Co-op hit\ncoop.html · https://news.example/coop · published 2025-05-01\n",
		"\n1. Marks & Spencer: confirmed (confidence 0.87)\n",
		"   victims:   Marks & Spencer (retail, GB)\n",
		"   actors:    Scattered Spider (suspected)\n",
		"   tooling:   DragonForce (ransomware)\n",
		"   impacts:   availability: online orders paused\n",
		"   indicators: domain evil.example.net\n",
		`   evidence:  "M&S was hit by a cyber attack."` + "\n",
		"\n2. attack with no named victim: attempted (confidence 0.50)\n",
		"   actors:    none named\n",
		"…\"\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, long) {
		t.Error("a long evidence sentence was not cut")
	}

	none := string(Text(&record.Result{Input: "x.html", Incidents: []record.Incident{}}))
	if none != "(untitled)\nx.html\n\nno incident reported\n" {
		t.Errorf("no incident: %q", none)
	}
}
