package incident

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
)

// candidate is a name the text gives that may be a victim: an
// organisation-like run of capitalised words, an acronym, a name with
// digits, with the forms and places the text uses for it.
type candidate struct {
	name     string
	aliases  []string
	keys     forms // name and aliases -> their comparison keys
	mentions []mention
	victims  []*victim // the victims rules found under this name, if any
	features map[string]float64
	score    float64
	saysHit  bool // the subject of a response in a sentence that says it was hit
	source   bool // quoted as a source: "according to X", "told X"
	// listmates are the candidates named in a list with this one ("A, B
	// and C").
	listmates []*candidate
	// sharesFate is set when a list an attack governs holds it and a
	// kept victim: it is a victim too.
	sharesFate bool
}

// mention is one place a candidate is named: the tokens [start, end) of
// sentence sent, or of the headline when sent is headlineSent.
type mention struct {
	sent, start, end int
	// ref marks a reference that stands for the name: "the company", "the
	// hospital" (see resolveReferences).
	ref bool
}

// headlineSent stands for the headline where a sentence index is expected.
const headlineSent = -1

// sentence returns sentence si of the text, or the headline.
func (t *text) sentence(si int) *nlp.Sentence {
	if si == headlineSent {
		return &t.headline
	}
	return &t.sents[si]
}

// firstInText is the candidate's first mention outside the headline, or a
// headline mention when it has none.
func (c *candidate) firstInText() mention {
	for _, m := range c.mentions {
		if m.sent != headlineSent {
			return m
		}
	}
	return c.mentions[0]
}

// victimCandidates lists the names of the headline and the text that may
// be victims, merged by organisation (an acronym with its long form, a
// distinctive word with the whole name), and the victims the rules found.
// A name is left out when it can never be a victim: a dictionary entry, a
// responder, a country, a generic word, the site itself; a source ("according
// to X") stays, marked as one for the model.
func (f *Finder) victimCandidates(t *text, victims *victimList, excluded, sources nameSet) []*candidate {
	var out []*candidate
	ix := newNameIndex[*candidate](f.names)
	site := match.NormName(t.article.Site)
	add := func(name string, m mention) {
		key := match.NormName(name)
		if key == "" || key == site || excluded[key] || f.lex.genericOrgWords[key] || f.lex.regions[key] || f.isCountry(name) || f.demonym(name) || f.placeUnit(name) {
			return
		}
		if c, ok := ix.first(name, key, func(c *candidate) bool {
			return c.keys.denote(f.names, name, key) && !f.names.twoFullNames(forms{name: key}, c.keys)
		}); ok {
			c.mentions = append(c.mentions, m)
			c.addName(name)
			c.source = c.source || sources[key]
			ix.add(c, name, key)
			return
		}
		c := &candidate{name: name, mentions: []mention{m}, keys: forms{name: key}, source: sources[key]}
		ix.add(c, name, key)
		out = append(out, c)
	}
	// A headline in title case ("Hospital Pays Ransom After Attack")
	// capitalises every word, so its names are found by matching the
	// text's candidates against it instead.
	titled := titleCase(&t.headline)
	for si := headlineSent; si < len(t.sents); si++ {
		if t.stopped(si + 1) {
			break
		}
		if si == headlineSent && titled || si != headlineSent && heading(&t.sents[si]) {
			continue // a heading, or the headline repeated in the text
		}
		s := t.sentence(si)
		ments := t.headlineMentions
		if si != headlineSent {
			ments = t.mentions[si]
		}
		sc := f.match.Scan(s, ments, si == headlineSent)
		toks := s.Tokens
		for i := 0; i < len(toks); i++ {
			if !toks[i].Capital() && !match.DigitName(toks[i].Text) {
				continue
			}
			if i > 0 && toks[i-1].Capital() && !match.SentenceStart(toks, i-1) {
				continue // inside a longer name
			}
			if mentionAt(ments, i) {
				continue
			}
			end := sc.OrgName(i)
			if end <= i {
				continue
			}
			end = f.possessiveName(s, sc, i, end)
			for _, part := range f.nameParts(t, si, i, end) {
				if part[1] < len(toks) && f.lex.softwareWords[toks[part[1]].Lower] {
					continue // "pushed Quillon ransomware": software, not its victim
				}
				add(cleanName(spanText(s, part[0], part[1])), mention{sent: si, start: part[0], end: part[1]})
			}
			i = end - 1
		}
	}
	if titled {
		for _, c := range out {
			if i, n := inTitle(&t.headline, c); n > 0 {
				c.mentions = append(c.mentions, mention{sent: headlineSent, start: i, end: i + n})
			}
		}
	}
	out = f.mergeCandidates(out)
	out = t.joinPossessiveNames(out)
	// A single capitalised word that only starts one sentence is most
	// often an ordinary word ("Next", "Infected"), not a name.
	out = slices.DeleteFunc(out, func(c *candidate) bool {
		return len(c.mentions) == 1 && c.mentions[0].sent != headlineSent && c.mentions[0].start == 0 && c.mentions[0].end == 1 ||
			t.onlyStartsSentences(c)
	})
	// The victims the rules found are candidates too, scored the same way.
	ix = newNameIndex[*candidate](f.names)
	for _, c := range out {
		for form, k := range c.keys {
			ix.add(c, form, k)
		}
	}
	for _, v := range victims.list {
		var c *candidate
		for _, name := range append([]string{v.name}, v.aliases...) {
			key := match.NormName(name)
			if found, ok := ix.first(name, key, func(c *candidate) bool { return c.keys.denote(f.names, name, key) }); ok && (c == nil || ix.order[found] < ix.order[c]) {
				c = found
			}
		}
		if c == nil {
			c = &candidate{name: v.name, keys: forms{v.name: match.NormName(v.name)}}
			n := len(nlp.Words(v.name))
			for si, tok := range v.at {
				if tok >= 0 {
					c.mentions = append(c.mentions, mention{sent: si, start: tok, end: tok + n})
				}
			}
			if len(c.mentions) == 0 {
				for si := range v.at {
					c.mentions = append(c.mentions, mention{sent: si})
				}
			}
			out = append(out, c)
		}
		c.victims = append(c.victims, v)
	}
	f.resolveReferences(t, out)
	return out
}

