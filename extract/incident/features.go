package incident

import (
	"math"
	"slices"
	"strings"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
)

// roleFeatures adds the features of the candidate's role that one of its
// places in a sentence gives: the attack of the sentence and of the
// clause, the verbs around it, the attack it is the object of, what it
// owns. start is the first token of the name, or of the noun of a
// reference ("company" of "the company"); end is one past the last.
func (f *Finder) roleFeatures(s *nlp.Sentence, start, end int, c *candidate, x map[string]float64) {
	toks := s.Tokens
	if f.aboutAttack(s) {
		x["attack_sentence"] = 1
	}
	if f.attackInClause(toks, start, end) {
		x["attack_clause"] = 1
	}
	// a name between commas after its description ("its contractor, X,
	// was hit"; "one hospital, X in Indiana, paid") takes the verb after
	// the second comma
	after := -1
	if appositive(toks, start, end) {
		if k := f.skipOwned(toks, end); k < len(toks) && toks[k].Text == "," {
			after = k + 1
		} else if end < len(toks) && toks[end].Text == "," {
			after = end + 1
		}
	}
	if f.passiveHit(toks, end) || after > 0 && f.passiveHit(toks, after) {
		x["passive_hit"] = 1
	}
	if f.attackOn(toks, start) {
		x["attack_on"] = 1
	}
	if f.possessor(toks, start, end) {
		x["possessor"] = 1
	}
	if f.takenFrom(toks, start) {
		x["taken_from"] = 1
	}
	for _, e := range []int{end, after} {
		if e < 0 {
			continue
		}
		if f.responds(toks, e) {
			x["response"] = 1
			c.saysHit = c.saysHit || f.saysItWasHit(toks, e)
		}
		if f.acts(toks, e) {
			x["victim_action"] = 1
		}
	}
}

// allFeatures computes the features of every candidate: each its own
// (victimFeatures), then what the lists of names give all their members
// (shareInList: the verb after the list, the attack before it, a victim
// listed with them).
func (f *Finder) allFeatures(t *text, cands []*candidate) {
	for _, c := range cands {
		f.victimFeatures(t, c)
	}
	bySent := map[int][]listPlace{}
	for _, c := range cands {
		for _, m := range c.mentions {
			if m.end > m.start {
				bySent[m.sent] = append(bySent[m.sent], listPlace{m.start, m.end, c})
			}
		}
	}
	for si, places := range bySent {
		slices.SortFunc(places, func(a, b listPlace) int { return a.start - b.start })
		toks := t.sentence(si).Tokens
		// the place of an item is part of it, no item of its own: "A in
		// Bristol and B in Swansea"
		places = slices.DeleteFunc(places, func(p listPlace) bool {
			return p.start > 1 && (toks[p.start-1].Lower == "in" || toks[p.start-1].Lower == "the" && toks[p.start-2].Lower == "in") &&
				slices.ContainsFunc(places, func(o listPlace) bool { return o.end == p.start-1 || o.end == p.start-2 })
		})
		// Runs of names joined only by commas and "and": one list.
		for i := 0; i < len(places); {
			j := i + 1
			for j < len(places) && listJoin(toks, places[j-1].end, places[j].start) {
				j++
			}
			if j-i > 1 {
				f.shareInList(toks, places[i:j], f.countedVictims(t, si, places[i].start))
			}
			i = j
		}
	}
}

