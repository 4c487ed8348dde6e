package match

import (
	"maps"
	"slices"

	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/pattern"
)

// Capture is what a pattern's slot matched: the tokens [Start, End) of a
// sentence. The first Capture of a match marks where the match starts and
// has no Slot.
type Capture struct {
	Slot       string
	Start, End int
	Mention    *Mention // the dictionary entry the slot matched, if any
	Generic    bool     // a state's institutions named without a name
}

// Pattern is a pattern rule compiled with what a sentence must contain for
// it to match, so that most sentences are ruled out before any matching:
// each set in required must share a word with the sentence, and a match can
// only start at a token in first (nil: anywhere).
type Pattern struct {
	Rule     *rules.PatternRule
	required [][]string // sets of words, each a slice: ranging over it is cheaper than over a map
	first    map[string]bool
}

func compile(r *rules.PatternRule) *Pattern {
	c := &Pattern{Rule: r, first: firstWords(r.Items, 0)}
	for _, it := range r.Items {
		if set := requiredWords(it); set != nil {
			c.required = append(c.required, slices.Sorted(maps.Keys(set)))
		}
	}
	return c
}

// requiredWords returns the words of which one must be in any sentence the
// item matches, or nil when it cannot tell.
func requiredWords(it pattern.Item) map[string]bool {
	switch it.Kind {
	case pattern.ItemWord:
		if it.Pre || it.Word == "^" {
			return nil
		}
		return map[string]bool{it.Word: true}
	case pattern.ItemAlt:
		set := map[string]bool{}
		for _, alt := range it.Alts {
			if len(alt) == 0 || alt[0].Kind != pattern.ItemWord || alt[0].Pre || alt[0].Word == "^" {
				return nil
			}
			set[alt[0].Word] = true
		}
		return set
	}
	return nil
}

// firstWords returns the words a match of items[k:] can start with, or nil
// when it can start with anything.
func firstWords(items []pattern.Item, k int) map[string]bool {
	if k >= len(items) {
		return nil
	}
	it := items[k]
	switch it.Kind {
	case pattern.ItemWord:
		if it.Word == "^" {
			return firstWords(items, k+1)
		}
		if it.Pre {
			return nil
		}
		return map[string]bool{it.Word: true}
	case pattern.ItemAlt, pattern.ItemOpt:
		set := map[string]bool{}
		for _, alt := range it.Alts {
			w := firstWords(alt, 0)
			if w == nil {
				return nil
			}
			for k := range w {
				set[k] = true
			}
		}
		if it.Kind == pattern.ItemOpt {
			rest := firstWords(items, k+1)
			if rest == nil {
				return nil
			}
			for k := range rest {
				set[k] = true
			}
		}
		return set
	}
	return nil
}

// possible reports whether the sentence, as a set of lower-case words, has
// what the pattern requires.
func (c *Pattern) possible(words map[string]bool) bool {
	for _, set := range c.required {
		if !slices.ContainsFunc(set, func(w string) bool { return words[w] }) {
			return false
		}
	}
	return true
}

// Scan is the matching of patterns in one sentence. Build it with
// Matcher.Scan; it is not safe for concurrent use.
type Scan struct {
	m        *Matcher
	s        *nlp.Sentence
	mentions []Mention       // dictionary mentions in this sentence
	words    map[string]bool // the sentence's lower-case words, built on first use
	title    bool            // matching a headline, where a comma also starts a clause
	tagger   *nlp.Tagger     // tags the sentence for <TAG> items; nil: no tags
}

// Match returns every match of p in the sentence, leftmost first, each as
// its captures (the first marks where the match starts). Sentences that
// lack the pattern's required words are skipped at once.
func (c *Scan) Match(p *Pattern) [][]Capture {
	if c.words == nil {
		c.words = make(map[string]bool, len(c.s.Tokens))
		for _, t := range c.s.Tokens {
			c.words[t.Lower] = true
		}
	}
	if !p.possible(c.words) {
		return nil
	}
	return c.matchFrom(p.Rule.Items, p.first)
}

// matchFrom reports every match of items in the sentence, leftmost first,
// with the captures of each (the first marks where the match starts);
// overlapping matches after the first at a start are not reported. A match
// starts only at a token in first, when first is not nil.
func (c *Scan) matchFrom(items []pattern.Item, first map[string]bool) [][]Capture {
	var out [][]Capture
	n := len(c.s.Tokens)
	for start := 0; start < n; start++ {
		if first != nil && !first[c.s.Tokens[start].Lower] {
			continue
		}
		var got []Capture
		end := -1
		// the first Capture marks where the match starts
		c.seq(items, 0, start, []Capture{{Start: start, End: start}}, func(e int, captures []Capture) bool {
			got = append([]Capture(nil), captures...)
			end = e
			return true
		})
		if end >= 0 {
			out = append(out, got)
			if end > start {
				start = end - 1
			}
		}
	}
	return out
}

