package misp

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The patterns of cluster names that cleanName and readCluster tidy or
// drop.
var (
	mitreSuffixRE = regexp.MustCompile(`\s+-\s+[GS][0-9]{4}$`)
	attackIDRE    = regexp.MustCompile(`^[GS][0-9]{4}$`)
	// attackURLRE finds the ATT&CK page of a group or of software, as
	// attack.mitre.org gives it now (/groups/G0007/) and as its old wiki
	// did (/wiki/Group/G0007): the id must fill the path segment, so
	// that /groups/G00071 or /software/S0002x give nothing, and the page
	// kind must match the id's letter.
	attackURLRE = regexp.MustCompile(`(?i:^https?://attack\.mitre\.org/)(?:(?:groups|wiki/Group)/(G[0-9]{4})|(?:software|wiki/Software)/(S[0-9]{4}))(?:[/?#]|$)`)
	// clusterUUIDRE is a cluster uuid as MISP writes it, once lower-cased:
	// the RFC 4122 text form that rules.ParseFile accepts for
	// external_ids' misp-galaxy.
	clusterUUIDRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	parenRE       = regexp.MustCompile(`\s*\([^()]*\)$`)
	ransomSufRE   = regexp.MustCompile(`(?i)\s+ransoms?ware$`)
	// detectionRE finds antivirus detection names ("Trojan.Win32.Agent",
	// "Backdoor:Win32/Foo", "Agent.dhwf"): a separator between letters
	// inside a word.
	detectionRE = regexp.MustCompile(`[A-Za-z0-9][.:/!@\\][A-Za-z]`)
)

// cleanName tidies a cluster's name; ok is false when nothing usable is
// left.
func cleanName(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	s = mitreSuffixRE.ReplaceAllString(s, "")
	for i := 0; i < 3 && parenRE.MatchString(s); i++ { // "AppleJeus (OS X)"
		s = parenRE.ReplaceAllString(s, "")
	}
	s = strings.Trim(s, " \"'`")
	if stem := ransomSufRE.ReplaceAllString(s, ""); stem != "" {
		s = stem
	}
	switch {
	case utf8.RuneCountInString(s) < 2 || len(s) > 60:
		return "", false
	case !strings.ContainsFunc(s, unicode.IsLetter):
		return "", false
	case strings.ContainsAny(s, "\"()[]{}<>|"): // "prepending (enc) ransomware" (Not an official name)
		return "", false
	case detectionRE.MatchString(s) && !strings.HasPrefix(s, "TEMP."):
		return "", false
	}
	if strings.ToLower(s) == s {
		// Ransomware leak-site names are written lower-case ("play",
		// "ransomhub"); their capitals are the usual ones.
		s = titleWords(s)
	}
	return s, true
}