// shareInList gives every name of a list what the list's position says
// of all of them: the verb after the last name has them all as subject
// ("A, B and C all confirmed"), the attack before the first has them all
// as object ("attacks on A, B and C"); and each is listed with a victim a
// rule named, when one is.
func (f *Finder) shareInList(toks []nlp.Token, list []listPlace, counted bool) {
	first, last := list[0], list[len(list)-1]
	for _, p := range list {
		p.c.saysHit = p.c.saysHit || f.responds(toks, last.end) && f.saysItWasHit(toks, last.end)
		for _, o := range list {
			if o.c != p.c && !slices.Contains(p.c.listmates, o.c) {
				p.c.listmates = append(p.c.listmates, o.c)
			}
		}
	}
	shared := map[string]bool{
		"response":      f.responds(toks, last.end),
		"victim_action": f.acts(toks, last.end),
		"passive_hit":   f.passiveHit(toks, last.end),
		"attack_on":     counted || f.attackOn(toks, first.start),
		"taken_from":    f.takenFrom(toks, first.start),
		"possessor":     f.possessor(toks, first.start, last.end),
	}
	for _, p := range list {
		if slices.ContainsFunc(p.c.victims, func(v *victim) bool { return v.textHits > 0 }) {
			shared["listed_with"] = true
		}
	}
	for _, p := range list {
		for feature, ok := range shared {
			if ok {
				p.c.features[feature] = 1
			}
		}
	}
}

// listPlace is a candidate's mention in a sentence's list of names.
type listPlace struct {
	start, end int
	c          *candidate
}

// listJoin reports whether the tokens [from, to) only join two items of
// a list: commas, semicolons, "and", "or", "as well as", "the", a
// parenthesis after an item, and an appositive that a semicolon ends.
func listJoin(toks []nlp.Token, from, to int) bool {
	if toks[from].Text == "(" {
		// "the HSE (which said it stopped the ransomware), FedEx and ..."
		for k := from + 1; k < to && k <= from+20; k++ {
			if toks[k].Text == ")" {
				from = k + 1
				break
			}
		}
	}
	if to-from > 2 && toks[from].Text == "," && !toks[from+1].Capital() {
		// "A, both of which had disclosed breaches; the B": an
		// appositive up to the semicolon that ends a list's item
		for k := from + 2; k < to && k <= from+16; k++ {
			if toks[k].Text == ";" {
				from = k
				break
			}
		}
	}
	if to <= from || to-from > 6 {
		return false
	}
	for k := from; k < to; k++ {
		switch toks[k].Lower {
		case ",", ";", "and", "or", "as", "well", "the", "&":
		case "in":
			// "A in Exeter, B in Torquay and C", "A in the UK, B"
			if k+2 < to && toks[k+1].Lower == "the" && toks[k+2].Capital() {
				k++
			}
			for k+1 < to && toks[k+1].Capital() {
				k++
			}
		default:
			return false
		}
	}
	return true
}

// countedVictims reports whether the name at token start of sentence si
// opens the list of an attack's victims that the text counted before:
// "The victims are A, B and C", or "The gang added five organisations to
// its leak site. The five are A; B; ..." (the number of the list's opener
// is one that one of the three sentences before or the headline gives,
// followed within three words by a word of the victim's role, "five
// victims" (the lexicon's hit-verbs hold victim and target), or in a
// sentence about an attack).
func (f *Finder) countedVictims(t *text, si, start int) bool {
	if si == headlineSent {
		return false
	}
	toks := t.sents[si].Tokens
	k := start
	if k > 0 && toks[k-1].Lower == "the" {
		k--
	}
	if k > 0 && toks[k-1].Text == ":" {
		// "Three councils said their websites were knocked offline: A,
		// B and C": a count of victims and an attack before the colon
		if f.countedBefore(toks, k-1) {
			return true
		}
		k--
	}
	if k < 3 || toks[k-3].Lower != "the" {
		return false
	}
	switch toks[k-1].Lower {
	case "are", "were", "include", "included", "included:":
	default:
		return false
	}
	head := toks[k-2].Lower
	if head == "victims" || head == "targets" {
		return true
	}
	if n, used := f.match.ParseNumber(toks, k-2); used != 1 || n < 2 {
		return false
	}
	// the number before a word of victims ("five victims") or in a
	// sentence about an attack ("added five organisations to its leak
	// site"), in the three sentences before or the headline
	counted := func(s *nlp.Sentence) bool {
		about := f.aboutAttack(s)
		for i, tok := range s.Tokens {
			if tok.Lower != head {
				continue
			}
			if about {
				return true
			}
			for j := i + 1; j < len(s.Tokens) && j <= i+3; j++ {
				if f.lex.hitVerbs[s.Tokens[j].Lower] {
					return true
				}
			}
		}
		return false
	}
	for j := si - 1; j >= 0 && j >= si-3; j-- {
		if counted(&t.sents[j]) {
			return true
		}
	}
	return counted(&t.headline)
}

