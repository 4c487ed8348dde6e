package rules

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // every error line, in order
	}{
		{
			name: "unknown key",
			yaml: `actors:
  - id: a
    name: A
    kind: group
  - id: b
    name: B
    contry: GB
    kind: group
`,
			want: []string{`x.yaml:7:5: rule "b": unknown key "contry" in actors entry (want id, name, aliases, kind, country, cues, case_sensitive, external_ids, regex)`},
		},
		{
			name: "key of another section",
			yaml: `actors:
  - id: a
    name: A
    kind: group
    attack: T1566
`,
			want: []string{`x.yaml:5:5: rule "a": unknown key "attack" in actors entry (want id, name, aliases, kind, country, cues, case_sensitive, external_ids, regex)`},
		},
		{
			name: "aliases on a regex entry",
			yaml: "actors:\n  - id: unc\n    name: UNC cluster\n    aliases: [UNC]\n    regex: 'UNC[0-9]{3,5}'\n    kind: unknown\n",
			want: []string{`x.yaml:2:5: rule "unc": an entry with a regex is matched by it alone: its aliases would never be read (give them an entry of their own)`},
		},
		{
			name: "unknown section",
			yaml: "actor:\n  - id: a\n",
			want: []string{`x.yaml:1:1: unknown section "actor" (want actors, tooling, responders, outlets, sectors, countries, patterns, lexicon, scoring, tests)`},
		},
		{
			name: "repeated key",
			yaml: "actors:\n  - id: a\n    name: A\n    name: B\n    kind: group\n",
			want: []string{`x.yaml:4:5: rule "a": key "name" repeated (first at line 3)`},
		},
		{
			name: "duplicate id",
			yaml: `patterns:
  - id: victim.hit
    role: victim
    pattern: '{victim} was hit'
  - id: victim.hit
    role: victim
    pattern: '{victim} was struck'
`,
			want: []string{`x.yaml:5:9: rule "victim.hit": duplicate id in patterns (first at line 2)`},
		},
		{
			name: "same id in two sections",
			yaml: `actors:
  - {id: lockbit, name: LockBit, kind: group}
tooling:
  - {id: lockbit, name: LockBit, kind: ransomware, actor: true}
`,
		},
		{
			name: "missing and malformed ids",
			yaml: `actors:
  - name: A
    kind: group
  - id: Scattered Spider
    name: Scattered Spider
    kind: group
`,
			want: []string{
				`x.yaml:2:5: actors entry has no id`,
				`x.yaml:4:9: rule "Scattered Spider": id must use only lowercase letters, digits, '.', '-' and '_'`,
			},
		},
		{
			name: "bad kind",
			yaml: "tooling:\n  - id: play\n    name: Play\n    kind: gang\n",
			want: []string{`x.yaml:4:11: rule "play": kind "gang" is not one of ransomware, malware, tool, technique, vulnerability`},
		},
		{
			name: "missing kind and name",
			yaml: "responders:\n  - id: ncsc\n",
			want: []string{
				`x.yaml:2:5: rule "ncsc": missing name`,
				`x.yaml:2:5: rule "ncsc": missing kind (want one of agency, police, regulator, vendor, cert, other)`,
			},
		},
		{
			name: "outlet kind optional",
			yaml: "outlets:\n  - id: bbc\n    name: BBC\n  - id: ponemon\n    name: Ponemon\n    kind: survey\n",
		},
		{
			name: "bad sector",
			yaml: `sectors:
  - id: health
    sector: health
    keywords: [hospital]
outlets:
  - id: lancet
    name: The Lancet
    sector: medicine
`,
			want: []string{
				`x.yaml:3:13: rule "health": sector "health" is not one of ` + strings.Join(Sectors, ", "),
				`x.yaml:8:13: rule "lancet": sector "medicine" is not one of ` + strings.Join(Sectors, ", "),
			},
		},
		{
			name: "bad country",
			yaml: `actors:
  - id: a
    name: A
    kind: group
    country: gb
  - id: b
    name: B
    kind: group
    country: UK
countries:
  - id: fr
    code: FRA
    names: [France]
`,
			want: []string{
				`x.yaml:5:14: rule "a": country "gb" must be two upper-case letters (ISO 3166-1 alpha-2, e.g. GB, US)`,
				`x.yaml:9:14: rule "b": country "UK" is not an ISO 3166-1 code; use "GB"`,
				`x.yaml:12:11: rule "fr": code "FRA" must be two upper-case letters (ISO 3166-1 alpha-2, e.g. GB, US)`,
			},
		},
		{
			name: "bad attack id",
			yaml: "tooling:\n  - id: phishing\n    name: phishing\n    kind: technique\n    attack: T15\n",
			want: []string{`x.yaml:5:13: rule "phishing": attack "T15" is not a MITRE ATT&CK id such as T1566 or T1566.001`},
		},
		{
			name: "missing slot",
			yaml: `patterns:
  - id: victim.no-slot
    role: victim
    pattern: 'was hit by'
  - id: actor.wrong-slot
    role: actor
    pattern: 'claimed by {org}'
  - id: responder.victim-slot
    role: responder
    pattern: '{victim} is investigating'
`,
			want: []string{
				`x.yaml:4:14: rule "victim.no-slot": victim pattern has no {victim} slot`,
				`x.yaml:7:14: rule "actor.wrong-slot": actor pattern has no {actor} slot`,
			},
		},
		{
			name: "pattern does not parse",
			yaml: "patterns:\n  - id: p\n    role: status\n    status: attempted\n    pattern: '{victim} was (hit|struck'\n",
			want: []string{`x.yaml:5:28: rule "p": pattern col 14: unclosed "("`},
		},
		{
			name: "role fields",
			yaml: `patterns:
  - id: i
    role: impact
    pattern: 'offline'
  - id: s
    role: status
    pattern: 'tried to'
    status: maybe
  - id: v
    role: victim
    pattern: '{victim} was hit'
    impact: availability
    attribution: claimed
  - id: r
    role: bystander
    pattern: 'x'
  - id: e
    role: actor
    pattern: ''
`,
			want: []string{
				`x.yaml:2:5: rule "i": impact rule needs impact (want one of availability, confidentiality, integrity, financial)`,
				`x.yaml:8:13: rule "s": status "maybe" is not one of attempted, confirmed`,
				`x.yaml:12:13: rule "v": impact is only for impact rules`,
				`x.yaml:13:18: rule "v": attribution is only for actor rules`,
				`x.yaml:15:11: rule "r": role "bystander" is not one of victim, actor, status, impact, responder, not-victim`,
				`x.yaml:19:14: rule "e": empty pattern`,
			},
		},
		{
			name: "wrong value types",
			yaml: `tooling:
  - id: t
    name: T
    kind: tool
    aliases: T-tool
    cues: ["", ok]
    case_sensitive: yes
patterns:
  - id: p
    role: victim
    pattern: {victim}
`,
			want: []string{
				`x.yaml:5:14: rule "t": aliases must be a list of strings ([a, b] or - a)`,
				`x.yaml:6:12: rule "t": cues: empty string`,
				`x.yaml:7:21: rule "t": case_sensitive must be true or false`,
				`x.yaml:11:14: rule "p": pattern must be a string; quote patterns that start with { or [ ('{victim} was hit by')`,
			},
		},
		{
			name: "section not a list",
			yaml: "actors:\n  id: a\npatterns:\n  - just a string\n",
			want: []string{
				`x.yaml:2:3: actors must be a list of entries (- id: ...)`,
				`x.yaml:4:5: patterns entry must be a mapping (id: ..., ...)`,
			},
		},
		{
			name: "top level not a mapping",
			yaml: "# a comment\n- id: a\n  name: A\n",
			want: []string{`x.yaml:2:1: top level must be a mapping of sections (actors, tooling, responders, outlets, sectors, countries, patterns, lexicon, scoring, tests)`},
		},
		{
			name: "two documents",
			yaml: "actors: []\n---\nactors: []\n",
			want: []string{`x.yaml:2:1: more than one yaml document; a rule file holds one`},
		},
		{
			name: "several errors in several sections",
			yaml: `actors:
  - id: a
    name: A
    kind: gang
tooling:
  - id: t
    kind: ransomware
sectors:
  - id: s
    sector: retail
countries:
  - id: c
    code: DE
    names: [Germany]
    demonym: [German]
patterns:
  - id: p
    role: actor
    pattern: '{actor} claimed [responsibility'
`,
			want: []string{
				`x.yaml:4:11: rule "a": kind "gang" is not one of group, nation-state, individual, insider, unknown`,
				`x.yaml:6:5: rule "t": missing name`,
				`x.yaml:9:5: rule "s": missing keywords`,
				`x.yaml:15:5: rule "c": unknown key "demonym" in countries entry (want id, code, names, demonyms)`,
				`x.yaml:19:31: rule "p": pattern col 17: unclosed "["`,
			},
		},
		{name: "empty file", yaml: ""},
		{name: "only comments", yaml: "# nothing yet\n# still nothing\n"},
		{name: "document marker only", yaml: "---\n"},
		{name: "trailing empty document", yaml: "actors: []\n---\n"},
		{name: "empty sections", yaml: "actors:\npatterns: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pack, err := ParseFile("x.yaml", []byte(tt.yaml))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("ParseFile: %v", err)
				}
				if pack == nil || pack.Source != "x.yaml" {
					t.Fatalf("ParseFile = %#v, want a pack with Source x.yaml", pack)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseFile: no error, want\n%s", strings.Join(tt.want, "\n"))
			}
			if pack != nil {
				t.Errorf("ParseFile returned a pack with its error")
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != len(tt.want) {
				t.Errorf("error is %T with %d entries, want an ErrorList of %d", err, len(list), len(tt.want))
			}
		})
	}
}

