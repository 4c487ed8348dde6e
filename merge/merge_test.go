package merge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/record"
)

func TestNameLinks(t *testing.T) {
	m := newMerger(t, Options{})
	tests := []struct {
		a, b string
		want bool
	}{
		{"Marks & Spencer", "M&S", true},
		{"Marks and Spencer Group plc", "Marks & Spencer", true},
		{"Marks & Spencer's", "marks & spencer", true},
		{"the Co-op", "Co-operative Group", true},
		{"Co-op Milling", "the Co-operative Milling Group", true},
		{"Co op", "Coop", true},
		{"ICBC FS", "ICBC Financial Services", true},
		{"ICBC", "Industrial and Commercial Bank of China", true},
		{"HSE", "Health Service Executive", true},
		{"NHS", "National Health Service", true},
		{"LAUSD", "Los Angeles Unified School District", true},
		{"TfL", "Transport for London", true},
		{"LMS", "Lystra Marine Services Inc.", true},
		{"Rockstar", "Rockstar Games", true},
		{"Marriott", "Marriott International", true},
		{"Marrowby Water", "Marrowby Water Services Ltd", true},
		{"Greyholm", "Greyholm Hotels Group plc", true},
		{"University of Kelloway", "Kelloway University", true},
		{"Telefónica", "Telefonica", true},
		{"Halden & Crewe", "Halden and Crewe", true},
		{"HALDEN & CREWE PLC", "Halden & Crewe", true},
		{"Acme GAMES", "Acme", true},

		{"British Airways", "British Motors", false},
		{"Marrowby Water", "Marrowby Waste", false},
		{"Dallas", "Dallas County", false},
		{"Columbus City Council", "Columbus State University", false},
		{"Morgan Stanley", "Marks & Spencer", false},
		{"ICBC FS", "ICBC", false},
		{"Meta", "Metamask", false},
		{"Star Wars", "Starwood", false},
		{"Thirlmoor Logistics", "Thirlmoor Haulage", false},
		{"BD", "De Beers Diamonds", false},
		{"DBD", "De Beers Diamonds", true},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			a, b := m.names.parse(tt.a), m.names.parse(tt.b)
			got := m.names.link(a, b) != linkUnknown
			if got != tt.want {
				t.Errorf("link(%q, %q) = %v, want %v (bases %q, %q)", tt.a, tt.b, got, tt.want, a.base, b.base)
			}
			if got != (m.names.link(b, a) != linkUnknown) {
				t.Errorf("link is not symmetric for %q, %q", tt.a, tt.b)
			}
			// Partitioning is exact only if every link stays in a block.
			if got && m.BlockKey(tt.a) != m.BlockKey(tt.b) {
				t.Errorf("%q and %q link but have block keys %q and %q", tt.a, tt.b, m.BlockKey(tt.a), m.BlockKey(tt.b))
			}
			// The clustering's index finds the same links.
			merged := m.Merge([]*record.Result{
				article("a", "2025-03-01", incident(victims(tt.a))),
				article("b", "2025-03-02", incident(victims(tt.b))),
			})
			if (len(merged) == 1) != tt.want {
				t.Errorf("merging %q and %q gives %d incidents", tt.a, tt.b, len(merged))
			}
		})
	}
}

// FuzzBlockKey checks the property that makes partitioning exact: two
// names that link have the same block key.
func FuzzBlockKey(f *testing.F) {
	m := newMerger(f, Options{})
	for _, p := range [][2]string{
		{"M&S", "Marks & Spencer"}, {"the Co-op", "Co-operative Group"}, {"ICBC FS", "ICBC Financial Services"},
		{"TfL", "Transport for London"}, {"University of Kelloway", "UoK"}, {"De La Rue", "DLR"},
		{"Rockstar Games", "Rockstar"}, {"Co op", "Coop"}, {"Émile Ltd", "Emile"}, {"NHS England", "National Health Service England"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		na, nb := m.names.parse(a), m.names.parse(b)
		if m.names.link(na, nb) != linkUnknown && blockKeyOf(na) != blockKeyOf(nb) {
			t.Errorf("%q and %q link but have block keys %q and %q", a, b, blockKeyOf(na), blockKeyOf(nb))
		}
	})
}