// countedBefore reports whether the words before token colon count the
// organisations an attack hit: a number of two or more before a plural
// noun, and an attack word or a verb of a victim, in the same sentence.
func (f *Finder) countedBefore(toks []nlp.Token, colon int) bool {
	counted, attack := false, false
	for k := 0; k < colon; k++ {
		w := toks[k].Lower
		if n, used := f.match.ParseNumber(toks, k); used == 1 && n >= 2 && k+1 < colon && strings.HasSuffix(toks[k+1].Lower, "s") {
			counted = true
		}
		if f.isAttackWord(w) || f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") {
			attack = true
		}
	}
	return counted && attack
}

// victimFeatures computes the features of rules.VictimFeatures for a
// candidate but "listed_with", which allFeatures and scoreCandidates set.
func (f *Finder) victimFeatures(t *text, c *candidate) {
	x := map[string]float64{}
	for _, v := range c.victims {
		if v.textHits > 0 {
			x["pattern"] = 1
		}
		if v.headlineHit {
			x["headline_pattern"] = 1
		}
	}
	sents := map[int]bool{}
	onlyStart := true
	for _, m := range c.mentions {
		s := t.sentence(m.sent)
		toks := s.Tokens
		if m.sent == headlineSent {
			x["headline"] = 1
		} else {
			sents[m.sent] = true
			if m.sent < 2 {
				x["lead"] = 1
			}
		}
		if m.start != 0 || m.end-m.start > 1 {
			onlyStart = false
		}
		if m.end <= m.start {
			continue
		}
		if m.ref {
			// "the company said": what the sentence says of it, not how
			// it names it.
			f.roleFeatures(s, m.start+1, m.end, c, x)
			continue
		}
		f.roleFeatures(s, m.start, m.end, c, x)
		if m.sent != headlineSent && f.countedVictims(t, m.sent, m.start) {
			x["attack_on"] = 1
		}
		if m.sent != headlineSent && (f.describedAsOrg(t, m.sent, m.start) || f.appositiveSector(toks, m.end)) {
			x["described"] = 1
		}
		if f.vendorNamed(toks, m.start, m.end) {
			x["vendor"] = 1
		}
	}
	if first := f.firstHeadlineName(t); first != "" && (f.names.same(first, c.name) || f.names.anyOf(c.aliases, first)) {
		x["headline_first"] = 1
	}
	x["mentions"] = math.Log2(1 + float64(len(sents)))
	words := strings.Fields(c.name)
	for _, w := range strings.Fields(match.NormName(c.name)) {
		if f.lex.orgSuffixes[w] || f.lex.genericOrgWords[w] {
			x["org_word"] = 1
		}
		if f.match.Institution(w) {
			x["official_body"] = 1
		}
	}
	if f.sectorOf(nlp.Tokenize(c.name)) != "" {
		x["org_word"] = 1
	}
	if len(words) == 1 {
		x["single_word"] = 1
		if isAcronym(words[0]) {
			x["acronym"] = 1
		}
	}
	if onlyStart && len(words) == 1 {
		x["sentence_start"] = 1
	}
	if f.personNamed(t, c) {
		x["person"] = 1
	}
	if c.source {
		x["source"] = 1
	}
	c.features = x
}

