package merge

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// defaultSet is the default rule pack, read once per test binary.
var defaultSet = sync.OnceValues(rules.Default)

// newMerger returns a Merger of the default rules and opts.
func newMerger(tb testing.TB, opts Options) *Merger {
	tb.Helper()
	set, err := defaultSet()
	if err != nil {
		tb.Fatalf("default rules: %v", err)
	}
	return New(set, opts)
}

// article builds a record: its input (and URL) is name, published is a
// date or "" for none.
func article(name, published string, incidents ...record.Incident) *record.Result {
	r := &record.Result{
		Schema: record.SchemaVersion, Input: name + ".html", URL: "https://news.example/" + name,
		Title: "Title of " + name, Site: "Example News", Published: published, Incidents: incidents,
	}
	for i := range r.Incidents {
		if r.Incidents[i].ID == "" {
			r.Incidents[i].ID = fmt.Sprintf("%s-%d", name, i+1)
		}
	}
	return r
}

// incident builds a confirmed incident of victims ("Name|Alias|Alias"),
// with optional actors ("Name:attribution").
func incident(victims []string, actors ...string) record.Incident {
	inc := record.Incident{Status: "confirmed", Confidence: 0.8}
	for _, v := range victims {
		parts := strings.Split(v, "|")
		inc.Victims = append(inc.Victims, record.Victim{
			Name: parts[0], Aliases: append([]string{}, parts[1:]...), Confidence: 0.9,
			Evidence: []record.Evidence{{Rule: "victim.test", Text: parts[0] + " was hit by a cyber attack.", Start: 0, End: 30}},
		})
	}
	for _, a := range actors {
		name, attribution, _ := strings.Cut(a, ":")
		inc.Actors = append(inc.Actors, record.Actor{
			Name: name, Aliases: []string{}, Kind: "group", Attribution: attribution, Confidence: 0.7,
			Evidence: []record.Evidence{{Rule: "actor.test", Text: name + " is behind the attack.", Start: 31, End: 60}},
		})
	}
	return inc
}

// dated gives an incident the date of its attack.
func dated(inc record.Incident, date string) record.Incident {
	inc.Occurred = &record.Occurred{Date: date, Evidence: []record.Evidence{{Rule: "attack-date", Text: "The attack took place then.", Start: 61, End: 88}}}
	return inc
}

// victims lists victim names for incident.
func victims(names ...string) []string { return names }

// sourcesOf lists the inputs of a merged incident's sources, in order.
func sourcesOf(m record.Merged) string {
	var ins []string
	for _, s := range m.Sources {
		ins = append(ins, strings.TrimSuffix(s.Input, ".html"))
	}
	return strings.Join(ins, ",")
}

// groupsOf describes merged incidents as their sources, one string each,
// in output order.
func groupsOf(list []record.Merged) []string {
	var out []string
	for _, m := range list {
		out = append(out, sourcesOf(m))
	}
	return out
}

// link is how strongly two names link (linkUnknown: not at all), by the
// rules the clustering applies through its index (clusterer.links), pair
// by pair: the tests' oracle. The rules: the same base; one the other
// without tails, or the same without spaces; an acronym and its long form;
// a short form word by word.
func (nm *namer) link(a, b name) int {
	switch {
	case a.base == "" || b.base == "":
		return linkUnknown
	case a.base == b.base:
		return linkSame
	case slices.Contains(a.strips, b.base) || slices.Contains(b.strips, a.base) || a.compact == b.compact:
		return linkForm
	case nm.acronymOf(a, b) || nm.acronymOf(b, a):
		return linkForm
	case shortFormOf(a, b) || shortFormOf(b, a):
		return linkShort
	}
	return linkUnknown
}

// acronymOf reports whether a holds an acronym of which b is the long
// form.
func (nm *namer) acronymOf(a, b name) bool {
	want := map[string]bool{}
	for _, k := range a.acronymKeys() {
		want[k] = true
	}
	return len(nm.longKeys(b, want)) > 0
}
