package incident

import (
	"strings"

	"github.com/incidex/incidex/extract/nlp"
)

// reportsAttack decides whether an article in which no victim is named
// still reports an attack: the campaign of a named gang, a flaw exploited
// in the wild, charges against hackers whose victims go unnamed. It does
// when a sentence about an attack names an attacker or a piece of tooling
// (a CVE included) and the article is about an incident (aboutIncident).
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
	for _, a := range found.actors {
		evidence = evidence || inAttack(a.places...)
	}
	for _, tl := range found.tools {
		evidence = evidence || (tl.asTool || tl.asActor || tl.entity == nil) && inAttack(tl.places...)
	}
	return evidence && f.aboutIncident(t)
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
	if holdsPhrase(t.headline.Tokens, f.lex.nonIncidentCues) {
		return false
	}
	if holdsPhrase(t.headline.Tokens, f.lex.businessCues) && !f.aboutAttack(&t.headline) {
		return false // "Fenwick Labs raises $40m", not "Barts launches cyber attack probe"
	}
	return f.attackLed(t)
}

// holdsPhrase reports whether the tokens hold one of the phrases.
func holdsPhrase(toks []nlp.Token, phrases [][]string) bool {
	for _, p := range phrases {
		for i := range toks {
			if wordsFrom(toks, i, p) {
				return true
			}
		}
	}
	return false
}

// attackLed reports whether the headline or the lead speaks of an
// attack.
func (f *Finder) attackLed(t *text) bool {
	if f.aboutAttack(&t.headline) {
		return true
	}
	for si := 0; si < len(t.sents) && si < leadSentences; si++ {
		if f.aboutAttack(&t.sents[si]) {
			return true
		}
	}
	return false
}

// leadSentences is how many sentences make an article's lead: a
// newsletter may open with a greeting and a count of the week's stories.
const leadSentences = 5

// wordsFrom reports whether the lower-case words start at token i.
func wordsFrom(toks []nlp.Token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].Lower != w {
			return false
		}
	}
	return true
}

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
