package incident

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// assemble groups the victims into incidents, in order of first mention,
// and ties every actor, tool, attempt, impact and responder to the incident
// of the victim named nearest to where the text states it (see groupFor).
// An article that names no victim but reports an attack (see
// reportsAttack) gets one incident without victims that holds everything.
// Every fact is placed once, whatever the number of incidents, so that the
// work grows with the page, not with its square.
//
// It also returns, per incident, the start offsets of all its evidence
// sentences, taken before the evidence is cut to maxEvidence: what
// attachIndicators ties indicators by.
func (f *Finder) assemble(t *text, victims *victimList, found found, attempts []place, impacts []*impactFact) ([]record.Incident, []map[int]bool) {
	var groups []int // in order of first appearance
	if len(victims.list) == 0 {
		if !f.reportsAttack(t, found) {
			return []record.Incident{}, nil
		}
		groups = []int{noVictim}
	}
	members := map[int][]*victim{}
	for _, v := range victims.list {
		if _, ok := members[v.group]; !ok {
			groups = append(groups, v.group)
		}
		members[v.group] = append(members[v.group], v)
	}
	primary := primaryGroup(victims, groups)
	gr := f.newGrouper(t, victims, primary)

	// The items of each group, in their lists' order.
	tools, actors, responders := gr.byGroup(found.tools), gr.byGroup(found.actors), gr.byGroup(found.responders)
	attempted := map[int]bool{}
	for _, at := range attempts {
		attempted[gr.owner(at)] = true
	}
	impactsOf := map[int][]*impactFact{}
	for _, im := range impacts {
		g := gr.owner(im.at)
		impactsOf[g] = append(impactsOf[g], im)
	}
	// The article's main incident takes every actor when none is its
	// own (the text names the attacker while talking of a related
	// attack).
	primaryHasActor := len(actors[primary]) > 0 || slices.ContainsFunc(tools[primary], func(tl *item) bool { return tl.asActor })
	// An actor's score is the same in every incident that holds it.
	type scoring struct {
		it          *item
		attribution rules.Attribution
		brand       bool
	}
	type scored struct {
		conf float64
		cues []string
	}
	scores := map[scoring]scored{}
	score := func(it *item, attribution rules.Attribution, brand bool) (float64, []string) {
		k := scoring{it, attribution, brand}
		s, ok := scores[k]
		if !ok {
			s.conf, s.cues = f.actorScore(t, it, attribution, brand)
			scores[k] = s
		}
		return s.conf, s.cues
	}

	dates := f.attackDates(t)
	cuts := map[*record.Evidence]evidenceCut{}
	out := make([]record.Incident, 0, len(groups))
	var starts []map[int]bool
	for gi, g := range groups {
		if t.stopped(gi + 1) {
			break // abandoned: what was built is dropped (FindContext)
		}
		inc := record.Incident{Status: string(rules.Confirmed), Victims: []record.Victim{}, Actors: []record.Actor{},
			Tooling: []record.Tool{}, Impacts: []record.Impact{}, Responders: []record.Responder{}, Indicators: []record.Indicator{}}
		if attempted[g] {
			inc.Status = string(rules.Attempted)
		}
		var names []string
		for _, v := range members[g] {
			names = append(names, v.name)
			sector, country := f.describeVictim(t, v)
			conf := round2(v.confidence)
			if f.victimModel == nil {
				conf = min(0.95, 0.5+0.15*float64(v.patternHits))
			}
			entry := f.orgEntries[match.NormName(v.name)]
			inc.Victims = append(inc.Victims, record.Victim{Name: v.name, Aliases: nonNil(v.aliases), Sector: sector,
				Country: country, Ref: entityRef(entry), ExternalIDs: externalIDs(entry),
				Confidence: conf, Cues: nonNil(v.cues), Evidence: v.evidence.list})
		}
		var acts actorList
		for _, tl := range tools[g] {
			if tl.asTool || tl.asActor || tl.entity == nil {
				inc.Tooling = append(inc.Tooling, record.Tool{Name: tl.name, Kind: tl.kind, Attack: entityAttack(tl.entity),
					Ref: entityRef(tl.entity), ExternalIDs: externalIDs(tl.entity), Evidence: tl.evidence.list})
			}
			if tl.asActor {
				attribution := f.attributionCue(&t.sents[tl.places[0].sent])
				conf, cues := score(tl, attribution, true)
				// the crew behind a brand is the actors' entry of its name
				// when there is one (actor.lockbit beside tool.lockbit)
				crew := f.actorEntries[match.NormName(tl.name)]
				if crew == nil {
					crew = tl.entity
				}
				acts.add(record.Actor{Name: tl.name, Aliases: entityAliases(tl.entity), Kind: "group",
					Attribution: string(attribution), Ref: entityRef(crew), ExternalIDs: externalIDs(crew),
					Confidence: conf, Cues: nonNil(cues), Evidence: tl.evidence.list})
			}
		}
		own := actors[g]
		if g == primary && inc.Status == string(rules.Confirmed) && !primaryHasActor {
			own = found.actors.items
		}
		for _, a := range own {
			conf, cues := score(a, a.attribution, false)
			acts.add(record.Actor{Name: a.name, Aliases: entityAliases(a.entity), Kind: orUnknown(a.kind),
				Attribution: string(a.attribution), Ref: entityRef(a.entity), ExternalIDs: externalIDs(a.entity),
				Confidence: conf, Cues: nonNil(cues), Evidence: a.evidence.list})
		}
		inc.Actors = f.mergeAppositions(t, acts.list)
		// "patients blamed Halverson for the breach": a victim is never
		// its own attacker.
		inc.Actors = slices.DeleteFunc(inc.Actors, func(a record.Actor) bool {
			return slices.ContainsFunc(members[g], func(v *victim) bool {
				return f.names.same(v.name, a.Name) || f.names.anyOf(v.aliases, a.Name)
			})
		})
		kinds := map[rules.ImpactKind]int{}
		var impactEvidence []evidence
		for _, im := range impactsOf[g] {
			k, ok := kinds[im.kind]
			if !ok {
				k = len(inc.Impacts)
				kinds[im.kind] = k
				inc.Impacts = append(inc.Impacts, record.Impact{Kind: string(im.kind), Summary: im.summary, Quantity: im.quantity})
				impactEvidence = append(impactEvidence, evidence{})
			}
			impactEvidence[k].add(im.ev)
			if inc.Impacts[k].Quantity == nil && im.quantity != nil {
				inc.Impacts[k].Quantity = im.quantity
			}
		}
		for k := range inc.Impacts {
			inc.Impacts[k].Evidence = impactEvidence[k].list
		}
		for _, r := range responders[g] {
			inc.Responders = append(inc.Responders, record.Responder{Name: r.name, Evidence: r.evidence.list})
		}

		inc.Occurred = f.occurred(t, dates, gr, g)
		sortIncident(&inc)
		inc.ID = incidentID(t.article, names)
		inc.Confidence = confidence(&inc, members[g])
		starts = append(starts, evidenceStarts(&inc))
		f.capEvidence(&inc, cuts)
		capItems(&inc)
		out = append(out, inc)
	}
	return out, starts
}

