package rules

import (
	"reflect"
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