// billionLaughs is a YAML alias bomb of a few hundred bytes: each of its
// nine lists holds ten aliases of the one before, so that actors stands
// for a billion strings. Before aliases were capped, packs of this kind
// took gigabytes to load.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	b.WriteString("actors:\n  - id: a\n    name: A\n    kind: group\n    cues: *l8\n")
	return b.String()
}

func TestParseFileAliases(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // the error; empty when the pack loads
	}{
		{
			// As "rules import misp" writes cue lists.
			name: "a list written once and repeated",
			yaml: "actors:\n  - {id: a, name: A, kind: group, cues: &c [gang, group]}\n  - {id: b, name: B, kind: group, cues: *c}\n",
		},
		{
			// Each *l4 stands for 111,111 nodes; the eighth, on line 6, passes the cap.
			name: "billion laughs",
			yaml: billionLaughs(),
			want: "x.yaml:6:45: too many YAML aliases: they repeat more than 1000000 nodes, the limit for a rule file",
		},
		{
			name: "an alias inside the node it names",
			yaml: "actors:\n  - &e {id: a, name: A, kind: group, cues: [*e]}\n",
			want: "x.yaml:2:45: alias *e is inside the node it names",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pack, err := ParseFile("x.yaml", []byte(tt.yaml))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ParseFile: %v", err)
				}
				if got := pack.Actors[1].Cues; !slices.Equal(got, []string{"gang", "group"}) {
					t.Errorf("cues through the alias = %q", got)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("ParseFile error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestCheckAliasesLimit(t *testing.T) {
	// The cue list stands for 3 nodes (the list and two strings): two
	// uses are 6.
	src := "actors:\n  - {id: a, name: A, kind: group, cues: &c [gang, group]}\n  - {id: b, name: B, kind: group, cues: *c}\n  - {id: c, name: C, kind: group, cues: *c}\n"
	for _, tt := range []struct {
		limit int
		ok    bool
	}{{6, true}, {5, false}} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		p := &fileParser{file: "x.yaml"}
		if ok := p.checkAliases(&doc, tt.limit); ok != tt.ok {
			t.Errorf("checkAliases(limit %d) = %v (%v), want %v", tt.limit, ok, p.errs, tt.ok)
		}
		if !tt.ok && (len(p.errs) != 1 || p.errs[0].Line != 4) {
			t.Errorf("limit %d: errors %v, want one at the alias of line 4", tt.limit, p.errs)
		}
	}
}

func TestParseFileYAMLSyntax(t *testing.T) {
	_, err := ParseFile("x.yaml", []byte("actors:\n  - id: a\n    name: [A\n"))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("ParseFile error %v (%T), want a *Error", err, err)
	}
	if e.File != "x.yaml" || e.Line == 0 || !strings.HasPrefix(e.Error(), "x.yaml:") || !strings.Contains(e.Msg, "invalid yaml") {
		t.Errorf("error %+v, want x.yaml:N: invalid yaml: ...", e)
	}
}

