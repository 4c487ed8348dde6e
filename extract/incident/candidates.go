package incident

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
)

// candidate is a name the text gives that may be a victim: an
// organisation-like run of capitalised words, an acronym, a name with
// digits, with the forms and places the text uses for it.
type candidate struct {
	name     string
	aliases  []string
	keys     map[string]string // name and aliases -> their comparison keys
	mentions []mention
	victims  []*victim // the victims rules found under this name, if any
	features map[string]float64
	score    float64
	saysHit  bool // the subject of a response in a sentence that says it was hit
	// listmates are the candidates named in a list with this one ("A, B
	// and C").
	listmates []*candidate
}

// mention is one place a candidate is named: the tokens [start, end) of
// sentence sent, or of the headline when sent is headlineSent.
type mention struct {
	sent, start, end int
	// ref marks a reference that stands for the name: "the company", "the
	// hospital" (see resolveReferences).
	ref bool
}

// headlineSent stands for the headline where a sentence index is expected.
const headlineSent = -1

// sentence returns sentence si of the text, or the headline.
func (t *text) sentence(si int) *nlp.Sentence {
	if si == headlineSent {
		return &t.headline
	}
	return &t.sents[si]
}

// scoreVictims scores every victim candidate of the text with the rule
// set's victim model (scoreCandidates) and adds those it keeps to the
// victims the rules found; every victim gets its score as confidence and
// the features that raised it as cues. Without a model the victims stay
// those the rules found. Find calls it only for an article that reports
// an attack (aboutIncident).
func (f *Finder) scoreVictims(t *text, victims *victimList, excluded, sources nameSet) {
	model := f.victimModel
	if model == nil {
		return
	}
	cands := f.victimCandidates(t, victims, excluded, sources)
	f.allFeatures(t, cands)
	f.scoreCandidates(cands)
	for _, c := range cands {
		switch {
		case len(c.victims) > 0:
			for _, v := range c.victims {
				v.confidence, v.cues = c.score, model.cues(c.features)
				// A rule that named the short form ("M&S") leaves the
				// long form to the candidate ("Marks & Spencer").
				for _, name := range append([]string{c.name}, c.aliases...) {
					if len(c.victims) == 1 && isAcronymOf(v.name, name) {
						victims.addName(v, name)
					}
				}
			}
		case c.kept(model):
			m := c.mentions[0]
			if m.sent == headlineSent {
				m = c.firstInText()
			}
			if m.sent == headlineSent {
				continue // a victim must be named in the text
			}
			v := victims.add(t, c.name, m.sent, m.start, "victim.score")
			for _, a := range c.aliases {
				victims.addName(v, a)
			}
			v.confidence, v.cues = c.score, model.cues(c.features)
			c.victims = []*victim{v}
		}
	}
	// The victims of one list share an attack.
	for _, c := range cands {
		for _, o := range c.listmates {
			if len(c.victims) > 0 && len(o.victims) > 0 {
				victims.mergeGroups(c.victims[0].group, o.victims[0].group)
			}
		}
	}
}

// scoreCandidates scores the candidates with the victim model, then
// settles lists: a list shares its members' fate, so a candidate listed
// with one that is kept ("A, B and C all confirmed they were affected")
// is listed with a victim and scored again. What is kept before this
// step decides, so the order of the candidates does not matter.
func (f *Finder) scoreCandidates(cands []*candidate) {
	model := f.victimModel
	if model == nil {
		return
	}
	for _, c := range cands {
		c.score = model.score(c.features)
	}
	kept := map[*candidate]bool{}
	for _, c := range cands {
		kept[c] = c.kept(model)
	}
	for _, c := range cands {
		if kept[c] || c.features["listed_with"] > 0 {
			continue
		}
		if slices.ContainsFunc(c.listmates, func(o *candidate) bool { return kept[o] }) {
			c.features["listed_with"] = 1
			c.score = model.score(c.features)
		}
	}
}

// kept reports whether a candidate is a victim: a rule named it, or its
// score reaches the model's threshold and it has a cue of the victim's
// role.
func (c *candidate) kept(m *model) bool {
	return len(c.victims) > 0 || c.score >= m.threshold && c.roleCue()
}

// roleCue reports whether a candidate holds a cue of the victim's role,
// beyond being named near an attack: a name only quoted about an attack
// ("the Foreign Office said") is a responder's, one that says it was hit
// ("X confirmed it was affected") is a victim's.
func (c *candidate) roleCue() bool {
	if c.saysHit {
		return true // "A and B confirmed they were among those affected"
	}
	if c.features["attack_sentence"] == 0 {
		return false
	}
	for _, f := range []string{"headline", "passive_hit", "attack_on", "possessor", "victim_action", "listed_with"} {
		if c.features[f] > 0 {
			return true
		}
	}
	return false
}

// firstInText is the candidate's first mention outside the headline, or a
// headline mention when it has none.
func (c *candidate) firstInText() mention {
	for _, m := range c.mentions {
		if m.sent != headlineSent {
			return m
		}
	}
	return c.mentions[0]
}

