package nlp

import (
	"strings"
	"sync"

	"github.com/jdkato/prose/v2"
)

// Tagger tags sentences with prose's averaged-perceptron tagger. Building
// prose's model decodes its weights (about 200 to 500 ms), so it happens once
// per process, on first use or in the background after Preload, and only the
// sentences whose reading depends on a tag are tagged: prose tags some
// 130,000 tokens/s without entity extraction and ten times fewer with it, so
// tagging every sentence of every article would dominate the run time.
type Tagger struct {
	once  sync.Once
	model *prose.Model
}

// Load builds the model now, if it is not built yet (benchmarks call it so
// that the one-time load is not timed).
func (p *Tagger) Load() {
	p.once.Do(func() { p.model = prose.ModelFromData("incidex") })
}

// Preload starts building the model in the background.
func (p *Tagger) Preload() { go p.Load() }

// Tag sets the Tag of each token of s from prose's tokens, aligning the two
// tokenisations by their text. A sentence is tagged once; later calls
// return at once.
func (p *Tagger) Tag(s *Sentence) {
	if s.tagged {
		return
	}
	s.tagged = true
	p.Load()
	doc, err := prose.NewDocument(s.Text, prose.UsingModel(p.model),
		prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		return
	}
	cursor := 0
	ti := 0
	for _, pt := range doc.Tokens() {
		at := strings.Index(s.Text[cursor:], pt.Text)
		if at < 0 {
			continue
		}
		pos := cursor + at
		cursor = pos + len(pt.Text)
		for ti < len(s.Tokens) && s.Tokens[ti].Start+len(s.Tokens[ti].Text) <= pos {
			ti++
		}
		if ti < len(s.Tokens) && s.Tokens[ti].Start <= pos && s.Tokens[ti].Tag == "" {
			s.Tokens[ti].Tag = pt.Tag
		}
	}
}

// People returns the texts that prose's entity model labels PERSON in s.
// Entity extraction runs at about a tenth of the tagger's speed, so it is
// asked only about names that could be a person or an organisation.
func (p *Tagger) People(s *Sentence) []string {
	p.Load()
	doc, err := prose.NewDocument(s.Text, prose.UsingModel(p.model), prose.WithSegmentation(false))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range doc.Entities() {
		if e.Label == "PERSON" {
			out = append(out, e.Text)
		}
	}
	return out
}
