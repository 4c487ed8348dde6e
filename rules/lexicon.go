package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/nlp"
	"gopkg.in/yaml.v3"
)

// LexiconList is one list of the lexicon section: English words the
// extractor reads text with (negations, the titles before a person's name,
// the words that end a company's name...). Each id names a list the
// extractor knows; LexiconIDs lists them.
type LexiconList struct {
	ID          string
	Description string
	// Words are the entries of a list of words, phrases, prefixes or
	// suffixes, folded as tokens are (lower case, straight apostrophes).
	Words []string
	// Values are the entries of a list that maps words to values: a number,
	// a currency code, an actor kind or a unit.
	Values []LexiconValue
	// Extend adds the entries to the list of the same id loaded before,
	// instead of replacing it.
	Extend bool
	Source string // file, line and column of the entry
	Line   int
	Col    int
}

// LexiconValue is one word of a list of values and its value.
type LexiconValue struct {
	Word, Value string
}

// lexiconKind says what a lexicon list holds and how its entries are
// checked.
type lexiconKind string

const (
	lexWords      lexiconKind = "words"       // single tokens
	lexPhrases    lexiconKind = "phrases"     // one or more words
	lexPrefixes   lexiconKind = "prefixes"    // word beginnings
	lexSuffixes   lexiconKind = "suffixes"    // word endings
	lexNumbers    lexiconKind = "numbers"     // word -> number
	lexCurrencies lexiconKind = "currencies"  // word or symbol -> ISO 4217 code
	lexActorKinds lexiconKind = "actor-kinds" // word -> actor kind
	lexUnits      lexiconKind = "units"       // word -> unit written in output
)

// valued reports whether the kind maps words to values.
func (k lexiconKind) valued() bool {
	switch k {
	case lexNumbers, lexCurrencies, lexActorKinds, lexUnits:
		return true
	}
	return false
}

// The ids of the lexicon lists the extractor reads.
const (
	LexAbbreviations         = "abbreviations"
	LexNameConnectors        = "name-connectors"
	LexNotNames              = "not-names"
	LexNotNameStarts         = "not-name-starts"
	LexDescriptiveSuffixes   = "descriptive-suffixes"
	LexInstitutionWords      = "institution-words"
	LexGovernmentCollectives = "government-collectives"
	LexNumberWords           = "number-words"
	LexNumberMultipliers     = "number-multipliers"
	LexNumberSuffixes        = "number-suffixes"
	LexCurrencySymbols       = "currency-symbols"
	LexCurrencyWords         = "currency-words"
	LexCountUnits            = "count-units"
	LexDataUnits             = "data-units"
	LexOrgSuffixes           = "org-suffixes"
	LexGenericOrgWords       = "generic-org-words"
	LexOrgDescriptors        = "org-descriptors"
	LexDescriptionStops      = "description-stops"
	LexPersonTitles          = "person-titles"
	LexSpeechVerbs           = "speech-verbs"
	LexGenericActors         = "generic-actors"
	LexActorKindWords        = "actor-kind-words"
	LexClaimCues             = "claim-cues"
	LexAttributionCues       = "attribution-cues"
	LexBrandActorCues        = "brand-actor-cues"
	LexBrandToolCues         = "brand-tool-cues"
	LexSoftwareWords         = "software-words"
	LexGroupWords            = "group-words"
	LexAttackWords           = "attack-words"
	LexNegations             = "negations"
	LexHedges                = "hedges"
	LexNonIncidentCues       = "non-incident-cues"
	LexHitVerbs              = "hit-verbs"
	LexAttackNouns           = "attack-nouns"
	LexAttackPrepositions    = "attack-prepositions"
	LexVictimAssets          = "victim-assets"
	LexResponseVerbs         = "response-verbs"
	LexVendorBefore          = "vendor-before"
	LexVendorAfter           = "vendor-after"
	LexJobTitles             = "job-titles"
	LexVictimActions         = "victim-actions"
	LexAttributionHedges     = "attribution-hedges"
	LexBusinessCues          = "business-cues"
	LexReferenceNouns        = "reference-nouns"
	LexRegions               = "regions"
	LexAliasPhrases          = "alias-phrases"
	LexObliquePrepositions   = "oblique-prepositions"
	LexPartWords             = "part-words"
	LexHypotheticals         = "hypotheticals"
	LexTheftVerbs            = "theft-verbs"
	LexListOpeners           = "list-openers"
	LexDefenceVerbs          = "defence-verbs"
	LexIndicatorCues         = "indicator-cues"
	LexAddressCues           = "address-cues"
	LexVersionWords          = "version-words"
	LexFileExtensions        = "file-extensions"
	LexLegalForms            = "legal-forms"
	LexNameTails             = "name-tails"
	LexOtherEventCues        = "other-event-cues"
)

