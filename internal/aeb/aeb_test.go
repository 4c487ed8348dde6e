package aeb

import (
	"math"
	"testing"
)

func TestScorePage(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred string
		p, r        float64
	}{
		{"identical", "one two three four five", "one two three four five", 1, 1},
		{"punctuation and case of spacing ignored", "one, two. three four", "one two three  four", 1, 1},
		{"empty prediction", "one two three four", "", 0, 0},
		{"half extra", "a b c d e", "a b c d e z y x w", 1.0 / 3, 1},
		{"short texts are one shingle", "a b", "a b", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scorePage(tt.truth, tt.pred)
			if math.Abs(s.Precision-tt.p) > 1e-9 || math.Abs(s.Recall-tt.r) > 1e-9 {
				t.Errorf("scorePage = p %.3f r %.3f, want p %.3f r %.3f", s.Precision, s.Recall, tt.p, tt.r)
			}
		})
	}
}

func TestScoreAverages(t *testing.T) {
	pages := []Page{{ID: "a", Body: "one two three four"}, {ID: "b", Body: "five six seven eight"}}
	res := Score(pages, map[string]string{"a": "one two three four"})
	// Precision is averaged over pages with output (1 of them), recall over all.
	if res.Precision != 1 || res.Recall != 0.5 {
		t.Errorf("Score = p %.3f r %.3f, want p 1 r 0.5", res.Precision, res.Recall)
	}
}
