package incident

import (
	"slices"
	"strings"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/pattern"
)

// facts is what the victim, actor, status and impact rules read.
type facts struct {
	victims  *victimList
	actors   itemList
	attempts []place // where the text says an attack was only attempted
	impacts  []*impactFact
	// excluded is the screening's set grown by the actors that patterns
	// name: later stages must not take them for victims either.
	excluded nameSet
}

// impactFact is one impact rule's match.
type impactFact struct {
	kind     rules.ImpactKind
	summary  string
	quantity *record.Quantity
	ev       record.Evidence
	at       place
}

// readFacts applies the victim, actor, status and impact rules, sentence
// by sentence and, within a sentence, in that order of roles. An actor that
// a pattern names is excluded from the victims of the sentences after it.
func (f *Finder) readFacts(t *text, screen screening) facts {
	fs := facts{victims: &victimList{names: f.names}, excluded: screen.excluded.clone()}
	for si := range t.sents {
		if t.stopped(si) {
			break
		}
		sc := f.match.Scan(&t.sents[si], t.mentions[si], false)
		for _, p := range f.match.TextPatterns(rules.RoleVictim) {
			for _, captures := range sc.Match(p) {
				f.readVictims(t, &fs, screen.sources, p.Rule, si, captures)
			}
		}
		for _, p := range f.match.TextPatterns(rules.RoleActor) {
			for _, captures := range sc.Match(p) {
				for _, c := range captures {
					if c.Slot == pattern.SlotActor {
						f.readActor(t, &fs, screen, p.Rule, si, c)
					}
				}
			}
		}
		for _, p := range f.match.TextPatterns(rules.RoleStatus) {
			for _, captures := range sc.Match(p) {
				if p.Rule.Status == rules.Attempted {
					fs.attempts = append(fs.attempts, place{si, captures[0].Start})
				}
			}
		}
		for _, p := range f.match.TextPatterns(rules.RoleImpact) {
			for _, captures := range sc.Match(p) {
				if im := f.readImpact(t, p.Rule, si, captures); im != nil {
					fs.impacts = append(fs.impacts, im)
				}
			}
		}
	}
	return fs
}

// readVictims adds the victims one match of a victim rule names; the
// victims of one match share an attack, so their groups merge.
func (f *Finder) readVictims(t *text, fs *facts, sources nameSet, p *rules.PatternRule, si int, captures []match.Capture) {
	var names []string
	for _, c := range captures {
		if c.Slot != pattern.SlotVictim {
			continue
		}
		for _, c := range f.listedVictims(t, si, c) {
			for _, n := range f.splitNames(t, si, c) {
				if f.acceptVictim(t, fs.excluded, sources, si, c, n) {
					names = append(names, n)
				}
			}
		}
	}
	group := -1
	for _, n := range names {
		v := fs.victims.add(t, n, si, captures[0].Start, p.ID)
		v.patternHits++
		v.textHits++
		if group < 0 {
			group = v.group
		} else {
			group = fs.victims.mergeGroups(group, v.group)
		}
	}
}

// listedVictims returns the capture and the names listed after it, or one
// capture over the whole list when a parenthesised acronym closes it: "the
// Ministry of Science, Innovation, Technology and Telecommunications
// (MICITT)" is one ministry, whatever language its acronym comes from.
func (f *Finder) listedVictims(t *text, si int, c match.Capture) []match.Capture {
	listed := f.listedAfter(t, si, c)
	if len(listed) == 0 {
		return []match.Capture{c}
	}
	last := listed[len(listed)-1].End
	if acronymAt(t.sents[si].Tokens, last) {
		return []match.Capture{{Slot: c.Slot, Start: c.Start, End: last}}
	}
	return append([]match.Capture{c}, listed...)
}

