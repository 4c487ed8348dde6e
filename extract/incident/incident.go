package incident

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// Finder finds the incidents an article reports. Build it once with New
// and reuse it: it holds the compiled dictionaries and patterns and the
// (lazily loaded) prose model. It is safe for concurrent use.
type Finder struct {
	set     *rules.Set
	match   *match.Matcher
	sectors []sectorKeyword
	tagger  *nlp.Tagger
}

type sectorKeyword struct {
	words  []string
	sector string
}

// New compiles a rule set into a Finder.
func New(set *rules.Set) *Finder {
	tagger := &nlp.Tagger{}
	x := &Finder{
		set:    set,
		match:  match.New(set, tagger),
		tagger: tagger,
	}
	for _, s := range set.Sectors {
		for _, kw := range s.Keywords {
			if w := nlp.LowerWords(kw); len(w) > 0 {
				x.sectors = append(x.sectors, sectorKeyword{w, s.Sector})
			}
		}
	}
	// longest keywords first, so "health insurer" beats "health"
	sort.SliceStable(x.sectors, func(i, j int) bool { return len(x.sectors[i].words) > len(x.sectors[j].words) })
	return x
}

// Preload starts loading the part-of-speech model in the background, so that
// the first article that needs it does not wait for all of it.
func (x *Finder) Preload() { x.tagger.Preload() }

// LoadModel loads the part-of-speech model now (benchmarks call it so that
// the one-time load is not timed).
func (x *Finder) LoadModel() { x.tagger.Load() }

// doc is the working state of one article.
type doc struct {
	x     *Finder
	a     *article.Article
	sents []nlp.Sentence
	ments [][]match.Mention

	victims  []*victimAcc
	actors   []*itemAcc
	tools    []*itemAcc
	resp     []*itemAcc
	impacts  []*impactAcc
	attempts []place         // where the text says an attack was only attempted
	exclude  map[string]bool // never victims: actors, tools, responders, outlets
	sources  map[string]bool // quoted as sources ("according to X"): victims only by the headline
}

// victimAcc gathers what is known of one victim.
type victimAcc struct {
	name     string
	aliases  []string
	evidence []record.Evidence
	sents    map[int]int // sentences that match.Mention it -> token index of the match.Mention (-1 unknown)
	group    int         // victims sharing an attack share a group
	inTitle  bool
	strong   int // pattern hits
}

// itemAcc gathers an actor, a tool or a responder.
type itemAcc struct {
	entity      *rules.Entity // nil for names found by patterns only
	name        string
	kind        string
	attribution string
	evidence    []record.Evidence
	places      []place
	asActor     bool // tooling that the text treats as the attacker
	asTool      bool // tooling that the text treats as software
	// A brand mentioned neither as software nor as the attacker ("a
	// successor to Conti") is left out; one that attacks is both actor and
	// tooling, as analysts record ransomware operations.
}

type impactAcc struct {
	kind     string
	summary  string
	quantity *record.Quantity
	ev       record.Evidence
	at       place
}

// place is a token of a sentence: where a fact was read, so that it can be
// tied to the victim named nearest to it.
type place struct{ sent, tok int }

// Find returns the incidents an article reports, in the order their
// victims first appear; none (an empty, non-nil list) for an article about
// no specific attack.
func (x *Finder) Find(a *article.Article) []record.Incident {
	d := &doc{x: x, a: a, sents: nlp.Split(a.Paragraphs), exclude: map[string]bool{}, sources: map[string]bool{}}
	d.ments = make([][]match.Mention, len(d.sents))
	for i := range d.sents {
		d.ments[i] = x.match.Mentions(&d.sents[i], i)
	}
	d.excludeKnownNames()
	d.runPatterns()
	d.collectDictionary()
	d.titleVictims()
	d.findVictimMentions()
	return d.incidents()
}

func (d *doc) evidence(si int, rule string) record.Evidence {
	s := &d.sents[si]
	return record.Evidence{Rule: rule, Text: s.Text, Start: s.Start, End: s.End}
}

func (d *doc) spanText(si, start, end int) string {
	toks := d.sents[si].Tokens
	if start >= end {
		return ""
	}
	return d.sents[si].Text[toks[start].Start : toks[end-1].Start+len(toks[end-1].Text)]
}

// excludeKnownNames records the names that can never be victims: actors,
// tooling, responders, outlets and countries found in the text.
func (d *doc) excludeKnownNames() {
	for si := range d.ments {
		for _, m := range d.ments[si] {
			d.exclude[match.NormName(d.spanText(si, m.Start, m.End))] = true
			d.exclude[match.NormName(m.Entity.Name)] = true
		}
	}
}

// runPatterns applies the text-scope rules. The rules that rule names out
// (not-victim, responder) run over the whole text first, so that an agency
// named as investigating in the last paragraph is not taken for a victim in
// the first.
func (d *doc) runPatterns() {
	for _, roles := range [][]string{{"not-victim", "responder"}, {"victim", "actor", "status", "impact"}} {
		for si := range d.sents {
			ctx := d.x.match.Scan(&d.sents[si], d.ments[si], false)
			for _, role := range roles {
				for _, p := range d.x.match.TextPatterns(role) {
					for _, caps := range ctx.Match(p) {
						d.apply(p.Rule, si, caps)
					}
				}
			}
		}
	}
}