// victimCandidates lists the names of the headline and the text that may
// be victims, merged by organisation (an acronym with its long form, a
// distinctive word with the whole name), and the victims the rules found.
// A name is left out when it can never be a victim: a dictionary entry, a
// source, a responder, a country, a generic word, the site itself.
func (f *Finder) victimCandidates(t *text, victims *victimList, excluded, sources nameSet) []*candidate {
	var out []*candidate
	ix := newNameIndex[*candidate](f.names)
	site := match.NormName(t.article.Site)
	add := func(name string, m mention) {
		key := match.NormName(name)
		if key == "" || key == site || excluded[key] || sources[key] || f.lex.genericOrgWords[key] || f.lex.regions[key] || f.isCountry(name) || contraction(name) || f.placeUnit(name) {
			return
		}
		if c, ok := ix.first(name, key, func(c *candidate) bool { return c.names(f.names, name, key) }); ok {
			c.mentions = append(c.mentions, m)
			c.addName(name)
			ix.add(c, name, key)
			return
		}
		c := &candidate{name: name, mentions: []mention{m}, keys: map[string]string{name: key}}
		ix.add(c, name, key)
		out = append(out, c)
	}
	// A headline in title case ("Hospital Pays Ransom After Attack")
	// capitalises every word, so its names are found by matching the
	// text's candidates against it instead.
	titled := titleCase(&t.headline)
	for si := headlineSent; si < len(t.sents); si++ {
		if si == headlineSent && titled || si != headlineSent && heading(&t.sents[si]) {
			continue // a heading, or the headline repeated in the text
		}
		s := t.sentence(si)
		ments := t.headlineMentions
		if si != headlineSent {
			ments = t.mentions[si]
		}
		sc := f.match.Scan(s, ments, si == headlineSent)
		toks := s.Tokens
		for i := 0; i < len(toks); i++ {
			if !toks[i].Capital() && !startsWithDigit(toks[i].Text) {
				continue
			}
			if i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1) {
				continue // inside a longer name
			}
			if mentionAt(ments, i) {
				continue
			}
			end := sc.OrgName(i)
			if end <= i {
				continue
			}
			for _, part := range f.nameParts(t, si, i, end) {
				if part[1] < len(toks) && f.lex.softwareWords[toks[part[1]].Lower] {
					continue // "pushed Quillon ransomware": software, not its victim
				}
				add(cleanName(s.Text[toks[part[0]].Start:toks[part[1]-1].Start+len(toks[part[1]-1].Text)]), mention{sent: si, start: part[0], end: part[1]})
			}
			i = end - 1
		}
	}
	if titled {
		for _, c := range out {
			if i, n := inTitle(&t.headline, c); n > 0 {
				c.mentions = append(c.mentions, mention{sent: headlineSent, start: i, end: i + n})
			}
		}
	}
	out = f.mergeCandidates(out)
	// A single capitalised word that only starts one sentence is most
	// often an ordinary word ("Next", "Infected"), not a name.
	out = slices.DeleteFunc(out, func(c *candidate) bool {
		return len(c.mentions) == 1 && c.mentions[0].sent != headlineSent && c.mentions[0].start == 0 && c.mentions[0].end == 1
	})
	// The victims the rules found are candidates too, scored the same way.
	ix = newNameIndex[*candidate](f.names)
	for _, c := range out {
		for form, k := range c.keys {
			ix.add(c, form, k)
		}
	}
	for _, v := range victims.list {
		var c *candidate
		for _, name := range append([]string{v.name}, v.aliases...) {
			key := match.NormName(name)
			if found, ok := ix.first(name, key, func(c *candidate) bool { return c.names(f.names, name, key) }); ok && (c == nil || ix.order[found] < ix.order[c]) {
				c = found
			}
		}
		if c == nil {
			c = &candidate{name: v.name, keys: map[string]string{v.name: match.NormName(v.name)}}
			for si, tok := range v.at {
				if tok >= 0 {
					c.mentions = append(c.mentions, mention{sent: si, start: tok, end: tok + len(nlp.Words(v.name))})
				}
			}
			if len(c.mentions) == 0 {
				for si := range v.at {
					c.mentions = append(c.mentions, mention{sent: si})
				}
			}
			out = append(out, c)
		}
		c.victims = append(c.victims, v)
	}
	f.resolveReferences(t, out)
	return out
}

