package merge

import (
	"strings"
	"testing"
)

// TestLinkedNamesShareABlock checks, over many names, the property that
// makes partitioning exact: names that link have the same block key. The
// names are those of the default rule pack's responders, outlets and
// actors (organisations of every shape), with forms made from each: its
// initials in capitals (with and without connectors), its name without
// the last word, with a legal form, and "the" before it. Candidate pairs
// are found through the keys the clustering indexes names by, whatever
// their blocks, and each is checked with link.
func TestLinkedNamesShareABlock(t *testing.T) {
	m := newMerger(t, Options{})
	set, _ := defaultSet()
	var names []string
	for _, e := range append(append(set.Responders, set.Outlets...), set.Actors...) {
		for _, r := range append([]string{e.Name}, e.Aliases...) {
			names = append(names, r, "The "+r, r+" plc", r+" Group")
			words := strings.Fields(r)
			if len(words) < 2 {
				continue
			}
			names = append(names, strings.Join(words[:len(words)-1], " "))
			var all, skip strings.Builder
			for i, w := range words {
				all.WriteString(strings.ToUpper(w[:1]))
				if i == 0 || !m.names.connectors[strings.ToLower(w)] {
					skip.WriteString(strings.ToUpper(w[:1]))
				}
			}
			names = append(names, all.String(), skip.String())
		}
	}
	parsed := make([]name, len(names))
	acronyms := map[string]bool{}
	for i, n := range names {
		parsed[i] = m.names.parse(n)
		for _, k := range parsed[i].acronymKeys() {
			acronyms[k] = true
		}
	}
	byKey := map[string][]int{}
	for i, n := range parsed {
		if n.base == "" {
			continue
		}
		keys := []string{"b|" + n.base, "b|" + n.compact}
		for _, s := range n.strips {
			keys = append(keys, "b|"+s)
		}
		for _, k := range n.acronymKeys() {
			keys = append(keys, "a|"+k)
		}
		for _, k := range m.names.longKeys(n, acronyms) {
			keys = append(keys, "a|"+k)
		}
		if k, ok := shortFormKey(n); ok {
			keys = append(keys, "p|"+k)
		}
		for _, k := range keys {
			byKey[k] = append(byKey[k], i)
		}
	}
	checked := map[[2]int]bool{}
	links := 0
	for _, list := range byKey {
		for x, i := range list {
			for _, j := range list[x+1:] {
				p := [2]int{min(i, j), max(i, j)}
				if i == j || checked[p] {
					continue
				}
				checked[p] = true
				if m.names.link(parsed[i], parsed[j]) == linkUnknown {
					continue
				}
				links++
				if blockKeyOf(parsed[i]) != blockKeyOf(parsed[j]) {
					t.Errorf("%q and %q link but have block keys %q and %q", names[i], names[j], blockKeyOf(parsed[i]), blockKeyOf(parsed[j]))
				}
			}
		}
	}
	t.Logf("%d names, %d linked pairs", len(names), links)
	if links < 1000 {
		t.Errorf("only %d linked pairs: the forms do not exercise the links", links)
	}
}
