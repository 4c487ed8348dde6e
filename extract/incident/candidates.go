package incident

import (
	"math"
	"strings"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
)

// candidate is a name the text gives that may be a victim: an
// organisation-like run of capitalised words, an acronym, a name with
// digits, with the forms and places the text uses for it.
type candidate struct {
	name     string
	aliases  []string
	mentions []mention
	victim   *victim // the victim a rule found under this name, if any
	features map[string]float64
	score    float64
}

// mention is one place a candidate is named: the tokens [start, end) of
// sentence sent, or of the headline when sent is headlineSent.
type mention struct {
	sent, start, end int
}

// headlineSent stands for the headline where a sentence index is expected.
const headlineSent = -1

// sentence returns sentence si of the text, or the headline.
func (t *text) sentence(si int) *nlp.Sentence {
	if si == headlineSent {
		return &t.headline
	}
	return &t.sents[si]
}

// scoreVictims scores every victim candidate of the text with the rule
// set's victim model and adds those that reach its threshold to the
// victims the rules found; every victim gets its score as confidence.
// Without a model the victims stay those the rules found.
func (f *Finder) scoreVictims(t *text, victims *victimList, excluded, sources nameSet) {
	model := f.victimModel
	if model == nil {
		return
	}
	cands := f.victimCandidates(t, victims, excluded, sources)
	for _, c := range cands {
		f.victimFeatures(t, c)
		c.score = model.score(c.features)
		if c.score >= model.threshold && c.victim == nil && f.personCheck(t, c) {
			// The check for a person's name runs prose's entity model,
			// so only for a candidate that would be kept.
			c.features["person"] = 1
			c.score = model.score(c.features)
		}
		switch {
		case c.victim != nil:
			c.victim.confidence = c.score
		case c.score >= model.threshold:
			m := c.mentions[0]
			if m.sent == headlineSent {
				m = c.firstInText()
			}
			if m.sent == headlineSent {
				continue // a victim must be named in the text
			}
			v := victims.add(t, c.name, m.sent, m.start, "victim.score")
			for _, a := range c.aliases {
				victims.addName(v, a)
			}
			v.confidence = c.score
		}
	}
}

// firstInText is the candidate's first mention outside the headline, or a
// headline mention when it has none.
func (c *candidate) firstInText() mention {
	for _, m := range c.mentions {
		if m.sent != headlineSent {
			return m
		}
	}
	return c.mentions[0]
}

// victimCandidates lists the names of the headline and the text that may
// be victims, merged by organisation (an acronym with its long form, a
// distinctive word with the whole name), and the victims the rules found.
// A name is left out when it can never be a victim: a dictionary entry, a
// source, a responder, a country, a generic word, the site itself.
func (f *Finder) victimCandidates(t *text, victims *victimList, excluded, sources nameSet) []*candidate {
	var out []*candidate
	site := match.NormName(t.article.Site)
	add := func(name string, m mention) {
		key := match.NormName(name)
		if key == "" || key == site || excluded[key] || sources[key] || f.lex.genericOrgWords[key] || f.isCountry(name) {
			return
		}
		for _, c := range out {
			if f.names.same(c.name, name) || f.names.anyOf(c.aliases, name) {
				c.mentions = append(c.mentions, m)
				if name != c.name && !f.names.anyOf(c.aliases, name) {
					c.aliases = append(c.aliases, name)
				}
				return
			}
		}
		out = append(out, &candidate{name: name, mentions: []mention{m}})
	}
	for si := headlineSent; si < len(t.sents); si++ {
		s := t.sentence(si)
		ments := t.headlineMentions
		if si != headlineSent {
			ments = t.mentions[si]
		}
		sc := f.match.Scan(s, ments, si == headlineSent)
		toks := s.Tokens
		for i := 0; i < len(toks); i++ {
			if !toks[i].Capital() && !startsWithDigit(toks[i].Text) {
				continue
			}
			if i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1) {
				continue // inside a longer name
			}
			if mentionAt(ments, i) {
				continue
			}
			end := sc.OrgName(i)
			if end <= i {
				continue
			}
			add(cleanName(s.Text[toks[i].Start:toks[end-1].Start+len(toks[end-1].Text)]), mention{si, i, end})
			i = end - 1
		}
	}
	// The victims the rules found are candidates too, scored the same way.
	for _, v := range victims.list {
		var c *candidate
		for _, cand := range out {
			if f.names.same(cand.name, v.name) || f.names.anyOf(v.aliases, cand.name) {
				c = cand
				break
			}
		}
		if c == nil {
			c = &candidate{name: v.name}
			for si, tok := range v.at {
				if tok >= 0 {
					c.mentions = append(c.mentions, mention{si, tok, tok + len(nlp.Words(v.name))})
				}
			}
			if len(c.mentions) == 0 {
				for si := range v.at {
					c.mentions = append(c.mentions, mention{si, 0, 0})
				}
			}
			out = append(out, c)
		}
		c.victim = v
	}
	return out
}