// resolveReferences adds to the candidates the places where the text
// refers to them without their name: "the company said", "the hospital
// paid". "The" and a reference noun stand for the candidate named last
// before them that fits: one whose name holds the noun ("the hospital" for
// Kansas Heart Hospital), or, for a noun any organisation may be called
// by (the lexicon's org-descriptors, "the company", "the firm", and the
// nouns no organisation's name is made of, "the retailer"), one that is
// not a person's name.
func (f *Finder) resolveReferences(t *text, cands []*candidate) {
	if len(f.lex.referenceNouns) == 0 {
		return
	}
	type named struct {
		sent, tok int
		c         *candidate
	}
	var order []named
	for _, c := range cands {
		for _, m := range c.mentions {
			if m.sent != headlineSent && m.end > m.start {
				order = append(order, named{m.sent, m.start, c})
			}
		}
	}
	slices.SortFunc(order, func(a, b named) int {
		if a.sent != b.sent {
			return a.sent - b.sent
		}
		return a.tok - b.tok
	})
	// The mentions a noun may stand for, in text order, one list per noun,
	// so that each reference is a binary search.
	fitting := map[string][]named{}
	fits := func(noun string) []named {
		list, ok := fitting[noun]
		if !ok {
			verdict := map[*candidate]bool{}
			for _, o := range order {
				v, seen := verdict[o.c]
				if !seen {
					v = f.refersTo(noun, o.c)
					verdict[o.c] = v
				}
				if v {
					list = append(list, o)
				}
			}
			fitting[noun] = list
		}
		return list
	}
	for si := range t.sents {
		toks := t.sents[si].Tokens
		for k := 0; k+1 < len(toks); k++ {
			noun := toks[k+1].Lower
			if toks[k].Lower != "the" || !f.lex.referenceNouns[noun] || k+2 < len(toks) && toks[k+2].Capital() && toks[k+2].Lower != "'s" {
				continue
			}
			list := fits(noun)
			// the last mention before token k of sentence si
			i := sort.Search(len(list), func(i int) bool {
				return list[i].sent > si || list[i].sent == si && list[i].tok >= k
			}) - 1
			if i >= 0 {
				c := list[i].c
				c.mentions = append(c.mentions, mention{sent: si, start: k, end: k + 2, ref: true})
			}
		}
	}
}

// refersTo reports whether "the" and noun may stand for a candidate.
func (f *Finder) refersTo(noun string, c *candidate) bool {
	if !f.lex.orgDescriptors[noun] && (f.lex.genericOrgWords[noun] || f.lex.institutions[noun]) {
		return slices.Contains(nlp.LowerWords(c.name), noun)
	}
	return !f.personShaped(c.name) || f.lex.orgSuffixes[strings.ToLower(c.name[strings.LastIndex(c.name, " ")+1:])]
}

// maxForms is the most names a candidate keeps: an organisation has a
// few, and a page that chains thousands of names into one must not make
// every comparison slower.
const maxForms = 16

// names reports whether one of the candidate's names denotes the
// organisation of name, whose key is given.
func (c *candidate) names(n orgNames, name, key string) bool {
	for form, k := range c.keys {
		if n.sameKeyed(form, k, name, key) {
			return true
		}
	}
	return false
}

// addName adds a name to a candidate: the fuller form names it ("Cathay
// Pacific Airways" over "Cathay Pacific", "Marks & Spencer" over "M&S"),
// the others become aliases.
func (c *candidate) addName(name string) {
	if name == c.name || slices.Contains(c.aliases, name) || len(c.keys) >= maxForms {
		return
	}
	if c.keys == nil {
		c.keys = map[string]string{}
	}
	c.keys[name] = match.NormName(name)
	if fuller(name, c.name) {
		name, c.name = c.name, name
	}
	c.aliases = append(c.aliases, name)
}

// mergeCandidates merges the candidates that name one organisation under
// any of their names: a text that says "Colorado" before it says
// "Colorado Department of Transportation" and "CDOT" gives one candidate.
func (f *Finder) mergeCandidates(cands []*candidate) []*candidate {
	var out []*candidate
	ix := newNameIndex[*candidate](f.names)
	for _, c := range cands {
		var into *candidate
		for form, k := range c.keys {
			if o, ok := ix.first(form, k, func(o *candidate) bool { return o.names(f.names, form, k) }); ok && (into == nil || ix.order[o] < ix.order[into]) {
				into = o
			}
		}
		if into == nil {
			out = append(out, c)
			for form, k := range c.keys {
				ix.add(c, form, k)
			}
			continue
		}
		into.mentions = append(into.mentions, c.mentions...)
		for _, name := range append([]string{c.name}, c.aliases...) {
			into.addName(name)
			ix.add(into, name, into.keys[name])
		}
	}
	return out
}

