// Package fit fits the scoring models of a rule pack on labelled pages:
// each victim candidate (or actor) the extractor finds on a page is an
// example, positive when it is one of the page's gold victims (actors),
// and a logistic regression learns the weight of each feature and a
// threshold. The
// result is a scoring entry that "incidex rules fit" writes as YAML, so
// that the weights are data users can see, check and refit on their own
// labels.
//
// It must not read pages or labels itself (the command does) and holds no
// feature of its own: features are computed by package extract/incident.
package fit

import (
	"fmt"
	"math"
	"slices"

	"github.com/incidex/incidex/extract/incident"
	"github.com/incidex/incidex/internal/score"
	"github.com/incidex/incidex/rules"
)

// Page is one labelled page: the victim candidates and the actors the
// extractor finds on it, and its gold labels.
type Page struct {
	Candidates []incident.Candidate
	Actors     []incident.Candidate
	Gold       score.Gold
}

// Options tune the regression. The zero value takes the defaults.
type Options struct {
	Iterations int     // gradient steps; default 4000
	Rate       float64 // step size; default 0.5
	L2         float64 // penalty on the weights (not the bias); default 0.01
}

func (o Options) withDefaults() Options {
	if o.Iterations <= 0 {
		o.Iterations = 4000
	}
	if o.Rate <= 0 {
		o.Rate = 0.5
	}
	if o.L2 <= 0 {
		o.L2 = 0.01
	}
	return o
}

// Report says what a fit was made of and how the model does on its own
// training pages.
type Report struct {
	Role                       string
	Pages, Examples, Positives int
	// Unreachable counts the gold names no candidate matched: what no
	// threshold can find.
	Gold, Unreachable int
	Threshold         float64
	// Counts are the training examples kept and left at the threshold,
	// counted as the corpus scorer counts found and missed names.
	score.Counts
}

// String is the report in one line.
func (r Report) String() string {
	return fmt.Sprintf("%s model: %d pages, %d candidates (%d right); %d of %d gold %ss have no candidate; at threshold %.2f: precision %.3f, recall %.3f",
		r.Role, r.Pages, r.Examples, r.Positives, r.Unreachable, r.Gold, r.Role, r.Threshold, r.P(), r.R())
}

// Victims fits the victim model on pages. A candidate is positive when it
// matches a gold victim (as the corpus scorer matches names), negative
// otherwise; one that matches an optional victim is left out. Every
// example a victim rule named is also learnt as if no rule had: the next
// article words it differently, and the other evidence must then carry
// the decision. The threshold is the one, in steps of 0.01, that gives the
// best F1 on the training pages' victims, where those the rules name are
// kept whatever their score (as the extractor does).
func Victims(pages []Page, opts Options) (*rules.Scoring, Report) {
	return fitRole("victim", rules.VictimFeatures, pages, opts, func(p Page) ([]incident.Candidate, []string, []string) {
		var gold []string
		for _, inc := range p.Gold.Incidents {
			gold = append(gold, inc.Victims...)
		}
		return p.Candidates, gold, p.Gold.Optional.Victims
	}, []string{"pattern", "headline_pattern"})
}

// Actors fits the actor model on pages: every actor the rules find is an
// example, positive when it matches a gold actor; one that matches an
// optional actor is left out. Its score is reported as the actor's
// confidence; the threshold of best F1 is written but the extractor keeps
// every actor the rules find.
func Actors(pages []Page, opts Options) (*rules.Scoring, Report) {
	return fitRole("actor", rules.ActorFeatures, pages, opts, func(p Page) ([]incident.Candidate, []string, []string) {
		var gold []string
		for _, inc := range p.Gold.Incidents {
			gold = append(gold, inc.Actors...)
		}
		return p.Actors, gold, p.Gold.Optional.Actors
	}, nil)
}