// possessiveName extends the name at tokens [start, end) over a
// possessive and the name after it when that name ends in a word of an
// organisation's kind: "Kettridge's Bakeries", "St Aldric's Hospice",
// "Pemberton's Garden Centres" (not "Microsoft's Azure", nor "Britain's
// National Cyber Security Centre": a place owns no name).
func (f *Finder) possessiveName(s *nlp.Sentence, sc *match.Scan, start, end int) int {
	toks := s.Tokens
	if end+1 >= len(toks) || toks[end].Lower != "'s" || !toks[end+1].Capital() {
		return end
	}
	e := sc.OrgName(end + 1)
	if e <= end+1 || f.isCountry(spanText(s, start, end)) {
		return end
	}
	last := strings.Trim(toks[e-1].Lower, ".")
	if f.lex.genericOrgWords[last] || f.lex.orgSuffixes[last] || f.lex.genericOrgWords[strings.TrimSuffix(last, "s")] ||
		f.sectorOf(toks[e-1:e]) != "" {
		return e
	}
	return end
}

// joinPossessiveNames makes one candidate of a name that holds a
// possessive, "Scotty's Brewhouse", "Uncle Giuseppe's Marketplace": the
// text never names X without "'s" after it ("Scotty's said"), and names Y
// only after "X's". "Microsoft's Azure" stays two when the text also says
// "Microsoft said".
func (t *text) joinPossessiveNames(cands []*candidate) []*candidate {
	at := map[[2]int]*candidate{} // by mention sentence and start
	for _, c := range cands {
		for _, m := range c.mentions {
			if !m.ref {
				at[[2]int{m.sent, m.start}] = c
			}
		}
	}
	possessive := func(m mention) bool {
		toks := t.sentence(m.sent).Tokens
		return m.end < len(toks) && toks[m.end].Lower == "'s"
	}
	drop := map[*candidate]bool{}
	var added []*candidate
	for _, x := range cands {
		if drop[x] || countNamed(x) == 0 {
			continue
		}
		all := true
		joined := map[*candidate][]possessiveSpan{} // Y -> the spans of "X's Y"
		for _, m := range x.mentions {
			if m.ref || t.holdsPossessive(m) {
				continue // "Scotty's Holdings" is a name of its own (possessiveName)
			}
			if !possessive(m) {
				all = false
				break
			}
			if y, ok := at[[2]int{m.sent, m.end + 1}]; ok && y != x && !drop[y] {
				for _, ym := range y.mentions {
					if ym.sent == m.sent && ym.start == m.end+1 {
						joined[y] = append(joined[y], possessiveSpan{mention{sent: m.sent, start: m.start, end: ym.end}, m.end})
					}
				}
			}
		}
		if !all {
			continue
		}
		var y *candidate
		for o, ms := range joined {
			if len(ms) == countNamed(o) && (y == nil || len(ms) > len(joined[y]) || len(ms) == len(joined[y]) && o.name < y.name) {
				y = o
			}
		}
		if y == nil {
			continue
		}
		spans := joined[y]
		m := spans[0]
		for _, o := range spans {
			if !match.SentenceStart(t.sentence(o.sent).Tokens, o.start) {
				m = o // "at Scotty's Brewhouse", not "Every Scotty's Brewhouse"
				break
			}
		}
		name := cleanName(t.span(m.sent, m.start, m.end))
		short := cleanName(t.span(m.sent, m.start, m.xEnd))
		c := &candidate{name: name, keys: forms{name: match.NormName(name)}, source: x.source || y.source}
		c.addName(short)
		for _, o := range x.mentions {
			if o.ref {
				c.mentions = append(c.mentions, o)
				continue
			}
			span := o
			for _, j := range spans {
				if j.sent == o.sent && j.start == o.start {
					span = j.mention
				}
			}
			c.mentions = append(c.mentions, span)
		}
		drop[x], drop[y] = true, true
		added = append(added, c)
	}
	if len(added) == 0 {
		return cands
	}
	return append(slices.DeleteFunc(cands, func(c *candidate) bool { return drop[c] }), added...)
}