// maxEvidence is the most evidence sentences a field of a record carries;
// EvidenceCount then says how many there were.
const maxEvidence = 10

// capEvidence cuts every field's evidence to maxEvidence sentences, the
// strongest first: those a pattern rule matched (a claim, an attack on the
// victim) before those that only name it, then in text order. A field cut
// says how many sentences it had; a field within the cap keeps its order.
// An actor or tool in many incidents shares one list, cut once (cuts).
func (f *Finder) capEvidence(inc *record.Incident, cuts map[*record.Evidence]evidenceCut) {
	cut := func(list []record.Evidence) ([]record.Evidence, int) {
		if len(list) <= maxEvidence {
			return list, 0
		}
		if done, ok := cuts[&list[0]]; ok && done.n == len(list) {
			return done.top, len(list)
		}
		sorted := slices.Clone(list)
		slices.SortStableFunc(sorted, func(a, b record.Evidence) int {
			if pa, pb := f.match.IsPatternRule(a.Rule), f.match.IsPatternRule(b.Rule); pa != pb {
				if pa {
					return -1
				}
				return 1
			}
			return a.Start - b.Start
		})
		cuts[&list[0]] = evidenceCut{n: len(list), top: sorted[:maxEvidence:maxEvidence]}
		return sorted[:maxEvidence:maxEvidence], len(list)
	}
	for i := range inc.Victims {
		inc.Victims[i].Evidence, inc.Victims[i].EvidenceCount = cut(inc.Victims[i].Evidence)
	}
	for i := range inc.Actors {
		inc.Actors[i].Evidence, inc.Actors[i].EvidenceCount = cut(inc.Actors[i].Evidence)
	}
	for i := range inc.Tooling {
		inc.Tooling[i].Evidence, inc.Tooling[i].EvidenceCount = cut(inc.Tooling[i].Evidence)
	}
	for i := range inc.Impacts {
		inc.Impacts[i].Evidence, inc.Impacts[i].EvidenceCount = cut(inc.Impacts[i].Evidence)
	}
	for i := range inc.Responders {
		inc.Responders[i].Evidence, inc.Responders[i].EvidenceCount = cut(inc.Responders[i].Evidence)
	}
}

