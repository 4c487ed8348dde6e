package match

import (
	"slices"
	"sort"
	"strings"

	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
)

// Section says which dictionary an entry comes from.
type Section int

const (
	SectionActor Section = iota
	SectionTool
	SectionResponder
	SectionOutlet
)

// alias is one name of a dictionary entry, as lower-case tokens.
type alias struct {
	words         []string
	text          string // as written in the rules, for case-sensitive checks
	caseSensitive bool
	section       Section
	entity        *rules.Entity
}

// scheme is a dictionary entry that names things by a regular expression
// rather than by a list: vendor cluster numbers such as UNC5221 or
// Storm-0558. A mention of it is named by the text it matched.
type scheme struct {
	section Section
	entity  *rules.Entity // its Re is the expression anchored at both ends
	prefix  string        // what every match starts with ("UNC"), to skip tokens fast
}

// maxSchemeTokens is the most tokens a scheme's match may span: the names
// schemes describe are one to three words.
const maxSchemeTokens = 6

// Mention is a dictionary entry found in a sentence.
type Mention struct {
	Section    Section
	Entity     *rules.Entity
	Sent       int // index of the sentence
	Start, End int // token range
}

// dictionary finds the entries of a rule set in tokenised sentences.
type dictionary struct {
	byFirst   map[string][]*alias // first word -> aliases, longest first
	cues      map[*rules.Entity]map[string]bool
	countries map[string]string // lower-case name or demonym -> ISO code
	countryCS map[string]bool   // names matched case-sensitively ("US")
	demonyms  map[string]bool   // lower-case demonyms ("british")
	govName   map[string]string // ISO code -> "Costa Rican government" or "Government of X"
	maxWords  int
	schemes   []scheme
}

func newDictionary(set *rules.Set) *dictionary {
	d := &dictionary{
		byFirst:   make(map[string][]*alias, 4096),
		cues:      make(map[*rules.Entity]map[string]bool),
		countries: make(map[string]string, 1024),
		countryCS: make(map[string]bool),
		demonyms:  make(map[string]bool),
		govName:   make(map[string]string),
	}
	add := func(sec Section, list []rules.Entity) {
		for i := range list {
			e := &list[i]
			if len(e.Cues) > 0 {
				cues := make(map[string]bool, len(e.Cues))
				for _, c := range e.Cues {
					cues[strings.ToLower(c)] = true
				}
				d.cues[e] = cues
			}
			if e.Re != nil {
				prefix, _ := e.Re.LiteralPrefix()
				d.schemes = append(d.schemes, scheme{section: sec, entity: e, prefix: prefix})
				continue
			}
			names := append([]string{e.Name}, e.Aliases...)
			for _, n := range names {
				d.addAlias(sec, e, n)
			}
		}
	}
	add(SectionActor, set.Actors)
	add(SectionTool, set.Tooling)
	add(SectionResponder, set.Responders)
	add(SectionOutlet, set.Outlets)
	for k := range d.byFirst {
		list := d.byFirst[k]
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	}
	for _, c := range set.Countries {
		switch {
		case len(c.Demonyms) > 0:
			d.govName[c.Code] = c.Demonyms[0] + " government"
		case len(c.Names) > 0:
			d.govName[c.Code] = "Government of " + c.Names[0]
		}
		for _, n := range append(append([]string{}, c.Names...), c.Demonyms...) {
			key := strings.Join(nlp.LowerWords(n), " ")
			if key == "" {
				continue
			}
			d.countries[key] = c.Code
			if slices.Contains(c.Demonyms, n) {
				d.demonyms[key] = true
			}
			if len(n) <= 3 && strings.ToUpper(n) == n {
				d.countryCS[key] = true
			}
		}
	}
	return d
}

func (d *dictionary) addAlias(sec Section, e *rules.Entity, name string) {
	words := nlp.LowerWords(name)
	if len(words) == 0 {
		return
	}
	a := &alias{words: words, text: name, section: sec, entity: e,
		caseSensitive: rules.KeepsCapitals(e, name)}
	d.byFirst[words[0]] = append(d.byFirst[words[0]], a)
	if len(words) > d.maxWords {
		d.maxWords = len(words)
	}
}

