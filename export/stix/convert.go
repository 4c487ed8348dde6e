package stix

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/extract/record"
)

// creatorID is the id of incidex's own identity, the created_by_ref of
// every domain and relationship object it makes.
var creatorID = sdoID("identity", "system|incidex")

// creatorTime is the created and modified time of incidex's identity:
// fixed, so that the identity is one version in every bundle ever made.
const creatorTime = "2025-04-30T00:00:00.000Z"

func creator() object {
	return object{
		"type": "identity", "spec_version": "2.1", "id": creatorID,
		"created": creatorTime, "modified": creatorTime,
		"name": "incidex", "identity_class": "system",
		"description": "incidex reads news articles about cyberattacks and turns them into incident records; every object it creates carries the sentences of the article that prove it.",
	}
}

// timeFormat is the STIX timestamp: RFC 3339 in UTC with milliseconds,
// the precision created and modified require.
const timeFormat = "2006-01-02T15:04:05.000Z"

// article converts one record.
type article struct {
	r         *record.Result
	ts        string            // the article's time, for created, modified, published
	key       string            // what the report's id is made over
	ref       []any             // the article's external references
	countries map[string]string // location names by ISO code

	objects []object
	index   map[string]int // position in objects by id
}

func newArticle(r *record.Result, fallback time.Time, countries map[string]string) *article {
	a := &article{r: r, countries: countries, index: map[string]int{}}
	a.ts = stixTime(articleTime(r, fallback))
	a.key = r.ArticleKey()
	a.ref = articleRefs(r)
	return a
}

// articleTime is when the article was published, else fetched, else
// fallback.
func articleTime(r *record.Result, fallback time.Time) time.Time {
	for _, s := range []string{r.Published, r.FetchedAt} {
		if t, ok := record.ParseTime(s); ok {
			return t
		}
	}
	return fallback
}

func stixTime(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Year() < 1:
		t = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	case t.Year() > 9999:
		t = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	}
	return t.Format(timeFormat)
}

// articleRefs are the external references to the article: its URL, and
// its canonical URL when that differs, named by the site; or, for a saved
// file, the input's name under "incidex-input".
func articleRefs(r *record.Result) []any {
	var refs []any
	seen := map[string]bool{}
	for _, u := range []string{r.URL, r.CanonicalURL} {
		u = strings.TrimSpace(u)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		ref := map[string]any{"source_name": siteName(r, u)}
		label := ""
		if len(refs) > 0 {
			label = "canonical URL"
		}
		switch {
		case validURI(u):
			ref["url"] = u
			if label != "" {
				ref["description"] = label
			}
		case label != "":
			ref["description"] = label + ": " + u
		default:
			ref["description"] = u
		}
		refs = append(refs, ref)
	}
	if len(refs) == 0 {
		name := r.Input
		if name == "" {
			name = "-"
		}
		refs = append(refs, map[string]any{"source_name": "incidex-input", "description": name})
	}
	return refs
}

// siteName names the source of an article's URL: the site, else the URL's
// host.
func siteName(r *record.Result, rawURL string) string {
	if s := strings.TrimSpace(r.Site); s != "" {
		return s
	}
	if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "incidex-input"
}

// add puts o among the article's objects, merged with an earlier version
// of the same id, and returns its id.
func (a *article) add(o object) string {
	id := o.id()
	if i, ok := a.index[id]; ok {
		a.objects[i] = mergeObjects(a.objects[i], o)
		return id
	}
	a.index[id] = len(a.objects)
	a.objects = append(a.objects, o)
	return id
}

// ids are the ids of the article's objects so far, in order: a report's
// object_refs.
func (a *article) ids() []string {
	ids := make([]string, len(a.objects))
	for i, o := range a.objects {
		ids[i] = o.id()
	}
	return ids
}

// sdo is a domain or relationship object's common properties.
func (a *article) sdo(typ, id string) object {
	return object{
		"type": typ, "spec_version": "2.1", "id": id, "created_by_ref": creatorID,
		"created": a.ts, "modified": a.ts,
	}
}

