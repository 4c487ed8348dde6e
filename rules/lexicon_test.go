package rules

import (
	"slices"
	"strings"
	"testing"
)

func TestParseLexiconErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // every error line, in order
	}{
		{
			name: "unknown list",
			yaml: "lexicon:\n  - id: swear-words\n    words: [darn]\n",
			want: []string{`x.yaml:2:5: rule "swear-words": unknown lexicon list "swear-words": the extractor reads ` + strings.Join(LexiconIDs(), ", ")},
		},
		{
			name: "values for a list of words",
			yaml: "lexicon:\n  - id: negations\n    values: {no: 1}\n",
			want: []string{`x.yaml:3:13: rule "negations": lexicon list "negations" is a list of words: write words: [...], not values`},
		},
		{
			name: "words for a list of values",
			yaml: "lexicon:\n  - id: currency-words\n    words: [dollars]\n",
			want: []string{`x.yaml:3:12: rule "currency-words": lexicon list "currency-words" maps words to currencies: write values: {word: value}, not words`},
		},
		{
			name: "missing words",
			yaml: "lexicon:\n  - id: negations\n    description: none given\n",
			want: []string{`x.yaml:2:5: rule "negations": missing words (lexicon list "negations" holds words)`},
		},
		{
			name: "two words where one is wanted",
			yaml: "lexicon:\n  - id: person-titles\n    words: [dr, vice admiral]\n",
			want: []string{`x.yaml:3:17: rule "person-titles": "vice admiral": one word only in a list of words`},
		},
		{
			name: "bad values",
			yaml: `lexicon:
  - id: number-words
    values: {dozen: twelve, score: 20}
  - id: currency-words
    values: {quid: pounds}
  - id: actor-kind-words
    values: {mob: mafia}
`,
			want: []string{
				`x.yaml:3:21: rule "number-words": value "twelve" of "dozen" is not a positive number`,
				`x.yaml:5:20: rule "currency-words": value "pounds" of "quid" is not an ISO 4217 currency code (three capitals, such as USD)`,
				`x.yaml:7:19: rule "actor-kind-words": value "mafia" of "mob" is not one of group, nation-state, individual, insider, unknown`,
			},
		},
		{
			name: "repeated value",
			yaml: "lexicon:\n  - id: data-units\n    values: {gb: GB, GB: GB}\n",
			want: []string{`x.yaml:3:22: rule "data-units": values: "GB" repeated (first at line 3)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFile("x.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseLexicon(t *testing.T) {
	p, err := ParseFile("x.yaml", []byte(`lexicon:
  - id: person-titles
    description: Titles
    words: [Dr, "Rev’d"]
  - id: hedges
    words: ["too   early", it is not yet known]
  - id: number-multipliers
    values: {Million: 1e6, lakh: 100000}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lexicon) != 3 {
		t.Fatalf("%d lists, want 3", len(p.Lexicon))
	}
	if got := p.Lexicon[0].Words; !slices.Equal(got, []string{"dr", "rev'd"}) {
		t.Errorf("words are folded as tokens are: %q", got)
	}
	if got := p.Lexicon[1].Words; !slices.Equal(got, []string{"too early", "it is not yet known"}) {
		t.Errorf("phrases keep single spaces: %q", got)
	}
	want := []LexiconValue{{"million", "1e6"}, {"lakh", "100000"}}
	if got := p.Lexicon[2].Values; !slices.Equal(got, want) {
		t.Errorf("values = %v, want %v in order", got, want)
	}
}

func TestMergeLexicon(t *testing.T) {
	base := &Pack{Lexicon: []LexiconList{
		{ID: "negations", Words: []string{"not", "no"}},
		{ID: "currency-words", Values: []LexiconValue{{"dollars", "USD"}}},
	}}
	user := &Pack{Lexicon: []LexiconList{
		{ID: "negations", Words: []string{"nope"}, Extend: true},
		{ID: "currency-words", Values: []LexiconValue{{"quid", "GBP"}}},
		{ID: "hedges", Words: []string{"too early"}},
	}}
	set := NewSet(base, user)
	if got := set.Words("negations"); !slices.Equal(got, []string{"not", "no", "nope"}) {
		t.Errorf("extend: negations = %q", got)
	}
	if got := set.ValueMap("currency-words"); len(got) != 1 || got["quid"] != "GBP" {
		t.Errorf("replace: currency-words = %v", got)
	}
	if got := set.WordSet("hedges"); !got["too early"] {
		t.Errorf("added list: hedges = %v", got)
	}
	if got := set.Words("speech-verbs"); got != nil {
		t.Errorf("a list no pack has is empty, got %q", got)
	}
	// Merging must not change the packs it read, nor a set built before.
	if got := base.Lexicon[0].Words; !slices.Equal(got, []string{"not", "no"}) {
		t.Errorf("base pack changed: %q", got)
	}
	replace := &Pack{Lexicon: []LexiconList{{ID: "person-titles", Words: slices.Grow([]string{"mr", "dr"}, 8)}}}
	extend := func(w string) *Pack {
		return &Pack{Lexicon: []LexiconList{{ID: "person-titles", Words: []string{w}, Extend: true}}}
	}
	titles := &Pack{Lexicon: []LexiconList{{ID: "person-titles", Words: []string{"mr"}}}}
	first := NewSet(titles, replace, extend("rev"))
	NewSet(titles, replace, extend("cllr"))
	if got := first.Words("person-titles"); !slices.Equal(got, []string{"mr", "dr", "rev"}) {
		t.Errorf("a later NewSet changed an earlier set: %q", got)
	}
}

func TestDefaultLexiconHasEveryList(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range LexiconIDs() {
		if len(set.Words(id))+len(set.Values(id)) == 0 {
			t.Errorf("the default pack has no %q list", id)
		}
	}
}
