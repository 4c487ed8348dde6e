package incident_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
)

// readPage reads and parses one HTML file the way the CLI does, naming it
// by its base name.
func readPage(tb testing.TB, path string) (*article.Article, error) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := source.FromBytes(filepath.Base(path), "", data, 0)
	if err != nil {
		return nil, err
	}
	return article.Parse(p, article.Options{})
}

// pageExpectation is one object of testdata/incidents.json: what a careful
// analyst reads in one test page, written by hand from the article text and
// never from the extractor's output.
//
// Names are lists of accepted spellings separated by "|", the first being
// the canonical one used in messages. A spelling matches a victim or actor
// when it equals, ignoring case, the record's name or one of its aliases; it
// matches a tool when it equals the tool's name. A sector may also list
// accepted values ("transport|logistics").
type pageExpectation struct {
	Page string `json:"page"`
	// NoText marks a page without an article: reading it must fail with
	// article.ErrNoText.
	NoText      bool                  `json:"no_text"`
	Incidents   []incidentExpectation `json:"incidents"`
	MustNot     itemLists             `json:"must_not"`
	KnownMisses []knownMiss           `json:"known_misses"`
	Notes       string                `json:"notes"`
}

// incidentExpectation is one incident the page reports. The lists are
// closed: the matching output incident must hold every item, and nothing
// else except what Optional tolerates.
type incidentExpectation struct {
	Victims  []victimExpectation `json:"victims"`
	Actors   []actorExpectation  `json:"actors"`
	Tooling  []string            `json:"tooling"`
	Impacts  []string            `json:"impacts"`
	Status   string              `json:"status"`
	Optional itemLists           `json:"optional"`
}

type victimExpectation struct {
	Name    string `json:"name"`
	Sector  string `json:"sector"`  // checked when set
	Country string `json:"country"` // checked when set
}

type actorExpectation struct {
	Name        string `json:"name"`
	Attribution string `json:"attribution"` // checked when set
}

// itemLists holds names (or impact kinds): under "optional", what an
// incident may report without being wrong; under "must_not", what no
// incident of the page may report.
type itemLists struct {
	Victims []string `json:"victims"`
	Actors  []string `json:"actors"`
	Tooling []string `json:"tooling"`
	Impacts []string `json:"impacts"`
}

// knownMiss is a check the extractor is known to fail on a page. What is
// the failure message exactly as the test words it; the test logs it
// instead of failing, and fails when it no longer happens.
type knownMiss struct {
	What   string `json:"what"`
	Reason string `json:"reason"`
}

func loadIncidentExpectations(t *testing.T) []pageExpectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "incidents.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var pages []pageExpectation
	if err := dec.Decode(&pages); err != nil {
		t.Fatalf("testdata/incidents.json: %v", err)
	}
	for _, p := range pages {
		if err := p.validate(); err != nil {
			t.Errorf("testdata/incidents.json: %s: %v", p.Page, err)
		}
	}
	return pages
}

var (
	impactKinds  = []string{"availability", "confidentiality", "integrity", "financial"}
	statuses     = []string{"confirmed", "attempted"}
	attributions = []string{"claimed", "attributed", "suspected"}
)

