package rules

import (
	"strings"
	"testing"
)

func TestScoringSection(t *testing.T) {
	pack, err := ParseFile("x.yaml", []byte(`scoring:
  - id: victim
    threshold: 0.4
    bias: -2.5
    weights:
      pattern: 1.5
      person: -0.75
  - id: actor
    weights: {dictionary: 0.5}
`))
	if err != nil {
		t.Fatal(err)
	}
	set := NewSet(pack)
	v := set.Model("victim")
	if v == nil || v.Threshold != 0.4 || v.Bias != -2.5 || len(v.Weights) != 2 || v.Weights[1] != (Weight{"person", -0.75}) {
		t.Fatalf("victim model = %+v", v)
	}
	if a := set.Model("actor"); a == nil || a.Threshold != 0.5 || a.Weights[0] != (Weight{"dictionary", 0.5}) {
		t.Errorf("actor model = %+v, want threshold 0.5 by default and one weight", a)
	}
	want := "  - id: victim\n    threshold: 0.4000\n    bias: -2.5000\n    weights:\n      pattern: 1.5000\n      person: -0.7500\n"
	if got := v.Format(); got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
	// Format writes what the loader reads back.
	back, err := ParseFile("y.yaml", []byte("scoring:\n"+v.Format()))
	if err != nil {
		t.Fatalf("reading Format back: %v", err)
	}
	if m := NewSet(back).Model("victim"); m.Bias != v.Bias || m.Threshold != v.Threshold || len(m.Weights) != 2 {
		t.Errorf("read back %+v, want %+v", m, v)
	}
}

func TestScoringOverride(t *testing.T) {
	first, err := ParseFile("a.yaml", []byte("scoring:\n  - id: victim\n    bias: -1\n"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := ParseFile("b.yaml", []byte("scoring:\n  - id: victim\n    bias: -3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m := NewSet(first, second).Model("victim"); m.Bias != -3 || m.Source != "b.yaml" {
		t.Errorf("model = %+v, want the later pack's", m)
	}
	if m := NewSet(first).Model("actor"); m != nil {
		t.Errorf("actor model = %+v, want none", m)
	}
}

func TestScoringErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown model", "scoring:\n  - id: tool\n    bias: 1\n", `x.yaml:2:5: rule "tool": unknown scoring model "tool" (want actor, victim)`},
		{"unknown feature", "scoring:\n  - id: victim\n    weights: {patern: 1}\n", `x.yaml:3:15: rule "victim": unknown feature "patern" (want ` + strings.Join(VictimFeatures, ", ") + `)`},
		{"not a number", "scoring:\n  - id: victim\n    bias: high\n", `x.yaml:3:11: rule "victim": bias must be a finite number`},
		{"threshold out of range", "scoring:\n  - id: victim\n    threshold: 1.5\n", `x.yaml:3:16: rule "victim": threshold must be between 0 and 1, got 1.5`},
		{"not finite", "scoring:\n  - id: victim\n    weights: {pattern: .inf}\n", `x.yaml:3:24: rule "victim": pattern must be a finite number`},
		{"NaN threshold", "scoring:\n  - id: victim\n    threshold: .nan\n", `x.yaml:3:16: rule "victim": threshold must be a finite number`},
		{"weights not a mapping", "scoring:\n  - id: actor\n    weights: [1, 2]\n", `x.yaml:3:14: rule "actor": weights must be a mapping of features to numbers ({pattern: 2.5})`},
		{"repeated feature", "scoring:\n  - id: actor\n    weights:\n      pattern: 1\n      pattern: 2\n", `x.yaml:5:7: rule "actor": weights: "pattern" repeated`},
		{"unknown key", "scoring:\n  - id: actor\n    treshold: 0.5\n", `x.yaml:3:5: rule "actor": unknown key "treshold" in scoring entry (want id, threshold, bias, weights)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFile("x.yaml", []byte(tt.yaml))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}
