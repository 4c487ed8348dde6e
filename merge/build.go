package merge

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/record"
)

// maxEvidence is the most evidence sentences a merged field keeps: the
// strongest of each source in turn, the first source first. A field many
// sources prove would otherwise grow without bound.
const maxEvidence = 10

// build makes the merged incident of one cluster's units, given in
// clustering order (by report time, then key), copies of a unit removed.
func (m *Merger) build(blockKey string, units []*Unit) record.Merged {
	out := record.Merged{
		Schema:     record.MergedSchemaVersion,
		BlockKey:   blockKey,
		Status:     "attempted",
		Victims:    []record.MergedVictim{},
		Actors:     []record.MergedActor{},
		Tooling:    []record.MergedTool{},
		Impacts:    []record.MergedImpact{},
		Responders: []record.MergedNamed{},
		Indicators: []record.MergedIndicator{},
		Sources:    []record.Source{},
	}
	keys := make([]string, len(units))
	srcOf := make([]string, len(units)) // each unit's source key
	srcIndex := map[string]int{}        // article to its source
	campaigns := map[string]int{}
	for i, u := range units {
		keys[i] = u.Key
		j, ok := srcIndex[u.Article]
		if !ok {
			j = len(out.Sources)
			srcIndex[u.Article] = j
			s := u.Source
			s.Key = "s" + strconv.Itoa(j+1)
			s.OtherIncidents = nil
			out.Sources = append(out.Sources, s)
		} else if s := &out.Sources[j]; u.Source.Incident != s.Incident && !slices.Contains(s.OtherIncidents, u.Source.Incident) {
			s.OtherIncidents = append(s.OtherIncidents, u.Source.Incident)
		}
		srcOf[i] = out.Sources[j].Key
		if u.Status == "confirmed" {
			out.Status = "confirmed"
		}
		if c := u.Confidence; !math.IsNaN(c) && c > out.Confidence {
			out.Confidence = c
		}
		if u.Reported != "" {
			if out.FirstReported == "" || u.Reported < out.FirstReported {
				out.FirstReported = u.Reported
			}
			out.LastReported = max(out.LastReported, u.Reported)
		}
		if u.Campaign != "" {
			// A wave by actor and flaw outranks one article's list.
			w := 1
			if u.CampaignBasis == basisActorFlaw {
				w = 1 << 20
			}
			campaigns[u.Campaign] += w
		}
	}
	out.ID = mergedID(keys)
	out.Campaign = topCount(campaigns)
	if v, ok := mergeVictims(units, srcOf); ok {
		out.Victims = append(out.Victims, v)
	}
	out.Actors = mergeActors(units, srcOf)
	out.Tooling = mergeTooling(units, srcOf)
	out.Impacts = mergeImpacts(units, srcOf)
	out.Responders = mergeResponders(units, srcOf)
	out.Indicators = mergeIndicators(units, srcOf)
	out.Occurred = mergeOccurred(units, srcOf)
	return out
}

// mergeOccurred is the attack date the units give: the earliest, and of
// dates that hold one another the most precise ("2024-05-14" over
// "2024-05" and "2024"; "2024-03" over a later "2024-05-14"), with the
// evidence of the first source that gives it.
func mergeOccurred(units []*Unit, srcOf []string) *record.MergedOccurred {
	var best *record.MergedOccurred
	var bestFrom, bestTo int64
	for i, u := range units {
		if u.Occurred == nil {
			continue
		}
		from, to, ok := occurredSpan(u.Occurred.Date)
		if !ok {
			continue
		}
		if best != nil {
			inside := from >= bestFrom && to <= bestTo && to-from < bestTo-bestFrom
			holds := from <= bestFrom && to >= bestTo
			if !inside && (holds || from >= bestFrom) {
				continue
			}
		}
		best = &record.MergedOccurred{Date: u.Occurred.Date, Evidence: []record.SourcedEvidence{}}
		for _, ev := range u.Occurred.Evidence {
			best.Evidence = append(best.Evidence, record.SourcedEvidence{Source: srcOf[i], Evidence: ev})
		}
		bestFrom, bestTo = from, to
	}
	return best
}