// fitRole fits the model of a role. examples gives a page's candidates
// for the role, its gold names and its optional names; each candidate
// with one of the features in ruleFeatures is also learnt without them.
func fitRole(role string, features []string, pages []Page, opts Options,
	examples func(Page) (cands []incident.Candidate, gold, optional []string), ruleFeatures []string) (*rules.Scoring, Report) {
	var ruleAt []int
	for _, f := range ruleFeatures {
		ruleAt = append(ruleAt, slices.Index(features, f))
	}
	var (
		xs, copies  [][]float64 // the examples, and copies without the rule features
		ys, copyYs  []bool
		ruled, able []bool // per example: kept whatever its score; kept when its score reaches the threshold
		rep         Report
	)
	for _, p := range pages {
		rep.Pages++
		cands, gold, optional := examples(p)
		rep.Gold += len(gold)
		found := make([]bool, len(gold))
		for _, c := range cands {
			positive := false
			for i, g := range gold {
				if score.Matches(c.Name, c.Aliases, g) {
					positive, found[i] = true, true
				}
			}
			if !positive && slices.ContainsFunc(optional, func(g string) bool { return score.Matches(c.Name, c.Aliases, g) }) {
				continue
			}
			x := make([]float64, len(features))
			for i, f := range features {
				x[i] = c.Features[f]
			}
			xs, ys = append(xs, x), append(ys, positive)
			ruled, able = append(ruled, c.Ruled), append(able, c.Eligible)
			if positive {
				rep.Positives++
			}
			if slices.ContainsFunc(ruleAt, func(i int) bool { return x[i] != 0 }) {
				y := slices.Clone(x)
				for _, i := range ruleAt {
					y[i] = 0
				}
				copies, copyYs = append(copies, y), append(copyYs, positive)
			}
		}
		for _, ok := range found {
			if !ok {
				rep.Unreachable++
			}
		}
	}
	rep.Role, rep.Examples = role, len(xs)
	if len(xs) == 0 {
		// Nothing to learn from: a model of zero weights, which scores
		// every candidate 0.5, and says so in the report.
		sc := &rules.Scoring{ID: role, Threshold: 0.5}
		for _, f := range features {
			sc.Weights = append(sc.Weights, rules.Weight{Feature: f})
		}
		rep.Threshold = 0.5
		return sc, rep
	}
	bias, w := Logistic(append(slices.Clone(xs), copies...), append(slices.Clone(ys), copyYs...), opts)
	rep.Threshold, rep.TP, rep.FP, rep.FN = bestThreshold(xs, ys, ruled, able, bias, w)
	sc := &rules.Scoring{ID: role, Threshold: rep.Threshold, Bias: round4(bias)}
	for i, f := range features {
		sc.Weights = append(sc.Weights, rules.Weight{Feature: f, Value: round4(w[i])})
	}
	return sc, rep
}

// Logistic fits a logistic regression by gradient descent: deterministic,
// the same weights for the same examples.
func Logistic(xs [][]float64, ys []bool, opts Options) (bias float64, w []float64) {
	opts = opts.withDefaults()
	if len(xs) == 0 {
		return 0, nil
	}
	d := len(xs[0])
	w = make([]float64, d)
	n := float64(len(xs))
	grad := make([]float64, d)
	for it := 0; it < opts.Iterations; it++ {
		clear(grad)
		gb := 0.0
		for i, x := range xs {
			err := sigmoid(bias+dot(w, x)) - label(ys[i])
			gb += err
			for j, v := range x {
				grad[j] += err * v
			}
		}
		bias -= opts.Rate * gb / n
		for j := range w {
			w[j] -= opts.Rate * (grad[j]/n + opts.L2*w[j])
		}
	}
	return bias, w
}

// bestThreshold returns the threshold of best F1 on the examples, and the
// counts there: an example is kept when ruled, or when able and its score
// reaches the threshold.
func bestThreshold(xs [][]float64, ys, ruled, able []bool, bias float64, w []float64) (th float64, tp, fp, fn int) {
	bestF := -1.0
	for step := 1; step <= 99; step++ {
		t := float64(step) * 0.01
		var a, b, c int
		for i, x := range xs {
			kept := ruled[i] || able[i] && sigmoid(bias+dot(w, x)) >= t
			switch {
			case kept && ys[i]:
				a++
			case kept:
				b++
			case ys[i]:
				c++
			}
		}
		if f := 2 * float64(a) / float64(max(1, 2*a+b+c)); f > bestF {
			bestF, th, tp, fp, fn = f, round4(t), a, b, c
		}
	}
	return th, tp, fp, fn
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func dot(w, x []float64) float64 {
	s := 0.0
	for i := range w {
		s += w[i] * x[i]
	}
	return s
}

func label(y bool) float64 {
	if y {
		return 1
	}
	return 0
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }
