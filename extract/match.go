package extract

import (
	"strconv"
	"strings"

	"github.com/incidex/incidex/rules"
)

// span is a captured slot: the tokens [start, end) of a sentence.
type capture struct {
	slot       string
	start, end int
	ment       *mention // the dictionary entry the slot matched, if any
	generic    bool     // a state's institutions named without a name
}

// matchCtx is the state of matching one sentence.
type matchCtx struct {
	s     *sentence
	ments []mention // dictionary mentions in this sentence
	dict  *dictionary
	words map[string]bool // the sentence's lower-case words, built on first use
	title bool            // matching a headline, where a comma also starts a clause
	tag   func(*sentence)
}

// matchCompiled matches a compiled pattern, skipping sentences that lack its
// required words and start positions it cannot start at.
func (c *matchCtx) matchCompiled(p *compiled) [][]capture {
	if c.words == nil {
		c.words = make(map[string]bool, len(c.s.Tokens))
		for _, t := range c.s.Tokens {
			c.words[t.Lower] = true
		}
	}
	if !p.possible(c.words) {
		return nil
	}
	return c.matchFrom(p.rule.Items, p.first)
}

// matchFrom reports every match of items in the sentence, leftmost first,
// with the captures of each (the first marks where the match starts);
// overlapping matches after the first at a start are not reported. A match
// starts only at a token in first, when first is not nil.
func (c *matchCtx) matchFrom(items []rules.Item, first map[string]bool) [][]capture {
	var out [][]capture
	n := len(c.s.Tokens)
	for start := 0; start < n; start++ {
		if first != nil && !first[c.s.Tokens[start].Lower] {
			continue
		}
		var got []capture
		end := -1
		// the first capture marks where the match starts
		c.seq(items, 0, start, []capture{{start: start, end: start}}, func(e int, caps []capture) bool {
			got = append([]capture(nil), caps...)
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
func (c *matchCtx) seq(items []rules.Item, k, pos int, caps []capture, cont func(int, []capture) bool) bool {
	if k == len(items) {
		return cont(pos, caps)
	}
	it := &items[k]
	toks := c.s.Tokens
	next := func(p int, cs []capture) bool { return c.seq(items, k+1, p, cs, cont) }
	switch it.Kind {
	case rules.ItemWord:
		if it.Word == "^" {
			// the start of the text or of a clause: a headline's subject
			if pos == 0 || clauseSeparator(toks[pos-1].Text) || c.title && toks[pos-1].Text == "," {
				return next(pos, caps)
			}
			return false
		}
		if pos >= len(toks) {
			return false
		}
		w := toks[pos].Lower
		if w == it.Word || it.Pre && strings.HasPrefix(w, it.Word) {
			return next(pos+1, caps)
		}
		return false
	case rules.ItemAlt, rules.ItemOpt:
		for _, alt := range it.Alts {
			if c.seq(alt, 0, pos, caps, next) {
				return true
			}
		}
		if it.Kind == rules.ItemOpt {
			return next(pos, caps)
		}
		return false
	case rules.ItemTag:
		if pos >= len(toks) {
			return false
		}
		if !c.s.tagged && c.tag != nil {
			c.tag(c.s)
		}
		tag := toks[pos].Tag
		want := it.Tag
		if strings.HasSuffix(want, "*") && strings.HasPrefix(tag, want[:len(want)-1]) || tag == want {
			return next(pos+1, caps)
		}
		return false
	case rules.ItemGap:
		for g := 0; g <= it.Max && pos+g <= len(toks); g++ {
			if next(pos+g, caps) {
				return true
			}
		}
		return false
	case rules.ItemSlot:
		for _, sp := range c.slotSpans(it.Slot, pos) {
			cs := append(caps, capture{slot: it.Slot, start: pos, end: sp.end, ment: sp.ment, generic: sp.generic})
			if next(sp.end, cs) {
				return true
			}
		}
		return false
	}
	return false
}

func clauseSeparator(s string) bool {
	switch s {
	case ":", ";", "|", "-", "–", "—", ".", "?", "!":
		return true
	}
	return false
}

type slotSpan struct {
	end     int
	ment    *mention
	generic bool // "government institutions": the state of the article's country
}

// genericGovernment matches the words news uses for a state's institutions
// without naming them: "government institutions", "the government's
// systems", "public agencies".
func genericGovernment(toks []token, pos int) int {
	if pos+1 >= len(toks) {
		return 0
	}
	a, b := toks[pos].Lower, toks[pos+1].Lower
	switch {
	case a == "government" && (b == "institutions" || b == "agencies" || b == "ministries" || b == "departments" || b == "bodies" || b == "systems" || b == "websites" || b == "networks" || b == "entities"):
		return 2
	case a == "public" && (b == "agencies" || b == "institutions" || b == "bodies"):
		return 2
	case a == "state" && (b == "institutions" || b == "agencies" || b == "bodies"):
		return 2
	}
	return 0
}

// slotSpans lists the ways a slot can match at pos, longest first.
func (c *matchCtx) slotSpans(slot string, pos int) []slotSpan {
	toks := c.s.Tokens
	if pos >= len(toks) {
		return nil
	}
	var out []slotSpan
	switch slot {
	case "tool":
		for i := range c.ments {
			m := &c.ments[i]
			if m.start == pos && m.sec == secTool {
				out = append(out, slotSpan{end: m.end, ment: m})
			}
		}
		if isCVE(toks[pos].Text) {
			out = append(out, slotSpan{end: pos + 1, ment: nil})
		}
	case "actor":
		for i := range c.ments {
			m := &c.ments[i]
			if m.start == pos && (m.sec == secActor || m.sec == secTool && m.entity.Actor) {
				out = append(out, slotSpan{end: m.end, ment: m})
			}
		}
		for _, e := range nameSpans(toks, pos) {
			out = append(out, slotSpan{end: e, ment: nil})
		}
		if e := quotedName(toks, pos); e > 0 {
			out = append(out, slotSpan{end: e, ment: nil})
		}
	case "victim", "org":
		for i := range c.ments {
			m := &c.ments[i]
			if m.start == pos {
				out = append(out, slotSpan{end: m.end, ment: m})
			}
		}
		if n := genericGovernment(toks, pos); n > 0 {
			out = append(out, slotSpan{end: pos + n, generic: true})
		}
		// The whole name only: a shorter prefix of a capitalised run is
		// not the organisation ("North" of "North Korea").
		if ends := nameSpans(toks, pos); len(ends) > 0 {
			end := c.cutAtMention(pos, ends[0])
			if end > pos {
				out = append(out, slotSpan{end: institutionAfter(toks, end), ment: nil})
			}
		}
	case "number":
		if _, n := parseNumber(toks, pos); n > 0 {
			out = append(out, slotSpan{end: pos + n, ment: nil})
		}
	case "money":
		if _, _, n := parseMoney(toks, pos); n > 0 {
			out = append(out, slotSpan{end: pos + n, ment: nil})
		}
	}
	return out
}

// cutAtMention ends a name before a dictionary entry or a country that a
// connector joined to it: "North Korea for WannaCry" is "North Korea",
// "Singtel and US law firm Jones Day" starts with "Singtel".
func (c *matchCtx) cutAtMention(pos, end int) int {
	for _, m := range c.ments {
		if m.start > pos && m.start < end {
			end = m.start
		}
	}
	if c.dict != nil {
		toks := c.s.Tokens
		for k := pos + 1; k < end; k++ {
			if nameConnectors[toks[k-1].Lower] && c.dict.country(toks, k, 1) != "" {
				end = k
				break
			}
		}
	}
	for end > pos && nameConnectors[c.s.Tokens[end-1].Lower] {
		end--
	}
	return end
}

// institutionWords complete a name that is a place or a possessive: "the
// Costa Rican government", "the Washington State Auditor's office".
var institutionWords = map[string]bool{
	"government": true, "office": true, "department": true, "ministry": true, "agency": true,
	"council": true, "administration": true, "parliament": true, "state": true, "military": true,
	"army": true, "police": true, "subsidiary": true, "unit": true, "division": true, "arm": true,
}

// institutionAfter extends a name that ends at end over "'s office" or a
// following institution word, when the name alone is a place or a person's
// office.
func institutionAfter(toks []token, end int) int {
	if end+1 < len(toks) && (toks[end].Lower == "'s" || toks[end].Lower == "’s") && institutionWords[toks[end+1].Lower] {
		return end + 2
	}
	if end < len(toks) && institutionWords[toks[end].Lower] && toks[end].Lower != "state" {
		return end + 1
	}
	return end
}

// quotedName reads a handle in quotes ("teapotuberhacker") at pos and
// returns the end of the closing quote, or 0.
func quotedName(toks []token, pos int) int {
	if pos >= len(toks) || !isQuote(toks[pos].Text) {
		return 0
	}
	for k := pos + 1; k < len(toks) && k <= pos+4; k++ {
		if isQuote(toks[k].Text) {
			if k == pos+1 {
				return 0
			}
			return k + 1
		}
		if !toks[k].isWord() {
			return 0
		}
	}
	return 0
}

func isQuote(s string) bool {
	switch s {
	case "\"", "“", "”", "'", "‘", "’":
		return true
	}
	return false
}

// nameConnectors may sit inside an organisation's name between capitalised
// words: "Marks & Spencer", "Bank of America", "Department for Education".
var nameConnectors = map[string]bool{
	"&": true, "of": true, "for": true, "de": true, "du": true, "la": true, "del": true,
	"and": true, "-": true, "on": true, "upon": true,
}

// notNames are capitalised words that start sentences or sit in titles but
// never begin an organisation's name.
var notNames = map[string]bool{
	"the": true, "a": true, "an": true, "this": true, "that": true, "these": true, "those": true,
	"it": true, "its": true, "they": true, "their": true, "he": true, "she": true, "we": true,
	"our": true, "his": true, "her": true, "i": true, "you": true, "in": true, "on": true,
	"at": true, "by": true, "for": true, "from": true, "after": true, "before": true,
	"when": true, "while": true, "but": true, "and": true, "or": true, "if": true, "as": true,
	"hackers": true, "attackers": true, "criminals": true, "officials": true, "police": true,
	"investigators": true, "researchers": true, "experts": true, "customers": true,
	"staff": true, "employees": true, "some": true, "many": true, "most": true, "all": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "january": true, "february": true, "march": true,
	"april": true, "may": true, "june": true, "july": true, "august": true, "september": true,
	"october": true, "november": true, "december": true, "last": true, "earlier": true,
	"later": true, "now": true, "today": true, "yesterday": true, "meanwhile": true,
	"however": true, "according": true, "there": true, "what": true, "who": true, "which": true,
	"both": true, "each": true, "other": true, "another": true, "one": true, "two": true,
	"several": true, "cyber": true, "ransomware": true, "hacker": true, "update": true,
	"mr": true, "ms": true, "mrs": true, "dr": true, "sir": true, "prime": true, "minister": true,
	"three": true, "four": true, "five": true, "six": true, "seven": true, "eight": true,
	"nine": true, "ten": true, "dozens": true, "hundreds": true, "thousands": true,
}

// notNameStarts never begin a name but may sit inside one ("Jones Day",
// "Office of the Director"): time words and the titles before a person's
// name.
var notNameStarts = map[string]bool{
	"week": true, "month": true, "year": true, "day": true, "live": true, "breaking": true,
	"exclusive": true, "analysis": true, "opinion": true, "explainer": true, "watch": true,
	"treasurer": true, "superintendent": true, "chief": true, "director": true, "mayor": true,
	"governor": true, "president": true, "secretary": true, "commissioner": true,
	"spokesperson": true, "spokesman": true, "spokeswoman": true, "chairman": true,
	"chairwoman": true, "chair": true, "ceo": true, "cto": true, "ciso": true, "senator": true,
	"judge": true, "detective": true, "inspector": true, "professor": true, "lord": true,
	"councillor": true, "councilor": true, "minister": true, "deputy": true, "head": true,
}

// descriptiveSuffixes turn a place into a description, not a name:
// "Atlanta-based", "state-owned".
var descriptiveSuffixes = []string{"-based", "-owned", "-born", "-headquartered", "-registered", "-listed", "-backed", "-linked", "-sponsored", "-affiliated"}

func descriptive(lower string) bool {
	for _, suf := range descriptiveSuffixes {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// nameSpans returns the ends of the capitalised names that start at pos,
// longest first. A name is a run of capitalised words and numbers, joined by
// connectors such as "&" and "of", that ends on a capitalised word.
func nameSpans(toks []token, pos int) []int {
	t := &toks[pos]
	if !t.capital() && !startsWithDigitName(t.Text) || notNames[t.Lower] || notNameStarts[t.Lower] || descriptive(t.Lower) {
		return nil
	}
	var ends []int
	for i := pos; i < len(toks) && i-pos < 8; i++ {
		tk := &toks[i]
		switch {
		case tk.capital() || i > pos && startsWithDigitName(tk.Text):
			if i > pos && notNames[tk.Lower] && tk.Lower != "of" || descriptive(tk.Lower) {
				return reverse(ends)
			}
			ends = append(ends, i+1)
		case i > pos && nameConnectors[tk.Lower] && i+1 < len(toks) && toks[i+1].capital():
			// continue through the connector
		default:
			return reverse(ends)
		}
	}
	return reverse(ends)
}

func startsWithDigitName(s string) bool {
	return len(s) > 1 && s[0] >= '0' && s[0] <= '9' && strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) > 0
}

func reverse(s []int) []int {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

func isCVE(s string) bool {
	if len(s) < 13 || !strings.EqualFold(s[:4], "cve-") {
		return false
	}
	parts := strings.Split(s[4:], "-")
	if len(parts) != 2 || len(parts[0]) != 4 || len(parts[1]) < 4 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}

var numberWords = map[string]float64{
	"thousand": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
	"bn": 1e9, "b": 1e9, "k": 1e3, "trillion": 1e12,
}

var smallNumbers = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2e6,
	"half": 0.5, "a": 1,
}

// parseNumber reads "500,000", "2.5 million", "£300m"'s "300m", "two
// million" at pos; it returns the value and the tokens used.
func parseNumber(toks []token, pos int) (float64, int) {
	if pos >= len(toks) {
		return 0, 0
	}
	w := toks[pos].Lower
	var v float64
	var mult float64 = 1
	if f, ok := smallNumbers[w]; ok && w != "a" && w != "half" {
		v = f
	} else {
		num := strings.ReplaceAll(w, ",", "")
		for suffix, m := range numberWords {
			if len(num) > len(suffix) && strings.HasSuffix(num, suffix) {
				if _, err := strconv.ParseFloat(num[:len(num)-len(suffix)], 64); err == nil {
					num, mult = num[:len(num)-len(suffix)], m
					break
				}
			}
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || num == "" || num[0] < '0' || num[0] > '9' {
			return 0, 0
		}
		v = f
	}
	n := 1
	if mult == 1 && pos+1 < len(toks) {
		if m, ok := numberWords[toks[pos+1].Lower]; ok && toks[pos+1].Lower != "b" && toks[pos+1].Lower != "k" {
			mult = m
			n = 2
		}
	}
	return v * mult, n
}

var currencySymbols = map[string]string{
	"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "a$": "AUD", "au$": "AUD", "c$": "CAD",
	"nz$": "NZD", "¥": "JPY", "₹": "INR",
}

var currencyWords = map[string]string{
	"dollars": "USD", "usd": "USD", "pounds": "GBP", "gbp": "GBP", "euros": "EUR", "eur": "EUR",
	"aud": "AUD", "cad": "CAD", "bitcoin": "BTC", "btc": "BTC", "yen": "JPY", "rupees": "INR",
}

// parseMoney reads "$4.5 million", "£300m", "10 million dollars" at pos.
func parseMoney(toks []token, pos int) (float64, string, int) {
	if pos >= len(toks) {
		return 0, "", 0
	}
	if cur, ok := currencySymbols[toks[pos].Lower]; ok {
		if v, n := parseNumber(toks, pos+1); n > 0 {
			return v, cur, n + 1
		}
		return 0, "", 0
	}
	// "US$" may be split as "US" "$"
	if toks[pos].Text == "US" && pos+1 < len(toks) && toks[pos+1].Text == "$" {
		if v, n := parseNumber(toks, pos+2); n > 0 {
			return v, "USD", n + 2
		}
	}
	if v, n := parseNumber(toks, pos); n > 0 && pos+n < len(toks) {
		if cur, ok := currencyWords[toks[pos+n].Lower]; ok {
			return v, cur, n + 1
		}
	}
	return 0, "", 0
}

// compiled is a pattern rule with what a sentence must contain for it to
// match, so that most sentences are ruled out before any matching: each
// set in required must share a word with the sentence, and a match can only
// start at a token in first (nil: anywhere).
type compiled struct {
	rule     *rules.PatternRule
	required []map[string]bool
	first    map[string]bool
}

func compile(r *rules.PatternRule) *compiled {
	c := &compiled{rule: r, first: firstWords(r.Items, 0)}
	for _, it := range r.Items {
		if set := requiredWords(it); set != nil {
			c.required = append(c.required, set)
		}
	}
	return c
}

// requiredWords returns the words of which one must be in any sentence the
// item matches, or nil when it cannot tell.
func requiredWords(it rules.Item) map[string]bool {
	switch it.Kind {
	case rules.ItemWord:
		if it.Pre || it.Word == "^" {
			return nil
		}
		return map[string]bool{it.Word: true}
	case rules.ItemAlt:
		set := map[string]bool{}
		for _, alt := range it.Alts {
			if len(alt) == 0 || alt[0].Kind != rules.ItemWord || alt[0].Pre || alt[0].Word == "^" {
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
func firstWords(items []rules.Item, k int) map[string]bool {
	if k >= len(items) {
		return nil
	}
	it := items[k]
	switch it.Kind {
	case rules.ItemWord:
		if it.Word == "^" {
			return firstWords(items, k+1)
		}
		if it.Pre {
			return nil
		}
		return map[string]bool{it.Word: true}
	case rules.ItemAlt, rules.ItemOpt:
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
		if it.Kind == rules.ItemOpt {
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
func (c *compiled) possible(words map[string]bool) bool {
	for _, set := range c.required {
		ok := false
		for w := range set {
			if words[w] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