// mergedID is the id of the incident of units of keys: 16 hex digits of
// the SHA-256 of the sorted keys, so that the same reports in any order
// give the same id.
func mergedID(keys []string) string {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	return hashKey(strings.Join(keys, "\n"))[:16]
}

// topCount is the key of the largest count, the smallest on a tie; "" for
// none.
func topCount(counts map[string]int) string {
	best, n := "", 0
	for k, c := range counts {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}

// evidence gathers a field's evidence sentences over its sources: each
// source's list (strongest first), without repeats, then cut to
// maxEvidence taken the strongest of each source in turn.
type evidence struct {
	lists [][]record.SourcedEvidence
	seen  map[string]bool
	total int
}

func (e *evidence) add(source string, list []record.Evidence, count int) {
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	var kept []record.SourcedEvidence
	for _, ev := range list {
		k := source + "\x00" + ev.Rule + "\x00" + strconv.Itoa(ev.Start) + "\x00" + strconv.Itoa(ev.End) + "\x00" + ev.Text
		if e.seen[k] {
			continue
		}
		e.seen[k] = true
		kept = append(kept, record.SourcedEvidence{Source: source, Evidence: ev})
	}
	// A source's count beyond its kept sentences (EvidenceCount) counts
	// once per source.
	e.total += len(kept) + max(0, count-len(list))
	if len(kept) == 0 {
		return
	}
	for i, l := range e.lists {
		if l[0].Source == source {
			e.lists[i] = append(l, kept...)
			return
		}
	}
	e.lists = append(e.lists, kept)
}

// result is the kept evidence and, when some was cut, the count of all.
func (e *evidence) result() ([]record.SourcedEvidence, int) {
	out := []record.SourcedEvidence{}
	for depth := 0; len(out) < maxEvidence; depth++ {
		added := false
		for _, l := range e.lists {
			if depth < len(l) && len(out) < maxEvidence {
				out = append(out, l[depth])
				added = true
			}
		}
		if !added {
			break
		}
	}
	count := 0
	if e.total > len(out) {
		count = e.total
	}
	return out, count
}

// counter counts the values sources give a field, for the most common.
type counter map[string]int

func (c counter) add(s string) {
	if s = strings.TrimSpace(s); s != "" {
		c[s]++
	}
}

// top is the most common value; ties go to the longer, then the smaller.
func (c counter) top() string {
	best, n := "", 0
	for k, v := range c {
		if v > n || (v == n && (len(k) > len(best) || (len(k) == len(best) && k < best))) {
			best, n = k, v
		}
	}
	return best
}

// others are the values other than name, one per spelling up to case,
// sorted.
func (c counter) others(name string) []string {
	out := []string{}
	seen := map[string]bool{strings.ToLower(name): true}
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if l := strings.ToLower(k); !seen[l] {
			seen[l] = true
			out = append(out, k)
		}
	}
	return out
}

// mergeMaps adds b's entries to a; a key both hold keeps the smaller
// value, whatever the order.
func mergeMaps(a, b map[string]string) map[string]string {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = map[string]string{}
	}
	for k, v := range b {
		if old, ok := a[k]; !ok || v < old {
			a[k] = v
		}
	}
	return a
}

// mergeVictims is the cluster's victim: the name most sources use (ties:
// the longer), every other name as an alias, the most common sector,
// country and dictionary entry.
func mergeVictims(units []*Unit, srcOf []string) (record.MergedVictim, bool) {
	names, all, sectors, countries, refs := counter{}, counter{}, counter{}, counter{}, counter{}
	var ev evidence
	var ids map[string]string
	found := false
	for i, u := range units {
		v := u.Victim
		if v == nil {
			continue
		}
		found = true
		names.add(v.Name)
		all.add(v.Name)
		for _, a := range v.Aliases {
			all.add(a)
		}
		sectors.add(v.Sector)
		countries.add(v.Country)
		refs.add(v.Ref)
		ids = mergeMaps(ids, v.ExternalIDs)
		ev.add(srcOf[i], v.Evidence, v.EvidenceCount)
	}
	if !found {
		return record.MergedVictim{}, false
	}
	out := record.MergedVictim{Name: names.top(), Sector: sectors.top(), Country: countries.top(), Ref: refs.top(), ExternalIDs: ids}
	out.Aliases = all.others(out.Name)
	out.Evidence, out.EvidenceCount = ev.result()
	return out, true
}

