package summary

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/record"
)

// maxSources is the most sources the text of a merged incident lists.
const maxSources = 10

// Merged renders one merged incident: a heading (victim, status, when and
// by how many sources it was reported), its fields with the source that
// gives each attribution and largest quantity, the strongest evidence
// sentence, and its sources.
func Merged(m *record.Merged) []byte {
	var b strings.Builder
	heading := "attack with no named victim"
	if len(m.Victims) > 0 {
		heading = m.Victims[0].Name
	}
	when := ""
	switch {
	case m.FirstReported == "":
		when = "undated"
	case day(m.FirstReported) == day(m.LastReported):
		when = "reported " + day(m.FirstReported)
	default:
		when = "reported " + day(m.FirstReported) + " to " + day(m.LastReported)
	}
	sources := "1 source"
	if len(m.Sources) != 1 {
		sources = strconv.Itoa(len(m.Sources)) + " sources"
	}
	fmt.Fprintf(&b, "%s: %s, %s by %s (confidence %.2f)\n", heading, m.Status, when, sources, m.Confidence)
	about := "block " + m.BlockKey
	if m.Campaign != "" {
		about += ", campaign " + m.Campaign
	}
	writeLine(&b, "id", []string{m.ID + " (" + about + ")"}, ", ")
	if o := m.Occurred; o != nil {
		date := o.Date
		if len(o.Evidence) > 0 {
			date += " (" + o.Evidence[0].Source + ")"
		}
		writeLine(&b, "occurred", []string{date}, ", ")
	}
	var victims, actors, tooling, impacts []string
	for _, v := range m.Victims {
		s := withNotes(v.Name, v.Sector, v.Country)
		if len(v.Aliases) > 0 {
			s += "; also " + strings.Join(v.Aliases, ", ")
		}
		victims = append(victims, s)
	}
	for _, a := range m.Actors {
		actors = append(actors, withNotes(a.Name, a.Attribution, a.AttributionSource))
	}
	for _, t := range m.Tooling {
		tooling = append(tooling, withNotes(t.Name, t.Kind))
	}
	for _, im := range m.Impacts {
		s := im.Kind + ": " + clip(im.Summary, maxSummary)
		if q := im.Quantity; q != nil {
			s += " (" + strconv.FormatFloat(q.Value, 'f', -1, 64) + " " + q.Unit + ", " + im.QuantitySource + ")"
		}
		impacts = append(impacts, s)
	}
	writeFields(&b, victims, actors, tooling, impacts, "; ")
	if len(m.Indicators) > 0 {
		list := make([]record.Indicator, len(m.Indicators))
		for i, ind := range m.Indicators {
			list[i] = record.Indicator{Type: ind.Type, Value: ind.Value}
		}
		writeLine(&b, "indicators", []string{indicators(list)}, ", ")
	}
	if ev, ok := strongestMerged(m); ok {
		fmt.Fprintf(&b, "   %-10s %q (%s)\n", "evidence:", clip(ev.Text, maxEvidence), ev.Source)
	}
	for i, s := range m.Sources {
		if i == maxSources {
			fmt.Fprintf(&b, "   %-10s and %d more\n", "", len(m.Sources)-maxSources)
			break
		}
		label := ""
		if i == 0 {
			label = "sources:"
		}
		fmt.Fprintf(&b, "   %-10s %s\n", label, sourceLine(s))
	}
	return []byte(b.String())
}

// day is the date of an RFC 3339 time.
func day(ts string) string {
	if len(ts) >= 10 {
		return ts[:10]
	}
	return ts
}

// sourceLine is a source in one line: key, date, site, title and URL.
func sourceLine(s record.Source) string {
	parts := []string{s.Key}
	if s.Published != "" {
		parts = append(parts, day(s.Published))
	}
	title := s.Title
	if title == "" {
		title = "(untitled)"
	}
	if s.Site != "" {
		title = s.Site + ": " + title
	}
	parts = append(parts, clip(title, maxSummary))
	u := s.URL
	if u == "" {
		u = s.CanonicalURL
	}
	if u == "" {
		u = s.Input
	}
	return strings.Join(parts, " ") + " <" + u + ">"
}

// strongestMerged is the sentence that best proves a merged incident: the
// first evidence of its victim, else of its first actor, tool or impact.
func strongestMerged(m *record.Merged) (record.SourcedEvidence, bool) {
	var lists [][]record.SourcedEvidence
	for _, v := range m.Victims {
		lists = append(lists, v.Evidence)
	}
	for _, a := range m.Actors {
		lists = append(lists, a.Evidence)
	}
	for _, t := range m.Tooling {
		lists = append(lists, t.Evidence)
	}
	for _, im := range m.Impacts {
		lists = append(lists, im.Evidence)
	}
	return firstOf(lists)
}