func (d *doc) apply(p *rules.PatternRule, si int, caps []match.Capture) {
	switch p.Role {
	case "not-victim":
		for _, c := range caps[1:] {
			d.sources[match.NormName(cleanName(d.spanText(si, c.Start, c.End)))] = true
		}
	case "victim":
		var names []string
		for _, c := range caps {
			if c.Slot != "victim" {
				continue
			}
			for _, c := range d.victimList(si, c) {
				for _, n := range d.splitNames(si, c) {
					if d.acceptVictim(si, c, n) {
						names = append(names, n)
					}
				}
			}
		}
		group := -1
		for _, n := range names {
			v := d.addVictimAt(n, si, caps[0].Start, p.ID)
			v.strong++
			if group < 0 {
				group = v.group
			} else {
				d.mergeGroups(group, v.group)
			}
		}
	case "actor":
		for _, c := range caps {
			if c.Slot != "actor" {
				continue
			}
			d.addActorCapture(p, si, c)
		}
	case "status":
		if p.Status == "attempted" {
			d.attempts = append(d.attempts, place{si, caps[0].Start})
		}
	case "impact":
		if negated(d.sents[si].Tokens, caps) {
			return
		}
		ia := &impactAcc{kind: p.Impact, ev: d.evidence(si, p.ID), at: place{si, caps[0].Start}}
		for _, c := range caps {
			switch c.Slot {
			case "money":
				v, cur, _ := match.ParseMoney(d.sents[si].Tokens, c.Start)
				ia.quantity = &record.Quantity{Value: v, Unit: cur}
			case "number":
				if ia.quantity == nil {
					v, n := match.ParseNumber(d.sents[si].Tokens, c.Start)
					ia.quantity = &record.Quantity{Value: v, Unit: unitAfter(d.sents[si].Tokens, c.Start+n)}
				}
			}
		}
		if ia.quantity == nil {
			ia.quantity = quantityIn(d.sents[si].Tokens, p.Impact)
		}
		ia.summary = summarize(d.sents[si].Text)
		d.impacts = append(d.impacts, ia)
	case "responder":
		for _, c := range caps[1:] {
			name := cleanName(d.spanText(si, c.Start, c.End))
			if name == "" || d.isCountry(name) {
				continue
			}
			d.exclude[match.NormName(name)] = true
			d.addItem(&d.resp, nil, name, "", "", place{si, c.Start}, p.ID)
		}
	}
}

// victimList returns the match.Capture and the names listed after it, or one
// match.Capture over the whole list when a parenthesised acronym closes it: "the
// Ministry of Science, Innovation, Technology and Telecommunications
// (MICITT)" is one ministry, whatever language its acronym comes from.
func (d *doc) victimList(si int, c match.Capture) []match.Capture {
	listed := d.listedAfter(si, c)
	if len(listed) == 0 {
		return []match.Capture{c}
	}
	toks := d.sents[si].Tokens
	last := listed[len(listed)-1].End
	if last+2 < len(toks) && toks[last].Text == "(" && toks[last+2].Text == ")" && isAcronym(toks[last+1].Text) {
		return []match.Capture{{Slot: c.Slot, Start: c.Start, End: last}}
	}
	return append([]match.Capture{c}, listed...)
}

// listedAfter returns the names listed after a captured one: "including
// Hartsfield-Jackson Atlanta International, Los Angeles International (LAX)
// and Chicago O'Hare", "Singtel and US law firm Jones Day". Between the
// separator and the next name it skips a parenthesis, countries and words
// that describe organisations ("law firm", "supermarket chain").
func (d *doc) listedAfter(si int, c match.Capture) []match.Capture {
	toks := d.sents[si].Tokens
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
			n := d.describes(toks, j)
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
		ends := match.NameSpans(toks, j)
		if len(ends) == 0 {
			break
		}
		end := match.InstitutionAfter(toks, ends[0])
		// A one-word item must be a name the article uses elsewhere:
		// "Science, Innovation, Technology" lists words of one name.
		if end-j > 1 || d.namedElsewhere(si, toks[j].Text) {
			out = append(out, match.Capture{Slot: c.Slot, Start: j, End: end})
		}
		i = skipParens(toks, end)
	}
	return out
}

// namedElsewhere reports whether a sentence other than si contains name.
func (d *doc) namedElsewhere(si int, name string) bool {
	for k := range d.sents {
		if k != si && mentionsName(&d.sents[k], name) {
			return true
		}
	}
	return false
}

