package incident

import (
	"crypto/sha1"
	"encoding/hex"
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
// of the victim named nearest to where the text states it (see owner). An
// article that names no victim but reports an attack (see reportsAttack)
// gets one incident without victims that holds everything.
func (f *Finder) assemble(t *text, victims *victimList, found found, attempts []place, impacts []*impactFact) []record.Incident {
	var groups []int // in order of first appearance
	if len(victims.list) == 0 {
		if !f.reportsAttack(t, found) {
			return []record.Incident{}
		}
		groups = []int{noVictim}
	}
	seen := map[int]bool{}
	for _, v := range victims.list {
		if !seen[v.group] {
			seen[v.group] = true
			groups = append(groups, v.group)
		}
	}
	primary := primaryGroup(victims, groups)
	owner := func(at place) int { return f.groupFor(t, victims, at, primary) }

	out := make([]record.Incident, 0, len(groups))
	for _, g := range groups {
		inc := record.Incident{Status: string(rules.Confirmed), Victims: []record.Victim{}, Actors: []record.Actor{},
			Tooling: []record.Tool{}, Impacts: []record.Impact{}, Responders: []record.Responder{}}
		var names []string
		for _, v := range victims.inGroup(g) {
			names = append(names, v.name)
			sector, country := f.describeVictim(t, v)
			conf := round2(v.confidence)
			if f.victimModel == nil {
				conf = min(0.95, 0.5+0.15*float64(v.patternHits))
			}
			inc.Victims = append(inc.Victims, record.Victim{Name: v.name, Aliases: nonNil(v.aliases), Sector: sector,
				Country: country, Confidence: conf, Cues: nonNil(v.cues), Evidence: v.evidence})
		}
		for _, tl := range found.tools {
			if !ownedBy(tl.places, owner, g) {
				continue
			}
			if tl.asTool || tl.asActor || tl.entity == nil {
				inc.Tooling = append(inc.Tooling, record.Tool{Name: tl.name, Kind: tl.kind, Attack: entityAttack(tl.entity), Evidence: tl.evidence})
			}
			if tl.asActor {
				attribution := f.attributionCue(&t.sents[tl.places[0].sent])
				conf, cues := f.actorScore(t, tl, attribution, true)
				inc.Actors = addActor(inc.Actors, record.Actor{Name: tl.name, Aliases: entityAliases(tl.entity), Kind: "group",
					Attribution: string(attribution), Confidence: conf, Cues: nonNil(cues), Evidence: tl.evidence})
			}
		}
		for _, at := range attempts {
			if owner(at) == g {
				inc.Status = string(rules.Attempted)
			}
		}
		confirmed := inc.Status == string(rules.Confirmed)
		for _, a := range found.actors {
			owned := ownedBy(a.places, owner, g) || g == primary && confirmed && !anyActorOwnedBy(found, owner, g)
			if !owned {
				continue
			}
			conf, cues := f.actorScore(t, a, a.attribution, false)
			inc.Actors = addActor(inc.Actors, record.Actor{Name: a.name, Aliases: entityAliases(a.entity), Kind: orUnknown(a.kind),
				Attribution: string(a.attribution), Confidence: conf, Cues: nonNil(cues), Evidence: a.evidence})
		}
		inc.Actors = f.mergeAppositions(t, inc.Actors)
		// "patients blamed Halverson for the breach": a victim is never
		// its own attacker.
		inc.Actors = slices.DeleteFunc(inc.Actors, func(a record.Actor) bool {
			return slices.ContainsFunc(victims.inGroup(g), func(v *victim) bool {
				return f.names.same(v.name, a.Name) || f.names.anyOf(v.aliases, a.Name)
			})
		})
		kinds := map[rules.ImpactKind]*record.Impact{}
		for _, im := range impacts {
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
			inc.Impacts = append(inc.Impacts, record.Impact{Kind: string(im.kind), Summary: im.summary, Quantity: im.quantity, Evidence: []record.Evidence{im.ev}})
			kinds[im.kind] = &inc.Impacts[len(inc.Impacts)-1]
		}
		for _, r := range found.responders {
			if ownedBy(r.places, owner, g) {
				inc.Responders = append(inc.Responders, record.Responder{Name: r.name, Evidence: r.evidence})
			}
		}

		sortIncident(&inc)
		inc.ID = incidentID(t.article, names)
		inc.Confidence = confidence(&inc, victims.inGroup(g))
		out = append(out, inc)
	}
	return out
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

// groupFor decides which incident a place speaks of: the victim its
// sentence names nearest to it, else the last victim named before it in
// its paragraph, or in the paragraph before when its sentence refers back
// to an attack ("the attackers used", "to carry out the breach": news
// paragraphs are often one sentence), else the article's main incident.
func (f *Finder) groupFor(t *text, victims *victimList, at place, primary int) int {
	if g, ok := f.nearestGroup(t, victims, at.sent, at.tok); ok {
		return g
	}
	para := t.sents[at.sent].Para
	if f.refersBack(&t.sents[at.sent]) {
		para--
	}
	for k := at.sent - 1; k >= 0 && t.sents[k].Para >= para; k-- {
		if g, ok := f.nearestGroup(t, victims, k, len(t.sents[k].Tokens)); ok {
			return g
		}
	}
	return primary
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

// nearestGroup returns the group of the victim that sentence si names
// nearest to token tok: "The Co-op shut systems after an attempted hack,
// days after Marks & Spencer was hit" ties the attempt to the Co-op.
func (f *Finder) nearestGroup(t *text, victims *victimList, si, tok int) (int, bool) {
	best, bestDist := 0, -1
	for _, v := range victims.list {
		at, ok := v.at[si]
		if !ok {
			continue
		}
		dist := 1 << 20
		if at >= 0 && tok >= 0 {
			toks := t.sents[si].Tokens
			breaks := clauseBreaks(toks, min(at, tok), max(at, tok))
			if breaks > 0 && at > 0 && f.lex.obliquePrepositions[toks[at-1].Lower] {
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

// anyActorOwnedBy reports whether any actor's sentences belong to group g;
// the article's main incident takes every actor when none is its own (the
// text names the attacker while talking of a related attack).
func anyActorOwnedBy(found found, owner func(place) int, g int) bool {
	for _, a := range found.actors {
		if ownedBy(a.places, owner, g) {
			return true
		}
	}
	for _, tl := range found.tools {
		if tl.asActor && ownedBy(tl.places, owner, g) {
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

// ownedBy reports whether one of places belongs to group g.
func ownedBy(places []place, owner func(place) int, g int) bool {
	for _, at := range places {
		if owner(at) == g {
			return true
		}
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

// addActor adds an actor to an incident's, or merges it into the one it
// names: the same name or alias ("BlackCat" the ransomware and "ALPHV" the
// group are one operation). The merged actor keeps the firmest
// attribution and every sentence.
func addActor(list []record.Actor, a record.Actor) []record.Actor {
	for i := range list {
		if sameActor(&list[i], &a) {
			mergeActor(&list[i], a)
			return list
		}
	}
	return append(list, a)
}

// sameActor reports whether two actors share a name or an alias.
func sameActor(a, b *record.Actor) bool {
	for _, x := range append([]string{a.Name}, a.Aliases...) {
		for _, y := range append([]string{b.Name}, b.Aliases...) {
			if match.NormName(x) == match.NormName(y) {
				return true
			}
		}
	}
	return false
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
	if b.Confidence > a.Confidence {
		a.Confidence, a.Cues = b.Confidence, b.Cues
	}
	for _, ev := range b.Evidence {
		a.Evidence = appendEvidence(a.Evidence, ev)
	}
}

// mergeAppositions merges the actors the text says are one: "ALPHV, also
// known as BlackCat", "Octo Tempest (also tracked as Scattered Spider)".
func (f *Finder) mergeAppositions(t *text, list []record.Actor) []record.Actor {
	out := []record.Actor{}
	for _, a := range list {
		if alias := f.namedAlias(t, a.Name); alias != "" {
			mergeActor(&a, record.Actor{Name: alias, Attribution: a.Attribution})
		}
		// an actor the text names as another's alias now shares a name
		// with it, and addActor merges them
		out = addActor(out, a)
	}
	return out
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
// returns true.
func (f *Finder) eachAlias(t *text, name string, fn func(si, start int) bool) {
	words := nlp.Words(name)
	if len(words) == 0 {
		return
	}
	for si := range t.sents {
		toks := t.sents[si].Tokens
		for i := range toks {
			if !wordsAt(toks, i, words) {
				continue
			}
			k := i + len(words)
			if k < len(toks) && (toks[k].Text == "," || toks[k].Text == "(") {
				k++
			}
			for _, aw := range f.lex.aliasPhrases {
				if lowerWordsAt(toks, k, aw) && fn(si, k+len(aw)) {
					return
				}
			}
		}
	}
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
