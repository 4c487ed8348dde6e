package score

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LineError is an error about one line of input.
type LineError struct {
	Line int // 1-based, counting "\n", "\r\n" and "\r" as line ends
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// ReadGold reads gold labels, one JSON object per line; blank lines are
// skipped. Errors about a line are *LineError. It accepts what the script accepts and
// rejects, with an error, what would make the script fail, plus a few
// values the script would misread rather than reject: a page or status
// that is not a string, an empty status, an impact that is not a string.
// It also reads "exhaustive", which the script ignores (see
// Gold.NotExhaustive); a value other than true or false is an error.
//
// It reads r whole: a caller reading a user's file caps it
// (sizecap.NewReader), as "incidex eval" does.
func ReadGold(r io.Reader) ([]Gold, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read gold: %w", err)
	}
	var gold []Gold
	for i, line := range splitLines(string(data)) {
		if strings.TrimFunc(line, pyIsSpace) == "" {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, &LineError{i + 1, errors.New("invalid UTF-8")}
		}
		v, err := parseJSON(line, goldMaxDepth)
		if err != nil {
			return nil, &LineError{i + 1, err}
		}
		g, err := goldFromJSON(v)
		if err != nil {
			return nil, &LineError{i + 1, err}
		}
		gold = append(gold, g)
	}
	return gold, nil
}

func goldFromJSON(v any) (Gold, error) {
	var g Gold
	obj, ok := v.(*object)
	if !ok {
		return g, fmt.Errorf("gold is %s, not an object", kindOf(v))
	}
	page, ok := obj.get("page")
	if !ok {
		return g, errors.New("page is missing")
	}
	if g.Page, ok = page.(string); !ok {
		return g, fmt.Errorf("page is %s, not a string", kindOf(page))
	}
	if v, ok := obj.get("exhaustive"); ok {
		exhaustive, ok := v.(bool)
		if !ok {
			return g, fmt.Errorf("exhaustive is %s, not true or false", kindOf(v))
		}
		g.NotExhaustive = !exhaustive
	}
	g.Published, _ = optionalString(obj, "published")
	g.Notes, _ = optionalString(obj, "notes")
	incs, ok := obj.get("incidents")
	if !ok {
		return g, errors.New("incidents is missing")
	}
	list, ok := iterate(incs)
	if !ok {
		return g, fmt.Errorf("incidents is %s, not a list", kindOf(incs))
	}
	for n, v := range list {
		inc, ok := v.(*object)
		if !ok {
			return g, fmt.Errorf("incident %d is %s, not an object", n+1, kindOf(v))
		}
		gi, err := goldIncidentFromJSON(inc)
		if err != nil {
			return g, fmt.Errorf("incident %d: %w", n+1, err)
		}
		g.Incidents = append(g.Incidents, gi)
	}
	if opt, ok := obj.get("optional"); ok && truthy(opt) {
		o, ok := opt.(*object)
		if !ok {
			return g, fmt.Errorf("optional is %s, not an object", kindOf(opt))
		}
		var err error
		if g.Optional.Actors, err = stringList(o, "actors"); err != nil {
			return g, fmt.Errorf("optional: %w", err)
		}
		if g.Optional.Tooling, err = stringList(o, "tooling"); err != nil {
			return g, fmt.Errorf("optional: %w", err)
		}
		if g.Optional.Victims, err = stringList(o, "victims"); err != nil {
			return g, fmt.Errorf("optional: %w", err)
		}
	}
	return g, nil
}

func goldIncidentFromJSON(inc *object) (GoldIncident, error) {
	var gi GoldIncident
	var err error
	for _, f := range []struct {
		key string
		dst *[]string
	}{{"victims", &gi.Victims}, {"actors", &gi.Actors}, {"tooling", &gi.Tooling}, {"impacts", &gi.Impacts}} {
		if *f.dst, err = stringList(inc, f.key); err != nil {
			return gi, err
		}
	}
	status, present := optionalString(inc, "status")
	if present && status == "" {
		return gi, errors.New("status must be a non-empty string")
	}
	gi.Status = status
	return gi, nil
}