// mentionAt reports whether a dictionary mention starts at token i.
func mentionAt(ments []match.Mention, i int) bool {
	for _, m := range ments {
		if m.Start == i {
			return true
		}
	}
	return false
}

// startsWithDigit reports whether a token is a name that starts with a
// digit and holds a capital ("23andMe", "3M").
func startsWithDigit(s string) bool {
	return len(s) > 1 && s[0] >= '0' && s[0] <= '9' && strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) > 0
}

// victimFeatures computes the features of rules.VictimFeatures for a
// candidate, all but "person", which is asked only when it matters.
func (f *Finder) victimFeatures(t *text, c *candidate) {
	x := map[string]float64{}
	if v := c.victim; v != nil {
		if v.textHits > 0 {
			x["pattern"] = 1
		}
		if v.headlineHit {
			x["headline_pattern"] = 1
		}
	}
	sents := map[int]bool{}
	onlyStart := true
	for _, m := range c.mentions {
		s := t.sentence(m.sent)
		toks := s.Tokens
		if m.sent == headlineSent {
			x["headline"] = 1
		} else {
			sents[m.sent] = true
			if m.sent < 2 {
				x["lead"] = 1
			}
		}
		if m.start != 0 || m.end-m.start > 1 {
			onlyStart = false
		}
		if m.end <= m.start {
			continue
		}
		if f.aboutAttack(s) {
			x["attack_sentence"] = 1
		}
		if f.attackInClause(toks, m.start, m.end) {
			x["attack_clause"] = 1
		}
		if f.passiveHit(toks, m.end) {
			x["passive_hit"] = 1
		}
		if f.attackOn(toks, m.start) {
			x["attack_on"] = 1
		}
		if f.possessor(toks, m.end) {
			x["possessor"] = 1
		}
		if f.responds(toks, m.end) {
			x["response"] = 1
		}
		if m.sent != headlineSent && (f.describedAsOrg(t, m.sent, m.start) || f.appositiveSector(toks, m.end)) {
			x["described"] = 1
		}
		if f.vendorNamed(toks, m.start, m.end) {
			x["vendor"] = 1
		}
	}
	if first := f.firstHeadlineName(t); first != "" && (f.names.same(first, c.name) || f.names.anyOf(c.aliases, first)) {
		x["headline_first"] = 1
	}
	x["mentions"] = math.Log2(1 + float64(len(sents)))
	words := strings.Fields(c.name)
	for _, w := range strings.Fields(match.NormName(c.name)) {
		if f.lex.orgSuffixes[w] || f.lex.genericOrgWords[w] {
			x["org_word"] = 1
		}
	}
	if f.sectorOf(nlp.Tokenize(c.name)) != "" {
		x["org_word"] = 1
	}
	if len(words) == 1 {
		x["single_word"] = 1
		if isAcronym(words[0]) {
			x["acronym"] = 1
		}
	}
	if onlyStart && len(words) == 1 {
		x["sentence_start"] = 1
	}
	c.features = x
}

// personCheck reports whether a candidate is a person's name, as rule
// victims are checked (see looksLikePerson), at its first mention in the
// text.
func (f *Finder) personCheck(t *text, c *candidate) bool {
	m := c.firstInText()
	if m.sent == headlineSent || f.describedAsOrg(t, m.sent, m.start) {
		return false
	}
	return f.looksLikePerson(t, m.sent, c.name)
}

// firstHeadlineName is the first organisation-like name of the headline,
// or "".
func (f *Finder) firstHeadlineName(t *text) string {
	if t.firstHeadline == nil {
		name := ""
		sc := f.match.Scan(&t.headline, t.headlineMentions, true)
		toks := t.headline.Tokens
		for i := range toks {
			if !toks[i].Capital() || f.match.NotName(toks[i].Lower) {
				continue
			}
			if end := sc.OrgName(i); end > i {
				name = cleanName(t.headline.Text[toks[i].Start : toks[end-1].Start+len(toks[end-1].Text)])
				break
			}
		}
		t.firstHeadline = &name
	}
	return *t.firstHeadline
}

// attackInClause reports whether an attack word shares a clause with the
// name at [start, end): no comma, semicolon, dash or bracket between them,
// and at most ten tokens apart.
func (f *Finder) attackInClause(toks []nlp.Token, start, end int) bool {
	for k := max(0, start-10); k < min(len(toks), end+10); k++ {
		if k >= start && k < end || !f.isAttackWord(toks[k].Lower) {
			continue
		}
		lo, hi := min(k, start), max(k, end)
		if clauseBreaks(toks, lo, hi) == 0 {
			return true
		}
	}
	return false
}

// isAttackWord reports whether a lower-case word begins with an attack
// word ("hacked", "ransomware").
func (f *Finder) isAttackWord(w string) bool {
	for _, a := range f.lex.attackWords {
		if strings.HasPrefix(w, a) {
			return true
		}
	}
	return false
}