func TestParseFilePatternColumn(t *testing.T) {
	// A pattern's column points into the file when the scalar is written as is.
	tests := []struct {
		name  string
		value string
		col   int
	}{
		{"plain", `was (hit`, 18},
		{"single quoted", `'was (hit'`, 19},
		{"double quoted", `"was (hit"`, 19},
		{"escaped: the value's column", `'it''s (hit'`, 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "patterns:\n  - id: p\n    role: status\n    status: confirmed\n    pattern: " + tt.value + "\n"
			_, err := ParseFile("x.yaml", []byte(src))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want a *Error", err)
			}
			if e.Line != 5 || e.Col != tt.col {
				t.Errorf("at %d:%d, want 5:%d (%v)", e.Line, e.Col, tt.col, e)
			}
		})
	}
}

// readmeExample is the complete example pack of README.md, which must load.
func readmeExample(t testing.TB) []byte {
	t.Helper()
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	if !ok {
		t.Fatal("README.md has no ```yaml block")
	}
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("README.md: unterminated ```yaml block")
	}
	return []byte(example)
}

func TestParseFileReadmeExample(t *testing.T) {
	pack, err := ParseFile("README.md", readmeExample(t))
	if err != nil {
		t.Fatalf("README example: %v", err)
	}
	counts := map[string]int{
		"actors": len(pack.Actors), "tooling": len(pack.Tooling), "responders": len(pack.Responders),
		"outlets": len(pack.Outlets), "sectors": len(pack.Sectors), "countries": len(pack.Countries),
	}
	for section, n := range counts {
		if n < 2 {
			t.Errorf("README example has %d %s, want at least 2", n, section)
		}
	}
	roles := map[Role]bool{}
	for _, p := range pack.Patterns {
		roles[p.Role] = true
		if len(p.Items) == 0 || p.Line == 0 {
			t.Errorf("pattern %q: %d items, line %d", p.ID, len(p.Items), p.Line)
		}
	}
	for _, r := range []Role{RoleVictim, RoleActor, RoleStatus, RoleImpact, RoleResponder, RoleNotVictim} {
		if !roles[r] {
			t.Errorf("README example has no %s pattern", r)
		}
	}

	play := pack.Tooling[1]
	if play.ID != "play" || !play.Actor || len(play.Cues) == 0 || play.Line == 0 {
		t.Errorf("tooling[1] = %+v, want play with actor: true, cues and a line", play)
	}
	apt := pack.Actors[1]
	if apt.Country != "RU" || !apt.CaseSensitive || apt.Kind != "nation-state" || len(apt.Aliases) != 2 {
		t.Errorf("actors[1] = %+v", apt)
	}
}

