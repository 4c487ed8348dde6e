package misp

import (
	"regexp"
	"slices"
	"strings"
)

// readCluster reads one cluster.
func (w *vocabulary) readCluster(f *File, v Cluster) (node, bool) {
	g := galaxies[f.Type]
	n := node{file: f, gal: g, uuid: v.UUID, kind: g.kind}
	meta := func(key string) []string { return metaStrings(v.Meta, key) }
	// ATT&CK names groups G0000 and software S0000. A cluster of a MITRE
	// galaxy carries its own id (meta external_id); the other galaxies
	// may list ids among the names or cite ATT&CK pages in their refs, of
	// either kind. Those are believed only when they give one id of the
	// cluster's kind: MISP's APT17 lists both G0025 and Axiom's G0001, and
	// which of them is APT17 is not for the importer to guess. A revoked
	// cluster's id is withdrawn, whatever it names.
	idKind := "S"
	if g.section == "actors" {
		idKind = "G"
	}
	isID := func(s string) bool { return attackIDRE.MatchString(s) && strings.HasPrefix(s, idKind) }
	if ids := meta("external_id"); len(ids) > 0 && isID(ids[0]) && !v.Revoked {
		n.attack, n.attackOwn = ids[0], true
	}
	var listed, cited []string // ids among the names, ids of the pages the refs cite
	for _, ref := range meta("refs") {
		if m := attackURLRE.FindStringSubmatch(strings.TrimSpace(ref)); m != nil {
			if id := m[1] + m[2]; isID(id) && !slices.Contains(cited, id) {
				cited = append(cited, id)
			}
		}
	}
	var kept []string
	seen := map[string]bool{}
	for _, raw := range append([]string{v.Value}, meta("synonyms")...) {
		if id := strings.TrimSpace(raw); attackIDRE.MatchString(id) {
			if isID(id) && !slices.Contains(listed, id) {
				listed = append(listed, id)
			}
			continue
		}
		name, ok := cleanName(raw)
		if !ok || w.blocked[looseKey(name)] {
			continue
		}
		if name != raw && strings.ToLower(raw) == raw {
			w.respelled[name] = true
		}
		if w.classify(name) == nameGeneric {
			continue
		}
		if k := foldKey(name); !seen[k] {
			seen[k] = true
			kept = append(kept, name)
		}
	}
	if n.attack == "" && !v.Revoked {
		switch {
		case len(listed) == 1:
			n.attack = listed[0]
		case len(listed) == 0 && len(cited) == 1:
			n.attack = cited[0]
		}
	}
	if len(kept) == 0 {
		return n, false
	}
	n.names = kept
	for _, r := range v.Related {
		if r.Type == "similar" && r.DestUUID != "" {
			n.similar = append(n.similar, r.DestUUID)
		}
	}
	if g.section == "tooling" {
		if f.Type == "tool" && slices.ContainsFunc(meta("type"), func(t string) bool {
			t = strings.ToLower(t)
			return strings.Contains(t, "framework") || t == "hacktool" || t == "reco"
		}) {
			n.kind = "tool"
		}
		n.country = countryCode(meta("country"))
		return n, true
	}
	w.actor(&n, v, meta)
	return n, true
}

// actor decides an actor's country and whether a state or hacktivists are
// behind it.
func (w *vocabulary) actor(n *node, v Cluster, meta func(string) []string) {
	n.kind = "group"
	n.country = countryCode(meta("country"))
	for _, s := range meta("cfr-suspected-state-sponsor") {
		if code := w.countryNamed(s); code != "" {
			n.state = true
			if n.country == "" {
				n.country = code
			}
		}
	}
	motive := strings.ToLower(strings.Join(meta("motive"), " ") + " " + v.Description)
	n.hacktiv = strings.Contains(motive, "hacktivis")
	criminal := n.hacktiv || strings.Contains(motive, "cybercrim") || strings.Contains(motive, "financially motivated") ||
		strings.Contains(motive, "criminal") || strings.Contains(motive, "ransomware") || strings.Contains(motive, "extortion")
	if o := meta("microsoft-origin-threat"); len(o) > 0 {
		parts := strings.Split(o[0], ", ")
		code := w.countryNamed(parts[0])
		private := slices.ContainsFunc(parts, func(p string) bool {
			return strings.Contains(p, "Financially motivated") || strings.Contains(p, "Private sector")
		})
		if n.country == "" {
			n.country = code
		}
		if code != "" && !private {
			n.state = true
		}
		if private {
			criminal = true
		}
	}
	// A country without a sponsor is where a group operates from; MISP's
	// groups with one are mostly state-linked, unless described otherwise.
	if n.country != "" && !criminal {
		n.state = true
	}
	if n.hacktiv {
		n.state = false
	}
	if n.state {
		n.kind = "nation-state"
	}
}

// countryCodeRE is a country as package rules accepts it: an ISO 3166-1
// alpha-2 code.
var countryCodeRE = regexp.MustCompile(`^[A-Z]{2}$`)

// countryCode is the first valid ISO code of a meta country field.
func countryCode(list []string) string {
	for _, s := range list {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "UK" {
			s = "GB"
		}
		if countryCodeRE.MatchString(s) {
			return s
		}
	}
	return ""
}

// stateNames maps the state names of MISP's cfr-suspected-state-sponsor
// and microsoft-origin-threat fields to ISO codes, for clusters without a
// country field. Unknown names give no country.
var stateNames = map[string]string{
	"belarus": "BY", "china": "CN", "people's republic of china": "CN", "france": "FR",
	"india": "IN", "iran": "IR", "iran (islamic republic of)": "IR", "israel": "IL",
	"korea (democratic people's republic of)": "KP", "north korea": "KP",
	"korea (republic of)": "KR", "south korea": "KR", "lebanon": "LB", "pakistan": "PK",
	"palestine": "PS", "russia": "RU", "russian federation": "RU", "spain": "ES",
	"us": "US", "united states": "US", "united states of america": "US",
	"united arab emirates": "AE", "vietnam": "VN", "viet nam": "VN", "singapore": "SG",
	"türkiye": "TR", "turkey": "TR", "ukraine": "UA", "austria": "AT", "syria": "SY",
	"united kingdom": "GB", "germany": "DE", "italy": "IT", "egypt": "EG", "kazakhstan": "KZ",
	"tunisia": "TN", "morocco": "MA", "brazil": "BR", "nigeria": "NG", "indonesia": "ID",
	"taiwan": "TW", "saudi arabia": "SA", "qatar": "QA", "iraq": "IQ", "libya": "LY",
}

func (w *vocabulary) countryNamed(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := stateNames[s]; ok {
		return c
	}
	return w.countries[s]
}
