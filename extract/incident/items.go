package incident

import (
	"maps"
	"slices"
	"strings"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// item gathers what the text says of an actor, a piece of tooling or a
// responder.
type item struct {
	entity      *rules.Entity // nil for names found by patterns only
	name        string
	kind        string
	attribution rules.Attribution
	evidence    evidence
	order       int // its place in its list
	places      []place
	asActor     bool // tooling that the text treats as the attacker
	asTool      bool // tooling that the text treats as software
	patternHits int  // actor rules that named it
	// A brand mentioned neither as software nor as the attacker ("a
	// successor to Conti") is left out; one that attacks is both actor and
	// tooling, as analysts record ransomware operations.
}

// itemList is the actors, the tooling or the responders of an article, in
// order of first mention, indexed by dictionary entry and by normalised
// name so that adding one costs the same however many there are.
type itemList struct {
	items    []*item
	byEntity map[*rules.Entity]*item
	byName   map[string]*item
}

// add adds or extends an item; items are the same when they share a
// dictionary entry or a normalised name (the first added wins when both
// find one). An item keeps the firmest attribution any of its sentences
// gives.
func (l *itemList) add(t *text, e *rules.Entity, name, kind string, attribution rules.Attribution, at place, rule string) *item {
	key := match.NormName(name)
	it := l.byName[key]
	if byEntity, ok := l.byEntity[e]; ok && e != nil && (it == nil || byEntity.order < it.order) {
		it = byEntity
	}
	if it == nil {
		it = &item{entity: e, name: name, kind: kind, attribution: attribution, order: len(l.items)}
		l.items = append(l.items, it)
		if l.byName == nil {
			l.byName, l.byEntity = map[string]*item{}, map[*rules.Entity]*item{}
		}
		if _, ok := l.byName[key]; !ok {
			l.byName[key] = it
		}
		if _, ok := l.byEntity[e]; !ok && e != nil {
			l.byEntity[e] = it
		}
	} else if attribution.Rank() > it.attribution.Rank() {
		it.attribution = attribution
	}
	it.evidence.add(t.evidence(at.sent, rule))
	it.places = append(it.places, at)
	return it
}

// clone returns a copy of the list that add can grow without changing l.
func (l itemList) clone() itemList {
	out := itemList{items: slices.Clone(l.items), byEntity: maps.Clone(l.byEntity), byName: maps.Clone(l.byName)}
	return out
}

// evidence is the sentences that prove a field, each once, in the order
// found. A short list is searched; from 16 sentences on, seen makes the
// check for a sentence there already cost the same however long the list
// is.
type evidence struct {
	list []record.Evidence
	seen map[int]bool // by the sentence's start, once the list is long
}

// add adds a sentence unless it is there.
func (e *evidence) add(ev record.Evidence) {
	if e.seen == nil {
		for _, x := range e.list {
			if x.Start == ev.Start {
				return
			}
		}
		e.list = append(e.list, ev)
		if len(e.list) >= 16 {
			e.seen = make(map[int]bool, 2*len(e.list))
			for _, x := range e.list {
				e.seen[x.Start] = true
			}
		}
		return
	}
	if e.seen[ev.Start] {
		return
	}
	e.seen[ev.Start] = true
	e.list = append(e.list, ev)
}

// mergeEvidence adds to a the sentences of b it lacks.
func mergeEvidence(a, b []record.Evidence) []record.Evidence {
	seen := make(map[int]bool, len(a))
	for _, ev := range a {
		seen[ev.Start] = true
	}
	for _, ev := range b {
		if !seen[ev.Start] {
			seen[ev.Start] = true
			a = append(a, ev)
		}
	}
	return a
}

// found is the actors, tooling and responders of an article.
type found struct {
	actors, tools, responders itemList
}

// collectDictionary adds the actors, tooling and responders that the
// dictionaries find, and CVE ids, to the actors and responders that
// patterns found.
func (f *Finder) collectDictionary(t *text, actors, responders itemList) found {
	out := found{actors: actors.clone(), responders: responders.clone()}
	for si := range t.sents {
		if t.stopped(si) {
			break
		}
		s := &t.sents[si]
		for i := range t.mentions[si] {
			m := &t.mentions[si][i]
			rule := m.Entity.ID
			switch m.Section {
			case match.SectionActor:
				out.actors.add(t, m.Entity, m.Entity.Name, m.Entity.Kind, f.attributionCue(s), place{si, m.Start}, rule)
			case match.SectionTool:
				it := out.tools.add(t, m.Entity, m.Entity.Name, m.Entity.Kind, "", place{si, m.Start}, rule)
				if m.Entity.Actor && f.treatedAsActor(s, m) {
					it.asActor = true
				}
				if !m.Entity.Actor || f.treatedAsTool(s, m) || f.softwareNamed(s, m) {
					it.asTool = true
				}
			case match.SectionResponder:
				out.responders.add(t, m.Entity, m.Entity.Name, m.Entity.Kind, "", place{si, m.Start}, rule)
			}
		}
		for i, tok := range s.Tokens {
			if match.IsCVE(tok.Text) {
				out.tools.add(t, nil, strings.ToUpper(tok.Text), "vulnerability", "", place{si, i}, "cve-id")
			}
		}
	}
	return out
}

// attributionCue reads how firmly a sentence ties an actor to the attack.
func (f *Finder) attributionCue(s *nlp.Sentence) rules.Attribution {
	toks := s.Tokens
	claimed, attributed := false, false
	for k, t := range toks {
		switch {
		case f.lex.claimCues[t.Lower] && f.claimOfResponsibility(toks, k):
			claimed = true
		case f.lex.attributionCues[t.Lower]:
			attributed = true
		}
	}
	switch {
	case claimed:
		return rules.Claimed
	case attributed && !f.hedged(toks):
		return rules.Attributed
	}
	return rules.Suspected
}

// claimOfResponsibility reports whether the claim word at k is a claim by
// the attacker: not a passive report about it ("a group ... claimed to
// involve teenagers", "it is claimed that"), unless it names the claimant
// ("the attack was claimed by X").
func (f *Finder) claimOfResponsibility(toks []nlp.Token, k int) bool {
	next := func(i int) string {
		if k+i < len(toks) {
			return toks[k+i].Lower
		}
		return ""
	}
	if next(1) == "by" {
		return true
	}
	if k > 0 {
		switch toks[k-1].Lower {
		case "is", "was", "are", "were", "been", "be", "and", "being":
			return false
		}
	}
	if next(1) == "to" {
		return next(2) == "have" || next(2) == "be"
	}
	return next(1) != "that"
}

// hedged reports whether a sentence holds back from stating what it
// reports: "according to reports", "is believed to", "reportedly".
func (f *Finder) hedged(toks []nlp.Token) bool {
	return holdsPhrase(toks, f.lex.attributionHedges)
}

// treatedAsActor reports whether a ransomware brand is written as the
// attacker: "the LockBit gang", "Conti claimed", "operators of Hive".
func (f *Finder) treatedAsActor(s *nlp.Sentence, m *match.Mention) bool {
	toks := s.Tokens
	for k := max(0, m.Start-3); k < min(len(toks), m.End+3); k++ {
		if f.lex.brandActorCues[toks[k].Lower] {
			return true
		}
	}
	return false
}

// treatedAsTool reports whether a ransomware brand is written as software:
// "LockBit ransomware", "a Conti variant", "deployed Ryuk", "encrypted with
// WastedLocker". A brand named only as a group ("affiliates of REvil") is
// not tooling.
func (f *Finder) treatedAsTool(s *nlp.Sentence, m *match.Mention) bool {
	toks := s.Tokens
	for k := max(0, m.Start-4); k < min(len(toks), m.End+6); k++ {
		if k >= m.Start && k < m.End {
			continue
		}
		if f.lex.brandToolCues[toks[k].Lower] {
			return true
		}
	}
	return false
}

// softwareNamed reports whether the words that matched the entry, or the
// word after them, say it is software ("DragonForce ransomware"); "the
// REvil ransomware gang" names the group, not its software.
func (f *Finder) softwareNamed(s *nlp.Sentence, m *match.Mention) bool {
	toks := s.Tokens
	software := false
	for k := m.Start; k < min(m.End+1, len(toks)); k++ {
		switch w := toks[k].Lower; {
		case f.lex.softwareWords[w]:
			software = software || k < m.End
		case f.lex.groupWords[w]:
			return false
		}
	}
	return software
}
