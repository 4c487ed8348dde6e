package merge

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/incidex/incidex/rules"
)

// namer normalises victims' names for comparison. It holds the word lists
// of the rule set's lexicon; build it once (New does).
type namer struct {
	legal      map[string]bool // legal forms, dropped from the end of a name
	tails      map[string]bool // business words a short form may leave off
	connectors map[string]bool // words initials skip (Bank of America: BA)
	generic    map[string]bool // kinds of organisation: University of Kelloway is Kelloway University
}

func newNamer(set *rules.Set) *namer {
	connectors := set.WordSet(rules.LexNameConnectors)
	// A leading "the" is dropped from every name (as match.NormName
	// does), so initials never see it; it joins the connectors only for
	// "Department of the Interior".
	connectors["the"] = true
	return &namer{
		legal:      set.WordSet(rules.LexLegalForms),
		tails:      set.WordSet(rules.LexNameTails),
		connectors: connectors,
		generic:    set.WordSet(rules.LexGenericOrgWords),
	}
}

// token is one word of a normalised name: lower case, Latin letters without
// their diacritics, letters and digits only. An acronym ("HSE", "M&S",
// "TfL") keeps its letters and says so.
type token struct {
	text    string
	acronym bool
}

// name is a victim's name made ready for comparison.
type name struct {
	raw    string
	tokens []token // base tokens: no leading "the", no trailing legal form
	base   string  // the tokens joined by spaces: "marks and spencer"
	// strips are the base without one, two... trailing name tails, longest
	// first: "rockstar games" gives "rockstar".
	strips []string
	// compact is the base without spaces: "co op" and "coop" are one name.
	compact string
}

// parse normalises one name. An empty base means the name has no letters
// or digits.
func (nm *namer) parse(raw string) name {
	n := name{raw: raw}
	toks := nm.tokenize(raw)
	if len(toks) > 1 && toks[0].text == "the" {
		toks = toks[1:]
	}
	// A legal form in capitals ("PLC") reads as an acronym; it is dropped
	// all the same.
	for len(toks) > 1 && nm.legal[toks[len(toks)-1].text] {
		toks = toks[:len(toks)-1]
	}
	toks = nm.invert(toks)
	n.tokens = toks
	n.base = joinTokens(toks, " ")
	n.compact = joinTokens(toks, "")
	for end := len(toks); end > 1; end-- {
		last := toks[end-1]
		if !nm.tails[last.text] || nm.connectors[toks[end-2].text] {
			break
		}
		n.strips = append(n.strips, joinTokens(toks[:end-1], " "))
	}
	return n
}

// invert writes "University of Kelloway" as "Kelloway University", the
// other way news names it: a kind of organisation, "of", then one to three
// words that are neither connectors nor kinds of organisation.
func (nm *namer) invert(toks []token) []token {
	if len(toks) < 3 || len(toks) > 5 || toks[1].text != "of" || !nm.generic[toks[0].text] || toks[0].acronym {
		return toks
	}
	for _, t := range toks[2:] {
		if nm.connectors[t.text] || nm.generic[t.text] {
			return toks
		}
	}
	out := make([]token, 0, len(toks)-1)
	out = append(out, toks[2:]...)
	return append(out, toks[0])
}

func joinTokens(toks []token, sep string) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// tokenize splits a name into tokens. Words are split at spaces, hyphens,
// slashes and other punctuation; "&" between words is "and", but inside a
// word of capitals (M&S, AT&T) it makes the word an acronym; a possessive
// "'s" is dropped; apostrophes and dots inside a word are dropped
// (O'Hare, U.K.).
func (nm *namer) tokenize(raw string) []token {
	raw = strings.ReplaceAll(raw, "’", "'")
	var out []token
	for _, word := range strings.FieldsFunc(raw, isWordBreak) {
		if isAmpersandAcronym(word) {
			out = append(out, token{text: strings.ToLower(strings.ReplaceAll(word, "&", "")), acronym: true})
			continue
		}
		for i, part := range strings.Split(word, "&") {
			if i > 0 {
				out = append(out, token{text: "and"})
			}
			part = strings.TrimSuffix(strings.TrimSuffix(part, "'s"), "'")
			if t, ok := wordToken(part); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// isWordBreak reports whether r separates the words of a name.
func isWordBreak(r rune) bool {
	switch r {
	case '&', '\'', '.', '$':
		return false
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// isAmpersandAcronym reports whether word is capitals joined by "&": M&S,
// AT&T, P&O.
func isAmpersandAcronym(word string) bool {
	parts := strings.Split(word, "&")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 {
			return false
		}
		for _, r := range p {
			if r < 'A' || r > 'Z' {
				return false
			}
		}
	}
	return true
}

// wordToken folds one word: letters and digits in lower case, diacritics
// of Latin letters dropped. A word of two to six letters with at least two
// capitals, the first of them first (HSE, TfL, BofA), is an acronym.
func wordToken(word string) (token, bool) {
	var b strings.Builder
	letters, capitals, digits := 0, 0, 0
	firstCapital := false
	for i, r := range word {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				capitals++
				if i == 0 {
					firstCapital = true
				}
			}
			b.WriteString(fold(unicode.ToLower(r)))
		case unicode.IsDigit(r):
			digits++
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return token{}, false
	}
	acronym := digits == 0 && letters >= 2 && letters <= 6 && capitals >= 2 && firstCapital
	return token{text: b.String(), acronym: acronym}, true
}

// fold writes a lower-case Latin letter without its diacritic ("é" as "e",
// "ß" as "ss"); other letters are kept.
func fold(r rune) string {
	if r < utf8.RuneSelf {
		return string(r)
	}
	if s, ok := latinFolds[r]; ok {
		return s
	}
	return string(r)
}

// latinFolds maps the lower-case Latin letters with diacritics of Western,
// Central and Northern European names to their base letters; names in
// other scripts are compared as written.
var latinFolds = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ",
		"h": "ĥħ", "i": "ìíîïĩīĭįi", "j": "ĵ", "k": "ķ", "l": "ĺļľŀ", "n": "ñńņňŉ",
		"o": "òóôõöōŏő", "r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų",
		"w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			if r >= utf8.RuneSelf {
				m[r] = base
			}
		}
	}
	return m
}()

