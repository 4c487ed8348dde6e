package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// filterReports are reports of five victims over three months.
var filterReports = []report{
	{input: "a", published: "2025-01-10T09:00:00Z", victims: []string{"Harbor Bank"}, aliases: []string{"HBK"},
		sector: "finance", country: "GB", actor: "Quiet Heron", tool: "LockBit"},
	{input: "b", published: "2025-02-03T12:00:00+02:00", victims: []string{"Lindqvist Energi"},
		sector: "energy", country: "SE", actor: "Ashfall", tool: "Akira", status: "attempted"},
	{input: "c", published: "2025-03-20", victims: []string{"Change Healthcare"},
		sector: "healthcare", country: "US", actor: "ALPHV", tool: "BlackCat"},
	{input: "d", published: "2025-03-21T08:00:00Z", victims: []string{"St Mary's Hospital"},
		sector: "healthcare", country: "GB", actor: "Quiet Heron", tool: "LockBit"},
	{input: "e", victims: []string{"Undated Council"}, sector: "government", country: "GB"},
}

func TestIncidentsFilter(t *testing.T) {
	d := openTest(t)
	for _, r := range filterReports {
		put(t, d, r.record())
	}
	day := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name   string
		filter Filter
		want   []string // first victims, in order
	}{
		{"all, newest first, undated last", Filter{},
			[]string{"St Mary's Hospital", "Change Healthcare", "Lindqvist Energi", "Harbor Bank", "Undated Council"}},
		{"limit", Filter{Limit: 2}, []string{"St Mary's Hospital", "Change Healthcare"}},
		{"since a date", Filter{Since: day("2025-02-03")}, []string{"St Mary's Hospital", "Change Healthcare", "Lindqvist Energi"}},
		{"until a date (exclusive bound)", Filter{Until: day("2025-02-03").Add(24 * time.Hour)}, []string{"Lindqvist Energi", "Harbor Bank"}},
		// 12:00 at +02:00 is 10:00 in UTC.
		{"a time zone counts", Filter{Until: day("2025-02-03").Add(10*time.Hour + time.Second)}, []string{"Lindqvist Energi", "Harbor Bank"}},
		{"until is exclusive", Filter{Until: day("2025-02-03").Add(10 * time.Hour)}, []string{"Harbor Bank"}},
		{"since and until", Filter{Since: day("2025-02-01"), Until: day("2025-03-21")}, []string{"Change Healthcare", "Lindqvist Energi"}},
		{"victim substring, any case", Filter{Victim: "HEALTH"}, []string{"Change Healthcare"}},
		{"victim alias", Filter{Victim: "hbk"}, []string{"Harbor Bank"}},
		{"victim with a curly apostrophe", Filter{Victim: "st mary\u2019s"}, []string{"St Mary's Hospital"}},
		{"actor", Filter{Actor: "quiet heron"}, []string{"St Mary's Hospital", "Harbor Bank"}},
		{"tool", Filter{Tool: "akira"}, []string{"Lindqvist Energi"}},
		{"sector is whole", Filter{Sector: "Healthcare"}, []string{"St Mary's Hospital", "Change Healthcare"}},
		{"sector is not a substring", Filter{Sector: "health"}, nil},
		{"country", Filter{Country: "gb"}, []string{"St Mary's Hospital", "Harbor Bank", "Undated Council"}},
		{"status", Filter{Status: "attempted"}, []string{"Lindqvist Energi"}},
		{"filters combine", Filter{Country: "GB", Actor: "heron", Since: day("2025-03-01")}, []string{"St Mary's Hospital"}},
		{"nothing matches", Filter{Victim: "nobody at all"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(listed(t, d, tt.filter)); !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestIncidentByID(t *testing.T) {
	d := openTest(t)
	for _, r := range filterReports {
		put(t, d, r.record())
	}
	all := listed(t, d, Filter{})
	id := all[0].ID
	for _, q := range []string{id, id[:6], " " + id + " "} {
		data, err := d.Incident(context.Background(), q)
		if err != nil || !strings.Contains(string(data), `"id":"`+id+`"`) {
			t.Errorf("Incident(%q) = %.60s, %v", q, data, err)
		}
	}
	for _, q := range []string{"nope", id[:3], "%", "zzzzzzzz"} {
		if _, err := d.Incident(context.Background(), q); !errors.Is(err, ErrNoIncident) {
			t.Errorf("Incident(%q): %v, want ErrNoIncident", q, err)
		}
	}
}

func TestInputs(t *testing.T) {
	d := openTest(t)
	r := report{input: "caf\xe9.html", victims: []string{"Harbor Bank"}}.record()
	r.Input, r.InputBytes = "caf\ufffd.html", []byte("caf\xe9.html")
	put(t, d, r)
	put(t, d, report{input: "b.html", victims: []string{"Lindqvist Energi"}}.record())
	got, err := d.Inputs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["caf\xe9.html"]; !ok || len(got) != 2 {
		t.Errorf("Inputs = %q, want the name byte for byte and b.html", got)
	}
}