// rel is a relationship; its id is made over its type and ends, so the
// same statement from two articles is one relationship.
func (a *article) rel(relType, source, target string) object {
	o := a.sdo("relationship", sdoID("relationship", "relationship|"+relType+"|"+source+"|"+target))
	o["relationship_type"] = relType
	o["source_ref"] = source
	o["target_ref"] = target
	return o
}

// convert returns the article's objects, the report first; none when the
// article gives no incident and no usable indicator.
func (a *article) convert() []object {
	var names []string
	for i := range a.r.Incidents {
		names = append(names, a.incident(i, &a.r.Incidents[i]))
	}
	var listed []any
	for _, ind := range a.r.Indicators {
		entry := indicatorEntry(ind)
		if id, _, ok := a.indicator(ind); ok {
			entry["ref"] = id
		}
		listed = append(listed, entry)
	}
	if len(a.objects) == 0 {
		return nil
	}
	report := a.sdo("report", sdoID("report", "report|"+a.key))
	report["name"] = firstNonEmpty(a.r.Title, a.r.Input, "Untitled article")
	report["published"] = a.ts
	report["report_types"] = []string{"threat-report"}
	report["object_refs"] = a.ids()
	report["external_references"] = a.ref
	report["description"] = reportDescription(a.r, names)
	if l := strings.TrimSpace(a.r.Language); l != "" {
		report["lang"] = l
	}
	if by := strings.TrimSpace(a.r.Byline); by != "" {
		report["x_incidex_byline"] = by
	}
	if a.r.IncidentsOmitted > 0 {
		report["x_incidex_incidents_omitted"] = a.r.IncidentsOmitted
	}
	if len(listed) > 0 {
		report["x_incidex_indicators"] = listed
	}
	return append([]object{report}, a.objects...)
}

func reportDescription(r *record.Result, names []string) string {
	var b strings.Builder
	switch len(names) {
	case 0:
		b.WriteString("incidex found no incident in this article, only indicators.")
	case 1:
		fmt.Fprintf(&b, "incidex found one incident in this article: %s.", names[0])
	default:
		fmt.Fprintf(&b, "incidex found %d incidents in this article: %s.", len(names), strings.Join(names, "; "))
	}
	if r.IncidentsOmitted > 0 {
		fmt.Fprintf(&b, " %d more were left out.", r.IncidentsOmitted)
	}
	if by := strings.TrimSpace(r.Byline); by != "" {
		fmt.Fprintf(&b, " By %s.", by)
	}
	return b.String()
}

// derivedEnd is an object an actor's derived relationships point to.
type derivedEnd struct {
	id, relType, name string
}