// holdsPossessive reports whether a mention's words hold a possessive.
func (t *text) holdsPossessive(m mention) bool {
	for _, tok := range t.sentence(m.sent).Tokens[m.start:m.end] {
		if tok.Lower == "'s" {
			return true
		}
	}
	return false
}

// possessiveSpan is the place of "X's Y": the mention of the whole, and
// where X ends (the "'s").
type possessiveSpan struct {
	mention
	xEnd int
}

// countNamed counts a candidate's mentions by name (not by reference).
func countNamed(c *candidate) int {
	n := 0
	for _, m := range c.mentions {
		if !m.ref && m.end > m.start {
			n++
		}
	}
	return n
}

// onlyStartsSentences reports whether a one-word candidate is a common
// word: named only where a sentence (or a quote, or the headline) begins,
// and written in lower case elsewhere in the text, as it is or in the
// plural ("Bin collections delayed..." with "the borough's bins";
// "Builders' merchants are not hospitals" with "the builders' merchant").
func (t *text) onlyStartsSentences(c *candidate) bool {
	var word nlp.Token
	for _, m := range c.mentions {
		if m.end-m.start != 1 {
			return false
		}
		toks := t.sentence(m.sent).Tokens
		if !match.SentenceStart(toks, m.start) {
			return false
		}
		word = toks[m.start]
	}
	return t.commonNoun(word)
}

// commonNoun reports whether a capitalised word is a common noun the text
// writes in lower case elsewhere, as it is or in the plural.
func (t *text) commonNoun(word nlp.Token) bool {
	if word.Text == "" || word.Text == word.Lower || isAcronym(word.Text) {
		return false
	}
	plural := word
	plural.Text, plural.Lower = word.Text+"s", word.Lower+"s"
	return t.wordCase(word) == writtenLower || t.wordCase(plural) == writtenLower
}

