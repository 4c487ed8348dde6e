package misp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrType is the error, wrapped, of a cluster file whose galaxy type
// Import does not read (country.json, sector.json, ...).
var ErrType = errors.New("galaxy type is not imported")

// galaxy says what the clusters of one galaxy type become.
type galaxy struct {
	section string // "actors" or "tooling"
	kind    string // the tooling kind; actors decide theirs per cluster
	// rank orders the galaxies of a section: when clusters merge, the name
	// of the best-ranked (lowest) one becomes the entry's name.
	rank int
}

// galaxies are the galaxy types Import reads.
var galaxies = map[string]galaxy{
	"threat-actor":             {section: "actors", rank: 0},
	"mitre-intrusion-set":      {section: "actors", rank: 1},
	"microsoft-activity-group": {section: "actors", rank: 2},
	"mitre-malware":            {section: "tooling", kind: "malware", rank: 3},
	"mitre-tool":               {section: "tooling", kind: "tool", rank: 4},
	"ransomware":               {section: "tooling", kind: "ransomware", rank: 5},
	"tool":                     {section: "tooling", kind: "malware", rank: 6}, // MISP's "tool" galaxy is mostly malware families
	"malpedia":                 {section: "tooling", kind: "malware", rank: 7},
	"rmm-tool":                 {section: "tooling", kind: "tool", rank: 8},
}

// Types lists the galaxy types Import reads, sorted.
func Types() []string {
	var out []string
	for t := range galaxies {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// File is one MISP galaxy cluster file.
type File struct {
	Name    string // as given to Parse: in messages and in the output's header
	Type    string // the galaxy type: threat-actor, ransomware, malpedia, ...
	Version int    // the galaxy's version
	Values  []Cluster
}

// Cluster is one cluster of a galaxy: a threat actor, a ransomware
// family, a tool. Meta keeps the fields Import reads in whatever shape
// the file has them (a string or a list of strings).
type Cluster struct {
	UUID        string                     `json:"uuid"`
	Value       string                     `json:"value"`
	Description string                     `json:"description"`
	Meta        map[string]json.RawMessage `json:"meta"`
	Related     []Relation                 `json:"related"`
	// Revoked marks a cluster its source has withdrawn for another, which
	// a "revoked-by" relation names (ATT&CK folded UNC2452, G0118, into
	// APT29, G0016). Its names still count; its ATT&CK id does not.
	Revoked bool `json:"revoked"`
}

// Relation links a cluster to another, by uuid.
type Relation struct {
	DestUUID string `json:"dest-uuid"`
	Type     string `json:"type"` // Import follows "similar"
}

// Parse parses one galaxy cluster file. A file whose galaxy type
// Import does not read is an error wrapping ErrType.
func Parse(name string, data []byte) (*File, error) {
	var f struct {
		Type    string    `json:"type"`
		Version int       `json:"version"`
		Values  []Cluster `json:"values"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a MISP galaxy cluster file: %w", jsonPos(name, data, err), err)
	}
	if f.Type == "" || f.Values == nil {
		return nil, fmt.Errorf("%s: not a MISP galaxy cluster file: no \"type\" or no \"values\"", name)
	}
	if _, ok := galaxies[f.Type]; !ok {
		return nil, fmt.Errorf("%s: %w: %q (want %s)", name, ErrType, f.Type, strings.Join(Types(), ", "))
	}
	return &File{Name: name, Type: f.Type, Version: f.Version, Values: f.Values}, nil
}

// jsonPos is name:line for a JSON error that knows its offset.
func jsonPos(name string, data []byte, err error) string {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return name
	}
	off = min(max(off, 0), int64(len(data)))
	return fmt.Sprintf("%s:%d", name, bytes.Count(data[:off], []byte("\n"))+1)
}

// metaStrings reads a meta field that is a string or a list of strings.
func metaStrings(meta map[string]json.RawMessage, key string) []string {
	raw, ok := meta[key]
	if !ok {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return []string{s}
	}
	return nil
}
