package stix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/extract/record"
)

// AddMerged adds the objects of one merged incident (incidex-merged/v1,
// what "incidex merge" prints): an incident, its victims, actors, tooling
// and observables with their relationships as for an article's incident,
// and one report per source article that refers to all of them. A source's
// report has the id of the article's report in the bundles of "incidex
// extract" (the same article is one report), and an article that is the
// source of several merged incidents is one report that refers to each.
// Evidence sentences name their source and its report.
func (b *Bundle) AddMerged(m *record.Merged) {
	if m == nil || m.ID == "" {
		return
	}
	b.putCreator()
	for _, o := range convertMerged(m, b.opts.Fallback, b.countries) {
		b.put(o)
	}
}

// EncodeMerged is one merged incident's bundle on one line.
func EncodeMerged(m *record.Merged, opts Options) ([]byte, error) {
	b := NewBundle(opts)
	b.AddMerged(m)
	return b.Encode("")
}

// mergedSource is a source of a merged incident as STIX sees it.
type mergedSource struct {
	src    record.Source
	report string // the report's id
	ts     string // the report's time
	refs   []any  // the article's external references
}

// convertMerged returns the objects of a merged incident, its sources'
// reports first.
func convertMerged(m *record.Merged, fallback time.Time, countries map[string]string) []object {
	first := fallback
	if t, ok := record.ParseTime(m.FirstReported); ok {
		first = t
	}
	a := &article{r: &record.Result{}, countries: countries, index: map[string]int{}, ts: stixTime(first), key: "merged|" + m.ID}
	sources := make([]mergedSource, len(m.Sources))
	reportOf := map[string]string{} // source key to report id
	seenRef := map[string]bool{}
	for i, s := range m.Sources {
		r := &record.Result{Input: s.Input, URL: s.URL, CanonicalURL: s.CanonicalURL, Site: s.Site, Title: s.Title, Published: s.Published}
		art := newArticle(r, first, countries)
		sources[i] = mergedSource{src: s, report: sdoID("report", "report|"+art.key), ts: art.ts, refs: art.ref}
		reportOf[s.Key] = sources[i].report
		for _, ref := range art.ref {
			k := fmt.Sprint(ref)
			if !seenRef[k] {
				seenRef[k] = true
				a.ref = append(a.ref, ref)
			}
		}
	}

	shadow := shadowIncident(m)
	id := sdoID("incident", "incident|merged|"+m.ID)
	o := a.sdo("incident", id)
	o["name"] = incidentName(shadow, "")
	o["description"] = mergedDescription(m, shadow)
	o["lang"] = "en"
	if len(a.ref) > 0 {
		o["external_references"] = a.ref
	}
	if c, ok := confidence(m.Confidence); ok {
		o["confidence"] = c
	}
	if t := incidentType(shadow); t != "" {
		o["incident_type"] = t
	}
	o["x_incidex_id"] = m.ID
	o["x_incidex_block_key"] = m.BlockKey
	if m.Status != "" {
		o["x_incidex_status"] = m.Status
	}
	if m.Campaign != "" {
		o["x_incidex_campaign"] = m.Campaign
	}
	if m.Occurred != nil {
		o["x_incidex_occurred"] = m.Occurred.Date
	}
	if m.FirstReported != "" {
		o["x_incidex_first_reported"] = m.FirstReported
		o["x_incidex_last_reported"] = m.LastReported
	}
	o["x_incidex_sources"] = sourceEntries(sources)
	if v := mergedImpacts(m.Impacts, reportOf); len(v) > 0 {
		o["x_incidex_impacts"] = v
	}
	if v := mergedResponders(m.Responders, reportOf); len(v) > 0 {
		o["x_incidex_responders"] = v
	}
	a.add(o)

	var targets, uses []derivedEnd
	for _, v := range m.Victims {
		vid, vname, ok := a.victim(record.Victim{Name: v.Name, Aliases: v.Aliases, Sector: v.Sector, Ref: v.Ref, ExternalIDs: v.ExternalIDs})
		if !ok {
			continue
		}
		r := a.rel("targets", id, vid)
		setSourcedEvidence(r, fmt.Sprintf("%s was the victim of this incident.", vname), v.Evidence, v.EvidenceCount, reportOf)
		a.add(r)
		targets = a.victimCountry(targets, id, vid, vname, v.Country)
	}
	for _, t := range m.Tooling {
		tid, relType, tname, ok := a.tool(record.Tool{Name: t.Name, Kind: t.Kind, Attack: t.Attack, Ref: t.Ref, ExternalIDs: t.ExternalIDs})
		if !ok {
			continue
		}
		r := a.rel(relType, id, tid)
		setSourcedEvidence(r, toolStatement(relType, tname), t.Evidence, t.EvidenceCount, reportOf)
		a.add(r)
		uses = append(uses, derivedEnd{tid, relType, tname})
	}
	var unexported []any
	for _, ind := range m.Indicators {
		oid, value, ok := a.indicator(record.Indicator{Type: ind.Type, Value: ind.Value, Defanged: ind.Defanged})
		if !ok {
			entry := map[string]any{"type": ind.Type, "value": ind.Value}
			addSourcedEvidence(entry, ind.Evidence, ind.EvidenceCount, reportOf)
			unexported = append(unexported, entry)
			continue
		}
		relType, what := "related-to", "The incident's sources give the observable "+value+"."
		if ind.Type == "cve" {
			relType, what = "targets", "The attackers exploited "+value+"."
			uses = append(uses, derivedEnd{oid, relType, value})
		}
		r := a.rel(relType, id, oid)
		setSourcedEvidence(r, what, ind.Evidence, ind.EvidenceCount, reportOf)
		if d := strings.TrimSpace(ind.Defanged); d != "" {
			r["x_incidex_defanged"] = d
		}
		a.add(r)
	}
	if len(unexported) > 0 {
		a.objects[a.index[id]]["x_incidex_indicators"] = unexported
	}
	for _, act := range m.Actors {
		aid, aname, ok := a.actor(record.Actor{Name: act.Name, Aliases: act.Aliases, Kind: act.Kind, Ref: act.Ref, ExternalIDs: act.ExternalIDs})
		if !ok {
			continue
		}
		r := a.rel("attributed-to", id, aid)
		limit, hasConf := attributionConfidence[act.Attribution]
		if hasConf {
			r["confidence"] = limit
		}
		what := fmt.Sprintf("The incident is attributed to %s.", aname)
		if t, ok := attributionText[act.Attribution]; ok {
			what = fmt.Sprintf("The incident is attributed to %s (%s: %s, by source %s).", aname, act.Attribution, t, act.AttributionSource)
		}
		setSourcedEvidence(r, what, act.Evidence, act.EvidenceCount, reportOf)
		if act.Attribution != "" {
			r["x_incidex_attribution"] = act.Attribution
		}
		if rep := reportOf[act.AttributionSource]; rep != "" {
			r["x_incidex_attribution_report"] = rep
		}
		a.add(r)
		a.derive(aid, aname, append(slices.Clone(targets), uses...), limit, hasConf)
	}

	refs := a.ids()
	name := o["name"].(string)
	reports := make([]object, 0, len(sources))
	for _, s := range sources {
		rep := a.sdo("report", s.report)
		rep["created"], rep["modified"], rep["published"] = s.ts, s.ts, s.ts
		rep["name"] = firstNonEmpty(s.src.Title, s.src.Input, "Untitled article")
		rep["report_types"] = []string{"threat-report"}
		rep["object_refs"] = slices.Clone(refs)
		rep["external_references"] = s.refs
		rep["description"] = fmt.Sprintf("incidex merged this article's report (its incident %s) with %d other source(s) into one incident: %s.",
			firstNonEmpty(s.src.Incident, "without id"), len(sources)-1, name)
		reports = append(reports, rep)
	}
	return append(reports, a.objects...)
}

