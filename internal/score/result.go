package score

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Counts are true positives, false positives and false negatives.
type Counts struct {
	TP, FP, FN int
}

// P is the precision rounded to three decimals, as the script reports it
// (0 when there is nothing to divide by).
func (c Counts) P() float64 { return round3(c.p()) }

// R is the recall rounded to three decimals.
func (c Counts) R() float64 { return round3(c.r()) }

// F1 is the harmonic mean of the unrounded precision and recall, rounded
// to three decimals.
func (c Counts) F1() float64 {
	p, r := c.p(), c.r()
	if p+r == 0 {
		return 0
	}
	return round3(2 * p * r / (p + r))
}

func (c Counts) p() float64 { return ratio(c.TP, c.TP+c.FP) }
func (c Counts) r() float64 { return ratio(c.TP, c.TP+c.FN) }

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// Ratio counts how many of All checks were OK.
type Ratio struct {
	OK, All int
}

// Value is OK/All rounded to three decimals, 0 when All is 0.
func (r Ratio) Value() float64 { return round3(ratio(r.OK, r.All)) }

// Result holds the scores of a set of predictions.
type Result struct {
	// ExhaustivePages counts the gold pages that the figures from Victims
	// to NonIncidentClean cover: those whose gold is exhaustive. The pages
	// whose gold is not are in RecallOnly.
	ExhaustivePages int
	// Victims, Actors and Tooling count entities matched by name, per page.
	Victims, Actors, Tooling Counts
	// Impacts counts impact kinds of the predicted incidents whose victim
	// matched a gold incident's victim.
	Impacts Counts
	// Linkage counts gold actors found in a predicted incident whose victim
	// matched theirs.
	Linkage Ratio
	// Status counts gold incidents with a victim whose status some matching
	// predicted incident got right.
	Status Ratio
	// NonIncidentPages counts gold pages without incidents, and
	// NonIncidentClean those of them with no predicted incident.
	NonIncidentPages, NonIncidentClean int
	// RecallOnly scores the pages whose gold is not exhaustive.
	RecallOnly RecallOnly
	// MissingPages lists gold pages without a prediction, in gold order,
	// whether their gold is exhaustive or not.
	MissingPages []string
	// BadLines is the number of prediction lines that were not JSON. Score
	// leaves it 0; set it from ReadPredictions.
	BadLines int
	// Details are the misses, false hits and unlinked actors, one line each,
	// such as "page.html: missed victim 'acme'"; only misses for a page
	// whose gold is not exhaustive.
	Details []string
}

// RecallOnly holds the figures of the pages whose gold is not exhaustive
// (Gold.NotExhaustive). A find the labels leave out may still be right
// there, so only the labels found (TP) and missed (FN) are counted, by the
// same rules as Result's counts; FP stays 0, and only recall means anything.
type RecallOnly struct {
	// Pages counts the gold pages scored here.
	Pages int
	// Victims, Actors, Tooling and Impacts count TP and FN as the fields
	// of Result with the same names do.
	Victims, Actors, Tooling, Impacts Counts
}

// fieldCounts pairs the field names with their counts, in the order of
// Result.fieldCounts.
func (r RecallOnly) fieldCounts() []fieldCount {
	return []fieldCount{{"victims", r.Victims}, {"actors", r.Actors}, {"tooling", r.Tooling}, {"impacts", r.Impacts}}
}

// JSON returns "pages" and, for each of "victims", "actors", "tooling" and
// "impacts", an object with "r", "tp" and "fn". Unlike the script's
// figures, "r" is null for a field without labels (the CASIE gold labels no
// impacts), as a recall of 0 would read as every label missed.
func (r RecallOnly) JSON() map[string]any {
	m := map[string]any{"pages": r.Pages}
	for _, f := range r.fieldCounts() {
		var recall any
		if f.c.TP+f.c.FN > 0 {
			recall = f.c.R()
		}
		m[f.name] = map[string]any{"r": recall, "tp": f.c.TP, "fn": f.c.FN}
	}
	return m
}

// pageCount is "1 page" or "N pages".
func pageCount(n int) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}

// MacroF1 is the mean of the rounded F1 of victims, actors and tooling,
// rounded to three decimals.
func (r Result) MacroF1() float64 {
	sum := 0.0
	for _, c := range []Counts{r.Victims, r.Actors, r.Tooling} {
		sum += c.F1()
	}
	return round3(sum / 3)
}

// fieldCount is a field's name in the script's output and its counts.
type fieldCount struct {
	name string
	c    Counts
}

