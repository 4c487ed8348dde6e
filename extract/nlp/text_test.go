package nlp

import (
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want string // tokens joined by |
	}{
		{"Marks & Spencer was hit.", "Marks|&|Spencer|was|hit|."},
		{"M&S's online orders", "M&S|'s|online|orders"},
		{"The Co-op said", "The|Co-op|said"},
		{"the U.S. Treasury", "the|U.S.|Treasury"},
		{"CVE-2023-4966 (Citrix Bleed)", "CVE-2023-4966|(|Citrix|Bleed|)"},
		{"500,000 customers, and more", "500,000|customers|,|and|more"},
		{"$4.5 million", "$|4.5|million"},
		{"Lapsus$ members", "Lapsus$|members"},
		{"Optus’ systems", "Optus|’|systems"},
		{"“We are investigating,” she said.", "“|We|are|investigating|,|”|she|said|."},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, tk := range Tokenize(tt.in) {
				got = append(got, tk.Text)
			}
			if g := strings.Join(got, "|"); g != tt.want {
				t.Errorf("Tokenize(%q) = %s, want %s", tt.in, g, tt.want)
			}
		})
	}
}

func TestSplitSentences(t *testing.T) {
	paras := []string{
		"Mr. Smith said the U.S. Treasury was hit. It was bad! Was it? “Yes,” he said.",
		"J. Doe of Acme Inc. confirmed on Jan. 5 that 3.5 million records leaked. Police are investigating.",
	}
	want := []string{
		"Mr. Smith said the U.S. Treasury was hit.", "It was bad!", "Was it?", "“Yes,” he said.",
		"J. Doe of Acme Inc. confirmed on Jan. 5 that 3.5 million records leaked.", "Police are investigating.",
	}
	got := NewSplitter([]string{"mr", "inc", "jan", "u.s"}).Split(paras)
	text := strings.Join(paras, "\n\n")
	if len(got) != len(want) {
		for _, s := range got {
			t.Log(s.Text)
		}
		t.Fatalf("%d sentences, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Text != want[i] {
			t.Errorf("sentence %d = %q, want %q", i, s.Text, want[i])
		}
		if text[s.Start:s.End] != s.Text {
			t.Errorf("sentence %d offsets [%d:%d] give %q", i, s.Start, s.End, text[s.Start:s.End])
		}
	}
}

func TestSplitWithoutAbbreviations(t *testing.T) {
	// Without the lexicon every full stop before a capital ends a
	// sentence, except after an initial.
	got := NewSplitter(nil).Split([]string{"Mr. Smith and J. Doe of Acme Inc. Police were told."})
	var texts []string
	for _, s := range got {
		texts = append(texts, s.Text)
	}
	want := []string{"Mr.", "Smith and J. Doe of Acme Inc.", "Police were told."}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("sentences = %q, want %q", texts, want)
	}
}

func TestLowerWordsAt(t *testing.T) {
	toks := Tokenize("Also known as BlackCat")
	for _, c := range []struct {
		i     int
		words []string
		want  bool
	}{
		{0, []string{"also", "known", "as"}, true},
		{1, []string{"known", "as", "blackcat"}, true},
		{0, []string{"Also"}, false}, // the words are lower case
		{2, []string{"as", "blackcat", "x"}, false},
		{-1, []string{"also"}, false},
	} {
		if got := LowerWordsAt(toks, c.i, c.words); got != c.want {
			t.Errorf("LowerWordsAt(%d, %q) = %v, want %v", c.i, c.words, got, c.want)
		}
	}
}