// shadowIncident is a merged incident as the article converter's helpers
// read an incident: names, kinds, statuses and quantities.
func shadowIncident(m *record.Merged) *record.Incident {
	inc := &record.Incident{ID: m.ID, Status: m.Status}
	for _, v := range m.Victims {
		inc.Victims = append(inc.Victims, record.Victim{Name: v.Name, Sector: v.Sector, Country: v.Country})
	}
	for _, a := range m.Actors {
		inc.Actors = append(inc.Actors, record.Actor{Name: a.Name, Attribution: a.Attribution})
	}
	for _, t := range m.Tooling {
		inc.Tooling = append(inc.Tooling, record.Tool{Name: t.Name, Kind: t.Kind})
	}
	for _, im := range m.Impacts {
		inc.Impacts = append(inc.Impacts, record.Impact{Kind: im.Kind, Summary: im.Summary, Quantity: im.Quantity})
	}
	for _, r := range m.Responders {
		inc.Responders = append(inc.Responders, record.Responder{Name: r.Name})
	}
	return inc
}

// mergedDescription sums up a merged incident: what an article's incident
// description says, then when and by how many sources it was reported.
func mergedDescription(m *record.Merged, shadow *record.Incident) string {
	desc := incidentDescription(shadow, &record.Result{})
	n := len(m.Sources)
	sources := strconv.Itoa(n) + " sources"
	if n == 1 {
		sources = "1 source"
	}
	first, last := day(m.FirstReported), day(m.LastReported)
	switch {
	case m.FirstReported == "":
		desc += " Reported by " + sources + "."
	case first == last:
		desc += fmt.Sprintf(" Reported by %s on %s.", sources, first)
	default:
		desc += fmt.Sprintf(" Reported by %s from %s to %s.", sources, first, last)
	}
	return desc + " Merged by incidex."
}

