// Package score scores incident records against the corpus gold
// labels. It is a port of ../shared/tools/incident-score and gives the same
// figures, detail lines and output text as that script for the same inputs;
// the cross-check test runs both and compares them.
//
// Where the script would stop with a Python traceback (a malformed gold line,
// a prediction record that is not an object, an item without any name),
// ReadGold and ReadPredictions return an error naming the line instead.
//
// It only scores: it does not extract (incidex eval does, then calls
// Score) and must not change its figures to differ from the script's. The
// one addition is gold marked "exhaustive": false, which the script does
// not know: such pages are scored for recall alone (see Gold.NotExhaustive
// and Result.RecallOnly), and a gold file without the mark scores exactly
// as the script scores it.
package score

import (
	"slices"
	"strings"
)

// Gold is one line of gold.jsonl: the labels of one page.
type Gold struct {
	Page      string         `json:"page"`
	Published string         `json:"published"`
	Incidents []GoldIncident `json:"incidents"`
	Optional  GoldOptional   `json:"optional"`
	Notes     string         `json:"notes"`
	// NotExhaustive marks labels that name only some of the page's
	// victims, actors, tooling and impacts, as in a corpus whose annotators
	// were not asked for all of them. A correct find the labels leave out
	// would count as a false hit, so Score counts such a page's labels
	// found and missed in Result.RecallOnly and nothing else. In gold.jsonl
	// it is "exhaustive": false; a line without the key is exhaustive. The
	// JSON key holds the opposite value, hence no tag of its own.
	NotExhaustive bool `json:"-"`
}

// GoldIncident is one labelled incident. Each entity is one string whose
// accepted spellings are separated by "|", the canonical one first.
type GoldIncident struct {
	Victims []string `json:"victims"`
	Actors  []string `json:"actors"`
	Tooling []string `json:"tooling"`
	Impacts []string `json:"impacts"`
	// Status is "confirmed" or "attempted"; empty means "confirmed", as a
	// missing status does in gold.jsonl.
	Status string `json:"status"`
}

// GoldOptional lists names that may be output in a role without counting
// as a false positive or a miss.
type GoldOptional struct {
	Actors  []string `json:"actors"`
	Tooling []string `json:"tooling"`
	Victims []string `json:"victims"`
}

// Record is the prediction for one page.
type Record struct {
	// Page names the page; records are looked up by its base name.
	Page      string
	Incidents []Incident
}

// Incident is one predicted incident.
type Incident struct {
	// Status is compared verbatim with the gold status; empty means the
	// record had none (or not a string) and never matches.
	Status  string
	Victims []Item
	Actors  []Item
	Tooling []Item
	// Impacts are impact kinds such as "availability".
	Impacts []string
}

// Item is one predicted entity. Name and Aliases are all matched; Name is
// the one that detail lines show.
type Item struct {
	Name    string
	Aliases []string
}

// baseName is Python's os.path.basename: everything after the last slash.
func baseName(p string) string {
	return p[strings.LastIndexByte(p, '/')+1:]
}

// suffixes are stripped from the end of names, repeatedly and in this order.
var suffixes = []string{
	"ransomware group", "ransomware gang", "ransomware", "hacking group", "hacker group", "threat group",
	"group", "gang", "inc", "plc", "ltd", "llc", "corp", "corporation", "limited", "malware", "backdoor",
}

// norm reduces a name to lowercase ASCII words so that spellings that differ
// in case, punctuation, a leading "the" or a trailing "group", "inc" and the
// like compare equal. Letters outside ASCII become word breaks, as in the
// script ("Telefónica" is "telef nica").
func norm(s string) string {
	s = pyLower(s)
	s = strings.ReplaceAll(s, "&", " and ")
	s = strings.ReplaceAll(s, "$", "s")
	var b strings.Builder
	gap := false
	for _, r := range s {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
			gap = false
		} else if !gap {
			b.WriteByte(' ')
			gap = true
		}
	}
	s = strings.Trim(b.String(), " ")
	s = strings.TrimPrefix(s, "the ")
	for changed := true; changed; {
		changed = false
		for _, suf := range suffixes {
			if strings.HasSuffix(s, " "+suf) {
				s = strings.Trim(s[:len(s)-len(suf)-1], " ")
				changed = true
			}
		}
	}
	return s
}

