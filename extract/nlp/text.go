package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of the article text.
type Sentence struct {
	Text       string
	Start, End int // byte offsets in the article text
	Para       int // index of the paragraph
	Tokens     []Token
	tagged     bool // Tagger.Tag has run
}

// Token is a word, number or punctuation mark of a sentence.
type Token struct {
	Text  string
	Lower string
	Start int // byte offset in the sentence
	Tag   string
}

// Capital reports whether the token starts with an upper-case letter, as
// names do.
func (t *Token) Capital() bool {
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsUpper(r)
}

// IsWord reports whether the token is a word or a number, not punctuation.
func (t *Token) IsWord() bool {
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// LowerWordsAt reports whether the tokens from i spell words, which are
// in lower case, compared with the tokens' folded forms. Out of range is
// false.
func LowerWordsAt(toks []Token, i int, words []string) bool {
	if i < 0 || i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].Lower != w {
			return false
		}
	}
	return true
}

// Splitter breaks text into sentences. Build it once with NewSplitter;
// it is safe for concurrent use.
type Splitter struct {
	abbreviations map[string]bool
}

// NewSplitter returns a Splitter that knows abbreviations: lower-case
// words ("mr", "inc", "u.s") whose full stop does not end a sentence.
func NewSplitter(abbreviations []string) *Splitter {
	sp := &Splitter{abbreviations: make(map[string]bool, len(abbreviations))}
	for _, a := range abbreviations {
		sp.abbreviations[a] = true
	}
	return sp
}

// Split breaks the article's paragraphs into sentences and tokenises
// them. Offsets are into text, the paragraphs joined by "\n\n".
func (sp *Splitter) Split(paragraphs []string) []Sentence {
	var out []Sentence
	base := 0
	for pi, p := range paragraphs {
		start := 0
		for start < len(p) {
			end := sp.sentenceEnd(p, start)
			s := strings.TrimSpace(p[start:end])
			if s != "" {
				lead := strings.Index(p[start:end], s)
				st := base + start + lead
				out = append(out, Sentence{Text: s, Start: st, End: st + len(s), Para: pi, Tokens: Tokenize(s)})
			}
			start = end
		}
		base += len(p) + 2
	}
	return out
}

// sentenceEnd returns the end of the sentence that starts at start.
func (sp *Splitter) sentenceEnd(p string, start int) int {
	for i := start; i < len(p); i++ {
		c := p[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		// closing quotes and brackets belong to the sentence
		for j < len(p) {
			r, w := utf8.DecodeRuneInString(p[j:])
			if r == '"' || r == '\'' || r == ')' || r == ']' || r == '”' || r == '’' || r == '»' {
				j += w
				continue
			}
			break
		}
		if j >= len(p) {
			return len(p)
		}
		if p[j] != ' ' && p[j] != '\n' && p[j] != '\t' {
			continue
		}
		k := j
		for k < len(p) && (p[k] == ' ' || p[k] == '\n' || p[k] == '\t') {
			k++
		}
		if k >= len(p) {
			return len(p)
		}
		next, _ := utf8.DecodeRuneInString(p[k:])
		if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("\"“‘'(", next)) {
			continue
		}
		if c == '.' && sp.isAbbreviation(p[start:i]) {
			continue
		}
		return j
	}
	return len(p)
}

// isAbbreviation reports whether the text before a full stop ends with an
// abbreviation or an initial ("J. Smith").
func (sp *Splitter) isAbbreviation(before string) bool {
	k := len(before)
	for k > 0 {
		r, w := utf8.DecodeLastRuneInString(before[:k])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		k -= w
	}
	word := before[k:]
	if word == "" {
		return false
	}
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]) {
		return true // an initial
	}
	return sp.abbreviations[strings.ToLower(word)]
}

// Tokenize splits a sentence into words, numbers and punctuation. Words keep
// inner punctuation that belongs to names and numbers ("M&S", "Co-op",
// "U.S.", "CVE-2023-4966", "500,000", "Lapsus$"); a possessive "'s" is its own
// token.
func Tokenize(s string) []Token {
	toks := make([]Token, 0, len(s)/5)
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			i += w
			continue
		}
		if !isWordRune(r) {
			end := i + w
			if (r == '\'' || r == '’') && strings.HasPrefix(strings.ToLower(s[end:]), "s") && (end+1 == len(s) || !isWordRune(rune(s[end+1]))) {
				end++ // 's
			}
			toks = append(toks, newToken(s, i, end))
			i = end
			continue
		}
		j := i + w
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				j += w
				continue
			}
			// inner punctuation followed by a letter or digit
			if strings.ContainsRune("&-.,'’/", r) && j+w < len(s) {
				n, _ := utf8.DecodeRuneInString(s[j+w:])
				if isWordRune(n) {
					if r == ',' && !(unicode.IsDigit(prevRune(s, j)) && unicode.IsDigit(n)) {
						break
					}
					if (r == '\'' || r == '’') && (n == 's' || n == 'S') && (j+w+1 == len(s) || !isWordRune(rune(s[j+w+1]))) {
						break // possessive
					}
					j += w
					continue
				}
			}
			if r == '$' { // Lapsus$
				j += w
			}
			// "U.S." keeps its final full stop when it is an abbreviation
			if r == '.' && strings.Count(s[i:j], ".") > 0 && j-i <= 5 {
				j += w
			}
			break
		}
		toks = append(toks, newToken(s, i, j))
		i = j
	}
	return toks
}

func prevRune(s string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

func newToken(s string, i, j int) Token {
	text := s[i:j]
	return Token{Text: text, Lower: Fold(text), Start: i}
}

// spaceRunes separate tokens: the white space that the article reader
// folds into single spaces, so that a sentence given directly (a rule
// file's example) splits the same way.
const spaceRunes = " \t\n\r\f\v\u00a0\u2009\u200a\u202f\u3000\u200b\ufeff"

func isSpace(r rune) bool { return strings.ContainsRune(spaceRunes, r) }

// LowerWords returns the lower-case tokens of s: how dictionary names and
// keywords are compared with a sentence's Token.Lower.
func LowerWords(s string) []string {
	toks := Tokenize(s)
	out := make([]string, len(toks))
	for i := range toks {
		out[i] = toks[i].Lower
	}
	return out
}

// Words returns the tokens of s as written.
func Words(s string) []string {
	toks := Tokenize(s)
	out := make([]string, len(toks))
	for i := range toks {
		out[i] = toks[i].Text
	}
	return out
}

// Fold is how words are compared: lower case, curly apostrophes made
// straight (news text uses both). A token's Lower is its text folded.
func Fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "’", "'")
}
