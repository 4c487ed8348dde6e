package rules

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Test is an example a rule file carries in its tests section: a sentence,
// optionally a headline, and what extraction must find in them. "incidex
// rules test" runs them; package rules only parses and compares, since the
// extraction itself lives in package extract.
type Test struct {
	Sentence string // one sentence, or a few, read as one paragraph
	Title    string
	// Expect is what must be found; a test has Expect, Not or both.
	Expect Expect
	// Not holds names (and impact kinds) that must not be found in their
	// role; only its lists are used.
	Not    Expect
	Source string // the file
	Line   int    // the line of the test's entry
	N      int    // 1-based position among the tests of the file
}

// Expect is what a test requires. Every name in a list must be found in
// that role (compared without regard to case, and through the aliases of
// the dictionary entry or of the victim); the lists need not be complete.
type Expect struct {
	Victims []string
	Actors  []string
	Tooling []string
	Impacts []string // impact kinds: availability, confidentiality, integrity, financial
	Status  string   // attempted or confirmed: the status of every incident found
	None    bool     // no incident at all
}

func (e *Expect) empty() bool {
	return len(e.Victims)+len(e.Actors)+len(e.Tooling)+len(e.Impacts) == 0 && e.Status == "" && !e.None
}

var (
	testKeys   = []string{"sentence", "title", "expect", "not"}
	expectKeys = []string{"victims", "actors", "tooling", "impacts", "status", "none"}
	notKeys    = []string{"victims", "actors", "tooling", "impacts"}
)

// tests reads the tests section. Problems are reported as `test N: ...`.
func (p *fileParser) tests(nodes []*yaml.Node) []Test {
	var out []Test
	for i, n := range nodes {
		t := Test{Source: p.file, Line: n.Line, N: i + 1}
		before := len(p.errs)
		var sentenceSet, expectSet bool
		var notNode *yaml.Node
		for _, kv := range p.pairs(n, "", "tests entry", testKeys) {
			switch kv.key {
			case "sentence":
				t.Sentence, sentenceSet = p.str(entry{}, kv), true
				if strings.TrimSpace(t.Sentence) == "" && kv.vNode.Kind == yaml.ScalarNode {
					p.add(kv.vNode, "", "empty sentence")
				}
			case "title":
				t.Title = p.str(entry{}, kv)
			case "expect":
				expectSet = true
				t.Expect = p.expect(kv, expectKeys)
				switch {
				case t.Expect.None && (len(t.Expect.Victims)+len(t.Expect.Actors)+len(t.Expect.Tooling)+len(t.Expect.Impacts) > 0 || t.Expect.Status != ""):
					p.add(kv.vNode, "", "expect: none: true cannot go with names, impacts or a status")
				case t.Expect.empty() && kv.vNode.Kind == yaml.MappingNode:
					p.add(kv.vNode, "", "expect has nothing to check (want %s)", strings.Join(expectKeys, ", "))
				}
			case "not":
				notNode = kv.vNode
				t.Not = p.expect(kv, notKeys)
			}
		}
		if notNode != nil && t.Not.empty() && !expectSet && notNode.Kind == yaml.MappingNode {
			p.add(notNode, "", "not has nothing to check (want %s)", strings.Join(notKeys, ", "))
		}
		if !sentenceSet {
			p.add(n, "", "missing sentence")
		}
		if !expectSet && notNode == nil {
			p.add(n, "", "missing expect (or not)")
		}
		for _, e := range p.errs[before:] {
			e.Msg = fmt.Sprintf("test %d: %s", t.N, e.Msg)
		}
		out = append(out, t)
	}
	return out
}

// expect reads an expect or not mapping with the keys allowed.
func (p *fileParser) expect(kv pair, allowed []string) Expect {
	var x Expect
	v := kv.vNode
	if v.Kind != yaml.MappingNode {
		p.add(v, "", "%s must be a mapping (%s: {victims: [...]})", kv.key, kv.key)
		return x
	}
	for _, f := range p.pairs(v, "", kv.key, allowed) {
		switch f.key {
		case "victims":
			x.Victims = p.list(entry{}, f)
		case "actors":
			x.Actors = p.list(entry{}, f)
		case "tooling":
			x.Tooling = p.list(entry{}, f)
		case "impacts":
			var at []Pos
			x.Impacts, at = p.listPos(entry{}, f)
			for i, kind := range x.Impacts {
				p.oneOf(entry{}, &yaml.Node{Line: at[i].Line, Column: at[i].Col}, "impact", kind, impacts)
			}
		case "status":
			x.Status = p.str(entry{}, f)
			if x.Status != "" {
				p.oneOf(entry{}, f.vNode, "status", x.Status, statuses)
			}
		case "none":
			x.None = p.boolean(entry{}, f)
		}
	}
	return x
}

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
func NewNames(set *Set) *Names {
	n := &Names{actors: map[string][]string{}, tooling: map[string][]string{}}
	add := func(m map[string][]string, id string, e *Entity) {
		for _, name := range append([]string{e.Name}, e.Aliases...) {
			k := foldName(name)
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
	w := foldName(want)
	for _, name := range append([]string{found.Name}, found.Aliases...) {
		f := foldName(name)
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

// Check compares what extraction found with what the test expects and
// returns one problem per difference, as `file:line: test N: want victims
// [X], got [Y] (rules: ...)`; none when the test passes.
func (t *Test) Check(got *Outcome, names *Names) ErrorList {
	var out ErrorList
	fail := func(format string, args ...any) {
		out = append(out, &Error{File: t.Source, Line: t.Line, Msg: fmt.Sprintf("test %d: ", t.N) + fmt.Sprintf(format, args...)})
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