// describes returns how many tokens at i describe an organisation before
// its name: a country or demonym, a sector keyword ("law firm"), or a word
// such as "chain" or "company"; 0 when none does.
func (d *doc) describes(toks []nlp.Token, i int) int {
	if d.x.match.Country(toks, i, 1) != "" {
		return 1
	}
	if toks[i].Capital() {
		return 0
	}
	if kw := d.x.sectorAt(toks, i); kw != nil {
		return len(kw.words)
	}
	switch toks[i].Lower {
	case "firm", "chain", "company", "group", "giant", "provider", "maker", "operator", "network",
		"carrier", "supplier", "vendor", "contractor", "body", "agency", "outlet", "brand", "local":
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

// negated reports whether a negation sits in the four tokens before a match
// (caps[0] marks its start): "did not expect any disruption", "no data was
// taken".
func negated(toks []nlp.Token, caps []match.Capture) bool {
	start := caps[0].Start
	for k := max(0, start-4); k < start; k++ {
		switch toks[k].Lower {
		case "not", "no", "never", "n't", "without", "nor", "neither", "unlikely", "none":
			return true
		}
		if strings.HasSuffix(toks[k].Lower, "n't") {
			return true
		}
	}
	// "too early (, he said,) to put a figure on the cost": the clause that
	// declines to say, a little further back
	for k := max(1, start-10); k < start; k++ {
		if toks[k].Lower == "early" && toks[k-1].Lower == "too" {
			return true
		}
	}
	return false
}

// splitNames turns a victim match.Capture into names. "And" joins two victims
// ("Optus and Medibank were hit") or belongs to one name ("Kingsmere and
// District Hospitals NHS Trust"): it is two names when the article also names
// each part on its own.
func (d *doc) splitNames(si int, c match.Capture) []string {
	if c.Generic {
		if g := d.articleGovernment(); g != "" {
			return []string{g}
		}
		return nil
	}
	if c.Mention != nil {
		return []string{c.Mention.Entity.Name}
	}
	text := cleanName(d.spanText(si, c.Start, c.End))
	if text == "" {
		return nil
	}
	parts := strings.Split(text, " and ")
	if len(parts) == 1 {
		return []string{text}
	}
	for _, part := range parts {
		if !d.namedAlone(part, text) {
			return []string{text}
		}
	}
	return parts
}

// articleGovernment names the state of the country the headline names:
// "attacks against government institutions" in an article headlined "Costa
// Rica declares emergency" hit the Costa Rican government. Without a country
// in the headline it is "".
func (d *doc) articleGovernment() string {
	toks := nlp.Tokenize(d.a.Title)
	if cs := d.x.match.Countries(toks); len(cs) > 0 {
		return d.x.match.Government(cs[0])
	}
	return ""
}

// namedAlone reports whether part appears in a sentence that does not also
// contain whole.
func (d *doc) namedAlone(part, whole string) bool {
	for si := range d.sents {
		s := &d.sents[si]
		if mentionsName(s, part) && !strings.Contains(s.Text, whole) {
			return true
		}
	}
	return false
}

// acceptVictim rejects names that are known not to be victims, and a
// sentence-initial word that prose does not tag as a proper noun.
func (d *doc) acceptVictim(si int, c match.Capture, name string) bool {
	if c.Mention != nil {
		return false // a dictionary actor, tool, responder or outlet
	}
	key := match.NormName(name)
	if key == "" || d.exclude[key] || d.sources[key] || d.isCountry(name) {
		return false
	}
	if !d.describedAsOrg(si, c.Start) && d.looksLikePerson(si, name) {
		return false
	}
	if c.Start == 0 && c.End-c.Start == 1 && d.commonWord(si, 0) {
		return false
	}
	return true
}

// commonWord reports whether the capitalised token at i of a sentence is an
// ordinary word capitalised because it starts the sentence ("Hackers",
// "Officials"): the article writes it in lower case elsewhere, or, when it
// does not, prose's tagger does not call it a proper noun.
func (d *doc) commonWord(si, i int) bool {
	tok := d.sents[si].Tokens[i]
	for k := range d.sents {
		for j, t := range d.sents[k].Tokens {
			if t.Lower != tok.Lower {
				continue
			}
			if t.Text == tok.Lower {
				return true // written in lower case elsewhere
			}
			if j > 0 && t.Text == tok.Text && d.sents[k].Tokens[j-1].IsWord() {
				return false // capitalised in mid-sentence: a name
			}
		}
	}
	s := &d.sents[si]
	d.x.tagger.Tag(s)
	// prose calls many unknown names NN at the start of a sentence
	// ("Rackspace"); plural nouns, pronouns, determiners and verbs are what
	// sentence-initial capitals that are not names usually are.
	switch tag := s.Tokens[i].Tag; {
	case tag == "", tag == "NNP", tag == "NNPS", tag == "NN", tag == "FW":
		return false
	}
	return true
}

// describedAsOrg reports whether the words just before token i describe an
// organisation: "US law firm Jones Day", "supermarket chain Kroger".
func (d *doc) describedAsOrg(si, i int) bool {
	toks := d.sents[si].Tokens
	for k := max(0, i-3); k < i; k++ {
		if n := d.describes(toks, k); n > 0 && k+n == i && d.x.match.Country(toks, k, 1) == "" {
			return true
		}
	}
	return false
}

// orgSuffixes end the names of organisations, never of people.
var orgSuffixes = map[string]bool{
	"inc": true, "ltd": true, "plc": true, "llc": true, "corp": true, "co": true, "ag": true,
	"sa": true, "gmbh": true, "nv": true, "bv": true, "ab": true, "asa": true, "limited": true,
	"holdings": true, "technologies": true, "labs": true, "media": true, "games": true,
	"partners": true, "airways": true, "airlines": true, "motors": true, "foods": true,
	"stores": true, "shops": true, "supermarkets": true, "pharmacies": true, "hotels": true,
	"resorts": true, "industries": true, "solutions": true, "networks": true, "brands": true,
	"communications": true, "studios": true, "logistics": true, "ports": true, "exchange": true,
}

// looksLikePerson reports whether a two- or three-word name is a person:
// no word of it names a kind of organisation or a sector, and prose's entity
// model labels it PERSON in the sentence.
func (d *doc) looksLikePerson(si int, name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	for _, w := range strings.Fields(match.NormName(name)) {
		if genericOrgWords[w] || orgSuffixes[w] || len(w) < 2 {
			return false
		}
	}
	for _, w := range words {
		if isAcronym(w) {
			return false // "ICBC FS"
		}
	}
	if d.x.sectorOf(nlp.Tokenize(name)) != "" {
		return false
	}
	// News writes a person's full name once, then the surname alone, often
	// with a title: "Miriam Achebe ... Dr Achebe said".
	surname := words[len(words)-1]
	for k := range d.sents {
		toks := d.sents[k].Tokens
		for i := range toks {
			if toks[i].Text != surname || (i > 0 && toks[i-1].Text == words[len(words)-2]) {
				continue
			}
			if i > 0 && personTitles[toks[i-1].Lower] || i+1 < len(toks) && speechVerbs[toks[i+1].Lower] {
				return true
			}
		}
	}
	for _, p := range d.x.tagger.People(&d.sents[si]) {
		if strings.Contains(p, name) || strings.Contains(name, p) && len(strings.Fields(p)) >= 2 {
			return true
		}
	}
	return false
}

var personTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true,
	"prof": true, "professor": true, "sir": true, "dame": true, "lord": true, "lady": true}

var speechVerbs = map[string]bool{"said": true, "says": true, "added": true, "told": true,
	"explained": true, "warned": true, "noted": true, "wrote": true, "argued": true}

func (d *doc) isCountry(name string) bool {
	toks := nlp.Tokenize(name)
	return len(toks) > 0 && d.x.match.Country(toks, 0, len(toks)) != ""
}

func (d *doc) addVictim(name string, si int, rule string) *victimAcc {
	return d.addVictimAt(name, si, -1, rule)
}

// addVictimAt adds a victim named at token tok of sentence si (-1: unknown).
func (d *doc) addVictimAt(name string, si, tok int, rule string) *victimAcc {
	for _, v := range d.victims {
		if sameOrg(v.name, name) || containsAlias(v.aliases, name) {
			v.addName(name)
			v.addEvidence(d.evidence(si, rule), si, tok)
			return v
		}
	}
	v := &victimAcc{name: name, sents: map[int]int{}, group: len(d.victims)}
	v.addEvidence(d.evidence(si, rule), si, tok)
	d.victims = append(d.victims, v)
	return v
}

func (v *victimAcc) addName(name string) {
	if name == v.name || containsAlias(v.aliases, name) {
		return
	}
	// Keep the longest form as the name: "Marks & Spencer" over "M&S".
	if len(name) > len(v.name) {
		v.aliases = append(v.aliases, v.name)
		v.name = name
		return
	}
	v.aliases = append(v.aliases, name)
}

func (v *victimAcc) addEvidence(ev record.Evidence, si, tok int) {
	if old, ok := v.sents[si]; !ok || old < 0 {
		v.sents[si] = tok
	}
	for _, e := range v.evidence {
		if e.Start == ev.Start {
			return
		}
	}
	v.evidence = append(v.evidence, ev)
}

func (d *doc) mergeGroups(a, b int) {
	if a == b {
		return
	}
	for _, v := range d.victims {
		if v.group == b {
			v.group = a
		}
	}
}

func containsAlias(list []string, name string) bool {
	for _, a := range list {
		if sameOrg(a, name) {
			return true
		}
	}
	return false
}

func (d *doc) addActorCapture(p *rules.PatternRule, si int, c match.Capture) {
	attribution := p.Attribution
	if attribution == "" {
		attribution = "suspected"
	}
	if c.Mention != nil {
		it := d.addItem(&d.actors, c.Mention.Entity, c.Mention.Entity.Name, actorKind(c.Mention), attribution, place{si, c.Start}, p.ID)
		it.asActor = true
		return
	}
	name := cleanName(d.spanText(si, c.Start, c.End))
	key := match.NormName(name)
	if key == "" || d.isCountry(name) || genericActor[key] || d.notActor(key) {
		return
	}
	d.exclude[key] = true
	d.addItem(&d.actors, nil, name, kindBefore(d.sents[si].Tokens, c.Start), attribution, place{si, c.Start}, p.ID)
}

// kindBefore reads what kind of actor the words before a name describe: "a
// group called X", "a 17-year-old named X".
func kindBefore(toks []nlp.Token, i int) string {
	for k := i - 1; k >= max(0, i-6); k-- {
		switch toks[k].Lower {
		case "group", "gang", "crew", "collective", "cartel", "outfit", "hacktivists", "operation", "syndicate":
			return "group"
		case "man", "woman", "teenager", "national", "citizen", "hacker", "user", "person", "individual",
			"resident", "member", "suspect", "boy", "poster":
			return "individual"
		case "insider", "employee", "contractor":
			return "insider"
		}
	}
	return "unknown"
}

// notActor reports whether a name is known not to be an attacker: the site
// itself, a source, a responder or an outlet named in the text.
func (d *doc) notActor(key string) bool {
	if key == match.NormName(d.a.Site) || d.sources[key] {
		return true
	}
	for _, r := range d.resp {
		if match.NormName(r.name) == key {
			return true
		}
	}
	for si := range d.ments {
		for _, m := range d.ments[si] {
			if (m.Section == match.SectionOutlet || m.Section == match.SectionResponder) && (match.NormName(m.Entity.Name) == key || match.NormName(d.spanText(si, m.Start, m.End)) == key) {
				return true
			}
		}
	}
	return false
}

// genericActor are words that patterns match.Capture but that name no one.
var genericActor = map[string]bool{
	"hackers": true, "attackers": true, "criminals": true, "cybercriminals": true, "group": true,
	"gang": true, "unknown": true, "someone": true, "they": true, "it": true,
}

func actorKind(m *match.Mention) string {
	if m.Section == match.SectionActor {
		return m.Entity.Kind
	}
	return "group" // a ransomware brand acting as the attacker
}

// addItem adds or extends an actor, tool or responder; items are the same
// when they share a dictionary entry or a normalised name.
func (d *doc) addItem(list *[]*itemAcc, e *rules.Entity, name, kind, attribution string, at place, rule string) *itemAcc {
	si := at.sent
	for _, it := range *list {
		if e != nil && it.entity == e || match.NormName(it.name) == match.NormName(name) {
			it.evidence = appendEvidence(it.evidence, d.evidence(si, rule))
			it.places = append(it.places, at)
			if attributionRank[attribution] > attributionRank[it.attribution] {
				it.attribution = attribution
			}
			return it
		}
	}
	it := &itemAcc{entity: e, name: name, kind: kind, attribution: attribution,
		evidence: []record.Evidence{d.evidence(si, rule)}, places: []place{at}}
	*list = append(*list, it)
	return it
}

var attributionRank = map[string]int{"": 0, "suspected": 1, "attributed": 2, "claimed": 3}

func appendEvidence(list []record.Evidence, ev record.Evidence) []record.Evidence {
	for _, e := range list {
		if e.Start == ev.Start {
			return list
		}
	}
	return append(list, ev)
}

// collectDictionary adds the actors, tooling and responders the
// dictionaries find, and CVE ids.
func (d *doc) collectDictionary() {
	for si := range d.sents {
		for i := range d.ments[si] {
			m := &d.ments[si][i]
			rule := m.Entity.ID
			switch m.Section {
			case match.SectionActor:
				d.addItem(&d.actors, m.Entity, m.Entity.Name, m.Entity.Kind, attributionCue(&d.sents[si]), place{si, m.Start}, rule)
			case match.SectionTool:
				it := d.addItem(&d.tools, m.Entity, m.Entity.Name, m.Entity.Kind, "", place{si, m.Start}, rule)
				if m.Entity.Actor && treatedAsActor(&d.sents[si], m) {
					it.asActor = true
				}
				if !m.Entity.Actor || treatedAsTool(&d.sents[si], m) || d.toolNamedInSpan(si, m) {
					it.asTool = true
				}
			case match.SectionResponder:
				d.addItem(&d.resp, m.Entity, m.Entity.Name, m.Entity.Kind, "", place{si, m.Start}, rule)
			}
		}
		for i, t := range d.sents[si].Tokens {
			if match.IsCVE(t.Text) {
				d.addItem(&d.tools, nil, strings.ToUpper(t.Text), "vulnerability", "", place{si, i}, "cve-id")
			}
		}
	}
}

// attributionCue reads how firmly a sentence ties an actor to the attack.
func attributionCue(s *nlp.Sentence) string {
	has := func(words ...string) bool {
		for _, t := range s.Tokens {
			for _, w := range words {
				if t.Lower == w || strings.HasSuffix(w, "*") && strings.HasPrefix(t.Lower, w[:len(w)-1]) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("claimed", "claims", "claiming", "claim", "boasted", "posted", "listed"):
		return "claimed"
	case has("attributed", "charged", "indicted", "sanctioned", "sanctions", "arrested", "convicted",
		"pleaded", "sentenced", "extradited", "blamed", "named", "identified"):
		return "attributed"
	}
	return "suspected"
}

// treatedAsActor reports whether a ransomware brand is written as the
// attacker: "the LockBit gang", "Conti claimed", "operators of Hive".
func treatedAsActor(s *nlp.Sentence, m *match.Mention) bool {
	toks := s.Tokens
	for k := max(0, m.Start-3); k < min(len(toks), m.End+3); k++ {
		switch toks[k].Lower {
		case "gang", "group", "operators", "operator", "affiliate", "affiliates", "crew", "cartel",
			"claimed", "claims", "behind", "responsible", "hackers", "criminals", "demanded", "posted",
			"listed", "leak", "extortion", "attackers":
			return true
		}
	}
	return false
}

// titleVictims applies the title-scope victim rules to the headline: news
// headlines name the victim ("Garmin confirms cyber attack behind five-day
// outage", "Ravensholt council hit by ransomware"). A name they match.Capture
// counts when the text names it too (the evidence is the first sentence that
// does) and it is not an actor, a tool, a responder, an outlet, a country or
// the site itself.
func (d *doc) titleVictims() {
	rules := d.x.match.TitlePatterns("victim")
	if len(rules) == 0 {
		return
	}
	title := nlp.Sentence{Text: d.a.Title, Tokens: nlp.Tokenize(d.a.Title)}
	ctx := d.x.match.Scan(&title, d.x.match.Mentions(&title, -1), true)
	site := match.NormName(d.a.Site)
	for _, cp := range rules {
		p := cp.Rule
		for _, caps := range ctx.Match(cp) {
			for _, c := range caps {
				if c.Slot != "victim" || c.Mention != nil {
					continue
				}
				name := cleanName(title.Text[title.Tokens[c.Start].Start : title.Tokens[c.End-1].Start+len(title.Tokens[c.End-1].Text)])
				key := match.NormName(name)
				if key == "" || key == site || d.exclude[key] || d.isCountry(name) || genericOrgWords[key] {
					continue
				}
				full, si, ok := d.bodyName(name)
				if !ok {
					// "Ravensholt council" in the headline, "Ravensholt
					// Borough Council" in the text
					if w := strings.Fields(name); len(w) > 1 && match.InstitutionWords[strings.ToLower(w[len(w)-1])] {
						full, si, ok = d.bodyName(strings.Join(w[:len(w)-1], " "))
					}
				}
				if ok {
					v := d.addVictim(full, si, p.ID)
					if sameOrg(full, name) || startsWithName(name, full) {
						v.addName(name) // the headline may use the longer form
					}
					v.inTitle = true
					v.strong++
				}
			}
		}
	}
}

// bodyName finds a headline name in the text: the same name, or the
// longer form it abbreviates ("Pine Hollow" for "Pine Hollow Unified School
// District"). It returns the text's form and its first sentence.
func (d *doc) bodyName(name string) (string, int, bool) {
	found, at, ok := "", 0, false
	for si := range d.sents {
		if cand, hit := d.nameIn(si, name); hit {
			if attackContext(&d.sents[si]) {
				return cand, si, true
			}
			if !ok {
				found, at, ok = cand, si, true
			}
		}
	}
	return found, at, ok
}

// attackWords mark a sentence about an attack; matched as prefixes.
var attackWords = []string{"hack", "breach", "ransom", "cyber", "attack", "stole", "stolen",
	"theft", "leak", "ddos", "outage", "malware", "intru", "compromis", "extort", "encrypt",
	"exfiltrat", "phishing", "unauthori"}

func attackContext(s *nlp.Sentence) bool {
	for _, t := range s.Tokens {
		for _, w := range attackWords {
			if strings.HasPrefix(t.Lower, w) {
				return true
			}
		}
	}
	return false
}

// nameIn finds name, or a longer name it begins or abbreviates, in sentence si.
func (d *doc) nameIn(si int, name string) (string, bool) {
	{
		s := &d.sents[si]
		toks := s.Tokens
		for i := range toks {
			if !toks[i].Capital() || match.NotNames[toks[i].Lower] {
				continue
			}
			if i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1) {
				continue // inside a longer name
			}
			if ends := match.NameSpans(toks, i); len(ends) > 0 {
				end := ends[0]
				cand := cleanName(s.Text[toks[i].Start : toks[end-1].Start+len(toks[end-1].Text)])
				if sameOrg(cand, name) || startsWithName(cand, name) {
					return cand, true
				}
			}
		}
	}
	return "", false
}

// startsWithName reports whether long begins with the words of short.
func startsWithName(long, short string) bool {
	l, s := strings.Fields(match.NormName(long)), strings.Fields(match.NormName(short))
	if len(s) == 0 || len(s) > len(l) {
		return false
	}
	for i := range s {
		if l[i] != s[i] {
			return false
		}
	}
	return true
}

// toolNamedInSpan reports whether the words that matched the entry say it is
// software ("DragonForce ransomware").
// "The REvil ransomware gang" names the group, not its software.
func (d *doc) toolNamedInSpan(si int, m *match.Mention) bool {
	toks := d.sents[si].Tokens
	software := false
	for k := m.Start; k < min(m.End+1, len(toks)); k++ {
		switch toks[k].Lower {
		case "ransomware", "malware", "locker", "wiper", "trojan", "loader", "stealer", "rat":
			software = software || k < m.End
		case "gang", "group", "operators", "operation", "crew", "cartel", "affiliates", "members":
			return false
		}
	}
	return software
}

// treatedAsTool reports whether a ransomware brand is written as software:
// "LockBit ransomware", "a Conti variant", "deployed Ryuk", "encrypted with
// WastedLocker". A brand named only as a group ("affiliates of REvil") is
// not tooling.
func treatedAsTool(s *nlp.Sentence, m *match.Mention) bool {
	toks := s.Tokens
	for k := max(0, m.Start-4); k < min(len(toks), m.End+6); k++ {
		if k >= m.Start && k < m.End {
			continue
		}
		w := toks[k].Lower
		switch w {
		case "attack", "attacks", "tool", "tools", "ransomware", "malware", "variant", "strain", "payload", "locker", "encryptor", "encrypter",
			"deployed", "deploy", "deploying", "used", "using", "infected", "infection", "encrypted",
			"encrypting", "software", "virus", "worm", "code", "binary", "sample", "samples", "version":
			return true
		}
	}
	return false
}

// findVictimMentions notes every sentence that names a known victim, so
// that actors, tooling and impacts can be tied to the right incident.
func (d *doc) findVictimMentions() {
	title := strings.ToLower(d.a.Title)
	for _, v := range d.victims {
		d.fullName(v)
		names := append([]string{v.name}, v.aliases...)
		for _, n := range names {
			if n != "" && strings.Contains(title, strings.ToLower(n)) {
				v.inTitle = true
			}
		}
		forms := v.forms()
		for si := range d.sents {
			if tok, ok := v.sents[si]; ok && tok >= 0 {
				continue
			}
			toks := d.sents[si].Tokens
			for i := range toks {
				if startsName(toks, i, forms) > 0 {
					v.sents[si] = i
					break
				}
			}
		}
	}
}

// wordsAt reports whether the tokens at i spell words exactly.
func wordsAt(toks []nlp.Token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].Text != w {
			return false
		}
	}
	return true
}