// lexiconSpecs is every lexicon list the extractor reads, with what it
// holds and what it is for (the second is what "rules list" and error
// messages show).
var lexiconSpecs = map[string]struct {
	kind lexiconKind
	use  string
}{
	LexAbbreviations:         {lexWords, "words whose full stop does not end a sentence (mr, inc, u.s)"},
	LexNameConnectors:        {lexWords, "words that may join the capitalised words of one name (Marks & Spencer, Bank of America)"},
	LexNotNames:              {lexWords, "capitalised words that never begin or continue a name (The, Monday, Hackers)"},
	LexNotNameStarts:         {lexWords, "words that never begin a name but may sit inside one (Chief, Week)"},
	LexDescriptiveSuffixes:   {lexSuffixes, "endings that make a place a description, not a name (-based, -owned)"},
	LexInstitutionWords:      {lexWords, "words that complete a place or an office into an institution (government, council, office)"},
	LexGovernmentCollectives: {lexPhrases, "phrases for a state's institutions without a name (government agencies)"},
	LexNumberWords:           {lexNumbers, "numbers written as words (two, dozens)"},
	LexNumberMultipliers:     {lexNumbers, "words after a number that multiply it (2.5 million)"},
	LexNumberSuffixes:        {lexNumbers, "endings written onto a number that multiply it (300m, 5bn, 20k)"},
	LexCurrencySymbols:       {lexCurrencies, "currency symbols before an amount ($, £, us$)"},
	LexCurrencyWords:         {lexCurrencies, "currency words after an amount (dollars, euros)"},
	LexCountUnits:            {lexWords, "what an impact's number counts (customers, records)"},
	LexDataUnits:             {lexUnits, "units of stolen data (gb, terabytes)"},
	LexOrgSuffixes:           {lexWords, "words that end the names of organisations, never of people (inc, plc, airlines)"},
	LexGenericOrgWords:       {lexWords, "words that name a kind of organisation, not one (council, bank)"},
	LexOrgDescriptors:        {lexWords, "words before a name that say it is an organisation (firm, chain, provider)"},
	LexDescriptionStops:      {lexWords, "words that end the description before a name (the, of, said, hit)"},
	LexPersonTitles:          {lexWords, "titles before a person's surname (mr, dr)"},
	LexSpeechVerbs:           {lexWords, "verbs after a person's surname (said, told)"},
	LexGenericActors:         {lexWords, "words an actor pattern captures that name no one (hackers, they)"},
	LexActorKindWords:        {lexActorKinds, "words before an actor's name that give its kind (gang: group, teenager: individual)"},
	LexClaimCues:             {lexWords, "words that make a sentence a claim of responsibility (claimed, posted)"},
	LexAttributionCues:       {lexWords, "words that make a sentence an official attribution (charged, sanctioned)"},
	LexBrandActorCues:        {lexWords, "words near a ransomware brand that make it the attacker (gang, claimed)"},
	LexBrandToolCues:         {lexWords, "words near a ransomware brand that make it software (variant, deployed)"},
	LexSoftwareWords:         {lexWords, "words in a dictionary name that say it is software (ransomware, loader)"},
	LexGroupWords:            {lexWords, "words in a dictionary name that say it is a group (gang, operators)"},
	LexAttackWords:           {lexPrefixes, "word beginnings that make a sentence about an attack (hack, breach, ransom)"},
	LexNegations:             {lexWords, "words that negate an impact in the four tokens before it (no, never)"},
	LexHedges:                {lexPhrases, "phrases that decline to state an impact in the ten tokens before it (too early)"},
	LexNonIncidentCues:       {lexPhrases, "headline words of articles that mention attacks without reporting one (survey, summit, how to)"},
	LexHitVerbs:              {lexWords, "verbs of a victim as a passive subject (X was hit, breached, encrypted)"},
	LexAttackNouns:           {lexWords, "nouns of an attack before a preposition and its victim (an attack on X, the breach at X)"},
	LexAttackPrepositions:    {lexWords, "prepositions between an attack noun and its victim (on, against, at)"},
	LexVictimAssets:          {lexWords, "what a victim owns that an attack reaches (X's systems, X's customers)"},
	LexResponseVerbs:         {lexWords, "verbs of a victim speaking about an attack (X said, confirmed, disclosed)"},
	LexVendorBefore:          {lexPhrases, "words before a security firm's name (researchers at X, security firm X)"},
	LexVendorAfter:           {lexWords, "words after a security firm's name (X researchers, X analysts)"},
	LexAliasPhrases:          {lexPhrases, "words between a name and another name for it (also known as, aka)"},
	LexPartWords:             {lexWords, "words for a part of an organisation (arm, division); a place and one is no organisation of its own"},
	LexHypotheticals:         {lexWords, "words before a verb that make it what may happen, not what did (could, may)"},
	LexTheftVerbs:            {lexWords, "verbs of taking data or money, before from and the name it was taken from (stole, exfiltrated)"},
	LexListOpeners:           {lexPhrases, "words that open a list of examples after a noun (including, such as)"},
	LexDefenceVerbs:          {lexWords, "verbs of a target stopping an attack, after it says and a pronoun for itself (blocked, thwarted)"},
	LexObliquePrepositions:   {lexWords, "prepositions before a name that make it a side participant of its clause (with, by)"},
	LexRegions:               {lexPhrases, "names of regions and their adjectives, never victims (Americas, North American)"},
	LexReferenceNouns:        {lexWords, "nouns after \"the\" that stand for an organisation named before (the company, the hospital)"},
	LexBusinessCues:          {lexPhrases, "headline words of business news (launches, funding) that report no incident unless the headline speaks of an attack"},
	LexAttributionHedges:     {lexPhrases, "phrases that make an attribution a suspicion (according to reports, is believed to)"},
	LexVictimActions:         {lexWords, "verbs of what a victim does after an attack (X paid, X restored, X shut down)"},
	LexJobTitles:             {lexWords, "job titles between an organisation's name and a person's (Acme CEO Jane Doe)"},
	LexIndicatorCues:         {lexPhrases, "words in the sentence of a plainly written domain, URL or e-mail address that make it an indicator (malicious, c2, phish*; a final * matches any ending)"},
	LexAddressCues:           {lexPhrases, "stronger cues that let a documentation address or a version-like dotted quad be an indicator (ip, c2, ioc; a final * matches any ending)"},
	LexVersionWords:          {lexWords, "words up to three before a dotted quad that make it a version number (version, firmware)"},
	LexFileExtensions:        {lexWords, "file-name extensions that are also top-level domains, so that a plain invoice.zip is a file, not a domain (zip, py)"},
	LexLegalForms:            {lexWords, "words of a company's legal form that merge drops from the end of victims' names before comparing them (plc, inc, group)"},
	LexOtherEventCues:        {lexPhrases, "phrases before a date in an attack's clause that make it the date of another event (months after, previous)"},
	LexNameTails:             {lexWords, "words at the end of a company's name that news often leaves off, so that merge takes the name without them for the same victim (Rockstar Games: Rockstar)"},
}