// maxItems is the most entries an incident's list of victims, actors,
// tooling or responders holds; Omitted says how many more there were. No
// article reports that many for one attack; a page built to blow up
// records (thousands of CVEs near one victim) does.
const maxItems = 50

// capItems cuts every list of an incident to maxItems entries: those
// with the most evidence, in the list's order, and records in Omitted how
// many each list lost.
func capItems(inc *record.Incident) {
	inc.Victims = cutList(inc, "victims", inc.Victims, func(v record.Victim) int { return max(v.EvidenceCount, len(v.Evidence)) })
	inc.Actors = cutList(inc, "actors", inc.Actors, func(a record.Actor) int { return max(a.EvidenceCount, len(a.Evidence)) })
	inc.Tooling = cutList(inc, "tooling", inc.Tooling, func(t record.Tool) int { return max(t.EvidenceCount, len(t.Evidence)) })
	inc.Responders = cutList(inc, "responders", inc.Responders, func(r record.Responder) int { return max(r.EvidenceCount, len(r.Evidence)) })
}

// cutList keeps the maxItems entries of list with the most evidence
// (strength), and records in Omitted how many it left out.
func cutList[T any](inc *record.Incident, field string, list []T, strength func(T) int) []T {
	out, left := strongest(list, maxItems, func(a, b T) int { return cmp.Compare(strength(b), strength(a)) })
	if left > 0 {
		if inc.Omitted == nil {
			inc.Omitted = map[string]int{}
		}
		inc.Omitted[field] = left
	}
	return out
}

// MaxIncidents is the most incidents a record holds; see Limit.
const MaxIncidents = 200

// Limit cuts a page's incidents to MaxIncidents: those of highest
// confidence, in their order, and returns how many it left out. A real
// article reports a few; only a page built to blow up records reports
// hundreds.
func Limit(incs []record.Incident) ([]record.Incident, int) {
	return strongest(incs, MaxIncidents, func(a, b record.Incident) int { return cmp.Compare(b.Confidence, a.Confidence) })
}

// strongest keeps the n entries of list that come first by order (ties:
// the earlier), in the list's order, and returns how many it left out.
func strongest[T any](list []T, n int, order func(a, b T) int) ([]T, int) {
	if len(list) <= n {
		return list, 0
	}
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return order(list[a], list[b]) })
	keep := idx[:n]
	slices.Sort(keep)
	out := make([]T, 0, n)
	for _, i := range keep {
		out = append(out, list[i])
	}
	return out, len(list) - n
}