// fullName adopts the form of the victim's name at its first match.Mention when
// that form is longer: news names an organisation in full once ("Paybridge
// Systems, a payroll provider,") and shortly after that ("Paybridge said").
func (d *doc) fullName(v *victimAcc) {
	forms := v.forms()
	for si := range d.sents {
		toks := d.sents[si].Tokens
		for i := range toks {
			if startsName(toks, i, forms) == 0 || i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1) {
				continue
			}
			ends := match.NameSpans(toks, i)
			if len(ends) == 0 {
				return
			}
			full := cleanName(d.spanText(si, i, ends[0]))
			if len(full) > len(v.name) && startsWithName(full, v.name) && !d.exclude[match.NormName(full)] {
				v.addName(full)
			}
			return
		}
	}
}

// mentionsName reports whether the sentence contains the name as whole tokens.
func mentionsName(s *nlp.Sentence, name string) bool { return nameAt(s, name) >= 0 }

// nameAt returns the token index where the sentence names name, or -1.
func nameAt(s *nlp.Sentence, name string) int {
	words := nlp.Words(name)
	if len(words) == 0 {
		return -1
	}
	for i := 0; i+len(words) <= len(s.Tokens); i++ {
		if wordsAt(s.Tokens, i, words) {
			return i
		}
	}
	return -1
}

