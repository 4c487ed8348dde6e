package incident

import (
	"strings"
	"unicode"
)

// nameIndex finds the candidates (or victims) that may share an
// organisation with a name without comparing the name with every one. Two names can
// denote one organisation (orgNames.same) only when they have the same
// key, one is an acronym of the other, the shorter is the first two or
// more words of the longer, or the shorter is one word of the longer; the
// index keeps the candidates by each of these, so a lookup reads only the
// candidates that could match. Long pages name thousands of
// organisations, and a scan over all of them for each name made candidate
// finding quadratic.
type nameIndex[T comparable] struct {
	byKey      map[string][]T
	byFirstTwo map[string][]T  // the first two words of a name of two or more
	bySingle   map[string][]T  // a name of one word
	byWord     map[string][]T  // every word of every name
	byAcronym  map[string][]T  // an acronym name, by its letters
	byInitials map[string][]T  // a longer name, by the acronyms it may be written as
	order      map[T]int       // when each entry was first indexed
	generic    map[string]bool // words naming a kind of organisation, never a distinctive part
}

func newNameIndex[T comparable](n orgNames) *nameIndex[T] {
	return &nameIndex[T]{generic: n.generic, byKey: map[string][]T{}, byFirstTwo: map[string][]T{},
		bySingle: map[string][]T{}, byWord: map[string][]T{}, byAcronym: map[string][]T{},
		byInitials: map[string][]T{}, order: map[T]int{}}
}

// add indexes a name of an entry, whose comparison key is given.
func (ix *nameIndex[T]) add(c T, name, key string) {
	if _, ok := ix.order[c]; !ok {
		ix.order[c] = len(ix.order)
	}
	words := strings.Fields(key)
	put := func(m map[string][]T, k string) {
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

// first returns the earliest indexed entry that may share an organisation
// with name (whose key is given) and for which same holds, and whether
// there is one.
func (ix *nameIndex[T]) first(name, key string, same func(T) bool) (T, bool) {
	var best T
	found := false
	consider := func(list []T) {
		// A list holds its entries in the order they were indexed under
		// its key, so its first match is its earliest.
		for _, c := range list {
			if found && ix.order[c] >= ix.order[best] {
				continue
			}
			if same(c) {
				best, found = c, true
				return
			}
		}
	}
	words := strings.Fields(key)
	consider(ix.byKey[key])
	if len(words) >= 2 {
		consider(ix.byFirstTwo[words[0]+" "+words[1]])
	}
	if len(words) == 1 && len(words[0]) >= 4 && !ix.generic[words[0]] {
		// a distinctive word of longer names (see orgNames.same)
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
	return best, found
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