// nameParts splits the name at tokens [start, end) of sentence si into
// the names it holds: a job title followed by a person's name ends it
// ("Hancock Health CEO Steve Long" is Hancock Health), and "and" joins two
// names when one of them is an organisation's ("British Airways and
// Cathay Pacific") or the text names one of them alone ("FedEx and
// PetroChina" when it also says "FedEx"); "Marks and Spencer" stays whole.
func (f *Finder) nameParts(t *text, si, start, end int) [][2]int {
	toks := t.sentence(si).Tokens
	for k := start + 1; k+1 < end; k++ {
		if f.lex.jobTitles[toks[k].Lower] && f.personAfterTitle(toks, k+1, end) {
			end = k
			break
		}
	}
	// "Minister of State Ossian Smyth": a person's name ends the run
	// when the text uses its last word as a surname.
	if end-start >= 3 && si != headlineSent && f.surnameUsed(t, toks[end-2].Text+" "+toks[end-1].Text) {
		end -= 2
	}
	// The last two items of a comma list: ", Wexley Mutual and Harrow
	// Credit Union".
	inList := start > 1 && toks[start-1].Text == "," && toks[start-2].Capital()
	for k := start + 1; k+1 < end; k++ {
		if toks[k].Lower != "and" {
			continue
		}
		if inList && toks[k+1].Capital() {
			return append([][2]int{{start, k}}, f.nameParts(t, si, k+1, end)...)
		}
		left, right := [2]int{start, k}, [2]int{k + 1, end}
		if f.lex.genericOrgWords[toks[k+1].Lower] {
			continue // "Kingsmere and District Hospitals NHS Trust"
		}
		// A single word named alone may be the short form of the whole
		// name ("Kingsmere"), so it is no evidence of two names.
		leftAlone := k-start > 1 && t.namedAloneElsewhere(si, toks, left)
		if f.orgEnding(toks, left) || f.orgEnding(toks, right) || leftAlone || t.namedAloneElsewhere(si, toks, right) {
			return append([][2]int{left}, f.nameParts(t, si, k+1, end)...)
		}
	}
	return [][2]int{{start, end}}
}

// personAfterTitle reports whether tokens [from, end) after a job title
// are a person's name: one to three capitalised words, none a word of an
// organisation's name ("Hancock Health CEO Steve Long", not
// "Massachusetts General Hospital").
func (f *Finder) personAfterTitle(toks []nlp.Token, from, end int) bool {
	if end-from < 1 || end-from > 3 {
		return false
	}
	for _, tok := range toks[from:end] {
		w := strings.Trim(tok.Lower, ".")
		if !tok.Capital() || f.lex.genericOrgWords[w] || f.lex.orgSuffixes[w] || f.lex.institutions[w] || f.lex.jobTitles[w] {
			return false
		}
	}
	return true
}

// orgEnding reports whether the name at tokens span ends in a word that
// ends organisations' names ("Airways", "Inc").
func (f *Finder) orgEnding(toks []nlp.Token, span [2]int) bool {
	return f.lex.orgSuffixes[strings.Trim(toks[span[1]-1].Lower, ".")]
}

// namedAloneElsewhere reports whether the name at tokens span of sentence
// si is named in another sentence or the headline, not followed by "and"
// or "&".
func (t *text) namedAloneElsewhere(si int, toks []nlp.Token, span [2]int) bool {
	words := make([]string, 0, span[1]-span[0])
	for _, tok := range toks[span[0]:span[1]] {
		words = append(words, tok.Text)
	}
	for k := headlineSent; k < len(t.sents); k++ {
		if k == si {
			continue
		}
		other := t.sentence(k).Tokens
		for i := range other {
			if wordsAt(other, i, words) {
				next := i + len(words)
				joined := next < len(other) && (other[next].Lower == "and" || other[next].Text == "&") ||
					i > 0 && (other[i-1].Lower == "and" || other[i-1].Text == "&")
				if !joined {
					return true
				}
			}
		}
	}
	return false
}

// placeUnit reports whether a name is a place and an institution word
// that names a part of another organisation: "UK arm" of "Peñalara
// Hotels' UK arm" (but "the Costa Rican government" is one).
func (f *Finder) placeUnit(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 {
		return false
	}
	switch strings.ToLower(words[len(words)-1]) {
	case "arm", "unit", "division", "subsidiary", "branch", "operations", "business":
		return f.isCountry(strings.Join(words[:len(words)-1], " "))
	}
	return false
}

// contraction reports whether a name is a pronoun's contraction that a
// capital made look like one ("I'm", "I’ve").
func contraction(name string) bool {
	return strings.HasPrefix(name, "I'") || strings.HasPrefix(name, "I’")
}

// fuller reports whether name is a fuller form of short: short is its
// acronym, or name has more words and short is its beginning or one of
// its words.
func fuller(name, short string) bool {
	if isAcronym(short) {
		return isAcronymOf(short, name)
	}
	long, part := strings.Fields(match.NormName(name)), strings.Fields(match.NormName(short))
	return len(long) > len(part) && (beginsWith(name, short) || len(part) == 1 && slices.Contains(long, part[0]))
}

// titleCase reports whether a headline capitalises most of its words, as
// some sites do: at least three words of four letters or more, and no
// more than one of them in lower case.
func titleCase(s *nlp.Sentence) bool {
	words, lower := 0, 0
	for _, tok := range s.Tokens {
		if len(tok.Text) < 4 || !unicode.IsLetter([]rune(tok.Text)[0]) {
			continue
		}
		words++
		if !tok.Capital() {
			lower++
		}
	}
	return words >= 3 && lower <= 1
}

