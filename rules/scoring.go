package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Scoring is one model of the scoring section: how the candidates for a
// role are scored. A candidate's score is the logistic function of Bias
// plus the sum of the weights of its features (each feature a number,
// most of them 0 or 1); the candidate is kept when the score reaches
// Threshold, and the score is reported as its confidence. "incidex rules
// fit" writes models fitted on labelled pages.
type Scoring struct {
	ID        string // the role: one of ScoringRoles
	Threshold float64
	Bias      float64
	Weights   []Weight // in the order written
	Source    string   // file, line and column of the entry
	Line      int
	Col       int
}

// Weight is a feature's weight in a scoring model.
type Weight struct {
	Feature string
	Value   float64
}

// The features a victim candidate is scored on, each 0 or 1 unless said
// otherwise. The extractor computes them (package extract/incident); the
// loader checks that a model names only these.
var VictimFeatures = []string{
	"pattern",          // a victim rule named it
	"headline_pattern", // a headline victim rule named it
	"headline",         // the headline names it
	"headline_first",   // it is the first name of the headline
	"lead",             // the first two sentences name it
	"mentions",         // log2(1 + the sentences that name it)
	"attack_sentence",  // a sentence that names it is about an attack
	"attack_clause",    // it shares a clause with an attack word
	"passive_hit",      // "X was hit", "X has been breached"
	"attack_on",        // "an attack on X", "the breach at X"
	"possessor",        // "X's systems", "X's customers"
	"taken_from",       // "hackers stole files from X"
	"response",         // "X said", "X confirmed", "X disclosed"
	"victim_action",    // "X paid", "X restored", "X shut down", "X was forced"
	"listed_with",      // listed with a victim a rule named: "A, B and C were hit"
	"described",        // words around it describe an organisation (sector, "firm")
	"org_word",         // its name holds an organisation word ("Bank", "Health", "Inc")
	"official_body",    // its name holds an institution word ("Ministry", "Department", "Office")
	"acronym",          // it is an acronym only
	"single_word",      // its name is one word
	"vendor",           // named as a security firm or its researchers
	"person",           // read as a person's name
	"source",           // quoted as a source: "according to X", "told X", "researchers at X"
	"sentence_start",   // named only as the first word of sentences
}

// The features an actor the rules found is scored on, each 0 or 1 unless
// said otherwise.
var ActorFeatures = []string{
	"dictionary",       // an actors or tooling entry names it
	"scheme",           // a vendor's naming scheme names it ("Storm-0558", "UNC3944")
	"ransomware_brand", // a tooling entry the text treats as the attacker ("the LockBit gang")
	"pattern",          // an actor rule named it
	"claimed",          // its sentences claim responsibility
	"attributed",       // its sentences attribute the attack officially (charged, sanctioned)
	"headline",         // the headline names it
	"lead",             // the first two sentences name it
	"mentions",         // log2(1 + the sentences that name it)
	"attack_sentence",  // a sentence that names it is about an attack
	"person",           // shaped like a person's name, not in a dictionary
	"nation_state",     // a state named as the attacker
	"single_word",      // a one-word name not in a dictionary
}

// ScoringRoles are the roles a scoring model may score, with their
// features.
var ScoringRoles = map[string][]string{
	"victim": VictimFeatures,
	"actor":  ActorFeatures,
}

// scoring reads the scoring section.
func (p *fileParser) scoring(nodes []*yaml.Node) []Scoring {
	seen := map[string]int{}
	var out []Scoring
	for _, n := range nodes {
		e := p.begin(secScoring, n, seen)
		sc := Scoring{ID: e.id, Threshold: 0.5, Source: p.file, Line: n.Line, Col: n.Column}
		features, known := ScoringRoles[e.id]
		if e.id != "" && !known {
			p.add(n, e.id, "unknown scoring model %q (want %s)", e.id, strings.Join(scoringRoleNames(), ", "))
		}
		for _, kv := range e.pairs {
			switch kv.key {
			case "threshold":
				before := len(p.errs)
				sc.Threshold = p.number(e, kv.vNode, "threshold")
				if len(p.errs) == before && !(sc.Threshold > 0 && sc.Threshold < 1) {
					p.add(kv.vNode, e.id, "threshold must be between 0 and 1, got %v", sc.Threshold)
				}
			case "bias":
				sc.Bias = p.number(e, kv.vNode, "bias")
			case "weights":
				sc.Weights = p.weights(e, kv.vNode, features, known)
			}
		}
		out = append(out, sc)
	}
	return out
}

// weights reads a mapping of feature names to numbers.
func (p *fileParser) weights(e entry, v *yaml.Node, features []string, check bool) []Weight {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		p.add(v, e.id, "weights must be a mapping of features to numbers ({pattern: 2.5})")
		return nil
	}
	var out []Weight
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.add(k, e.id, "weights: each key must be a feature name")
			continue
		}
		if check && !slices.Contains(features, k.Value) {
			p.add(k, e.id, "unknown feature %q (want %s)", k.Value, strings.Join(features, ", "))
			continue
		}
		if seen[k.Value] {
			p.add(k, e.id, "weights: %q repeated", k.Value)
			continue
		}
		seen[k.Value] = true
		out = append(out, Weight{Feature: k.Value, Value: p.number(e, val, k.Value)})
	}
	return out
}

// number reads a number.
func (p *fileParser) number(e entry, v *yaml.Node, field string) float64 {
	if v.Kind == yaml.ScalarNode {
		if f, err := strconv.ParseFloat(v.Value, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
	p.add(v, e.id, "%s must be a finite number", field)
	return 0
}

func scoringRoleNames() []string {
	var out []string
	for r := range ScoringRoles {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// Model returns the scoring model of a role, or nil when the rules in
// force have none.
func (s *Set) Model(role string) *Scoring {
	for i := range s.Scoring {
		if s.Scoring[i].ID == role {
			return &s.Scoring[i]
		}
	}
	return nil
}

// Format writes the model as a scoring entry of a rule pack, weights in
// the order of the role's features.
func (sc *Scoring) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  - id: %s\n    threshold: %s\n    bias: %s\n    weights:\n", sc.ID, fmtFloat(sc.Threshold), fmtFloat(sc.Bias))
	for _, w := range sc.Weights {
		fmt.Fprintf(&b, "      %s: %s\n", w.Feature, fmtFloat(w.Value))
	}
	return b.String()
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
