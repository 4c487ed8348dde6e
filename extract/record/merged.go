package record

// MergedSchemaVersion names the output contract of merged incidents; see
// schema/incidex-merged-v1.schema.json.
const MergedSchemaVersion = "incidex-merged/v1"

// Merged is one real incident as several articles report it: what
// "incidex merge" prints, one per line, and what "incidex incidents"
// lists. Every field is the union of its sources' fields, and every piece
// of evidence names the source it comes from.
type Merged struct {
	Schema string `json:"schema"`
	// ID is deterministic: the same reports, in any order, give the same
	// id (see package merge).
	ID string `json:"id"`
	// Campaign, when set, is shared by the incidents of one wave: one
	// actor and one flaw, or one article's attack on several victims.
	Campaign string `json:"campaign,omitempty"`
	// BlockKey is the normalised victim key the merge partitions by: two
	// reports in different blocks are never merged, so an engine can
	// partition records by it and merge each partition alone.
	BlockKey string `json:"block_key"`
	Status   string `json:"status"` // confirmed if any source confirms, else attempted
	// FirstReported and LastReported are the earliest and latest
	// publication times of the sources, in UTC (RFC 3339, to the second);
	// empty when no source gives one.
	FirstReported string `json:"first_reported,omitempty"`
	LastReported  string `json:"last_reported,omitempty"`
	// Confidence is the highest of the sources' incident confidences.
	Confidence float64           `json:"confidence"`
	Victims    []MergedVictim    `json:"victims"`
	Actors     []MergedActor     `json:"actors"`
	Tooling    []MergedTool      `json:"tooling"`
	Impacts    []MergedImpact    `json:"impacts"`
	Responders []MergedNamed     `json:"responders"`
	Indicators []MergedIndicator `json:"indicators"`
	Sources    []Source          `json:"sources"`
	// Occurred, when a source dates the attack, is the earliest date the
	// sources give it (Incident.Occurred).
	Occurred *MergedOccurred `json:"occurred,omitempty"`
}

// MergedOccurred is the date of a merged incident's attack and the
// sentence of the source that gives it.
type MergedOccurred struct {
	Date     string            `json:"date"`
	Evidence []SourcedEvidence `json:"evidence"`
}

// Source is one article's report of a merged incident: each article is
// one source, however many of its incidents were merged.
type Source struct {
	// Key identifies the source within the merged incident, as evidence
	// cites it: "s1", "s2"... in the order of Sources (by publication
	// time, then article).
	Key   string `json:"key"`
	Input string `json:"input"`
	URL   string `json:"url,omitempty"`
	// CanonicalURL is the article's own canonical URL when it gives one
	// (Result.CanonicalURL); with URL and Input it identifies the article.
	CanonicalURL string `json:"canonical_url,omitempty"`
	Title        string `json:"title,omitempty"`
	Site         string `json:"site,omitempty"`
	Published    string `json:"published,omitempty"` // as the article gives it
	// Incident is the id of the article's incident (Incident.ID).
	Incident string `json:"incident"`
	// OtherIncidents, when set, are the ids of the article's other
	// incidents merged here: an article that reports one victim in two
	// incidents ("ICBC FS", "ICBC Financial Services") is one source.
	OtherIncidents []string `json:"other_incidents,omitempty"`
}

// SourcedEvidence is an evidence sentence with the source it comes from.
type SourcedEvidence struct {
	Source string `json:"source"` // a Source.Key
	Evidence
}

// MergedVictim is a victim with every name its sources give it.
type MergedVictim struct {
	Name        string            `json:"name"`
	Aliases     []string          `json:"aliases"`
	Sector      string            `json:"sector,omitempty"`
	Country     string            `json:"country,omitempty"`
	Ref         string            `json:"ref,omitempty"`
	ExternalIDs map[string]string `json:"external_ids,omitempty"`
	Evidence    []SourcedEvidence `json:"evidence"`
	// EvidenceCount, when set, is how many sentences the sources give:
	// Evidence holds ten of them, the strongest of each source in turn.
	EvidenceCount int `json:"evidence_count,omitempty"`
}

// MergedActor is an actor with the strongest attribution any source gives
// (attributed, then claimed, then suspected) and the source that gives it.
type MergedActor struct {
	Name              string            `json:"name"`
	Aliases           []string          `json:"aliases"`
	Kind              string            `json:"kind"`
	Attribution       string            `json:"attribution"`
	AttributionSource string            `json:"attribution_source"` // a Source.Key
	Ref               string            `json:"ref,omitempty"`
	ExternalIDs       map[string]string `json:"external_ids,omitempty"`
	Evidence          []SourcedEvidence `json:"evidence"`
	EvidenceCount     int               `json:"evidence_count,omitempty"` // as for MergedVictim
}

// MergedTool is a piece of tooling any source names.
type MergedTool struct {
	Name          string            `json:"name"`
	Kind          string            `json:"kind"`
	Attack        string            `json:"attack,omitempty"`
	Ref           string            `json:"ref,omitempty"`
	ExternalIDs   map[string]string `json:"external_ids,omitempty"`
	Evidence      []SourcedEvidence `json:"evidence"`
	EvidenceCount int               `json:"evidence_count,omitempty"` // as for MergedVictim
}

// MergedImpact is one kind of impact, with the largest quantity any source
// gives and that source. A kind whose sources count in several units
// (records and customers, or two currencies) has one entry per unit,
// since their quantities cannot be compared.
type MergedImpact struct {
	Kind           string            `json:"kind"`
	Summary        string            `json:"summary"`
	Quantity       *Quantity         `json:"quantity,omitempty"`
	QuantitySource string            `json:"quantity_source,omitempty"` // a Source.Key
	Evidence       []SourcedEvidence `json:"evidence"`
	EvidenceCount  int               `json:"evidence_count,omitempty"` // as for MergedVictim
}

// MergedNamed is a responder any source names.
type MergedNamed struct {
	Name          string            `json:"name"`
	Evidence      []SourcedEvidence `json:"evidence"`
	EvidenceCount int               `json:"evidence_count,omitempty"` // as for MergedVictim
}

// MergedIndicator is an indicator any source gives.
type MergedIndicator struct {
	Type          string            `json:"type"`
	Value         string            `json:"value"`
	Defanged      string            `json:"defanged,omitempty"`
	Evidence      []SourcedEvidence `json:"evidence"`
	EvidenceCount int               `json:"evidence_count,omitempty"` // as for MergedVictim
}