// fieldCounts pairs the script's field names with their counts, in the
// script's order.
func (r Result) fieldCounts() []fieldCount {
	return []fieldCount{{"victims", r.Victims}, {"actors", r.Actors}, {"tooling", r.Tooling}, {"impacts", r.Impacts}}
}

// JSON returns the figures under the keys of the script's --json output:
// "victims", "actors", "tooling" and "impacts" (each with "p", "r", "f",
// "tp", "fp", "fn"), "linkage", "status", "nonincident_clean" ("clean/all"),
// "missing_pages", "bad_lines" and "macro_f1"; the tests' WriteJSON gives
// the script's exact bytes and key order.
//
// When some gold is not exhaustive it adds "exhaustive_pages" and
// "recall_only" (see RecallOnly.JSON), and when no gold is exhaustive the
// figures that need it, from "victims" to "macro_f1", are null rather than
// zeros that would read as a score.
func (r Result) JSON() map[string]any {
	m := map[string]any{}
	for _, f := range r.fieldCounts() {
		m[f.name] = map[string]any{
			"p": f.c.P(), "r": f.c.R(), "f": f.c.F1(),
			"tp": f.c.TP, "fp": f.c.FP, "fn": f.c.FN,
		}
	}
	m["linkage"] = r.Linkage.Value()
	m["status"] = r.Status.Value()
	m["nonincident_clean"] = r.nonIncidentClean()
	m["missing_pages"] = len(r.MissingPages)
	m["bad_lines"] = r.BadLines
	m["macro_f1"] = r.MacroF1()
	if r.RecallOnly.Pages > 0 {
		m["exhaustive_pages"] = r.ExhaustivePages
		m["recall_only"] = r.RecallOnly.JSON()
		if r.ExhaustivePages == 0 {
			for _, k := range []string{"victims", "actors", "tooling", "impacts", "linkage", "status", "nonincident_clean", "macro_f1"} {
				m[k] = nil
			}
		}
	}
	return m
}

func (r Result) nonIncidentClean() string {
	return fmt.Sprintf("%d/%d", r.NonIncidentClean, r.NonIncidentPages)
}

// WriteText writes the script's text report. When some gold is not
// exhaustive, a line "exhaustive gold (N pages):" heads that report and a
// recall-only block follows it, with "R=n/a" for a field without labels;
// when no gold is exhaustive, one line says so in the report's place,
// followed by missing_pages and bad_lines.
func (r Result) WriteText(w io.Writer) error {
	var b strings.Builder
	switch {
	case r.RecallOnly.Pages > 0 && r.ExhaustivePages == 0:
		b.WriteString("no exhaustive gold: every page is recall-only, so there is no precision, F1, macro_f1, linkage, status or nonincident_clean\n")
		fmt.Fprintf(&b, "missing_pages=%d bad_lines=%d\n", len(r.MissingPages), r.BadLines)
	case r.RecallOnly.Pages > 0:
		fmt.Fprintf(&b, "exhaustive gold (%s):\n", pageCount(r.ExhaustivePages))
		fallthrough
	default:
		for _, f := range r.fieldCounts() {
			fmt.Fprintf(&b, "%-9s P=%.3f R=%.3f F1=%.3f  (tp=%d fp=%d fn=%d)\n",
				f.name, f.c.P(), f.c.R(), f.c.F1(), f.c.TP, f.c.FP, f.c.FN)
		}
		fmt.Fprintf(&b, "linkage=%s status=%s nonincident_clean=%s missing_pages=%d bad_lines=%d\n",
			pyFloat(r.Linkage.Value()), pyFloat(r.Status.Value()), r.nonIncidentClean(), len(r.MissingPages), r.BadLines)
		fmt.Fprintf(&b, "macro_f1=%s\n", pyFloat(r.MacroF1()))
	}
	if r.RecallOnly.Pages > 0 {
		fmt.Fprintf(&b, "recall-only (%s, gold not exhaustive):\n", pageCount(r.RecallOnly.Pages))
		for _, f := range r.RecallOnly.fieldCounts() {
			recall := "n/a  " // no labels: nothing to find, nothing missed
			if f.c.TP+f.c.FN > 0 {
				recall = fmt.Sprintf("%.3f", f.c.R())
			}
			fmt.Fprintf(&b, "%-9s R=%s  (tp=%d fn=%d)\n", f.name, recall, f.c.TP, f.c.FN)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// round3 is Python's round(x, 3): the correctly rounded three-decimal
// string of x's exact binary value (ties to even), read back as a float.
func round3(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 3, 64), 64)
	return v
}

// pyFloat is Python's repr() of a float in [0, 1] with at most three
// decimals: the shortest digits that round-trip, with ".0" if integral.
func pyFloat(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}