// listedAfter returns the names listed after a captured one: "including
// Hartsfield-Jackson Atlanta International, Los Angeles International (LAX)
// and Chicago O'Hare", "Singtel and US law firm Jones Day". Between the
// separator and the next name it skips a parenthesis, countries and words
// that describe organisations ("law firm", "supermarket chain").
func (f *Finder) listedAfter(t *text, si int, c match.Capture) []match.Capture {
	toks := t.sents[si].Tokens
	var out []match.Capture
	i := skipParens(toks, c.End)
	for i < len(toks) {
		j := i
		if toks[j].Text == "," {
			j++
		}
		if j < len(toks) && toks[j].Lower == "and" {
			j++
		}
		if j == i || j >= len(toks) {
			break
		}
		for k := 0; k < 4 && j < len(toks); k++ {
			n := f.describes(toks, j)
			if n == 0 {
				break
			}
			j += n
		}
		if j < len(toks) && toks[j].Lower == "the" {
			j++
		}
		if j >= len(toks) {
			break
		}
		ends := f.match.NameSpans(toks, j)
		if len(ends) == 0 {
			break
		}
		end := f.match.InstitutionAfter(toks, ends[0])
		// A one-word item must be a name the article uses elsewhere:
		// "Science, Innovation, Technology" lists words of one name.
		if end-j > 1 || t.namedElsewhere(si, toks[j].Text) {
			out = append(out, match.Capture{Slot: c.Slot, Start: j, End: end})
		}
		i = skipParens(toks, end)
	}
	return out
}

// describes returns how many tokens at i describe an organisation before
// its name: a country or demonym, a sector keyword ("law firm"), or a word
// such as "chain" or "company"; 0 when none does.
func (f *Finder) describes(toks []nlp.Token, i int) int {
	if f.match.Country(toks, i, 1) != "" {
		return 1
	}
	if toks[i].Capital() {
		return 0
	}
	if kw := f.sectorAt(toks, i); kw != nil {
		return len(kw.words)
	}
	if f.lex.orgDescriptors[toks[i].Lower] {
		return 1
	}
	return 0
}

// skipParens moves past a parenthesis at i: "(LAX)".
func skipParens(toks []nlp.Token, i int) int {
	if i < len(toks) && toks[i].Text == "(" {
		for k := i + 1; k < len(toks) && k < i+8; k++ {
			if toks[k].Text == ")" {
				return k + 1
			}
		}
	}
	return i
}

// splitNames turns a victim capture into names. "And" joins two victims
// ("Optus and Medibank were hit", the last two items of a list: "A, B and
// C") or belongs to one name ("Kingsmere and District Hospitals NHS
// Trust"): it is two names in a list that no acronym closes ("the Ministry
// of Science, Innovation, Technology and Telecommunications (MICITT)" is
// one), or when the article also names each part on its own.
func (f *Finder) splitNames(t *text, si int, c match.Capture) []string {
	if c.Generic {
		if g := f.articleGovernment(t); g != "" {
			return []string{g}
		}
		return nil
	}
	if c.Mention != nil {
		return []string{c.Mention.Entity.Name}
	}
	whole := cleanName(t.span(si, c.Start, c.End))
	if whole == "" {
		return nil
	}
	parts := strings.Split(whole, " and ")
	if toks := t.sents[si].Tokens; len(parts) == 1 || inList(toks, c.Start) && !acronymAt(toks, c.End) {
		return parts
	}
	if len(parts) == 2 && f.twoNamesJoined(parts[0], parts[1]) {
		return parts
	}
	for _, part := range parts {
		if !t.namedAlone(part, whole) {
			return []string{whole}
		}
	}
	return parts
}

// acronymAt reports whether a parenthesised acronym starts at token i:
// "(MICITT)".
func acronymAt(toks []nlp.Token, i int) bool {
	return i+2 < len(toks) && toks[i].Text == "(" && toks[i+2].Text == ")" && isAcronym(toks[i+1].Text)
}

// inList reports whether the name that starts at token start ends a list
// of names ("A, B and C"), where "and" joins two of them.
func inList(toks []nlp.Token, start int) bool {
	return start > 1 && toks[start-1].Text == "," && toks[start-2].Capital()
}

// articleGovernment names the state of the country the headline names:
// "attacks against government institutions" in an article headlined "Costa
// Rica declares emergency" hit the Costa Rican government. Without a
// country in the headline it is "".
func (f *Finder) articleGovernment(t *text) string {
	toks := nlp.Tokenize(t.article.Title)
	if cs := f.match.Countries(toks); len(cs) > 0 {
		return f.match.Government(cs[0])
	}
	return ""
}