// incidents groups victims into incidents and ties the other fields to them.
func (d *doc) incidents() []record.Incident {
	if len(d.victims) == 0 {
		return []record.Incident{}
	}
	// groups in order of first appearance
	var groups []int
	seen := map[int]bool{}
	for _, v := range d.victims {
		if !seen[v.group] {
			seen[v.group] = true
			groups = append(groups, v.group)
		}
	}
	primary := d.primaryGroup(groups)
	owner := func(at place) int { return d.groupFor(at, primary) }

	out := make([]record.Incident, 0, len(groups))
	for _, g := range groups {
		inc := record.Incident{Status: "confirmed", Victims: []record.Victim{}, Actors: []record.Actor{}, Tooling: []record.Tool{},
			Impacts: []record.Impact{}, Responders: []record.Responder{}}
		var names []string
		for _, v := range d.victims {
			if v.group != g {
				continue
			}
			names = append(names, v.name)
			sector, country := d.describeVictim(v)
			inc.Victims = append(inc.Victims, record.Victim{Name: v.name, Aliases: nonNil(v.aliases), Sector: sector,
				Country: country, Evidence: v.evidence})
		}
		for _, t := range d.tools {
			if !ownedBy(t.places, owner, g) {
				continue
			}
			if t.asTool || t.asActor || t.entity == nil {
				inc.Tooling = append(inc.Tooling, record.Tool{Name: t.name, Kind: t.kind, Attack: entityAttack(t.entity), Evidence: t.evidence})
			}
			if t.asActor {
				inc.Actors = append(inc.Actors, record.Actor{Name: t.name, Aliases: entityAliases(t.entity), Kind: "group",
					Attribution: attributionCue(&d.sents[t.places[0].sent]), Evidence: t.evidence})
			}
		}
		for _, at := range d.attempts {
			if owner(at) == g {
				inc.Status = "attempted"
			}
		}
		confirmed := inc.Status == "confirmed"
		for _, a := range d.actors {
			owned := ownedBy(a.places, owner, g) || g == primary && confirmed && !d.anyActorOwnedBy(owner, g)
			if !owned || hasActor(inc.Actors, a.name) {
				continue
			}
			inc.Actors = append(inc.Actors, record.Actor{Name: a.name, Aliases: entityAliases(a.entity), Kind: orUnknown(a.kind),
				Attribution: a.attribution, Evidence: a.evidence})
		}
		kinds := map[string]*record.Impact{}
		for _, im := range d.impacts {
			if owner(im.at) != g {
				continue
			}
			if prev, ok := kinds[im.kind]; ok {
				prev.Evidence = appendEvidence(prev.Evidence, im.ev)
				if prev.Quantity == nil && im.quantity != nil {
					prev.Quantity = im.quantity
				}
				continue
			}
			inc.Impacts = append(inc.Impacts, record.Impact{Kind: im.kind, Summary: im.summary, Quantity: im.quantity, Evidence: []record.Evidence{im.ev}})
			kinds[im.kind] = &inc.Impacts[len(inc.Impacts)-1]
		}
		for _, r := range d.resp {
			if ownedBy(r.places, owner, g) {
				inc.Responders = append(inc.Responders, record.Responder{Name: r.name, Evidence: r.evidence})
			}
		}

		sortIncident(&inc)
		inc.ID = incidentID(d.a, names)
		inc.Confidence = confidence(&inc, d.victimsOf(g))
		out = append(out, inc)
	}
	return out
}