// heading reports whether a sentence of the text is a heading: every word
// of four letters or more capitalised, and no full stop at its end (a
// sentence that lists names, "Wexley Mutual, Harrow Credit Union and
// Kingsmere Building Society were hit.", is prose).
func heading(s *nlp.Sentence) bool {
	toks := s.Tokens
	if len(toks) == 0 || toks[len(toks)-1].Text == "." || !titleCase(s) {
		return false
	}
	for _, tok := range toks {
		if len(tok.Text) >= 4 && unicode.IsLetter([]rune(tok.Text)[0]) && !tok.Capital() {
			return false
		}
	}
	return true
}

// inTitle finds a candidate in a title-case headline, in any case: one of
// its names, or the first two or more words of its name ("Cathay Pacific"
// of "Cathay Pacific Airways"). It returns the first token and the length
// of the match, or 0, 0.
func inTitle(h *nlp.Sentence, c *candidate) (start, n int) {
	forms := [][]string{}
	for _, name := range append([]string{c.name}, c.aliases...) {
		words := nlp.LowerWords(name)
		for k := len(words); k >= 2 || k == len(words) && k > 0; k-- {
			forms = append(forms, words[:k])
		}
	}
	for i := range h.Tokens {
		for _, words := range forms {
			if lowerWordsAt(h.Tokens, i, words) {
				return i, len(words)
			}
		}
	}
	return 0, 0
}

// mentionAt reports whether a dictionary mention starts at token i.
func mentionAt(ments []match.Mention, i int) bool {
	for _, m := range ments {
		if m.Start == i {
			return true
		}
	}
	return false
}

// startsWithDigit reports whether a token is a name that starts with a
// digit and holds a capital ("23andMe", "3M").
func startsWithDigit(s string) bool {
	return len(s) > 1 && s[0] >= '0' && s[0] <= '9' && strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) > 0
}

// roleFeatures adds the features of the candidate's role that one of its
// places in a sentence gives: the attack of the sentence and of the
// clause, the verbs around it, the attack it is the object of, what it
// owns. start is the first token of the name, or of the noun of a
// reference ("company" of "the company"); end is one past the last.
func (f *Finder) roleFeatures(s *nlp.Sentence, start, end int, c *candidate, x map[string]float64) {
	toks := s.Tokens
	if f.aboutAttack(s) {
		x["attack_sentence"] = 1
	}
	if f.attackInClause(toks, start, end) {
		x["attack_clause"] = 1
	}
	if f.passiveHit(toks, end) {
		x["passive_hit"] = 1
	}
	if f.attackOn(toks, start) {
		x["attack_on"] = 1
	}
	if f.possessor(toks, start, end) {
		x["possessor"] = 1
	}
	if f.responds(toks, end) {
		x["response"] = 1
		c.saysHit = c.saysHit || f.saysItWasHit(toks, end)
	}
	if f.acts(toks, end) {
		x["victim_action"] = 1
	}
}

// allFeatures computes the features of every candidate: each its own
// (victimFeatures), then what the lists of names give all their members
// (shareInList: the verb after the list, the attack before it, a victim
// listed with them).
func (f *Finder) allFeatures(t *text, cands []*candidate) {
	for _, c := range cands {
		f.victimFeatures(t, c)
	}
	bySent := map[int][]listPlace{}
	for _, c := range cands {
		for _, m := range c.mentions {
			if m.end > m.start {
				bySent[m.sent] = append(bySent[m.sent], listPlace{m.start, m.end, c})
			}
		}
	}
	for si, places := range bySent {
		slices.SortFunc(places, func(a, b listPlace) int { return a.start - b.start })
		toks := t.sentence(si).Tokens
		// Runs of names joined only by commas and "and": one list.
		for i := 0; i < len(places); {
			j := i + 1
			for j < len(places) && listJoin(toks, places[j-1].end, places[j].start) {
				j++
			}
			if j-i > 1 {
				f.shareInList(toks, places[i:j])
			}
			i = j
		}
	}
}

// shareInList gives every name of a list what the list's position says
// of all of them: the verb after the last name has them all as subject
// ("A, B and C all confirmed"), the attack before the first has them all
// as object ("attacks on A, B and C"); and each is listed with a victim a
// rule named, when one is.
func (f *Finder) shareInList(toks []nlp.Token, list []listPlace) {
	first, last := list[0], list[len(list)-1]
	for _, p := range list {
		p.c.saysHit = p.c.saysHit || f.responds(toks, last.end) && f.saysItWasHit(toks, last.end)
		for _, o := range list {
			if o.c != p.c && !slices.Contains(p.c.listmates, o.c) {
				p.c.listmates = append(p.c.listmates, o.c)
			}
		}
	}
	shared := map[string]bool{
		"response":      f.responds(toks, last.end),
		"victim_action": f.acts(toks, last.end),
		"passive_hit":   f.passiveHit(toks, last.end),
		"attack_on":     f.attackOn(toks, first.start),
		"possessor":     f.possessor(toks, first.start, last.end),
	}
	for _, p := range list {
		if slices.ContainsFunc(p.c.victims, func(v *victim) bool { return v.textHits > 0 }) {
			shared["listed_with"] = true
		}
	}
	for _, p := range list {
		for feature, ok := range shared {
			if ok {
				p.c.features[feature] = 1
			}
		}
	}
}

