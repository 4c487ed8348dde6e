package incident

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
)

// dateFact is a date the text gives to an attack: "a ransomware attack in
// May", "January's breach", "stolen on 14 March 2025". from and to are the
// first and last days it may mean (a month is its whole month).
type dateFact struct {
	at       place
	from, to time.Time
	value    string // 2025, 2025-05 or 2025-05-14
}

// months maps the English month names and their abbreviations to months.
var months = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		months[name] = m
		months[name[:3]] = m
	}
	months["sept"] = time.September
}

// attackDates finds the dates the text gives to attacks: a date in the
// clause of an attack word ("the attack in March", "hit on 3 May", "stolen
// in April 2024"), resolved against the publication date (a month without
// a year is its latest occurrence up to publication). A date in a clause
// that denies it ("not the gang that hit X in January"), that dates another
// event ("eleven months after ransomware halted it in January", the
// lexicon's other-event-cues), or that lies after publication (a deadline)
// is left out; so is every date of an article without a publication date
// unless it gives its year.
func (f *Finder) attackDates(t *text) []dateFact {
	pub, _ := time.Parse(time.DateOnly, prefix(t.article.Published, len(time.DateOnly)))
	var out []dateFact
	for si := range t.sents {
		toks := t.sents[si].Tokens
		for i := 0; i < len(toks); i++ {
			d, n := readDate(toks, i, pub)
			if n == 0 {
				continue
			}
			if !d.from.IsZero() && (pub.IsZero() || !d.from.After(pub)) && f.datesAttack(toks, i, i+n) {
				d.at = place{si, i}
				out = append(out, d)
			}
			i += n - 1
		}
	}
	return out
}

// datesAttack reports whether the date at tokens [start, end) is the date
// of an attack its clause speaks of: the clause (between commas, dashes,
// brackets; the sentence's first clause takes the clause after it too, for
// "On 14 March, hackers...") holds an attack word, and no negation or
// other-event cue comes before the date in it.
func (f *Finder) datesAttack(toks []nlp.Token, start, end int) bool {
	from, to := start, end
	for from > 0 && !clauseBreak(toks[from-1].Text) {
		from--
	}
	for to < len(toks) && !clauseBreak(toks[to].Text) {
		to++
	}
	if from == 0 && to < len(toks) && toks[to].Text == "," {
		for to++; to < len(toks) && !clauseBreak(toks[to].Text); to++ {
		}
	}
	anchored := false
	for k := from; k < to; k++ {
		w := toks[k].Lower
		if k >= start && k < end {
			continue
		}
		if k < start && f.negation(w) {
			return false
		}
		if f.isAttackWord(w) || f.lex.hitVerbs[w] || f.lex.attackNouns[w] || f.lex.theftVerbs[w] {
			anchored = true
		}
	}
	if !anchored {
		return false
	}
	for _, words := range f.lex.otherEventCues {
		for k := from; k+len(words) <= start; k++ {
			if nlp.LowerWordsAt(toks, k, words) {
				return false
			}
		}
	}
	return true
}

