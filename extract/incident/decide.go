package incident

import (
	"slices"
	"strings"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
)

// reportsAttack decides whether an article in which no victim is named
// still reports an attack: the campaign of a named gang, a flaw exploited
// in the wild, charges against hackers whose victims go unnamed. It does
// when a sentence about an attack names an attacker or a piece of tooling
// (a flaw only when the sentence says it is exploited: a patch advisory
// is no attack). Find asks only for an article that reports an attack
// (aboutIncident).
func (f *Finder) reportsAttack(t *text, found found) bool {
	inAttack := func(places ...place) bool {
		for _, at := range places {
			if f.aboutAttack(&t.sents[at.sent]) {
				return true
			}
		}
		return false
	}
	evidence := false
	for _, a := range found.actors.items {
		evidence = evidence || inAttack(a.places...)
	}
	for _, tl := range found.tools.items {
		if tl.kind == "vulnerability" {
			evidence = evidence || slices.ContainsFunc(tl.places, func(at place) bool { return f.exploited(&t.sents[at.sent]) })
			continue
		}
		evidence = evidence || (tl.asTool || tl.asActor || tl.entity == nil) && inAttack(tl.places...)
	}
	return evidence
}

// exploited reports whether a sentence says a flaw is exploited, not that
// it could be (a word of the lexicon's hypotheticals in the three words
// before): "has been exploiting CVE-2023-4966", "exploited in the wild",
// not "a flaw that could let attackers run code".
func (f *Finder) exploited(s *nlp.Sentence) bool {
	toks := s.Tokens
	for i := range toks {
		if !strings.HasPrefix(toks[i].Lower, "exploit") {
			continue
		}
		hypothetical := false
		for k := max(0, i-3); k < i; k++ {
			hypothetical = hypothetical || f.lex.hypotheticals[toks[k].Lower]
		}
		if !hypothetical {
			return true
		}
	}
	return false
}

// aboutIncident is the document decision: an article reports an attack
// when its headline or lead speaks of one and its headline is not that of
// a survey, an event, a guide (the lexicon's non-incident-cues) or a
// business story that speaks of no attack (business-cues), which mention
// attacks without reporting one.
func (f *Finder) aboutIncident(t *text) bool {
	if len(f.lex.attackWords) == 0 {
		return true // rules without the lexicon cannot tell: every article may report one
	}
	if holdsCue(t.headline.Tokens, f.lex.nonIncidentCues) {
		return false
	}
	if holdsPhrase(t.headline.Tokens, f.lex.businessCues) && !f.aboutAttack(&t.headline) {
		return false // "Fenwick Labs raises $40m", not "Barts launches cyber attack probe"
	}
	return f.attackLed(t)
}

// holdsCue reports whether a headline holds one of the cue phrases, not
// inside a name: "Ordnance Survey hit by cyber attack" names a victim.
func holdsCue(toks []nlp.Token, phrases [][]string) bool {
	insideName := func(i int) bool {
		return toks[i].Capital() && i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1)
	}
	i, _ := findPhrase(toks, phrases, func(i int) bool { return !insideName(i) })
	return i >= 0
}

// holdsPhrase reports whether the tokens hold one of the phrases.
func holdsPhrase(toks []nlp.Token, phrases [][]string) bool {
	i, _ := findPhrase(toks, phrases, nil)
	return i >= 0
}

// findPhrase returns the first token at which one of the lower-case
// phrases starts, among the tokens accept takes (nil: any), and the
// phrase's length; -1 and 0 when none does. At one token the phrases are
// tried in order.
func findPhrase(toks []nlp.Token, phrases [][]string, accept func(i int) bool) (start, n int) {
	for i := range toks {
		if accept != nil && !accept(i) {
			continue
		}
		for _, p := range phrases {
			if len(p) > 0 && nlp.LowerWordsAt(toks, i, p) {
				return i, len(p)
			}
		}
	}
	return -1, 0
}

// attackLed reports whether the headline or the opening sentences speak
// of an attack.
func (f *Finder) attackLed(t *text) bool {
	if f.aboutAttack(&t.headline) {
		return true
	}
	for si := 0; si < len(t.sents) && si < openingSentences; si++ {
		if f.aboutAttack(&t.sents[si]) {
			return true
		}
	}
	return false
}

// openingSentences is how many sentences of an article, after its
// headline, the document decision reads (the victim model's "lead" is the
// first two): a newsletter may open with a greeting and a count of the
// week's stories.
const openingSentences = 5

// phrases splits lexicon phrases into words.
func phrases(list []string) [][]string {
	var out [][]string
	for _, p := range list {
		if words := strings.Fields(p); len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}