// personNamed reports whether a candidate is a person's name by how the
// text uses it, without prose's entity model: shaped like one and its
// surname used alone ("Dr Achebe said"), or named after a job title
// ("chief executive, Owen Pritchard", "CEO Jane Doe").
func (f *Finder) personNamed(t *text, c *candidate) bool {
	if f.personShaped(c.name) && f.surnameUsed(t, c.name) {
		return true
	}
	// A title before a name of two or three words without an
	// organisation's ending: "general manager Theodore Banks".
	if n := len(strings.Fields(c.name)); n < 2 || n > 3 || f.orgEnding(nlp.Tokenize(c.name), [2]int{0, len(nlp.Tokenize(c.name))}) {
		return false
	}
	for _, m := range c.mentions {
		toks := t.sentence(m.sent).Tokens
		k := m.start - 1
		if k >= 0 && toks[k].Text == "," {
			k--
		}
		if k >= 0 && (f.lex.jobTitles[toks[k].Lower] || f.lex.personTitles[strings.TrimSuffix(toks[k].Lower, ".")]) {
			return true
		}
	}
	return false
}

// firstHeadlineName is the first organisation-like name of the headline,
// or "".
func (f *Finder) firstHeadlineName(t *text) string {
	if t.firstHeadline == nil {
		name := ""
		sc := f.match.Scan(&t.headline, t.headlineMentions, true)
		toks := t.headline.Tokens
		for i := range toks {
			if !toks[i].Capital() || f.match.NotName(toks[i].Lower) {
				continue
			}
			if end := sc.OrgName(i); end > i {
				name = cleanName(spanText(&t.headline, i, end))
				break
			}
		}
		t.firstHeadline = &name
	}
	return *t.firstHeadline
}

// saysItWasHit reports whether the name that ends at end says it was hit:
// its verb of response, then a pronoun for it and a hit verb ("X confirmed
// it had been breached", "A and B said they were among the affected"), or
// an attack that reached what it owns ("X said customers could not collect
// prescriptions after a gang encrypted its dispensing system").
func (f *Finder) saysItWasHit(toks []nlp.Token, end int) bool {
	start := f.skipOwned(toks, end)
	for k := start; k < len(toks) && k < start+4; k++ {
		if !f.lex.responseVerbs[toks[k].Lower] {
			continue
		}
		if f.ownAssetsHit(toks, k+1) || f.confirmsAttack(toks, k+1) {
			return true
		}
		if f.attackAfter(toks, k+1) {
			return true // "X apologised after donors' details were taken"
		}
		for j := k + 1; j < len(toks) && j <= k+3; j++ {
			switch toks[j].Lower {
			case "it", "they", "we", "its", "their", "our":
			default:
				continue
			}
			for h := j + 1; h < len(toks) && h <= j+8; h++ {
				if w := toks[h].Lower; w == "among" || f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") || f.sufferedAttack(toks, h) {
					return true // "X confirmed it had been breached", "X said it suffered a breach"
				}
				if f.lex.defenceVerbs[toks[h].Lower] && f.attemptAfter(toks, h+1) {
					return true // "X said it had blocked an attempt by hackers"
				}
			}
		}
		return false
	}
	return false
}

// attemptAfter reports whether an attack or an attempt is named in the
// six words from i: "blocked an attempted payroll fraud", "fended off a
// ransomware attack".
func (f *Finder) attemptAfter(toks []nlp.Token, i int) bool {
	for k := i; k < len(toks) && k < i+6; k++ {
		if w := toks[k].Lower; f.isAttackWord(w) || strings.HasPrefix(w, "attempt") {
			return true
		}
	}
	return false
}

