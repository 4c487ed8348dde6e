package pattern

import (
	"strings"
	"testing"
)

func TestNeverToken(t *testing.T) {
	tests := []struct {
		word  string
		pre   bool
		never bool
	}{
		{"hit", false, false},
		{"m&s", false, false},
		{"co-op", false, false},
		{"u.s.", false, false},
		{"e.g.", false, false},
		{"500,000", false, false},
		{"lapsus$", false, false},
		{"us$", false, false},
		{"'s", false, false},
		{":", false, false},
		{",", false, false},
		{"$", false, false},
		{"isn't", false, false},
		{"co-", true, false},  // co-op
		{"500,", true, false}, // 500,000
		{"inc.", true, false}, // inc.com
		{"attack,", false, true},
		{"a,b", false, true},
		{"inc.", false, true},
		{"customers.", false, true},
		{"company's", false, true},
		{"$5", false, true},
		{"-based", false, true},
		{"-based", true, true},
		{"10:30", false, true},
		{"a;b", false, true},
		{"lap$us", false, true},
		{"co-", false, true},
		{"m&", false, true},
		{"a.-b", false, true},
		{"x^", false, true},
	}
	for _, tt := range tests {
		why := neverToken(tt.word, tt.pre)
		if (why != "") != tt.never {
			t.Errorf("neverToken(%q, pre %v) = %q, want never %v", tt.word, tt.pre, why, tt.never)
		}
	}
}

func TestLintPattern(t *testing.T) {
	tests := []struct {
		pattern string
		slots   []string
		want    []string // "col: message start"
	}{
		{"{victim} (was|were) hit by", []string{"victim"}, nil},
		{"^ {victim} ..2 (hit|breached)", []string{"victim"}, nil},
		{"(hacked|breached) : ^ {victim}", []string{"victim"}, nil},
		{"({victim} was hit|attack on {victim})", []string{"victim"}, nil},
		{"({victim} was hit|attack on [{victim}])", []string{"victim"}, []string{"2: the {victim} slot is optional"}}, // at its first {victim}
		{"{org} [is] investigating [{victim}]", []string{"org", "victim"}, nil},
		{"[{org}] investigating", []string{"org", "victim"}, []string{"2: the {org} slot is optional"}},
		{"[a] [b|c]", nil, []string{"1: pattern matches without reading any token"}},
		{"^ [a]", nil, []string{"1: pattern matches without reading any token"}},
		{"([a]|b) [c]", nil, []string{"1: pattern matches without reading any token"}},
		{"hit (by|from attack,)", nil, []string{`14: word "attack," can never match`}},
	}
	for _, tt := range tests {
		items, err := Parse(tt.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		var got []string
		for _, pe := range Lint(tt.pattern, items, tt.slots) {
			got = append(got, pe.Error())
		}
		if len(got) != len(tt.want) {
			t.Errorf("%q: %q, want %q", tt.pattern, got, tt.want)
			continue
		}
		for i, w := range tt.want {
			col, msg, _ := strings.Cut(w, ": ")
			if !strings.HasPrefix(got[i], "pattern col "+col+": "+msg) {
				t.Errorf("%q: %q, want %q", tt.pattern, got[i], w)
			}
		}
	}
}

func FuzzLintPattern(f *testing.F) {
	for _, s := range []string{"{victim} was hit", "[a] [b]", "hit ^ {victim}", "attack, on inc. co's", "(a|[{org}]) ..3 $5", "'s ’s x’s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := Parse(s)
		if err != nil {
			return
		}
		n := len([]rune(s))
		for _, pe := range Lint(s, items, []string{"victim"}) {
			if pe.Col < 1 || pe.Col > n || pe.Msg == "" {
				t.Fatalf("Lint(%q): %+v out of range", s, pe)
			}
		}
	})
}
