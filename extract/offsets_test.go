package extract_test

import (
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
)

// TestEvidenceOffsetsAreUTF8Bytes checks what the README promises of
// evidence offsets: start and end are UTF-8 byte offsets into the text
// "incidex article" prints, so that text[start:end] in Go (bytes) is the
// sentence, while character offsets would miss it on a page with accented
// letters and curly quotes before the sentence.
func TestEvidenceOffsetsAreUTF8Bytes(t *testing.T) {
	page, err := source.ReadFile(filepath.Join("..", "testdata", "wordpress.html"), 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Parse(page, article.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := extracttest.Default(t).Article(a)
	var evs []record.Evidence
	for _, inc := range r.Incidents {
		for _, v := range inc.Victims {
			evs = append(evs, v.Evidence...)
		}
		for _, im := range inc.Impacts {
			evs = append(evs, im.Evidence...)
		}
	}
	if len(evs) == 0 {
		t.Fatal("no evidence to check")
	}
	after := 0 // sentences with multi-byte characters before them
	for _, ev := range evs {
		if a.Text[ev.Start:ev.End] != ev.Text {
			t.Errorf("text[%d:%d] = %q, evidence %q", ev.Start, ev.End, a.Text[ev.Start:ev.End], ev.Text)
		}
		if chars := utf8.RuneCountInString(a.Text[:ev.Start]); chars != ev.Start {
			after++
			runes := []rune(a.Text)
			if string(runes[chars:chars+utf8.RuneCountInString(ev.Text)]) != ev.Text {
				t.Errorf("character offsets [%d:...] do not give the sentence either", chars)
			}
		}
	}
	if after == 0 {
		t.Error("no evidence follows a multi-byte character: the page no longer tells bytes from characters")
	}
}