// optionalString returns obj[key] if it is a string. present reports
// whether the key exists at all.
func optionalString(obj *object, key string) (s string, present bool) {
	v, present := obj.get(key)
	s, _ = v.(string)
	return s, present
}

// stringList reads a list of strings; a missing key is an empty list.
func stringList(obj *object, key string) ([]string, error) {
	v, ok := obj.get(key)
	if !ok {
		return nil, nil
	}
	items, ok := iterate(v)
	if !ok {
		return nil, fmt.Errorf("%s is %s, not a list", key, kindOf(v))
	}
	out := make([]string, 0, len(items))
	for n, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("%s: item %d is %s, not a string", key, n+1, kindOf(it))
		}
		out = append(out, s)
	}
	return out, nil
}

// ReadPredictions reads incident records, one JSON object per line, as
// `incidex extract --format jsonl` prints them, and keys each by the base
// name of its "input" (or "source", "path", "file", "url"; an object there
// gives its "path", "input" or "url"). Entity items may be objects with
// "name" and "aliases" or plain strings; impacts may be objects with
// "kind" or plain strings. A later record for a page replaces an earlier
// one; records that name no page are ignored.
//
// Lines that are not JSON are counted in badLines and skipped, as the
// script does. A record that the script could not score (a line that is
// not a JSON object, an incident that is not an object, an item without
// any name) is an error naming its line, unless a later record for the
// same page replaces it. Errors about a line are *LineError.
//
// Like ReadGold it reads r whole, so a caller caps it.
func ReadPredictions(r io.Reader) (preds map[string]Record, badLines int, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, fmt.Errorf("read predictions: %w", err)
	}
	preds = map[string]Record{}
	pending := map[string]*LineError{}
	for i, line := range splitLines(decodeReplace(data)) {
		line = strings.TrimFunc(line, pyIsSpace)
		if line == "" {
			continue
		}
		v, err := parseJSON(line, predMaxDepth)
		if err != nil {
			badLines++
			continue
		}
		obj, ok := v.(*object)
		if !ok {
			return nil, badLines, &LineError{i + 1, fmt.Errorf("record is %s, not an object", kindOf(v))}
		}
		key := pageKey(obj)
		if key == "" {
			continue
		}
		rec, err := recordFromJSON(obj)
		if err != nil {
			pending[key] = &LineError{i + 1, err}
			delete(preds, key)
			continue
		}
		rec.Page = key
		delete(pending, key)
		preds[key] = rec
	}
	if len(pending) > 0 {
		var first *LineError
		for _, e := range pending {
			if first == nil || e.Line < first.Line {
				first = e
			}
		}
		return nil, badLines, first
	}
	return preds, badLines, nil
}

// pageKey is the script's page_key: the base name of the first of "input",
// "source", "path", "file", "url" that holds a non-empty string, where an
// object stands for its first truthy "path", "input" or "url". The search
// stops at the first such string even if its base name is empty.
func pageKey(rec *object) string {
	for _, k := range []string{"input", "source", "path", "file", "url"} {
		v, _ := rec.get(k)
		if o, ok := v.(*object); ok {
			v = nil
			for _, kk := range []string{"path", "input", "url"} {
				if v, _ = o.get(kk); truthy(v) {
					break
				}
			}
		}
		if s, ok := v.(string); ok && s != "" {
			return baseName(s)
		}
	}
	return ""
}

func recordFromJSON(obj *object) (Record, error) {
	var rec Record
	v, _ := obj.get("incidents")
	if !truthy(v) {
		return rec, nil
	}
	list, ok := v.([]any)
	if !ok {
		return rec, fmt.Errorf("incidents is %s, not a list", kindOf(v))
	}
	for n, v := range list {
		o, ok := v.(*object)
		if !ok {
			return rec, fmt.Errorf("incident %d is %s, not an object", n+1, kindOf(v))
		}
		inc, err := incidentFromJSON(o)
		if err != nil {
			return rec, fmt.Errorf("incident %d: %w", n+1, err)
		}
		rec.Incidents = append(rec.Incidents, inc)
	}
	return rec, nil
}

func incidentFromJSON(o *object) (Incident, error) {
	var inc Incident
	inc.Status, _ = optionalString(o, "status")
	var err error
	for _, f := range []struct {
		key string
		dst *[]Item
	}{{"victims", &inc.Victims}, {"actors", &inc.Actors}, {"tooling", &inc.Tooling}} {
		if *f.dst, err = itemsFromJSON(o, f.key); err != nil {
			return inc, err
		}
	}
	impacts, err := truthyList(o, "impacts")
	if err != nil {
		return inc, err
	}
	for _, it := range impacts {
		if obj, ok := it.(*object); ok {
			it, _ = obj.get("kind")
		}
		if k, ok := it.(string); ok {
			inc.Impacts = append(inc.Impacts, k)
		}
	}
	return inc, nil
}

// truthyList is Python's `for x in (obj.get(key) or [])`.
func truthyList(obj *object, key string) ([]any, error) {
	v, _ := obj.get(key)
	if !truthy(v) {
		return nil, nil
	}
	items, ok := iterate(v)
	if !ok {
		return nil, fmt.Errorf("%s is %s, not a list", key, kindOf(v))
	}
	return items, nil
}

func itemsFromJSON(obj *object, key string) ([]Item, error) {
	list, err := truthyList(obj, key)
	if err != nil {
		return nil, err
	}
	var items []Item
	for n, v := range list {
		switch v := v.(type) {
		case string:
			items = append(items, Item{Name: v})
		case *object:
			// A missing name counts as ""; a name that is not a string
			// is left out, and the first alias takes its place.
			var names []string
			if name, ok := v.get("name"); !ok {
				names = append(names, "")
			} else if s, ok := name.(string); ok {
				names = append(names, s)
			}
			aliases, err := truthyList(v, "aliases")
			if err != nil {
				return nil, fmt.Errorf("%s: item %d: %w", key, n+1, err)
			}
			for _, a := range aliases {
				if s, ok := a.(string); ok {
					names = append(names, s)
				}
			}
			if len(names) == 0 {
				return nil, fmt.Errorf("%s: item %d has no name", key, n+1)
			}
			items = append(items, Item{Name: names[0], Aliases: names[1:]})
		default:
			return nil, fmt.Errorf("%s: item %d is %s, not a string or an object", key, n+1, kindOf(v))
		}
	}
	return items, nil
}

// splitLines splits text at "\n", "\r\n" and "\r", as Python's universal
// newlines do, without the terminators.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return lines
}

// pyIsSpace is Python's str.isspace for one character: Unicode white space
// plus the ASCII separators U+001C to U+001F.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || 0x1C <= r && r <= 0x1F
}

// decodeReplace decodes UTF-8 like Python's errors="replace": each maximal
// invalid subsequence (a truncated but otherwise well-formed prefix, or
// else a single byte) becomes one U+FFFD.
func decodeReplace(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			sb.Write(b[i : i+size])
			i += size
			continue
		}
		sb.WriteRune(utf8.RuneError)
		i += invalidPrefix(b[i:])
	}
	return sb.String()
}

// invalidPrefix is the length of the maximal subpart of an ill-formed
// sequence starting at b[0] (Unicode 15, section 3.9, U+FFFD substitution).
func invalidPrefix(b []byte) int {
	var need int
	lo, hi := byte(0x80), byte(0xBF) // allowed range of the second byte
	switch c := b[0]; {
	case 0xC2 <= c && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case 0xE1 <= c && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case 0xF1 <= c && c <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(b); n++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}
