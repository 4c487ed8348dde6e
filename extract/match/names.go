package match

import (
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/nlp"
)

func clauseSeparator(s string) bool {
	switch s {
	case ":", ";", "|", "-", "–", "—", ".", "?", "!":
		return true
	}
	return false
}

// InstitutionAfter extends a name that ends at end over "'s office" or a
// following institution word, when the name alone is a place or a person's
// office.
func (m *Matcher) InstitutionAfter(toks []nlp.Token, end int) int {
	if end+1 < len(toks) && (toks[end].Lower == "'s" || toks[end].Lower == "’s") && m.lex.institutions[toks[end+1].Lower] {
		return end + 2
	}
	// "state" completes "the Washington State Auditor's office" but not
	// "Washington State" itself.
	if end < len(toks) && m.lex.institutions[toks[end].Lower] && toks[end].Lower != "state" {
		return end + 1
	}
	return end
}

// Institution reports whether a lower-case word completes a place or an
// office into an institution ("council", "ministry").
func (m *Matcher) Institution(lower string) bool { return m.lex.institutions[lower] }

// quotedName reads a handle in quotes ("teapotuberhacker") at pos and
// returns the end of the closing quote, or 0. A comma or a full stop may
// stand before the closing quote, as American style puts it: “Turkish
// Crime Family,”.
func quotedName(toks []nlp.Token, pos int) int {
	if pos >= len(toks) || !isQuote(toks[pos].Text) {
		return 0
	}
	for k := pos + 1; k < len(toks) && k <= pos+5; k++ {
		if isQuote(toks[k].Text) {
			if k == pos+1 {
				return 0
			}
			return k + 1
		}
		if (toks[k].Text == "," || toks[k].Text == ".") && k > pos+1 && k+1 < len(toks) && isQuote(toks[k+1].Text) {
			return k + 2
		}
		if !toks[k].IsWord() {
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

// Descriptive reports whether a lower-case word is a place turned into a
// description ("atlanta-based", "state-owned").
func (m *Matcher) Descriptive(lower string) bool {
	for _, suf := range m.lex.descriptiveSuffixes {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// NameSpans returns the ends of the capitalised names that start at pos,
// longest first. A name is a run of capitalised words and numbers, joined by
// connectors such as "&" and "of", that ends on a capitalised word.
func (m *Matcher) NameSpans(toks []nlp.Token, pos int) []int {
	t := &toks[pos]
	if !t.Capital() && !DigitName(t.Text) || m.lex.notNames[t.Lower] || m.lex.notNameStarts[t.Lower] || m.Descriptive(t.Lower) {
		return nil
	}
	var ends []int
	for i := pos; i < len(toks) && i-pos < 8; i++ {
		tk := &toks[i]
		switch {
		case tk.Capital() || i > pos && DigitName(tk.Text):
			if i > pos && m.lex.notNames[tk.Lower] && tk.Lower != "of" || m.Descriptive(tk.Lower) {
				return reverse(ends)
			}
			ends = append(ends, i+1)
		case i > pos && m.lex.connectors[tk.Lower] && i+1 < len(toks) && toks[i+1].Capital():
			// continue through the connector
		default:
			return reverse(ends)
		}
	}
	return reverse(ends)
}

// DigitName reports whether a token is a name that starts with a digit
// and holds a capital ("23andMe", "3M").
func DigitName(s string) bool {
	return len(s) > 1 && s[0] >= '0' && s[0] <= '9' && strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) > 0
}

func reverse(s []int) []int {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

// NotName reports whether a capitalised word never begins an
// organisation's name ("The", "Monday", "Hackers").
func (m *Matcher) NotName(lower string) bool { return m.lex.notNames[lower] }

// NormName is the comparison key of a name: lower case, letters and digits.
func NormName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '&':
			b.WriteString(" and ")
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	return strings.TrimPrefix(out, "the ")
}