// acceptVictim rejects names that are known not to be victims, and a
// sentence-initial word that prose does not tag as a proper noun.
func (f *Finder) acceptVictim(t *text, excluded, sources nameSet, si int, c match.Capture, name string) bool {
	if c.Mention != nil {
		return false // a dictionary actor, tool, responder or outlet
	}
	key := match.NormName(name)
	if key == "" || excluded[key] || sources[key] || f.isCountry(name) || f.lex.regions[key] || f.demonym(name) {
		return false // "properties in the Americas were infected", "a Russian group"
	}
	if !f.describedAsOrg(t, si, c.Start) && f.looksLikePerson(t, si, name) {
		return false
	}
	if c.Start == 0 && c.End-c.Start == 1 && f.commonWord(t, si, 0) {
		return false
	}
	return true
}

// demonym reports whether a name is a nationality, singular or plural
// ("Russian", "Americans").
func (f *Finder) demonym(name string) bool {
	return f.match.Demonym(name) || strings.HasSuffix(name, "s") && f.match.Demonym(strings.TrimSuffix(name, "s"))
}

// commonWord reports whether the capitalised token at i of a sentence is an
// ordinary word capitalised because it starts the sentence ("Hackers",
// "Officials"): the article writes it in lower case elsewhere, or, when it
// does not, prose's tagger does not call it a proper noun.
func (f *Finder) commonWord(t *text, si, i int) bool {
	tok := t.sents[si].Tokens[i]
	switch t.wordCase(tok) {
	case writtenLower:
		return true // written in lower case elsewhere
	case capitalisedInside:
		return false // capitalised in mid-sentence: a name
	}
	s := &t.sents[si]
	f.tagger.Tag(s)
	// prose calls many unknown names NN at the start of a sentence
	// ("Rackspace"); plural nouns, pronouns, determiners and verbs are what
	// sentence-initial capitals that are not names usually are.
	switch tag := s.Tokens[i].Tag; {
	case tag == "", tag == "NNP", tag == "NNPS", tag == "NN", tag == "FW":
		return false
	}
	return true
}

// How a text writes a word, at the first place that tells (see wordCase).
const (
	caseUntold        = iota
	writtenLower      // in lower case
	capitalisedInside // capitalised after another word
)

// wordCase tells how the text writes tok's word at the first place that
// tells: in lower case, or capitalised as tok is after another word; it is
// kept per word, so that asking for every sentence-initial word costs the
// text's words once.
func (t *text) wordCase(tok nlp.Token) int {
	key := tok.Lower + "\x00" + tok.Text
	if c, ok := t.cases[key]; ok {
		return c
	}
	c := caseUntold
	lower := t.positions(tok.Lower)
	first := place{sent: len(t.sents)}
	if len(lower) > 0 {
		first, c = lower[0], writtenLower
	}
	if tok.Text != tok.Lower {
		for _, p := range t.positions(tok.Text) {
			if p.sent > first.sent || p.sent == first.sent && p.tok > first.tok {
				break // the lower-case use comes first
			}
			if p.tok > 0 && t.sents[p.sent].Tokens[p.tok-1].IsWord() {
				c = capitalisedInside
				break
			}
		}
	}
	if t.cases == nil {
		t.cases = map[string]int{}
	}
	t.cases[key] = c
	return c
}

// describedAsOrg reports whether the words just before token i describe an
// organisation: "US law firm Jones Day", "supermarket chain Kroger".
func (f *Finder) describedAsOrg(t *text, si, i int) bool {
	toks := t.sents[si].Tokens
	for k := max(0, i-3); k < i; k++ {
		if n := f.describes(toks, k); n > 0 && k+n == i && f.match.Country(toks, k, 1) == "" {
			return true
		}
	}
	return false
}

// looksLikePerson reports whether a two- or three-word name is a person:
// no word of it names a kind of organisation or a sector, and the article
// writes its surname the way news writes people's ("Dr Achebe", "Achebe
// said"), or prose's entity model labels it PERSON in the sentence.
func (f *Finder) looksLikePerson(t *text, si int, name string) bool {
	if !f.personShaped(name) {
		return false
	}
	if f.surnameUsed(t, name) {
		return true
	}
	for _, p := range f.tagger.People(&t.sents[si]) {
		if strings.Contains(p, name) || strings.Contains(name, p) && len(strings.Fields(p)) >= 2 {
			return true
		}
	}
	return false
}

// personShaped reports whether a name may be a person's: two or three
// words, none an organisation word, an acronym or a sector.
func (f *Finder) personShaped(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	for _, w := range strings.Fields(match.NormName(name)) {
		if f.lex.genericOrgWords[w] || f.lex.orgSuffixes[w] || len(w) < 2 {
			return false
		}
	}
	for _, w := range words {
		if isAcronym(w) {
			return false // "ICBC FS"
		}
	}
	return f.sectorOf(nlp.Tokenize(name)) == ""
}

// surnameUsed reports whether the text uses the last word of a name as a
// person's surname: news writes a person's full name once, then the
// surname alone, often with a title: "Miriam Achebe ... Dr Achebe said".
func (f *Finder) surnameUsed(t *text, name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 {
		return false
	}
	if t.surnames == nil {
		// Every word used as a surname, with the word before each use,
		// once per text.
		t.surnames = map[string][]string{}
		for k := range t.sents {
			toks := t.sents[k].Tokens
			for i := range toks {
				if i > 0 && f.lex.personTitles[toks[i-1].Lower] || i+1 < len(toks) && f.lex.speechVerbs[toks[i+1].Lower] {
					before := ""
					if i > 0 {
						before = toks[i-1].Text
					}
					// Two different words before are all a lookup needs.
					if list := t.surnames[toks[i].Text]; len(list) < 2 && !slices.Contains(list, before) {
						t.surnames[toks[i].Text] = append(list, before)
					}
				}
			}
		}
	}
	for _, before := range t.surnames[words[len(words)-1]] {
		if before != words[len(words)-2] {
			return true
		}
	}
	return false
}

// isCountry reports whether name is a country or its demonym.
func (f *Finder) isCountry(name string) bool {
	toks := nlp.Tokenize(name)
	return len(toks) > 0 && f.match.Country(toks, 0, len(toks)) != ""
}

// readActor adds the actor an {actor} slot captured: a dictionary entry,
// or a name that is not a country, a generic word, the site, a source, a
// responder or an outlet.
func (f *Finder) readActor(t *text, fs *facts, screen screening, p *rules.PatternRule, si int, c match.Capture) {
	attribution := p.Attribution
	if attribution == "" {
		attribution = rules.Suspected
	}
	if c.Mention != nil {
		it := fs.actors.add(t, c.Mention.Entity, c.Mention.Entity.Name, actorKind(c.Mention), attribution, place{si, c.Start}, p.ID)
		it.asActor = true
		it.patternHits++
		return
	}
	name := cleanName(t.span(si, c.Start, c.End))
	key := match.NormName(name)
	if f.isCountry(name) {
		// "The White House blamed North Korea for the attack": a state
		// is an attacker by attribution, never by its own claim, and not
		// by a possessive ("calls itself Britain's oldest bank").
		toks := t.sents[si].Tokens
		possessive := c.End < len(toks) && toks[c.End].Lower == "'s"
		if attribution != rules.Claimed && !f.match.Demonym(name) && !possessive {
			fs.actors.add(t, nil, name, "nation-state", attribution, place{si, c.Start}, p.ID).patternHits++
		}
		return
	}
	if key == "" || f.lex.genericActors[key] || notActor(t, screen, key) || screen.excluded[key] {
		return // screen.excluded: a dictionary name that is no actor ("WannaCry")
	}
	if c.Start == 0 && c.End == 1 && f.commonWord(t, si, 0) {
		return // "Details leaked on Monday": a sentence's first word, not a name
	}
	if toks := t.sents[si].Tokens; c.End < len(toks) && f.lex.attackNouns[toks[c.End].Lower] &&
		!(c.End+1 < len(toks) && f.lex.groupWords[toks[c.End+1].Lower]) {
		// "linked to the M&S attack": the name is that of the attack's
		// victim ("the Crimson Moth ransomware gang" is a gang's)
		return
	}
	fs.excluded[key] = true
	fs.actors.add(t, nil, name, f.kindBefore(t.sents[si].Tokens, c.Start), attribution, place{si, c.Start}, p.ID).patternHits++
}

// kindBefore reads what kind of actor the words before a name describe: "a
// group called X", "a 17-year-old named X".
func (f *Finder) kindBefore(toks []nlp.Token, i int) string {
	for k := i - 1; k >= max(0, i-6); k-- {
		if kind, ok := f.lex.actorKinds[toks[k].Lower]; ok {
			return kind
		}
	}
	return "unknown"
}

