package incident

import (
	"cmp"
	"math"
	"slices"

	"github.com/incidex/incidex/rules"
)

// maxCues is how many cues a victim or an actor reports.
const maxCues = 5

// model is a scoring model of the rule set, ready to score.
type model struct {
	bias, threshold float64
	features        []string // the role's features, in a fixed order
	weights         []float64
}

func newModel(sc *rules.Scoring, features []string) *model {
	if sc == nil {
		return nil
	}
	m := &model{bias: sc.Bias, threshold: sc.Threshold, features: features, weights: make([]float64, len(features))}
	for _, w := range sc.Weights {
		for i, f := range features {
			if f == w.Feature {
				m.weights[i] = w.Value
			}
		}
	}
	return m
}

// score is the logistic function of the bias plus the weighted features,
// summed in a fixed order so that a score is the same in every run.
func (m *model) score(x map[string]float64) float64 {
	z := m.bias
	for i, f := range m.features {
		z += m.weights[i] * x[f]
	}
	return 1 / (1 + math.Exp(-z))
}

// cues are the features that raised a score most, the largest share
// first and at most maxCues: what decided for the candidate.
func (m *model) cues(x map[string]float64) []string {
	type share struct {
		feature string
		value   float64
	}
	var shares []share
	for i, f := range m.features {
		if v := m.weights[i] * x[f]; v > 0 {
			shares = append(shares, share{f, v})
		}
	}
	slices.SortStableFunc(shares, func(a, b share) int { return cmp.Compare(b.value, a.value) })
	shares = shares[:min(len(shares), maxCues)]
	out := make([]string, len(shares))
	for i, s := range shares {
		out[i] = s.feature
	}
	return out
}