// titleWords capitalises the first letter of each word.
func titleWords(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// looseKey is how names are compared to merge clusters: letters and digits
// only, lower-case ("Black Basta", "BlackBasta" and "black-basta" are one).
func looseKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldKey is how names are compared within an entry, as the loader's
// checks do: lower-case, curly apostrophes straight, spaces collapsed.
func foldKey(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

func cmpFold(a, b string) int {
	if c := strings.Compare(foldKey(a), foldKey(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// slug turns a name into the last part of an id; a name with no Latin
// letters or digits uses its cluster's uuid.
func slug(name, uuid string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if f, ok := latinFold[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		u := strings.ToLower(strings.ReplaceAll(uuid, "-", ""))
		if len(u) > 8 {
			u = u[:8]
		}
		if !validIDPart(u) {
			u = "x"
		}
		return "cluster-" + u
	}
	return b.String()
}

// validIDPart reports whether s may be part of an id: lower-case letters,
// digits, '.', '-' and '_', as package rules' loader requires.
func validIDPart(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.' || r == '-' || r == '_')
	})
}

// latinFold spells accented Latin letters without their accents, for ids.
var latinFold = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e',
	'ê': 'e', 'ë': 'e', 'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ı': 'i', 'ñ': 'n', 'ò': 'o',
	'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
	'ý': 'y', 'ÿ': 'y', 'ş': 's', 'ğ': 'g', 'č': 'c', 'š': 's', 'ž': 'z', 'ł': 'l', 'ś': 's',
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// nameClass is what kind of word a name is.
type nameClass int

const (
	nameDistinct nameClass = iota // a name and nothing else: "LockBit", "Emotet", "APT28"
	nameOrdinary                  // also plain English, a place or a product: "Play", "Crisis", "Telegram"
	nameGeneric                   // no name at all: "Ransomware", "Unidentified 104", "Group 3"
	nameCapitals                  // a name only with its capitals: "WildFire", "LandSlide" (not "landslide")
)

// classify tells a distinctive name from an ordinary or generic one:
//   - one plain word ("Payment", "Kinsing", "UPPERCUT") is ordinary: no
//     list of English words is complete, and a lone word is what news
//     uses in other senses; so is a name of three characters ("X4");
//   - a coined spelling is a name: with digits ("APT28") anywhere, with
//     inner capitals ("LockBit", "WildFire") only so written, since its
//     parts may make a word ("wildfire", "landslide");
//   - a phrase is a name ("Aqua Blizzard") unless all its words are
//     ordinary ("Brown Fox") or it is a person's ("Donald Trump").
func (w *vocabulary) classify(name string) nameClass {
	words := nameWords(name)
	if len(words) == 0 {
		return nameGeneric
	}
	generic, ordinary := true, true
	for _, word := range words {
		lw := strings.ToLower(word)
		isNum := !strings.ContainsFunc(word, unicode.IsLetter)
		if !isNum && !w.generic[lw] {
			generic = false
		}
		if !isNum && !w.generic[lw] && !w.isOrdinaryWord(word, len(words) == 1) {
			ordinary = false
		}
	}
	switch {
	case generic:
		return nameGeneric
	case ordinary, utf8.RuneCountInString(name) <= 3:
		return nameOrdinary
	case len(words) == 2 && w.firstNames[strings.ToLower(words[0])]:
		return nameOrdinary
	case len(words) > 1:
		return nameDistinct
	case strings.ContainsFunc(name, unicode.IsDigit):
		return nameDistinct
	case camelCase(words[0]):
		return nameCapitals
	}
	return nameOrdinary
}

// nameWords splits a name into its words: runs of letters and digits.
func nameWords(name string) []string {
	return strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// ordinaryAlias reports an other name that an entry cannot keep: one word
// that the lists know as ordinary, or that is too short to be sure of.
func (w *vocabulary) ordinaryAlias(name string) bool {
	words := nameWords(name)
	return len(words) == 1 && w.isOrdinaryWord(words[0], true)
}

// dictionaryWord reports a name that is one word of the lists ("Snake",
// "hunters"), not merely a short one ("Kazu").
func (w *vocabulary) dictionaryWord(name string) bool {
	words := nameWords(name)
	return len(words) == 1 && w.isOrdinaryWord(words[0], false)
}

// isOrdinaryWord reports whether one word is plain English (or a place, a
// myth, a first name, a product) rather than a coined name. alone is true
// when the word is the whole name, where short words count as ordinary.
func (w *vocabulary) isOrdinaryWord(word string, alone bool) bool {
	if strings.ContainsFunc(word, unicode.IsDigit) {
		return false
	}
	// Capitals do not make a word coined: "BLame" is matched as "blame".
	lw := strings.ToLower(word)
	n := utf8.RuneCountInString(lw)
	switch {
	case alone && n <= 3:
		return true // acronyms and short words: "BB", "Net", "RAT"
	case alone && n == 4 && !camelCase(word):
		return true // "ZINC", "Lena", "Isda": too short to be sure of

	case w.ordinary[lw] || w.generic[lw] || w.countries[lw] != "":
		return true
	}
	for _, suf := range []string{"s", "es", "ed", "d", "ing", "er", "ers", "ly"} {
		stem, ok := strings.CutSuffix(lw, suf)
		if suf == "d" && !strings.HasSuffix(stem, "e") {
			continue // "saved", not "chinad"
		}
		if ok && len(stem) >= 3 && w.ordinary[stem] {
			return true
		}
	}
	return false
}

// camelCase reports a coined spelling: a capital inside a word that is
// not all capitals ("LockBit", "JCrypt", "HidraQ").
func camelCase(s string) bool {
	lower, inner := false, false
	for i, r := range s {
		lower = lower || unicode.IsLower(r)
		inner = inner || i > 0 && unicode.IsUpper(r)
	}
	return lower && inner
}