// find returns every dictionary Mention in the sentence, longest names first
// at each position; an entry found in several sections (LockBit the group
// and LockBit the ransomware) yields a Mention for each.
func (d *dictionary) find(s *nlp.Sentence, si int) []Mention {
	var out []Mention
	toks := s.Tokens
	schemes := d.schemesIn(s)
	for i := 0; i < len(toks); {
		// the longest name of each section: LockBit the tool is found even
		// where "LockBit ransomware gang" names the group
		var best [SectionOutlet + 1]int
		longest := 0
		for _, a := range d.byFirst[toks[i].Lower] {
			n := len(a.words)
			if n < best[a.section] || i+n > len(toks) || !d.aliasAt(a, toks, i) {
				continue
			}
			if cues := d.cues[a.entity]; cues != nil && (!hasCue(toks, i, i+n, cues) || partOfLongerName(toks, i, i+n)) {
				continue
			}
			best[a.section] = n
			longest = max(longest, n)
			out = append(out, Mention{Section: a.section, Entity: a.entity, Sent: si, Start: i, End: i + n})
		}
		// A name the dictionary lists wins over a scheme's match of the
		// same length: UNC3944 is Scattered Spider, not "a UNC cluster".
		for _, m := range schemes[i] {
			n := m.end - i
			if n <= best[m.section] {
				continue
			}
			if cues := d.cues[m.entity]; cues != nil && (!hasCue(toks, i, m.end, cues) || partOfLongerName(toks, i, m.end)) {
				continue
			}
			best[m.section] = n
			longest = max(longest, n)
			out = append(out, Mention{Section: m.section, Entity: m.named(s, toks, i), Sent: si, Start: i, End: m.end})
		}
		if longest == 0 {
			i++
			continue
		}
		out = dropShadowed(out, i, longest)
		i += longest
	}
	return dedupeMentions(out)
}

// schemeMatch is a match of a scheme that covers whole tokens, ending
// before token end.
type schemeMatch struct {
	*scheme
	end int
}

// named is the entry of the scheme as the match at token i names it: the
// text matched is its name.
func (m schemeMatch) named(s *nlp.Sentence, toks []nlp.Token, i int) *rules.Entity {
	e := *m.entity
	last := &toks[m.end-1]
	e.Name = s.Text[toks[i].Start : last.Start+len(last.Text)]
	e.Aliases, e.NamePos = nil, nil
	return &e
}

// schemesIn finds the schemes' matches in s, by the token they start at:
// at each token, the longest run of up to maxSchemeTokens whole tokens
// that the anchored expression matches ("UNC123456" is no match of
// UNC[0-9]{3,5}: a name never cuts a token).
func (d *dictionary) schemesIn(s *nlp.Sentence) map[int][]schemeMatch {
	if len(d.schemes) == 0 {
		return nil
	}
	var out map[int][]schemeMatch
	toks := s.Tokens
	for k := range d.schemes {
		sc := &d.schemes[k]
		if sc.prefix != "" && !strings.Contains(s.Text, sc.prefix) {
			continue
		}
		for i := range toks {
			if !strings.HasPrefix(s.Text[toks[i].Start:], sc.prefix) {
				continue
			}
			for j := min(len(toks), i+maxSchemeTokens); j > i; j-- {
				last := &toks[j-1]
				if sc.entity.Re.MatchString(s.Text[toks[i].Start : last.Start+len(last.Text)]) {
					if out == nil {
						out = make(map[int][]schemeMatch)
					}
					out[i] = append(out[i], schemeMatch{sc, j})
					break
				}
			}
		}
	}
	return out
}