// day is the date of an RFC 3339 time: its first ten characters.
func day(ts string) string {
	return ts[:min(10, len(ts))]
}

// sourceEntries lists the sources for x_incidex_sources.
func sourceEntries(sources []mergedSource) []any {
	out := make([]any, 0, len(sources))
	for _, s := range sources {
		e := map[string]any{"key": s.src.Key, "input": s.src.Input, "incident": s.src.Incident, "report_ref": s.report}
		for k, v := range map[string]string{"url": s.src.URL, "canonical_url": s.src.CanonicalURL, "title": s.src.Title, "site": s.src.Site, "published": s.src.Published} {
			if v != "" {
				e[k] = v
			}
		}
		out = append(out, e)
	}
	return out
}

// setSourcedEvidence is setEvidence for evidence that names its source.
func setSourcedEvidence(o object, what string, ev []record.SourcedEvidence, count int, reportOf map[string]string) {
	desc := what
	if len(ev) > 0 && strings.TrimSpace(ev[0].Text) != "" {
		desc += " Evidence (" + ev[0].Source + "): “" + strings.TrimSpace(ev[0].Text) + "”"
	}
	o["description"] = desc
	putEvidence(o, "x_incidex_", sourcedEvidence(ev, reportOf), count)
}

// addSourcedEvidence is addEvidence for evidence that names its source.
func addSourcedEvidence(m map[string]any, ev []record.SourcedEvidence, count int, reportOf map[string]string) {
	putEvidence(m, "", sourcedEvidence(ev, reportOf), count)
}

func sourcedEvidence(ev []record.SourcedEvidence, reportOf map[string]string) []any {
	var out []any
	for _, e := range ev {
		entry := evidenceEntry(e.Evidence)
		entry["source"] = e.Source
		if r := reportOf[e.Source]; r != "" {
			entry["report_ref"] = r
		}
		out = append(out, entry)
	}
	return out
}

func mergedImpacts(list []record.MergedImpact, reportOf map[string]string) []any {
	var out []any
	for _, im := range list {
		m := impactEntry(im.Kind, im.Summary, im.Quantity)
		if finite(im.Quantity) && im.QuantitySource != "" {
			m["quantity_source"] = im.QuantitySource
		}
		addSourcedEvidence(m, im.Evidence, im.EvidenceCount, reportOf)
		out = append(out, m)
	}
	return out
}

func mergedResponders(list []record.MergedNamed, reportOf map[string]string) []any {
	var out []any
	for _, r := range list {
		m := map[string]any{"name": r.Name}
		addSourcedEvidence(m, r.Evidence, r.EvidenceCount, reportOf)
		out = append(out, m)
	}
	return out
}
