package extract

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"
	"unicode"

	"github.com/incidex/incidex/rules"
)

// Extractor turns articles into incident records. Build it once with New and
// reuse it: it holds the compiled dictionaries and the (lazily loaded) prose
// model. It is safe for concurrent use.
type Extractor struct {
	set           *rules.Set
	dict          *dictionary
	patterns      map[string][]*rules.PatternRule // text-scope rules by role
	titlePatterns map[string][]*rules.PatternRule // title-scope rules by role
	sectors       []sectorKeyword
	tagger        *posTagger
}

type sectorKeyword struct {
	words  []string
	sector string
}

// New compiles a rule set into an Extractor.
func New(set *rules.Set) *Extractor {
	x := &Extractor{
		set:           set,
		dict:          newDictionary(set),
		patterns:      make(map[string][]*rules.PatternRule),
		titlePatterns: make(map[string][]*rules.PatternRule),
		tagger:        &posTagger{},
	}
	for i := range set.Patterns {
		p := &set.Patterns[i]
		if p.Scope == "title" {
			x.titlePatterns[p.Role] = append(x.titlePatterns[p.Role], p)
			continue
		}
		x.patterns[p.Role] = append(x.patterns[p.Role], p)
	}
	for _, s := range set.Sectors {
		for _, kw := range s.Keywords {
			if w := lowerWords(kw); len(w) > 0 {
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
func (x *Extractor) Preload() { x.tagger.Preload() }

// doc is the working state of one article.
type doc struct {
	x     *Extractor
	a     *Article
	sents []sentence
	ments [][]mention

	victims  []*victimAcc
	actors   []*itemAcc
	tools    []*itemAcc
	resp     []*itemAcc
	impacts  []*impactAcc
	attempts []int           // sentences that say an attack was only attempted
	exclude  map[string]bool // never victims: actors, tools, responders, outlets
	sources  map[string]bool // quoted as sources ("according to X"): victims only by the headline
}

// victimAcc gathers what is known of one victim.
type victimAcc struct {
	name     string
	aliases  []string
	evidence []Evidence
	sents    map[int]bool // sentences that mention it
	group    int          // victims sharing an attack share a group
	inTitle  bool
	strong   int // pattern hits
}

// itemAcc gathers an actor, a tool or a responder.
type itemAcc struct {
	entity      *rules.Entity // nil for names found by patterns only
	name        string
	kind        string
	attribution string
	evidence    []Evidence
	sents       []int
	asActor     bool // tooling that the text treats as the attacker
	asTool      bool // tooling that the text treats as a tool (a brand may be only the group)
}

type impactAcc struct {
	kind     string
	summary  string
	quantity *Quantity
	ev       Evidence
	sent     int
}

// Extract returns the incidents an article reports.
func (x *Extractor) Extract(a *Article) *Result {
	r := &Result{Schema: SchemaVersion, Input: a.Input, URL: a.URL, Title: a.Title, Site: a.Site,
		Byline: a.Byline, Published: a.Published, Incidents: []Incident{}}
	d := &doc{x: x, a: a, sents: splitSentences(a.Paragraphs), exclude: map[string]bool{}, sources: map[string]bool{}}
	d.ments = make([][]mention, len(d.sents))
	for i := range d.sents {
		d.ments[i] = x.dict.find(&d.sents[i], i)
	}
	d.excludeKnownNames()
	d.runPatterns()
	d.collectDictionary()
	d.titleVictims()
	d.findVictimMentions()
	r.Incidents = d.incidents()
	return r
}

func (d *doc) evidence(si int, rule string) Evidence {
	s := &d.sents[si]
	return Evidence{Rule: rule, Text: s.Text, Start: s.Start, End: s.End}
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
			d.exclude[normName(d.spanText(si, m.start, m.end))] = true
			d.exclude[normName(m.entity.Name)] = true
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
			ctx := &matchCtx{s: &d.sents[si], ments: d.ments[si], dict: d.x.dict, tag: d.x.tagger.tag}
			for _, role := range roles {
				for _, p := range d.x.patterns[role] {
					for _, caps := range ctx.matchPattern(p.Items) {
						d.apply(p, si, caps)
					}
				}
			}
		}
	}
}

func (d *doc) apply(p *rules.PatternRule, si int, caps []capture) {
	switch p.Role {
	case "not-victim":
		for _, c := range caps {
			d.sources[normName(cleanName(d.spanText(si, c.start, c.end)))] = true
		}
	case "victim":
		var names []string
		for _, c := range caps {
			if c.slot != "victim" {
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
			v := d.addVictim(n, si, p.ID)
			v.strong++
			if group < 0 {
				group = v.group
			} else {
				d.mergeGroups(group, v.group)
			}
		}
	case "actor":
		for _, c := range caps {
			if c.slot != "actor" {
				continue
			}
			d.addActorCapture(p, si, c)
		}
	case "status":
		if p.Status == "attempted" {
			d.attempts = append(d.attempts, si)
		}
	case "impact":
		ia := &impactAcc{kind: p.Impact, ev: d.evidence(si, p.ID), sent: si}
		lo, hi := len(d.sents[si].Tokens), 0
		for _, c := range caps {
			lo, hi = min(lo, c.start), max(hi, c.end)
			switch c.slot {
			case "money":
				v, cur, _ := parseMoney(d.sents[si].Tokens, c.start)
				ia.quantity = &Quantity{Value: v, Unit: cur}
			case "number":
				if ia.quantity == nil {
					v, n := parseNumber(d.sents[si].Tokens, c.start)
					ia.quantity = &Quantity{Value: v, Unit: unitAfter(d.sents[si].Tokens, c.start+n)}
				}
			}
		}
		ia.summary = summarize(d.sents[si].Text)
		d.impacts = append(d.impacts, ia)
	case "responder":
		for _, c := range caps {
			name := cleanName(d.spanText(si, c.start, c.end))
			if name == "" {
				continue
			}
			d.exclude[normName(name)] = true
			d.addItem(&d.resp, nil, name, "", "", si, p.ID)
		}
	}
}

// victimList returns the capture and the names listed after it, or one
// capture over the whole list when a parenthesised acronym closes it: "the
// Ministry of Science, Innovation, Technology and Telecommunications
// (MICITT)" is one ministry, whatever language its acronym comes from.
func (d *doc) victimList(si int, c capture) []capture {
	listed := d.listedAfter(si, c)
	if len(listed) == 0 {
		return []capture{c}
	}
	toks := d.sents[si].Tokens
	last := listed[len(listed)-1].end
	if last+2 < len(toks) && toks[last].Text == "(" && toks[last+2].Text == ")" && isAcronym(toks[last+1].Text) {
		return []capture{{slot: c.slot, start: c.start, end: last}}
	}
	return append([]capture{c}, listed...)
}

// listedAfter returns the names listed after a captured one: "including
// Hartsfield-Jackson Atlanta International, Los Angeles International (LAX)
// and Chicago O'Hare", "Singtel and US law firm Jones Day". Between the
// separator and the next name it skips a parenthesis, countries and words
// that describe organisations ("law firm", "supermarket chain").
func (d *doc) listedAfter(si int, c capture) []capture {
	toks := d.sents[si].Tokens
	var out []capture
	i := skipParens(toks, c.end)
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
		ends := nameSpans(toks, j)
		if len(ends) == 0 {
			break
		}
		end := institutionAfter(toks, ends[0])
		// A one-word item must be a name the article uses elsewhere:
		// "Science, Innovation, Technology" lists words of one name.
		if end-j > 1 || d.namedElsewhere(si, toks[j].Text) {
			out = append(out, capture{slot: c.slot, start: j, end: end})
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
func (d *doc) describes(toks []token, i int) int {
	if d.x.dict.country(toks, i, 1) != "" {
		return 1
	}
	if toks[i].capital() {
		return 0
	}
	if n := d.x.sectorAt(toks, i); n > 0 {
		return n
	}
	switch toks[i].Lower {
	case "firm", "chain", "company", "group", "giant", "provider", "maker", "operator", "network",
		"carrier", "supplier", "vendor", "contractor", "body", "agency", "outlet", "brand", "local":
		return 1
	}
	return 0
}

// skipParens moves past a parenthesis at i: "(LAX)".
func skipParens(toks []token, i int) int {
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
// ("Optus and Medibank were hit") or belongs to one name ("Kingsmere and
// District Hospitals NHS Trust"): it is two names when the article also names
// each part on its own.
func (d *doc) splitNames(si int, c capture) []string {
	if c.ment != nil {
		return []string{c.ment.entity.Name}
	}
	text := cleanName(d.spanText(si, c.start, c.end))
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
func (d *doc) acceptVictim(si int, c capture, name string) bool {
	if c.ment != nil {
		return false // a dictionary actor, tool, responder or outlet
	}
	key := normName(name)
	if key == "" || d.exclude[key] || d.sources[key] || d.isCountry(name) {
		return false
	}
	if c.start == 0 && c.end-c.start == 1 {
		s := &d.sents[si]
		if !s.tagged {
			d.x.tagger.tag(s)
		}
		if t := s.Tokens[0].Tag; t != "" && t != "NNP" && t != "NNPS" {
			return false
		}
	}
	return true
}

func (d *doc) isCountry(name string) bool {
	toks := tokenize(name)
	return len(toks) > 0 && d.x.dict.country(toks, 0, len(toks)) != ""
}

func (d *doc) addVictim(name string, si int, rule string) *victimAcc {
	for _, v := range d.victims {
		if sameOrg(v.name, name) || containsAlias(v.aliases, name) {
			v.addName(name)
			v.addEvidence(d.evidence(si, rule), si)
			return v
		}
	}
	v := &victimAcc{name: name, sents: map[int]bool{}, group: len(d.victims)}
	v.addEvidence(d.evidence(si, rule), si)
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

func (v *victimAcc) addEvidence(ev Evidence, si int) {
	v.sents[si] = true
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

func (d *doc) addActorCapture(p *rules.PatternRule, si int, c capture) {
	attribution := p.Attribution
	if attribution == "" {
		attribution = "suspected"
	}
	if c.ment != nil {
		it := d.addItem(&d.actors, c.ment.entity, c.ment.entity.Name, actorKind(c.ment), attribution, si, p.ID)
		it.asActor = true
		return
	}
	name := cleanName(d.spanText(si, c.start, c.end))
	key := normName(name)
	if key == "" || d.isCountry(name) || genericActor[key] {
		return
	}
	d.exclude[key] = true
	d.addItem(&d.actors, nil, name, "unknown", attribution, si, p.ID)
}

// genericActor are words that patterns capture but that name no one.
var genericActor = map[string]bool{
	"hackers": true, "attackers": true, "criminals": true, "cybercriminals": true, "group": true,
	"gang": true, "unknown": true, "someone": true, "they": true, "it": true,
}

func actorKind(m *mention) string {
	if m.sec == secActor {
		return m.entity.Kind
	}
	return "group" // a ransomware brand acting as the attacker
}

// addItem adds or extends an actor, tool or responder; items are the same
// when they share a dictionary entry or a normalised name.
func (d *doc) addItem(list *[]*itemAcc, e *rules.Entity, name, kind, attribution string, si int, rule string) *itemAcc {
	for _, it := range *list {
		if e != nil && it.entity == e || e == nil && normName(it.name) == normName(name) {
			it.evidence = appendEvidence(it.evidence, d.evidence(si, rule))
			it.sents = append(it.sents, si)
			if attributionRank[attribution] > attributionRank[it.attribution] {
				it.attribution = attribution
			}
			return it
		}
	}
	it := &itemAcc{entity: e, name: name, kind: kind, attribution: attribution,
		evidence: []Evidence{d.evidence(si, rule)}, sents: []int{si}}
	*list = append(*list, it)
	return it
}

var attributionRank = map[string]int{"": 0, "suspected": 1, "attributed": 2, "claimed": 3}

func appendEvidence(list []Evidence, ev Evidence) []Evidence {
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
			rule := m.entity.ID
			switch m.sec {
			case secActor:
				d.addItem(&d.actors, m.entity, m.entity.Name, m.entity.Kind, attributionCue(&d.sents[si]), si, rule)
			case secTool:
				it := d.addItem(&d.tools, m.entity, m.entity.Name, m.entity.Kind, "", si, rule)
				if m.entity.Actor && treatedAsActor(&d.sents[si], m) {
					it.asActor = true
				}
				if !m.entity.Actor || treatedAsTool(&d.sents[si], m) {
					it.asTool = true
				}
			case secResponder:
				d.addItem(&d.resp, m.entity, m.entity.Name, m.entity.Kind, "", si, rule)
			}
		}
		for _, t := range d.sents[si].Tokens {
			if isCVE(t.Text) {
				d.addItem(&d.tools, nil, strings.ToUpper(t.Text), "vulnerability", "", si, "cve-id")
			}
		}
	}
}

// attributionCue reads how firmly a sentence ties an actor to the attack.
func attributionCue(s *sentence) string {
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
func treatedAsActor(s *sentence, m *mention) bool {
	toks := s.Tokens
	for k := max(0, m.start-3); k < min(len(toks), m.end+3); k++ {
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
// outage", "Ravensholt council hit by ransomware"). A name they capture
// counts when the text names it too (the evidence is the first sentence that
// does) and it is not an actor, a tool, a responder, an outlet, a country or
// the site itself.
func (d *doc) titleVictims() {
	rules := d.x.titlePatterns["victim"]
	if len(rules) == 0 {
		return
	}
	title := sentence{Text: d.a.Title, Tokens: tokenize(d.a.Title)}
	ctx := &matchCtx{s: &title, ments: d.x.dict.find(&title, -1), dict: d.x.dict, tag: d.x.tagger.tag}
	site := normName(d.a.Site)
	for _, p := range rules {
		for _, caps := range ctx.matchPattern(p.Items) {
			for _, c := range caps {
				if c.slot != "victim" || c.ment != nil {
					continue
				}
				name := cleanName(title.Text[title.Tokens[c.start].Start : title.Tokens[c.end-1].Start+len(title.Tokens[c.end-1].Text)])
				key := normName(name)
				if key == "" || key == site || d.exclude[key] || d.isCountry(name) {
					continue
				}
				if full, si, ok := d.bodyName(name); ok {
					v := d.addVictim(full, si, p.ID)
					v.inTitle = true
					v.strong++
				}
			}
		}
	}
}

func covered(ments []mention, i int) bool {
	for _, m := range ments {
		if i >= m.start && i < m.end {
			return true
		}
	}
	return false
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

func attackContext(s *sentence) bool {
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
			if !toks[i].capital() || notNames[toks[i].Lower] {
				continue
			}
			if ends := nameSpans(toks, i); len(ends) > 0 {
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
	l, s := strings.Fields(normName(long)), strings.Fields(normName(short))
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

// treatedAsTool reports whether a ransomware brand is written as software:
// "LockBit ransomware", "a Conti variant", "deployed Ryuk", "encrypted with
// WastedLocker". A brand named only as a group ("affiliates of REvil") is
// not tooling.
func treatedAsTool(s *sentence, m *mention) bool {
	toks := s.Tokens
	for k := max(0, m.start-4); k < min(len(toks), m.end+6); k++ {
		if k >= m.start && k < m.end {
			continue
		}
		w := toks[k].Lower
		switch w {
		case "attack", "attacks", "ransomware", "malware", "variant", "strain", "payload", "locker", "encryptor", "encrypter",
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
		names := append([]string{v.name}, v.aliases...)
		for _, n := range names {
			if n != "" && strings.Contains(title, strings.ToLower(n)) {
				v.inTitle = true
			}
		}
		for si := range d.sents {
			if v.sents[si] {
				continue
			}
			for _, n := range names {
				if mentionsName(&d.sents[si], n) {
					v.sents[si] = true
					break
				}
			}
		}
	}
}

// mentionsName reports whether the sentence contains the name as whole tokens.
func mentionsName(s *sentence, name string) bool {
	words := wordsOf(name)
	toks := s.Tokens
	for i := 0; i+len(words) <= len(toks); i++ {
		ok := true
		for k, w := range words {
			if toks[i+k].Text != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// incidents groups victims into incidents and ties the other fields to them.
func (d *doc) incidents() []Incident {
	if len(d.victims) == 0 {
		return []Incident{}
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
	owner := func(si int) int { return d.groupFor(si, primary) }

	out := make([]Incident, 0, len(groups))
	for _, g := range groups {
		inc := Incident{Status: "confirmed", Victims: []Victim{}, Actors: []Actor{}, Tooling: []Tool{},
			Impacts: []Impact{}, Responders: []Responder{}}
		var names []string
		for _, v := range d.victims {
			if v.group != g {
				continue
			}
			names = append(names, v.name)
			sector, country := d.describeVictim(v)
			inc.Victims = append(inc.Victims, Victim{Name: v.name, Aliases: nonNil(v.aliases), Sector: sector,
				Country: country, Evidence: v.evidence})
		}
		for _, t := range d.tools {
			if !ownedBy(t.sents, owner, g) {
				continue
			}
			if t.asTool || t.entity == nil {
				inc.Tooling = append(inc.Tooling, Tool{Name: t.name, Kind: t.kind, Attack: entityAttack(t.entity), Evidence: t.evidence})
			}
			if t.asActor {
				inc.Actors = append(inc.Actors, Actor{Name: t.name, Aliases: entityAliases(t.entity), Kind: "group",
					Attribution: attributionCue(&d.sents[t.sents[0]]), Evidence: t.evidence})
			}
		}
		for _, a := range d.actors {
			owned := ownedBy(a.sents, owner, g) || g == primary && !d.anyActorOwnedBy(owner, g)
			if !owned || hasActor(inc.Actors, a.name) {
				continue
			}
			inc.Actors = append(inc.Actors, Actor{Name: a.name, Aliases: entityAliases(a.entity), Kind: orUnknown(a.kind),
				Attribution: a.attribution, Evidence: a.evidence})
		}
		kinds := map[string]*Impact{}
		for _, im := range d.impacts {
			if owner(im.sent) != g {
				continue
			}
			if prev, ok := kinds[im.kind]; ok {
				prev.Evidence = appendEvidence(prev.Evidence, im.ev)
				if prev.Quantity == nil && im.quantity != nil {
					prev.Quantity = im.quantity
				}
				continue
			}
			inc.Impacts = append(inc.Impacts, Impact{Kind: im.kind, Summary: im.summary, Quantity: im.quantity, Evidence: []Evidence{im.ev}})
			kinds[im.kind] = &inc.Impacts[len(inc.Impacts)-1]
		}
		for _, r := range d.resp {
			if ownedBy(r.sents, owner, g) {
				inc.Responders = append(inc.Responders, Responder{Name: r.name, Evidence: r.evidence})
			}
		}
		for _, si := range d.attempts {
			if owner(si) == g {
				inc.Status = "attempted"
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
func (d *doc) groupFor(si, primary int) int {
	if g, ok := d.groupIn(si); ok {
		return g
	}
	para := d.sents[si].Para
	for k := si - 1; k >= 0 && d.sents[k].Para == para; k-- {
		if g, ok := d.groupIn(k); ok {
			return g
		}
	}
	return primary
}

func (d *doc) groupIn(si int) (int, bool) {
	for _, v := range d.victims {
		if v.sents[si] {
			return v.group, true
		}
	}
	return 0, false
}

// anyActorOwnedBy reports whether any actor's sentences belong to group g;
// the article's main incident takes every actor when none is its own (the
// text names the attacker while talking of a related attack).
func (d *doc) anyActorOwnedBy(owner func(int) int, g int) bool {
	for _, a := range d.actors {
		if ownedBy(a.sents, owner, g) {
			return true
		}
	}
	for _, t := range d.tools {
		if t.asActor && ownedBy(t.sents, owner, g) {
			return true
		}
	}
	return false
}

func ownedBy(sents []int, owner func(int) int, g int) bool {
	for _, si := range sents {
		if owner(si) == g {
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
	sector = d.x.sectorOf(tokenize(v.name))
	for si := range d.sents {
		if !v.sents[si] {
			continue
		}
		toks := d.sents[si].Tokens
		for i := range toks {
			if !startsName(toks, i, v) {
				continue
			}
			lo := max(0, i-4)
			window := toks[lo:i]
			if sector == "" {
				sector = d.x.sectorOf(window)
			}
			if country == "" {
				country = d.x.dict.lastCountry(window)
			}
			// "Optus, Australia's second-largest telco," and "Garmin, the
			// GPS device maker,": an appositive after the name
			hi := min(len(toks), i+len(wordsOf(v.name))+8)
			after := toks[min(i+len(wordsOf(v.name)), hi):hi]
			if len(after) > 0 && after[0].Text == "," {
				if sector == "" {
					sector = d.x.sectorOf(after)
				}
				if country == "" {
					country = d.x.dict.firstCountry(after)
				}
			}
		}
	}
	return sector, country
}

func startsName(toks []token, i int, v *victimAcc) bool {
	for _, n := range append([]string{v.name}, v.aliases...) {
		words := wordsOf(n)
		if i+len(words) > len(toks) {
			continue
		}
		ok := true
		for k, w := range words {
			if toks[i+k].Text != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// sectorAt returns the length of a sector keyword that starts at i, or 0.
func (x *Extractor) sectorAt(toks []token, i int) int {
	for _, kw := range x.sectors {
		if i+len(kw.words) > len(toks) {
			continue
		}
		ok := true
		for k, w := range kw.words {
			if toks[i+k].Lower != w {
				ok = false
				break
			}
		}
		if ok {
			return len(kw.words)
		}
	}
	return 0
}

// sectorOf returns the sector of the first sector keyword in toks.
func (x *Extractor) sectorOf(toks []token) string {
	for i := range toks {
		for _, kw := range x.sectors {
			if i+len(kw.words) > len(toks) {
				continue
			}
			ok := true
			for k, w := range kw.words {
				if toks[i+k].Lower != w {
					ok = false
					break
				}
			}
			if ok {
				return kw.sector
			}
		}
	}
	return ""
}

func sortIncident(inc *Incident) {
	sort.SliceStable(inc.Actors, func(i, j int) bool { return inc.Actors[i].Name < inc.Actors[j].Name })
	sort.SliceStable(inc.Tooling, func(i, j int) bool { return inc.Tooling[i].Name < inc.Tooling[j].Name })
	sort.SliceStable(inc.Impacts, func(i, j int) bool { return inc.Impacts[i].Kind < inc.Impacts[j].Kind })
	sort.SliceStable(inc.Responders, func(i, j int) bool { return inc.Responders[i].Name < inc.Responders[j].Name })
}

// incidentID is a short hash of the article and the victims' names: stable
// across runs and rule changes that keep the same victims.
func incidentID(a *Article, victims []string) string {
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
		h.Write([]byte(normName(v)))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// confidence grows with independent support: pattern hits on the victim,
// a named actor, tooling, impacts.
func confidence(inc *Incident, victims []*victimAcc) float64 {
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

func hasActor(list []Actor, name string) bool {
	for _, a := range list {
		if normName(a.Name) == normName(name) {
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

// normName is the comparison key of a name: lower case, letters and digits.
func normName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '&':
			b.WriteString(" and ")
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	return strings.TrimPrefix(out, "the ")
}

// sameOrg reports whether two names denote one organisation: equal keys,
// an acronym ("M&S" for "Marks & Spencer", "HSE" for "Health Service
// Executive") or a distinctive part of the longer name ("Hydro" of "Norsk
// Hydro").
func sameOrg(a, b string) bool {
	ka, kb := normName(a), normName(b)
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
	if len(wa) == 1 && len(wa[0]) >= 4 {
		for _, w := range wb {
			if w == wa[0] {
				return true
			}
		}
	}
	return false
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

// unitAfter names what a number counts: "500,000 customers" -> "customers".
func unitAfter(toks []token, i int) string {
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
