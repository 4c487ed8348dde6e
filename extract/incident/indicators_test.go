package incident_test

import (
	"slices"
	"testing"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/extracttest"
)

// TestIndicators checks where an article's indicators go: to the incident
// whose sentences give them, to the only incident of an article, or to
// the article when no incident's sentences hold them; a victim's own site
// named plainly is none.
func TestIndicators(t *testing.T) {
	x := extracttest.Default(t)
	values := func(list []record.Indicator) []string {
		var out []string
		for _, ind := range list {
			out = append(out, ind.Type+" "+ind.Value)
		}
		return out
	}

	t.Run("one incident takes them all", func(t *testing.T) {
		r := x.Article(newArticle("Harlow Freight hit by ransomware attack",
			"Harlow Freight was hit by a ransomware attack on Monday that halted deliveries, the company said.",
			"Customers were told to ignore e-mails that spoof the domain harlowfreight.com until further notice.",
			"Researchers said the intruders' malware beaconed to update-check[.]net and to the IP address 185.220.101[.]47, and dropped a file with the SHA-256 hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08."))
		if len(r.Incidents) != 1 {
			t.Fatalf("incidents = %+v", r.Incidents)
		}
		got := values(r.Incidents[0].Indicators)
		want := []string{"domain update-check.net", "ipv4 185.220.101.47", "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
		if !slices.Equal(got, want) {
			t.Errorf("indicators = %q, want %q (the victim's own harlowfreight.com is none)", got, want)
		}
		for _, ind := range r.Incidents[0].Indicators {
			if ind.Type == "domain" && ind.Defanged != "update-check[.]net" {
				t.Errorf("defanged = %q", ind.Defanged)
			}
			if len(ind.Evidence) != 1 || ind.Evidence[0].Rule != "indicator."+ind.Type {
				t.Errorf("evidence = %+v", ind.Evidence)
			}
		}
		if len(r.Indicators) != 0 {
			t.Errorf("article-level indicators = %q", values(r.Indicators))
		}
	})

	t.Run("two incidents: by sentence, the rest to the article", func(t *testing.T) {
		r := x.Article(newArticle("Two councils hit by cyber attacks",
			"Brackmoor Council was hit by a ransomware attack on Monday, and its systems reached the server 91.215.85[.]12, the council said.",
			"Separately, Dunfield Council was hit by a cyber attack on Tuesday that took its website offline.",
			"Analysts also listed the malicious domain pay-portal-secure[.]com in a wider campaign."))
		if len(r.Incidents) != 2 {
			t.Fatalf("incidents = %+v", r.Incidents)
		}
		for _, inc := range r.Incidents {
			got := values(inc.Indicators)
			switch inc.Victims[0].Name {
			case "Brackmoor Council":
				if !slices.Equal(got, []string{"ipv4 91.215.85.12"}) {
					t.Errorf("Brackmoor's indicators = %q", got)
				}
			default:
				if len(got) != 0 {
					t.Errorf("%s's indicators = %q", inc.Victims[0].Name, got)
				}
			}
		}
		if got := values(r.Indicators); !slices.Equal(got, []string{"domain pay-portal-secure.com"}) {
			t.Errorf("article-level indicators = %q", got)
		}
	})

	t.Run("no incident: the article's", func(t *testing.T) {
		r := x.Article(newArticle("How to read a threat report",
			"A guide for analysts explains how to read indicators such as evil-domain[.]org in vendor reports."))
		if len(r.Incidents) != 0 || !slices.Equal(values(r.Indicators), []string{"domain evil-domain.org"}) {
			t.Errorf("incidents %d, article-level indicators %q", len(r.Incidents), values(r.Indicators))
		}
	})
}