func TestMergeRules(t *testing.T) {
	m := newMerger(t, Options{})
	tests := []struct {
		name    string
		records []*record.Result
		want    []string // each merged incident's sources, in any order
	}{
		{
			name: "three outlets and a follow-up",
			records: []*record.Result{
				article("bbc", "2025-04-22T10:00:00+01:00", incident(victims("Marks & Spencer|M&S"))),
				article("guardian", "2025-04-22", incident(victims("M&S"))),
				article("ft", "2025-04-25", incident(victims("Marks and Spencer Group plc"), "DragonForce:claimed")),
				article("reuters", "2025-05-21", incident(victims("Marks & Spencer"), "Scattered Spider:suspected")),
			},
			want: []string{"guardian,bbc,ft,reuters"},
		},
		{
			name: "the window chains",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Acme Foods"))),
				article("b", "2025-02-20", incident(victims("Acme Foods"))),
				article("c", "2025-04-10", incident(victims("Acme Foods"))),
			},
			want: []string{"a,b,c"},
		},
		{
			name: "a silence longer than the window",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Acme Foods"))),
				article("b", "2025-03-15", incident(victims("Acme Foods"))),
			},
			want: []string{"a", "b"},
		},
		{
			name: "a late report that dates the attack back joins it",
			records: []*record.Result{
				article("may", "2025-05-13", incident(victims("Wyndcliffe Academy Trust"))),
				article("june", "2025-06-02", incident(victims("Wyndcliffe Academy Trust"))),
				article("fine", "2025-09-23", dated(incident(victims("Wyndcliffe Academy Trust")), "2025-05")),
			},
			want: []string{"may,june,fine"},
		},
		{
			name: "a late report does not stretch the window",
			records: []*record.Result{
				article("may", "2025-05-13", incident(victims("Wyndcliffe Academy Trust"))),
				article("fine", "2025-09-23", dated(incident(victims("Wyndcliffe Academy Trust")), "2025-05-02")),
				article("new", "2025-10-20", incident(victims("Wyndcliffe Academy Trust"))),
			},
			want: []string{"may,fine", "new"},
		},
		{
			name: "a date outside the cluster's span starts another",
			records: []*record.Result{
				article("may", "2025-05-13", incident(victims("Wyndcliffe Academy Trust"))),
				article("later", "2025-11-20", dated(incident(victims("Wyndcliffe Academy Trust")), "2025-10")),
				article("earlier", "2026-03-01", dated(incident(victims("Wyndcliffe Academy Trust")), "2025-01")),
			},
			want: []string{"may", "later", "earlier"},
		},
		{
			name: "a year is no date to join by",
			records: []*record.Result{
				article("jan", "2025-01-14", incident(victims("Thirlmoor Logistics"))),
				article("oct", "2025-10-02", incident(victims("Thirlmoor Logistics"))),
				article("feb", "2026-02-10", dated(incident(victims("Thirlmoor Logistics")), "2025")),
			},
			want: []string{"jan", "oct", "feb"},
		},
		{
			name: "a report within the window does not join another cluster by its date",
			records: []*record.Result{
				article("jan", "2025-01-14", incident(victims("Thirlmoor Logistics"))),
				article("oct", "2025-10-02", incident(victims("Thirlmoor Logistics"))),
				article("nov", "2025-11-05", dated(incident(victims("Thirlmoor Logistics")), "2025-01")),
			},
			want: []string{"jan", "oct,nov"},
		},
		{
			name: "a late report joins one cluster by date, the one whose reports span it",
			records: []*record.Result{
				article("may", "2025-05-01", incident(victims("Wyndcliffe Academy Trust"))),
				article("jul", "2025-07-20", incident(victims("Wyndcliffe Academy Trust"))),
				article("sep", "2025-09-23", dated(incident(victims("Wyndcliffe Academy Trust")), "2025-05-01")),
			},
			want: []string{"may,sep", "jul"},
		},
		{
			name: "two gangs claim two attacks within the window",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Acme Foods"), "LockBit:claimed")),
				article("b", "2025-01-20", incident(victims("Acme Foods"), "Clop:attributed")),
				article("c", "2025-01-21", incident(victims("Acme Foods"), "Clop:claimed")),
			},
			want: []string{"a", "b,c"},
		},
		{
			name: "a suspicion contradicts nothing",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Acme Foods"), "LockBit:claimed")),
				article("b", "2025-01-20", incident(victims("Acme Foods"), "Clop:suspected")),
			},
			want: []string{"a,b"},
		},
		{
			name: "one victim attacked twice a year apart",
			records: []*record.Result{
				article("jan", "2025-01-14", incident(victims("Thirlmoor Logistics"))),
				article("jan2", "2025-01-29", incident(victims("Thirlmoor Logistics Ltd"))),
				article("dec", "2025-12-02", incident(victims("Thirlmoor Logistics"), "Ashen Choir:claimed")),
			},
			want: []string{"jan,jan2", "dec"},
		},
		{
			name: "two forms of a victim in one article",
			records: []*record.Result{
				article("live", "2023-11-09",
					incident(victims("ICBC FS"), "LockBit:suspected"),
					incident(victims("ICBC Financial Services"))),
			},
			want: []string{"live"},
		},
		{
			name: "the same article read twice",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Acme Foods"))),
				article("a", "2025-01-01", incident(victims("Acme Foods"))),
			},
			want: []string{"a"},
		},
		{
			name: "an undated report joins the only incident of its victim",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Acme Foods"))),
				article("undated", "", incident(victims("Acme Foods"))),
			},
			want: []string{"a,undated"},
		},
		{
			name: "an undated report of a victim attacked twice stays apart",
			records: []*record.Result{
				article("a", "2024-01-01", incident(victims("Acme Foods"))),
				article("b", "2025-01-01", incident(victims("Acme Foods"))),
				article("undated", "", incident(victims("Acme Foods"))),
			},
			want: []string{"a", "b", "undated"},
		},
		{
			name: "an acronym beside its long form is not another long form",
			records: []*record.Result{
				article("a", "2025-01-01", incident(victims("Morgan Stanley"))),
				article("b", "2025-01-02", incident(victims("Marks & Spencer|M&S"))),
				article("c", "2025-01-03", incident(victims("M&S"))),
			},
			want: []string{"a", "b,c"},
		},
		{
			name: "two aliases do not link",
			records: []*record.Result{
				article("a", "2025-08-05", incident(victims("Marrowby Waste|Marrowby"))),
				article("b", "2025-08-07", incident(victims("Marrowby Borough Council|Marrowby"))),
			},
			want: []string{"a", "b"},
		},
		{
			name: "a name meets an alias",
			records: []*record.Result{
				article("a", "2025-08-05", incident(victims("Marrowby Waste Management|Marrowby Waste"))),
				article("b", "2025-08-07", incident(victims("Marrowby Waste"))),
			},
			want: []string{"a,b"},
		},
		{
			name: "incidents without victims merge only with their copies",
			records: []*record.Result{
				article("a", "2025-01-01", incident(nil, "LockBit:claimed")),
				article("a", "2025-01-01", incident(nil, "LockBit:claimed")),
				article("b", "2025-01-01", incident(nil, "LockBit:claimed")),
			},
			want: []string{"a", "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := groupsOf(m.Merge(tt.records))
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMergedFields(t *testing.T) {
	m := newMerger(t, Options{})
	a := article("a", "2025-04-22T10:00:00+01:00", incident(victims("Marks & Spencer|M&S"), "Scattered Spider:suspected"))
	a.Incidents[0].Status = "attempted"
	a.Incidents[0].Impacts = []record.Impact{{Kind: "financial", Summary: "£300m", Quantity: &record.Quantity{Value: 3e8, Unit: "GBP"},
		Evidence: []record.Evidence{{Rule: "impact", Text: "It will cost £300m.", Start: 1, End: 2}}}}
	b := article("b", "2025-05-01", incident(victims("M&S"), "Scattered Spider:attributed", "DragonForce:claimed"))
	b.Incidents[0].Impacts = []record.Impact{
		{Kind: "financial", Summary: "up to £400m", Quantity: &record.Quantity{Value: 4e8, Unit: "GBP"},
			Evidence: []record.Evidence{{Rule: "impact", Text: "Up to £400m.", Start: 3, End: 4}}},
		{Kind: "availability", Summary: "online orders paused", Evidence: []record.Evidence{{Rule: "impact", Text: "Orders paused.", Start: 5, End: 6}}},
	}
	b.Incidents[0].Indicators = []record.Indicator{{Type: "domain", Value: "evil.example", Evidence: []record.Evidence{{Rule: "ioc", Text: "evil.example", Start: 7, End: 8}}}}
	b.Site = "Other News"
	merged := m.Merge([]*record.Result{b, a})
	if len(merged) != 1 {
		t.Fatalf("got %d incidents, want 1: %q", len(merged), groupsOf(merged))
	}
	mg := merged[0]
	if mg.Schema != record.MergedSchemaVersion || len(mg.ID) != 16 || mg.BlockKey != "m" {
		t.Errorf("schema %q, id %q, block %q", mg.Schema, mg.ID, mg.BlockKey)
	}
	if mg.Status != "confirmed" {
		t.Errorf("status %q, want confirmed (one source confirms)", mg.Status)
	}
	if mg.FirstReported != "2025-04-22T09:00:00Z" || mg.LastReported != "2025-05-01T00:00:00Z" {
		t.Errorf("reported %s to %s", mg.FirstReported, mg.LastReported)
	}
	if len(mg.Sources) != 2 || mg.Sources[0].Key != "s1" || mg.Sources[0].Input != "a.html" || mg.Sources[1].Site != "Other News" {
		t.Errorf("sources %+v", mg.Sources)
	}
	v := mg.Victims[0]
	if len(mg.Victims) != 1 || v.Name != "M&S" && v.Name != "Marks & Spencer" || len(v.Aliases) != 1 {
		t.Errorf("victims %+v", mg.Victims)
	}
	if len(v.Evidence) != 2 || v.Evidence[0].Source != "s1" || v.Evidence[1].Source != "s2" {
		t.Errorf("victim evidence %+v", v.Evidence)
	}
	actors := map[string]record.MergedActor{}
	for _, a := range mg.Actors {
		actors[a.Name] = a
	}
	if sp := actors["Scattered Spider"]; sp.Attribution != "attributed" || sp.AttributionSource != "s2" || len(sp.Evidence) != 2 {
		t.Errorf("Scattered Spider: %+v", sp)
	}
	if df := actors["DragonForce"]; df.Attribution != "claimed" || df.AttributionSource != "s2" {
		t.Errorf("DragonForce: %+v", df)
	}
	var fin *record.MergedImpact
	for i := range mg.Impacts {
		if mg.Impacts[i].Kind == "financial" {
			fin = &mg.Impacts[i]
		}
	}
	if fin == nil || fin.Quantity.Value != 4e8 || fin.QuantitySource != "s2" || fin.Summary != "up to £400m" || len(fin.Evidence) != 2 {
		t.Errorf("financial impact %+v", fin)
	}
	if len(mg.Impacts) != 2 || len(mg.Indicators) != 1 || mg.Indicators[0].Evidence[0].Source != "s2" {
		t.Errorf("impacts %+v, indicators %+v", mg.Impacts, mg.Indicators)
	}
}

// TestOneArticleTwoForms checks that an article that reports one victim
// in two incidents is one source of the merged incident, naming both.
func TestOneArticleTwoForms(t *testing.T) {
	m := newMerger(t, Options{})
	merged := m.Merge([]*record.Result{article("live", "2023-11-09",
		incident(victims("ICBC FS"), "LockBit:suspected"),
		incident(victims("ICBC Financial Services")))})
	if len(merged) != 1 || len(merged[0].Sources) != 1 {
		t.Fatalf("got %q", groupsOf(merged))
	}
	s := merged[0].Sources[0]
	if s.Incident != "live-1" || len(s.OtherIncidents) != 1 || s.OtherIncidents[0] != "live-2" {
		t.Errorf("source %+v", s)
	}
	if v := merged[0].Victims[0]; len(v.Aliases) != 1 || len(v.Evidence) != 2 {
		t.Errorf("victim %+v", v)
	}
}

func TestEvidenceIsCapped(t *testing.T) {
	m := newMerger(t, Options{})
	var records []*record.Result
	for i := range 30 {
		day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		records = append(records, article("a"+strings.Repeat("x", i), day.Format("2006-01-02"), incident(victims("Acme Foods"))))
	}
	merged := m.Merge(records)
	if len(merged) != 1 {
		t.Fatalf("got %d incidents", len(merged))
	}
	v := merged[0].Victims[0]
	if len(merged[0].Sources) != 30 || len(v.Evidence) != maxEvidence || v.EvidenceCount != 30 {
		t.Errorf("%d sources, %d evidence, count %d; want 30, %d, 30", len(merged[0].Sources), len(v.Evidence), v.EvidenceCount, maxEvidence)
	}
}

func TestCampaign(t *testing.T) {
	m := newMerger(t, Options{})
	wave := func(name, victim string) *record.Result {
		inc := incident(victims(victim), "Tin Orchard:claimed")
		inc.Tooling = []record.Tool{{Name: "CVE-2025-31337", Kind: "vulnerability", Evidence: []record.Evidence{{Rule: "cve", Text: "CVE-2025-31337", Start: 1, End: 2}}}}
		return article(name, "2025-06-04", inc)
	}
	merged := m.Merge([]*record.Result{
		wave("a", "Brackenmoor Building Society"),
		wave("b", "Cindervale Insurance"),
		article("c", "2025-02-18", incident(victims("Stourhaven Borough Council", "Ketterby County Council"), "Brine Collective:claimed")),
		article("d", "2025-02-18", incident(victims("Orbury District Council"))),
	})
	campaigns := map[string]string{}
	for _, mg := range merged {
		campaigns[mg.Victims[0].Name] = mg.Campaign
	}
	w1, w2 := campaigns["Brackenmoor Building Society"], campaigns["Stourhaven Borough Council"]
	switch {
	case len(merged) != 5:
		t.Errorf("got %d incidents, want one per victim (5)", len(merged))
	case w1 == "" || campaigns["Cindervale Insurance"] != w1:
		t.Errorf("the wave's victims do not share a campaign: %v", campaigns)
	case w2 == "" || w2 == w1 || campaigns["Ketterby County Council"] != w2:
		t.Errorf("one article's victims do not share a campaign: %v", campaigns)
	case campaigns["Orbury District Council"] != "":
		t.Errorf("a lone victim has a campaign: %v", campaigns)
	}
}

// TestOrderIndependence merges the same records in many orders, some
// given twice, and wants the same bytes each time.
func TestOrderIndependence(t *testing.T) {
	m := newMerger(t, Options{})
	records := synthRecords(400, 1)
	want := encodeAll(t, m.Merge(records))
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 5 {
		shuffled := slices.Clone(records)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if i%2 == 1 {
			shuffled = append(shuffled, shuffled[:50]...) // copies: the same articles read twice
		}
		if got := encodeAll(t, m.Merge(shuffled)); !bytes.Equal(got, want) {
			t.Fatalf("order %d gives other output (%d bytes, want %d)", i, len(got), len(want))
		}
	}
}

// encodeAll is the JSONL of merged incidents.
func encodeAll(t *testing.T, list []record.Merged) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, mg := range list {
		b, err := encodeMerged(mg)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// TestUnitsRoundTrip checks that units survive JSON, as spill files and
// the store keep them.
func TestUnitsRoundTrip(t *testing.T) {
	m := newMerger(t, Options{})
	for _, r := range synthRecords(50, 3) {
		for _, u := range m.Units(r) {
			b, err := json.Marshal(u)
			if err != nil {
				t.Fatal(err)
			}
			var back Unit
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
				t.Fatalf("unit changed through JSON:\n%s\n%s", b, b2)
			}
			if back.Schema != UnitSchemaVersion || back.BlockKey == "" || back.Key == "" {
				t.Fatalf("unit without schema, block or key: %s", b)
			}
		}
	}
}

// TestMergedOccurred checks the date a merged incident takes from its
// sources: the earliest, and of dates that hold one another the most
// precise, in any order of the sources.
func TestMergedOccurred(t *testing.T) {
	m := newMerger(t, Options{})
	tests := []struct {
		dates []string // one source each, published a day apart
		want  string
	}{
		{[]string{"2024", "2024-05", "2024-05-14"}, "2024-05-14"},
		{[]string{"2024-05-14", "2024-05", "2024"}, "2024-05-14"},
		{[]string{"2024-05-14", "2024-03"}, "2024-03"},
		{[]string{"2024-03", "2024-05-14"}, "2024-03"},
		{[]string{"2024-05-20", "2024-05-14"}, "2024-05-14"},
	}
	for _, tt := range tests {
		var records []*record.Result
		for i, d := range tt.dates {
			records = append(records, article(fmt.Sprintf("a%d", i), fmt.Sprintf("2024-06-%02d", i+1), dated(incident(victims("Acme Foods")), d)))
		}
		got := m.Merge(records)
		if len(got) != 1 || got[0].Occurred == nil || got[0].Occurred.Date != tt.want {
			t.Errorf("%v: got %+v, want %s", tt.dates, got, tt.want)
		}
	}
}
