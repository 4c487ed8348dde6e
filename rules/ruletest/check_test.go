package ruletest

import (
	"strings"
	"testing"

	"github.com/incidex/incidex/rules"
)

func TestCheck(t *testing.T) {
	set := &rules.Set{
		Actors:  []rules.Entity{{ID: "scattered-spider", Name: "Scattered Spider", Aliases: []string{"Octo Tempest", "UNC3944"}}},
		Tooling: []rules.Entity{{ID: "lockbit", Name: "LockBit", Aliases: []string{"LockBit 3.0"}, Actor: true}, {ID: "phishing", Name: "phishing", Aliases: []string{"spear-phishing"}}},
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
		test rules.Test
		got  *Outcome
		want []string
	}{
		{"names, case and aliases", rules.Test{Expect: rules.Expect{
			Victims: []string{"ACME"}, Actors: []string{"octo tempest"}, Tooling: []string{"LockBit 3.0", "spear-phishing"},
			Impacts: []string{"availability"}, Status: "confirmed"}}, got, nil},
		{"an alias of another entry is not enough", rules.Test{Expect: rules.Expect{Actors: []string{"LockBit"}}}, got,
			[]string{`f.yaml:7: test 2: want actors [LockBit], got [Scattered Spider] (rules: actor.attributed)`}},
		{"missing names listed once per role", rules.Test{Expect: rules.Expect{Victims: []string{"Acme Bank", "Royal Mail", "BBC"}, Impacts: []string{"financial"}}}, got,
			[]string{
				`f.yaml:7: test 2: want victims [Royal Mail, BBC], got [Acme Bank] (rules: victim.passive-hit)`,
				`f.yaml:7: test 2: want impacts [financial], got [availability] (rules: impact.offline)`,
			}},
		{"not", rules.Test{Not: rules.Expect{Victims: []string{"acme"}, Actors: []string{"Royal"}}}, got,
			[]string{`f.yaml:7: test 2: want victims without [acme], got [Acme Bank] (rules: victim.passive-hit)`}},
		{"status", rules.Test{Expect: rules.Expect{Status: "attempted"}}, got,
			[]string{`f.yaml:7: test 2: want status attempted, got [confirmed]`}},
		{"status without incident", rules.Test{Expect: rules.Expect{Status: "attempted"}}, none,
			[]string{`f.yaml:7: test 2: want status attempted, got no incident`}},
		{"nothing found", rules.Test{Expect: rules.Expect{Victims: []string{"Acme"}}}, none,
			[]string{`f.yaml:7: test 2: want victims [Acme], got []`}},
		{"none passes", rules.Test{Expect: rules.Expect{None: true}}, none, nil},
		{"none fails", rules.Test{Expect: rules.Expect{None: true}}, got,
			[]string{`f.yaml:7: test 2: want no incident, got 1: victims [Acme Bank] (rules: victim.passive-hit)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.test.Source, tt.test.Line, tt.test.N = "f.yaml", 7, 2
			var lines []string
			for _, e := range Check(&tt.test, tt.got, names) {
				lines = append(lines, e.Error())
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Check:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
