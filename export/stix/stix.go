// Package stix turns incident records (incidex/v1, see extract/record) into
// STIX 2.1 bundles for threat-intelligence platforms such as OpenCTI and
// MISP: a report per article, an incident per incident, its victims,
// actors, tooling and observables as STIX objects, and the relationships
// between them, each statement with the evidence sentences that prove it.
//
// Output is reproducible: every id is a UUIDv5 (observables by the STIX
// specification's own method, everything else in incidex's namespace over
// a documented key), times come from the articles, not the clock, and the
// objects of a bundle are in a fixed order whatever order the records came
// in. The same actor, victim or observable from several articles is one
// object, so re-importing a bundle, or importing the bundles of two runs,
// does not duplicate it. The package's README section (see the repository
// README) has the mapping table, field by field.
package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// Options tune the conversion.
type Options struct {
	// Fallback is the time used for created/modified of an article that has
	// neither a publication time (Result.Published) nor a fetch time
	// (Result.FetchedAt). The CLI passes SOURCE_DATE_EPOCH when set, else
	// the run's start time.
	Fallback time.Time
	// CountryNames maps ISO 3166-1 alpha-2 codes to the names of the
	// location objects of victims' countries ("GB" to "United Kingdom"),
	// which is how OpenCTI matches a country it already has. Nil takes the
	// first name of each country of the default rule pack (see
	// CountryNames); a code with no name is named by the code.
	CountryNames map[string]string
}

// Bundle collects the STIX objects of records into one bundle, each object
// once: an object several records give (the same actor from two articles)
// is merged into one, the same whatever order the records come in. A
// Bundle is not safe for concurrent use.
type Bundle struct {
	opts      Options
	countries map[string]string
	objects   map[string]object
}

// NewBundle returns an empty bundle.
func NewBundle(opts Options) *Bundle {
	countries := opts.CountryNames
	if countries == nil {
		countries = defaultCountryNames()
	}
	return &Bundle{opts: opts, countries: countries, objects: map[string]object{}}
}

// Add adds the objects of one article. An article that gives no object (no
// incident and no usable indicator) adds nothing: a STIX report must refer
// to at least one object, and one that refers to none says nothing to a
// platform.
func (b *Bundle) Add(r *record.Result) {
	if r == nil {
		return
	}
	a := newArticle(r, b.opts.Fallback, b.countries)
	objects := a.convert()
	if len(objects) == 0 {
		return
	}
	b.putCreator()
	for _, o := range objects {
		b.put(o)
	}
}

// putCreator adds incidex's identity, the created_by_ref of every object,
// once.
func (b *Bundle) putCreator() {
	if _, ok := b.objects[creatorID]; !ok {
		b.objects[creatorID] = creator()
	}
}

func (b *Bundle) put(o object) {
	id := o.id()
	if old, ok := b.objects[id]; ok {
		o = mergeObjects(old, o)
	}
	b.objects[id] = o
}

// Len is the number of objects so far.
func (b *Bundle) Len() int { return len(b.objects) }

// Encode returns the bundle as JSON and a newline; indent "" writes it on
// one line. The bundle's id is a UUIDv5 over the ids of its objects, and
// the objects are ordered by type (incidex's identity, reports, incidents,
// identities, locations, actors, tooling, indicators, observables,
// relationships), then id: batches deliver records in the order they
// finish, so an order of first appearance would make the bytes depend on
// timing.
func (b *Bundle) Encode(indent string) ([]byte, error) {
	objects := make([]object, 0, len(b.objects))
	ids := make([]string, 0, len(b.objects))
	for id, o := range b.objects {
		objects = append(objects, o)
		ids = append(ids, id)
	}
	slices.SortFunc(objects, compareObjects)
	sort.Strings(ids)
	var buf bytes.Buffer
	buf.WriteString(`{"type":"bundle","id":`)
	buf.Write(appendJCSString(buf.AvailableBuffer(), sdoID("bundle", "bundle|"+strings.Join(ids, ","))))
	if len(objects) > 0 {
		buf.WriteString(`,"objects":[`)
		for i, o := range objects {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := o.appendJSON(&buf); err != nil {
				return nil, fmt.Errorf("encode stix bundle: %w", err)
			}
		}
		buf.WriteByte(']')
	}
	buf.WriteByte('}')
	if indent == "" {
		buf.WriteByte('\n')
		return buf.Bytes(), nil
	}
	var out bytes.Buffer
	out.Grow(buf.Len() * 2)
	if err := json.Indent(&out, buf.Bytes(), "", indent); err != nil {
		return nil, fmt.Errorf("encode stix bundle: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// EncodeResult is one record's bundle on one line (for --format
// stix-jsonl).
func EncodeResult(r *record.Result, opts Options) ([]byte, error) {
	b := NewBundle(opts)
	b.Add(r)
	return b.Encode("")
}

// CountryNames maps the ISO 3166-1 alpha-2 code of each country of a rule
// set to its first name, for Options.CountryNames.
func CountryNames(set *rules.Set) map[string]string {
	names := map[string]string{}
	for _, c := range set.Countries {
		code := strings.ToUpper(c.Code)
		if _, ok := names[code]; !ok && len(c.Names) > 0 {
			names[code] = c.Names[0]
		}
	}
	return names
}

// defaultCountryNames is CountryNames of the default rule pack, read once
// (reading the pack takes some 20 ms, too long for every record of
// --format stix-jsonl). The map is never written after.
var defaultCountryNames = sync.OnceValue(func() map[string]string {
	set, err := rules.Default()
	if err != nil {
		return map[string]string{}
	}
	return CountryNames(set)
})