// incident adds an incident and everything it holds, and returns how the
// report's description names it.
func (a *article) incident(n int, inc *record.Incident) string {
	incKey := inc.ID
	if incKey == "" {
		incKey = strconv.Itoa(n)
	}
	id := sdoID("incident", "incident|"+a.key+"|"+incKey)
	o := a.sdo("incident", id)
	name := incidentName(inc, a.r.Title)
	o["name"] = name
	o["description"] = incidentDescription(inc, a.r)
	o["lang"] = "en"
	o["external_references"] = a.ref
	if c, ok := confidence(inc.Confidence); ok {
		o["confidence"] = c
	}
	if t := incidentType(inc); t != "" {
		o["incident_type"] = t
	}
	if inc.ID != "" {
		o["x_incidex_id"] = inc.ID
	}
	if inc.Status != "" {
		o["x_incidex_status"] = inc.Status
	}
	if inc.Occurred != nil {
		o["x_incidex_occurred"] = inc.Occurred.Date
	}
	if v := impacts(inc.Impacts); len(v) > 0 {
		o["x_incidex_impacts"] = v
	}
	if v := responders(inc.Responders); len(v) > 0 {
		o["x_incidex_responders"] = v
	}
	if len(inc.Omitted) > 0 {
		m := map[string]any{}
		for k, v := range inc.Omitted {
			m[k] = v
		}
		o["x_incidex_omitted"] = m
	}
	a.add(o)

	// What the incident's actors are derived to target and use.
	var targets, uses []derivedEnd
	for _, v := range inc.Victims {
		vid, vname, ok := a.victim(v)
		if !ok {
			continue
		}
		r := a.rel("targets", id, vid)
		setEvidence(r, fmt.Sprintf("%s was the victim of this incident.", vname), v.Evidence, v.EvidenceCount)
		if c, ok := confidence(v.Confidence); ok {
			r["confidence"] = c
		}
		if len(v.Cues) > 0 {
			r["x_incidex_cues"] = slices.Clone(v.Cues)
		}
		a.add(r)
		targets = a.victimCountry(targets, id, vid, vname, v.Country)
	}
	for _, t := range inc.Tooling {
		tid, relType, tname, ok := a.tool(t)
		if !ok {
			continue
		}
		r := a.rel(relType, id, tid)
		setEvidence(r, toolStatement(relType, tname), t.Evidence, t.EvidenceCount)
		a.add(r)
		uses = append(uses, derivedEnd{tid, relType, tname})
	}
	var unexported []any
	for _, ind := range inc.Indicators {
		oid, value, ok := a.indicator(ind)
		if !ok {
			unexported = append(unexported, indicatorEntry(ind))
			continue
		}
		relType, what := "related-to", "The incident's text gives the observable "+value+"."
		if ind.Type == "cve" {
			relType, what = "targets", "The attackers exploited "+value+"."
			uses = append(uses, derivedEnd{oid, relType, value})
		}
		r := a.rel(relType, id, oid)
		setEvidence(r, what, ind.Evidence, ind.EvidenceCount)
		if d := strings.TrimSpace(ind.Defanged); d != "" {
			r["x_incidex_defanged"] = d
		}
		a.add(r)
	}
	if len(unexported) > 0 {
		// Values no STIX observable can hold (a malformed address) stay
		// on the incident rather than be lost.
		a.objects[a.index[id]]["x_incidex_indicators"] = unexported
	}
	for _, act := range inc.Actors {
		aid, aname, ok := a.actor(act)
		if !ok {
			continue
		}
		r := a.rel("attributed-to", id, aid)
		conf, hasConf := attributedConfidence(act)
		if hasConf {
			r["confidence"] = conf
		}
		what := fmt.Sprintf("The incident is attributed to %s.", aname)
		if t, ok := attributionText[act.Attribution]; ok {
			what = fmt.Sprintf("The incident is attributed to %s (%s: %s).", aname, act.Attribution, t)
		}
		setEvidence(r, what, act.Evidence, act.EvidenceCount)
		if act.Attribution != "" {
			r["x_incidex_attribution"] = act.Attribution
		}
		if len(act.Cues) > 0 {
			r["x_incidex_cues"] = slices.Clone(act.Cues)
		}
		a.add(r)
		a.derive(aid, aname, append(slices.Clone(targets), uses...), conf, hasConf)
	}
	return fmt.Sprintf("%s (%s)", name, firstNonEmpty(inc.Status, "status unknown"))
}

// toolStatement is what an incident's relationship to its tooling says:
// the attackers used it, or exploited it (relType "targets", a
// vulnerability).
func toolStatement(relType, name string) string {
	verb := "used"
	if relType == "targets" {
		verb = "exploited"
	}
	return fmt.Sprintf("The attackers %s %s.", verb, name)
}

// derive adds the actor's own relationships to what its incident targets
// and uses, which platforms show on the actor's page. They follow from
// the incident and say no more than the attribution does, so they take
// its confidence when it has one.
func (a *article) derive(actor, name string, ends []derivedEnd, conf int, hasConf bool) {
	for _, end := range ends {
		d := a.rel(end.relType, actor, end.id)
		d["description"] = derivedDescription(name, end)
		if hasConf {
			d["confidence"] = conf
		}
		a.add(d)
	}
}