// listPlace is a candidate's mention in a sentence's list of names.
type listPlace struct {
	start, end int
	c          *candidate
}

// listJoin reports whether the tokens [from, to) only join two items of
// a list: commas, "and", "or", "as well as", "the".
func listJoin(toks []nlp.Token, from, to int) bool {
	if to <= from || to-from > 6 {
		return false
	}
	for k := from; k < to; k++ {
		switch toks[k].Lower {
		case ",", "and", "or", "as", "well", "the", "&":
		case "in":
			// "A in Exeter, B in Torquay and C"
			for k+1 < to && toks[k+1].Capital() {
				k++
			}
		default:
			return false
		}
	}
	return true
}

// victimFeatures computes the features of rules.VictimFeatures for a
// candidate but "listed_with", which allFeatures and scoreCandidates set.
func (f *Finder) victimFeatures(t *text, c *candidate) {
	x := map[string]float64{}
	for _, v := range c.victims {
		if v.textHits > 0 {
			x["pattern"] = 1
		}
		if v.headlineHit {
			x["headline_pattern"] = 1
		}
	}
	sents := map[int]bool{}
	onlyStart := true
	for _, m := range c.mentions {
		s := t.sentence(m.sent)
		toks := s.Tokens
		if m.sent == headlineSent {
			x["headline"] = 1
		} else {
			sents[m.sent] = true
			if m.sent < 2 {
				x["lead"] = 1
			}
		}
		if m.start != 0 || m.end-m.start > 1 {
			onlyStart = false
		}
		if m.end <= m.start {
			continue
		}
		if m.ref {
			// "the company said": what the sentence says of it, not how
			// it names it.
			f.roleFeatures(s, m.start+1, m.end, c, x)
			continue
		}
		f.roleFeatures(s, m.start, m.end, c, x)
		if m.sent != headlineSent && (f.describedAsOrg(t, m.sent, m.start) || f.appositiveSector(toks, m.end)) {
			x["described"] = 1
		}
		if f.vendorNamed(toks, m.start, m.end) {
			x["vendor"] = 1
		}
	}
	if first := f.firstHeadlineName(t); first != "" && (f.names.same(first, c.name) || f.names.anyOf(c.aliases, first)) {
		x["headline_first"] = 1
	}
	x["mentions"] = math.Log2(1 + float64(len(sents)))
	words := strings.Fields(c.name)
	for _, w := range strings.Fields(match.NormName(c.name)) {
		if f.lex.orgSuffixes[w] || f.lex.genericOrgWords[w] {
			x["org_word"] = 1
		}
		if f.lex.institutions[w] {
			x["official_body"] = 1
		}
	}
	if f.sectorOf(nlp.Tokenize(c.name)) != "" {
		x["org_word"] = 1
	}
	if len(words) == 1 {
		x["single_word"] = 1
		if isAcronym(words[0]) {
			x["acronym"] = 1
		}
	}
	if onlyStart && len(words) == 1 {
		x["sentence_start"] = 1
	}
	if f.personNamed(t, c) {
		x["person"] = 1
	}
	c.features = x
}

// personNamed reports whether a candidate is a person's name by how the
// text uses it, without prose's entity model: shaped like one and its
// surname used alone ("Dr Achebe said"), or named after a job title
// ("chief executive, Owen Pritchard", "CEO Jane Doe").
func (f *Finder) personNamed(t *text, c *candidate) bool {
	if f.personShaped(c.name) && f.surnameUsed(t, c.name) {
		return true
	}
	// A title before a name of two or three words without an
	// organisation's ending: "general manager Theodore Banks".
	if n := len(strings.Fields(c.name)); n < 2 || n > 3 || f.orgEnding(nlp.Tokenize(c.name), [2]int{0, len(nlp.Tokenize(c.name))}) {
		return false
	}
	for _, m := range c.mentions {
		toks := t.sentence(m.sent).Tokens
		k := m.start - 1
		if k >= 0 && toks[k].Text == "," {
			k--
		}
		if k >= 0 && (f.lex.jobTitles[toks[k].Lower] || f.lex.personTitles[strings.TrimSuffix(toks[k].Lower, ".")]) {
			return true
		}
	}
	return false
}

