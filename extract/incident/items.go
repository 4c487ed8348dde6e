package incident

import (
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
	evidence    []record.Evidence
	places      []place
	asActor     bool // tooling that the text treats as the attacker
	asTool      bool // tooling that the text treats as software
	patternHits int  // actor rules that named it
	// A brand mentioned neither as software nor as the attacker ("a
	// successor to Conti") is left out; one that attacks is both actor and
	// tooling, as analysts record ransomware operations.
}

// itemList is the actors, the tooling or the responders of an article, in
// order of first mention.
type itemList []*item

// add adds or extends an item; items are the same when they share a
// dictionary entry or a normalised name. An item keeps the firmest
// attribution any of its sentences gives.
func (l *itemList) add(t *text, e *rules.Entity, name, kind string, attribution rules.Attribution, at place, rule string) *item {
	ev := t.evidence(at.sent, rule)
	for _, it := range *l {
		if e != nil && it.entity == e || match.NormName(it.name) == match.NormName(name) {
			it.evidence = appendEvidence(it.evidence, ev)
			it.places = append(it.places, at)
			if attribution.Rank() > it.attribution.Rank() {
				it.attribution = attribution
			}
			return it
		}
	}
	it := &item{entity: e, name: name, kind: kind, attribution: attribution,
		evidence: []record.Evidence{ev}, places: []place{at}}
	*l = append(*l, it)
	return it
}

// appendEvidence adds a sentence to the evidence unless it is there.
func appendEvidence(list []record.Evidence, ev record.Evidence) []record.Evidence {
	for _, e := range list {
		if e.Start == ev.Start {
			return list
		}
	}
	return append(list, ev)
}

// found is the actors, tooling and responders of an article.
type found struct {
	actors, tools, responders itemList
}

// collectDictionary adds the actors, tooling and responders that the
// dictionaries find, and CVE ids, to the actors and responders that
// patterns found.
func (f *Finder) collectDictionary(t *text, actors, responders itemList) found {
	out := found{actors: actors, responders: responders}
	for si := range t.sents {
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
