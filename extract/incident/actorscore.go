package incident

import (
	"math"
	"strings"

	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
)

// actorFeatures computes the features of rules.ActorFeatures for an actor
// the rules found: an actor item, or a tooling item the text treats as
// the attacker (brand set).
func (f *Finder) actorFeatures(t *text, it *item, attribution rules.Attribution, brand bool) map[string]float64 {
	x := map[string]float64{}
	switch {
	case brand:
		x["ransomware_brand"] = 1
	case it.entity != nil && it.entity.Re != nil:
		x["scheme"] = 1
	case it.entity != nil:
		x["dictionary"] = 1
	}
	if it.patternHits > 0 {
		x["pattern"] = 1
	}
	switch attribution {
	case rules.Claimed:
		x["claimed"] = 1
	case rules.Attributed:
		x["attributed"] = 1
	}
	if f.headlineNames(t, it) {
		x["headline"] = 1
	}
	sents := map[int]bool{}
	for _, at := range it.places {
		sents[at.sent] = true
		if at.sent < 2 {
			x["lead"] = 1
		}
		if x["attack_sentence"] == 0 && f.aboutAttack(&t.sents[at.sent]) {
			x["attack_sentence"] = 1
		}
	}
	x["mentions"] = math.Log2(1 + float64(len(sents)))
	if it.entity == nil {
		if it.kind == "nation-state" {
			x["nation_state"] = 1
		} else if f.personShaped(it.name) {
			x["person"] = 1
		}
		if len(strings.Fields(it.name)) == 1 {
			x["single_word"] = 1
		}
	}
	return x
}

// headlineNames reports whether the headline names an item, by its name
// or a dictionary alias, in any case.
func (f *Finder) headlineNames(t *text, it *item) bool {
	names := []string{it.name}
	if it.entity != nil {
		names = append(names, it.entity.Aliases...)
	}
	forms := make([][]string, 0, len(names))
	for _, n := range names {
		forms = append(forms, nlp.LowerWords(n))
	}
	return holdsPhrase(t.headline.Tokens, forms)
}

// actorScore scores an actor with the rule set's actor model: its
// confidence and the cues that raised it. The rules decide which actors
// there are (on the labelled pages they are rarely wrong, and a threshold
// fitted on so few actors dropped right ones), so the model's threshold
// is not applied. Without a model the confidence grows with the firmness
// of the attribution.
func (f *Finder) actorScore(t *text, it *item, attribution rules.Attribution, brand bool) (confidence float64, cues []string) {
	if f.actorModel == nil {
		bonus := map[rules.Attribution]float64{rules.Claimed: 0.3, rules.Attributed: 0.2}[attribution]
		return round2(0.5 + bonus + 0.05*float64(min(len(it.places)-1, 2))), nil
	}
	x := f.actorFeatures(t, it, attribution, brand)
	return round2(f.actorModel.score(x)), f.actorModel.cues(x)
}

// actorCandidates are the actors the rules found in a text as the actor
// model sees them (see Candidates).
func (f *Finder) actorCandidates(t *text, found found) []Candidate {
	var out []Candidate
	add := func(it *item, attribution rules.Attribution, brand bool) {
		x := f.actorFeatures(t, it, attribution, brand)
		c := Candidate{Name: it.name, Aliases: entityAliases(it.entity), Features: x, Eligible: true}
		if f.actorModel != nil {
			c.Score = f.actorModel.score(x)
		}
		out = append(out, c)
	}
	for _, tl := range found.tools.items {
		if tl.asActor {
			add(tl, f.attributionCue(&t.sents[tl.places[0].sent]), true)
		}
	}
	for _, it := range found.actors.items {
		add(it, it.attribution, false)
	}
	return out
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