// LexiconIDs returns the ids of the lexicon lists the extractor reads, in
// name order.
func LexiconIDs() []string {
	ids := make([]string, 0, len(lexiconSpecs))
	for id := range lexiconSpecs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// LexiconKind returns what the list id holds (words, phrases, prefixes,
// suffixes, numbers, currencies, actor-kinds, units), or "" for an id the
// extractor does not read.
func LexiconKind(id string) string { return string(lexiconSpecs[id].kind) }

var (
	currencyCodeRE = regexp.MustCompile(`^[A-Z]{3}$`)
	unitRE         = regexp.MustCompile(`^[A-Za-z]{1,12}$`)
)

// lexicon reads the lexicon section.
func (p *fileParser) lexicon(nodes []*yaml.Node) []LexiconList {
	seen := map[string]int{}
	var out []LexiconList
	for _, n := range nodes {
		e := p.begin(secLexicon, n, seen)
		l := LexiconList{ID: e.id, Source: p.file, Line: n.Line, Col: n.Column}
		spec, known := lexiconSpecs[e.id]
		if e.id != "" && !known {
			p.add(n, e.id, "unknown lexicon list %q: the extractor reads %s", e.id, strings.Join(LexiconIDs(), ", "))
		}
		var wordsNode, valuesNode *yaml.Node
		for _, kv := range e.pairs {
			switch kv.key {
			case "description":
				l.Description = p.str(e, kv)
			case "extend":
				l.Extend = p.boolean(e, kv)
			case "words":
				wordsNode = kv.vNode
				words, pos := p.listPos(e, kv)
				for i, w := range words {
					at := &yaml.Node{Line: pos[i].Line, Column: pos[i].Col}
					if f, ok := p.lexiconWord(e, at, spec.kind, w); ok {
						l.Words = append(l.Words, f)
					}
				}
			case "values":
				valuesNode = kv.vNode
				l.Values = p.lexiconValues(e, kv.vNode, spec.kind)
			}
		}
		switch {
		case !known:
		case spec.kind.valued() && wordsNode != nil:
			p.add(wordsNode, e.id, "lexicon list %q maps words to %s: write values: {word: value}, not words", e.id, spec.kind)
		case !spec.kind.valued() && valuesNode != nil:
			p.add(valuesNode, e.id, "lexicon list %q is a list of %s: write words: [...], not values", e.id, spec.kind)
		case spec.kind.valued() && valuesNode == nil:
			p.add(n, e.id, "missing values (lexicon list %q maps words to %s)", e.id, spec.kind)
		case !spec.kind.valued() && wordsNode == nil:
			p.add(n, e.id, "missing words (lexicon list %q holds %s)", e.id, spec.kind)
		}
		out = append(out, l)
	}
	return out
}

// lexiconWord checks one entry of a list of kind and returns it folded.
func (p *fileParser) lexiconWord(e entry, at *yaml.Node, kind lexiconKind, w string) (string, bool) {
	f := nlp.Fold(strings.TrimSpace(w))
	switch kind {
	case lexPhrases:
		f = strings.Join(strings.Fields(f), " ")
	case lexWords, lexPrefixes, lexSuffixes, lexNumbers, lexCurrencies, lexActorKinds, lexUnits:
		if strings.ContainsFunc(f, func(r rune) bool { return r == ' ' || r == '\t' }) {
			p.add(at, e.id, "%q: one word only in a list of %s", w, kind)
			return "", false
		}
	}
	return f, f != ""
}

// lexiconValues reads the values of a list that maps words to values, in
// the order written.
func (p *fileParser) lexiconValues(e entry, v *yaml.Node, kind lexiconKind) []LexiconValue {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		p.add(v, e.id, "values must be a mapping of words to values ({million: 1e6})")
		return nil
	}
	var out []LexiconValue
	seen := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode || isNull(val) {
			p.add(k, e.id, "values: each entry must be a word and a value")
			continue
		}
		w, ok := p.lexiconWord(e, k, kind, k.Value)
		if !ok {
			continue
		}
		if line, dup := seen[w]; dup {
			p.add(k, e.id, "values: %q repeated (first at line %d)", k.Value, line)
			continue
		}
		seen[w] = k.Line
		if msg := checkLexiconValue(kind, val.Value); msg != "" {
			p.add(val, e.id, "value %q of %q %s", val.Value, k.Value, msg)
			continue
		}
		out = append(out, LexiconValue{Word: w, Value: val.Value})
	}
	return out
}

