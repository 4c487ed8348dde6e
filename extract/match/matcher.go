package match

import (
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
)

// Matcher finds the entries and patterns of a rule set in sentences. Build
// it once with New and share it: it is safe for concurrent use.
type Matcher struct {
	dict   *dictionary
	tagger *nlp.Tagger
	text   map[string][]*Pattern // text-scope rules by role
	title  map[string][]*Pattern // title-scope rules by role
}

// New compiles a rule set. tagger tags the sentences that <TAG> pattern
// items look at; nil means such items never match.
func New(set *rules.Set, tagger *nlp.Tagger) *Matcher {
	m := &Matcher{
		dict:   newDictionary(set),
		tagger: tagger,
		text:   make(map[string][]*Pattern),
		title:  make(map[string][]*Pattern),
	}
	for i := range set.Patterns {
		p := compile(&set.Patterns[i])
		if p.Rule.Scope == "title" {
			m.title[p.Rule.Role] = append(m.title[p.Rule.Role], p)
			continue
		}
		m.text[p.Rule.Role] = append(m.text[p.Rule.Role], p)
	}
	return m
}

// TextPatterns returns the rules of role that read every sentence, in
// rule-set order.
func (m *Matcher) TextPatterns(role string) []*Pattern { return m.text[role] }

// TitlePatterns returns the rules of role that read the headline only.
func (m *Matcher) TitlePatterns(role string) []*Pattern { return m.title[role] }

// Mentions returns every dictionary mention in sentence s, the si-th of
// its text, longest names first at each position; an entry found in
// several sections (LockBit the group and LockBit the ransomware) yields a
// mention for each.
func (m *Matcher) Mentions(s *nlp.Sentence, si int) []Mention { return m.dict.find(s, si) }

// Scan prepares the matching of patterns in s, whose dictionary mentions
// are mentions. In a headline a comma also starts a clause.
func (m *Matcher) Scan(s *nlp.Sentence, mentions []Mention, headline bool) *Scan {
	return &Scan{s: s, ments: mentions, dict: m.dict, title: headline, tagger: m.tagger}
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

// Government names the state of the country code: "Costa Rican
// government", or "Government of X" for a country without a demonym.
func (m *Matcher) Government(code string) string { return m.dict.govName[code] }
