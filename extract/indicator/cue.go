package indicator

import (
	"bytes"
	"sort"
	"strings"
)

// cueWindow bounds the sentence searched for cues, in bytes either side
// of the indicator: a text without full stops (a list, a table) is not
// one sentence.
const cueWindow = 300

// cueTable finds cue words and phrases.
type cueTable struct {
	words map[string]cueKind // single words
	// ends marks the first and last bytes of the single words, which
	// turn most words of a text away before the map is asked
	ends     [128][128]bool
	prefixes [256][]cuePrefix // words with a "*", by first byte
	phrases  []cuePhrase
}

// cueKind says which lists a cue is on.
type cueKind uint8

const (
	cueAny cueKind = 1 << iota
	cueStrong
)

type cuePrefix struct {
	prefix []byte
	kind   cueKind
}

type cuePhrase struct {
	words []string
	kind  cueKind
}

// newCueTable builds the table of the cue lists: indicator cues, and the
// address cues that are both kinds.
func newCueTable(indicatorCues, addressCues []string) *cueTable {
	t := &cueTable{words: map[string]cueKind{}}
	add := func(c string, kind cueKind) {
		words := strings.Fields(strings.ToLower(c))
		c = strings.Join(words, " ")
		switch {
		case len(words) == 0 || c == "*":
			return
		case len(words) > 1:
			t.phrases = append(t.phrases, cuePhrase{words: words, kind: kind})
		case strings.HasSuffix(c, "*"):
			t.prefixes[c[0]] = append(t.prefixes[c[0]], cuePrefix{prefix: []byte(strings.TrimSuffix(c, "*")), kind: kind})
		default:
			t.words[c] |= kind
			t.ends[c[0]&127][c[len(c)-1]&127] = true
		}
	}
	for _, c := range indicatorCues {
		add(c, cueAny)
	}
	for _, c := range addressCues {
		add(c, cueAny|cueStrong)
	}
	return t
}

// match returns the lists that the lower-case word w is a cue of.
func (t *cueTable) match(w []byte) cueKind {
	if len(w) == 0 {
		return 0
	}
	var kind cueKind
	if t.ends[w[0]&127][w[len(w)-1]&127] {
		kind = t.words[string(w)]
	}
	for _, p := range t.prefixes[w[0]] {
		if bytes.HasPrefix(w, p.prefix) {
			kind |= p.kind
		}
	}
	return kind
}

// cueIndex is where a text's cue words and sentence ends are, found in
// one pass when the first candidate asks.
type cueIndex struct {
	any, strong []int // offsets of cue words, ascending
	stops       []int // offsets of sentence ends, ascending
}

// indexCues tokenises s once. Tokens that hold an address
// ("evil-site.com", "a@b", "x/y") are not words: a domain named
// "malicious-site.net" is not its own cue. A sentence ends at a line
// break, or at a full stop, question or exclamation mark before a space.
func indexCues(s string, cues *cueTable) *cueIndex {
	ci := &cueIndex{}
	var stateBuf [4]int
	state := stateBuf[:0]
	for range cues.phrases {
		state = append(state, 0) // words of each phrase seen
	}
	var buf [40]byte
	for i := 0; i < len(s); {
		c := s[i]
		if byteClass[c]&clToken == 0 {
			if c == '\n' || ((c == '!' || c == '?') && (i+1 == len(s) || isSpace(s[i+1]))) {
				ci.stops = append(ci.stops, i)
				clear(state)
			}
			i++
			continue
		}
		j := i
		for j < len(s) && byteClass[s[j]]&clToken != 0 {
			j++
		}
		a, b := i, j
		i = j
		if s[j-1] == '.' && (j == len(s) || isSpace(s[j])) {
			ci.stops = append(ci.stops, j-1)
		}
		for a < b && (s[a] == '.' || s[a] == '-' || s[a] == '_') {
			a++
		}
		for b > a && strings.IndexByte(".:/@\\-_", s[b-1]) >= 0 {
			b--
		}
		if a == b {
			continue
		}
		n := 0
		address := false
		for k := a; k < b; k++ {
			c := s[k]
			switch c {
			case '.', '@', '/', ':', '\\':
				address = true
			}
			if n < len(buf) {
				buf[n] = lowerByte(c)
				n++
			}
		}
		if address {
			clear(state)
			continue
		}
		w := buf[:n]
		if b-a > len(buf) {
			w = w[:0:len(buf)] // too long for a word: only prefixes could match
		}
		kind := cues.match(w)
		for p, ph := range cues.phrases {
			switch string(w) {
			case ph.words[state[p]]:
				state[p]++
			case ph.words[0]:
				state[p] = 1
			default:
				state[p] = 0
			}
			if state[p] == len(ph.words) {
				kind |= ph.kind
				state[p] = 0
			}
		}
		if kind == 0 && bytes.IndexByte(w, '-') >= 0 {
			for part := range bytes.SplitSeq(w, []byte("-")) {
				kind |= cues.match(part)
			}
		}
		if kind&cueAny != 0 {
			ci.any = append(ci.any, a)
		}
		if kind&cueStrong != 0 {
			ci.strong = append(ci.strong, a)
		}
	}
	return ci
}

// hasCue reports whether the sentence of s[a:b] has a cue outside it; a
// strong one when strong is set. Only cueWindow bytes either side count,
// so that a text without full stops is no single sentence.
func (sc *scan) hasCue(a, b int, strong bool) bool {
	if sc.cues == nil {
		sc.cues = indexCues(sc.s, sc.f.cues)
	}
	ci := sc.cues
	lo, hi := max(0, a-cueWindow), min(len(sc.s), b+cueWindow)
	if k := sort.SearchInts(ci.stops, a); k > 0 {
		lo = max(lo, ci.stops[k-1]+1)
	}
	if k := sort.SearchInts(ci.stops, b); k < len(ci.stops) {
		hi = min(hi, ci.stops[k])
	}
	pos := ci.any
	if strong {
		pos = ci.strong
	}
	for k := sort.SearchInts(pos, lo); k < len(pos) && pos[k] < hi; k++ {
		if pos[k] < a || pos[k] >= b {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// versionBefore reports whether one of the three words before s[a] is a
// version word, in the same sentence.
func (f *Finder) versionBefore(s string, a int) bool {
	i := a
	lo := max(0, a-64)
	for n := 0; n < 3; n++ {
		for i > lo && !isAlnum(s[i-1]) {
			if s[i-1] == '\n' || (strings.IndexByte(".!?", s[i-1]) >= 0 && i < len(s) && isSpace(s[i])) {
				return false
			}
			i--
		}
		j := i
		for i > lo && isAlnum(s[i-1]) {
			i--
		}
		if i == j {
			return false
		}
		w := strings.ToLower(s[i:j])
		if f.versionWords[w] {
			return true
		}
	}
	return false
}