// primaryGroup is the incident the article is mostly about: the victim in
// the title, else the one with most pattern hits, else the first.
func (d *doc) primaryGroup(groups []int) int {
	best, bestScore := groups[0], -1
	for _, v := range d.victims {
		score := v.strong*2 + len(v.sents)
		if v.inTitle {
			score += 100
		}
		if score > bestScore {
			best, bestScore = v.group, score
		}
	}
	return best
}

// groupFor decides which incident a sentence speaks of: the victim it
// names, else the last victim named before it in the same paragraph, else
// the article's main incident.
func (d *doc) groupFor(at place, primary int) int {
	if g, ok := d.groupIn(at.sent, at.tok); ok {
		return g
	}
	para := d.sents[at.sent].Para
	for k := at.sent - 1; k >= 0 && d.sents[k].Para == para; k-- {
		if g, ok := d.groupIn(k, len(d.sents[k].Tokens)); ok {
			return g
		}
	}
	return primary
}

// groupIn returns the group of the victim that sentence si names nearest to
// token tok: "The Co-op shut systems after an attempted hack, days after
// Marks & Spencer was hit" ties the attempt to the Co-op.
func (d *doc) groupIn(si, tok int) (int, bool) {
	best, bestDist := 0, -1
	for _, v := range d.victims {
		at, ok := v.sents[si]
		if !ok {
			continue
		}
		dist := 1 << 20
		if at >= 0 && tok >= 0 {
			// a clause boundary between them weighs more than any distance
			dist = max(tok-at, at-tok) + 100*clauseBreaks(d.sents[si].Tokens, min(at, tok), max(at, tok))
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = v.group, dist
		}
	}
	return best, bestDist >= 0
}

