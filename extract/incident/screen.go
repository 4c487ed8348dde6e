package incident

import (
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/rules"
)

// screening is what the whole text says about names before any victim is
// read.
type screening struct {
	excluded   nameSet  // never victims: every dictionary name in the text, and the responders
	sources    nameSet  // quoted as sources ("according to X"): victims only through the headline
	responders itemList // found by responder rules
}

// screen collects the names that can never be victims: every name the
// dictionaries find (actors, tooling, responders, outlets) in the form the
// text writes and in the dictionary's, then the sources that not-victim
// rules find and the responders that responder rules find, over the whole
// text.
func (f *Finder) screen(t *text) screening {
	s := screening{excluded: nameSet{}, sources: nameSet{}}
	for si := range t.mentions {
		for _, m := range t.mentions[si] {
			s.excluded[match.NormName(t.span(si, m.Start, m.End))] = true
			s.excluded[match.NormName(m.Entity.Name)] = true
		}
	}
	for si := range t.sents {
		if t.stopped(si) {
			break
		}
		sc := f.match.Scan(&t.sents[si], t.mentions[si], false)
		for _, p := range f.match.TextPatterns(rules.RoleNotVictim) {
			for _, captures := range sc.Match(p) {
				for _, c := range captures[1:] {
					s.sources[match.NormName(cleanName(t.span(si, c.Start, c.End)))] = true
				}
			}
		}
		for _, p := range f.match.TextPatterns(rules.RoleResponder) {
			for _, captures := range sc.Match(p) {
				for _, c := range captures[1:] {
					name := cleanName(t.span(si, c.Start, c.End))
					if name == "" || f.isCountry(name) {
						continue
					}
					s.excluded[match.NormName(name)] = true
					s.responders.add(t, nil, name, "", "", place{si, c.Start}, p.Rule.ID)
				}
			}
		}
	}
	return s
}