// resolveReferences adds to the candidates the places where the text
// refers to them without their name: "the company said", "the hospital
// paid". "The" and a reference noun stand for the candidate named last
// before them that fits: one whose name holds the noun ("the hospital" for
// Kansas Heart Hospital), or, for a noun any organisation may be called
// by (the lexicon's org-descriptors, "the company", "the firm", and the
// nouns no organisation's name is made of, "the retailer"), one that is
// not a person's name.
func (f *Finder) resolveReferences(t *text, cands []*candidate) {
	if len(f.lex.referenceNouns) == 0 {
		return
	}
	type named struct {
		sent, tok int
		c         *candidate
	}
	var order []named
	for _, c := range cands {
		for _, m := range c.mentions {
			if m.sent != headlineSent && m.end > m.start {
				order = append(order, named{m.sent, m.start, c})
			}
		}
	}
	slices.SortFunc(order, func(a, b named) int {
		if a.sent != b.sent {
			return a.sent - b.sent
		}
		return a.tok - b.tok
	})
	// The mentions a noun may stand for, in text order, one list per noun,
	// so that each reference is a binary search.
	fitting := map[string][]named{}
	fits := func(noun string) []named {
		list, ok := fitting[noun]
		if !ok {
			verdict := map[*candidate]bool{}
			for _, o := range order {
				v, seen := verdict[o.c]
				if !seen {
					v = f.refersTo(noun, o.c)
					verdict[o.c] = v
				}
				if v {
					list = append(list, o)
				}
			}
			fitting[noun] = list
		}
		return list
	}
	for si := range t.sents {
		toks := t.sents[si].Tokens
		for k := 0; k+1 < len(toks); k++ {
			if toks[k].Lower != "the" {
				continue
			}
			// "the supplier", "the regional water supplier": up to two
			// words in lower case before the noun
			n := k + 1
			for n < len(toks) && n <= k+3 && !f.lex.referenceNouns[toks[n].Lower] && toks[n].IsWord() && !toks[n].Capital() && !f.match.NotName(toks[n].Lower) {
				n++
			}
			if n >= len(toks) || !f.lex.referenceNouns[toks[n].Lower] || n+1 < len(toks) && toks[n+1].Capital() && toks[n+1].Lower != "'s" {
				continue
			}
			noun := toks[n].Lower
			list := fits(noun)
			// the last mention before token k of sentence si
			i := sort.Search(len(list), func(i int) bool {
				return list[i].sent > si || list[i].sent == si && list[i].tok >= k
			}) - 1
			if i >= 0 {
				c := list[i].c
				c.mentions = append(c.mentions, mention{sent: si, start: n - 1, end: n + 1, ref: true})
			}
		}
	}
}

// refersTo reports whether "the" and noun may stand for a candidate.
func (f *Finder) refersTo(noun string, c *candidate) bool {
	if !f.lex.orgDescriptors[noun] && (f.lex.genericOrgWords[noun] || f.match.Institution(noun)) {
		return slices.Contains(nlp.LowerWords(c.name), noun)
	}
	return !f.personShaped(c.name) || f.lex.orgSuffixes[strings.ToLower(c.name[strings.LastIndex(c.name, " ")+1:])]
}

// maxForms is the most names a candidate keeps: an organisation has a
// few, and a page that chains thousands of names into one must not make
// every comparison slower.
const maxForms = 16

// addName adds a name to a candidate: the fuller form names it ("Cathay
// Pacific Airways" over "Cathay Pacific", "Marks & Spencer" over "M&S"),
// the others become aliases.
func (c *candidate) addName(name string) {
	if name == c.name || slices.Contains(c.aliases, name) || len(c.keys) >= maxForms {
		return
	}
	if c.keys == nil {
		c.keys = forms{}
	}
	c.keys[name] = match.NormName(name)
	if fuller(name, c.name) {
		name, c.name = c.name, name
	}
	c.aliases = append(c.aliases, name)
}

// mergeCandidates merges the candidates that name one organisation under
// any of their names: a text that says "Colorado" before it says
// "Colorado Department of Transportation" and "CDOT" gives one candidate.
func (f *Finder) mergeCandidates(cands []*candidate) []*candidate {
	var out []*candidate
	ix := newNameIndex[*candidate](f.names)
	for _, c := range cands {
		var into *candidate
		for form, k := range c.keys {
			if o, ok := ix.first(form, k, func(o *candidate) bool {
				return o.keys.denote(f.names, form, k) && !f.names.twoFullNames(c.keys, o.keys)
			}); ok && (into == nil || ix.order[o] < ix.order[into]) {
				into = o
			}
		}
		if into == nil {
			out = append(out, c)
			for form, k := range c.keys {
				ix.add(c, form, k)
			}
			continue
		}
		into.mentions = append(into.mentions, c.mentions...)
		for _, name := range append([]string{c.name}, c.aliases...) {
			into.addName(name)
			ix.add(into, name, into.keys[name])
		}
	}
	return out
}

