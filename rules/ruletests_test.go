package rules

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseTests(t *testing.T) {
	pack, err := ParseFile("t.yaml", []byte(`# examples
tests:
  - sentence: "Acme Bank was hit by ransomware."
    title: Acme Bank hit
    expect:
      victims: [Acme Bank]
      actors: [LockBit]
      tooling: [LockBit]
      impacts: [availability, financial]
      status: confirmed
    not: {victims: [BBC], impacts: [integrity]}
  - sentence: A survey of firms.
    expect: {none: true}
  - sentence: Only what must not be found.
    not: {actors: [Royal]}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Test{
		{
			Sentence: "Acme Bank was hit by ransomware.", Title: "Acme Bank hit",
			Expect: Expect{Victims: []string{"Acme Bank"}, Actors: []string{"LockBit"}, Tooling: []string{"LockBit"},
				Impacts: []string{"availability", "financial"}, Status: "confirmed"},
			Not:    Expect{Victims: []string{"BBC"}, Impacts: []string{"integrity"}},
			Source: "t.yaml", Line: 3, N: 1,
		},
		{Sentence: "A survey of firms.", Expect: Expect{None: true}, Source: "t.yaml", Line: 12, N: 2},
		{Sentence: "Only what must not be found.", Not: Expect{Actors: []string{"Royal"}}, Source: "t.yaml", Line: 14, N: 3},
	}
	if !reflect.DeepEqual(pack.Tests, want) {
		t.Errorf("tests:\n%+v\nwant:\n%+v", pack.Tests, want)
	}
	if s := NewSet(pack); s.Actors != nil || s.Patterns != nil {
		t.Errorf("NewSet took entries from a pack of tests only: %+v", s)
	}
}

func TestCheck(t *testing.T) {
	set := &Set{
		Actors:  []Entity{{ID: "scattered-spider", Name: "Scattered Spider", Aliases: []string{"Octo Tempest", "UNC3944"}}},
		Tooling: []Entity{{ID: "lockbit", Name: "LockBit", Aliases: []string{"LockBit 3.0"}, Actor: true}, {ID: "phishing", Name: "phishing", Aliases: []string{"spear-phishing"}}},
	}
	names := NewNames(set)
	acme := Found{Name: "Acme Bank", Aliases: []string{"Acme"}, Rules: []string{"victim.passive-hit"}}
	got := &Outcome{
		Incidents: 1,
		Statuses:  []string{"confirmed"},
		Victims:   []Found{acme},
		Actors:    []Found{{Name: "Scattered Spider", Rules: []string{"actor.attributed"}}},
		Tooling:   []Found{{Name: "LockBit", Rules: []string{"lockbit"}}, {Name: "phishing"}},
		Impacts:   []Found{{Name: "availability", Rules: []string{"impact.offline"}}},
	}
	none := &Outcome{}
	tests := []struct {
		name string
		test Test
		got  *Outcome
		want []string
	}{
		{"names, case and aliases", Test{Expect: Expect{
			Victims: []string{"ACME"}, Actors: []string{"octo tempest"}, Tooling: []string{"LockBit 3.0", "spear-phishing"},
			Impacts: []string{"availability"}, Status: "confirmed"}}, got, nil},
		{"an alias of another entry is not enough", Test{Expect: Expect{Actors: []string{"LockBit"}}}, got,
			[]string{`f.yaml:7: test 2: want actors [LockBit], got [Scattered Spider] (rules: actor.attributed)`}},
		{"missing names listed once per role", Test{Expect: Expect{Victims: []string{"Acme Bank", "Royal Mail", "BBC"}, Impacts: []string{"financial"}}}, got,
			[]string{
				`f.yaml:7: test 2: want victims [Royal Mail, BBC], got [Acme Bank] (rules: victim.passive-hit)`,
				`f.yaml:7: test 2: want impacts [financial], got [availability] (rules: impact.offline)`,
			}},
		{"not", Test{Not: Expect{Victims: []string{"acme"}, Actors: []string{"Royal"}}}, got,
			[]string{`f.yaml:7: test 2: want victims without [acme], got [Acme Bank] (rules: victim.passive-hit)`}},
		{"status", Test{Expect: Expect{Status: "attempted"}}, got,
			[]string{`f.yaml:7: test 2: want status attempted, got [confirmed]`}},
		{"status without incident", Test{Expect: Expect{Status: "attempted"}}, none,
			[]string{`f.yaml:7: test 2: want status attempted, got no incident`}},
		{"nothing found", Test{Expect: Expect{Victims: []string{"Acme"}}}, none,
			[]string{`f.yaml:7: test 2: want victims [Acme], got []`}},
		{"none passes", Test{Expect: Expect{None: true}}, none, nil},
		{"none fails", Test{Expect: Expect{None: true}}, got,
			[]string{`f.yaml:7: test 2: want no incident, got 1: victims [Acme Bank] (rules: victim.passive-hit)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.test.Source, tt.test.Line, tt.test.N = "f.yaml", 7, 2
			var lines []string
			for _, e := range tt.test.Check(tt.got, names) {
				lines = append(lines, e.Error())
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Check:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
