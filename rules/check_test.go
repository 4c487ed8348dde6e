package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// validateMap validates in-memory files, read in name order.
func validateMap(files map[string]string, base []*Pack) *Report {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return validateFS(fsys, func(n string) string { return n }, base, "*.yaml")
}

func problemLines(r *Report) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Error())
	}
	return out
}

func TestValidate(t *testing.T) {
	basePack, err := ParseFile("base.yaml", []byte(`actors:
  - id: scattered-spider
    name: Scattered Spider
    aliases: [Octo Tempest, UNC3944]
    kind: group
  - id: storm-0875
    name: Storm-0875
    aliases: [Octo Tempest]
    kind: group
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files map[string]string
		base  []*Pack
		want  []string // every problem line, in order
	}{
		{
			name:  "clean file",
			files: map[string]string{"a.yaml": "actors:\n  - {id: a, name: Alpha Group, kind: group}\n"},
		},
		{
			name:  "unknown key with its column",
			files: map[string]string{"a.yaml": "actors:\n  - id: a\n    name: A\n    kind: group\n    colour: red\n"},
			want:  []string{`a.yaml:5:5: rule "a": unknown key "colour" in actors entry (want id, name, aliases, kind, country, cues, case_sensitive, external_ids, regex)`},
		},
		{
			name: "duplicate id in one file",
			files: map[string]string{"a.yaml": `actors:
  - {id: a, name: Alpha, kind: group}
  - {id: a, name: Beta, kind: group}
`},
			want: []string{`a.yaml:3:10: rule "a": duplicate id in actors (first at line 2)`},
		},
		{
			name: "duplicate id across files",
			files: map[string]string{
				"a.yaml": "actors:\n  - {id: x, name: Alpha, kind: group}\n",
				"b.yaml": "# b\nactors:\n  - id: x\n    name: Beta\n    kind: group\n",
			},
			want: []string{`b.yaml:3:5: rule "x": duplicate id in actors (first at a.yaml:2); loaded together, this entry would replace that one`},
		},
		{
			name: "the same id in two sections is fine",
			files: map[string]string{
				"a.yaml": "actors:\n  - {id: x, name: LockBit, kind: group}\n",
				"b.yaml": "tooling:\n  - {id: x, name: LockBit, kind: ransomware}\n",
			},
		},
		{
			name: "alias of two entries without cues",
			files: map[string]string{"a.yaml": `actors:
  - id: a
    name: Scattered Spider
    aliases: [Octo Tempest]
    kind: group
  - id: b
    name: Storm-0875
    aliases: ['octo  tempest']
    kind: group
`},
			want: []string{`a.yaml:8:15: rule "b": alias "octo  tempest" is also a name of "a" (a.yaml:4:15); give one of them cues or drop the name from one`},
		},
		{
			name: "alias of two entries, one with cues",
			files: map[string]string{"a.yaml": `actors:
  - {id: df, name: DragonForce, kind: group, cues: [ransomware, cartel]}
  - {id: dfm, name: DragonForce Malaysia, aliases: [DragonForce], kind: group}
`},
		},
		{
			name: "names that keep their capitals differ",
			files: map[string]string{"a.yaml": `outlets:
  - {id: ico-mag, name: Ico, case_sensitive: true}
responders:
  - {id: ico, name: ICO, kind: regulator}
  - {id: ico2, name: Ico Corp, aliases: [ICO], kind: vendor}
`},
			// "ICO" is three letters, so always case-sensitive; the same text
			// in two responders still clashes.
			want: []string{`a.yaml:5:42: rule "ico2": alias "ICO" is also a name of "ico" (a.yaml:4:21); give one of them cues or drop the name from one`},
		},
		{
			name:  "name repeated in one entry",
			files: map[string]string{"a.yaml": "tooling:\n  - {id: t, name: Cobalt Strike, aliases: [CobaltStrike, cobalt strike], kind: tool}\n"},
			want:  []string{`a.yaml:2:58: rule "t": alias "cobalt strike" repeats name "Cobalt Strike" of the same entry`},
		},
		{
			name:  "alias of an entry of the base pack",
			files: map[string]string{"a.yaml": "actors:\n  - {id: muddled-libra, name: Muddled Libra, aliases: [UNC3944], kind: group}\n"},
			base:  []*Pack{basePack},
			// The clash inside base (Octo Tempest) is not the files' problem.
			want: []string{`a.yaml:2:56: rule "muddled-libra": alias "UNC3944" is also a name of "scattered-spider" (base.yaml:4:29); give one of them cues or drop the name from one`},
		},
		{
			name:  "two entries that share several names are reported once",
			files: map[string]string{"a.yaml": "actors:\n  - {id: spider, name: Scattered Spider, aliases: [Muddled Libra, Octo Tempest, unc3944], kind: group}\n"},
			base:  []*Pack{basePack},
			want:  []string{`a.yaml:2:24: rule "spider": name "Scattered Spider" is also a name of "scattered-spider" (base.yaml:3:11), and so are "Octo Tempest", "unc3944"; give one of them cues or drop the name from one`},
		},
		{
			name:  "an entry that replaces a base entry by id does not clash with it",
			files: map[string]string{"a.yaml": "actors:\n  - {id: scattered-spider, name: Scattered Spider, aliases: [UNC3944, Muddled Libra], kind: group}\n"},
			base:  []*Pack{basePack},
		},
		{
			name: "regular expressions",
			files: map[string]string{"a.yaml": `actors:
  - id: unc
    name: UNC groups
    kind: group
    regex: 'UNC[0-9]+'
  - id: bad
    name: Bad
    kind: group
    regex: 'APT(\d+'
  - id: empty
    name: Empty
    kind: group
    regex: '[0-9]*'
  - id: star
    name: Star
    kind: group
    regex: ab**
`},
			want: []string{
				"a.yaml:9:13: rule \"bad\": invalid regex: missing closing ): `APT(\\d+`",
				`a.yaml:13:12: rule "empty": regex "[0-9]*" matches an empty name`,
				"a.yaml:17:14: rule \"star\": invalid regex: invalid nested repetition operator: `**`",
			},
		},
		{
			name: "patterns that cannot match",
			files: map[string]string{"a.yaml": `patterns:
  - id: all-optional
    role: status
    status: attempted
    pattern: '[tried|attempted] [to]'
  - id: optional-slot
    role: victim
    pattern: 'attack on [{victim}]'
  - id: words
    role: impact
    impact: financial
    pattern: 'ransom, of $5 paid by inc. company''s'
  - id: clause
    role: victim
    pattern: 'hit ^ {victim}'
`},
			want: []string{
				`a.yaml:5:15: rule "all-optional": pattern col 1: pattern matches without reading any token (every item is optional); it would match every sentence`,
				`a.yaml:8:26: rule "optional-slot": pattern col 12: the {victim} slot is optional: the rule can match without filling it`,
				// A pattern holding '' has no exact column: the message has it.
				`a.yaml:12:14: rule "words": pattern col 1: word "ransom," can never match: a comma is part of a word only between digits (500,000); put a space before it`,
				`a.yaml:12:14: rule "words": pattern col 12: word "$5" can never match: "$" is always a token of its own; put a space after it`,
				`a.yaml:12:14: rule "words": pattern col 23: word "inc." can never match: a full stop ends a word only in short abbreviations with another stop (u.s.); put a space before it`,
				`a.yaml:12:14: rule "words": pattern col 28: word "company's" can never match: a possessive 's is a token of its own; write "x 's"`,
				`a.yaml:15:19: rule "clause": pattern col 5: ^ after "hit" can never match: a clause starts only at the start of a sentence or after : ; - . (or , in a headline)`,
			},
		},
		{
			name:  "a tag that is not a Penn Treebank tag",
			files: map[string]string{"a.yaml": "patterns:\n  - id: p\n    role: victim\n    pattern: '{victim} <VERB>'\n"},
			want:  []string{`a.yaml:4:24: rule "p": pattern col 10: unknown tag <VERB> (want a Penn Treebank tag such as <NNP>, <VBD>, <NN*>)`},
		},
		{
			name: "tests",
			files: map[string]string{"a.yaml": `tests:
  - sentence: "Acme was hit."
    expect: {victims: [Acme], status: maybe}
  - sentence: ""
    expect: {none: true, victims: [Acme]}
  - title: only a title
    colour: red
  - sentence: x
    expect: {}
  - sentence: x
    expect: {impacts: [privacy]}
    not: {status: attempted}
`},
			want: []string{
				`a.yaml:3:39: test 1: status "maybe" is not one of attempted, confirmed`,
				`a.yaml:4:15: test 2: empty sentence`,
				`a.yaml:5:13: test 2: expect: none: true cannot go with names, impacts or a status`,
				`a.yaml:6:5: test 3: missing sentence`,
				`a.yaml:6:5: test 3: missing expect (or not)`,
				`a.yaml:7:5: test 3: unknown key "colour" in tests entry (want sentence, title, expect, not)`,
				`a.yaml:9:13: test 4: expect has nothing to check (want victims, actors, tooling, impacts, status, none)`,
				`a.yaml:11:24: test 5: impact "privacy" is not one of availability, confidentiality, integrity, financial`,
				`a.yaml:12:11: test 5: unknown key "status" in not (want victims, actors, tooling, impacts)`,
			},
		},
		{
			name: "problems of several files in file order",
			files: map[string]string{
				"a.yaml": "actors:\n  - {id: x, name: Alpha, kind: gang}\n",
				"b.yaml": "actors: [\n",
				"c.yaml": "actors:\n  - {id: x, name: Alpha, kind: group}\n",
			},
			want: []string{
				`a.yaml:2:32: rule "x": kind "gang" is not one of group, nation-state, individual, insider, unknown`,
				`b.yaml:1: invalid yaml: did not find expected node content`,
				// Reported at the entry; as one replaces the other, their
				// shared name is no clash.
				`c.yaml:2:5: rule "x": duplicate id in actors (first at a.yaml:2); loaded together, this entry would replace that one`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validateMap(tt.files, tt.base)
			got := problemLines(r)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if r.Files != len(tt.files) {
				t.Errorf("Files = %d, want %d", r.Files, len(tt.files))
			}
		})
	}
}

