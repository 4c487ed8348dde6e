package misp

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestWordLists reads the embedded word lists as the importer does: a list
// that does not parse would make every import panic.
func TestWordLists(t *testing.T) {
	lx, err := readLexicon(wordFiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		list  string
		words map[string]bool
		want  []string
	}{
		{"first-names.txt", lx.firstNames, []string{"donald", "sergei", "kim"}},
		{"generic.txt", lx.generic, []string{"ransomware", "unknown", "win32"}},
		{"ordinary.txt", lx.ordinary, []string{"snake", "play", "medusa", "paris", "telegram", "yield", "donald"}},
	} {
		for _, w := range c.want {
			if !c.words[w] {
				t.Errorf("%s: no %q", c.list, w)
			}
		}
	}
	for w := range lx.firstNames {
		if !lx.ordinary[w] {
			t.Errorf("first name %q is not an ordinary word", w)
		}
	}
	if lx.ordinary["kinsing"] || lx.generic["lockbit"] {
		t.Error("coined names in the word lists")
	}
}

func TestParseWords(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // the words, sorted
		err        string
	}{
		{name: "comments and blank lines", data: "# header\n#\n\nalpha\n  beta  \r\n\n# section\nwin32\n", want: []string{"alpha", "beta", "win32"}},
		{name: "no final newline", data: "alpha\nbeta", want: []string{"alpha", "beta"}},
		{name: "empty", data: "# nothing yet\n", want: []string{}},
		{name: "capitals", data: "# h\nalpha\nBeta\n", err: `x.txt:3: "Beta" is not one word of lower-case letters and digits`},
		{name: "two words", data: "alpha beta\n", err: `x.txt:1: "alpha beta" is not one word of lower-case letters and digits`},
		{name: "punctuation", data: "state-backed\n", err: `x.txt:1: "state-backed" is not one word`},
		{name: "repeated", data: "alpha\nbeta\nalpha\n", err: `x.txt:3: "alpha" is already on line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words, err := parseWords("x.txt", []byte(tt.data))
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q...", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(words) != len(tt.want) {
				t.Errorf("%d words, want %v", len(words), tt.want)
			}
			for _, w := range tt.want {
				if !words[w] {
					t.Errorf("no %q", w)
				}
			}
		})
	}
}

func TestReadLexiconErrors(t *testing.T) {
	good := &fstest.MapFile{Data: []byte("alpha\n")}
	for _, tt := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"missing list", fstest.MapFS{"words/first-names.txt": good, "words/generic.txt": good}, "read word list: open words/ordinary.txt: file does not exist"},
		{"bad list", fstest.MapFS{"words/first-names.txt": good, "words/generic.txt": {Data: []byte("a b\n")}, "words/ordinary.txt": good}, `words/generic.txt:1: "a b"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readLexicon(tt.fsys)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want %q...", err, tt.want)
			}
		})
	}
}
