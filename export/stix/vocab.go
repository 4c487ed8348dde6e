package stix

import (
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// sectors maps incidex's victim sectors (rules.Sectors) to STIX 2.1's
// industry-sector-ov. Both are fixed vocabularies of output formats (the
// record schema's and STIX's), so the table belongs with the format, not
// in a rule pack. A sector STIX has no value for goes out as it is, which
// an open vocabulary allows:
//
//   - food: agriculture, STIX's value for the food and agriculture sector
//     (it follows the US critical infrastructure sectors, which put food
//     production, processing and distribution there)
//   - logistics: transportation
//   - media: communications (broadcasting and publishing sit with
//     telecommunications in that sector)
//   - real-estate: commercial (the commercial facilities sector)
//   - legal, professional-services: unchanged, STIX has no such sector
var sectors = map[string]string{
	"agriculture":           "agriculture",
	"automotive":            "automotive",
	"construction":          "construction",
	"defence":               "defense",
	"education":             "education",
	"energy":                "energy",
	"entertainment":         "entertainment",
	"finance":               "financial-services",
	"food":                  "agriculture",
	"government":            "government",
	"healthcare":            "healthcare",
	"hospitality":           "hospitality-leisure",
	"insurance":             "insurance",
	"legal":                 "legal",
	"logistics":             "transportation",
	"manufacturing":         "manufacturing",
	"media":                 "communications",
	"non-profit":            "non-profit",
	"pharmaceutical":        "pharmaceuticals",
	"professional-services": "professional-services",
	"real-estate":           "commercial",
	"retail":                "retail",
	"technology":            "technology",
	"telecom":               "telecommunications",
	"transport":             "transportation",
	"utilities":             "utilities",
}

// sector is the STIX sector of an incidex sector; unknown values pass
// through as open-vocabulary values.
func sector(s string) string {
	if v, ok := sectors[s]; ok {
		return v
	}
	return s
}

// threatActorTypes maps the actor kinds that become a threat-actor to
// threat-actor-type-ov. A group is an intrusion-set instead (see actorType).
// An insider in the news is one who acted on purpose, as an accident is no
// attack; an individual named as the attacker is a hacker, the vocabulary's
// word for one person breaking in.
var threatActorTypes = map[string]string{
	"nation-state": "nation-state",
	"individual":   "hacker",
	"insider":      "insider-disgruntled",
	"unknown":      "unknown",
}

// actorType is the STIX type of an actor kind: a named group (LockBit,
// Scattered Spider) is an intrusion-set, the behaviour and resources of one
// organisation; everything else is a threat-actor.
func actorType(kind string) string {
	if kind == "group" {
		return "intrusion-set"
	}
	return "threat-actor"
}

// attributionConfidence is the STIX confidence (the High/Medium/Low scale
// of the specification's appendix A: 85, 50, 15) an attribution allows at
// most: investigators' or officials' word is high, the actor's own claim
// medium (gangs claim attacks they did not do), a suspicion low.
var attributionConfidence = map[string]int{
	"attributed": 85,
	"claimed":    50,
	"suspected":  15,
}

// attributionText says in words what each attribution means.
var attributionText = map[string]string{
	"attributed": "officials or investigators attribute the attack to it",
	"claimed":    "it claimed the attack",
	"suspected":  "reports suspect or link it",
}

// indicatorKind says how an incidex indicator type becomes STIX: the SCO
// type, how a pattern names its value, and the indicator_types of the
// indicator SDO.
type indicatorKind struct {
	sco       string // SCO type
	path      string // object path in a STIX pattern
	hash      string // hash algorithm, for file
	indicator string // indicator-type-ov value
}

// indicatorKinds covers every incidex indicator type but cve, which is a
// vulnerability. Hashes, onion services and wallets are named in attack
// news as the attackers' (the ransomware sample, the leak site, the ransom
// wallet) and are malicious-activity; addresses, domains, URLs and e-mail
// addresses are as often the victim's own or a help line's, and incidex
// cannot tell which, so their indicators are "unknown".
var indicatorKinds = map[string]indicatorKind{
	"ipv4":    {sco: "ipv4-addr", path: "ipv4-addr:value", indicator: "unknown"},
	"ipv6":    {sco: "ipv6-addr", path: "ipv6-addr:value", indicator: "unknown"},
	"domain":  {sco: "domain-name", path: "domain-name:value", indicator: "unknown"},
	"onion":   {sco: "domain-name", path: "domain-name:value", indicator: "malicious-activity"},
	"url":     {sco: "url", path: "url:value", indicator: "unknown"},
	"email":   {sco: "email-addr", path: "email-addr:value", indicator: "unknown"},
	"md5":     {sco: "file", path: "file:hashes.MD5", hash: "MD5", indicator: "malicious-activity"},
	"sha1":    {sco: "file", path: "file:hashes.'SHA-1'", hash: "SHA-1", indicator: "malicious-activity"},
	"sha256":  {sco: "file", path: "file:hashes.'SHA-256'", hash: "SHA-256", indicator: "malicious-activity"},
	"bitcoin": {sco: walletType, path: walletType + ":value", indicator: "malicious-activity"},
}

// walletType is the custom SCO type of a cryptocurrency wallet: STIX 2.1
// has none, and this is the type OpenCTI defines and imports as its
// Cryptocurrency-Wallet observable.
const walletType = "cryptocurrency-wallet"

// patternString quotes s as a STIX patterning string literal.
func patternString(s string) string {
	return "'" + patternEscaper.Replace(s) + "'"
}

// patternEscaper escapes a STIX patterning string literal.
var patternEscaper = strings.NewReplacer(`\`, `\\`, `'`, `\'`)

// hashLengths are the hex lengths of the hashes a file observable takes.
var hashLengths = map[string]int{"MD5": 32, "SHA-1": 40, "SHA-256": 64}

var (
	cveRE    = regexp.MustCompile(`^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$`)
	capecRE  = regexp.MustCompile(`^CAPEC-\d+$`)
	hexRE    = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	attackRE = regexp.MustCompile(`^(TA|DS|[GSTCM])\d{4}(\.\d{3})?$`)
)

// cveID is s as a CVE id in upper case when it is one, the form the
// external-reference schema accepts; else "".
func cveID(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if cveRE.MatchString(s) {
		return s
	}
	return ""
}

// attackURL is the page of an ATT&CK id on attack.mitre.org: a group
// (G0046), software (S0372), technique or sub-technique (T1566,
// T1566.001), tactic, campaign, mitigation or data source; "" for another
// form.
func attackURL(id string) string {
	if !attackRE.MatchString(id) {
		return ""
	}
	dir := attackDirs[id[:1]]
	switch {
	case strings.HasPrefix(id, "TA"):
		dir = "tactics"
	case strings.HasPrefix(id, "DS"):
		dir = "datasources"
	}
	return "https://attack.mitre.org/" + dir + "/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// attackDirs are the folders of attack.mitre.org by an id's first letter.
var attackDirs = map[string]string{"G": "groups", "S": "software", "T": "techniques", "C": "campaigns", "M": "mitigations"}

// extRef is an external reference to id in source. The schema ties the
// source names "cve" and "capec" to their id forms and keeps those forms
// from any other source, so a CVE or CAPEC id goes under its own source
// whatever the entry called it, and an id of another form under "cve" or
// "capec" is dropped. ok is false when there is no reference.
func extRef(source, id string) (ref map[string]any, ok bool) {
	source, id = strings.TrimSpace(source), strings.TrimSpace(id)
	if source == "" || id == "" {
		return nil, false
	}
	ref = map[string]any{"source_name": source}
	switch cve := cveID(id); {
	case cve != "":
		id = cve
		ref["source_name"] = "cve"
		ref["external_id"] = id
		ref["url"] = "https://www.cve.org/CVERecord?id=" + id
	case capecRE.MatchString(strings.ToUpper(id)):
		id = strings.ToUpper(id)
		ref["source_name"] = "capec"
		ref["external_id"] = id
		ref["url"] = "https://capec.mitre.org/data/definitions/" + strings.TrimPrefix(id, "CAPEC-") + ".html"
	case source == "cve" || source == "capec":
		return nil, false
	case source == "mitre-attack":
		id = strings.ToUpper(id)
		ref["external_id"] = id
		if u := attackURL(id); u != "" {
			ref["url"] = u
		}
	default:
		ref["external_id"] = id
	}
	return ref, true
}

// externalRefs are the references of a dictionary entry's ids in other
// knowledge bases, by source name, plus extra ones, without repeats and in
// source order.
func externalRefs(ids map[string]string, extra ...map[string]any) []any {
	var out []any
	seen := map[string]bool{}
	add := func(ref map[string]any) {
		k := ref["source_name"].(string) + "\x00" + str(ref["external_id"]) + "\x00" + str(ref["description"])
		if !seen[k] {
			seen[k] = true
			out = append(out, ref)
		}
	}
	for _, ref := range extra {
		add(ref)
	}
	sources := make([]string, 0, len(ids))
	for s := range ids {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	for _, s := range sources {
		if ref, ok := extRef(s, ids[s]); ok {
			add(ref)
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// validURI reports whether s is an absolute URI the way the schemas'
// "uri" format checks it, so that an odd URL goes in a description, not in
// a url property that would fail validation.
func validURI(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n\\") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return false
	}
	if h := u.Hostname(); strings.Contains(h, ":") {
		a, err := netip.ParseAddr(h)
		return err == nil && a.Is6() && strings.Contains(u.Host, "[")
	}
	return true
}

// validHostname reports whether s is a domain name of labels of 1 to 63
// letters, digits and hyphens (after IDNA mapping of any other letters),
// at most 253 characters, the form the domain-name SCO's value takes.
func validHostname(s string) bool {
	a, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return false
	}
	a = strings.TrimSuffix(a, ".")
	if a == "" || len(a) > 253 {
		return false
	}
	for _, label := range strings.Split(a, ".") {
		if len(label) < 1 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validEmail reports whether s is an e-mail address of an unquoted local
// part of at most 64 characters and a valid domain name.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at < 1 || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for _, c := range local {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", c)) {
			return false
		}
	}
	return validHostname(domain)
}

// observableValue is an indicator's value as its SCO takes it, or ok false
// when the value does not fit the SCO (a malformed address, a hash of the
// wrong length): such an indicator is left out rather than break the
// bundle. Addresses take their canonical text form.
func observableValue(kind indicatorKind, value string) (string, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", false
	}
	switch kind.sco {
	case "ipv4-addr":
		a, err := netip.ParseAddr(value)
		if err != nil || !a.Is4() {
			return "", false
		}
		return a.String(), true
	case "ipv6-addr":
		a, err := netip.ParseAddr(value)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", false
		}
		s := a.String()
		// The ipv6-addr schema's pattern for a dotted IPv4 tail is broken
		// ("d" for "\d"), so an IPv4-mapped form would not validate.
		if strings.Contains(s, ".") {
			return "", false
		}
		return s, true
	case "domain-name":
		return value, validHostname(value)
	case "url":
		return value, validURI(value)
	case "email-addr":
		return value, validEmail(value)
	case "file":
		return strings.ToLower(value), len(value) == hashLengths[kind.hash] && hexRE.MatchString(value)
	}
	return value, !strings.ContainsAny(value, " \t\r\n")
}
