package fit

import (
	"math"
	"testing"

	"github.com/incidex/incidex/extract/incident"
	"github.com/incidex/incidex/internal/score"
)

func TestLogisticLearnsTheSignal(t *testing.T) {
	// y is x0; x1 is noise that agrees with y half the time.
	var xs [][]float64
	var ys []bool
	for i := 0; i < 40; i++ {
		y := i%2 == 0
		x0 := 0.0
		if y {
			x0 = 1
		}
		xs = append(xs, []float64{x0, float64(i / 2 % 2)})
		ys = append(ys, y)
	}
	bias, w := Logistic(xs, ys, Options{})
	if w[0] < 2 || math.Abs(w[1]) > 0.5 {
		t.Errorf("weights %v, want a large weight on x0 and about 0 on x1", w)
	}
	if p := sigmoid(bias + w[0]); p < 0.8 {
		t.Errorf("score of a positive = %.2f, want over 0.8", p)
	}
	if p := sigmoid(bias); p > 0.2 {
		t.Errorf("score of a negative = %.2f, want under 0.2", p)
	}
	// Deterministic: the same examples give the same weights.
	bias2, w2 := Logistic(xs, ys, Options{})
	if bias2 != bias || w2[0] != w[0] || w2[1] != w[1] {
		t.Errorf("second fit %v %v, first %v %v", bias2, w2, bias, w)
	}
}

func TestVictimsLabelsAndThreshold(t *testing.T) {
	cand := func(name string, features map[string]float64, ruled bool) incident.Candidate {
		return incident.Candidate{Name: name, Features: features, Ruled: ruled, Eligible: true}
	}
	var pages []Page
	for i := 0; i < 10; i++ {
		pages = append(pages, Page{
			Candidates: []incident.Candidate{
				cand("Acme Bank", map[string]float64{"headline": 1, "passive_hit": 1}, false),
				cand("Police Scotland", map[string]float64{"response": 1}, false),
				cand("Dana Mills", map[string]float64{"person": 1}, false),
				cand("Optional Corp", map[string]float64{"headline": 1}, false),
			},
			Gold: score.Gold{
				Incidents: []score.GoldIncident{{Victims: []string{"Acme Bank|Acme"}}},
				Optional:  score.GoldOptional{Victims: []string{"Optional Corp"}},
			},
		})
	}
	pages[0].Gold.Incidents[0].Victims = append(pages[0].Gold.Incidents[0].Victims, "Nowhere Ltd")
	model, rep := Victims(pages, Options{})
	if rep.Pages != 10 || rep.Examples != 30 || rep.Positives != 10 || rep.Gold != 11 || rep.Unreachable != 1 {
		t.Errorf("report %+v: want 10 pages, 30 examples (the optional name left out), 10 right, 1 of 11 gold unreachable", rep)
	}
	if rep.TP != 10 || rep.FP != 0 || rep.FN != 0 {
		t.Errorf("at threshold %.2f: tp %d fp %d fn %d, want every victim and nothing else", rep.Threshold, rep.TP, rep.FP, rep.FN)
	}
	if model.ID != "victim" || len(model.Weights) == 0 {
		t.Fatalf("model %+v", model)
	}
	weight := map[string]float64{}
	for _, w := range model.Weights {
		weight[w.Feature] = w.Value
	}
	if weight["passive_hit"] <= 0 || weight["person"] >= 0 {
		t.Errorf("weights %v: want passive_hit positive and person negative", weight)
	}
}

func TestActors(t *testing.T) {
	pages := []Page{{
		Actors: []incident.Candidate{
			{Name: "LockBit", Features: map[string]float64{"dictionary": 1, "claimed": 1}, Eligible: true},
			{Name: "Details", Features: map[string]float64{"single_word": 1}, Eligible: true},
		},
		Gold: score.Gold{Incidents: []score.GoldIncident{{Actors: []string{"LockBit|LockBit 3.0"}}}},
	}}
	model, rep := Actors(pages, Options{})
	if model.ID != "actor" || rep.Examples != 2 || rep.Positives != 1 || rep.Role != "actor" {
		t.Errorf("model %s, report %+v: want the actor model from 2 examples, 1 right", model.ID, rep)
	}
}

func TestNoExamples(t *testing.T) {
	pages := []Page{{Gold: score.Gold{Incidents: []score.GoldIncident{{Actors: []string{"LockBit"}}}}}}
	model, rep := Actors(pages, Options{})
	if model.ID != "actor" || len(model.Weights) == 0 || model.Bias != 0 || rep.Examples != 0 || rep.Unreachable != 1 {
		t.Errorf("model %+v, report %+v: want zero weights, no examples, one unreachable actor", model, rep)
	}
}