// evidenceCut is a list of evidence cut by capEvidence: its length and
// the sentences kept.
type evidenceCut struct {
	n   int
	top []record.Evidence
}

// noVictim is the group of the incident of an article that names no
// victim.
const noVictim = -1

// primaryGroup is the incident the article is mostly about: the victim in
// the title, else the one with most pattern hits and mentions, else the
// first.
func primaryGroup(victims *victimList, groups []int) int {
	best, bestScore := groups[0], -1
	for _, v := range victims.list {
		score := v.patternHits*2 + len(v.at)
		if v.inTitle {
			score += 100
		}
		if score > bestScore {
			best, bestScore = v.group, score
		}
	}
	return best
}

// grouper decides which incident a place speaks of (see owner), each
// place once. named holds the victims each sentence names, and lastNamed,
// for each sentence, the last sentence up to it that names a victim
// nearest its end (endGroup), or -1, so that the search back through a
// paragraph is one lookup however long the paragraph.
type grouper struct {
	f         *Finder
	t         *text
	primary   int
	named     map[int][]*victim
	endGroup  []int
	lastNamed []int
	owned     map[place]int
}

func (f *Finder) newGrouper(t *text, victims *victimList, primary int) *grouper {
	gr := &grouper{f: f, t: t, primary: primary, named: map[int][]*victim{}, owned: map[place]int{},
		endGroup: make([]int, len(t.sents)), lastNamed: make([]int, len(t.sents))}
	for _, v := range victims.list {
		for si := range v.at {
			gr.named[si] = append(gr.named[si], v)
		}
	}
	// The victims of a sentence in the victim list's order, as the list
	// was scanned before: nearest picks the first of equal distance.
	for si, vs := range gr.named {
		slices.SortFunc(vs, func(a, b *victim) int { return a.order - b.order })
		gr.named[si] = vs
	}
	last := -1
	for si := range t.sents {
		if g, ok := gr.nearest(si, len(t.sents[si].Tokens)); ok {
			gr.endGroup[si], last = g, si
		}
		gr.lastNamed[si] = last
	}
	return gr
}

// owner decides which incident a place speaks of: the victim its sentence
// names nearest to it, else the last victim named before it in its
// paragraph, or in the paragraph before when its sentence refers back to
// an attack ("the attackers used", "to carry out the breach": news
// paragraphs are often one sentence), else the article's main incident.
func (gr *grouper) owner(at place) int {
	if g, ok := gr.owned[at]; ok {
		return g
	}
	g, ok := gr.nearest(at.sent, at.tok)
	if !ok {
		g = gr.primary
		para := gr.t.sents[at.sent].Para
		if gr.f.refersBack(&gr.t.sents[at.sent]) {
			para--
		}
		if at.sent > 0 {
			if k := gr.lastNamed[at.sent-1]; k >= 0 && gr.t.sents[k].Para >= para {
				g = gr.endGroup[k]
			}
		}
	}
	gr.owned[at] = g
	return g
}

// byGroup lists the items of l that each group owns (one of the item's
// places belongs to it), in l's order.
func (gr *grouper) byGroup(l itemList) map[int][]*item {
	out := map[int][]*item{}
	for _, it := range l.items {
		seen := map[int]bool{}
		for _, at := range it.places {
			if g := gr.owner(at); !seen[g] {
				seen[g] = true
				out[g] = append(out[g], it)
			}
		}
	}
	return out
}

// refersBack reports whether a sentence speaks of an attack or attacker
// named before it: "the attack", "the breach", "the attackers".
func (f *Finder) refersBack(s *nlp.Sentence) bool {
	toks := s.Tokens
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Lower != "the" && toks[i].Lower != "this" {
			continue
		}
		for k := i + 1; k < len(toks) && k <= i+2; k++ {
			if w := toks[k].Lower; f.lex.attackNouns[w] || f.lex.genericActors[w] && w != "they" && w != "it" {
				return true
			}
		}
	}
	return false
}

