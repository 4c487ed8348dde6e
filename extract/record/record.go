// Package record is the output contract of "incidex extract": the
// incidex/v1 records, one Result per input with its Incidents, described
// field by field by schema/incidex-v1.schema.json. Everything that writes
// or reads incident records (the extractor, the scorer, exports) shares
// these types. It holds no logic but how its own fields are read
// (Result.ArticleKey, ParseTime), so that every reader of records agrees
// and changing the contract starts and ends here and in the schema.
package record

import (
	"strings"
	"time"
)

// SchemaVersion names the output contract of incident records; see
// schema/incidex-v1.schema.json.
const SchemaVersion = "incidex/v1"

// Result is what "incidex extract" prints for one input.
type Result struct {
	Schema string `json:"schema"`
	Input  string `json:"input"`
	// InputBytes holds the bytes of an input name that is not valid UTF-8,
	// which "input" cannot carry (see article.RawInput); JSON writes them
	// in base64.
	InputBytes []byte `json:"input_bytes,omitempty"`
	// URL is where the page was read from: the final URL of a download
	// after redirects, the target URI of a web archive record, the "url"
	// of a JSONL input line; empty for a saved file or stdin.
	URL string `json:"url,omitempty"`
	// CanonicalURL is the page's own <link rel="canonical"> (or og:url),
	// resolved against URL.
	CanonicalURL string `json:"canonical_url,omitempty"`
	// Language is the page's declared language (BCP 47, e.g. "en-GB").
	Language string `json:"language,omitempty"`
	// FetchedAt is when the page was downloaded (RFC 3339), or the date of
	// its web archive record; empty for saved files and stdin.
	FetchedAt string     `json:"fetched_at,omitempty"`
	Title     string     `json:"title"`
	Site      string     `json:"site,omitempty"`
	Byline    string     `json:"byline,omitempty"`
	Published string     `json:"published,omitempty"`
	Incidents []Incident `json:"incidents"`
	// Indicators are the article's indicators that no incident took (see
	// Incident.Indicators); omitted when there are none.
	Indicators []Indicator `json:"indicators,omitempty"`
	// IndicatorsOmitted, when set, is how many more of those there were
	// than the 1000 kept (the first 1000 in text order).
	IndicatorsOmitted int `json:"indicators_omitted,omitempty"`
	// IncidentsOmitted, when set, is how many incidents were left out of
	// a page that reported more than 200 (the record keeps those of
	// highest confidence).
	IncidentsOmitted int `json:"incidents_omitted,omitempty"`
}

// Incident is one attack the article reports.
type Incident struct {
	ID         string      `json:"id"`
	Status     string      `json:"status"` // confirmed or attempted
	Victims    []Victim    `json:"victims"`
	Actors     []Actor     `json:"actors"`
	Tooling    []Tool      `json:"tooling"`
	Impacts    []Impact    `json:"impacts"`
	Responders []Responder `json:"responders"`
	// Indicators are the technical observables the incident's sentences
	// give (in an article of one incident, all of the article's):
	// addresses, domains, URLs, hashes, wallets, CVE ids.
	Indicators []Indicator `json:"indicators"`
	Confidence float64     `json:"confidence"`
	// Occurred, when the text dates the attack, is that date.
	Occurred *Occurred `json:"occurred,omitempty"`
	// Omitted, when set, says how many entries each list cut to its
	// strongest 50 left out: {"tooling": 4950}.
	Omitted map[string]int `json:"omitted,omitempty"`
}

// Occurred is when the article says the attack took place: the earliest
// date it gives to the incident's attack ("a ransomware attack in May",
// "stolen on 14 March"), read against the publication date when it has no
// year.
type Occurred struct {
	// Date is a year (2025), a month (2025-05) or a day (2025-05-14).
	Date     string     `json:"date"`
	Evidence []Evidence `json:"evidence"`
}

// Victim is an organisation (or person) that was attacked.
type Victim struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
	Sector  string   `json:"sector,omitempty"`
	Country string   `json:"country,omitempty"`
	// Ref and ExternalIDs are set when a dictionary entry names the
	// victim (see Actor.Ref).
	Ref         string            `json:"ref,omitempty"`
	ExternalIDs map[string]string `json:"external_ids,omitempty"`
	// Confidence is the victim model's score, 0 to 1.
	Confidence float64 `json:"confidence"`
	// Cues are the model's features that raised the score, largest first.
	Cues     []string   `json:"cues"`
	Evidence []Evidence `json:"evidence"`
	// EvidenceCount, when set, is the number of sentences found: Evidence
	// holds the first ten of them, in text order.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// Actor is who carried out the attack.