// pyLower is str.lower() as far as norm can tell: only ASCII letters and
// digits survive norm, and the only non-ASCII characters whose Python
// lowercase contains one are U+0130 ("İ" → "i" + U+0307) and the Kelvin
// sign. unicode.ToLower maps U+0130 to a bare "i", which would join words
// that Python keeps apart.
func pyLower(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r == 0x130:
			b.WriteString("i\u0307")
		case r == 0x212A:
			b.WriteByte('k')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// containsWords reports whether b's words appear contiguously in a.
func containsWords(a, b []string) bool {
	if len(b) == 0 || len(b) > len(a) {
		return false
	}
	for i := 0; i+len(b) <= len(a); i++ {
		if slices.Equal(a[i:i+len(b)], b) {
			return true
		}
	}
	return false
}

// match reports whether any normalised predicted name denotes the gold
// entity with the normalised spellings alts: equal names; a name of two or
// more words inside the other; or a single gold word of five or more
// letters (a distinctive name such as "alphv") inside a longer predicted
// name.
func match(names, alts []string) bool {
	for _, n := range names {
		for _, a := range alts {
			if n == "" || a == "" {
				continue
			}
			if n == a {
				return true
			}
			short, tshort, tlong := n, strings.Fields(n), strings.Fields(a)
			if len(tshort) > len(tlong) {
				short, tshort, tlong = a, tlong, tshort
			}
			if len(tshort) >= 2 && containsWords(tlong, tshort) {
				return true
			}
			if len(tshort) == 1 && len(short) >= 5 && short == a && containsWords(tlong, tshort) {
				return true
			}
		}
	}
	return false
}

func itemNames(it Item) []string {
	names := make([]string, 0, 1+len(it.Aliases))
	names = append(names, norm(it.Name))
	for _, a := range it.Aliases {
		names = append(names, norm(a))
	}
	return names
}

func goldAlts(s string) []string {
	parts := strings.Split(s, "|")
	for i, p := range parts {
		parts[i] = norm(p)
	}
	return parts
}

// field is one of the entity roles that are scored by name.
type field struct {
	key   string // JSON key and text label
	label string // singular, for detail lines
	gold  func(GoldIncident) []string
	opt   func(GoldOptional) []string
	pred  func(Incident) []Item
}

var fields = []field{
	{"victims", "victim", func(g GoldIncident) []string { return g.Victims },
		func(o GoldOptional) []string { return o.Victims }, func(i Incident) []Item { return i.Victims }},
	{"actors", "actor", func(g GoldIncident) []string { return g.Actors },
		func(o GoldOptional) []string { return o.Actors }, func(i Incident) []Item { return i.Actors }},
	{"tooling", "tool", func(g GoldIncident) []string { return g.Tooling },
		func(o GoldOptional) []string { return o.Tooling }, func(i Incident) []Item { return i.Tooling }},
}

// Score compares predictions, keyed by page base name (see Predictions and
// ReadPredictions), with the gold labels. The result's BadLines is left at
// zero; callers that read predictions with ReadPredictions set it.
//
// A page whose gold is not exhaustive (Gold.NotExhaustive) adds its labels
// found and missed to Result.RecallOnly, its misses to Details and, without
// a prediction, its name to MissingPages; it adds nothing to the other
// figures, and its extra finds and unlinked actors are not reported.
func Score(gold []Gold, preds map[string]Record) Result {
	var res Result
	for _, g := range gold {
		rec, ok := preds[g.Page]
		if !ok {
			res.MissingPages = append(res.MissingPages, g.Page)
		}
		full := !g.NotExhaustive // every figure counts, not recall alone
		counts, impacts := []*Counts{&res.Victims, &res.Actors, &res.Tooling}, &res.Impacts
		if full {
			res.ExhaustivePages++
		} else {
			ro := &res.RecallOnly
			ro.Pages++
			counts, impacts = []*Counts{&ro.Victims, &ro.Actors, &ro.Tooling}, &ro.Impacts
		}
		pincs := rec.Incidents
		if full && len(g.Incidents) == 0 {
			res.NonIncidentPages++
			if len(pincs) == 0 {
				res.NonIncidentClean++
			}
		}
		for fi, f := range fields {
			var goldEnts [][]string
			for _, inc := range g.Incidents {
				for _, s := range f.gold(inc) {
					alts := goldAlts(s)
					if !slices.ContainsFunc(goldEnts, func(e []string) bool { return slices.Equal(e, alts) }) {
						goldEnts = append(goldEnts, alts)
					}
				}
			}
			var optEnts [][]string
			for _, s := range f.opt(g.Optional) {
				optEnts = append(optEnts, goldAlts(s))
			}
			// Predicted items that share a normalised name denote one thing.
			var uniq [][]string
			for _, inc := range pincs {
				for _, it := range f.pred(inc) {
					names := itemNames(it)
					if !slices.ContainsFunc(uniq, func(u []string) bool { return overlap(names, u) }) {
						uniq = append(uniq, names)
					}
				}
			}
			c := counts[fi]
			for _, alts := range goldEnts {
				if slices.ContainsFunc(uniq, func(p []string) bool { return match(p, alts) }) {
					c.TP++
				} else {
					c.FN++
					res.Details = append(res.Details, g.Page+": missed "+f.label+" "+pyRepr(alts[0]))
				}
			}
			if !full {
				continue
			}
			known := append(goldEnts[:len(goldEnts):len(goldEnts)], optEnts...)
			for _, p := range uniq {
				if !slices.ContainsFunc(known, func(alts []string) bool { return match(p, alts) }) {
					c.FP++
					res.Details = append(res.Details, g.Page+": extra "+f.label+" "+pyRepr(p[0]))
				}
			}
		}
		// Incident level: linkage, impacts and status of the predicted
		// incidents whose victim matched.
		for _, inc := range g.Incidents {
			var vic [][]string
			for _, s := range inc.Victims {
				vic = append(vic, goldAlts(s))
			}
			var hits []Incident
			for _, pi := range pincs {
				if anyItemMatches(pi.Victims, vic) {
					hits = append(hits, pi)
				}
			}
			for _, a := range inc.Actors {
				if len(vic) == 0 || !full {
					continue
				}
				res.Linkage.All++
				alts := goldAlts(a)
				if slices.ContainsFunc(hits, func(pi Incident) bool { return anyItemMatches(pi.Actors, [][]string{alts}) }) {
					res.Linkage.OK++
				} else {
					res.Details = append(res.Details, g.Page+": actor "+pyRepr(alts[0])+" not linked to victim "+pyRepr(vic[0][0]))
				}
			}
			if len(vic) == 0 {
				continue
			}
			gk := make(map[string]bool, len(inc.Impacts))
			for _, k := range inc.Impacts {
				gk[k] = true
			}
			pk := map[string]bool{}
			for _, pi := range hits {
				for _, k := range pi.Impacts {
					pk[k] = true
				}
			}
			for k := range pk {
				if gk[k] {
					impacts.TP++
				} else if full {
					impacts.FP++
				}
			}
			for k := range gk {
				if !pk[k] {
					impacts.FN++
				}
			}
			if !full {
				continue
			}
			res.Status.All++
			want := inc.Status
			if want == "" {
				want = "confirmed"
			}
			if slices.ContainsFunc(hits, func(pi Incident) bool { return pi.Status == want }) {
				res.Status.OK++
			}
		}
	}
	return res
}

// anyItemMatches reports whether some item matches some gold entity.
func anyItemMatches(items []Item, ents [][]string) bool {
	for _, it := range items {
		names := itemNames(it)
		for _, alts := range ents {
			if match(names, alts) {
				return true
			}
		}
	}
	return false
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// pyRepr is Python's repr() of a normalised name, which holds only
// lowercase ASCII letters, digits and spaces and so never needs escaping.
func pyRepr(s string) string {
	return "'" + s + "'"
}

// Matches reports whether an item named name, with aliases, is the gold
// label gold ("Marks and Spencer|M&S"), as Score matches them.
func Matches(name string, aliases []string, gold string) bool {
	return match(itemNames(Item{Name: name, Aliases: aliases}), goldAlts(gold))
}