// nearest returns the group of the victim that sentence si names nearest
// to token tok: "The Co-op shut systems after an attempted hack, days after
// Marks & Spencer was hit" ties the attempt to the Co-op.
func (gr *grouper) nearest(si, tok int) (int, bool) {
	best, bestDist := 0, -1
	for _, v := range gr.named[si] {
		at := v.at[si]
		dist := 1 << 20
		if at >= 0 && tok >= 0 {
			toks := gr.t.sents[si].Tokens
			breaks := clauseBreaks(toks, min(at, tok), max(at, tok))
			if breaks > 0 && at > 0 && gr.f.lex.obliquePrepositions[toks[at-1].Lower] {
				// "In a report released with Accellion, Mandiant said a
				// group ... began exploiting": a name in another clause
				// after a preposition is not what the clause is about.
				continue
			}
			// a clause boundary between them weighs more than any distance
			dist = max(tok-at, at-tok) + 100*breaks
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = v.group, dist
		}
	}
	return best, bestDist >= 0
}

// clauseBreaks counts the commas, semicolons, dashes and brackets between
// tokens i and j.
func clauseBreaks(toks []nlp.Token, i, j int) int {
	n := 0
	for k := i; k < j && k < len(toks); k++ {
		if clauseBreak(toks[k].Text) {
			n++
		}
	}
	return n
}

