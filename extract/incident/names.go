package incident

import (
	"slices"
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
)

// cleanName trims articles, possessives and punctuation from a captured
// name: "the Co-op's" -> "Co-op".
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"the ", "The "} {
		s = strings.TrimPrefix(s, p)
	}
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) && r != '$' && r != ')' })
}

// orgNames decides whether two names denote one organisation.
type orgNames struct {
	// generic words name a kind of organisation, not one: "the council" is
	// not "Ravensholt Borough Council".
	generic map[string]bool
}

// same reports whether two names denote one organisation: equal keys, an
// acronym ("M&S" for "Marks & Spencer", "HSE" for "Health Service
// Executive") or a distinctive part of the longer name ("Hydro" of "Norsk
// Hydro").
func (n orgNames) same(a, b string) bool {
	return n.sameKeyed(a, match.NormName(a), b, match.NormName(b))
}

// sameKeyed is same for names whose comparison keys (match.NormName) are
// known.
func (n orgNames) sameKeyed(a, ka, b, kb string) bool {
	if ka == "" || kb == "" {
		return false
	}
	if ka == kb {
		return true
	}
	if len(ka) > len(kb) {
		a, b, ka, kb = b, a, kb, ka
	}
	// a is the shorter
	if isAcronymOf(a, b) {
		return true
	}
	wa, wb := strings.Fields(ka), strings.Fields(kb)
	if len(wa) >= 2 && len(wa) < len(wb) && slices.Equal(wa, wb[:len(wa)]) {
		return true // "Glenvarra Life" of "Glenvarra Life Assurance"
	}
	if len(wa) == 1 && len(wa[0]) >= 4 && !n.generic[wa[0]] {
		for _, w := range wb {
			if w == wa[0] {
				return true
			}
		}
	}
	return false
}

// anyOf reports whether name denotes the organisation of one of list.
func (n orgNames) anyOf(list []string, name string) bool {
	for _, a := range list {
		if n.same(a, name) {
			return true
		}
	}
	return false
}

// isAcronym reports whether s is written like an acronym: two or more
// letters, all upper case ("MICITT", "LAX", "M&S").
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

// isAcronymOf reports whether short is made of the initials of long's
// capitalised words ("M&S", "HSE", "LAUSD").
func isAcronymOf(short, long string) bool {
	for _, r := range short {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	letters := acronymLetters(short)
	if len([]rune(letters)) < 2 {
		return false
	}
	for _, a := range initialsOf(long) {
		if a == letters {
			return true
		}
	}
	return false
}

// beginsWith reports whether the name long begins with the words of the
// name short.
func beginsWith(long, short string) bool {
	l, s := strings.Fields(match.NormName(long)), strings.Fields(match.NormName(short))
	if len(s) == 0 || len(s) > len(l) {
		return false
	}
	for i := range s {
		if l[i] != s[i] {
			return false
		}
	}
	return true
}

// wordsAt reports whether the tokens at i spell words exactly.
func wordsAt(toks []nlp.Token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].Text != w {
			return false
		}
	}
	return true
}

// formAt returns how many tokens at i spell one of forms (a name's words,
// as written), or 0.
func formAt(toks []nlp.Token, i int, forms [][]string) int {
	for _, words := range forms {
		if wordsAt(toks, i, words) {
			return len(words)
		}
	}
	return 0
}

// namedElsewhere reports whether a sentence other than si names name.
func (t *text) namedElsewhere(si int, name string) bool {
	for _, k := range t.namingSentences(name) {
		if k != si {
			return true
		}
	}
	return false
}

// namedAlone reports whether part is named in a sentence that does not
// also contain whole.
func (t *text) namedAlone(part, whole string) bool {
	words := nlp.Words(part)
	if len(words) == 0 {
		return false
	}
	for _, p := range t.positions(words[0]) {
		s := &t.sents[p.sent]
		if wordsAt(s.Tokens, p.tok, words) && !strings.Contains(s.Text, whole) {
			return true
		}
	}
	return false
}

// namingSentences returns the first two sentences that name name (its
// words, as written, as whole tokens), found through the index of words
// and kept per name, so that asking again costs nothing.
func (t *text) namingSentences(name string) []int {
	if got, ok := t.naming[name]; ok {
		return got
	}
	var out []int
	if words := nlp.Words(name); len(words) > 0 {
		for _, p := range t.positions(words[0]) {
			if len(out) > 0 && out[len(out)-1] == p.sent {
				continue
			}
			if wordsAt(t.sents[p.sent].Tokens, p.tok, words) {
				if out = append(out, p.sent); len(out) == 2 {
					break
				}
			}
		}
	}
	if t.naming == nil {
		t.naming = map[string][]int{}
	}
	t.naming[name] = out
	return out
}