// ownAssetsHit reports whether the words from i to the end of the
// sentence (or a semicolon) hold a verb of attack or theft and what the
// speaker owns: "its", "their" or "our" and an asset within the next three
// words. An attack denied ("had not breached its systems") does not count.
func (f *Finder) ownAssetsHit(toks []nlp.Token, i int) bool {
	attack, owned := false, false
	for k := i; k < len(toks) && toks[k].Text != ";"; k++ {
		w := toks[k].Lower
		if (f.lex.hitVerbs[w] || f.lex.theftVerbs[w]) && !f.negatedAt(toks, k) {
			attack = true
		}
		if w != "its" && w != "their" && w != "our" {
			continue
		}
		for j := k + 1; j < len(toks) && j <= k+3; j++ {
			if f.lex.victimAssets[toks[j].Lower] {
				owned = true
			}
		}
	}
	return attack && owned
}

// negatedAt reports whether one of the two words before token k negates
// it: "not breached", "never compromised".
func (f *Finder) negatedAt(toks []nlp.Token, k int) bool {
	for j := max(0, k-2); j < k; j++ {
		if f.lex.negations[toks[j].Lower] {
			return true
		}
	}
	return false
}

// attackInClause reports whether an attack word shares a clause with the
// name at [start, end): no comma, semicolon, dash or bracket between them,
// and at most ten tokens apart.
func (f *Finder) attackInClause(toks []nlp.Token, start, end int) bool {
	for k := max(0, start-10); k < min(len(toks), end+10); k++ {
		if k >= start && k < end || !f.isAttackWord(toks[k].Lower) {
			continue
		}
		lo, hi := min(k, start), max(k, end)
		if clauseBreaks(toks, lo, hi) == 0 {
			return true
		}
	}
	return false
}

// passiveHit reports whether the words after a name make it the passive
// subject of an attack verb: "X was hit", "X has been breached", "X,
// which was hacked" is not read.
func (f *Finder) passiveHit(toks []nlp.Token, end int) bool {
	aux := 0
	start := f.skipOwned(toks, end)
	for k := start; k < len(toks) && k < start+6; k++ {
		w := toks[k].Lower
		switch w {
		case "was", "were", "has", "have", "had", "been", "is", "are", "being", "be", "got", "gets", "get", "became", "becomes":
			aux++
			continue
		case "also", "reportedly", "recently", "apparently", "allegedly", "badly", "severely", "itself", "not", "the", "a", "an":
			continue
		}
		return aux > 0 && f.lex.hitVerbs[w]
	}
	return false
}

// appositive reports whether the name at tokens [start, end) follows a
// description of it and a comma: "its waste contractor, Marrowby Waste
// Management Ltd, was hit" (the verb after the next comma is the name's).
func appositive(toks []nlp.Token, start, end int) bool {
	return start >= 2 && end < len(toks) && toks[start-1].Text == "," && toks[start-2].IsWord() && !toks[start-2].Capital()
}

// attackAfter reports whether the words from i, after a victim's verb,
// give the attack it speaks after: "apologised to supporters after their
// details were taken", "said it was working with police following a
// ransomware attack" (not "after the attack on Y", another's).
func (f *Finder) attackAfter(toks []nlp.Token, i int) bool {
	for k := i; k < len(toks) && k < i+12; k++ {
		if w := toks[k].Lower; w != "after" && w != "following" {
			if toks[k].Text == ";" || toks[k].Lower == "but" {
				return false
			}
			continue
		}
		for j := k + 1; j < len(toks) && j <= k+10; j++ {
			w := toks[j].Lower
			if toks[j].Text == ";" || toks[j].Text == "," {
				return false
			}
			if f.lex.attackNouns[w] {
				return !(j+2 < len(toks) && f.lex.attackPrepositions[toks[j+1].Lower] && toks[j+2].Capital())
			}
			if (f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") || f.lex.theftVerbs[w]) && !f.negatedAt(toks, j) {
				return true
			}
		}
		return false
	}
	return false
}