// clauseBreak reports whether a token ends a clause: a comma, semicolon,
// colon, dash or bracket.
func clauseBreak(s string) bool {
	switch s {
	case ",", ";", ":", "—", "–", "(", ")":
		return true
	}
	return false
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
// the victim in the headline, a named actor, tooling, impacts.
func confidence(inc *record.Incident, victims []*victim) float64 {
	c := 0.3
	hits := 0
	for _, v := range victims {
		hits += v.patternHits
		if v.inTitle {
			c += 0.1
		}
	}
	c += 0.1 * float64(min(hits, 3))
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

// actorList is an incident's actors, indexed by their names and aliases
// (as match.NormName keys), so that adding one costs the same however many
// there are.
type actorList struct {
	list   []record.Actor
	byName map[string]int
}

// add adds an actor, or merges it into the first one that shares a name or
// an alias with it.
func (l *actorList) add(a record.Actor) {
	if l.byName == nil {
		l.byName = map[string]int{}
	}
	at := -1
	for _, n := range append([]string{a.Name}, a.Aliases...) {
		if i, ok := l.byName[match.NormName(n)]; ok && (at < 0 || i < at) {
			at = i
		}
	}
	if at < 0 {
		at = len(l.list)
		l.list = append(l.list, a)
	} else {
		mergeActor(&l.list[at], a)
	}
	for _, n := range append([]string{l.list[at].Name}, l.list[at].Aliases...) {
		if _, ok := l.byName[match.NormName(n)]; !ok {
			l.byName[match.NormName(n)] = at
		}
	}
}

// mergeActor merges b into a.
func mergeActor(a *record.Actor, b record.Actor) {
	for _, n := range append([]string{b.Name}, b.Aliases...) {
		if !slices.ContainsFunc(append([]string{a.Name}, a.Aliases...), func(x string) bool { return match.NormName(x) == match.NormName(n) }) {
			a.Aliases = append(a.Aliases, n)
		}
	}
	if rules.Attribution(b.Attribution).Rank() > rules.Attribution(a.Attribution).Rank() {
		a.Attribution = b.Attribution
	}
	if a.Kind == "unknown" {
		a.Kind = b.Kind
	}
	if a.Ref == "" {
		a.Ref, a.ExternalIDs = b.Ref, b.ExternalIDs
	}
	if b.Confidence > a.Confidence {
		a.Confidence, a.Cues = b.Confidence, b.Cues
	}
	// Clip: a.Evidence may be an item's own list, shared by every incident
	// that holds the item, so the merge must not write into its spare room.
	a.Evidence = mergeEvidence(slices.Clip(a.Evidence), b.Evidence)
}

// mergeAppositions merges the actors the text says are one: "ALPHV, also
// known as BlackCat", "Octo Tempest (also tracked as Scattered Spider)".
func (f *Finder) mergeAppositions(t *text, list []record.Actor) []record.Actor {
	var out actorList
	for _, a := range list {
		if alias := f.namedAlias(t, a.Name); alias != "" {
			mergeActor(&a, record.Actor{Name: alias, Attribution: a.Attribution})
		}
		// an actor the text names as another's alias now shares a name
		// with it, and add merges them
		out.add(a)
	}
	if out.list == nil {
		return []record.Actor{}
	}
	return out.list
}

// namedAlias returns the other name a sentence gives an actor in
// apposition ("Silk Viper, also known as Jade Needle"), or "".
func (f *Finder) namedAlias(t *text, name string) string {
	alias := ""
	f.eachAlias(t, name, func(si, start int) bool {
		toks := t.sents[si].Tokens
		end := start
		for end < len(toks) && (toks[end].Capital() || end > start && isDigitWord(toks[end].Text)) {
			end++
		}
		if end > start {
			alias = t.span(si, start, end)
		}
		return alias != ""
	})
	return alias
}

// eachAlias calls fn with the sentence and the token where another name
// of name begins, after "name, also known as" and the like, until fn
// returns true. It looks only where the text uses an alias phrase (see
// aliasSites), so asking for every actor costs the text's alias phrases,
// not its words.
func (f *Finder) eachAlias(t *text, name string, fn func(si, start int) bool) {
	words := nlp.Words(name)
	if len(words) == 0 {
		return
	}
	for _, site := range f.aliasSites(t) {
		toks := t.sents[site.sent].Tokens
		if site.nameEnd >= len(words) && wordsAt(toks, site.nameEnd-len(words), words) && fn(site.sent, site.alias) {
			return
		}
	}
}

// aliasSite is where a text gives a name another: the alias begins at
// token alias of sentence sent, and the name ends just before token
// nameEnd ("ALPHV, also known as BlackCat": before ",").
type aliasSite struct {
	sent, alias, nameEnd int
}

// aliasSites lists, once per text and in text order, the places where an
// alias phrase follows a name: "X also known as", "X, also known as", "X
// (also tracked as".
func (f *Finder) aliasSites(t *text) []aliasSite {
	if t.aliasSites != nil {
		return *t.aliasSites
	}
	sites := []aliasSite{}
	for si := range t.sents {
		toks := t.sents[si].Tokens
		for p := 1; p < len(toks); p++ {
			for _, aw := range f.lex.aliasPhrases {
				if !nlp.LowerWordsAt(toks, p, aw) {
					continue
				}
				end := p
				if toks[p-1].Text == "," || toks[p-1].Text == "(" {
					end = p - 1
				}
				sites = append(sites, aliasSite{sent: si, alias: p + len(aw), nameEnd: end})
			}
		}
	}
	t.aliasSites = &sites
	return sites
}

func isDigitWord(s string) bool {
	return s != "" && strings.Trim(s, "0123456789-") == ""
}

func entityAliases(e *rules.Entity) []string {
	if e == nil {
		return []string{}
	}
	return nonNil(append([]string(nil), e.Aliases...))
}

// entityRef is the id of the dictionary entry behind a name, or "".
func entityRef(e *rules.Entity) string {
	if e == nil {
		return ""
	}
	return e.ID
}

// externalIDs are an entry's ids in other knowledge bases, with a
// technique's ATT&CK id among them; nil when it has none.
func externalIDs(e *rules.Entity) map[string]string {
	if e == nil || len(e.ExternalIDs) == 0 && e.Attack == "" {
		return nil
	}
	ids := maps.Clone(e.ExternalIDs)
	if e.Attack != "" {
		if ids == nil {
			ids = map[string]string{}
		}
		if _, ok := ids["mitre-attack"]; !ok {
			ids["mitre-attack"] = e.Attack
		}
	}
	return ids
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