// readDate reads a date at token i: "14 March 2025", "14th of March",
// "March 14, 2025", "March 2025", "March", "March's", "mid-March", "Sept.
// 3", "in 2024" (a year alone only after "in"). A month name before a
// capitalised word is a first name ("June Okafor"), and an abbreviated one
// needs its full stop or a day ("Jan Peters" is no date). It returns the
// date and the number of tokens read, 0 when no date starts at i. A month
// without a year takes the latest year that does not put it after pub,
// unless it falls in the two months after pub (a deadline: "pay by
// December 12"); without pub, or then, it has no from. A number after the
// day that would be a year more than 20 years before pub, or after it, is
// not read as its year ("On March 5, 2000 patient records were stolen"
// counts records).
func readDate(toks []nlp.Token, i int, pub time.Time) (dateFact, int) {
	day, k := 0, i
	if d, ok := dayNumber(toks[k].Lower); ok && k+1 < len(toks) {
		next := k + 1
		if toks[next].Lower == "of" && next+1 < len(toks) {
			next++
		}
		if _, isMonth := monthAt(toks, next); isMonth {
			day, k = d, next
		}
	}
	m, isMonth := monthAt(toks, k)
	if !isMonth {
		if y, ok := yearNumber(toks[i].Text); ok && i > 0 && toks[i-1].Lower == "in" {
			from := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
			return dateFact{from: from, to: from.AddDate(1, 0, -1), value: strconv.Itoa(y)}, 1
		}
		return dateFact{}, 0
	}
	lower := strings.TrimPrefix(toks[k].Lower, "mid-")
	abbreviated := len(lower) <= 4 && lower != "june" && lower != "july" && lower != "may"
	end := k + 1
	stop := false
	if end < len(toks) && toks[end].Text == "." && abbreviated {
		end, stop = end+1, true // "Sept."
	}
	if day == 0 && end < len(toks) {
		if d, ok := dayNumber(toks[end].Lower); ok {
			day, end = d, end+1
		}
	}
	if day == 0 && end < len(toks) && toks[end].Capital() && !match.SentenceStart(toks, end) {
		if _, ok := yearNumber(toks[end].Text); !ok {
			return dateFact{}, 0 // "June Okafor", "April Smith": a first name
		}
	}
	if abbreviated && !stop && day == 0 {
		if _, ok := yearNumber(tokText(toks, end)); !ok {
			return dateFact{}, 0 // "Jan", "Dec" alone: a name as often as a month
		}
	}
	if lower == "may" && day == 0 && !mayIsMonth(toks, k) {
		return dateFact{}, 0
	}
	year := 0
	yearAt := end
	if day > 0 && yearAt < len(toks) && toks[yearAt].Text == "," {
		yearAt++
	}
	if yearAt < len(toks) {
		if y, ok := yearNumber(toks[yearAt].Text); ok && (pub.IsZero() || y <= pub.Year() && y >= pub.Year()-20) {
			year, end = y, yearAt+1
		}
	}
	if year == 0 {
		if pub.IsZero() {
			return dateFact{}, end - i
		}
		year = pub.Year()
		if this := time.Date(year, m, max(day, 1), 0, 0, 0, 0, time.UTC); this.After(pub) {
			if this.Before(pub.AddDate(0, 2, 0)) {
				return dateFact{}, end - i // soon after publication: a deadline, not last year
			}
			year--
		}
	}
	if day > 0 {
		from := time.Date(year, m, day, 0, 0, 0, 0, time.UTC)
		if from.Day() != day {
			return dateFact{}, end - i // 31 April
		}
		return dateFact{from: from, to: from, value: from.Format(time.DateOnly)}, end - i
	}
	from := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	return dateFact{from: from, to: from.AddDate(0, 1, -1), value: from.Format("2006-01")}, end - i
}

// monthAt reads a month name written with a capital at token k ("March",
// "Sept", "mid-March").
func monthAt(toks []nlp.Token, k int) (time.Month, bool) {
	if k >= len(toks) {
		return 0, false
	}
	text := toks[k].Text
	if strings.HasPrefix(toks[k].Lower, "mid-") {
		text = text[len("mid-"):] // "mid-March", "Mid-March"
	}
	if text == "" || text[0] < 'A' || text[0] > 'Z' {
		return 0, false
	}
	m, ok := months[strings.ToLower(text)]
	return m, ok
}

// tokText is the text of token k, "" past the end.
func tokText(toks []nlp.Token, k int) string {
	if k < len(toks) {
		return toks[k].Text
	}
	return ""
}

// mayIsMonth reports whether "May" at k is the month: after "in", "on",
// "early", "late", "since", "until", "of" or "mid", or before a year.
func mayIsMonth(toks []nlp.Token, k int) bool {
	if k > 0 {
		switch toks[k-1].Lower {
		case "in", "on", "early", "late", "since", "until", "of", "mid", "last", "this":
			return true
		}
	}
	if k+1 < len(toks) {
		_, ok := yearNumber(toks[k+1].Text)
		return ok
	}
	return false
}

// dayNumber reads a day of the month: "14", "14th", "1st".
func dayNumber(s string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if len(s) > len(suf) {
			s = strings.TrimSuffix(s, suf)
		}
	}
	if len(s) > 2 {
		return 0, false
	}
	d, err := strconv.Atoi(s)
	return d, err == nil && d >= 1 && d <= 31
}

// yearNumber reads a year from 1980 to 2099.
func yearNumber(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 1980 && y <= 2099
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// occurred is the date of a group's attack: the earliest date the text
// gives to an attack in a place the group owns, in a sentence that names
// one of the group's victims or, failing that, one that refers back to
// the attack ("the breach began on"); an incident without victims takes
// any. A date in a sentence that does neither is more often that of the
// field's history, a statistic or an earlier attack the article recalls.
func (f *Finder) occurred(t *text, dates []dateFact, gr *grouper, g int) *record.Occurred {
	var best *dateFact
	bestNames := false
	for i := range dates {
		d := &dates[i]
		if gr.owner(d.at) != g {
			continue
		}
		names := slices.ContainsFunc(gr.named[d.at.sent], func(v *victim) bool { return v.group == g })
		if !names && g != noVictim && !f.refersBack(&t.sents[d.at.sent]) {
			continue // a date of the field's history, a statistic, a tool's first sighting
		}
		switch {
		case best == nil, names && !bestNames:
		case names != bestNames:
			continue
		case d.from.Before(best.from), d.from.Equal(best.from) && d.to.Before(best.to):
		default:
			continue
		}
		best, bestNames = d, names
	}
	if best == nil {
		return nil
	}
	return &record.Occurred{Date: best.value, Evidence: []record.Evidence{t.evidence(best.at.sent, "attack-date")}}
}
