package ruletest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/incidex/incidex/rules"
)

// Outcome is what extraction found in a test's sentence, reduced to what
// a Test compares; the caller fills it from the extractor's result.
type Outcome struct {
	Incidents int
	Statuses  []string // one per incident
	Victims   []Found
	Actors    []Found
	Tooling   []Found
	Impacts   []Found // Name is the kind
}

// Found is one name extraction reported, with its other names and the
// rules whose evidence supports it.
type Found struct {
	Name    string
	Aliases []string
	Rules   []string
}

// Names tells whether two names belong to the same dictionary entry, so
// that a test may expect "Octo Tempest" where the output says "Scattered
// Spider". Build it once per Set with NewNames.
type Names struct {
	actors, tooling map[string][]string // folded name -> ids
}

// NewNames indexes the names and aliases of the actors and tooling of set;
// tooling marked actor: true counts as an actor too.
func NewNames(set *rules.Set) *Names {
	n := &Names{actors: map[string][]string{}, tooling: map[string][]string{}}
	add := func(m map[string][]string, id string, e *rules.Entity) {
		for _, name := range append([]string{e.Name}, e.Aliases...) {
			k := rules.FoldName(name)
			if !slices.Contains(m[k], id) {
				m[k] = append(m[k], id)
			}
		}
	}
	for i := range set.Actors {
		add(n.actors, "actors/"+set.Actors[i].ID, &set.Actors[i])
	}
	for i := range set.Tooling {
		e := &set.Tooling[i]
		add(n.tooling, e.ID, e)
		if e.Actor {
			add(n.actors, "tooling/"+e.ID, e)
		}
	}
	return n
}

// same reports whether want names found: equal to its name or one of its
// aliases once folded, or a name of the same dictionary entry in index.
func (n *Names) same(index map[string][]string, want string, found Found) bool {
	w := rules.FoldName(want)
	for _, name := range append([]string{found.Name}, found.Aliases...) {
		f := rules.FoldName(name)
		if f == w {
			return true
		}
		for _, id := range index[f] {
			if slices.Contains(index[w], id) {
				return true
			}
		}
	}
	return false
}

// Check compares what extraction found with what test t expects and
// returns one problem per difference, as `file:line: test N: want victims
// [X], got [Y] (rules: ...)`; none when the test passes.
func Check(t *rules.Test, got *Outcome, names *Names) rules.ErrorList {
	var out rules.ErrorList
	fail := func(format string, args ...any) {
		out = append(out, &rules.Error{File: t.Source, Line: t.Line, Msg: fmt.Sprintf("test %d: ", t.N) + fmt.Sprintf(format, args...)})
	}
	if names == nil {
		names = &Names{}
	}
	if t.Expect.None {
		if got.Incidents > 0 {
			fail("want no incident, got %d: victims %s", got.Incidents, foundList(got.Victims))
		}
		return out
	}
	roles := []struct {
		role        string
		want, never []string
		found       []Found
		index       map[string][]string
	}{
		{"victims", t.Expect.Victims, t.Not.Victims, got.Victims, nil},
		{"actors", t.Expect.Actors, t.Not.Actors, got.Actors, names.actors},
		{"tooling", t.Expect.Tooling, t.Not.Tooling, got.Tooling, names.tooling},
		{"impacts", t.Expect.Impacts, t.Not.Impacts, got.Impacts, nil},
	}
	for _, r := range roles {
		var missing, present []string
		for _, w := range r.want {
			if !slices.ContainsFunc(r.found, func(f Found) bool { return names.same(r.index, w, f) }) {
				missing = append(missing, w)
			}
		}
		for _, w := range r.never {
			if slices.ContainsFunc(r.found, func(f Found) bool { return names.same(r.index, w, f) }) {
				present = append(present, w)
			}
		}
		if len(missing) > 0 {
			fail("want %s [%s], got %s", r.role, strings.Join(missing, ", "), foundList(r.found))
		}
		if len(present) > 0 {
			fail("want %s without [%s], got %s", r.role, strings.Join(present, ", "), foundList(r.found))
		}
	}
	if s := t.Expect.Status; s != "" {
		switch {
		case got.Incidents == 0:
			fail("want status %s, got no incident", s)
		case slices.ContainsFunc(got.Statuses, func(g string) bool { return g != s }):
			fail("want status %s, got [%s]", s, strings.Join(got.Statuses, ", "))
		}
	}
	return out
}

// foundList writes found names as [A, B] with the rules behind them.
func foundList(found []Found) string {
	var names, rules []string
	for _, f := range found {
		names = append(names, f.Name)
		for _, r := range f.Rules {
			if !slices.Contains(rules, r) {
				rules = append(rules, r)
			}
		}
	}
	s := "[" + strings.Join(names, ", ") + "]"
	if len(rules) > 0 {
		s += " (rules: " + strings.Join(rules, ", ") + ")"
	}
	return s
}
