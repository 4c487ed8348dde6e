package extract_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestOutputMatchesSchema validates the records of every test page (and of
// the corpus pages, when ../shared is there) against the published JSON
// Schema in schema/incidex-v1.schema.json, and checks that the schema rejects
// a broken record, so that the check itself can fail.
func TestOutputMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("..", "schema", "incidex-v1.schema.json"))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	validate := func(name string, data []byte) error {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return sch.Validate(v)
	}

	x := extracttest.Default(t)
	checked := 0
	for _, path := range testPages(t) {
		page, err := source.ReadFile(path, 0)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Page(page)
		if err != nil {
			continue
		}
		data, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(path, data); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		checked++
	}
	// An attack whose victims go unnamed: an incident with no victims.
	text := "The LockBit ransomware gang has been exploiting CVE-2023-4966 to break into hospitals, officials warned."
	res := x.Article(&article.Article{Input: "t", Title: "LockBit gang exploits Citrix flaw", Paragraphs: []string{text}, Text: text})
	if len(res.Incidents) != 1 || len(res.Incidents[0].Victims) != 0 {
		t.Fatalf("want one incident without victims, got %+v", res.Incidents)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate("incident without victims", data); err != nil {
		t.Errorf("incident without victims: %v", err)
	}
	if checked < 10 {
		t.Fatalf("validated %d records, want at least 10", checked)
	}
	// A page built to blow up records: every list and every evidence list
	// is cut, with its count, and the record still follows the schema.
	page, err := source.FromBytes("dense.html", "", densePage(2<<20), 0)
	if err != nil {
		t.Fatal(err)
	}
	dense, err := x.Page(page)
	if err != nil {
		t.Fatal(err)
	}
	if data, err = json.Marshal(dense); err != nil {
		t.Fatal(err)
	}
	if err := validate("dense page", data); err != nil {
		t.Errorf("dense page: %v", err)
	}
	cut := 0
	for _, inc := range dense.Incidents {
		for _, tl := range inc.Tooling {
			if tl.EvidenceCount > 0 {
				cut++
			}
		}
	}
	if cut == 0 || dense.IncidentsOmitted == 0 || len(data) > 8<<20 {
		t.Errorf("dense page: %d evidence lists cut, %d incidents left out, a %d-byte record; want some of each and under 8 MB", cut, dense.IncidentsOmitted, len(data))
	}
	if err := validate("error record", []byte(`{"input":"x.html","error":"no such file"}`)); err != nil {
		t.Errorf("error record: %v", err)
	}
	bad := []byte(`{"schema":"incidex/v1","input":"x","title":"t","incidents":[{"id":"abc","status":"maybe","victims":[],"actors":[],"tooling":[],"impacts":[],"responders":[],"confidence":2}]}`)
	if validate("broken record", bad) == nil {
		t.Error("the schema accepts a broken record")
	}
}