// confirmsAttack reports whether the words from i, after a response verb,
// are the attack it confirms: "confirmed a data breach", "disclosed its
// breach", "admitting to compromised data" (not "confirmed the attack on
// Y", nor "said the incident was serious").
func (f *Finder) confirmsAttack(toks []nlp.Token, i int) bool {
	if f.lex.speechVerbs[toks[i-1].Lower] {
		return false // "said the incident may be the most significant": about it, not that it was hit
	}
	indefinite := false
	for j := i; j < len(toks) && j < i+4; j++ {
		w := toks[j].Lower
		if clauseBreak(toks[j].Text) || w == "that" || w == "it" || w == "they" || w == "the" {
			return false
		}
		if w == "a" || w == "an" || w == "its" || w == "their" || w == "to" {
			indefinite = true
		}
		if f.lex.attackNouns[w] {
			return indefinite && !(j+2 < len(toks) && f.lex.attackPrepositions[toks[j+1].Lower] && toks[j+2].Capital())
		}
		if f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") && j+1 < len(toks) && toks[j+1].Lower != "by" {
			return true
		}
	}
	return false
}

// strikes reports whether a word is a verb whose object is a victim:
// "breached", "hit", "struck", "coerced".
func (f *Finder) strikes(w string) bool {
	return f.lex.hitVerbs[w] && strings.HasSuffix(w, "ed") || w == "hit" || w == "struck" || w == "coerce" || w == "coerced"
}

// sufferedAttack reports whether token k is "suffered" (or "experienced",
// "sustained") with an attack noun in the four words after it: "it
// suffered a data breach".
func (f *Finder) sufferedAttack(toks []nlp.Token, k int) bool {
	switch toks[k].Lower {
	case "suffered", "suffers", "experienced", "sustained":
	default:
		return false
	}
	for j := k + 1; j < len(toks) && j <= k+4; j++ {
		if f.lex.attackNouns[toks[j].Lower] {
			return true
		}
	}
	return false
}

// skipOwned returns the token where the verb of a name may start: past
// a parenthesis ("X (DPS)"), what the name owns or sends ("X's systems",
// "X computers", "X officials"), a place ("X in Exeter"), an appositive
// ("X, a payroll provider,", "X, whose software ...,") and "all" or
// "both".
func (f *Finder) skipOwned(toks []nlp.Token, end int) int {
	k := end
	if k < len(toks) && toks[k].Text == "(" {
		// "X (recently acquired by Y) said", "X (DPS) confirmed"
		for j := k + 1; j < len(toks) && j <= k+12; j++ {
			if toks[j].Text == ")" {
				k = j + 1
				break
			}
		}
	}
	if k < len(toks) && toks[k].Lower == "'s" {
		k++
	}
	for n := 0; k < len(toks) && n < 2 && (f.lex.victimAssets[toks[k].Lower] || toks[k].Lower == "officials" || toks[k].Lower == "authorities"); n++ {
		k++
	}
	if k+1 < len(toks) && (toks[k].Lower == "in" || toks[k].Lower == "of") && toks[k+1].Capital() {
		for k++; k < len(toks) && toks[k].Capital(); k++ {
		}
	}
	if k+1 < len(toks) && toks[k].Text == "," && !toks[k+1].Capital() {
		// An appositive runs to the next comma; a list item would be
		// capitalised.
		for j := k + 2; j < len(toks) && j <= k+16; j++ {
			if toks[j].Text == "," {
				k = j + 1
				break
			}
		}
	}
	if k < len(toks) && (toks[k].Lower == "all" || toks[k].Lower == "both") {
		k++
	}
	return k
}

