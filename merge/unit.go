package merge

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/incidex/incidex/extract/match"
	"github.com/incidex/incidex/extract/record"
)

// UnitSchemaVersion names the JSON form of a Unit, which "incidex merge
// --format units" prints and "incidex merge" reads back.
const UnitSchemaVersion = "incidex-unit/v1"

// Unit is what is merged: one victim of one article's incident (an
// incident without victims is one unit of its own), with its source and
// the incident's other fields. Units are JSON-encodable: spill files,
// "incidex merge --format units" and the SQLite store keep them as JSON.
type Unit struct {
	Schema string `json:"schema"` // UnitSchemaVersion
	// BlockKey is the block the unit is merged in (see the package
	// documentation): units with different keys never merge, so
	// partitioning units by it and merging each partition alone gives the
	// merge of the whole.
	BlockKey string `json:"block_key"`
	// Campaign is the wave the unit belongs to, or "": a hash of the
	// incident's actor and flaw, or of the article's incident when it
	// names several victims (CampaignBasis says which).
	Campaign      string `json:"campaign,omitempty"`
	CampaignBasis string `json:"campaign_basis,omitempty"` // "actor-flaw" or "article"
	// Key identifies the unit: the article, the incident id and the
	// victim's name. The same article read twice gives units of the same
	// key, which merge once.
	Key string `json:"key"`
	// Article identifies the article: its canonical URL, else its URL,
	// else the input's name (for stdin: its title and date).
	Article string `json:"article"`
	// Reported is the article's publication time in UTC (RFC 3339, to the
	// second), or "" when it gives none.
	Reported string `json:"reported,omitempty"`
	// Occurred is when the article says the attack took place (a year, a
	// month or a day; Incident.Occurred), with its evidence.
	Occurred *record.Occurred `json:"occurred,omitempty"`
	// Source is the article as the merged incident lists it (its Key is
	// set when merged).
	Source     record.Source      `json:"source"`
	Status     string             `json:"status"`
	Confidence float64            `json:"confidence"`
	Victim     *record.Victim     `json:"victim,omitempty"`
	Actors     []record.Actor     `json:"actors,omitempty"`
	Tooling    []record.Tool      `json:"tooling,omitempty"`
	Impacts    []record.Impact    `json:"impacts,omitempty"`
	Responders []record.Responder `json:"responders,omitempty"`
	Indicators []record.Indicator `json:"indicators,omitempty"`
}

// Campaign bases.
const (
	basisActorFlaw = "actor-flaw"
	basisArticle   = "article"
)

// Units splits an extract record into its units: one per victim of each
// incident, one for each incident without victims.
func (m *Merger) Units(r *record.Result) []Unit {
	if r == nil {
		return nil
	}
	art := r.ArticleKey()
	src := record.Source{
		Input: r.Input, URL: r.URL, CanonicalURL: r.CanonicalURL,
		Title: r.Title, Site: r.Site, Published: r.Published,
	}
	reported := reportedTime(r.Published)
	var units []Unit
	for i := range r.Incidents {
		inc := &r.Incidents[i]
		s := src
		s.Incident = inc.ID
		base := Unit{
			Schema: UnitSchemaVersion, Article: art, Reported: reported, Source: s,
			Status: inc.Status, Confidence: inc.Confidence, Occurred: inc.Occurred,
			Actors: inc.Actors, Tooling: inc.Tooling, Impacts: inc.Impacts,
			Responders: inc.Responders, Indicators: inc.Indicators,
		}
		base.Campaign, base.CampaignBasis = campaign(art, inc)
		incKey := art + "\x00" + inc.ID
		made := 0
		for j := range inc.Victims {
			v := inc.Victims[j]
			n := m.names.parse(v.Name)
			if n.base == "" {
				continue // a name of punctuation alone names no one
			}
			u := base
			u.Victim = &v
			u.Key = incKey + "\x00" + v.Name
			u.BlockKey = blockKeyOf(n)
			units = append(units, u)
			made++
		}
		if made == 0 {
			u := base
			u.Key = incKey
			u.BlockKey = victimlessBlock(incKey)
			units = append(units, u)
		}
	}
	return units
}