// anyActorOwnedBy reports whether any actor's sentences belong to group g;
// the article's main incident takes every actor when none is its own (the
// text names the attacker while talking of a related attack).
func (d *doc) anyActorOwnedBy(owner func(place) int, g int) bool {
	for _, a := range d.actors {
		if ownedBy(a.places, owner, g) {
			return true
		}
	}
	for _, t := range d.tools {
		if t.asActor && ownedBy(t.places, owner, g) {
			return true
		}
	}
	return false
}

// clauseBreaks counts the commas, semicolons, dashes and brackets between
// tokens i and j.
func clauseBreaks(toks []nlp.Token, i, j int) int {
	n := 0
	for k := i; k < j && k < len(toks); k++ {
		switch toks[k].Text {
		case ",", ";", "—", "–", "(", ")", ":":
			n++
		}
	}
	return n
}

func ownedBy(places []place, owner func(place) int, g int) bool {
	for _, at := range places {
		if owner(at) == g {
			return true
		}
	}
	return false
}

func (d *doc) victimsOf(g int) []*victimAcc {
	var out []*victimAcc
	for _, v := range d.victims {
		if v.group == g {
			out = append(out, v)
		}
	}
	return out
}

// describeVictim finds a victim's sector and country from its name and the
// words around it: "UK retailer Marks & Spencer", "the Irish health service".
func (d *doc) describeVictim(v *victimAcc) (sector, country string) {
	sector = d.x.nameSector(nlp.Tokenize(v.name))
	forms := v.forms()
	for si := range d.sents {
		if _, ok := v.sents[si]; !ok {
			continue
		}
		toks := d.sents[si].Tokens
		for i := range toks {
			n := startsName(toks, i, forms)
			if n == 0 {
				continue
			}
			// the words just before the name that describe it
			lo := i
			for lo > 0 && i-lo < 5 && describesBefore(&toks[lo-1]) {
				lo--
			}
			if sector == "" {
				sector = d.x.sectorOf(toks[lo:i])
			}
			if country == "" {
				country = d.x.match.LastCountry(toks[lo:i])
				if country == "" && lo < i {
					country = d.placeIn(toks[lo:i])
				}
			}
			// an appositive after the name, up to the next comma
			if j := i + n; j < len(toks) && toks[j].Text == "," {
				hi := j + 1
				for hi < len(toks) && hi-j < 14 && toks[hi].Text != "," && toks[hi].Text != "." {
					hi++
				}
				if sector == "" {
					sector = d.x.sectorOf(toks[j+1 : hi])
				}
				if country == "" {
					country = d.x.match.FirstCountry(toks[j+1 : hi])
					if country == "" {
						country = d.placeIn(toks[j+1 : hi])
					}
				}
			}
		}
	}
	return sector, country
}

// describesBefore reports whether a token may sit in the description just
// before a name ("UK retailer", "the low-cost carrier", "Leeds-based"):
// lower-case words and countries, but not function words or verbs that end
// the description ("shops that use Corvane").
func describesBefore(t *nlp.Token) bool {
	if !t.IsWord() {
		return false
	}
	switch t.Lower {
	case "the", "a", "an", "of", "in", "at", "by", "for", "to", "from", "with", "that", "which",
		"who", "and", "or", "on", "said", "says", "use", "uses", "used", "using", "is", "was", "were",
		"are", "has", "have", "had", "after", "before", "its", "their", "hit", "breached", "attacked",
		"targeted", "against", "into", "customers", "users", "staff":
		return false
	}
	return true
}

// placeIn reads a country from a hyphenated place ("Singapore-registered",
// "UK-based"). A city alone says nothing here: incidex has no gazetteer.
func (d *doc) placeIn(toks []nlp.Token) string {
	for i := range toks {
		if k := strings.IndexByte(toks[i].Text, '-'); k > 0 && match.Descriptive(toks[i].Lower) {
			place := nlp.Tokenize(toks[i].Text[:k])
			if c := d.x.match.Country(place, 0, len(place)); c != "" {
				return c
			}
		}
	}
	return ""
}

// nameSector is the sector the words of a name give, preferring a specific
// sector to government when both occur ("Eastmere Municipal Water
// Authority" is a utility).
func (x *Finder) nameSector(toks []nlp.Token) string {
	found := ""
	for i := range toks {
		if kw := x.sectorAt(toks, i); kw != nil {
			if kw.sector != "government" {
				return kw.sector
			}
			found = kw.sector
		}
	}
	return found
}

