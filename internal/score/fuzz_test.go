package score

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseJSON checks that parseJSON accepts exactly what encoding/json
// accepts, outside the places where Python's json module differs on
// purpose (NaN and Infinity, very long integers, deep nesting), and that
// ReadPredictions never panics.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		`{"input": "a.html", "incidents": [{"victims": ["A", {"name": "B", "aliases": ["C"]}], "impacts": [{"kind": "x"}]}]}`,
		`[1, -0.5e+3, true, false, null, "\u00e9\ud83d\ude00"]`, `{"a": 1,}`, `01`, `1.`, `"\x"`, ` {} `, `[`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ReadPredictions(strings.NewReader(s))
		ReadGold(strings.NewReader(s))
		if !utf8.ValidString(s) || len(s) > 1000 || strings.Contains(s, "NaN") || strings.Contains(s, "Infinity") {
			return
		}
		_, err := parseJSON(s, predMaxDepth)
		if got, want := err == nil, json.Valid([]byte(s)); got != want {
			t.Errorf("parseJSON(%q) ok = %v, encoding/json ok = %v (%v)", s, got, want, err)
		}
	})
}