// notActor reports whether a name is known not to be an attacker: the site
// itself, a source, a responder or an outlet named in the text.
func notActor(t *text, screen screening, key string) bool {
	if key == match.NormName(t.article.Site) || screen.sources[key] {
		return true
	}
	for _, r := range screen.responders.items {
		if match.NormName(r.name) == key {
			return true
		}
	}
	for si := range t.mentions {
		for _, m := range t.mentions[si] {
			if (m.Section == match.SectionOutlet || m.Section == match.SectionResponder) &&
				(match.NormName(m.Entity.Name) == key || match.NormName(t.span(si, m.Start, m.End)) == key) {
				return true
			}
		}
	}
	return false
}

// actorKind is the kind of the actor a dictionary mention names.
func actorKind(m *match.Mention) string {
	if m.Section == match.SectionActor {
		return m.Entity.Kind
	}
	return "group" // a ransomware brand acting as the attacker
}

// readImpact reads one match of an impact rule, or returns nil when a
// negation or a hedge before it takes it back.
func (f *Finder) readImpact(t *text, p *rules.PatternRule, si int, captures []match.Capture) *impactFact {
	toks := t.sents[si].Tokens
	if f.negated(toks, captures[0].Start) {
		return nil
	}
	im := &impactFact{kind: p.Impact, ev: t.evidence(si, p.ID), at: place{si, captures[0].Start}}
	for _, c := range captures {
		switch c.Slot {
		case pattern.SlotMoney:
			v, cur, _ := f.match.ParseMoney(toks, c.Start)
			im.quantity = &record.Quantity{Value: v, Unit: cur}
		case pattern.SlotNumber:
			if im.quantity == nil {
				v, n := f.match.ParseNumber(toks, c.Start)
				im.quantity = &record.Quantity{Value: v, Unit: f.unitAfter(toks, c.Start+n)}
			}
		}
	}
	if im.quantity == nil {
		im.quantity = f.quantityIn(toks, p.Impact)
	}
	im.summary = summarize(t.sents[si].Text)
	return im
}

// negation reports whether a word negates: the lexicon's negations, or a
// word ending in n't.
func (f *Finder) negation(w string) bool {
	return f.lex.negations[w] || strings.HasSuffix(w, "n't")
}

// negated reports whether a negation sits in the four tokens before a match
// that starts at token start ("did not expect any disruption", "no data was
// taken"), or a hedge in the ten before it ("too early (, he said,) to put
// a figure on the cost": the clause that declines to say).
func (f *Finder) negated(toks []nlp.Token, start int) bool {
	for k := max(0, start-4); k < start; k++ {
		if f.negation(toks[k].Lower) {
			return true
		}
	}
	for _, words := range f.lex.hedges {
		// the hedge's last word at k
		for k := max(len(words)-1, start-10); k < start; k++ {
			if nlp.LowerWordsAt(toks, k-len(words)+1, words) {
				return true
			}
		}
	}
	return false
}

// quantityIn finds the amount a sentence gives for an impact: money for a
// financial impact, a count of records or people for the others ("the data
// of 2.5 million customers").
func (f *Finder) quantityIn(toks []nlp.Token, kind rules.ImpactKind) *record.Quantity {
	for i := range toks {
		if kind == rules.Financial {
			if v, cur, n := f.match.ParseMoney(toks, i); n > 0 {
				return &record.Quantity{Value: v, Unit: cur}
			}
			continue
		}
		if v, n := f.match.ParseNumber(toks, i); n > 0 {
			if unit := f.unitAfter(toks, i+n); unit != "items" && i+n < len(toks) && toks[i+n].Lower == unit {
				return &record.Quantity{Value: v, Unit: unit}
			}
		}
	}
	return nil
}

// unitAfter names what a number counts: "500,000 customers" -> "customers",
// "40 GB" -> "GB"; "items" when the three words after it do not say.
func (f *Finder) unitAfter(toks []nlp.Token, i int) string {
	for k := i; k < len(toks) && k < i+3; k++ {
		w := toks[k].Lower
		if f.lex.countUnits[w] {
			return w
		}
		if unit, ok := f.lex.dataUnits[w]; ok {
			return unit
		}
	}
	return "items"
}

// summarize shortens a sentence to at most 160 bytes, at a word boundary.
func summarize(s string) string {
	const max = 160
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndex(s[:max], " ")
	if cut < 0 {
		cut = max
	}
	return s[:cut] + "…"
}