func derivedDescription(actor string, end derivedEnd) string {
	var verb string
	switch end.relType {
	case "targets":
		verb = "targeted"
	case "uses":
		verb = "used"
	}
	return fmt.Sprintf("Derived by incidex: an incident in the news was attributed to %s and %s %s.", actor, verb, end.name)
}

// attributedConfidence is the confidence of an attribution: the actor
// model's score, capped by what the kind of attribution allows.
func attributedConfidence(act record.Actor) (int, bool) {
	c, ok := confidence(act.Confidence)
	if limit, known := attributionConfidence[act.Attribution]; known {
		if !ok || c > limit {
			c, ok = limit, true
		}
	}
	return c, ok
}

// confidence is a 0-to-1 score as STIX's 0-to-100 confidence.
func confidence(f float64) (int, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return min(100, max(0, int(math.Round(100*f)))), true
}

// victim adds a victim's identity, one per name across articles.
func (a *article) victim(v record.Victim) (id, name string, ok bool) {
	name = strings.TrimSpace(v.Name)
	if name == "" {
		return "", "", false
	}
	id = sdoID("identity", "organization|"+normName(name))
	o := a.sdo("identity", id)
	o["name"] = name
	o["identity_class"] = "organization"
	if s := strings.TrimSpace(v.Sector); s != "" {
		o["sectors"] = []string{sector(s)}
	}
	describeEntry(o, "x_opencti_aliases", name, v.Aliases, v.ExternalIDs, v.Ref)
	return a.add(o), name, true
}

// victimCountry adds a victim's country: its location, the victim
// located at it and the incident targeting it; it returns targets with the
// victim and the country added, for the actors' derived relationships.
func (a *article) victimCountry(targets []derivedEnd, incident, vid, vname, country string) []derivedEnd {
	targets = append(targets, derivedEnd{vid, "targets", vname})
	lid, lname, ok := a.location(country)
	if !ok {
		return targets
	}
	located := a.rel("located-at", vid, lid)
	located["description"] = fmt.Sprintf("Country of %s: %s.", vname, lname)
	a.add(located)
	at := a.rel("targets", incident, lid)
	at["description"] = fmt.Sprintf("Country of a victim of the incident: %s.", lname)
	a.add(at)
	return append(targets, derivedEnd{lid, "targets", lname})
}

// describeEntry sets what an object takes from a victim's or an actor's
// names and dictionary entry: its aliases under aliasKey, external
// references from its ids in other knowledge bases, the entry's id.
func describeEntry(o object, aliasKey, name string, names []string, ids map[string]string, ref string) {
	if al := aliases(name, names); len(al) > 0 {
		o[aliasKey] = al
	}
	if refs := externalRefs(ids); len(refs) > 0 {
		o["external_references"] = refs
	}
	if ref != "" {
		o["x_incidex_entry"] = ref
	}
}

var countryRE = regexp.MustCompile(`^[A-Z]{2}$`)

// location adds a country, one per ISO code across articles.
func (a *article) location(code string) (id, name string, ok bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !countryRE.MatchString(code) {
		return "", "", false
	}
	name = firstNonEmpty(a.countries[code], code)
	o := a.sdo("location", sdoID("location", "country|"+code))
	o["country"] = code
	o["name"] = name
	return a.add(o), name, true
}

// actor adds an intrusion-set or a threat-actor, one per type and name
// across articles.
func (a *article) actor(act record.Actor) (id, name string, ok bool) {
	name = strings.TrimSpace(act.Name)
	if name == "" {
		return "", "", false
	}
	typ := actorType(act.Kind)
	o := a.sdo(typ, sdoID(typ, typ+"|"+normName(name)))
	o["name"] = name
	if typ == "threat-actor" {
		o["threat_actor_types"] = []string{firstNonEmpty(threatActorTypes[act.Kind], "unknown")}
	}
	describeEntry(o, "aliases", name, act.Aliases, act.ExternalIDs, act.Ref)
	return a.add(o), name, true
}