// passiveHit reports whether the words after a name make it the passive
// subject of an attack verb: "X was hit", "X has been breached", "X,
// which was hacked" is not read.
func (f *Finder) passiveHit(toks []nlp.Token, end int) bool {
	aux := 0
	for k := end; k < len(toks) && k < end+5; k++ {
		w := toks[k].Lower
		switch w {
		case "was", "were", "has", "have", "had", "been", "is", "are", "being", "be", "got", "gets", "get":
			aux++
			continue
		case "also", "reportedly", "recently", "apparently", "allegedly", "badly", "severely", "itself", "not":
			continue
		}
		return aux > 0 && f.lex.hitVerbs[w]
	}
	return false
}

// attackOn reports whether the words before a name make it the object of
// an attack noun: "a ransomware attack on X", "the breach at X".
func (f *Finder) attackOn(toks []nlp.Token, start int) bool {
	k := start - 1
	if k >= 0 && toks[k].Lower == "the" {
		k--
	}
	if k < 0 || !f.lex.attackPrepositions[toks[k].Lower] {
		return false
	}
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if f.lex.attackNouns[toks[j].Lower] {
			return true
		}
	}
	return false
}

// possessor reports whether a name owns what an attack reaches: "X's
// systems", "X's customer data".
func (f *Finder) possessor(toks []nlp.Token, end int) bool {
	if end >= len(toks) || toks[end].Lower != "'s" {
		return false
	}
	for k := end + 1; k < len(toks) && k <= end+3; k++ {
		if f.lex.victimAssets[toks[k].Lower] {
			return true
		}
	}
	return false
}

// responds reports whether a name is the subject of a victim's response:
// "X said", "X has confirmed", "X paid".
func (f *Finder) responds(toks []nlp.Token, end int) bool {
	for k := end; k < len(toks) && k < end+3; k++ {
		w := toks[k].Lower
		if f.lex.responseVerbs[w] {
			return true
		}
		switch w {
		case "has", "have", "had", "also", "later", "previously", "is", "was":
			continue
		}
		return false
	}
	return false
}

// appositiveSector reports whether an appositive after a name puts it in
// a sector: "Paybridge, a payroll provider,".
func (f *Finder) appositiveSector(toks []nlp.Token, end int) bool {
	if end >= len(toks) || toks[end].Text != "," {
		return false
	}
	hi := end + 1
	for hi < len(toks) && hi-end < 10 && toks[hi].Text != "," && toks[hi].Text != "." {
		hi++
	}
	return f.sectorOf(toks[end+1:hi]) != ""
}

// vendorNamed reports whether a name is given as a security firm or its
// researchers: "researchers at X", "X analysts".
func (f *Finder) vendorNamed(toks []nlp.Token, start, end int) bool {
	for _, words := range f.lex.vendorBefore {
		if start-len(words) >= 0 && wordsFrom(toks, start-len(words), words) {
			return true
		}
	}
	return end < len(toks) && f.lex.vendorAfter[toks[end].Lower]
}

// model is a scoring model ready to score.
type model struct {
	bias, threshold float64
	features        []string // the role's features, in a fixed order
	weights         []float64
}

func newModel(sc *rules.Scoring, features []string) *model {
	if sc == nil {
		return nil
	}
	m := &model{bias: sc.Bias, threshold: sc.Threshold, features: features, weights: make([]float64, len(features))}
	for _, w := range sc.Weights {
		for i, f := range features {
			if f == w.Feature {
				m.weights[i] = w.Value
			}
		}
	}
	return m
}

// score is the logistic function of the bias plus the weighted features,
// summed in a fixed order so that a score is the same in every run.
func (m *model) score(x map[string]float64) float64 {
	z := m.bias
	for i, f := range m.features {
		z += m.weights[i] * x[f]
	}
	return 1 / (1 + math.Exp(-z))
}

// Candidate is a victim candidate of an article as the victim model sees
// it: its names and its features (rules.VictimFeatures, all computed).
type Candidate struct {
	Name     string
	Aliases  []string
	Features map[string]float64
}

// VictimCandidates returns the victim candidates of an article with all
// their features, for fitting the victim model on labelled pages ("incidex
// rules fit"). It runs the stages Find runs before scoring.
func (f *Finder) VictimCandidates(a *article.Article) []Candidate {
	t := f.read(a)
	screen := f.screen(t)
	facts := f.readFacts(t, screen)
	f.headlineVictims(t, facts.victims, facts.excluded)
	var out []Candidate
	for _, c := range f.victimCandidates(t, facts.victims, facts.excluded, screen.sources) {
		f.victimFeatures(t, c)
		if c.victim == nil && f.personCheck(t, c) {
			c.features["person"] = 1
		}
		aliases := c.aliases
		if c.victim != nil {
			aliases = append(append([]string(nil), aliases...), c.victim.aliases...)
		}
		out = append(out, Candidate{Name: c.name, Aliases: aliases, Features: c.features})
	}
	return out
}
