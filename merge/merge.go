package merge

import (
	"cmp"
	"encoding/json"
	"hash/fnv"
	"slices"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// Options tune a merge.
type Options struct {
	// Window is the longest gap between two reports of one incident; 0
	// means DefaultWindow.
	Window time.Duration
}

// DefaultWindow is the longest gap between two reports of one incident
// unless Options.Window says otherwise.
const DefaultWindow = 60 * 24 * time.Hour

// Merger merges incidents; build it once with New (it holds the name
// normalisation built from the rule set's lexicon). It is safe for
// concurrent use.
type Merger struct {
	names  *namer
	window time.Duration
}

// New returns a Merger that compares names with the lexicon of set (its
// legal-forms, name-tails, name-connectors and generic-org-words lists).
func New(set *rules.Set, opts Options) *Merger {
	w := opts.Window
	if w <= 0 {
		w = DefaultWindow
	}
	return &Merger{names: newNamer(set), window: w}
}

// Window is the window the Merger chains reports within.
func (m *Merger) Window() time.Duration { return m.window }

// BlockKey is the block of a victim's name (see the package
// documentation): the first letter or digit of its normalised form, "" for
// a name with neither.
func (m *Merger) BlockKey(victim string) string {
	return blockKeyOf(m.names.parse(victim))
}

// MergeBlock merges units into merged incidents. Units of different
// blocks never merge, so it is meant for the units of one block (units
// sharing BlockKey), but it takes any and groups them. The result does not
// depend on the order of units, and is sorted as Merge sorts.
func (m *Merger) MergeBlock(units []Unit) []record.Merged {
	blocks := map[string][]int{}
	for i := range units {
		blocks[units[i].BlockKey] = append(blocks[units[i].BlockKey], i)
	}
	var out []record.Merged
	for key, idx := range blocks {
		entries := make([]entry, len(idx))
		for j, i := range idx {
			entries[j] = entryOf(&units[i], i)
		}
		for _, cl := range m.cluster(entries, func(i int) uint64 { return unitHash(&units[i]) }) {
			us := make([]*Unit, len(cl))
			for j, i := range cl {
				us[j] = &units[i]
			}
			out = append(out, m.build(key, us))
		}
	}
	SortMerged(out)
	return out
}

// Merge merges records in memory: their Units, merged block by block
// (MergeBlock), sorted by SortMerged. Use MergeStream for inputs larger
// than memory.
func (m *Merger) Merge(results []*record.Result) []record.Merged {
	var units []Unit
	for _, r := range results {
		units = append(units, m.Units(r)...)
	}
	return m.MergeBlock(units)
}

// SortMerged sorts merged incidents as Merge and MergeStream emit them: by
// first report (those without a date last), then id.
func SortMerged(list []record.Merged) {
	slices.SortFunc(list, func(a, b record.Merged) int {
		return cmp.Compare(orderKey(&a), orderKey(&b))
	})
}

// orderKey is the sort key of a merged incident: its first report, or
// "~" when it has none (after every date), and its id.
func orderKey(m *record.Merged) string {
	return orderKeyOf(m.FirstReported, m.ID)
}

// orderKeyOf is the sort key of the merged incident first reported at
// first ("" for never) with the given id.
func orderKeyOf(first, id string) string {
	if first == "" {
		first = "~"
	}
	return first + " " + id
}

// unitHash is a hash of a unit's JSON, which orders two copies of one
// unit (same key and input) that differ.
func unitHash(u *Unit) uint64 {
	b, err := json.Marshal(u)
	if err != nil {
		return 0
	}
	return lineHash(b)
}

// lineHash is the FNV-1a hash of a unit's JSON line.
func lineHash(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}