// tool adds the object of a piece of tooling and returns the type of the
// incident's relationship to it: "uses", or "targets" for a vulnerability.
func (a *article) tool(t record.Tool) (id, relType, name string, ok bool) {
	name = strings.TrimSpace(t.Name)
	if name == "" {
		return "", "", "", false
	}
	var o object
	switch t.Kind {
	case "vulnerability":
		id, name = a.vulnerability(name, t.ExternalIDs, t.Ref)
		return id, "targets", name, true
	case "ransomware", "malware":
		o = a.sdo("malware", sdoID("malware", "malware|"+normName(name)))
		o["is_family"] = true
		if t.Kind == "ransomware" {
			o["malware_types"] = []string{"ransomware"}
		}
		o["external_references"] = externalRefs(t.ExternalIDs)
	case "technique":
		attack := strings.ToUpper(strings.TrimSpace(t.Attack))
		key := normName(name)
		var extra []map[string]any
		if ref, ok := extRef("mitre-attack", attack); ok && attackURL(attack) != "" {
			key = attack
			extra = append(extra, ref)
		}
		o = a.sdo("attack-pattern", sdoID("attack-pattern", "attack-pattern|"+key))
		o["external_references"] = externalRefs(t.ExternalIDs, extra...)
	default: // "tool", and any kind a later schema adds
		o = a.sdo("tool", sdoID("tool", "tool|"+normName(name)))
		o["external_references"] = externalRefs(t.ExternalIDs)
	}
	o["name"] = name
	if refs, _ := o["external_references"].([]any); len(refs) == 0 {
		delete(o, "external_references")
	}
	if t.Ref != "" {
		o["x_incidex_entry"] = t.Ref
	}
	return a.add(o), "uses", name, true
}

// vulnerability adds a vulnerability: named and referenced by its CVE id
// when the name is one (one object per CVE across articles and across
// tooling and indicators), else by its name (Log4Shell).
func (a *article) vulnerability(name string, ids map[string]string, ref string) (id, shown string) {
	var extra []map[string]any
	key := normName(name)
	if cve := cveID(name); cve != "" {
		name, key = cve, cve
		r, _ := extRef("cve", cve)
		extra = append(extra, r)
	}
	o := a.sdo("vulnerability", sdoID("vulnerability", "vulnerability|"+key))
	o["name"] = name
	if refs := externalRefs(ids, extra...); len(refs) > 0 {
		o["external_references"] = refs
	}
	if ref != "" {
		o["x_incidex_entry"] = ref
	}
	return a.add(o), name
}

// indicator adds the objects of an observable: a CVE id's vulnerability;
// else the cyber-observable object, an indicator whose pattern matches it,
// and the indicator's based-on relationship to it. It returns the id of
// the vulnerability or observable and the value as that object holds it,
// or ok false when the value fits no STIX object.
func (a *article) indicator(ind record.Indicator) (id, value string, ok bool) {
	if ind.Type == "cve" {
		if cveID(ind.Value) == "" {
			return "", "", false
		}
		id, value = a.vulnerability(ind.Value, nil, "")
		return id, value, true
	}
	kind, known := indicatorKinds[ind.Type]
	if !known {
		return "", "", false
	}
	value, ok = observableValue(kind, ind.Value)
	if !ok {
		return "", "", false
	}
	var sco object
	if kind.hash != "" {
		sco = object{"type": "file", "spec_version": "2.1", "id": fileID(kind.hash, value),
			"hashes": map[string]any{kind.hash: value}}
	} else {
		sco = object{"type": kind.sco, "spec_version": "2.1", "id": valueID(kind.sco, value), "value": value}
	}
	id = a.add(sco)
	pattern := "[" + kind.path + " = " + patternString(value) + "]"
	in := a.sdo("indicator", sdoID("indicator", "indicator|"+pattern))
	in["name"] = value
	in["description"] = "An observable named in news of a cyberattack, found by incidex; see the reports that refer to it for the sentences."
	in["pattern"] = pattern
	in["pattern_type"] = "stix"
	in["pattern_version"] = "2.1"
	in["valid_from"] = a.ts
	in["indicator_types"] = []string{kind.indicator}
	iid := a.add(in)
	a.add(a.rel("based-on", iid, id))
	return id, value, true
}