// forms returns the words of the victim's name and aliases, tokenised once
// for the scans over every token of the article.
func (v *victimAcc) forms() [][]string {
	out := make([][]string, 0, 1+len(v.aliases))
	for _, n := range append([]string{v.name}, v.aliases...) {
		if words := nlp.Words(n); len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

// startsName returns how many tokens at i spell one of forms, or 0.
func startsName(toks []nlp.Token, i int, forms [][]string) int {
	for _, words := range forms {
		if wordsAt(toks, i, words) {
			return len(words)
		}
	}
	return 0
}

// sectorAt returns the sector keyword that starts at token i, or nil.
func (x *Finder) sectorAt(toks []nlp.Token, i int) *sectorKeyword {
	for k := range x.sectors {
		kw := &x.sectors[k]
		if i+len(kw.words) > len(toks) {
			continue
		}
		ok := true
		for j, w := range kw.words {
			if toks[i+j].Lower != w {
				ok = false
				break
			}
		}
		if ok {
			return kw
		}
	}
	return nil
}

// sectorOf returns the sector of the first sector keyword in toks.
func (x *Finder) sectorOf(toks []nlp.Token) string {
	for i := range toks {
		if kw := x.sectorAt(toks, i); kw != nil {
			return kw.sector
		}
	}
	return ""
}

func sortIncident(inc *record.Incident) {
	sort.SliceStable(inc.Actors, func(i, j int) bool { return inc.Actors[i].Name < inc.Actors[j].Name })
	sort.SliceStable(inc.Tooling, func(i, j int) bool { return inc.Tooling[i].Name < inc.Tooling[j].Name })
	sort.SliceStable(inc.Impacts, func(i, j int) bool { return inc.Impacts[i].Kind < inc.Impacts[j].Kind })
	sort.SliceStable(inc.Responders, func(i, j int) bool { return inc.Responders[i].Name < inc.Responders[j].Name })
}

// incidentID is a short hash of the article and the victims' names: stable
// across runs and rule changes that keep the same victims.
func incidentID(a *article.Article, victims []string) string {
	h := sha1.New()
	key := a.CanonicalURL
	if key == "" {
		key = a.URL
	}
	if key == "" {
		key = a.Title
	}
	h.Write([]byte(key))
	for _, v := range victims {
		h.Write([]byte{0})
		h.Write([]byte(match.NormName(v)))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// confidence grows with independent support: pattern hits on the victim,
// a named actor, tooling, impacts.
func confidence(inc *record.Incident, victims []*victimAcc) float64 {
	c := 0.3
	strong := 0
	for _, v := range victims {
		strong += v.strong
		if v.inTitle {
			c += 0.1
		}
	}
	c += 0.1 * float64(min(strong, 3))
	if len(inc.Actors) > 0 {
		c += 0.1
	}
	if len(inc.Tooling) > 0 {
		c += 0.05
	}
	if len(inc.Impacts) > 0 {
		c += 0.05
	}
	if c > 0.95 {
		c = 0.95
	}
	return float64(int(c*100+0.5)) / 100
}

func hasActor(list []record.Actor, name string) bool {
	for _, a := range list {
		if match.NormName(a.Name) == match.NormName(name) {
			return true
		}
	}
	return false
}

func entityAliases(e *rules.Entity) []string {
	if e == nil {
		return []string{}
	}
	return nonNil(append([]string(nil), e.Aliases...))
}

func entityAttack(e *rules.Entity) string {
	if e == nil {
		return ""
	}
	return e.Attack
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// cleanName trims articles, possessives and punctuation from a captured
// name: "the Co-op's" -> "Co-op".
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"the ", "The "} {
		s = strings.TrimPrefix(s, p)
	}
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) && r != '$' && r != ')' })
}

// sameOrg reports whether two names denote one organisation: equal keys,
// an acronym ("M&S" for "Marks & Spencer", "HSE" for "Health Service
// Executive") or a distinctive part of the longer name ("Hydro" of "Norsk
// Hydro").
func sameOrg(a, b string) bool {
	ka, kb := match.NormName(a), match.NormName(b)
	if ka == "" || kb == "" {
		return false
	}
	if ka == kb {
		return true
	}
	if len(ka) > len(kb) {
		a, b, ka, kb = b, a, kb, ka
	}
	// a is the shorter
	if isAcronymOf(a, b) {
		return true
	}
	wa, wb := strings.Fields(ka), strings.Fields(kb)
	if len(wa) == 1 && len(wa[0]) >= 4 && !genericOrgWords[wa[0]] {
		for _, w := range wb {
			if w == wa[0] {
				return true
			}
		}
	}
	return false
}

// genericOrgWords name a kind of organisation, not one: "the council" is
// not "Ravensholt Borough Council".
var genericOrgWords = map[string]bool{
	"council": true, "bank": true, "group": true, "ministry": true, "department": true,
	"government": true, "authority": true, "university": true, "hospital": true, "company": true,
	"office": true, "agency": true, "service": true, "services": true, "trust": true, "board": true,
	"school": true, "college": true, "district": true, "county": true, "city": true, "state": true,
	"corporation": true, "systems": true, "international": true, "national": true, "health": true,
	"insurance": true, "airport": true, "port": true, "police": true, "court": true, "club": true,
}

// isAcronym reports whether s is written like an acronym: two or more
// letters, all upper case ("MICITT", "LAX", "M&S").
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

// isAcronymOf reports whether short is made of the initials of long's
// capitalised words ("M&S", "HSE", "LAUSD").
func isAcronymOf(short, long string) bool {
	var letters []rune
	for _, r := range short {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters = append(letters, r)
		}
	}
	if len(letters) < 2 {
		return false
	}
	var initials []rune
	for _, w := range strings.FieldsFunc(long, func(r rune) bool { return r == ' ' || r == '-' }) {
		r := []rune(w)[0]
		if unicode.IsUpper(r) {
			initials = append(initials, r)
		}
	}
	return string(initials) == string(letters)
}

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

// quantityIn finds the amount a sentence gives for an impact: money for a
// financial impact, a count of records or people for the others ("the data
// of 2.5 million customers").
func quantityIn(toks []nlp.Token, kind string) *record.Quantity {
	for i := range toks {
		if kind == "financial" {
			if v, cur, n := match.ParseMoney(toks, i); n > 0 {
				return &record.Quantity{Value: v, Unit: cur}
			}
			continue
		}
		if v, n := match.ParseNumber(toks, i); n > 0 {
			if unit := unitAfter(toks, i+n); unit != "items" && i+n < len(toks) && toks[i+n].Lower == unit {
				return &record.Quantity{Value: v, Unit: unit}
			}
		}
	}
	return nil
}

// unitAfter names what a number counts: "500,000 customers" -> "customers".
func unitAfter(toks []nlp.Token, i int) string {
	for k := i; k < len(toks) && k < i+3; k++ {
		switch w := toks[k].Lower; w {
		case "customers", "records", "people", "users", "patients", "accounts", "employees",
			"members", "individuals", "files", "students", "staff", "clients", "policyholders",
			"passengers", "guests", "subscribers", "devices", "computers", "servers", "systems",
			"hospitals", "schools", "organisations", "organizations", "companies", "victims":
			return w
		case "gb", "tb", "gigabytes", "terabytes":
			return strings.ToUpper(w[:2])
		}
	}
	return "items"
}
