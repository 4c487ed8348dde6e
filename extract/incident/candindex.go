package incident

import (
	"strings"
	"unicode"
)

// candidateIndex finds the candidates that may share an organisation with
// a name without comparing the name with every candidate. Two names can
// denote one organisation (orgNames.same) only when they have the same
// key, one is an acronym of the other, the shorter is the first two or
// more words of the longer, or the shorter is one word of the longer; the
// index keeps the candidates by each of these, so a lookup reads only the
// candidates that could match. Long pages name thousands of
// organisations, and a scan over all of them for each name made candidate
// finding quadratic.
type candidateIndex struct {
	byKey      map[string][]*candidate
	byFirstTwo map[string][]*candidate // the first two words of a name of two or more
	bySingle   map[string][]*candidate // a name of one word
	byWord     map[string][]*candidate // every word of every name
	byAcronym  map[string][]*candidate // an acronym name, by its letters
	byInitials map[string][]*candidate // a longer name, by the acronyms it may be written as
	order      map[*candidate]int      // when each candidate was first indexed
}

func newCandidateIndex() *candidateIndex {
	return &candidateIndex{byKey: map[string][]*candidate{}, byFirstTwo: map[string][]*candidate{},
		bySingle: map[string][]*candidate{}, byWord: map[string][]*candidate{}, byAcronym: map[string][]*candidate{},
		byInitials: map[string][]*candidate{}, order: map[*candidate]int{}}
}

// add indexes a name of a candidate, whose comparison key is given.
func (ix *candidateIndex) add(c *candidate, name, key string) {
	if _, ok := ix.order[c]; !ok {
		ix.order[c] = len(ix.order)
	}
	words := strings.Fields(key)
	put := func(m map[string][]*candidate, k string) {
		list := m[k]
		if n := len(list); n == 0 || list[n-1] != c {
			m[k] = append(list, c)
		}
	}
	put(ix.byKey, key)
	switch len(words) {
	case 0:
	case 1:
		put(ix.bySingle, words[0])
	default:
		put(ix.byFirstTwo, words[0]+" "+words[1])
	}
	for _, w := range words {
		put(ix.byWord, w)
	}
	if isAcronym(name) {
		put(ix.byAcronym, acronymLetters(name))
	} else {
		for _, a := range initialsOf(name) {
			put(ix.byInitials, a)
		}
	}
}

// first returns the earliest indexed candidate that may share an
// organisation with name (whose key is given) and for which same holds,
// or nil.
func (ix *candidateIndex) first(name, key string, same func(*candidate) bool) *candidate {
	var best *candidate
	consider := func(list []*candidate) {
		// A list holds its candidates in the order they were indexed
		// under its key, so its first match is its earliest.
		for _, c := range list {
			if best != nil && ix.order[c] >= ix.order[best] {
				continue
			}
			if same(c) {
				best = c
				return
			}
		}
	}
	words := strings.Fields(key)
	consider(ix.byKey[key])
	if len(words) >= 2 {
		consider(ix.byFirstTwo[words[0]+" "+words[1]])
	}
	if len(words) == 1 {
		consider(ix.byWord[words[0]])
	}
	for _, w := range words {
		consider(ix.bySingle[w])
	}
	if isAcronym(name) {
		consider(ix.byInitials[acronymLetters(name)])
		consider(ix.byAcronym[acronymLetters(name)])
	} else {
		for _, a := range initialsOf(name) {
			consider(ix.byAcronym[a])
		}
	}
	return best
}

// acronymLetters are the letters of an acronym ("M&S" -> "MS").
func acronymLetters(name string) string {
	var letters []rune
	for _, r := range name {
		if unicode.IsLetter(r) {
			letters = append(letters, r)
		}
	}
	return string(letters)
}

// initialsOf are the acronyms a name may be written as: the initials of
// its capitalised words, and of all its words, an acronym in it giving
// all its letters (see isAcronymOf).
func initialsOf(name string) []string {
	var initials, all []rune
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
		r := []rune(w)[0]
		if isAcronym(w) {
			for _, c := range w {
				if unicode.IsLetter(c) {
					initials, all = append(initials, c), append(all, c)
				}
			}
			continue
		}
		if unicode.IsUpper(r) {
			initials = append(initials, r)
		}
		if unicode.IsLetter(r) {
			all = append(all, unicode.ToUpper(r))
		}
	}
	var out []string
	if len(initials) >= 2 {
		out = append(out, string(initials))
	}
	if len(all) >= 2 && string(all) != string(initials) {
		out = append(out, string(all))
	}
	return out
}