// firstHeadlineName is the first organisation-like name of the headline,
// or "".
func (f *Finder) firstHeadlineName(t *text) string {
	if t.firstHeadline == nil {
		name := ""
		sc := f.match.Scan(&t.headline, t.headlineMentions, true)
		toks := t.headline.Tokens
		for i := range toks {
			if !toks[i].Capital() || f.match.NotName(toks[i].Lower) {
				continue
			}
			if end := sc.OrgName(i); end > i {
				name = cleanName(t.headline.Text[toks[i].Start : toks[end-1].Start+len(toks[end-1].Text)])
				break
			}
		}
		t.firstHeadline = &name
	}
	return *t.firstHeadline
}

// saysItWasHit reports whether the name that ends at end says it was hit:
// its verb of response, then a pronoun for it and a hit verb ("X confirmed
// it had been breached", "A and B said they were among the affected").
func (f *Finder) saysItWasHit(toks []nlp.Token, end int) bool {
	start := f.skipOwned(toks, end)
	for k := start; k < len(toks) && k < start+4; k++ {
		if !f.lex.responseVerbs[toks[k].Lower] {
			continue
		}
		for j := k + 1; j < len(toks) && j <= k+3; j++ {
			switch toks[j].Lower {
			case "it", "they", "we", "its", "their", "our":
			default:
				continue
			}
			for h := j + 1; h < len(toks) && h <= j+5; h++ {
				if w := toks[h].Lower; w == "among" || f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") {
					return true
				}
			}
		}
		return false
	}
	return false
}