func TestValidateCounts(t *testing.T) {
	r := validateMap(map[string]string{
		"a.yaml": "actors:\n  - {id: a, name: Alpha, kind: group}\nsectors:\n  - {id: s, sector: retail, keywords: [shop]}\n",
		"b.yaml": "patterns:\n  - {id: p, role: victim, pattern: '{victim} was hit'}\ntests:\n  - {sentence: Acme was hit., expect: {victims: [Acme]}}\n",
	}, nil)
	if len(r.Problems) > 0 || r.Files != 2 || r.Rules != 3 || r.Tests != 1 || len(r.Packs) != 2 {
		t.Errorf("report = %d files, %d rules, %d tests, %d packs, problems %v; want 2, 3, 1, 2, none",
			r.Files, r.Rules, r.Tests, len(r.Packs), r.Problems)
	}
}

func TestValidatePaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "good.yaml"), []byte("actors:\n  - {id: good, name: Alpha, kind: group}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	r := Validate([]string{dir, missing, filepath.Join("testdata", "broken.yml")}, nil)
	want := []string{
		missing + ": cannot read: no such file or directory",
		`testdata/broken.yml:5:11: rule "a": kind "gang" is not one of group, nation-state, individual, insider, unknown`,
		`testdata/broken.yml:9:14: rule "p": victim pattern has no {victim} slot`,
	}
	if got := problemLines(r); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Files != 2 {
		t.Errorf("Files = %d, want 2", r.Files)
	}
}

// TestDefaultPackValidates holds the default pack to the linter's
// standard: no shared names without cues, no pattern that cannot match.
func TestDefaultPackValidates(t *testing.T) {
	r := ValidateDefault()
	for _, p := range r.Problems {
		t.Error(p)
	}
	if r.Tests < 25 {
		t.Errorf("default pack has %d tests, want at least 25", r.Tests)
	}
}

func TestReadmeExampleValidates(t *testing.T) {
	r := validateMap(map[string]string{"example.yaml": string(readmeExample(t))}, nil)
	for _, p := range r.Problems {
		t.Error(p)
	}
}
