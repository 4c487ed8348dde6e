package pattern

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// clauseWords are the pattern words after which a clause start (^) can
// match: the separators of the matcher, a comma only in headlines.
var clauseWords = map[string]bool{":": true, ";": true, "-": true, ".": true, ",": true, "^": true}

// Lint finds what makes a parsed pattern unable to do its job, each
// with its column in src:
//   - a word that no token can be, because of how the extractor splits
//     sentences into tokens (see neverToken);
//   - a clause start (^) right after a word that does not end a clause;
//   - a pattern that can match without reading any token (every item is
//     optional or a clause start), which would match every sentence;
//   - a pattern whose role slot (roleSlots: any one of them) sits only in
//     optional parts, so that the rule can match without filling it.
//
// src must parse; items are its items.
func Lint(src string, items []Item, roleSlots []string) []*Error {
	var out []*Error
	_, _ = parse(src, func(seq []Item, cols []int) {
		for i, it := range seq {
			if it.Kind != ItemWord {
				continue
			}
			col := cols[i] + 1
			if it.Word == "^" {
				if prev := seq[max(i-1, 0)]; i > 0 && prev.Kind == ItemWord && !prev.Pre && !clauseWords[prev.Word] {
					out = append(out, &Error{Col: col, Msg: fmt.Sprintf("^ after %q can never match: a clause starts only at the start of a sentence or after : ; - . (or , in a headline)", prev.Word)})
				}
				continue
			}
			if why := neverToken(it.Word, it.Pre); why != "" {
				w := it.Word
				if it.Pre {
					w += "*"
				}
				out = append(out, &Error{Col: col, Msg: fmt.Sprintf("word %q can never match: %s", w, why)})
			}
		}
	})
	if minTokens(items) == 0 {
		out = append(out, &Error{Col: 1, Msg: "pattern matches without reading any token (every item is optional); it would match every sentence"})
	}
	if len(roleSlots) > 0 {
		mand := mandatorySlots(items)
		if !slices.ContainsFunc(roleSlots, func(s string) bool { return slices.Contains(mand, s) }) {
			s := roleSlots[0]
			for _, rs := range roleSlots {
				if strings.Contains(src, "{"+rs+"}") {
					s = rs
					break
				}
			}
			col := 1
			if i := strings.Index(src, "{"+s+"}"); i >= 0 {
				col = utf8.RuneCountInString(src[:i]) + 1
			}
			out = append(out, &Error{Col: col, Msg: fmt.Sprintf("the {%s} slot is optional: the rule can match without filling it", s)})
		}
	}
	slices.SortStableFunc(out, func(a, b *Error) int { return a.Col - b.Col })
	return out
}

// minTokens is the fewest tokens a match of items reads.
func minTokens(items []Item) int {
	n := 0
	for _, it := range items {
		switch it.Kind {
		case ItemWord:
			if it.Word != "^" {
				n++
			}
		case ItemSlot, ItemTag:
			n++
		case ItemAlt:
			least := -1
			for _, alt := range it.Alts {
				if m := minTokens(alt); least < 0 || m < least {
					least = m
				}
			}
			n += max(least, 0)
		}
	}
	return n
}

// mandatorySlots lists the slots every match of items fills.
func mandatorySlots(items []Item) []string {
	var out []string
	for _, it := range items {
		switch it.Kind {
		case ItemSlot:
			out = append(out, it.Slot)
		case ItemAlt:
			// a slot that every alternative fills
			var common []string
			for j, alt := range it.Alts {
				m := mandatorySlots(alt)
				if j == 0 {
					common = m
					continue
				}
				common = slices.DeleteFunc(common, func(s string) bool { return !slices.Contains(m, s) })
			}
			out = append(out, common...)
		}
	}
	return out
}

// neverToken says why no token of a sentence can be the pattern word w (or,
// with pre, start with it), or returns "" when one can. It follows how
// incidex splits a sentence into tokens (extract/nlp/text.go, Tokenize): a
// token is either one punctuation mark (or a possessive 's), or letters and
// digits joined by & - . , ' / when a letter or digit follows (a comma only
// between digits), possibly ending in $ (Lapsus$) or, in a short
// abbreviation that already has a full stop, in "." (u.s.). Keep the two in
// step.
func neverToken(w string, pre bool) string {
	r := []rune(w)
	if len(r) <= 1 || w == "'s" {
		return ""
	}
	alnum := func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }
	if !alnum(r[0]) {
		return fmt.Sprintf("%q is always a token of its own; put a space after it", string(r[0]))
	}
	for i, c := range r {
		if alnum(c) {
			continue
		}
		last := i == len(r)-1
		nextAlnum := !last && alnum(r[i+1])
		switch c {
		case ':', ';', '^':
			return fmt.Sprintf("%q is always a token of its own; put spaces around it", string(c))
		case '$':
			if !last {
				return `"$" can only end a word (Lapsus$); put a space after it`
			}
		case ',':
			digitBefore := unicode.IsDigit(r[i-1])
			if last && pre && digitBefore || !last && digitBefore && unicode.IsDigit(r[i+1]) {
				continue
			}
			return `a comma is part of a word only between digits (500,000); put a space before it`
		case '.':
			if last {
				before := string(r[:i])
				if pre || strings.Contains(before, ".") && len(before) <= 5 {
					continue
				}
				return `a full stop ends a word only in short abbreviations with another stop (u.s.); put a space before it`
			}
			if !nextAlnum {
				return `"." is part of a word only before a letter or digit`
			}
		case '\'':
			if !pre && i == len(r)-2 && (r[i+1] == 's') {
				return `a possessive 's is a token of its own; write "x 's"`
			}
			fallthrough
		default: // & -
			if last && pre {
				continue
			}
			if !nextAlnum {
				return fmt.Sprintf("%q is part of a word only before a letter or digit; put a space after it", string(c))
			}
		}
	}
	return ""
}