// attackOn reports whether the words before a name make it the object of
// an attack: "a ransomware attack on X", "the breach at X", "hackers
// breached X".
func (f *Finder) attackOn(toks []nlp.Token, start int) bool {
	k := start - 1
	if k >= 0 && (toks[k].Lower == "the" || toks[k].Lower == "a") {
		k--
	}
	if k < 0 {
		return false
	}
	if f.strikes(toks[k].Lower) || toks[k].Lower == "targets" {
		return true // "hackers breached X", "ransomware was used to coerce X"
	}
	// "breaches have hit hospitality chains X and Y", "targeted Italian
	// company X": up to three words of description (in lower case, or a
	// nationality) after the verb
	for j, n := k, 0; j > 0 && n < 3 && toks[j].IsWord() && (!toks[j].Capital() || f.match.Demonym(toks[j].Text)) && !f.lex.hitVerbs[toks[j].Lower]; j, n = j-1, n+1 {
		switch toks[j-1].Lower {
		case "hit", "struck", "targeted", "breached", "compromised":
			// fewer verbs than strikes takes: words between the verb and
			// the name make "exploited Ivanti Connect Secure" a product's
			return true
		}
	}
	if k < start-1 {
		// "the M&S attack", "the Okta data breach"
		for e := start + 1; e < len(toks) && e <= start+5; e++ {
			if f.lex.attackNouns[toks[e].Lower] {
				return true
			}
			if !toks[e].Capital() && toks[e].Lower != "cyber" && toks[e].Lower != "ransomware" && toks[e].Lower != "data" {
				break
			}
		}
	}
	if f.victimExamples(toks, start) {
		return true
	}
	if k >= 2 && (toks[k].Lower == "to" || toks[k].Lower == "for") && toks[k-2].Lower == "ransom" {
		switch toks[k-1].Lower {
		case "note", "notes", "demand", "demands", "message", "letter":
			return true // "a ransom note to Newark"
		}
	}
	if !f.lex.attackPrepositions[toks[k].Lower] {
		return false
	}
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if clauseBreaks(toks, j, j+1) > 0 {
			return false // "after a cyber attack, officials at X said"
		}
		if f.lex.attackNouns[toks[j].Lower] {
			return true
		}
	}
	return false
}

// victimExamples reports whether a name opens the examples of what an
// attack hit: "affected institutions including X", "victims such as X",
// "the targets included X".
func (f *Finder) victimExamples(toks []nlp.Token, start int) bool {
	k := start
	if k > 0 && toks[k-1].Lower == "the" {
		k--
	}
	for _, words := range f.lex.listOpeners {
		at := k - len(words)
		if at < 1 || !nlp.LowerWordsAt(toks, at, words) {
			continue
		}
		// "brands that have acknowledged card breaches ... include A":
		// the subject of a verb of the list reaches further back
		reach := 3
		switch words[0] {
		case "include", "includes", "included":
			reach = 15
		case "including", "ranging":
			reach = 6 // "a hacking spree on prominent hospitality companies including"
		}
		for j, seen := at-1, 0; j >= 0 && seen < reach; j-- {
			switch toks[j].Lower {
			case "which", "that", "also", "have", "has", "had":
				// "the hotels that were compromised, which also included"
				if j > 0 && toks[j-1].Text == "," {
					j--
				}
				continue
			}
			if clauseBreaks(toks, j, j+1) > 0 {
				break
			}
			if f.lex.hitVerbs[toks[j].Lower] || f.lex.attackNouns[toks[j].Lower] {
				return true
			}
			seen++
		}
	}
	return false
}

// takenFrom reports whether a name is what an attacker took something
// from: "hackers have stolen private files from the company Landauer",
// "stole data from X" (one clause, up to eight words from the verb).
func (f *Finder) takenFrom(toks []nlp.Token, start int) bool {
	k := start - 1
	if k >= 0 && f.lex.orgDescriptors[toks[k].Lower] {
		k--
	}
	if k >= 0 && (toks[k].Lower == "the" || toks[k].Lower == "a") {
		k--
	}
	if k < 1 || toks[k].Lower != "from" {
		return false
	}
	for j := k - 1; j >= 0 && j >= k-8; j-- {
		if clauseBreaks(toks, j, j+1) > 0 {
			return false
		}
		if f.lex.theftVerbs[toks[j].Lower] {
			return true
		}
	}
	return false
}

