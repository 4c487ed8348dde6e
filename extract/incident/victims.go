package incident

import (
	"maps"
	"slices"
	"strings"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/pattern"
)

// victim gathers what is known of one victim.
type victim struct {
	name     string // the longest form the article uses
	aliases  []string
	evidence evidence
	// at holds the sentences that name the victim, each with the token of
	// the name (-1 when unknown).
	at          map[int]int
	group       int // victims sharing an attack share a group
	order       int // its place in the list
	inTitle     bool
	patternHits int      // victim rules that named it, in the text or the headline
	textHits    int      // victim rules that named it in the text
	headlineHit bool     // a headline victim rule named it
	keys        forms    // name and aliases -> their comparison keys
	confidence  float64  // the victim model's score; 0 without a model
	cues        []string // the features that raised it
}

// victimList is an article's victims in order of first mention.
type victimList struct {
	names orgNames // how two names are found to denote one victim
	list  []*victim
	index *nameIndex[*victim] // the victims by the names they may share
	// groups holds the victims of each group, so that merging two moves
	// the smaller's victims alone.
	groups map[int][]*victim
}

// add adds a victim named at token tok of sentence si (-1: unknown), or
// merges the name into the victim it denotes.
func (l *victimList) add(t *text, name string, si, tok int, rule string) *victim {
	key := match.NormName(name)
	if l.index == nil {
		l.index = newNameIndex[*victim](l.names)
	}
	if v, ok := l.index.first(name, key, func(v *victim) bool {
		return v.keys.denote(l.names, name, key) && !l.names.twoFullNames(forms{name: key}, v.keys)
	}); ok {
		l.addName(v, name)
		v.addEvidence(t.evidence(si, rule), si, tok)
		return v
	}
	v := &victim{name: name, at: map[int]int{}, group: len(l.list), order: len(l.list), keys: forms{name: key}}
	v.addEvidence(t.evidence(si, rule), si, tok)
	l.list = append(l.list, v)
	if l.groups == nil {
		l.groups = map[int][]*victim{}
	}
	l.groups[v.group] = []*victim{v}
	l.index.add(v, name, key)
	return v
}

// forms are the names of a victim or a candidate, each with its
// comparison key (match.NormName).
type forms map[string]string

// denote reports whether one of the forms denotes the organisation of
// name, whose comparison key is given.
func (fs forms) denote(n orgNames, name, key string) bool {
	for form, k := range fs {
		if n.sameKeyed(form, k, name, key) {
			return true
		}
	}
	return false
}

// mergeGroups puts the victims of groups a and b into one group, named
// by the larger (the smaller's victims move, so that merging costs no more
// than the victims moved), and returns its id.
func (l *victimList) mergeGroups(a, b int) int {
	if a == b {
		return a
	}
	if len(l.groups[a]) < len(l.groups[b]) {
		a, b = b, a
	}
	for _, v := range l.groups[b] {
		v.group = a
	}
	l.groups[a] = append(l.groups[a], l.groups[b]...)
	delete(l.groups, b)
	return a
}

// addName records another form of a victim's name, keeping the longest
// as the name: "Marks & Spencer" over "M&S".
func (l *victimList) addName(v *victim, name string) {
	if name == v.name || l.names.anyOf(v.aliases, name) || len(v.keys) >= maxForms {
		return
	}
	if v.keys == nil {
		v.keys = forms{}
	}
	v.keys[name] = match.NormName(name)
	if l.index != nil {
		l.index.add(v, name, v.keys[name])
	}
	if len(name) > len(v.name) {
		v.aliases = append(v.aliases, v.name)
		v.name = name
		return
	}
	v.aliases = append(v.aliases, name)
}

func (v *victim) addEvidence(ev record.Evidence, si, tok int) {
	if old, ok := v.at[si]; !ok || old < 0 {
		v.at[si] = tok
	}
	v.evidence.add(ev)
}

