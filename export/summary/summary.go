// Package summary renders incident records as a short text for people: per
// incident its status, victims, actors with their attribution, tooling,
// impacts and the sentence that best proves it. It is the reading view of
// "incidex extract" and, for merged incidents (Merged), of "incidex merge"
// on a terminal; the JSON formats carry everything.
package summary

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/incidex/incidex/extract/record"
)

// maxEvidence is the most characters of the evidence sentence shown,
// maxSummary of an impact's summary (often a sentence itself).
const (
	maxEvidence = 240
	maxSummary  = 100
)

// Text renders one record: a heading (title, input, URL, date) and a block
// per incident.
func Text(r *record.Result) []byte {
	var b strings.Builder
	title := r.Title
	if title == "" {
		title = "(untitled)"
	}
	b.WriteString(title + "\n")
	meta := []string{r.Input}
	if r.URL != "" && r.URL != r.Input {
		meta = append(meta, r.URL)
	}
	if r.Published != "" {
		meta = append(meta, "published "+r.Published)
	}
	b.WriteString(strings.Join(meta, " · ") + "\n")
	if len(r.Incidents) == 0 {
		b.WriteString("\nno incident reported\n")
	}
	for i := range r.Incidents {
		writeIncident(&b, i+1, &r.Incidents[i])
	}
	if r.IncidentsOmitted > 0 {
		fmt.Fprintf(&b, "\n(%d more incidents of lower confidence left out)\n", r.IncidentsOmitted)
	}
	if len(r.Indicators) > 0 {
		b.WriteString("\nindicators not tied to an incident: " + indicators(r.Indicators) + "\n")
	}
	return []byte(b.String())
}

func writeIncident(b *strings.Builder, n int, inc *record.Incident) {
	var victims, actors, tooling, impacts []string
	for _, v := range inc.Victims {
		victims = append(victims, withNotes(v.Name, v.Sector, v.Country))
	}
	for _, a := range inc.Actors {
		actors = append(actors, withNotes(a.Name, a.Attribution))
	}
	for _, t := range inc.Tooling {
		tooling = append(tooling, withNotes(t.Name, t.Kind))
	}
	for _, im := range inc.Impacts {
		impacts = append(impacts, im.Kind+": "+clip(im.Summary, maxSummary))
	}
	heading := "attack with no named victim"
	if len(inc.Victims) > 0 {
		heading = inc.Victims[0].Name
	}
	fmt.Fprintf(b, "\n%d. %s: %s (confidence %.2f)\n", n, heading, inc.Status, inc.Confidence)
	if inc.Occurred != nil {
		writeLine(b, "occurred", []string{inc.Occurred.Date}, ", ")
	}
	writeFields(b, victims, actors, tooling, impacts, ", ")
	if len(inc.Indicators) > 0 {
		writeLine(b, "indicators", []string{indicators(inc.Indicators)}, ", ")
	}
	if ev, ok := strongest(inc); ok {
		fmt.Fprintf(b, "   %-10s %q\n", "evidence:", clip(ev.Text, maxEvidence))
	}
}

// writeFields writes the lines of an incident's victims, actors ("none
// named" when there is none), tooling and impacts, the impacts joined
// with impactSep.
func writeFields(b *strings.Builder, victims, actors, tooling, impacts []string, impactSep string) {
	writeLine(b, "victims", victims, ", ")
	if len(actors) == 0 {
		actors = []string{"none named"}
	}
	writeLine(b, "actors", actors, ", ")
	writeLine(b, "tooling", tooling, ", ")
	writeLine(b, "impacts", impacts, impactSep)
}

// writeLine writes a labelled line of an incident's block, the list joined
// with sep; nothing when the list is empty.
func writeLine(b *strings.Builder, label string, list []string, sep string) {
	if len(list) > 0 {
		fmt.Fprintf(b, "   %-10s %s\n", label+":", strings.Join(list, sep))
	}
}

// withNotes writes "name (a, b)" with the notes that are not empty.
func withNotes(name string, notes ...string) string {
	var kept []string
	for _, n := range notes {
		if n != "" {
			kept = append(kept, n)
		}
	}
	if len(kept) == 0 {
		return name
	}
	return name + " (" + strings.Join(kept, ", ") + ")"
}

// indicators lists indicators as "type value", at most ten of them.
func indicators(list []record.Indicator) string {
	const shown = 10
	var out []string
	for i, ind := range list {
		if i == shown {
			out = append(out, fmt.Sprintf("and %d more", len(list)-shown))
			break
		}
		out = append(out, ind.Type+" "+ind.Value)
	}
	return strings.Join(out, ", ")
}

// strongest is the sentence that best proves an incident: the first
// evidence of the first victim that has one, else of the first actor,
// tool or impact that has one (each field's evidence comes strongest
// first).
func strongest(inc *record.Incident) (record.Evidence, bool) {
	var lists [][]record.Evidence
	for _, v := range inc.Victims {
		lists = append(lists, v.Evidence)
	}
	for _, a := range inc.Actors {
		lists = append(lists, a.Evidence)
	}
	for _, t := range inc.Tooling {
		lists = append(lists, t.Evidence)
	}
	for _, im := range inc.Impacts {
		lists = append(lists, im.Evidence)
	}
	return firstOf(lists)
}

// firstOf is the first entry of the first list that has one.
func firstOf[E any](lists [][]E) (E, bool) {
	for _, l := range lists {
		if len(l) > 0 {
			return l[0], true
		}
	}
	var zero E
	return zero, false
}

// clip cuts s to at most n characters, ending it with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