// seq matches items[k:] at token pos; k is called with the end position and
// captures of each way to match, until it returns true.
func (c *Scan) seq(items []pattern.Item, k, pos int, captures []Capture, cont func(int, []Capture) bool) bool {
	if k == len(items) {
		return cont(pos, captures)
	}
	it := &items[k]
	toks := c.s.Tokens
	next := func(p int, cs []Capture) bool { return c.seq(items, k+1, p, cs, cont) }
	switch it.Kind {
	case pattern.ItemWord:
		if it.Word == "^" {
			// the start of the text or of a clause: a headline's subject
			if pos == 0 || clauseSeparator(toks[pos-1].Text) || c.title && toks[pos-1].Text == "," {
				return next(pos, captures)
			}
			return false
		}
		if pos >= len(toks) {
			return false
		}
		if it.MatchWord(toks[pos].Lower) {
			return next(pos+1, captures)
		}
		return false
	case pattern.ItemAlt, pattern.ItemOpt:
		for _, alt := range it.Alts {
			if c.seq(alt, 0, pos, captures, next) {
				return true
			}
		}
		if it.Kind == pattern.ItemOpt {
			return next(pos, captures)
		}
		return false
	case pattern.ItemTag:
		if pos >= len(toks) {
			return false
		}
		if c.tagger != nil {
			c.tagger.Tag(c.s)
		}
		if it.MatchTag(toks[pos].Tag) {
			return next(pos+1, captures)
		}
		return false
	case pattern.ItemGap:
		for g := 0; g <= it.Max && pos+g <= len(toks); g++ {
			if next(pos+g, captures) {
				return true
			}
		}
		return false
	case pattern.ItemSlot:
		for _, sp := range c.slotSpans(it.Slot, pos) {
			withSlot := append(captures, Capture{Slot: it.Slot, Start: pos, End: sp.End, Mention: sp.Mention, Generic: sp.Generic})
			if next(sp.End, withSlot) {
				return true
			}
		}
		return false
	}
	return false
}

type slotSpan struct {
	End     int
	Mention *Mention
	Generic bool // "government institutions": the state of the article's country
}

// governmentCollective returns how many tokens at pos spell a phrase news
// uses for a state's institutions without naming them ("government
// institutions", "public agencies"), or 0.
func (m *Matcher) governmentCollective(toks []nlp.Token, pos int) int {
	best := 0
	for _, words := range m.lex.governmentCollectives {
		if len(words) > best && nlp.LowerWordsAt(toks, pos, words) {
			best = len(words)
		}
	}
	return best
}

// slotSpans lists the ways a slot can match at pos, longest first.
func (c *Scan) slotSpans(slot string, pos int) []slotSpan {
	toks := c.s.Tokens
	if pos >= len(toks) {
		return nil
	}
	var out []slotSpan
	switch slot {
	case pattern.SlotTool:
		for i := range c.mentions {
			m := &c.mentions[i]
			if m.Start == pos && m.Section == SectionTool {
				out = append(out, slotSpan{End: m.End, Mention: m})
			}
		}
		if IsCVE(toks[pos].Text) {
			out = append(out, slotSpan{End: pos + 1, Mention: nil})
		}
	case pattern.SlotActor:
		for i := range c.mentions {
			m := &c.mentions[i]
			if m.Start == pos && (m.Section == SectionActor || m.Section == SectionTool && m.Entity.Actor) {
				out = append(out, slotSpan{End: m.End, Mention: m})
			}
		}
		for _, e := range c.m.NameSpans(toks, pos) {
			out = append(out, slotSpan{End: e, Mention: nil})
		}
		if e := quotedName(toks, pos); e > 0 {
			out = append(out, slotSpan{End: e, Mention: nil})
		}
	case pattern.SlotVictim, pattern.SlotOrg:
		for i := range c.mentions {
			m := &c.mentions[i]
			if m.Start == pos {
				out = append(out, slotSpan{End: m.End, Mention: m})
			}
		}
		if n := c.m.governmentCollective(toks, pos); n > 0 {
			out = append(out, slotSpan{End: pos + n, Generic: true})
		}
		if end := c.OrgName(pos); end > pos {
			out = append(out, slotSpan{End: end, Mention: nil})
		}
	case pattern.SlotNumber:
		if _, n := c.m.ParseNumber(toks, pos); n > 0 {
			out = append(out, slotSpan{End: pos + n, Mention: nil})
		}
	case pattern.SlotMoney:
		if _, _, n := c.m.ParseMoney(toks, pos); n > 0 {
			out = append(out, slotSpan{End: pos + n, Mention: nil})
		}
	}
	return out
}

// OrgName returns the end of the organisation's name that starts at token
// pos, as a {victim} slot reads it, or pos when none starts there: the
// whole capitalised run only (a shorter prefix is not the organisation:
// "North" of "North Korea"), cut before a dictionary entry or a country a
// connector joined to it, and extended over an institution word ("the
// Costa Rican government").
func (c *Scan) OrgName(pos int) int {
	toks := c.s.Tokens
	ends := c.m.NameSpans(toks, pos)
	if len(ends) == 0 {
		return pos
	}
	end := c.cutAtMention(pos, ends[0])
	if end <= pos {
		return pos
	}
	return c.m.InstitutionAfter(toks, end)
}

// cutAtMention ends a name before a dictionary entry or a country that a
// connector joined to it: "North Korea for WannaCry" is "North Korea",
// "Singtel and US law firm Jones Day" starts with "Singtel".
func (c *Scan) cutAtMention(pos, end int) int {
	for _, m := range c.mentions {
		if m.Start > pos && m.Start < end {
			end = m.Start
		}
	}
	toks := c.s.Tokens
	for k := pos + 1; k < end; k++ {
		if c.m.lex.connectors[toks[k-1].Lower] && c.m.dict.country(toks, k, 1) != "" {
			end = k
			break
		}
	}
	for end > pos && c.m.lex.connectors[c.s.Tokens[end-1].Lower] {
		end--
	}
	return end
}