// indicatorEntry is an indicator as the x_incidex_indicators property
// lists it, with its evidence.
func indicatorEntry(ind record.Indicator) map[string]any {
	m := map[string]any{"type": ind.Type, "value": ind.Value}
	if ind.Defanged != "" {
		m["defanged"] = ind.Defanged
	}
	addEvidence(m, ind.Evidence, ind.EvidenceCount)
	return m
}

// setEvidence gives a relationship its description (what it says, and the
// first evidence sentence) and its evidence.
func setEvidence(o object, what string, ev []record.Evidence, count int) {
	desc := what
	if len(ev) > 0 && strings.TrimSpace(ev[0].Text) != "" {
		desc += " Evidence: “" + strings.TrimSpace(ev[0].Text) + "”"
	}
	o["description"] = desc
	putEvidence(o, "x_incidex_", evidence(ev), count)
}

// addEvidence sets the evidence keys of a nested record (an impact, a
// responder, a listed indicator).
func addEvidence(m map[string]any, ev []record.Evidence, count int) {
	putEvidence(m, "", evidence(ev), count)
}

// putEvidence sets prefix+"evidence" to the evidence entries ev and
// prefix+"evidence_count" to count, each when there is one.
func putEvidence(m map[string]any, prefix string, ev []any, count int) {
	if len(ev) > 0 {
		m[prefix+"evidence"] = ev
	}
	if count > 0 {
		m[prefix+"evidence_count"] = count
	}
}

func evidence(ev []record.Evidence) []any {
	var out []any
	for _, e := range ev {
		out = append(out, evidenceEntry(e))
	}
	return out
}

func evidenceEntry(e record.Evidence) map[string]any {
	return map[string]any{"rule": e.Rule, "text": e.Text, "start": e.Start, "end": e.End}
}

func impacts(list []record.Impact) []any {
	var out []any
	for _, im := range list {
		m := impactEntry(im.Kind, im.Summary, im.Quantity)
		addEvidence(m, im.Evidence, im.EvidenceCount)
		out = append(out, m)
	}
	return out
}

// impactEntry is an impact as x_incidex_impacts lists it, with its
// quantity when that is a finite number.
func impactEntry(kind, summary string, q *record.Quantity) map[string]any {
	m := map[string]any{"kind": kind, "summary": summary}
	if finite(q) {
		m["quantity"] = map[string]any{"value": q.Value, "unit": q.Unit}
	}
	return m
}

// finite reports whether q is a quantity with a finite value.
func finite(q *record.Quantity) bool {
	return q != nil && !math.IsNaN(q.Value) && !math.IsInf(q.Value, 0)
}

func responders(list []record.Responder) []any {
	var out []any
	for _, r := range list {
		m := map[string]any{"name": r.Name}
		addEvidence(m, r.Evidence, r.EvidenceCount)
		out = append(out, m)
	}
	return out
}

