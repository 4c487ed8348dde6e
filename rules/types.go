// Package rules loads incidex's YAML rule packs: dictionaries of threat
// actors, tooling, responders, outlets, sectors and countries, the
// sentence patterns that find victims, actors, impacts and attempted
// attacks, the lexicon of English words the extractor reads text with, and
// the examples (tests) rule files carry. The default packs are embedded in
// the binary (rules/default/*.yaml).
//
// A Set is built from packs (DefaultPacks, LoadPaths, or Load for both),
// later packs extending earlier ones and replacing entries that share an
// id. Loading is strict: unknown keys, bad values and patterns that do not
// parse are errors of the form `file:line:col: rule "id": message`.
// Validate checks rule files further (names two entries share, patterns
// that cannot match). The vocabularies (roles, attributions, statuses,
// impact kinds) are typed here and shared with the extractor.
//
// The package owns the format and its checks; it must not run extraction
// (package rules/ruletest runs a pack's examples through the extractor)
// and holds no knowledge of its own: every name, word and pattern is in a
// pack, where users can see, validate and change it.
package rules

import (
	"regexp"

	"github.com/incidex/incidex/rules/pattern"
)

// Pack is one YAML file.
type Pack struct {
	Source     string        `yaml:"-"` // file name, for messages
	Actors     []Entity      `yaml:"actors"`
	Tooling    []Entity      `yaml:"tooling"`
	Responders []Entity      `yaml:"responders"`
	Outlets    []Entity      `yaml:"outlets"` // organisations that are never victims: news outlets, survey firms
	Sectors    []Sector      `yaml:"sectors"`
	Countries  []Country     `yaml:"countries"`
	Patterns   []PatternRule `yaml:"patterns"`
	Lexicon    []LexiconList `yaml:"lexicon"`
	Scoring    []Scoring     `yaml:"scoring"`
	// Tests are the examples the file carries, run by "incidex rules
	// test"; they are not rules and NewSet does not merge them.
	Tests []Test `yaml:"tests"`
}

// Pos is a place in a rule file: 1-based line and column.
type Pos struct {
	Line, Col int
}

// Entity is a dictionary entry: a threat actor, a piece of tooling, a
// responder or an outlet.
type Entity struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`    // canonical name, as output
	Aliases []string `yaml:"aliases"` // other names, matched like Name
	// Kind is, for actors: group, nation-state, individual, insider, unknown;
	// for tooling: ransomware, malware, tool, technique, vulnerability;
	// for responders: agency, police, regulator, vendor, cert, other.
	Kind    string `yaml:"kind"`
	Country string `yaml:"country"` // ISO 3166-1 alpha-2, optional
	// Cues make an entry whose name is an ordinary word (Play, Royal, Hive)
	// match only when one of these words occurs within CueWindow tokens
	// of the name ("Play ransomware", "the Royal gang").
	Cues []string `yaml:"cues"`
	// CaseSensitive requires the text to match a name's capitalisation
	// exactly ("LockBit" but not "lockbit"); names of three characters or fewer
	// are always case-sensitive.
	CaseSensitive bool `yaml:"case_sensitive"`
	// Actor marks tooling that is also the attacker when the text treats it
	// so (ransomware brands: "LockBit claimed the attack").
	Actor  bool   `yaml:"actor"`
	Attack string `yaml:"attack"` // MITRE ATT&CK id of a technique, e.g. T1566
	// ExternalIDs are the entry's identifiers in other knowledge bases, by
	// source: "mitre-attack" (G0046 for a group, S0372 for software),
	// "misp-galaxy" (the UUID of the galaxy cluster it was imported from).
	// Records carry them with the entry's id as "ref".
	ExternalIDs map[string]string `yaml:"external_ids"`
	Sector      string            `yaml:"sector"` // outlets/responders: optional sector
	// Regex (actors and tooling only) describes names that follow a scheme,
	// such as vendor cluster numbers (UNC[0-9]+); Re is it compiled,
	// anchored at both ends. An entry with a regex is matched by it alone,
	// each mention named by the text it matched; its Name only labels it,
	// and it may have no aliases.
	Regex string         `yaml:"regex"`
	Re    *regexp.Regexp `yaml:"-"`
	// Source, Line and Col are where the entry starts; NamePos is where
	// Name (NamePos[0]) and each alias (NamePos[i+1]) are written. They
	// are zero for entries built in Go.
	Source  string `yaml:"-"`
	Line    int    `yaml:"-"`
	Col     int    `yaml:"-"`
	NamePos []Pos  `yaml:"-"`
}

// CueWindow is how many tokens either side of a name a cue may be.
const CueWindow = 4

// Sector maps keywords in a victim's name or its description to a sector of
// the fixed vocabulary (see Sectors).
type Sector struct {
	ID       string   `yaml:"id"`
	Sector   string   `yaml:"sector"`
	Keywords []string `yaml:"keywords"`
	Source   string   `yaml:"-"` // file, line and column of the entry
	Line     int      `yaml:"-"`
	Col      int      `yaml:"-"`
}

// Country maps names and demonyms to an ISO 3166-1 alpha-2 code.
type Country struct {
	ID       string   `yaml:"id"`
	Code     string   `yaml:"code"`
	Names    []string `yaml:"names"`
	Demonyms []string `yaml:"demonyms"`
	Source   string   `yaml:"-"` // file, line and column of the entry
	Line     int      `yaml:"-"`
	Col      int      `yaml:"-"`
}

// PatternRule finds a role in a sentence. See rules/README.md for the
// pattern language.
type PatternRule struct {
	ID      string `yaml:"id"`
	Role    Role   `yaml:"role"`
	Pattern string `yaml:"pattern"`
	// Impact is the VERIS kind an impact rule reports: availability,
	// confidentiality, integrity, financial.
	Impact ImpactKind `yaml:"impact"`
	// Status is what a status rule reports: attempted or confirmed.
	Status Status `yaml:"status"`
	// Attribution is what an actor rule reports: claimed, attributed,
	// suspected.
	Attribution Attribution `yaml:"attribution"`
	// Scope is where the rule looks: "text" (the default: every sentence of
	// the article) or "title" (the headline only; victim rules there name
	// victims that the text must also name).
	Scope       Scope          `yaml:"scope"`
	Description string         `yaml:"description"`
	Items       []pattern.Item `yaml:"-"` // the parsed pattern
	Source      string         `yaml:"-"` // file, line and column of the entry
	Line        int            `yaml:"-"`
	Col         int            `yaml:"-"`
}

// Sectors is the fixed vocabulary of victim sectors.
var Sectors = []string{
	"agriculture", "automotive", "construction", "defence", "education", "energy",
	"entertainment", "finance", "food", "government", "healthcare", "hospitality",
	"insurance", "legal", "logistics", "manufacturing", "media", "non-profit",
	"pharmaceutical", "professional-services", "real-estate", "retail", "technology",
	"telecom", "transport", "utilities",
}
