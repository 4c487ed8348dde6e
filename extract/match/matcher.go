package match

import (
	"slices"
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
)

// Matcher finds the entries and patterns of a rule set in sentences. Build
// it once with New and share it: it is safe for concurrent use.
type Matcher struct {
	dict   *dictionary
	lex    lexicon
	tagger *nlp.Tagger
	text   map[rules.Role][]*Pattern // text-scope rules by role
	title  map[rules.Role][]*Pattern // title-scope rules by role
	ids    map[string]bool           // the ids of the pattern rules
}

// New compiles a rule set. tagger tags the sentences that <TAG> pattern
// items look at; nil means such items never match.
func New(set *rules.Set, tagger *nlp.Tagger) *Matcher {
	m := &Matcher{
		dict:   newDictionary(set),
		lex:    newLexicon(set),
		tagger: tagger,
		text:   make(map[rules.Role][]*Pattern),
		title:  make(map[rules.Role][]*Pattern),
		ids:    make(map[string]bool),
	}
	for i := range set.Patterns {
		p := compile(&set.Patterns[i])
		m.ids[p.Rule.ID] = true
		if p.Rule.Scope == rules.ScopeTitle {
			m.title[p.Rule.Role] = append(m.title[p.Rule.Role], p)
			continue
		}
		m.text[p.Rule.Role] = append(m.text[p.Rule.Role], p)
	}
	return m
}

// IsPatternRule reports whether id names a pattern rule of the set (not a
// dictionary entry).
func (m *Matcher) IsPatternRule(id string) bool { return m.ids[id] }

// TextPatterns returns the rules of role that read every sentence, in
// rule-set order.
func (m *Matcher) TextPatterns(role rules.Role) []*Pattern { return m.text[role] }

// TitlePatterns returns the rules of role that read the headline only.
func (m *Matcher) TitlePatterns(role rules.Role) []*Pattern { return m.title[role] }

// Mentions returns every dictionary mention in sentence s, the si-th of
// its text, longest names first at each position; an entry found in
// several sections (LockBit the group and LockBit the ransomware) yields a
// mention for each.
func (m *Matcher) Mentions(s *nlp.Sentence, si int) []Mention { return m.dict.find(s, si) }

// Scan prepares the matching of patterns in s, whose dictionary mentions
// are mentions. In a headline a comma also starts a clause.
func (m *Matcher) Scan(s *nlp.Sentence, mentions []Mention, headline bool) *Scan {
	return &Scan{m: m, s: s, mentions: mentions, title: headline, tagger: m.tagger}
}

// Country returns the ISO code of a country named or described by the
// tokens [i, i+n), or "".
func (m *Matcher) Country(toks []nlp.Token, i, n int) string { return m.dict.country(toks, i, n) }

// Countries returns the countries named in toks, each at its longest name
// ("Northern Ireland" is GB, not IE), left to right.
func (m *Matcher) Countries(toks []nlp.Token) []string { return m.dict.countriesIn(toks) }

// LastCountry is the country named nearest the end of toks (the words just
// before a name: "the Irish health service"), or "".
func (m *Matcher) LastCountry(toks []nlp.Token) string { return m.dict.lastCountry(toks) }

// FirstCountry is the first country named in toks (an appositive after a
// name: "Optus, Australia's second-largest telco"), or "".
func (m *Matcher) FirstCountry(toks []nlp.Token) string { return m.dict.firstCountry(toks) }

// Demonym reports whether a name is a country's demonym ("British"), not
// its name.
func (m *Matcher) Demonym(name string) bool {
	return m.dict.demonyms[strings.Join(nlp.LowerWords(name), " ")]
}

// Government names the state of the country code: "Costa Rican
// government", or "Government of X" for a country without a demonym.
func (m *Matcher) Government(code string) string { return m.dict.govName[code] }

// lexicon is the lexicon lists matching reads, ready for lookups.
type lexicon struct {
	connectors            map[string]bool // inside a name: "&", "of"
	notNames              map[string]bool // never in a name: "the", "monday"
	notNameStarts         map[string]bool // never first in a name: "chief", "week"
	institutions          map[string]bool // "government", "council"
	descriptiveSuffixes   []string        // "-based"
	governmentCollectives [][]string      // "government agencies"
	numberWords           map[string]float64
	multipliers           map[string]float64 // a word after a number
	numberSuffixes        []numberSuffix     // written onto a number, longest first
	currencySymbols       map[string]string
	currencyWords         map[string]string
}

// numberSuffix is an ending written onto a number ("m" of "300m") and
// what it multiplies by.
type numberSuffix struct {
	text  string
	value float64
}

func newLexicon(set *rules.Set) lexicon {
	lex := lexicon{
		connectors:          set.WordSet(rules.LexNameConnectors),
		notNames:            set.WordSet(rules.LexNotNames),
		notNameStarts:       set.WordSet(rules.LexNotNameStarts),
		institutions:        set.WordSet(rules.LexInstitutionWords),
		descriptiveSuffixes: set.Words(rules.LexDescriptiveSuffixes),
		numberWords:         numbers(set.Values(rules.LexNumberWords)),
		multipliers:         numbers(set.Values(rules.LexNumberMultipliers)),
		currencySymbols:     set.ValueMap(rules.LexCurrencySymbols),
		currencyWords:       set.ValueMap(rules.LexCurrencyWords),
	}
	for _, p := range set.Words(rules.LexGovernmentCollectives) {
		lex.governmentCollectives = append(lex.governmentCollectives, strings.Fields(p))
	}
	for w, f := range numbers(set.Values(rules.LexNumberSuffixes)) {
		lex.numberSuffixes = append(lex.numberSuffixes, numberSuffix{w, f})
	}
	slices.SortFunc(lex.numberSuffixes, func(a, b numberSuffix) int {
		if n := len(b.text) - len(a.text); n != 0 {
			return n
		}
		return strings.Compare(a.text, b.text)
	})
	return lex
}

// numbers reads the values of a list of numbers; the loader has checked
// that each parses.
func numbers(values []rules.LexiconValue) map[string]float64 {
	out := make(map[string]float64, len(values))
	for _, v := range values {
		if f, err := strconv.ParseFloat(v.Value, 64); err == nil {
			out[v.Word] = f
		}
	}
	return out
}