// attackInClause reports whether an attack word shares a clause with the
// name at [start, end): no comma, semicolon, dash or bracket between them,
// and at most ten tokens apart.
func (f *Finder) attackInClause(toks []nlp.Token, start, end int) bool {
	for k := max(0, start-10); k < min(len(toks), end+10); k++ {
		if k >= start && k < end || !f.isAttackWord(toks[k].Lower) {
			continue
		}
		lo, hi := min(k, start), max(k, end)
		if clauseBreaks(toks, lo, hi) == 0 {
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

// passiveHit reports whether the words after a name make it the passive
// subject of an attack verb: "X was hit", "X has been breached", "X,
// which was hacked" is not read.
func (f *Finder) passiveHit(toks []nlp.Token, end int) bool {
	aux := 0
	start := f.skipOwned(toks, end)
	for k := start; k < len(toks) && k < start+6; k++ {
		w := toks[k].Lower
		switch w {
		case "was", "were", "has", "have", "had", "been", "is", "are", "being", "be", "got", "gets", "get", "became", "becomes":
			aux++
			continue
		case "also", "reportedly", "recently", "apparently", "allegedly", "badly", "severely", "itself", "not", "the", "a", "an":
			continue
		}
		return aux > 0 && f.lex.hitVerbs[w]
	}
	return false
}

// skipOwned returns the token where the verb of a name may start: past
// what the name owns or sends ("X's systems", "X computers", "X
// officials"), a place ("X in Exeter"), an appositive ("X, a payroll
// provider,", "X, whose software ...,") and "all" or "both".
func (f *Finder) skipOwned(toks []nlp.Token, end int) int {
	k := end
	if k < len(toks) && toks[k].Lower == "'s" {
		k++
	}
	for n := 0; k < len(toks) && n < 2 && (f.lex.victimAssets[toks[k].Lower] || toks[k].Lower == "officials" || toks[k].Lower == "authorities"); n++ {
		k++
	}
	if k+1 < len(toks) && (toks[k].Lower == "in" || toks[k].Lower == "of") && toks[k+1].Capital() {
		for k++; k < len(toks) && toks[k].Capital(); k++ {
		}
	}
	if k+1 < len(toks) && toks[k].Text == "," && !toks[k+1].Capital() {
		// An appositive runs to the next comma; a list item would be
		// capitalised.
		for j := k + 2; j < len(toks) && j <= k+16; j++ {
			if toks[j].Text == "," {
				k = j + 1
				break
			}
		}
	}
	if k < len(toks) && (toks[k].Lower == "all" || toks[k].Lower == "both") {
		k++
	}
	return k
}

// attackOn reports whether the words before a name make it the object of
// an attack: "a ransomware attack on X", "the breach at X", "hackers
// breached X".
func (f *Finder) attackOn(toks []nlp.Token, start int) bool {
	k := start - 1
	if k >= 0 && (toks[k].Lower == "the" || toks[k].Lower == "a") {
		k--
	}
	if k < 0 {
		return false
	}
	if w := toks[k].Lower; f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") || w == "hit" || w == "struck" || w == "targets" {
		return true
	}
	if k < start-1 {
		// "the M&S attack", "the Okta data breach"
		for e := start + 1; e < len(toks) && e <= start+5; e++ {
			if f.lex.attackNouns[toks[e].Lower] {
				return true
			}
			if !toks[e].Capital() && toks[e].Lower != "cyber" && toks[e].Lower != "ransomware" && toks[e].Lower != "data" {
				break
			}
		}
	}
	if !f.lex.attackPrepositions[toks[k].Lower] {
		return false
	}
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if clauseBreaks(toks, j, j+1) > 0 {
			return false // "after a cyber attack, officials at X said"
		}
		if f.lex.attackNouns[toks[j].Lower] {
			return true
		}
	}
	return false
}

// possessor reports whether a name owns what an attack reaches: "X's
// systems", "X's customer data", "the computer systems of X", "records
// from X" ("operations at X" names a place as often as an owner).
func (f *Finder) possessor(toks []nlp.Token, start, end int) bool {
	if end < len(toks) && toks[end].Lower == "'s" {
		for k := end + 1; k < len(toks) && k <= end+3; k++ {
			if f.lex.victimAssets[toks[k].Lower] {
				return true
			}
		}
	}
	k := start - 1
	if k >= 0 && toks[k].Lower == "the" {
		k--
	}
	if k < 1 || toks[k].Lower != "of" && toks[k].Lower != "from" {
		return false
	}
	return f.lex.victimAssets[toks[k-1].Lower]
}

// responds reports whether a name is the subject of a victim's response:
// "X said", "X has confirmed", "X paid".
func (f *Finder) responds(toks []nlp.Token, end int) bool {
	return f.verbAfter(toks, end, f.lex.responseVerbs)
}

// acts reports whether a name is the subject of what only a victim does:
// "X paid", "X has restored", "X officials were forced".
func (f *Finder) acts(toks []nlp.Token, end int) bool {
	return f.verbAfter(toks, end, f.lex.victimActions)
}

// verbAfter reports whether one of verbs follows a name as its verb,
// past what it owns and auxiliaries.
func (f *Finder) verbAfter(toks []nlp.Token, end int, verbs map[string]bool) bool {
	start := f.skipOwned(toks, end)
	for k := start; k < len(toks) && k < start+6; k++ {
		w := toks[k].Lower
		if verbs[w] {
			return true
		}
		switch w {
		case "has", "have", "had", "also", "later", "previously", "is", "was", "were", "are", "been", "then", "eventually", "reportedly", "finally", "ultimately", "still", "temporarily":
			continue
		}
		return false
	}
	return false
}

// appositiveSector reports whether an appositive after a name puts it in
// a sector: "Paybridge, a payroll provider,".
func (f *Finder) appositiveSector(toks []nlp.Token, end int) bool {
	if end >= len(toks) || toks[end].Text != "," {
		return false
	}
	hi := end + 1
	for hi < len(toks) && hi-end < 10 && toks[hi].Text != "," && toks[hi].Text != "." {
		hi++
	}
	return f.sectorOf(toks[end+1:hi]) != ""
}

// vendorNamed reports whether a name is given as a security firm or its
// researchers: "researchers at X", "X analysts".
func (f *Finder) vendorNamed(toks []nlp.Token, start, end int) bool {
	for _, words := range f.lex.vendorBefore {
		if start-len(words) >= 0 && lowerWordsAt(toks, start-len(words), words) {
			return true
		}
	}
	return end < len(toks) && f.lex.vendorAfter[toks[end].Lower]
}

// Candidate is a candidate of an article for a role as the role's model
// sees it: its names and its features (rules.VictimFeatures or
// rules.ActorFeatures, all computed).
type Candidate struct {
	Name     string
	Aliases  []string
	Features map[string]float64
	// Score is the model's score, 0 without a model.
	Score float64
	// Ruled is set when a victim rule named the candidate: it is a victim
	// whatever its score.
	Ruled bool
	// Eligible is set when the candidate becomes a victim if its score
	// reaches the threshold: the article reports an attack and the
	// candidate has a cue of the victim's role (see roleCue).
	Eligible bool
}

// Candidates returns what the scoring models of an article see, for
// fitting them on labelled pages ("incidex rules fit"): its victim
// candidates and the actors the rules find, with their features and
// scores. It runs the stages Find runs, the same way, so that the models
// learn from what they will score; an article that reports no attack
// (aboutIncident) keeps nothing, as Find does.
func (f *Finder) Candidates(a *article.Article) (victimCands, actorCands []Candidate) {
	t := f.read(a)
	doc := f.aboutIncident(t)
	screen := f.screen(t)
	facts := f.readFacts(t, screen)
	found := f.collectDictionary(t, facts.actors, screen.responders)
	f.headlineVictims(t, facts.victims, facts.excluded)
	cands := f.victimCandidates(t, facts.victims, facts.excluded, screen.sources)
	f.allFeatures(t, cands)
	f.scoreCandidates(cands)
	for _, c := range cands {
		aliases := slices.Clone(c.aliases)
		for _, v := range c.victims {
			aliases = append(aliases, v.aliases...)
		}
		victimCands = append(victimCands, Candidate{Name: c.name, Aliases: aliases, Features: c.features, Score: c.score,
			Ruled: doc && len(c.victims) > 0, Eligible: doc && c.roleCue()})
	}
	if doc {
		actorCands = f.actorCandidates(t, found)
	}
	return victimCands, actorCands
}