// twoFullNames reports whether two sets of forms hold full names of two
// organisations: each has a name of two words or more, and none of one's
// denotes one of the other's (or is it but for a plural). A word they share ("Marrowby" of Marrowby
// Borough Council and Marrowby Waste Management) is then a town or a
// brand, not a short form that makes them one.
func (n orgNames) twoFullNames(a, b forms) bool {
	multi := func(fs forms) bool {
		for _, k := range fs {
			if strings.Contains(k, " ") {
				return true
			}
		}
		return false
	}
	if !multi(a) || !multi(b) {
		return false
	}
	for fa, ka := range a {
		if !strings.Contains(ka, " ") {
			continue
		}
		for fb, kb := range b {
			if strings.Contains(kb, " ") && (n.sameKeyed(fa, ka, fb, kb) || singular(ka) == singular(kb)) {
				return false
			}
		}
	}
	return true
}

// singular is a name's key with each word's final "s" dropped: "Hotels
// Group" and "Hotel Group" are one name misspelt.
func singular(key string) string {
	words := strings.Fields(key)
	for i, w := range words {
		if len(w) > 3 {
			words[i] = strings.TrimSuffix(w, "s")
		}
	}
	return strings.Join(words, " ")
}

// nameParts splits the name at tokens [start, end) of sentence si into
// the names it holds: a job title followed by a person's name ends it
// ("Hancock Health CEO Steve Long" is Hancock Health), and "and" joins two
// names when one of them is an organisation's ("British Airways and
// Cathay Pacific") or the text names one of them alone ("FedEx and
// PetroChina" when it also says "FedEx"); "Marks and Spencer" stays whole.
func (f *Finder) nameParts(t *text, si, start, end int) [][2]int {
	toks := t.sentence(si).Tokens
	for k := start + 1; k+1 < end; k++ {
		if f.lex.jobTitles[toks[k].Lower] && f.personAfterTitle(toks, k+1, end) {
			end = k
			break
		}
	}
	// "Minister of State Ossian Smyth": a person's name ends the run
	// when the text uses its last word as a surname.
	if end-start >= 3 && si != headlineSent && f.surnameUsed(t, toks[end-2].Text+" "+toks[end-1].Text) {
		end -= 2
	}
	// The last two items of a comma list: ", Wexley Mutual and Harrow
	// Credit Union".
	listed := inList(toks, start)
	for k := start + 1; k+1 < end; k++ {
		if toks[k].Lower != "and" {
			continue
		}
		if listed && toks[k+1].Capital() {
			return append([][2]int{{start, k}}, f.nameParts(t, si, k+1, end)...)
		}
		left, right := [2]int{start, k}, [2]int{k + 1, end}
		if f.lex.genericOrgWords[toks[k+1].Lower] {
			continue // "Kingsmere and District Hospitals NHS Trust"
		}
		// A single word named alone may be the short form of the whole
		// name ("Kingsmere"), so it is no evidence of two names.
		leftAlone := k-start > 1 && t.namedAloneElsewhere(si, toks, left)
		fullLeft := f.twoNamesJoined(t.span(si, start, k), t.span(si, k+1, end))
		// "A in Bristol and B Medical Centre": a place after "in", then
		// an organisation
		placeLeft := start > 0 && toks[start-1].Lower == "in" && f.lex.genericOrgWords[strings.Trim(toks[end-1].Lower, ".")]
		if f.orgEnding(toks, left) || f.orgEnding(toks, right) || leftAlone || fullLeft || placeLeft || t.namedAloneElsewhere(si, toks, right) {
			return append([][2]int{left}, f.nameParts(t, si, k+1, end)...)
		}
	}
	return [][2]int{{start, end}}
}

// twoNamesJoined reports whether "left and right" are two organisations'
// names: "Brackenmoor Building Society and Cindervale Insurance", a name of
// two words or more that ends in a kind of organisation, then another name
// of two words or more ("Marks and Spencer Group" has one word before
// "and").
func (f *Finder) twoNamesJoined(left, right string) bool {
	lw, rw := strings.Fields(match.NormName(left)), strings.Fields(match.NormName(right))
	return len(lw) >= 2 && len(rw) >= 2 && f.lex.genericOrgWords[lw[len(lw)-1]]
}

// personAfterTitle reports whether tokens [from, end) after a job title
// are a person's name: one to three capitalised words, none a word of an
// organisation's name ("Hancock Health CEO Steve Long", not
// "Massachusetts General Hospital").
func (f *Finder) personAfterTitle(toks []nlp.Token, from, end int) bool {
	if end-from < 1 || end-from > 3 {
		return false
	}
	for _, tok := range toks[from:end] {
		w := strings.Trim(tok.Lower, ".")
		if !tok.Capital() || f.lex.genericOrgWords[w] || f.lex.orgSuffixes[w] || f.match.Institution(w) || f.lex.jobTitles[w] {
			return false
		}
	}
	return true
}