type Actor struct {
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Kind        string   `json:"kind"`        // group, nation-state, individual, insider, unknown
	Attribution string   `json:"attribution"` // claimed, attributed, suspected
	// Ref is the id of the dictionary entry that named the actor
	// ("actor.lockbit"); empty for actors no entry holds.
	Ref string `json:"ref,omitempty"`
	// ExternalIDs are the entry's identifiers in other knowledge bases,
	// by source: "mitre-attack" (G0046), "misp-galaxy" (a cluster UUID).
	ExternalIDs map[string]string `json:"external_ids,omitempty"`
	// Confidence is the actor model's score, 0 to 1.
	Confidence float64 `json:"confidence"`
	// Cues are the model's features that raised the score, largest first.
	Cues     []string   `json:"cues"`
	Evidence []Evidence `json:"evidence"`
	// EvidenceCount, when set, is the number of sentences found: Evidence
	// holds the strongest ten of them.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// Tool is ransomware, malware, a tool, a technique or a vulnerability.
type Tool struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"` // ransomware, malware, tool, technique, vulnerability
	Attack string `json:"attack,omitempty"`
	// Ref and ExternalIDs are as for Actor; a technique's ATT&CK id is
	// also Attack.
	Ref         string            `json:"ref,omitempty"`
	ExternalIDs map[string]string `json:"external_ids,omitempty"`
	Evidence    []Evidence        `json:"evidence"`
	// EvidenceCount, when set, is the number of sentences found: Evidence
	// holds the strongest ten of them.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// Impact is what the attack did.
type Impact struct {
	Kind     string     `json:"kind"` // availability, confidentiality, integrity, financial
	Summary  string     `json:"summary"`
	Quantity *Quantity  `json:"quantity,omitempty"`
	Evidence []Evidence `json:"evidence"`
	// EvidenceCount, when set, is the number of sentences found: Evidence
	// holds the strongest ten of them.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// Quantity is an amount the text gives: records, customers, money.
type Quantity struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"` // "records", "customers", "people", or an ISO 4217 currency code
}

// Responder is an agency, police force or firm that responded.
type Responder struct {
	Name     string     `json:"name"`
	Evidence []Evidence `json:"evidence"`
	// EvidenceCount, when set, is the number of sentences found: Evidence
	// holds the strongest ten of them.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// Indicator is a technical observable the text gives, refanged.
type Indicator struct {
	// Type is one of ipv4, ipv6, domain, url, email, md5, sha1, sha256,
	// onion, bitcoin, cve.
	Type string `json:"type"`
	// Value is the indicator in its usable form: refanged ("hxxp" to
	// "http", "[.]" to "."), domains and e-mail domains in lower case,
	// hashes in lower case, CVE ids in upper case.
	Value string `json:"value"`
	// Defanged is the indicator as the text wrote it, when that was a
	// defanged form ("evil[.]com").
	Defanged string     `json:"defanged,omitempty"`
	Evidence []Evidence `json:"evidence"`
	// EvidenceCount, when set, is the number of sentences found: Evidence
	// holds the strongest ten of them.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// Evidence is the sentence that supports a field, with its byte offsets in
// the article text.
type Evidence struct {
	Rule  string `json:"rule"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// ArticleKey identifies the article a record reads: its canonical URL,
// else its URL, else the input's name; stdin ("-") names no article, so
// its title and publication date stand in. Merging and STIX ids key
// articles by it, so that two reports of one article are one.
func (r *Result) ArticleKey() string {
	for _, s := range []string{r.CanonicalURL, r.URL} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	if r.Input != "" && r.Input != "-" {
		return r.Input
	}
	return "title|" + r.Title + "|" + r.Published
}

// timeLayouts are the forms of Result.Published and FetchedAt: RFC 3339,
// or a date alone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02"}

// ParseTime reads a time as Result.Published and FetchedAt write it (RFC
// 3339, or a date alone); ok is false for "" or anything else.
func ParseTime(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1 && t.Year() <= 9999 {
			return t, true
		}
	}
	return time.Time{}, false
}
