package match_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
)

// mentions returns the actor mentions of sentence s as "section:entry
// id:name" strings.
func mentions(t *testing.T, m *match.Matcher, s string) []string {
	t.Helper()
	sent := nlp.NewSplitter(nil).Split([]string{s})
	if len(sent) != 1 {
		t.Fatalf("%q is %d sentences", s, len(sent))
	}
	var out []string
	for _, mn := range m.Mentions(&sent[0], 0) {
		if mn.Section == match.SectionActor {
			out = append(out, fmt.Sprintf("%d:%s:%s", mn.Section, mn.Entity.ID, mn.Entity.Name))
		}
	}
	return out
}

func TestSchemes(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := match.New(set, nil)
	tests := []struct {
		name, sentence string
		want           []string
	}{
		{"Mandiant cluster", "Mandiant attributed it to UNC4990 last week.", []string{"0:actor.scheme.mandiant-unc:UNC4990"}},
		{"Microsoft cluster", "Microsoft tracks them as Storm-2035.", []string{"0:actor.scheme.microsoft-storm:Storm-2035"}},
		{"several in one sentence", "Talos tracks UAT-5918, and CERT-UA tracks UAC-0184.",
			[]string{"0:actor.scheme.talos-uat:UAT-5918", "0:actor.scheme.cert-ua-uac:UAC-0184"}},
		{"a listed alias wins over the scheme", "The intrusion was the work of UNC3944.", []string{"0:actor.scattered-spider:Scattered Spider"}},
		{"a match must not cut a token", "Servers tagged UNC123456 and XUNC4990 were wiped.", nil},
		{"ticket-like schemes need a cue", "See ticket DEV-1234 and part TA1000.", nil},
		{"with a cue", "The threat actor TA4903 sent the emails.", []string{"0:actor.scheme.proofpoint-ta:TA4903"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mentions(t, m, tt.sentence)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("mentions = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSchemeAnchored checks that a regex entry means what validation
// means by it: the whole name, anchored, with every alternative tried.
func TestSchemeAnchored(t *testing.T) {
	pack, err := rules.ParseFile("x.yaml", []byte(`actors:
  - id: storm
    name: Storm cluster
    kind: unknown
    regex: 'Storm-[0-9]{4}|Storm-[0-9]{4}-[A-Z]{2}'
  - id: zz
    name: ZZ cluster
    kind: unknown
    regex: '^ZZ[0-9]{3}$'
`))
	if err != nil {
		t.Fatal(err)
	}
	m := match.New(rules.NewSet(pack), nil)
	for sentence, want := range map[string]string{
		"Hackers of Storm-0558-AB struck.": "0:storm:Storm-0558-AB",
		"Hackers of Storm-0558 struck.":    "0:storm:Storm-0558",
		"Hackers of ZZ123 struck.":         "0:zz:ZZ123",
	} {
		if got := mentions(t, m, sentence); len(got) != 1 || got[0] != want {
			t.Errorf("%q: mentions = %q, want [%s]", sentence, got, want)
		}
	}
}
