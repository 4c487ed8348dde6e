package stix

import (
	"bytes"
	"slices"
	"testing"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/merge"
	"github.com/incidex/incidex/rules"
)

// mergedOf merges records with the default rules.
func mergedOf(tb testing.TB, records []*record.Result) []record.Merged {
	tb.Helper()
	set, err := rules.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return merge.New(set, merge.Options{}).Merge(records)
}

// mergedBundle is the bundle of merged incidents, indented.
func mergedBundle(tb testing.TB, list []record.Merged) []byte {
	tb.Helper()
	b := NewBundle(Options{Fallback: fallback})
	for i := range list {
		b.AddMerged(&list[i])
	}
	data, err := b.Encode("  ")
	if err != nil {
		tb.Fatalf("encode: %v", err)
	}
	return data
}

// TestMergedBundlesValidate converts the merged incidents of the test
// pages and the hand-built records, each alone and all in one bundle, and
// checks them as TestBundlesValidate checks articles' bundles.
func TestMergedBundlesValidate(t *testing.T) {
	v := newValidator(t, schemaDir)
	pages, corpus := testPages(t)
	records := append(pageRecords(t, append(pages, corpus...)), handRecords()...)
	// The hand-built records again, as a later article: their incidents
	// get two sources each.
	for _, r := range handRecords() {
		c := *r
		c.Input, c.URL, c.CanonicalURL, c.Title = c.Input+"-followup", c.URL+"/followup", "", c.Title+" (follow-up)"
		records = append(records, &c)
	}
	merged := mergedOf(t, records)
	check := func(name string, data []byte) {
		t.Helper()
		_, errs := v.schemaErrors(data)
		errs = append(errs, v.ruleErrors(data)...)
		for _, err := range errs {
			t.Errorf("%s: %v", name, err)
		}
	}
	multi := 0
	for i := range merged {
		data, err := EncodeMerged(&merged[i], Options{Fallback: fallback})
		if err != nil {
			t.Fatal(err)
		}
		check(merged[i].ID, data)
		if len(merged[i].Sources) > 1 {
			multi++
		}
	}
	check("all", mergedBundle(t, merged))
	if multi == 0 {
		t.Error("no merged incident has two sources")
	}
}

// TestMergedMapping checks what a merged incident becomes: one incident,
// a report per source with the id of the article's report in extract's
// bundles, referring to the incident; evidence naming its report.
func TestMergedMapping(t *testing.T) {
	first, later := handRecords()[0], *handRecords()[0]
	later.Input, later.URL, later.CanonicalURL, later.Published = "later.html", "https://news.example/later", "", "2025-05-20T09:00:00Z"
	merged := mergedOf(t, []*record.Result{first, &later})
	var target *record.Merged
	for i := range merged {
		if len(merged[i].Sources) == 2 {
			target = &merged[i]
		}
	}
	if target == nil {
		t.Fatalf("no incident with both sources: %d incidents", len(merged))
	}
	objects := objectsOf(t, mergedBundle(t, []record.Merged{*target}))
	extract := objectsOf(t, bundleOf(t, []*record.Result{first}))
	var incidents, reports []map[string]any
	for _, o := range objects {
		switch o["type"] {
		case "incident":
			incidents = append(incidents, o)
		case "report":
			reports = append(reports, o)
		}
	}
	if len(incidents) != 1 || len(reports) != 2 {
		t.Fatalf("%d incidents, %d reports; want 1 and 2", len(incidents), len(reports))
	}
	inc := incidents[0]
	if inc["x_incidex_id"] != target.ID || len(inc["x_incidex_sources"].([]any)) != 2 {
		t.Errorf("incident %v", inc)
	}
	for _, r := range reports {
		if !slices.Contains(toStrings(r["object_refs"]), inc["id"].(string)) {
			t.Errorf("report %s does not refer to the incident", r["id"])
		}
	}
	shared := 0
	for id, o := range extract {
		if o["type"] == "report" && objects[id] != nil {
			shared++
		}
	}
	if shared != 1 {
		t.Errorf("%d reports share the id of the article's report in extract's bundle, want 1", shared)
	}
	found := false
	for _, o := range objects {
		if o["type"] == "relationship" && o["relationship_type"] == "targets" {
			list, _ := o["x_incidex_evidence"].([]any)
			for _, e := range list {
				m := e.(map[string]any)
				found = found || (m["source"] != nil && objects[m["report_ref"].(string)] != nil)
			}
		}
	}
	if !found {
		t.Error("no evidence names its source's report")
	}
	// The same merged incidents in another order make the same bytes.
	rev := slices.Clone(merged)
	slices.Reverse(rev)
	if !bytes.Equal(mergedBundle(t, merged), mergedBundle(t, rev)) {
		t.Error("the bundle depends on the order of the merged incidents")
	}
}
