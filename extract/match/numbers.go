package match

import (
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/nlp"
)

// IsCVE reports whether s is a CVE id ("CVE-2023-4966"), in any case.
func IsCVE(s string) bool {
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

// ParseNumber reads "500,000", "2.5 million", "£300m"'s "300m", "two
// million" at pos; it returns the value and the tokens used.
func (m *Matcher) ParseNumber(toks []nlp.Token, pos int) (float64, int) {
	if pos >= len(toks) {
		return 0, 0
	}
	w := toks[pos].Lower
	var v float64
	var mult float64 = 1
	if f, ok := m.lex.numberWords[w]; ok {
		v = f
	} else {
		if w == "" || w[0] < '0' || w[0] > '9' {
			return 0, 0 // a word: no need to ask strconv (its errors allocate)
		}
		num := strings.ReplaceAll(w, ",", "")
		for _, suf := range m.lex.numberSuffixes {
			if len(num) > len(suf.text) && strings.HasSuffix(num, suf.text) {
				if _, err := strconv.ParseFloat(num[:len(num)-len(suf.text)], 64); err == nil {
					num, mult = num[:len(num)-len(suf.text)], suf.value
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
		if f, ok := m.lex.multipliers[toks[pos+1].Lower]; ok {
			mult = f
			n = 2
		}
	}
	return v * mult, n
}

// ParseMoney reads "$4.5 million", "£300m", "10 million dollars" at pos.
func (m *Matcher) ParseMoney(toks []nlp.Token, pos int) (float64, string, int) {
	if pos >= len(toks) {
		return 0, "", 0
	}
	if cur, ok := m.lex.currencySymbols[toks[pos].Lower]; ok {
		if v, n := m.ParseNumber(toks, pos+1); n > 0 {
			return v, cur, n + 1
		}
		return 0, "", 0
	}
	// "US$" may be split as "US" "$"
	if toks[pos].Text == "US" && pos+1 < len(toks) && toks[pos+1].Text == "$" {
		if v, n := m.ParseNumber(toks, pos+2); n > 0 {
			return v, "USD", n + 2
		}
	}
	if v, n := m.ParseNumber(toks, pos); n > 0 && pos+n < len(toks) {
		if cur, ok := m.lex.currencyWords[toks[pos+n].Lower]; ok {
			return v, cur, n + 1
		}
	}
	return 0, "", 0
}
