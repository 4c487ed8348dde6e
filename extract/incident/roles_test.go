package incident_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/extracttest"
)

// TestRuleRoles runs one short article per kind of rule of the default pack
// and checks the field that rule fills.
func TestRuleRoles(t *testing.T) {
	x := extracttest.Default(t)
	tests := []struct {
		name  string
		art   *article.Article
		check func(t *testing.T, r *record.Result)
	}{
		{
			name: "victim from a passive sentence, sector and country from its description",
			art:  newArticle("Bank outage", "British lender Northfield Bank was hit by a ransomware attack on Monday."),
			check: func(t *testing.T, r *record.Result) {
				v := onlyVictim(t, r)
				if v.Name != "Northfield Bank" || v.Sector != "finance" || v.Country != "GB" {
					t.Errorf("victim = %+v, want Northfield Bank, finance, GB", v)
				}
			},
		},
		{
			name: "actor claimed",
			art:  newArticle("Hospital hit", "Hackers breached Vale General Hospital last week.", "A group called Ash Lynx claimed responsibility for the attack on Tuesday."),
			check: func(t *testing.T, r *record.Result) {
				a := onlyActor(t, r)
				if a.Name != "Ash Lynx" || a.Attribution != "claimed" {
					t.Errorf("actor = %+v, want Ash Lynx, claimed", a)
				}
			},
		},
		{
			name: "actor attributed by officials",
			art:  newArticle("Water utility breached", "Hackers breached the Corran Water Authority in March.", "The FBI attributed the intrusion to Volt Typhoon, a Chinese state-sponsored group."),
			check: func(t *testing.T, r *record.Result) {
				a := onlyActor(t, r)
				if a.Name != "Volt Typhoon" || a.Attribution != "attributed" || a.Kind != "nation-state" {
					t.Errorf("actor = %+v, want Volt Typhoon, attributed, nation-state", a)
				}
				if !slices.ContainsFunc(r.Incidents[0].Responders, func(x record.Responder) bool {
					return strings.Contains(x.Name, "FBI") || strings.Contains(x.Name, "Federal Bureau")
				}) {
					t.Errorf("responders = %+v, want the FBI", r.Incidents[0].Responders)
				}
			},
		},
		{
			name: "attempted attack",
			art:  newArticle("Council repels attack", "Hackers tried to gain unauthorised access to Lowmoor Council's systems, the council said, but the attempt was blocked."),
			check: func(t *testing.T, r *record.Result) {
				if len(r.Incidents) != 1 || r.Incidents[0].Status != "attempted" {
					t.Errorf("incidents = %+v, want one attempted", summary(r))
				}
			},
		},
		{
			name: "impacts with quantities",
			art: newArticle("Retailer breach",
				"Hackers breached Pellow Stores and stole the personal data of 2.5 million customers.",
				"Pellow Stores was unable to process card payments for two days.",
				"The attackers demanded a ransom of $4.5 million."),
			check: func(t *testing.T, r *record.Result) {
				if len(r.Incidents) != 1 {
					t.Fatalf("incidents = %q", summary(r))
				}
				kinds := map[string]*record.Impact{}
				for i := range r.Incidents[0].Impacts {
					kinds[r.Incidents[0].Impacts[i].Kind] = &r.Incidents[0].Impacts[i]
				}
				for _, k := range []string{"availability", "confidentiality", "financial"} {
					if kinds[k] == nil {
						t.Errorf("no %s impact in %+v", k, r.Incidents[0].Impacts)
					}
				}
				if c := kinds["confidentiality"]; c != nil && (c.Quantity == nil || c.Quantity.Value != 2.5e6 || c.Quantity.Unit != "customers") {
					t.Errorf("confidentiality quantity = %+v, want 2.5e6 customers", c.Quantity)
				}
				if f := kinds["financial"]; f != nil && (f.Quantity == nil || f.Quantity.Value != 4.5e6 || f.Quantity.Unit != "USD") {
					t.Errorf("financial quantity = %+v, want 4.5e6 USD", f.Quantity)
				}
			},
		},
		{
			name: "negated impact is left out",
			art:  newArticle("Insurer breach", "Hackers breached Tolland Insurance, which said its systems did not suffer any disruption."),
			check: func(t *testing.T, r *record.Result) {
				for _, inc := range r.Incidents {
					for _, im := range inc.Impacts {
						if im.Kind == "availability" {
							t.Errorf("availability impact from a negated sentence: %+v", im)
						}
					}
				}
			},
		},
		{
			name: "sources and outlets are not victims",
			art:  newArticle("Survey: attacks rise", "According to Reuters, attacks on retailers rose last year.", "A survey by Gartner found that most companies expect a breach."),
			check: func(t *testing.T, r *record.Result) {
				if len(r.Incidents) != 0 {
					t.Errorf("incidents = %q, want none", summary(r))
				}
			},
		},
		{
			name: "CVE ids and techniques are tooling",
			art:  newArticle("Firm breached", "Hackers breached Orrin Logistics by exploiting CVE-2023-4966 and then used phishing emails against staff."),
			check: func(t *testing.T, r *record.Result) {
				if len(r.Incidents) != 1 {
					t.Fatalf("incidents = %q", summary(r))
				}
				var names []string
				for _, tl := range r.Incidents[0].Tooling {
					names = append(names, tl.Name+"/"+tl.Kind)
				}
				for _, want := range []string{"CVE-2023-4966/vulnerability", "phishing/technique"} {
					if !slices.Contains(names, want) {
						t.Errorf("tooling = %q, want %s", names, want)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, x.Article(tt.art))
		})
	}
}

func onlyVictim(t *testing.T, r *record.Result) record.Victim {
	t.Helper()
	if len(r.Incidents) != 1 || len(r.Incidents[0].Victims) != 1 {
		t.Fatalf("want one incident with one victim, got %q", summary(r))
	}
	return r.Incidents[0].Victims[0]
}

func onlyActor(t *testing.T, r *record.Result) record.Actor {
	t.Helper()
	if len(r.Incidents) != 1 || len(r.Incidents[0].Actors) != 1 {
		t.Fatalf("want one incident with one actor, got %q", summary(r))
	}
	return r.Incidents[0].Actors[0]
}

// TestVictimConstructions covers the ways news sentences name a victim.
func TestVictimConstructions(t *testing.T) {
	x := extracttest.Default(t)
	tests := []struct{ sentence, victim string }{
		{"Northwind Logistics, a freight forwarder based in Rotterdam, said on Monday that hackers had stolen employee records.", "Northwind Logistics"},
		{"Brightwater Council said it was the victim of a cyber attack that disrupted online services.", "Brightwater Council"},
		{"Halden University has been dealing with a ransomware attack since Friday.", "Halden University"},
		{"Ocelot Energy was forced to shut down its billing systems after a cyber incident.", "Ocelot Energy"},
		{"Tamsin Health notified patients of a data breach affecting 40,000 people.", "Tamsin Health"},
		{"A ransomware attack on Greyfield Hospital disrupted surgeries.", "Greyfield Hospital"},
		{"Hackers breached the systems of Castor Bank over the weekend.", "Castor Bank"},
		{"Files belonging to Orla Foods were posted on the gang's leak site.", "Orla Foods"},
	}
	for _, tt := range tests {
		t.Run(tt.victim, func(t *testing.T) {
			r := x.Article(newArticle("News", tt.sentence))
			var got []string
			for _, inc := range r.Incidents {
				for _, v := range inc.Victims {
					got = append(got, v.Name)
				}
			}
			if !slices.Contains(got, tt.victim) {
				t.Errorf("victims = %q, want %q", got, tt.victim)
			}
		})
	}
}

// TestActorConstructions covers the ways news sentences name an attacker.
func TestActorConstructions(t *testing.T) {
	x := extracttest.Default(t)
	tests := []struct{ text, actor, attribution string }{
		{"Hackers breached Fenlow Water. The hackers, who call themselves Crimson Moth, demanded a ransom.", "Crimson Moth", "claimed"},
		{"Hackers breached Fenlow Water. Crimson Moth, a ransomware gang that appeared last year, is believed to be behind it.", "Crimson Moth", "suspected"},
		{"Hackers breached Fenlow Water. A group called Crimson Moth claimed responsibility for the attack.", "Crimson Moth", "claimed"},
		{"Hackers breached Fenlow Water. Investigators attributed the intrusion to APT29.", "APT29", "attributed"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := x.Article(newArticle("News", tt.text))
			for _, inc := range r.Incidents {
				for _, a := range inc.Actors {
					if a.Name == tt.actor || slices.Contains(a.Aliases, tt.actor) {
						if a.Attribution != tt.attribution {
							t.Errorf("%s attribution = %s, want %s", a.Name, a.Attribution, tt.attribution)
						}
						return
					}
				}
			}
			t.Errorf("no actor %q in %q", tt.actor, summary(r))
		})
	}
}

