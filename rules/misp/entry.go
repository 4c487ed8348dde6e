package misp

import (
	"slices"
	"strings"

	"github.com/incidex/incidex/rules"
)

// entity builds a component's entry. named is the node whose cluster the
// entry is named from: the best-ranked one whose own name (not a synonym)
// the entry's name is, else the best-ranked one that lists the name.
func (w *vocabulary) entity(nodes []node, c *component) (e rules.Entity, named int) {
	// The best-ranked node of the entry's section names it.
	order := slices.Clone(c.nodes)
	slices.SortStableFunc(order, func(a, b int) int {
		na, nb := &nodes[a], &nodes[b]
		if (na.gal.section == c.section) != (nb.gal.section == c.section) {
			if na.gal.section == c.section {
				return -1
			}
			return 1
		}
		return na.gal.rank - nb.gal.rank
	})
	seen := map[string]int{} // foldKey -> index in names
	var names []string
	for _, i := range order {
		for _, name := range nodes[i].names {
			k := foldKey(name)
			j, dup := seen[k]
			switch {
			case !dup:
				seen[k] = len(names)
				names = append(names, name)
			case w.respelled[names[j]] && !w.respelled[name]:
				// a leak-site name that cleanName capitalised: a merged
				// cluster's spelling is the usual one ("DragonForce")
				names[j] = name
			}
		}
	}
	// Among the names of the best-ranked clusters, a family's name begins
	// the others ("CryptoMix" of "CryptoMix-Arena", "CryptoMix-Azer").
	best, bestScore := 0, 0
	for j, i := range order {
		if nodes[i].gal.rank != nodes[order[0]].gal.rank {
			break
		}
		k := looseKey(nodes[i].names[0])
		score := 0
		for _, n := range names {
			if nk := looseKey(n); nk != k && strings.HasPrefix(nk, k) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = j, score
		}
	}
	if best > 0 {
		own := foldKey(nodes[order[best]].names[0])
		for j, n := range names {
			if foldKey(n) == own {
				names[0], names[j] = names[j], names[0]
				break
			}
		}
	}
	if len(nameWords(names[0])) == 1 && !camelCase(names[0]) {
		// A plain word that another name spells with spaces or capitals
		// is a leak-site spelling: "Vice Society" for "Vicesociety". It
		// stays an alias.
		k := looseKey(names[0])
		for j, a := range names[1:] {
			if looseKey(a) == k && (camelCase(a) || len(nameWords(a)) > 1) {
				names[0], names[j+1] = a, names[0]
				break
			}
		}
	}
	e.Name, e.Aliases = names[0], names[1:]
	named = namedFrom(nodes, order, e.Name)
	// Spellings that differ only in punctuation stay (they tokenise
	// differently), not the name itself.
	e.Aliases = slices.DeleteFunc(e.Aliases, func(a string) bool { return foldKey(a) == foldKey(e.Name) })
	switch {
	case c.section == "tooling" && c.ransom:
		e.Kind, e.Actor = "ransomware", true
	case c.section == "tooling":
		e.Kind = "malware"
		for _, i := range order {
			if nodes[i].gal.section == "tooling" {
				e.Kind = nodes[i].kind
				break
			}
		}
	case c.state:
		e.Kind = "nation-state"
	default:
		e.Kind = "group"
	}
	e.Country = c.country
	// Other names that are ordinary words ("Snake" for Turla, "Locked")
	// would find the entry in too many texts, even near a cue.
	e.Aliases = slices.DeleteFunc(e.Aliases, w.ordinaryAlias)
	// Cues guard every name of an entry, so an entry needs them when its
	// name is ordinary or when another of its names is a lone word
	// ("Inception" of Inception Framework, "Lexus" of TA499).
	class := w.classify(e.Name)
	cued := class == nameOrdinary || slices.ContainsFunc(e.Aliases, func(a string) bool {
		return len(nameWords(a)) == 1 && w.classify(a) == nameOrdinary
	})
	if cued {
		e.Cues = cuesFor(e, c)
	}
	if cued || class == nameCapitals || slices.ContainsFunc(e.Aliases, func(a string) bool { return w.classify(a) == nameCapitals }) {
		e.CaseSensitive = true
	}
	if e.Kind == "tool" && !cued && slices.ContainsFunc(order, func(i int) bool { return nodes[i].file.Type == "rmm-tool" }) {
		// Remote-management products are legitimate software: news names
		// them as vendors and victims far more often than as tools of an
		// attack.
		e.Cues = cuesFor(e, c)
	}
	return e, named
}

// namedFrom is the first node of order whose own name is name, else the
// first that lists it among its names. Names compare as clusters merge
// (looseKey): a leak-site spelling that the entry's name respells
// ("vicesociety" for "Vice Society") is still that cluster's name.
func namedFrom(nodes []node, order []int, name string) int {
	k := looseKey(name)
	for _, i := range order {
		if looseKey(nodes[i].names[0]) == k {
			return i
		}
	}
	for _, i := range order {
		if slices.ContainsFunc(nodes[i].names, func(n string) bool { return looseKey(n) == k }) {
			return i
		}
	}
	return order[0]
}

// The cue words of each kind of entry. Shared words are dropped from two
// colliding entries that keep the same name, so that a cue tells them
// apart.
var (
	ransomwareCues = []string{"ransomware", "gang", "group", "operators", "affiliates", "extortion", "leak", "cartel", "hackers", "encrypted"}
	malwareCues    = []string{"malware", "trojan", "backdoor", "loader", "botnet", "stealer", "infostealer", "implant", "spyware", "rat", "worm", "wiper", "payload", "variant", "strain", "infected"}
	toolCues       = []string{"tool", "tools", "toolkit", "framework", "utility", "malware", "attackers", "hackers", "abused", "deployed", "remote"}
	groupCues      = []string{"group", "gang", "hackers", "hacker", "crew", "actor", "actors", "operators", "cybercriminals", "attackers", "collective"}
	stateCues      = []string{"group", "hackers", "hacker", "actor", "actors", "apt", "state-sponsored", "state-backed", "espionage", "spies", "spying", "intelligence", "cyberespionage"}
	hacktivistCues = []string{"hacktivist", "hacktivists", "hacktivism", "activists", "ddos", "defacement", "defaced", "group", "hackers", "collective"}
)

// cueListName names a list of cues after the kind's list that holds
// every word of it, for its anchor; whole reports the kind's list itself.
func cueListName(l []string) (name string, whole bool) {
	for _, k := range []struct {
		name string
		list []string
	}{{"ransomware", ransomwareCues}, {"malware", malwareCues}, {"tool", toolCues},
		{"group", groupCues}, {"state", stateCues}, {"hacktivist", hacktivistCues}} {
		if !slices.ContainsFunc(l, func(s string) bool { return !slices.Contains(k.list, s) }) {
			return k.name, slices.Equal(l, k.list)
		}
	}
	return "cues", false
}

func cuesFor(e rules.Entity, c *component) []string {
	var l []string
	switch {
	case e.Kind == "ransomware":
		l = ransomwareCues
	case e.Kind == "malware":
		l = malwareCues
	case e.Kind == "tool":
		l = toolCues
	case c.hacktiv:
		l = hacktivistCues
	case e.Kind == "nation-state":
		l = stateCues
	default:
		l = groupCues
	}
	return slices.Clone(l)
}
