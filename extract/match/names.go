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

// InstitutionWords complete a name that is a place or a possessive: "the
// Costa Rican government", "the Washington State Auditor's office".
var InstitutionWords = map[string]bool{
	"government": true, "office": true, "department": true, "ministry": true, "agency": true,
	"council": true, "administration": true, "parliament": true, "state": true, "military": true,
	"army": true, "police": true, "subsidiary": true, "unit": true, "division": true, "arm": true,
}

// InstitutionAfter extends a name that ends at end over "'s office" or a
// following institution word, when the name alone is a place or a person's
// office.
func InstitutionAfter(toks []nlp.Token, end int) int {
	if end+1 < len(toks) && (toks[end].Lower == "'s" || toks[end].Lower == "’s") && InstitutionWords[toks[end+1].Lower] {
		return end + 2
	}
	if end < len(toks) && InstitutionWords[toks[end].Lower] && toks[end].Lower != "state" {
		return end + 1
	}
	return end
}

// quotedName reads a handle in quotes ("teapotuberhacker") at pos and
// returns the end of the closing quote, or 0.
func quotedName(toks []nlp.Token, pos int) int {
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

// nameConnectors may sit inside an organisation's name between capitalised
// words: "Marks & Spencer", "Bank of America", "Department for Education".
var nameConnectors = map[string]bool{
	"&": true, "of": true, "for": true, "de": true, "du": true, "la": true, "del": true,
	"and": true, "-": true, "on": true, "upon": true,
}

// NotNames are capitalised words that start sentences or sit in titles but
// never begin an organisation's name.
var NotNames = map[string]bool{
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

func Descriptive(lower string) bool {
	for _, suf := range descriptiveSuffixes {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// NameSpans returns the ends of the capitalised names that start at pos,
// longest first. A name is a run of capitalised words and numbers, joined by
// connectors such as "&" and "of", that ends on a capitalised word.
func NameSpans(toks []nlp.Token, pos int) []int {
	t := &toks[pos]
	if !t.Capital() && !startsWithDigitName(t.Text) || NotNames[t.Lower] || notNameStarts[t.Lower] || Descriptive(t.Lower) {
		return nil
	}
	var ends []int
	for i := pos; i < len(toks) && i-pos < 8; i++ {
		tk := &toks[i]
		switch {
		case tk.Capital() || i > pos && startsWithDigitName(tk.Text):
			if i > pos && NotNames[tk.Lower] && tk.Lower != "of" || Descriptive(tk.Lower) {
				return reverse(ends)
			}
			ends = append(ends, i+1)
		case i > pos && nameConnectors[tk.Lower] && i+1 < len(toks) && toks[i+1].Capital():
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
