package incident

import (
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/rules"
)

// lexicon is the lexicon lists incident finding reads (see
// rules/default/lexicon.yaml), ready for lookups. Lists the rules in force
// lack are empty: the extractor then reads with fewer cues, never fails.
type lexicon struct {
	orgSuffixes      map[string]bool
	genericOrgWords  map[string]bool
	orgDescriptors   map[string]bool
	descriptionStops map[string]bool
	personTitles     map[string]bool
	speechVerbs      map[string]bool
	genericActors    map[string]bool
	actorKinds       map[string]string // word before a name -> actor kind
	claimCues        map[string]bool
	attributionCues  map[string]bool
	brandActorCues   map[string]bool
	brandToolCues    map[string]bool
	softwareWords    map[string]bool
	groupWords       map[string]bool
	attackWords      []string // prefixes
	negations        map[string]bool
	hedges           [][]string // phrases, as words
	nonIncidentCues  [][]string // headline phrases of articles that report no attack
	businessCues     [][]string // the same, unless the headline speaks of an attack

	// cues of the victim model
	hitVerbs            map[string]bool
	attackNouns         map[string]bool
	attackPrepositions  map[string]bool
	victimAssets        map[string]bool
	responseVerbs       map[string]bool
	vendorBefore        [][]string
	vendorAfter         map[string]bool
	jobTitles           map[string]bool
	victimActions       map[string]bool
	referenceNouns      map[string]bool
	regions             map[string]bool // comparison keys (match.NormName) of region names
	aliasPhrases        [][]string      // "also known as": between a name and another for it
	obliquePrepositions map[string]bool // "with", "by": before a side participant of a clause
	partWords           map[string]bool // "arm", "division": a part of an organisation
	hypotheticals       map[string]bool // "could", "may": what may happen, not what did
	theftVerbs          map[string]bool // "stole": before "from" and who it was taken from
	otherEventCues      [][]string      // "months after": a date after them is another event's
	listOpeners         [][]string      // "including", "such as": before a list of examples
	defenceVerbs        map[string]bool // "blocked", "thwarted": what a target did to an attempt
	attributionHedges   [][]string      // phrases, as words
	countUnits          map[string]bool
	dataUnits           map[string]string // word -> unit written in output
}

func newLexicon(set *rules.Set) lexicon {
	lex := lexicon{
		orgSuffixes:      set.WordSet(rules.LexOrgSuffixes),
		genericOrgWords:  set.WordSet(rules.LexGenericOrgWords),
		orgDescriptors:   set.WordSet(rules.LexOrgDescriptors),
		descriptionStops: set.WordSet(rules.LexDescriptionStops),
		personTitles:     set.WordSet(rules.LexPersonTitles),
		speechVerbs:      set.WordSet(rules.LexSpeechVerbs),
		genericActors:    set.WordSet(rules.LexGenericActors),
		actorKinds:       set.ValueMap(rules.LexActorKindWords),
		claimCues:        set.WordSet(rules.LexClaimCues),
		attributionCues:  set.WordSet(rules.LexAttributionCues),
		brandActorCues:   set.WordSet(rules.LexBrandActorCues),
		brandToolCues:    set.WordSet(rules.LexBrandToolCues),
		softwareWords:    set.WordSet(rules.LexSoftwareWords),
		groupWords:       set.WordSet(rules.LexGroupWords),
		attackWords:      set.Words(rules.LexAttackWords),
		negations:        set.WordSet(rules.LexNegations),
		countUnits:       set.WordSet(rules.LexCountUnits),
		dataUnits:        set.ValueMap(rules.LexDataUnits),
	}
	lex.hedges = phrases(set.Words(rules.LexHedges))
	lex.nonIncidentCues = phrases(set.Words(rules.LexNonIncidentCues))
	lex.businessCues = phrases(set.Words(rules.LexBusinessCues))
	lex.hitVerbs = set.WordSet(rules.LexHitVerbs)
	lex.attackNouns = set.WordSet(rules.LexAttackNouns)
	lex.attackPrepositions = set.WordSet(rules.LexAttackPrepositions)
	lex.victimAssets = set.WordSet(rules.LexVictimAssets)
	lex.responseVerbs = set.WordSet(rules.LexResponseVerbs)
	lex.vendorBefore = phrases(set.Words(rules.LexVendorBefore))
	lex.vendorAfter = set.WordSet(rules.LexVendorAfter)
	lex.jobTitles = set.WordSet(rules.LexJobTitles)
	lex.victimActions = set.WordSet(rules.LexVictimActions)
	lex.referenceNouns = set.WordSet(rules.LexReferenceNouns)
	lex.aliasPhrases = phrases(set.Words(rules.LexAliasPhrases))
	lex.obliquePrepositions = set.WordSet(rules.LexObliquePrepositions)
	lex.partWords = set.WordSet(rules.LexPartWords)
	lex.hypotheticals = set.WordSet(rules.LexHypotheticals)
	lex.theftVerbs = set.WordSet(rules.LexTheftVerbs)
	lex.otherEventCues = phrases(set.Words(rules.LexOtherEventCues))
	lex.listOpeners = phrases(set.Words(rules.LexListOpeners))
	lex.defenceVerbs = set.WordSet(rules.LexDefenceVerbs)
	lex.regions = map[string]bool{}
	for _, r := range set.Words(rules.LexRegions) {
		lex.regions[match.NormName(r)] = true
	}
	lex.attributionHedges = phrases(set.Words(rules.LexAttributionHedges))
	return lex
}