// orgEnding reports whether the name at tokens span ends in a word that
// ends organisations' names ("Airways", "Inc").
func (f *Finder) orgEnding(toks []nlp.Token, span [2]int) bool {
	return f.lex.orgSuffixes[strings.Trim(toks[span[1]-1].Lower, ".")]
}

// namedAloneElsewhere reports whether the name at tokens span of sentence
// si is named in another sentence or the headline, not followed by "and"
// or "&".
func (t *text) namedAloneElsewhere(si int, toks []nlp.Token, span [2]int) bool {
	words := make([]string, 0, span[1]-span[0])
	for _, tok := range toks[span[0]:span[1]] {
		words = append(words, tok.Text)
	}
	alone := func(other []nlp.Token, i int) bool {
		if !wordsAt(other, i, words) {
			return false
		}
		next := i + len(words)
		return !(next < len(other) && (other[next].Lower == "and" || other[next].Text == "&") ||
			i > 0 && (other[i-1].Lower == "and" || other[i-1].Text == "&"))
	}
	if si != headlineSent {
		for i := range t.headline.Tokens {
			if alone(t.headline.Tokens, i) {
				return true
			}
		}
	}
	// the sentences, through the index of words
	for _, p := range t.positions(words[0]) {
		if p.sent != si && alone(t.sents[p.sent].Tokens, p.tok) {
			return true
		}
	}
	return false
}

// placeUnit reports whether a name is a place and a word for a part of
// an organisation (the lexicon's part-words): "UK arm" of "Peñalara
// Hotels' UK arm" is no organisation of its own ("the Costa Rican
// government" is).
func (f *Finder) placeUnit(name string) bool {
	words := strings.Fields(name)
	return len(words) >= 2 && f.lex.partWords[strings.ToLower(words[len(words)-1])] &&
		f.isCountry(strings.Join(words[:len(words)-1], " "))
}

// fuller reports whether name is a fuller form of short: short is its
// acronym, or name has more words and short is its beginning or one of
// its words.
func fuller(name, short string) bool {
	if isAcronym(short) {
		return isAcronymOf(short, name)
	}
	long, part := strings.Fields(match.NormName(name)), strings.Fields(match.NormName(short))
	return len(long) > len(part) && (beginsWith(name, short) || len(part) == 1 && slices.Contains(long, part[0]))
}

// titleCase reports whether a headline capitalises most of its words, as
// some sites do: at least three words of four letters or more, and no
// more than one of them in lower case.
func titleCase(s *nlp.Sentence) bool {
	words, lower := 0, 0
	for _, tok := range s.Tokens {
		if len(tok.Text) < 4 || !unicode.IsLetter([]rune(tok.Text)[0]) {
			continue
		}
		words++
		if !tok.Capital() {
			lower++
		}
	}
	return words >= 3 && lower <= 1
}

// heading reports whether a sentence of the text is a heading: every word
// of four letters or more capitalised, and no full stop at its end (a
// sentence that lists names, "Wexley Mutual, Harrow Credit Union and
// Kingsmere Building Society were hit.", is prose).
func heading(s *nlp.Sentence) bool {
	toks := s.Tokens
	if len(toks) == 0 || toks[len(toks)-1].Text == "." || !titleCase(s) {
		return false
	}
	for _, tok := range toks {
		if len(tok.Text) >= 4 && unicode.IsLetter([]rune(tok.Text)[0]) && !tok.Capital() {
			return false
		}
	}
	return true
}

// inTitle finds a candidate in a title-case headline, in any case: one of
// its names, or the first two or more words of its name ("Cathay Pacific"
// of "Cathay Pacific Airways"). It returns the first token and the length
// of the match, or -1, 0.
func inTitle(h *nlp.Sentence, c *candidate) (start, n int) {
	forms := [][]string{}
	for _, name := range append([]string{c.name}, c.aliases...) {
		words := nlp.LowerWords(name)
		for k := len(words); k >= 2 || k == len(words) && k > 0; k-- {
			forms = append(forms, words[:k])
		}
	}
	return findPhrase(h.Tokens, forms, nil)
}

// mentionAt reports whether a dictionary mention starts at token i.
func mentionAt(ments []match.Mention, i int) bool {
	for _, m := range ments {
		if m.Start == i {
			return true
		}
	}
	return false
}