// forms returns the words of the victim's name and aliases, tokenised once
// for the scans over every token of the article.
func (v *victim) forms() [][]string {
	out := make([][]string, 0, 1+len(v.aliases))
	for _, n := range append([]string{v.name}, v.aliases...) {
		if words := nlp.Words(n); len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

// headlineVictims applies the title-scope victim rules to the headline:
// news headlines name the victim ("Garmin confirms cyber attack behind
// five-day outage", "Ravensholt council hit by ransomware"). A name they
// capture counts when the text names it too (the evidence is the first
// sentence that does) and it is not excluded, a country, a generic word or
// the site itself. (Find calls it only for an article that reports an
// attack, so "NASA confirms water plumes on Europa" names no victim.)
func (f *Finder) headlineVictims(t *text, victims *victimList, excluded nameSet) {
	patterns := f.match.TitlePatterns(rules.RoleVictim)
	if len(patterns) == 0 {
		return
	}
	title := &t.headline
	sc := f.match.Scan(title, t.headlineMentions, true)
	site := match.NormName(t.article.Site)
	for _, p := range patterns {
		for _, captures := range sc.Match(p) {
			for _, c := range captures {
				if c.Slot != pattern.SlotVictim || c.Mention != nil {
					continue
				}
				name := cleanName(title.Text[title.Tokens[c.Start].Start : title.Tokens[c.End-1].Start+len(title.Tokens[c.End-1].Text)])
				key := match.NormName(name)
				if key == "" || key == site || excluded[key] || f.isCountry(name) || f.lex.genericOrgWords[key] {
					continue
				}
				if c.End-c.Start == 1 && match.SentenceStart(title.Tokens, c.Start) && t.commonNoun(title.Tokens[c.Start]) {
					continue // "Bin collections delayed after...", the text's "bins"
				}
				full, si, ok := f.bodyName(t, name)
				if !ok {
					// "Ravensholt council" in the headline, "Ravensholt
					// Borough Council" in the text
					if w := strings.Fields(name); len(w) > 1 && f.match.Institution(strings.ToLower(w[len(w)-1])) {
						full, si, ok = f.bodyName(t, strings.Join(w[:len(w)-1], " "))
					}
				}
				if ok {
					v := victims.add(t, full, si, -1, p.Rule.ID)
					if f.names.same(full, name) || beginsWith(name, full) {
						victims.addName(v, name) // the headline may use the longer form
					}
					v.inTitle = true
					v.headlineHit = true
					v.patternHits++
				}
			}
		}
	}
}

// bodyName finds a headline name in the text: the same name, or the
// longer form it abbreviates ("Pine Hollow" for "Pine Hollow Unified School
// District"). It returns the text's form and the first sentence about an
// attack that uses it, else the first sentence that does.
func (f *Finder) bodyName(t *text, name string) (string, int, bool) {
	found, at, ok := "", 0, false
	for si := range t.sents {
		if cand, hit := f.longerNameIn(&t.sents[si], name); hit {
			if f.aboutAttack(&t.sents[si]) {
				return cand, si, true
			}
			if !ok {
				found, at, ok = cand, si, true
			}
		}
	}
	return found, at, ok
}

// aboutAttack reports whether a sentence is about an attack: a word of it
// begins with an attack word ("hacked", "ransomware", "breach").
func (f *Finder) aboutAttack(s *nlp.Sentence) bool {
	for _, t := range s.Tokens {
		if f.isAttackWord(t.Lower) {
			return true
		}
	}
	return false
}

// isAttackWord reports whether a lower-case word begins with an attack
// word ("hacked", "ransomware").
func (f *Finder) isAttackWord(w string) bool {
	for _, a := range f.lex.attackWords {
		if strings.HasPrefix(w, a) {
			return true
		}
	}
	return false
}

// longerNameIn finds in s a whole name that is name, abbreviates to it or
// begins with it, and returns that name as s writes it.
func (f *Finder) longerNameIn(s *nlp.Sentence, name string) (string, bool) {
	toks := s.Tokens
	for i := range toks {
		if !toks[i].Capital() || f.match.NotName(toks[i].Lower) {
			continue
		}
		if i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1) {
			continue // inside a longer name
		}
		if ends := f.match.NameSpans(toks, i); len(ends) > 0 {
			end := ends[0]
			cand := cleanName(spanText(s, i, end))
			if f.names.same(cand, name) || beginsWith(cand, name) {
				return cand, true
			}
		}
	}
	return "", false
}

// locateVictims finds every sentence that names each victim, so that
// actors, tooling and impacts can be tied to the right incident. A victim
// takes the longer form of its first mention as its name ("Paybridge
// Systems" for "Paybridge") unless that form is excluded, and is in the
// title when the headline contains one of its names.
func (f *Finder) locateVictims(t *text, victims *victimList, excluded nameSet) {
	title := strings.ToLower(t.article.Title)
	for _, v := range victims.list {
		f.adoptFullName(t, victims, v, excluded)
		for _, n := range append([]string{v.name}, v.aliases...) {
			if n != "" && strings.Contains(title, strings.ToLower(n)) {
				v.inTitle = true
			}
		}
		// The first token of each sentence that names it, through the
		// places of the first word of each form.
		first := map[int]int{}
		for _, words := range v.forms() {
			for _, p := range t.positions(words[0]) {
				if at, ok := first[p.sent]; (!ok || p.tok < at) && wordsAt(t.sents[p.sent].Tokens, p.tok, words) {
					first[p.sent] = p.tok
				}
			}
		}
		for si, tok := range first {
			if at, ok := v.at[si]; !ok || at < 0 {
				v.at[si] = tok
			}
		}
	}
}

// adoptFullName adopts the form of the victim's name at its first mention
// when that form is longer: news names an organisation in full once
// ("Paybridge Systems, a payroll provider,") and shortly after that
// ("Paybridge said").
func (f *Finder) adoptFullName(t *text, victims *victimList, v *victim, excluded nameSet) {
	var at *place
	for _, words := range v.forms() {
		for _, p := range t.positions(words[0]) {
			if at != nil && (p.sent > at.sent || p.sent == at.sent && p.tok >= at.tok) {
				break // the positions are in text order
			}
			toks := t.sents[p.sent].Tokens
			if wordsAt(toks, p.tok, words) && !(p.tok > 0 && toks[p.tok-1].Capital() && !match.SentenceStart(toks, p.tok-1)) {
				at = &place{p.sent, p.tok}
				break
			}
		}
	}
	if at == nil {
		return
	}
	toks := t.sents[at.sent].Tokens
	ends := f.match.NameSpans(toks, at.tok)
	if len(ends) == 0 {
		return
	}
	// the first of the names the run holds ("A Building Society and B
	// Insurance" is two)
	part := f.nameParts(t, at.sent, at.tok, ends[0])[0]
	full := cleanName(t.span(at.sent, part[0], part[1]))
	if len(full) > len(v.name) && beginsWith(full, v.name) && !excluded[match.NormName(full)] {
		victims.addName(v, full)
	}
}

// positions returns the places of a word, as written, in text order,
// from an index of the text's words built on first use.
func (t *text) positions(word string) []place {
	if t.wordPlaces == nil {
		t.wordPlaces = map[string][]place{}
		for si := range t.sents {
			for i, tok := range t.sents[si].Tokens {
				t.wordPlaces[tok.Text] = append(t.wordPlaces[tok.Text], place{si, i})
			}
		}
	}
	return t.wordPlaces[word]
}

// describeVictim finds a victim's sector and country from its name and the
// words around it: "UK retailer Marks & Spencer", "the Irish health
// service", "Optus, Australia's second-largest telco,".
func (f *Finder) describeVictim(t *text, v *victim) (sector, country string) {
	sector = f.nameSector(nlp.Tokenize(v.name))
	forms := v.forms()
	for _, si := range slices.Sorted(maps.Keys(v.at)) {
		if si < 0 || si >= len(t.sents) {
			continue // the headline
		}
		toks := t.sents[si].Tokens
		for i := range toks {
			n := formAt(toks, i, forms)
			if n == 0 {
				continue
			}
			// the words just before the name that describe it
			lo := i
			for lo > 0 && i-lo < 5 && f.describesBefore(&toks[lo-1]) {
				lo--
			}
			if sector == "" {
				sector = f.sectorOf(toks[lo:i])
			}
			if country == "" {
				country = f.match.LastCountry(toks[lo:i])
				if country == "" && lo < i {
					country = f.placeIn(toks[lo:i])
				}
			}
			// an appositive after the name, up to the next comma
			if j := i + n; j < len(toks) && toks[j].Text == "," {
				hi := j + 1
				for hi < len(toks) && hi-j < 14 && toks[hi].Text != "," && toks[hi].Text != "." {
					hi++
				}
				if sector == "" {
					sector = f.sectorOf(toks[j+1 : hi])
				}
				if country == "" {
					country = f.match.FirstCountry(toks[j+1 : hi])
					if country == "" {
						country = f.placeIn(toks[j+1 : hi])
					}
				}
			}
		}
	}
	return sector, country
}

// describesBefore reports whether a token may sit in the description just
// before a name ("UK retailer", "the low-cost carrier", "Leeds-based"):
// words and countries, but not the function words and verbs that end the
// description ("shops that use Corvane").
func (f *Finder) describesBefore(t *nlp.Token) bool {
	return t.IsWord() && !f.lex.descriptionStops[t.Lower]
}

// placeIn reads a country from a hyphenated place ("Singapore-registered",
// "UK-based"). A city alone says nothing here: incidex has no gazetteer.
func (f *Finder) placeIn(toks []nlp.Token) string {
	for i := range toks {
		if k := strings.IndexByte(toks[i].Text, '-'); k > 0 && f.match.Descriptive(toks[i].Lower) {
			place := nlp.Tokenize(toks[i].Text[:k])
			if c := f.match.Country(place, 0, len(place)); c != "" {
				return c
			}
		}
	}
	return ""
}

// nameSector is the sector the words of a name give, preferring a specific
// sector to government when both occur ("Eastmere Municipal Water
// Authority" is a utility).
func (f *Finder) nameSector(toks []nlp.Token) string {
	found := ""
	for i := range toks {
		if kw := f.sectorAt(toks, i); kw != nil {
			if kw.sector != "government" {
				return kw.sector
			}
			found = kw.sector
		}
	}
	return found
}

// sectorAt returns the sector keyword that starts at token i, or nil.
func (f *Finder) sectorAt(toks []nlp.Token, i int) *sectorKeyword {
	if i >= len(toks) {
		return nil
	}
	for _, k := range f.sectorsByFirst[toks[i].Lower] {
		if kw := &f.sectors[k]; nlp.LowerWordsAt(toks, i, kw.words) {
			return kw
		}
	}
	return nil
}

// sectorOf returns the sector of the first sector keyword in toks.
func (f *Finder) sectorOf(toks []nlp.Token) string {
	for i := range toks {
		if kw := f.sectorAt(toks, i); kw != nil {
			return kw.sector
		}
	}
	return ""
}
