package rules

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestQuoteLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "threat-actor.json (threat-actor, version 349)", "threat-actor.json (threat-actor, version 349)"},
		{"command line", "incidex rules fit --gold gold.jsonl --pages pages -o scoring.yaml", "incidex rules fit --gold gold.jsonl --pages pages -o scoring.yaml"},
		{"line break and YAML", "evil.json\n- id: injected", `"evil.json\n- id: injected"`},
		{"carriage return", "a\rb", `"a\rb"`},
		{"line separator", "a\u2028b", `"a\Lb"`},
		{"next line", "a\u0085b", `"a\Nb"`},
		{"tab", "a\tb", `"a\tb"`},
		{"terminal escape", "a\x1b[0m", `"a\e[0m"`},
		{"comment sign", "a #b", `"a #b"`},
		{"a number", "123", `"123"`},
		{"leading space", " a", `" a"`},
		{"not UTF-8", "a\xffb", "a\uFFFDb"},
		{"empty", "", `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := QuoteLine(tt.in)
			if got != tt.want {
				t.Errorf("QuoteLine(%q) = %s, want %s", tt.in, got, tt.want)
			}
			// Whatever it is, YAML reads it back as the string, on one line.
			var back struct{ X string }
			if err := yaml.Unmarshal([]byte("x: "+got), &back); err != nil {
				t.Fatalf("read back %s: %v", got, err)
			}
			if want := strings.ToValidUTF8(tt.in, "\uFFFD"); back.X != want || strings.ContainsAny(got, "\n\r\u0085\u2028\u2029") {
				t.Errorf("read back %q, want %q on one line", back.X, want)
			}
		})
	}
}
