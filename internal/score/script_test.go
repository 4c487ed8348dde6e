package score

import (
	"fmt"
	"io"
	"strings"
)

// The helpers below reproduce the script's own outputs byte for byte (its
// --json line, its --verbose lines, its way of reading plain strings and
// of keying records); the cross-check tests compare them with what the
// script prints. incidex prints its own formats (see cmd/incidex/eval.go).

// StringItems makes one alias-less Item per name, as a prediction that
// lists plain strings instead of objects is read.
func StringItems(names ...string) []Item {
	items := make([]Item, len(names))
	for i, n := range names {
		items[i] = Item{Name: n}
	}
	return items
}

// Predictions keys records by the base name of their Page, the way
// ReadPredictions keys the lines it reads: a later record for the same page
// replaces an earlier one, and a record whose Page has an empty base name
// (such as "" or "dir/") is dropped.
func Predictions(records ...Record) map[string]Record {
	preds := make(map[string]Record, len(records))
	for _, r := range records {
		if key := baseName(r.Page); key != "" {
			preds[key] = r
		}
	}
	return preds
}

// WriteJSON writes the script's --json line byte for byte.
func (r Result) WriteJSON(w io.Writer) error {
	var b strings.Builder
	b.WriteString("{")
	for _, f := range r.fieldCounts() {
		fmt.Fprintf(&b, `"%s": {"p": %s, "r": %s, "f": %s, "tp": %d, "fp": %d, "fn": %d}, `,
			f.name, pyFloat(f.c.P()), pyFloat(f.c.R()), pyFloat(f.c.F1()), f.c.TP, f.c.FP, f.c.FN)
	}
	fmt.Fprintf(&b, `"linkage": %s, "status": %s, "nonincident_clean": "%s", "missing_pages": %d, "bad_lines": %d, "macro_f1": %s}`+"\n",
		pyFloat(r.Linkage.Value()), pyFloat(r.Status.Value()), r.nonIncidentClean(), len(r.MissingPages), r.BadLines, pyFloat(r.MacroF1()))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDetails writes what the script's --verbose adds on stderr: every
// detail line, then "no output for PAGE" for each missing page, each
// indented by two spaces.
func (r Result) WriteDetails(w io.Writer) error {
	var b strings.Builder
	for _, d := range r.Details {
		b.WriteString("  " + d + "\n")
	}
	for _, m := range r.MissingPages {
		b.WriteString("  no output for " + m + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
