package misp

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/incidex/incidex/rules"
)

// The word lists of words/ decide which names are plain English rather than
// coined. Each is a text file of one word a line:
//
//	# A comment line: what the list holds and why.
//	# Comment lines start with "#"; blank lines are ignored.
//	word
//	another
//
// A word is lower-case letters and digits, as nameWords splits names and
// strings.ToLower spells them (anything else could never match), and
// appears once in its file. Words are matched whole, and by
// isOrdinaryWord also with a plain ending.

//go:embed words/first-names.txt words/generic.txt words/ordinary.txt
var wordFiles embed.FS

// lexicon is the word lists, read once. Nothing writes to its maps after
// readLexicon returns.
type lexicon struct {
	ordinary   map[string]bool // ordinary.txt and first-names.txt
	generic    map[string]bool // generic.txt
	firstNames map[string]bool // first-names.txt
}

// loadLexicon reads the embedded word lists the first time it is called.
// They are part of the binary, so an error is a bug that TestWordLists
// catches before a release.
var loadLexicon = sync.OnceValue(func() *lexicon {
	lx, err := readLexicon(wordFiles)
	if err != nil {
		panic(err)
	}
	return lx
})

// readLexicon reads the word lists words/first-names.txt, words/generic.txt
// and words/ordinary.txt of fsys.
func readLexicon(fsys fs.FS) (*lexicon, error) {
	read := func(name string) (map[string]bool, error) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read word list: %w", err)
		}
		return parseWords(name, data)
	}
	var lx lexicon
	var err error
	if lx.firstNames, err = read("words/first-names.txt"); err != nil {
		return nil, err
	}
	if lx.generic, err = read("words/generic.txt"); err != nil {
		return nil, err
	}
	if lx.ordinary, err = read("words/ordinary.txt"); err != nil {
		return nil, err
	}
	// A first name on its own is an ordinary word ("Mark", "Grace").
	for w := range lx.firstNames {
		lx.ordinary[w] = true
	}
	return &lx, nil
}

// parseWords reads one word list; errors are "name:line: message".
func parseWords(name string, data []byte) (map[string]bool, error) {
	at := map[string]int{} // word -> its line
	for i, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		switch {
		case s == "" || strings.HasPrefix(s, "#"):
			continue
		case strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsLower(r) && !unicode.IsDigit(r) }):
			return nil, fmt.Errorf("%s:%d: %q is not one word of lower-case letters and digits", name, i+1, s)
		case at[s] > 0:
			return nil, fmt.Errorf("%s:%d: %q is already on line %d", name, i+1, s, at[s])
		}
		at[s] = i + 1
	}
	words := make(map[string]bool, len(at))
	for w := range at {
		words[w] = true
	}
	return words, nil
}

// vocabulary holds the vocabulary that decides which names are ordinary and
// which are another entry's, for one import. The word lists are the
// lexicon's, shared by every import and never written to.
type vocabulary struct {
	ordinary   map[string]bool
	generic    map[string]bool
	firstNames map[string]bool
	countries  map[string]string          // lower-case country name -> code, from Known
	blocked    map[string]bool            // looseKeys that are never aliases
	respelled  map[string]bool            // names cleanName capitalised
	known      map[string]map[string]bool // section -> looseKeys of Known actors and tooling
	knownRW    map[string]bool            // looseKeys of Known tooling that is also an actor
}

func newVocabulary(known []*rules.Pack) *vocabulary {
	lx := loadLexicon()
	w := &vocabulary{ordinary: lx.ordinary, generic: lx.generic, firstNames: lx.firstNames, countries: map[string]string{},
		blocked: map[string]bool{}, respelled: map[string]bool{}, known: map[string]map[string]bool{"actors": {}, "tooling": {}}, knownRW: map[string]bool{}}
	block := func(s string) {
		if k := looseKey(s); k != "" {
			w.blocked[k] = true
		}
	}
	set := rules.NewSet(known...)
	for _, c := range set.Countries {
		for _, n := range append(slices.Clone(c.Names), c.Demonyms...) {
			w.countries[strings.ToLower(n)] = c.Code
			block(n)
		}
	}
	for _, s := range set.Sectors {
		for _, k := range s.Keywords {
			block(k)
		}
	}
	for _, l := range [][]rules.Entity{set.Responders, set.Outlets} {
		for _, e := range l {
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				block(n)
			}
		}
	}
	for _, e := range set.Actors {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			w.known["actors"][looseKey(n)] = true
		}
	}
	for _, e := range set.Tooling {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			switch {
			case e.Kind == "technique" || e.Kind == "vulnerability":
				block(n)
			default:
				w.known["tooling"][looseKey(n)] = true
				if e.Actor {
					w.knownRW[looseKey(n)] = true
				}
			}
		}
	}
	return w
}

// covered reports whether a known entry of the same section holds one of
// the entry's names; ransomware that is also an actor and known actors, or
// known ransomware brands, cover each other.
func (w *vocabulary) covered(e rules.Entity, keys map[string]string) bool {
	sec := entitySection(e)
	for k := range keys {
		switch {
		case w.known[sec][k]:
			return true
		case sec == "actors" && w.knownRW[k], e.Actor && w.known["actors"][k]:
			return true
		}
	}
	return false
}

// otherSection reports whether a known entry of the other section holds
// the name with looseKey k.
func (w *vocabulary) otherSection(e rules.Entity, k string) bool {
	if entitySection(e) == "actors" {
		return w.known["tooling"][k]
	}
	return w.known["actors"][k]
}