// TestGovernmentVictim checks that a state's institutions, named without a
// name, become the government of the country in the headline, and nothing
// when the headline names no country.
func TestGovernmentVictim(t *testing.T) {
	x := extracttest.Default(t)
	r := x.Article(newArticle("Ecuador declares emergency after ransomware", "A wave of ransomware attacks against government institutions disrupted tax collection."))
	if got := summary(r); len(got) != 1 || !strings.Contains(got[0], "Ecuadorian government") {
		t.Errorf("incidents = %q, want the Ecuadorian government", got)
	}
	r = x.Article(newArticle("Officials meet after ransomware wave", "A wave of ransomware attacks against government institutions disrupted tax collection."))
	if len(r.Incidents) != 0 {
		t.Errorf("incidents = %q, want none without a country", summary(r))
	}
}

// TestNegation checks that a negation before an impact drops it, and that
// words that only look like one do not.
func TestNegation(t *testing.T) {
	x := extracttest.Default(t)
	kinds := func(text string) []string {
		var out []string
		for _, inc := range x.Article(newArticle("News", "Hackers breached Orrin Logistics last week.", text)).Incidents {
			for _, im := range inc.Impacts {
				out = append(out, im.Kind)
			}
		}
		return out
	}
	if k := kinds("Orrin Logistics said it was too early to put a figure on the cost."); slices.Contains(k, "financial") {
		t.Errorf("impacts %q from a negated sentence", k)
	}
	if k := kinds("Early on Monday the attack caused an outage at its warehouses."); !slices.Contains(k, "availability") {
		t.Errorf("impacts %q, want availability", k)
	}
}