func TestParseFileLines(t *testing.T) {
	src := `# header

actors:
  - id: a
    name: A
    kind: group

  - name: B
    id: b
    kind: group
sectors:
  - id: s
    sector: retail
    keywords: [shop]
countries:
  - {id: de, code: DE, names: [Germany]}
patterns:
  - id: p
    role: victim
    pattern: '{victim} was hit'
`
	pack, err := ParseFile("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := []int{pack.Actors[0].Line, pack.Actors[1].Line, pack.Sectors[0].Line, pack.Countries[0].Line, pack.Patterns[0].Line}
	want := []int{4, 8, 12, 16, 18}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("lines %v, want %v", got, want)
			break
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"full", &Error{File: "x.yaml", Line: 7, Col: 3, Rule: "a", Msg: "bad"}, `x.yaml:7:3: rule "a": bad`},
		{"no rule, no column", &Error{File: "x.yaml", Line: 7, Msg: "bad"}, `x.yaml:7: bad`},
		{"no line", &Error{File: "x.yaml", Msg: "cannot read: no such file or directory"}, `x.yaml: cannot read: no such file or directory`},
		{"nothing known", &Error{Msg: "bad"}, `bad`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	list := ErrorList{tests[0].err, tests[1].err}
	if got, want := list.Error(), "x.yaml:7:3: rule \"a\": bad\nx.yaml:7: bad"; got != want {
		t.Errorf("ErrorList.Error() = %q, want %q", got, want)
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add(readmeExample(f))
	for _, s := range []string{
		"",
		"# only a comment\n",
		"actors:\n  - id: a\n    name: A\n    kind: group\n",
		"patterns:\n  - id: p\n    role: victim\n    pattern: '{victim} (was|were) hit by'\n",
		"patterns:\n  - id: p\n    role: impact\n    impact: availability\n    pattern: 'unable to (process|take'\n",
		"actors: &x\n  - *x\n",
		"a: [1\n",
		"- 1\n- 2\n",
		"countries:\n  - {id: gb, code: GB, names: [UK]}\n  - {id: gb, code: gb}\n",
		"actors: []\n---\n",
		"actors:\n  - {id: a, name: A, kind: group, cues: &c [gang]}\n  - {id: b, name: B, kind: group, cues: *c}\n",
		billionLaughs(),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pack, err := ParseFile("f.yaml", data)
		if err != nil {
			if pack != nil {
				t.Fatal("pack returned with an error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.File != "f.yaml" || e.Msg == "" {
					t.Fatalf("error without file or message: %+v", e)
				}
			}
			return
		}
		for _, p := range pack.Patterns {
			if len(p.Items) == 0 {
				t.Fatalf("pattern %q (%q) has no items", p.ID, p.Pattern)
			}
		}
	})
}