// possessor reports whether a name owns what an attack reaches: "X's
// systems", "X's customer data", "the computer systems of X", "records
// from X" ("operations at X" names a place as often as an owner).
func (f *Finder) possessor(toks []nlp.Token, start, end int) bool {
	if end < len(toks) && toks[end].Lower == "'s" {
		for k := end + 1; k < len(toks) && k <= end+3; k++ {
			if f.lex.victimAssets[toks[k].Lower] {
				return true
			}
		}
	}
	k := start - 1
	if k >= 0 && toks[k].Lower == "the" {
		k--
	}
	if k < 1 || toks[k].Lower != "of" && toks[k].Lower != "from" {
		return false
	}
	return f.lex.victimAssets[toks[k-1].Lower]
}

// responds reports whether a name is the subject of a victim's response:
// "X said", "X has confirmed", "X paid".
func (f *Finder) responds(toks []nlp.Token, end int) bool {
	return f.verbAfter(toks, end, f.lex.responseVerbs)
}

// acts reports whether a name is the subject of what only a victim does:
// "X paid", "X has restored", "X officials were forced".
func (f *Finder) acts(toks []nlp.Token, end int) bool {
	if f.verbAfter(toks, end, f.lex.victimActions) {
		return true
	}
	if end+2 < len(toks) && toks[end].Text == "," && (toks[end+1].Lower == "which" || toks[end+1].Lower == "who") &&
		f.acts(toks, end+2) {
		return true // "X, which has since taken the data offline"
	}
	// "X took billing and customer service offline": what it took is
	// between the verb and "offline"
	k := f.skipOwned(toks, end)
	for k < len(toks) && (toks[k].Lower == "has" || toks[k].Lower == "have" || toks[k].Lower == "had" || toks[k].Lower == "since" || toks[k].Lower == "also") {
		k++
	}
	if k >= len(toks) || !takeVerbs[toks[k].Lower] {
		return false
	}
	for j := k + 1; j < len(toks) && j <= k+7; j++ {
		if toks[j].Lower == "offline" {
			return true
		}
		if clauseBreak(toks[j].Text) {
			return false
		}
	}
	return false
}

// takeVerbs are the forms of "take" and "pull" before what a victim took
// offline.
var takeVerbs = map[string]bool{"took": true, "takes": true, "taken": true, "taking": true, "pulled": true, "pulls": true}

// verbAfter reports whether one of verbs follows a name as its verb,
// past what it owns and auxiliaries.
func (f *Finder) verbAfter(toks []nlp.Token, end int, verbs map[string]bool) bool {
	start := f.skipOwned(toks, end)
	for k := start; k < len(toks) && k < start+6; k++ {
		w := toks[k].Lower
		if verbs[w] {
			return true
		}
		switch w {
		case "has", "have", "had", "also", "later", "previously", "is", "was", "were", "are", "been", "then", "eventually", "reportedly", "finally", "ultimately", "still", "temporarily", "recently", "already", "initially", "quickly", "since", "now":
			continue
		}
		return false
	}
	return false
}

// appositiveSector reports whether an appositive after a name puts it in
// a sector: "Paybridge, a payroll provider,".
func (f *Finder) appositiveSector(toks []nlp.Token, end int) bool {
	if end >= len(toks) || toks[end].Text != "," {
		return false
	}
	hi := end + 1
	for hi < len(toks) && hi-end < 10 && toks[hi].Text != "," && toks[hi].Text != "." {
		hi++
	}
	return f.sectorOf(toks[end+1:hi]) != ""
}

// vendorNamed reports whether a name is given as a security firm or its
// researchers: "researchers at X", "X analysts".
func (f *Finder) vendorNamed(toks []nlp.Token, start, end int) bool {
	for _, words := range f.lex.vendorBefore {
		if nlp.LowerWordsAt(toks, start-len(words), words) {
			return true
		}
	}
	return end < len(toks) && f.lex.vendorAfter[toks[end].Lower]
}
