package merge

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestMergedMatchesSchema validates merged incidents against the published
// schema (schema/incidex-merged-v1.schema.json): those of synthetic records
// (with evidence cut to ten), of the test pages and of the labelled merge
// set when it is there; and checks that the schema rejects a broken one,
// so that the check itself can fail.
func TestMergedMatchesSchema(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "schema", "incidex-merged-v1.schema.json"))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	validate := func(data []byte) error {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return sch.Validate(v)
	}
	m := newMerger(t, Options{})
	records := synthRecords(500, 6)
	for i := range 12 {
		// One victim in twelve articles: its evidence is cut to ten.
		records = append(records, article("acme"+string(rune('a'+i)), "2025-03-0"+string(rune('1'+i%9)), incident(victims("Acme Foods"))))
	}
	pages, _ := filepath.Glob(filepath.Join("..", "testdata", "*.html"))
	labelled, _ := filepath.Glob(filepath.Join(labelledDir, "pages", "*.html"))
	x := extracttest.Default(t)
	for _, p := range append(pages, labelled...) {
		page, err := source.ReadFile(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := x.Page(page); err == nil {
			records = append(records, r)
		}
	}
	merged := m.Merge(records)
	capped := 0
	for _, mg := range merged {
		data, err := json.Marshal(mg)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(data); err != nil {
			t.Errorf("%s: %v", mg.ID, err)
		}
		if len(mg.Victims) > 0 && mg.Victims[0].EvidenceCount > 0 {
			capped++
		}
	}
	if len(merged) < 100 || capped == 0 {
		t.Errorf("validated %d merged incidents, %d with evidence cut; want 100 and some", len(merged), capped)
	}
	broken := record.Merged{Schema: record.MergedSchemaVersion, ID: "xyz", Status: "maybe"}
	data, _ := json.Marshal(broken)
	if validate(data) == nil {
		t.Error("the schema accepts a broken merged incident")
	}
}