// groups puts together the entries that share an identity (a dictionary
// entry, a folded name or alias): entry i has identities ids[i]. It
// returns the groups as lists of entry indexes, in order of first entry.
func groups(ids [][]string) [][]int {
	parent := make([]int, len(ids))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{}
	for i, list := range ids {
		for _, id := range list {
			if j, ok := owner[id]; ok {
				a, b := find(i), find(j)
				if a != b {
					parent[max(a, b)] = min(a, b)
				}
			} else {
				owner[id] = i
			}
		}
	}
	byRoot := map[int]int{}
	var out [][]int
	for i := range ids {
		r := find(i)
		g, ok := byRoot[r]
		if !ok {
			g = len(out)
			byRoot[r] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out
}

// mergeActors unites the actors of the units: one per actor (by
// dictionary entry, name or alias), with the strongest attribution and the
// first source that gives it.
func mergeActors(units []*Unit, srcOf []string) []record.MergedActor {
	type item struct {
		a   *record.Actor
		src string
	}
	var items []item
	var ids [][]string
	for i, u := range units {
		for j := range u.Actors {
			a := &u.Actors[j]
			id := actorIDs(nil, a.Ref, a.Name, a.Aliases)
			if len(id) == 0 {
				continue
			}
			items = append(items, item{a, srcOf[i]})
			ids = append(ids, id)
		}
	}
	out := []record.MergedActor{}
	for _, g := range groups(ids) {
		names, all, kinds, refs := counter{}, counter{}, counter{}, counter{}
		var ev evidence
		var ext map[string]string
		rank, attribution, attrSource := -1, "", ""
		for _, i := range g {
			a := items[i].a
			names.add(a.Name)
			all.add(a.Name)
			for _, al := range a.Aliases {
				all.add(al)
			}
			if a.Kind != "unknown" {
				kinds.add(a.Kind)
			}
			refs.add(a.Ref)
			ext = mergeMaps(ext, a.ExternalIDs)
			ev.add(items[i].src, a.Evidence, a.EvidenceCount)
			if r := attributionRank[a.Attribution]; r > rank {
				rank, attribution, attrSource = r, a.Attribution, items[i].src
			}
		}
		ma := record.MergedActor{
			Name: names.top(), Kind: cmp.Or(kinds.top(), "unknown"),
			Attribution: attribution, AttributionSource: attrSource,
			Ref: refs.top(), ExternalIDs: ext,
		}
		ma.Aliases = all.others(ma.Name)
		ma.Evidence, ma.EvidenceCount = ev.result()
		out = append(out, ma)
	}
	slices.SortFunc(out, func(a, b record.MergedActor) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// mergeTooling unites the tooling of the units: one per piece (by
// dictionary entry, else name), of the kind most sources give.
func mergeTooling(units []*Unit, srcOf []string) []record.MergedTool {
	type item struct {
		t   *record.Tool
		src string
	}
	var items []item
	var ids [][]string
	for i, u := range units {
		for j := range u.Tooling {
			t := &u.Tooling[j]
			id := actorIDs(nil, t.Ref, t.Name, nil)
			if len(id) == 0 {
				continue
			}
			items = append(items, item{t, srcOf[i]})
			ids = append(ids, id)
		}
	}
	out := []record.MergedTool{}
	for _, g := range groups(ids) {
		names, kinds, attacks, refs := counter{}, counter{}, counter{}, counter{}
		var ev evidence
		var ext map[string]string
		for _, i := range g {
			t := items[i].t
			names.add(t.Name)
			kinds.add(t.Kind)
			attacks.add(t.Attack)
			refs.add(t.Ref)
			ext = mergeMaps(ext, t.ExternalIDs)
			ev.add(items[i].src, t.Evidence, t.EvidenceCount)
		}
		mt := record.MergedTool{Name: names.top(), Kind: kinds.top(), Attack: attacks.top(), Ref: refs.top(), ExternalIDs: ext}
		mt.Evidence, mt.EvidenceCount = ev.result()
		out = append(out, mt)
	}
	slices.SortFunc(out, func(a, b record.MergedTool) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// mergeImpacts unites the impacts of the units: one per kind, or, when
// sources give quantities, one per kind and unit with the largest quantity
// and its source (impacts of the kind without a quantity join the first of
// them, by unit name).
func mergeImpacts(units []*Unit, srcOf []string) []record.MergedImpact {
	type acc struct {
		out record.MergedImpact
		ev  evidence
	}
	type sourced struct {
		im  *record.Impact
		src string
	}
	byKey := map[string]*acc{}
	var plain []sourced // the impacts without a quantity
	get := func(kind, unit string) *acc {
		k := kind + "\x00" + unit
		a, ok := byKey[k]
		if !ok {
			a = &acc{out: record.MergedImpact{Kind: kind}}
			byKey[k] = a
		}
		return a
	}
	for i, u := range units {
		for j := range u.Impacts {
			im := &u.Impacts[j]
			q := im.Quantity
			if q == nil || math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
				plain = append(plain, sourced{im, srcOf[i]})
				continue
			}
			a := get(im.Kind, q.Unit)
			if a.out.Quantity == nil || q.Value > a.out.Quantity.Value {
				qc := *q
				a.out.Quantity, a.out.QuantitySource, a.out.Summary = &qc, srcOf[i], im.Summary
			}
			a.ev.add(srcOf[i], im.Evidence, im.EvidenceCount)
		}
	}
	// An impact without a quantity joins the kind's first entry with one,
	// in the order of the output (by unit name), else the kind's own.
	quantified := map[string]*acc{}
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		if a := byKey[k]; quantified[a.out.Kind] == nil {
			quantified[a.out.Kind] = a
		}
	}
	for _, p := range plain {
		a := quantified[p.im.Kind]
		if a == nil {
			a = get(p.im.Kind, "")
			if a.out.Summary == "" {
				a.out.Summary = p.im.Summary
			}
		}
		a.ev.add(p.src, p.im.Evidence, p.im.EvidenceCount)
	}
	out := make([]record.MergedImpact, 0, len(byKey))
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		a := byKey[k]
		a.out.Evidence, a.out.EvidenceCount = a.ev.result()
		out = append(out, a.out)
	}
	return out
}

// mergeResponders unites the responders of the units by folded name.
func mergeResponders(units []*Unit, srcOf []string) []record.MergedNamed {
	type acc struct {
		names counter
		ev    evidence
	}
	byKey := map[string]*acc{}
	for i, u := range units {
		for _, r := range u.Responders {
			k := normKey(r.Name)
			if k == "" {
				continue
			}
			a, ok := byKey[k]
			if !ok {
				a = &acc{names: counter{}}
				byKey[k] = a
			}
			a.names.add(r.Name)
			a.ev.add(srcOf[i], r.Evidence, r.EvidenceCount)
		}
	}
	out := make([]record.MergedNamed, 0, len(byKey))
	for _, a := range byKey {
		n := record.MergedNamed{Name: a.names.top()}
		n.Evidence, n.EvidenceCount = a.ev.result()
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b record.MergedNamed) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// mergeIndicators unites the indicators of the units by type and value.
func mergeIndicators(units []*Unit, srcOf []string) []record.MergedIndicator {
	type acc struct {
		out record.MergedIndicator
		ev  evidence
	}
	byKey := map[string]*acc{}
	for i, u := range units {
		for _, ind := range u.Indicators {
			k := ind.Type + "\x00" + ind.Value
			a, ok := byKey[k]
			if !ok {
				a = &acc{out: record.MergedIndicator{Type: ind.Type, Value: ind.Value}}
				byKey[k] = a
			}
			if ind.Defanged != "" && (a.out.Defanged == "" || ind.Defanged < a.out.Defanged) {
				a.out.Defanged = ind.Defanged
			}
			a.ev.add(srcOf[i], ind.Evidence, ind.EvidenceCount)
		}
	}
	out := make([]record.MergedIndicator, 0, len(byKey))
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		a := byKey[k]
		a.out.Evidence, a.out.EvidenceCount = a.ev.result()
		out = append(out, a.out)
	}
	return out
}
