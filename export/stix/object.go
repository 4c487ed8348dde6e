package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// object is one STIX object as its JSON properties. Values are only
// string, int, float64, bool, []string, []any (of map[string]any) and
// map[string]any, which is what merge knows how to combine.
type object map[string]any

func (o object) id() string  { s, _ := o["id"].(string); return s }
func (o object) typ() string { s, _ := o["type"].(string); return s }

// leadKeys are written first, in this order, as the specification's
// examples do; the other properties follow in name order.
var leadKeys = []string{"type", "spec_version", "id", "created_by_ref", "created", "modified"}

// MarshalJSON writes the object with its lead keys first and without
// escaping "<", ">" and "&", which are common in names ("Marks & Spencer").
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := o.appendJSON(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// appendJSON writes the object as compact JSON to buf.
func (o object) appendJSON(buf *bytes.Buffer) error {
	keys := make([]string, 0, len(o))
	for k := range o {
		if !slices.Contains(leadKeys, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	keys = append(slices.Clone(leadKeys), keys...)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	first := true
	for _, k := range keys {
		v, ok := o[k]
		if !ok {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.Write(appendJCSString(buf.AvailableBuffer(), k))
		buf.WriteByte(':')
		// Strings and lists of strings, most of what objects hold, are
		// written directly; JSON's string escaping is RFC 8785's.
		switch v := v.(type) {
		case string:
			buf.Write(appendJCSString(buf.AvailableBuffer(), v))
		case []string:
			buf.WriteByte('[')
			for i, s := range v {
				if i > 0 {
					buf.WriteByte(',')
				}
				buf.Write(appendJCSString(buf.AvailableBuffer(), s))
			}
			buf.WriteByte(']')
		default:
			if err := enc.Encode(v); err != nil {
				return fmt.Errorf("property %s of %s: %w", k, o.id(), err)
			}
			buf.Truncate(buf.Len() - 1) // the Encoder's newline
		}
	}
	buf.WriteByte('}')
	return nil
}

// marshal is json.Marshal without HTML escaping and without the newline
// an Encoder adds.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// aliasKey is the property that holds an object type's other names:
// STIX's aliases where the type has it, else OpenCTI's x_opencti_aliases
// for identities (which STIX gives no aliases), else none.
func aliasKey(typ string) string {
	switch typ {
	case "threat-actor", "intrusion-set", "malware", "tool", "attack-pattern", "campaign", "infrastructure":
		return "aliases"
	case "identity":
		return "x_opencti_aliases"
	}
	return ""
}

// mergeObjects combines two versions of the object with one id, which
// happens when several articles (or one article given twice) hold the same
// actor, victim, tool, observable or relationship. The result does not
// depend on the order the versions come in: timestamps take the earliest,
// numbers (confidence, counts) the largest, booleans either, lists the
// union in sorted order, other strings the smaller in byte order. A name
// that loses is kept as an alias where the type has aliases.
func mergeObjects(a, b object) object {
	out := object(mergeMaps(a, b))
	an, _ := a["name"].(string)
	bn, _ := b["name"].(string)
	key := aliasKey(out.typ())
	if an != bn && key != "" {
		loser := max(an, bn)
		out[key] = unionStrings(asStrings(out[key]), []string{loser})
	}
	if key != "" {
		name, _ := out["name"].(string)
		aliases := slices.DeleteFunc(slices.Clone(asStrings(out[key])), func(s string) bool { return s == name })
		if len(aliases) == 0 {
			delete(out, key)
		} else {
			out[key] = aliases
		}
	}
	return out
}

// mergeMaps merges two objects or nested mappings key by key (see
// mergeValue), into a new map.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if old, ok := out[k]; ok {
			out[k] = mergeValue(old, v)
		} else {
			out[k] = v
		}
	}
	return out
}

func mergeValue(a, b any) any {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		if !ok {
			return a
		}
		// Timestamps are all in one format, so the smaller is the earlier.
		return min(a, b)
	case int:
		if b, ok := b.(int); ok {
			return max(a, b)
		}
	case float64:
		if b, ok := b.(float64); ok {
			return max(a, b)
		}
	case bool:
		if b, ok := b.(bool); ok {
			return a || b
		}
	case []string:
		if b, ok := b.([]string); ok {
			return unionStrings(a, b)
		}
	case []any:
		if b, ok := b.([]any); ok {
			return unionValues(a, b)
		}
	case map[string]any:
		if b, ok := b.(map[string]any); ok {
			return mergeMaps(a, b)
		}
	}
	return a
}

func asStrings(v any) []string {
	s, _ := v.([]string)
	return s
}

// unionStrings is the sorted set of the strings of a and b.
func unionStrings(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// unionValues is the set of the values of a and b, as told apart and
// ordered by their JSON.
func unionValues(a, b []any) []any {
	type keyed struct {
		key string
		v   any
	}
	var all []keyed
	seen := map[string]bool{}
	for _, v := range append(slices.Clone(a), b...) {
		k, err := marshal(v)
		if err != nil || seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		all = append(all, keyed{string(k), v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	out := make([]any, len(all))
	for i, kv := range all {
		out[i] = kv.v
	}
	return out
}

// typeRank orders the objects of a bundle by type: the report first, as a
// reader starts there, then what it holds, relationships last.
var typeRank = map[string]int{
	"report": 1, "incident": 2, "identity": 3, "location": 4, "intrusion-set": 5,
	"threat-actor": 6, "malware": 7, "tool": 8, "attack-pattern": 9, "vulnerability": 10,
	"indicator": 11, "relationship": 13,
}

// rank is typeRank, with incidex's own identity before everything and the
// observables (whatever their type) between indicators and relationships.
func rank(o object) int {
	if o.id() == creatorID {
		return 0
	}
	if r, ok := typeRank[o.typ()]; ok {
		return r
	}
	return 12
}

// compareObjects orders objects by rank, then id.
func compareObjects(a, b object) int {
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a.id(), b.id())
}