// blockKeyOf is the block of a victim's name: the first letter (or digit)
// of its base, which every link between two names keeps (see the package
// documentation); "" when the name has none.
func blockKeyOf(n name) string {
	if len(n.tokens) == 0 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(n.tokens[0].text)
	return string(r)
}

// initials are the first letters of toks, the whole of an acronym token;
// with connectors false the connectors (of, and, for) are skipped, but
// for the first word: the initials of a name begin with its first letter,
// as its block key does ("DB" is not "De Beers", whose key is "d").
func (nm *namer) initials(toks []token, connectors bool) string {
	var b strings.Builder
	for i, t := range toks {
		switch {
		case t.acronym:
			b.WriteString(t.text)
		case !connectors && i > 0 && nm.connectors[t.text]:
		default:
			r, _ := utf8.DecodeRuneInString(t.text)
			b.WriteRune(r)
		}
	}
	return b.String()
}

// acronymKeys are the keys under which a name holding acronyms links to
// their long forms: for each acronym, the words before it, its letters and
// the words after it ("|hse|" for HSE, "icbc|fs|" for ICBC FS).
func (n name) acronymKeys() []string {
	var keys []string
	for i, t := range n.tokens {
		if t.acronym {
			keys = append(keys, joinTokens(n.tokens[:i], " ")+"|"+t.text+"|"+joinTokens(n.tokens[i+1:], " "))
		}
	}
	return keys
}

// longKeys are the keys under which a name is the long form of an
// acronym: the initials of two words or more that hold no acronym, as the
// whole name (Health Service Executive: "|hse|"), or with the words before
// (ICBC Financial Services: "icbc|fs|") or after (National Health Service
// England: "|nhs|england") kept; each with and without the connectors'
// initials (Transport for London: TfL and TL). Only keys in want are
// returned, so that a block computes the keys its acronyms can use and no
// more.
func (nm *namer) longKeys(n name, want map[string]bool) []string {
	toks := n.tokens
	if len(toks) < 2 || len(want) == 0 {
		return nil
	}
	var keys []string
	add := func(i, j int) {
		for _, t := range toks[i:j] {
			if t.acronym {
				return
			}
		}
		for _, conn := range []bool{false, true} {
			ini := nm.initials(toks[i:j], conn)
			if utf8.RuneCountInString(ini) < 2 {
				continue
			}
			k := joinTokens(toks[:i], " ") + "|" + ini + "|" + joinTokens(toks[j:], " ")
			if want[k] && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	add(0, len(toks))
	for i := 1; i < len(toks)-1; i++ {
		add(i, len(toks))
		add(0, len(toks)-i)
	}
	return keys
}

// shortFormOf reports whether a is a short form of b word by word: as many
// words, the first the same, each of a's a beginning of b's, of two
// letters at least, and a shorter in one (Co-op, Co-operative).
func shortFormOf(a, b name) bool {
	if len(a.tokens) < 2 || len(a.tokens) != len(b.tokens) || a.tokens[0].text != b.tokens[0].text || a.base == b.base {
		return false
	}
	for i := 1; i < len(a.tokens); i++ {
		s, l := a.tokens[i].text, b.tokens[i].text
		if len(s) < 2 || !strings.HasPrefix(l, s) {
			return false
		}
	}
	return true
}

// normKey folds an actor's, a tool's or a responder's name for identity:
// lower case, letters and digits only ("Lapsus$" is "lapsus").
func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteString(fold(r))
		}
	}
	return b.String()
}
