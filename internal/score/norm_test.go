package score

import "testing"

func TestNorm(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Acme Water Utilities", "acme water utilities"},
		{"leading the and suffix", "The Lazarus Group", "lazarus"},
		{"ampersand", "AT&T", "at and t"},
		{"dollar", "Ca$h Money", "cash money"},
		{"punctuation runs", "  --Evil Corp!!  ", "evil"},
		{"accented letter splits the word", "Telefónica", "telef nica"},
		{"dotted capital I keeps its dot as a break", "İstanbul Airport", "i stanbul airport"},
		{"kelvin sign is k", "\u212Aaseya", "kaseya"},
		{"two-word suffix", "LockBit ransomware group", "lockbit"},
		{"suffixes stripped repeatedly", "Conti Ransomware Gang Group", "conti"},
		{"later suffix then earlier one", "Acme Inc. Ltd", "acme"},
		{"bare the stays", "the", "the"},
		{"the removed once", "The The Group", "the"},
		{"bare suffix stays", "Group", "group"},
		{"plc", "Royal Mail plc", "royal mail"},
		{"backdoor", "SUNBURST backdoor", "sunburst"},
		{"digits kept", "CVE-2017-5638", "cve 2017 5638"},
		{"empty", "", ""},
		{"only punctuation", "!!!", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := norm(tt.in); got != tt.want {
				t.Errorf("norm(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name        string
		names, alts []string
		want        bool
	}{
		{"equal", []string{"lockbit"}, []string{"lockbit"}, true},
		{"empty names never match", []string{""}, []string{""}, false},
		{"any name against any spelling", []string{"x", "lazarus"}, []string{"hidden cobra", "lazarus"}, true},
		{"two gold words inside a longer name", []string{"royal mail group services"}, []string{"royal mail"}, true},
		{"two predicted words inside a longer gold name", []string{"royal mail"}, []string{"royal mail services"}, true},
		{"words must be contiguous", []string{"royal big mail"}, []string{"royal mail"}, false},
		{"distinctive gold word inside a longer name", []string{"alphv ransomware operation"}, []string{"alphv"}, true},
		{"distinctive predicted word inside a longer gold name", []string{"alphv"}, []string{"alphv blackcat"}, false},
		{"short gold word is not distinctive", []string{"evil ransomware"}, []string{"evil"}, false},
		{"single words must be equal", []string{"lockbit3"}, []string{"lockbit"}, false},
		{"same length different words", []string{"nhs trusts"}, []string{"nhs england"}, false},
		{"no spellings", []string{"acme"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := match(tt.names, tt.alts); got != tt.want {
				t.Errorf("match(%q, %q) = %v, want %v", tt.names, tt.alts, got, tt.want)
			}
		})
	}
}

func TestRound3(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want float64
	}{
		{"exact tie rounds to even", 0.0625, 0.062},
		{"exact tie rounds up to even", 0.1875, 0.188},
		{"two thirds", 2.0 / 3, 0.667},
		{"one", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := round3(tt.in); got != tt.want {
				t.Errorf("round3(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPyFloat(t *testing.T) {
	for in, want := range map[float64]string{0: "0.0", 1: "1.0", 0.5: "0.5", 0.667: "0.667", 0.001: "0.001"} {
		if got := pyFloat(in); got != want {
			t.Errorf("pyFloat(%v) = %q, want %q", in, got, want)
		}
	}
}
