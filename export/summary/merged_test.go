package summary

import (
	"fmt"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/record"
)

func TestMerged(t *testing.T) {
	m := &record.Merged{
		ID: "0123456789abcdef", BlockKey: "m", Campaign: "abcdefabcdef", Status: "confirmed",
		FirstReported: "2025-04-22T09:00:00Z", LastReported: "2025-05-21T00:00:00Z", Confidence: 0.9,
		Victims: []record.MergedVictim{{Name: "Marks & Spencer", Aliases: []string{"M&S"}, Sector: "retail", Country: "GB",
			Evidence: []record.SourcedEvidence{{Source: "s2", Evidence: record.Evidence{Text: "M&S was hit by a cyber attack."}}}}},
		Actors:   []record.MergedActor{{Name: "DragonForce", Attribution: "claimed", AttributionSource: "s2"}},
		Impacts:  []record.MergedImpact{{Kind: "financial", Summary: "up to £300m", Quantity: &record.Quantity{Value: 3e8, Unit: "GBP"}, QuantitySource: "s3"}},
		Occurred: &record.MergedOccurred{Date: "2025-04-19", Evidence: []record.SourcedEvidence{{Source: "s3", Evidence: record.Evidence{Text: "The attack began on 19 April."}}}},
	}
	for i := range 12 {
		m.Sources = append(m.Sources, record.Source{Key: fmt.Sprintf("s%d", i+1), Input: "x.html", URL: fmt.Sprintf("https://news.example/%d", i),
			Title: "M&S hit", Site: "Example", Published: "2025-04-22"})
	}
	got := string(Merged(m))
	for _, want := range []string{
		"Marks & Spencer: confirmed, reported 2025-04-22 to 2025-05-21 by 12 sources (confidence 0.90)\n",
		"   id:        0123456789abcdef (block m, campaign abcdefabcdef)\n",
		"   occurred:  2025-04-19 (s3)\n",
		"   victims:   Marks & Spencer (retail, GB); also M&S\n",
		"   actors:    DragonForce (claimed, s2)\n",
		"   impacts:   financial: up to £300m (300000000 GBP, s3)\n",
		`   evidence:  "M&S was hit by a cyber attack." (s2)` + "\n",
		"   sources:   s1 2025-04-22 Example: M&S hit <https://news.example/0>\n",
		"              s10 2025-04-22 Example: M&S hit <https://news.example/9>\n",
		"              and 2 more\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	// a date without its sentence (a unit written by hand) is shown alone
	if got := string(Merged(&record.Merged{ID: "x", Status: "confirmed", Occurred: &record.MergedOccurred{Date: "2025-05"}})); !strings.Contains(got, "   occurred:  2025-05\n") {
		t.Errorf("date without evidence:\n%s", got)
	}
	none := string(Merged(&record.Merged{ID: "x", Status: "attempted", Sources: []record.Source{{Key: "s1", Input: "-"}}}))
	if !strings.HasPrefix(none, "attack with no named victim: attempted, undated by 1 source") || !strings.Contains(none, "actors:    none named") {
		t.Errorf("incident without victim:\n%s", none)
	}
}