// checkLexiconValue says what is wrong with a value of a list of kind, or
// returns "".
func checkLexiconValue(kind lexiconKind, v string) string {
	switch kind {
	case lexNumbers:
		if f, err := strconv.ParseFloat(v, 64); err != nil || f <= 0 {
			return "is not a positive number"
		}
	case lexCurrencies:
		if !currencyCodeRE.MatchString(v) {
			return "is not an ISO 4217 currency code (three capitals, such as USD)"
		}
	case lexActorKinds:
		if !slices.Contains(actorKinds, v) {
			return fmt.Sprintf("is not one of %s", strings.Join(actorKinds, ", "))
		}
	case lexUnits:
		if !unitRE.MatchString(v) {
			return "is not a unit (letters only, such as GB)"
		}
	}
	return ""
}

// mergeLexicon merges the lexicon sections of packs in order: a list
// replaces the earlier list of its id where it stands, or, with extend,
// adds its entries to it.
func mergeLexicon(packs []*Pack) []LexiconList {
	var out []LexiconList
	at := map[string]int{}
	for _, p := range packs {
		if p == nil {
			continue
		}
		for _, l := range p.Lexicon {
			j, ok := at[l.ID]
			switch {
			case !ok || l.ID == "":
				if l.ID != "" {
					at[l.ID] = len(out)
				}
				l.Words = slices.Clone(l.Words)
				l.Values = slices.Clone(l.Values)
				out = append(out, l)
			case l.Extend:
				prev := &out[j]
				prev.Words = append(prev.Words, l.Words...)
				prev.Values = append(prev.Values, l.Values...)
			default:
				l.Words = slices.Clone(l.Words)
				l.Values = slices.Clone(l.Values)
				out[j] = l
			}
		}
	}
	return out
}

// Words returns the entries of the lexicon list id, folded; none when the
// rules in force do not have it.
func (s *Set) Words(id string) []string {
	for i := range s.Lexicon {
		if s.Lexicon[i].ID == id {
			return s.Lexicon[i].Words
		}
	}
	return nil
}

// Values returns the entries of the lexicon list id that maps words to
// values, in the order loaded; a word given twice keeps its last value.
func (s *Set) Values(id string) []LexiconValue {
	for i := range s.Lexicon {
		if s.Lexicon[i].ID == id {
			return s.Lexicon[i].Values
		}
	}
	return nil
}

// WordSet returns the entries of the lexicon list id as a set, for
// lookups.
func (s *Set) WordSet(id string) map[string]bool {
	words := s.Words(id)
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return set
}

// ValueMap returns the entries of the lexicon list id that maps words to
// values as a map; a word given twice keeps its last value.
func (s *Set) ValueMap(id string) map[string]string {
	values := s.Values(id)
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[v.Word] = v.Value
	}
	return m
}