func (d *dictionary) aliasAt(a *alias, toks []nlp.Token, i int) bool {
	for k, w := range a.words {
		if toks[i+k].Lower != w {
			return false
		}
	}
	if a.caseSensitive {
		got := make([]string, len(a.words))
		for k := range a.words {
			got[k] = toks[i+k].Text
		}
		if strings.Join(got, " ") != strings.Join(nlp.Words(a.text), " ") {
			return false
		}
	}
	return true
}

// dropShadowed removes, among the mentions that start at i, the shorter
// ones of entries other than the longest match's: "DragonForce Malaysia" is
// the hacktivist group, not the DragonForce ransomware, while "LockBit
// ransomware gang" (the group) still names LockBit the tool, whose entry has
// the same name.
func dropShadowed(out []Mention, i, longest int) []Mention {
	var names []string
	for _, m := range out {
		if m.Start == i && m.End-m.Start == longest {
			names = append(names, NormName(m.Entity.Name))
		}
	}
	kept := out[:0]
	for _, m := range out {
		if m.Start == i && m.End-m.Start < longest && !slices.Contains(names, NormName(m.Entity.Name)) {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// partOfLongerName reports whether the capitalised words at [start, end)
// continue a longer proper name: "Royal" in "Royal Mail", "Play" in "Google
// Play". Entries whose names are ordinary words do not match there.
func partOfLongerName(toks []nlp.Token, start, end int) bool {
	if end < len(toks) && toks[end].Capital() {
		return true
	}
	return start > 0 && toks[start-1].Capital() && !SentenceStart(toks, start-1)
}

func SentenceStart(toks []nlp.Token, i int) bool {
	return i == 0 || clauseSeparator(toks[i-1].Text) || isQuote(toks[i-1].Text)
}

// hasCue reports whether a cue word sits within rules.CueWindow tokens of
// the name at [start, end).
func hasCue(toks []nlp.Token, start, end int, cues map[string]bool) bool {
	lo, hi := max(0, start-rules.CueWindow), min(len(toks), end+rules.CueWindow)
	for k := lo; k < hi; k++ {
		if k >= start && k < end {
			continue
		}
		if cues[toks[k].Lower] {
			return true
		}
	}
	return false
}

func dedupeMentions(in []Mention) []Mention {
	if len(in) < 2 {
		return in
	}
	out := in[:0]
	seen := make(map[[2]any]bool, len(in))
	for _, m := range in {
		key := [2]any{m.Entity, m.Start}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, m)
	}
	return out
}

// country returns the ISO code of a country named or described by the
// tokens at [i, i+n), or "".
func (d *dictionary) country(toks []nlp.Token, i, n int) string {
	words := make([]string, n)
	raw := make([]string, n)
	for k := 0; k < n; k++ {
		words[k] = toks[i+k].Lower
		raw[k] = toks[i+k].Text
	}
	key := strings.Join(words, " ")
	code, ok := d.countries[key]
	if !ok {
		return ""
	}
	if d.countryCS[key] && strings.ToUpper(strings.Join(raw, " ")) != strings.Join(raw, " ") {
		return "" // "us" is not the United States
	}
	return code
}

// countries returns the countries named in toks, each at its longest name
// ("Northern Ireland" is GB, not IE), left to right.
func (d *dictionary) countriesIn(toks []nlp.Token) []string {
	var out []string
	for i := 0; i < len(toks); i++ {
		for n := min(4, len(toks)-i); n >= 1; n-- {
			if c := d.country(toks, i, n); c != "" {
				out = append(out, c)
				i += n - 1
				break
			}
		}
	}
	return out
}

// lastCountry is the country named nearest the end of toks (the words just
// before a name: "the Irish health service").
func (d *dictionary) lastCountry(toks []nlp.Token) string {
	if cs := d.countriesIn(toks); len(cs) > 0 {
		return cs[len(cs)-1]
	}
	return ""
}

// firstCountry is the first country named in toks (an appositive after a
// name: "Optus, Australia's second-largest telco").
func (d *dictionary) firstCountry(toks []nlp.Token) string {
	if cs := d.countriesIn(toks); len(cs) > 0 {
		return cs[0]
	}
	return ""
}
