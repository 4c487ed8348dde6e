package match

import (
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/nlp"
)

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

var numberWords = map[string]float64{
	"thousand": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
	"bn": 1e9, "b": 1e9, "k": 1e3, "trillion": 1e12,
}

var smallNumbers = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2e6,
	"half": 0.5, "a": 1,
}

// ParseNumber reads "500,000", "2.5 million", "£300m"'s "300m", "two
// million" at pos; it returns the value and the tokens used.
func ParseNumber(toks []nlp.Token, pos int) (float64, int) {
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

// ParseMoney reads "$4.5 million", "£300m", "10 million dollars" at pos.
func ParseMoney(toks []nlp.Token, pos int) (float64, string, int) {
	if pos >= len(toks) {
		return 0, "", 0
	}
	if cur, ok := currencySymbols[toks[pos].Lower]; ok {
		if v, n := ParseNumber(toks, pos+1); n > 0 {
			return v, cur, n + 1
		}
		return 0, "", 0
	}
	// "US$" may be split as "US" "$"
	if toks[pos].Text == "US" && pos+1 < len(toks) && toks[pos+1].Text == "$" {
		if v, n := ParseNumber(toks, pos+2); n > 0 {
			return v, "USD", n + 2
		}
	}
	if v, n := ParseNumber(toks, pos); n > 0 && pos+n < len(toks) {
		if cur, ok := currencyWords[toks[pos+n].Lower]; ok {
			return v, cur, n + 1
		}
	}
	return 0, "", 0
}