// validate catches mistakes in the expectations themselves: unknown
// vocabulary, and an item both wanted (or tolerated) and forbidden.
func (p pageExpectation) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.Notes == "" {
		bad("no notes")
	}
	if p.NoText && len(p.Incidents) > 0 {
		bad("no_text page with incidents")
	}
	seen := map[string]bool{}
	for _, m := range p.KnownMisses {
		if m.What == "" || m.Reason == "" {
			bad("known miss %q without what or reason", m.What)
		}
		if seen[m.What] {
			bad("known miss %q listed twice", m.What)
		}
		seen[m.What] = true
	}
	for _, k := range p.MustNot.Impacts {
		if !slices.Contains(impactKinds, k) {
			bad("must_not impact %q is not one of %q", k, impactKinds)
		}
	}
	for _, inc := range p.Incidents {
		if len(inc.Victims) == 0 {
			bad("incident without a victim")
		}
		if !slices.Contains(statuses, inc.Status) {
			bad("status %q is not one of %q", inc.Status, statuses)
		}
		for _, k := range append(slices.Clone(inc.Impacts), inc.Optional.Impacts...) {
			if !slices.Contains(impactKinds, k) {
				bad("impact %q is not one of %q", k, impactKinds)
			}
		}
		for _, a := range inc.Actors {
			if a.Attribution != "" && !slices.Contains(attributions, a.Attribution) {
				bad("attribution %q is not one of %q", a.Attribution, attributions)
			}
		}
		var victims, actors []string
		for _, v := range inc.Victims {
			victims = append(victims, v.Name)
		}
		for _, a := range inc.Actors {
			actors = append(actors, a.Name)
		}
		conflict := func(role string, wanted, forbidden []string) {
			for _, w := range wanted {
				for _, f := range forbidden {
					for _, s := range spellings(w) {
						if slices.ContainsFunc(spellings(f), func(x string) bool { return strings.EqualFold(x, s) }) {
							bad("%s %q is both expected or optional and under must_not", role, s)
						}
					}
				}
			}
		}
		conflict("victim", append(victims, inc.Optional.Victims...), p.MustNot.Victims)
		conflict("actor", append(actors, inc.Optional.Actors...), p.MustNot.Actors)
		conflict("tool", append(slices.Clone(inc.Tooling), inc.Optional.Tooling...), p.MustNot.Tooling)
		conflict("impact", append(slices.Clone(inc.Impacts), inc.Optional.Impacts...), p.MustNot.Impacts)
	}
	return errors.Join(errs...)
}

// spellings splits "Marks & Spencer|M&S" into its accepted spellings.
func spellings(s string) []string { return strings.Split(s, "|") }

// canonical is the first spelling, used to name an item in messages.
func canonical(s string) string { return spellings(s)[0] }

// matchesName reports whether one of the accepted spellings equals, ignoring
// case, the name or one of the aliases.
func matchesName(accepted, name string, aliases []string) bool {
	for _, s := range spellings(accepted) {
		if strings.EqualFold(s, name) || slices.ContainsFunc(aliases, func(a string) bool { return strings.EqualFold(s, a) }) {
			return true
		}
	}
	return false
}

func matchesAny(list []string, name string, aliases []string) bool {
	return slices.ContainsFunc(list, func(accepted string) bool { return matchesName(accepted, name, aliases) })
}

// TestIncidentExpectations extracts the incidents of every test page and
// checks them against the hand-written expectations of
// testdata/incidents.json. Names match as pageExpectation says: one of the
// "|" spellings equals the record's name or one of its aliases, ignoring
// case. Each failed check is a message; a message listed as a known miss of
// the page is logged with its reason instead of failing, and a known miss
// that no longer happens fails, so that the list stays true and is pruned
// when the extractor improves.
func TestIncidentExpectations(t *testing.T) {
	x := extracttest.Default(t)
	want := loadIncidentExpectations(t)
	pages, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.html"))
	if len(pages) < 10 {
		t.Fatalf("found %d test pages", len(pages))
	}
	byPage := map[string]pageExpectation{}
	for _, p := range want {
		if _, dup := byPage[p.Page]; dup {
			t.Errorf("testdata/incidents.json: %s listed twice", p.Page)
		}
		byPage[p.Page] = p
	}
	for _, page := range pages {
		if _, ok := byPage[filepath.Base(page)]; !ok {
			t.Errorf("testdata/incidents.json has no expectations for %s", filepath.Base(page))
		}
	}
	for _, exp := range want {
		t.Run(strings.TrimSuffix(exp.Page, ".html"), func(t *testing.T) {
			a, err := readPage(t, filepath.Join("..", "..", "testdata", exp.Page))
			var misses []string
			switch {
			case exp.NoText && errors.Is(err, article.ErrNoText):
			case exp.NoText && err == nil:
				misses = append(misses, "article text found, want none")
			case err != nil:
				t.Fatal(err)
			default:
				r := x.Article(a)
				checkEvidence(t, a, r)
				misses = checkIncidents(exp, r)
			}
			known := map[string]string{}
			for _, m := range exp.KnownMisses {
				known[m.What] = m.Reason
			}
			for _, m := range misses {
				if reason, ok := known[m]; ok {
					t.Logf("known miss: %s (%s)", m, reason)
					delete(known, m)
					continue
				}
				t.Error(m)
			}
			for _, m := range exp.KnownMisses {
				if _, ok := known[m.What]; ok {
					t.Errorf("known miss no longer happens, remove it from testdata/incidents.json: %s", m.What)
				}
			}
		})
	}
}