// aliases are a name's other names, without the name and repeats, sorted.
func aliases(name string, list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && s != name {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// incidentName names an incident by its victims ("Cyberattack on Marks &
// Spencer"), else by its actors or tooling, else by the article.
func incidentName(inc *record.Incident, title string) string {
	prefix := "Cyberattack"
	if inc.Status == "attempted" {
		prefix = "Attempted cyberattack"
	}
	var victims, actors, tools []string
	for _, v := range inc.Victims {
		victims = appendName(victims, v.Name)
	}
	for _, act := range inc.Actors {
		actors = appendName(actors, act.Name)
	}
	for _, t := range inc.Tooling {
		tools = appendName(tools, t.Name)
	}
	switch {
	case len(victims) > 0:
		return prefix + " on " + listNames(victims)
	case len(actors) > 0:
		return prefix + " by " + listNames(actors)
	case len(tools) > 0:
		return prefix + " using " + listNames(tools)
	case strings.TrimSpace(title) != "":
		return prefix + " reported in “" + strings.TrimSpace(title) + "”"
	}
	return prefix
}

func appendName(list []string, name string) []string {
	if name = strings.TrimSpace(name); name != "" && !slices.Contains(list, name) {
		list = append(list, name)
	}
	return list
}

// listNames joins names as English does, three at most: "A", "A and B",
// "A, B and C", "A, B, C and 2 others".
func listNames(names []string) string {
	switch n := len(names); {
	case n == 1:
		return names[0]
	case n <= 3:
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	default:
		return strings.Join(names[:3], ", ") + " and " + strconv.Itoa(n-3) + " others"
	}
}

// incidentDescription sums up an incident in a few sentences: status and
// victims, attribution, tooling, impacts, responders and the source.
func incidentDescription(inc *record.Incident, r *record.Result) string {
	var parts []string
	status := "Cyberattack"
	switch inc.Status {
	case "confirmed":
		status = "Confirmed cyberattack"
	case "attempted":
		status = "Attempted cyberattack"
	}
	var victims []string
	for _, v := range inc.Victims {
		s := strings.TrimSpace(v.Name)
		var about []string
		if v.Sector != "" {
			about = append(about, v.Sector)
		}
		if v.Country != "" {
			about = append(about, v.Country)
		}
		if len(about) > 0 {
			s += " (" + strings.Join(about, ", ") + ")"
		}
		victims = append(victims, s)
	}
	if len(victims) > 0 {
		parts = append(parts, status+" on "+strings.Join(victims, ", ")+".")
	} else {
		parts = append(parts, status+"; the article names no victim.")
	}
	var actors []string
	for _, act := range inc.Actors {
		s := act.Name
		if act.Attribution != "" {
			s += " (" + act.Attribution + ")"
		}
		actors = append(actors, s)
	}
	if len(actors) > 0 {
		parts = append(parts, "Attributed to "+strings.Join(actors, ", ")+".")
	}
	var tools []string
	for _, t := range inc.Tooling {
		tools = append(tools, t.Name+" ("+t.Kind+")")
	}
	if len(tools) > 0 {
		parts = append(parts, "Tooling: "+strings.Join(tools, ", ")+".")
	}
	var effects []string
	for _, im := range inc.Impacts {
		s := im.Kind
		if im.Summary != "" {
			s += ": " + im.Summary
		}
		if q := im.Quantity; finite(q) {
			s += " (" + strconv.FormatFloat(q.Value, 'f', -1, 64) + " " + q.Unit + ")"
		}
		effects = append(effects, s)
	}
	if len(effects) > 0 {
		parts = append(parts, "Impacts: "+strings.Join(effects, "; ")+".")
	}
	var resp []string
	for _, rs := range inc.Responders {
		resp = append(resp, rs.Name)
	}
	if len(resp) > 0 {
		parts = append(parts, "Responders: "+strings.Join(resp, ", ")+".")
	}
	source := firstNonEmpty(strings.TrimSpace(r.Title), r.Input)
	if r.Site != "" {
		source += ", " + r.Site
	}
	if r.Published != "" {
		source += ", " + r.Published
	}
	if source != "" {
		parts = append(parts, "Source: "+source+".")
	}
	return strings.Join(parts, " ")
}

// incidentType is the incident's type in OpenCTI's incident-type
// vocabulary, which OpenCTI reads from the incident_type property STIX's
// incident stub lacks: ransomware when ransomware was used, else a data
// leak when data was taken, else a disruption, else a compromise when
// confirmed; "" for an attempt that did none of these.
func incidentType(inc *record.Incident) string {
	for _, t := range inc.Tooling {
		if t.Kind == "ransomware" {
			return "ransomware"
		}
	}
	kinds := map[string]bool{}
	for _, im := range inc.Impacts {
		kinds[im.Kind] = true
	}
	switch {
	case kinds["confidentiality"]:
		return "data-leak"
	case kinds["availability"]:
		return "information-system-disruption"
	case inc.Status == "confirmed":
		return "compromise"
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
