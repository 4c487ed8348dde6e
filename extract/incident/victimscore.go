package incident

import (
	"slices"
	"strings"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/match"
)

// scoreVictims scores every victim candidate of the text with the rule
// set's victim model (scoreCandidates) and adds those it keeps to the
// victims the rules found; every victim gets its score as confidence and
// the features that raised it as cues. Without a model the victims stay
// those the rules found. Find calls it only for an article that reports
// an attack (aboutIncident).
func (f *Finder) scoreVictims(t *text, victims *victimList, excluded, sources nameSet) {
	model := f.victimModel
	if model == nil {
		return
	}
	cands := f.scoredCandidates(t, victims, excluded, sources)
	for _, c := range cands {
		switch {
		case len(c.victims) > 0:
			for _, v := range c.victims {
				v.confidence, v.cues = c.score, model.cues(c.features)
			}
			if len(c.victims) == 1 {
				// A rule that named one form leaves the others to the
				// candidate: the long form of an acronym ("Marks &
				// Spencer" for "M&S"), the acronym of a long form ("D&B"
				// for "Dun & Bradstreet"), the formal name ("City of
				// Atlanta" for "Atlanta"; "Garmin Pay" is another thing).
				v := c.victims[0]
				for _, name := range append([]string{c.name}, c.aliases...) {
					// "Uncle Giuseppe's Marketplace" for a rule's
					// "Marketplace": a possessive name the rule cut
					possessiveWhole := strings.HasSuffix(name, "'s "+v.name) || strings.HasSuffix(name, "’s "+v.name)
					if isAcronymOf(v.name, name) || isAcronymOf(name, v.name) || f.formalName(name, v.name) || possessiveWhole {
						victims.addName(v, name)
					}
				}
			}
		case c.kept(model):
			m := c.firstInText()
			if m.sent == headlineSent {
				continue // a victim must be named in the text
			}
			v := victims.add(t, c.name, m.sent, m.start, "victim.score")
			for _, a := range c.aliases {
				victims.addName(v, a)
			}
			v.confidence, v.cues = c.score, model.cues(c.features)
			c.victims = []*victim{v}
		}
	}
	// The victims of one list share an attack.
	for _, c := range cands {
		for _, o := range c.listmates {
			if len(c.victims) > 0 && len(o.victims) > 0 {
				victims.mergeGroups(c.victims[0].group, o.victims[0].group)
			}
		}
	}
}

// formalName reports whether name is short's formal name: short with only
// words for a kind of organisation added ("City of Atlanta", "Acme Group
// Inc"), so that it names the same organisation, not a part or a product
// of it.
func (f *Finder) formalName(name, short string) bool {
	if !fuller(name, short) || isAcronym(short) {
		return false
	}
	own := map[string]bool{}
	for _, w := range strings.Fields(match.NormName(short)) {
		own[w] = true
	}
	for _, w := range strings.Fields(match.NormName(name)) {
		if !own[w] && w != "of" && w != "and" && !f.lex.orgSuffixes[w] && !f.lex.genericOrgWords[w] && !f.match.Institution(w) {
			return false
		}
	}
	return true
}

// scoredCandidates lists the victim candidates of the text with their
// features and scores, for scoreVictims and for Candidates alike.
func (f *Finder) scoredCandidates(t *text, victims *victimList, excluded, sources nameSet) []*candidate {
	cands := f.victimCandidates(t, victims, excluded, sources)
	f.allFeatures(t, cands)
	f.scoreCandidates(cands)
	return cands
}

// scoreCandidates scores the candidates with the victim model, then
// settles lists: a list shares its members' fate, so a candidate listed
// with one that is kept ("A, B and C all confirmed they were affected")
// is listed with a victim and scored again. What is kept before this
// step decides, so the order of the candidates does not matter.
func (f *Finder) scoreCandidates(cands []*candidate) {
	model := f.victimModel
	if model == nil {
		return
	}
	for _, c := range cands {
		c.score = model.score(c.features)
	}
	kept := map[*candidate]bool{}
	for _, c := range cands {
		kept[c] = c.kept(model)
	}
	for _, c := range cands {
		if kept[c] {
			continue
		}
		if slices.ContainsFunc(c.listmates, func(o *candidate) bool { return kept[o] }) {
			if c.features["listed_with"] == 0 {
				c.features["listed_with"] = 1
				c.score = model.score(c.features)
			}
			// a list that an attack's words govern ("attacks on
			// hospitals including A, B and C", "A, B and C were hit")
			// shares the fate of a member that is kept, whatever the
			// others score
			c.sharesFate = c.features["attack_sentence"] > 0 &&
				(c.features["attack_on"] > 0 || c.features["passive_hit"] > 0 || c.features["taken_from"] > 0)
		}
	}
}

// kept reports whether a candidate is a victim: a rule named it, it
// shares the fate of a list (see scoreCandidates), or its score reaches
// the model's threshold and it has a cue of the victim's role.
func (c *candidate) kept(m *model) bool {
	return len(c.victims) > 0 || c.sharesFate || c.score >= m.threshold && c.roleCue()
}

// roleCue reports whether a candidate holds a cue of the victim's role,
// beyond being named near an attack: a name only quoted about an attack
// ("the Foreign Office said") is a responder's, one that says it was hit
// ("X confirmed it was affected") is a victim's.
func (c *candidate) roleCue() bool {
	if c.saysHit {
		return true // "A and B confirmed they were among those affected"
	}
	if c.features["attack_on"] > 0 {
		return true // its own words of attack: "an attack on X", "hackers breached X"
	}
	if c.features["attack_sentence"] == 0 {
		return false
	}
	for _, f := range []string{"headline", "passive_hit", "attack_on", "taken_from", "possessor", "victim_action", "listed_with"} {
		if c.features[f] > 0 {
			return true
		}
	}
	return false
}

// Candidate is a candidate of an article for a role as the role's model
// sees it: its names and its features (rules.VictimFeatures or
// rules.ActorFeatures, all computed).
type Candidate struct {
	Name     string
	Aliases  []string
	Features map[string]float64
	// Score is the model's score, 0 without a model.
	Score float64
	// Ruled is set when a victim rule named the candidate: it is a victim
	// whatever its score.
	Ruled bool
	// Eligible is set when the candidate becomes a victim if its score
	// reaches the threshold: the article reports an attack and the
	// candidate has a cue of the victim's role (see roleCue).
	Eligible bool
}

// Candidates returns what the scoring models of an article see, for
// fitting them on labelled pages ("incidex rules fit"): its victim
// candidates and the actors the rules find, with their features and
// scores. It runs the stages Find runs, the same way, so that the models
// learn from what they will score; an article that reports no attack
// (aboutIncident) keeps nothing, as Find does.
func (f *Finder) Candidates(a *article.Article) (victimCands, actorCands []Candidate) {
	t := f.read(a)
	doc := f.aboutIncident(t)
	screen, facts, found := f.gather(t)
	for _, c := range f.scoredCandidates(t, facts.victims, facts.excluded, screen.sources) {
		aliases := slices.Clone(c.aliases)
		for _, v := range c.victims {
			aliases = append(aliases, v.aliases...)
		}
		victimCands = append(victimCands, Candidate{Name: c.name, Aliases: aliases, Features: c.features, Score: c.score,
			Ruled: doc && len(c.victims) > 0, Eligible: doc && c.roleCue()})
	}
	if doc {
		actorCands = f.actorCandidates(t, found)
	}
	return victimCands, actorCands
}