// checkIncidents compares a result with a page's expectations and returns
// one message per failed check, without duplicates. Expected incidents are
// matched, in order, with the first output incident not yet matched that
// holds one of their victims.
func checkIncidents(exp pageExpectation, r *record.Result) []string {
	var out []string
	add := func(format string, args ...any) {
		if m := fmt.Sprintf(format, args...); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	if len(r.Incidents) != len(exp.Incidents) {
		add("incidents: got %d, want %d", len(r.Incidents), len(exp.Incidents))
	}
	used := make([]bool, len(r.Incidents))
	for _, want := range exp.Incidents {
		label := canonical(want.Victims[0].Name)
		i := -1
		for j, inc := range r.Incidents {
			if !used[j] && holdsVictim(inc, want) {
				i = j
				break
			}
		}
		if i < 0 {
			add("%s: no incident has this victim", label)
			continue
		}
		used[i] = true
		checkIncident(label, want, exp.MustNot, r.Incidents[i], add)
	}
	for i, inc := range r.Incidents {
		if !used[i] {
			var names []string
			for _, v := range inc.Victims {
				names = append(names, fmt.Sprintf("%q", v.Name))
			}
			add("unexpected incident with victims %s", strings.Join(names, ", "))
		}
	}
	for _, inc := range r.Incidents {
		for _, f := range exp.MustNot.Victims {
			if slices.ContainsFunc(inc.Victims, func(v record.Victim) bool { return matchesName(f, v.Name, v.Aliases) }) {
				add("victim %q must not be reported", canonical(f))
			}
		}
		for _, f := range exp.MustNot.Actors {
			if slices.ContainsFunc(inc.Actors, func(a record.Actor) bool { return matchesName(f, a.Name, a.Aliases) }) {
				add("actor %q must not be reported", canonical(f))
			}
		}
		for _, f := range exp.MustNot.Tooling {
			if slices.ContainsFunc(inc.Tooling, func(tl record.Tool) bool { return matchesName(f, tl.Name, nil) }) {
				add("tool %q must not be reported", canonical(f))
			}
		}
		for _, f := range exp.MustNot.Impacts {
			if slices.ContainsFunc(inc.Impacts, func(im record.Impact) bool { return im.Kind == f }) {
				add("impact %s must not be reported", f)
			}
		}
	}
	return out
}

// holdsVictim reports whether an output incident names one of the expected
// incident's victims.
func holdsVictim(inc record.Incident, want incidentExpectation) bool {
	for _, v := range inc.Victims {
		for _, w := range want.Victims {
			if matchesName(w.Name, v.Name, v.Aliases) {
				return true
			}
		}
	}
	return false
}

// checkIncident checks one matched incident: every expected item present
// with its details, and nothing else but optional items (items under
// must_not are left to the page-wide check, to report them once).
func checkIncident(label string, want incidentExpectation, mustNot itemLists, got record.Incident, add func(string, ...any)) {
	if got.Status != want.Status {
		add("%s: status is %q, want %q", label, got.Status, want.Status)
	}
	var victims []string
	for _, w := range want.Victims {
		victims = append(victims, w.Name)
		i := slices.IndexFunc(got.Victims, func(v record.Victim) bool { return matchesName(w.Name, v.Name, v.Aliases) })
		if i < 0 {
			add("%s: victim %q missing", label, canonical(w.Name))
			continue
		}
		v := got.Victims[i]
		if w.Sector != "" && !slices.Contains(spellings(w.Sector), v.Sector) {
			add("%s: victim %q sector is %q, want %q", label, canonical(w.Name), v.Sector, w.Sector)
		}
		if w.Country != "" && v.Country != w.Country {
			add("%s: victim %q country is %q, want %q", label, canonical(w.Name), v.Country, w.Country)
		}
	}
	var actors []string
	for _, w := range want.Actors {
		actors = append(actors, w.Name)
		i := slices.IndexFunc(got.Actors, func(a record.Actor) bool { return matchesName(w.Name, a.Name, a.Aliases) })
		if i < 0 {
			add("%s: actor %q missing", label, canonical(w.Name))
			continue
		}
		if a := got.Actors[i]; w.Attribution != "" && a.Attribution != w.Attribution {
			add("%s: actor %q attribution is %q, want %q", label, canonical(w.Name), a.Attribution, w.Attribution)
		}
	}
	for _, w := range want.Tooling {
		if !slices.ContainsFunc(got.Tooling, func(tl record.Tool) bool { return matchesName(w, tl.Name, nil) }) {
			add("%s: tool %q missing", label, canonical(w))
		}
	}
	for _, k := range want.Impacts {
		if !slices.ContainsFunc(got.Impacts, func(im record.Impact) bool { return im.Kind == k }) {
			add("%s: impact %s missing", label, k)
		}
	}

	allowed := func(expected, optional, forbidden []string, name string, aliases []string) bool {
		return matchesAny(expected, name, aliases) || matchesAny(optional, name, aliases) || matchesAny(forbidden, name, aliases)
	}
	for _, v := range got.Victims {
		if !allowed(victims, want.Optional.Victims, mustNot.Victims, v.Name, v.Aliases) {
			add("%s: unexpected victim %q", label, v.Name)
		}
	}
	for _, a := range got.Actors {
		if !allowed(actors, want.Optional.Actors, mustNot.Actors, a.Name, a.Aliases) {
			add("%s: unexpected actor %q", label, a.Name)
		}
	}
	for _, tl := range got.Tooling {
		if !allowed(want.Tooling, want.Optional.Tooling, mustNot.Tooling, tl.Name, nil) {
			add("%s: unexpected tool %q", label, tl.Name)
		}
	}
	for _, im := range got.Impacts {
		if !slices.Contains(want.Impacts, im.Kind) && !slices.Contains(want.Optional.Impacts, im.Kind) && !slices.Contains(mustNot.Impacts, im.Kind) {
			add("%s: unexpected impact %s", label, im.Kind)
		}
	}
}

// checkEvidence verifies that every evidence item quotes the article text
// at its offsets.
func checkEvidence(t *testing.T, a *article.Article, r *record.Result) {
	t.Helper()
	check := func(what string, evs []record.Evidence) {
		if len(evs) == 0 {
			t.Errorf("%s has no evidence", what)
		}
		for _, ev := range evs {
			if ev.Start < 0 || ev.End > len(a.Text) || ev.Start > ev.End || a.Text[ev.Start:ev.End] != ev.Text {
				t.Errorf("%s: evidence [%d:%d] does not quote the text: %q", what, ev.Start, ev.End, ev.Text)
			}
			if ev.Rule == "" {
				t.Errorf("%s: evidence without a rule", what)
			}
		}
	}
	for _, inc := range r.Incidents {
		for _, v := range inc.Victims {
			check("victim "+v.Name, v.Evidence)
		}
		for _, v := range inc.Actors {
			check("actor "+v.Name, v.Evidence)
		}
		for _, v := range inc.Tooling {
			check("tool "+v.Name, v.Evidence)
		}
		for _, v := range inc.Impacts {
			check("impact "+v.Kind, v.Evidence)
		}
		for _, v := range inc.Responders {
			check("responder "+v.Name, v.Evidence)
		}
		for _, v := range inc.Indicators {
			check("indicator "+v.Value, v.Evidence)
		}
	}
	for _, v := range r.Indicators {
		check("indicator "+v.Value, v.Evidence)
	}
}

// TestExtractDeterministic runs a page twice: the output must not depend on
// map order or on state left by an earlier article.
func TestExtractDeterministic(t *testing.T) {
	x := extracttest.Default(t)
	a, err := readPage(t, filepath.Join("..", "..", "testdata", "weekly-roundup.html"))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := json.Marshal(x.Article(a))
	b, _ := readPage(t, filepath.Join("..", "..", "testdata", "classic-news.html"))
	x.Article(b)
	second, _ := json.Marshal(x.Article(a))
	if !bytes.Equal(first, second) {
		t.Error("two runs over the same page differ")
	}
}

// newEncoder returns a JSON encoder that leaves <, > and & as they are, as
// the CLI prints them.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