// blockOf is the block key of a unit that lacks one (a unit line written
// by hand): its victim's, else that of a unit without victim.
func (m *Merger) blockOf(u *Unit) string {
	if u.Victim != nil {
		if k := m.BlockKey(u.Victim.Name); k != "" {
			return k
		}
	}
	return victimlessBlock(u.Key)
}

// victimlessBlock is the block of an incident without victims: it merges
// with nothing but another copy of itself, so its block only needs to
// spread such units: "~" and two hex digits of the incident's key.
func victimlessBlock(incKey string) string {
	sum := sha256.Sum256([]byte(incKey))
	return "~" + hex.EncodeToString(sum[:1])
}

// reportTimeFormat is how Unit.Reported and Merged.FirstReported are
// written: UTC to the second, so that they sort as strings.
const reportTimeFormat = "2006-01-02T15:04:05Z"

// reportedTime is a publication time in UTC as reportTimeFormat, or "".
func reportedTime(s string) string {
	if t, ok := record.ParseTime(s); ok && t.UTC().Year() >= 1000 && t.UTC().Year() <= 9999 {
		return t.UTC().Format(reportTimeFormat)
	}
	return ""
}

// parseReported reads a Unit.Reported back; ok is false for "" or a value
// that is not one.
func parseReported(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(reportTimeFormat, s)
	return t, err == nil
}

// campaign is an incident's wave key and its basis: a hash of its actor
// and its flaw when it names both (one actor, one flaw: a supply-chain or
// mass-exploitation wave whose victims other articles report apart); else,
// when it names several victims, a hash of the article's incident; else
// none. The actor is the one of strongest attribution (by dictionary
// entry, else by name; ties: the first in byte order); the flaw the
// smallest CVE id, else the smallest vulnerability entry or name.
func campaign(art string, inc *record.Incident) (key, basis string) {
	if flaw := flawOf(inc); flaw != "" {
		if actor := leadActor(inc.Actors); actor != "" {
			return hashKey("actor-flaw\x00" + actor + "\x00" + flaw)[:12], basisActorFlaw
		}
	}
	if len(inc.Victims) > 1 {
		return hashKey("article\x00" + art + "\x00" + inc.ID)[:12], basisArticle
	}
	return "", ""
}

// flawOf is the flaw an incident names, as campaign chooses it.
func flawOf(inc *record.Incident) string {
	var cves, refs, names []string
	for _, t := range inc.Tooling {
		if t.Kind != "vulnerability" {
			continue
		}
		switch {
		case match.IsCVE(t.Name):
			cves = append(cves, strings.ToUpper(strings.TrimSpace(t.Name)))
		case t.ExternalIDs["cve"] != "":
			cves = append(cves, strings.ToUpper(t.ExternalIDs["cve"]))
		case t.Ref != "":
			refs = append(refs, t.Ref)
		case normKey(t.Name) != "":
			names = append(names, normKey(t.Name))
		}
	}
	for _, ind := range inc.Indicators {
		if ind.Type == "cve" {
			cves = append(cves, strings.ToUpper(ind.Value))
		}
	}
	for _, list := range [][]string{cves, refs, names} {
		if len(list) > 0 {
			return slices.Min(list)
		}
	}
	return ""
}

// attributionRank orders attributions, strongest first.
var attributionRank = map[string]int{"attributed": 3, "claimed": 2, "suspected": 1}

// leadActor is the identity of the actor of strongest attribution.
func leadActor(actors []record.Actor) string {
	best, bestRank := "", -1
	for _, a := range actors {
		id := a.Ref
		if id == "" {
			id = normKey(a.Name)
		}
		if id == "" {
			continue
		}
		r := attributionRank[a.Attribution]
		if r > bestRank || (r == bestRank && id < best) {
			best, bestRank = id, r
		}
	}
	return best
}

// hashKey is the hex SHA-256 of s.
func hashKey(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
