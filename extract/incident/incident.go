package incident

import (
	"context"
	"sort"
	"unicode/utf8"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/indicator"
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// Finder finds the incidents an article reports. Build it once with New
// and reuse it: it holds the compiled dictionaries, patterns and lexicon
// and the (lazily loaded) prose model. It is safe for concurrent use.
type Finder struct {
	match    *match.Matcher
	splitter *nlp.Splitter
	tagger   *nlp.Tagger
	sectors  []sectorKeyword // longest first
	// sectorsByFirst indexes sectors by their first word, in the same
	// order.
	sectorsByFirst map[string][]int
	lex            lexicon
	names          orgNames

	// actorEntries are the actors' dictionary entries by normalised
	// name, for the crew behind a ransomware brand; orgEntries the
	// responders' by name and alias, for a vendor or agency that is itself
	// attacked.
	actorEntries, orgEntries map[string]*rules.Entity
	indicators               *indicator.Finder

	victimModel *model // nil: victims are the rules' alone
	actorModel  *model // nil: every actor the rules find is kept
}

// entriesByName indexes entries by their normalised name and, with
// aliases, their aliases' (the first entry wins a name two share). Entries
// named by a regex have no fixed name.
func entriesByName(list []rules.Entity, aliases bool) map[string]*rules.Entity {
	out := map[string]*rules.Entity{}
	for i := range list {
		e := &list[i]
		if e.Regex != "" {
			continue
		}
		names := []string{e.Name}
		if aliases {
			names = append(names, e.Aliases...)
		}
		for _, n := range names {
			if k := match.NormName(n); out[k] == nil {
				out[k] = e
			}
		}
	}
	return out
}

// sectorKeyword is a keyword of a sector of the rules, as lower-case words.
type sectorKeyword struct {
	words  []string
	sector string
}

// New compiles a rule set into a Finder.
func New(set *rules.Set) *Finder {
	tagger := &nlp.Tagger{}
	f := &Finder{
		match:    match.New(set, tagger),
		splitter: nlp.NewSplitter(set.Words(rules.LexAbbreviations)),
		tagger:   tagger,
		lex:      newLexicon(set),
	}
	f.names = orgNames{generic: f.lex.genericOrgWords}
	f.actorEntries = entriesByName(set.Actors, false)
	f.orgEntries = entriesByName(set.Responders, true)
	f.indicators = indicator.New(indicator.Words{
		Cues:           set.Words(rules.LexIndicatorCues),
		AddressCues:    set.Words(rules.LexAddressCues),
		VersionWords:   set.Words(rules.LexVersionWords),
		FileExtensions: set.Words(rules.LexFileExtensions),
	})
	f.victimModel = newModel(set.Model("victim"), rules.VictimFeatures)
	f.actorModel = newModel(set.Model("actor"), rules.ActorFeatures)
	for _, s := range set.Sectors {
		for _, kw := range s.Keywords {
			if w := nlp.LowerWords(kw); len(w) > 0 {
				f.sectors = append(f.sectors, sectorKeyword{w, s.Sector})
			}
		}
	}
	// longest keywords first, so "health insurer" beats "health"
	sort.SliceStable(f.sectors, func(i, j int) bool { return len(f.sectors[i].words) > len(f.sectors[j].words) })
	f.sectorsByFirst = make(map[string][]int)
	for i, kw := range f.sectors {
		f.sectorsByFirst[kw.words[0]] = append(f.sectorsByFirst[kw.words[0]], i)
	}
	return f
}

// Preload starts loading the part-of-speech model in the background, so that
// the first article that needs it does not wait for all of it.
func (f *Finder) Preload() { f.tagger.Preload() }

// Find returns the incidents an article reports, in the order their
// victims first appear; none (an empty, non-nil list) for an article about
// no specific attack.
//
// It runs in stages, each given what it reads as arguments and returning
// what it finds; only the three victim stages (6, 7 and 8) add to the
// victim list they are handed, in that order:
//
//  1. read: sentences, tokens and the dictionary entries each names;
//  2. aboutIncident: the document decision; an article whose headline and
//     opening speak of no attack, or whose headline is a survey's, a
//     guide's or a business story's, yields no incident and stops here;
//  3. screen: the names that can never be victims (every dictionary name,
//     the responders that responder rules find) and the sources that
//     not-victim rules find, over the whole text first, so that an agency
//     named in the last paragraph is not a victim in the first;
//  4. readFacts: the victim, actor, status and impact rules, sentence by
//     sentence;
//  5. collectDictionary: the actors, tooling and responders that the
//     dictionaries name, and CVE ids;
//  6. headlineVictims: the victims the headline names;
//  7. scoreVictims: every name that may be a victim, scored by the victim
//     model; those it keeps join the victims the rules found;
//  8. locateVictims: every sentence that names each victim, and its full
//     name;
//  9. assemble: victims grouped into incidents, every other fact tied to
//     the victim named nearest to it, each actor scored by the actor
//     model;
//  10. indicators: the addresses, domains, hashes and the like each
//     sentence gives, tied to the incidents whose sentences give them.
func (f *Finder) Find(a *article.Article) []record.Incident {
	found, _ := f.FindContext(context.Background(), a)
	return found.Incidents
}

// Findings are what FindContext reads in an article.
type Findings struct {
	Incidents []record.Incident
	// Indicators are the article's indicators that no incident took;
	// IndicatorsOmitted how many more there were than the 1000 kept.
	Indicators        []record.Indicator
	IndicatorsOmitted int
}

// FindContext is Find for work that may be abandoned: once ctx ends, the
// stages stop at their next check (between stages, and every 256
// sentences within the long ones) and it returns ctx's error, with
// incidents that must not be used. A batch that gives up on a page at its
// time limit so gets its worker's CPU and memory back soon.
func (f *Finder) FindContext(ctx context.Context, a *article.Article) (Findings, error) {
	t := f.read(a)
	t.ctx = ctx
	incs := []record.Incident{}
	var starts []map[int]bool
	if f.aboutIncident(t) {
		screen, facts, found := f.gather(t)
		if err := ctx.Err(); err != nil {
			return Findings{}, err
		}
		f.scoreVictims(t, facts.victims, facts.excluded, screen.sources)
		if err := ctx.Err(); err != nil {
			return Findings{}, err
		}
		f.locateVictims(t, facts.victims, facts.excluded)
		incs, starts = f.assemble(t, facts.victims, found, facts.attempts, facts.impacts)
	}
	rest, omitted := f.attachIndicators(t, incs, starts)
	return Findings{Incidents: incs, Indicators: rest, IndicatorsOmitted: omitted}, ctx.Err()
}

// gather runs the stages that read the text before the victim model
// (screen, readFacts, collectDictionary, headlineVictims), for Find and for
// Candidates alike.
func (f *Finder) gather(t *text) (screening, facts, found) {
	screen := f.screen(t)
	fs := f.readFacts(t, screen)
	found := f.collectDictionary(t, fs.actors, screen.responders)
	f.headlineVictims(t, fs.victims, fs.excluded)
	return screen, fs, found
}

// text is an article read for incident finding: its sentences and the
// dictionary mentions of each. The stages read it and do not change it,
// except that the tagger adds part-of-speech tags to the sentences that
// need them.
type text struct {
	article          *article.Article
	sents            []nlp.Sentence
	mentions         [][]match.Mention // by sentence
	headline         nlp.Sentence
	headlineMentions []match.Mention
	firstHeadline    *string // the headline's first name, once found
	// surnames holds, once asked, each word the text uses as a surname
	// ("Dr Achebe", "Achebe said") with up to two of the words before it.
	surnames map[string][]string
	// ctx, when set, ends the work of an abandoned Find (see stopped).
	ctx context.Context
	// naming holds, once asked, the first sentences that name a name
	// (namingSentences); cases how the text writes a word (wordCase).
	naming map[string][]int
	cases  map[string]int
	// aliasSites holds, once asked, where the text gives a name another.
	aliasSites *[]aliasSite
	// wordPlaces holds, once asked, the places of each word as written.
	wordPlaces map[string][]place
}

// read splits the article into sentences and finds the dictionary entries
// each names.
func (f *Finder) read(a *article.Article) *text {
	t := &text{article: a, sents: f.splitter.Split(a.Paragraphs)}
	t.mentions = make([][]match.Mention, len(t.sents))
	for i := range t.sents {
		t.mentions[i] = f.match.Mentions(&t.sents[i], i)
	}
	t.headline = nlp.Sentence{Text: a.Title, Tokens: nlp.Tokenize(a.Title)}
	t.headlineMentions = f.match.Mentions(&t.headline, -1)
	return t
}

// stopped reports, every 256th i, whether the work on the text was
// abandoned (FindContext): the long loops over sentences ask it so that
// they end soon after.
func (t *text) stopped(i int) bool {
	return t.ctx != nil && i&255 == 0 && t.ctx.Err() != nil
}

// maxEvidenceText is the longest evidence text, in bytes: a "sentence" of
// a page without punctuation can be the whole page, and a record holds it
// many times. Start and End still span the whole sentence.
const maxEvidenceText = 1000

// evidence is sentence si as the evidence of a rule, its text cut at
// maxEvidenceText (at a character boundary, with "…").
func (t *text) evidence(si int, rule string) record.Evidence {
	s := &t.sents[si]
	text := s.Text
	if len(text) > maxEvidenceText {
		cut := maxEvidenceText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	return record.Evidence{Rule: rule, Text: text, Start: s.Start, End: s.End}
}

// span is the text of the tokens [start, end) of sentence si (or of the
// headline, headlineSent).
func (t *text) span(si, start, end int) string {
	return spanText(t.sentence(si), start, end)
}

// spanText is the text of the tokens [start, end) of s.
func spanText(s *nlp.Sentence, start, end int) string {
	if start >= end {
		return ""
	}
	toks := s.Tokens
	return s.Text[toks[start].Start : toks[end-1].Start+len(toks[end-1].Text)]
}

// place is a token of a sentence: where a fact was read, so that it can be
// tied to the victim named nearest to it.
type place struct{ sent, tok int }

// nameSet holds names by their comparison key (match.NormName).
type nameSet map[string]bool

func (s nameSet) clone() nameSet {
	out := make(nameSet, len(s))
	for k := range s {
		out[k] = true
	}
	return out
}
