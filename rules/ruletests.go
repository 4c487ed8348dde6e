package rules

import (
	"fmt"
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
