package incident_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// defaultExtractor builds the extractor of the default rule pack once for
// all tests: building it is cheap, loading prose's model is not.
var defaultExtractor = sync.OnceValues(func() (*extract.Extractor, error) {
	set, err := rules.Default()
	if err != nil {
		return nil, err
	}
	return extract.New(set), nil
})

func extractor(tb testing.TB) *extract.Extractor {
	tb.Helper()
	x, err := defaultExtractor()
	if err != nil {
		tb.Fatalf("default rules: %v", err)
	}
	return x
}

// readPage reads and parses one HTML file the way the CLI does, naming it
// by its base name.
func readPage(tb testing.TB, path string) (*article.Article, error) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := source.FromBytes(filepath.Base(path), "", data, 0)
	if err != nil {
		return nil, err
	}
	return article.Parse(p, article.Options{})
}

// TestGoldenIncidents compares the incidents of every test page with
// testdata/<page>.incidents.golden.json (rewrite with go test ./extract/incident -run
// GoldenIncidents -update and review the diff).
func TestGoldenIncidents(t *testing.T) {
	x := extractor(t)
	pages, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.html"))
	if len(pages) < 10 {
		t.Fatalf("found %d test pages", len(pages))
	}
	for _, page := range pages {
		name := strings.TrimSuffix(filepath.Base(page), ".html")
		t.Run(name, func(t *testing.T) {
			a, err := readPage(t, page)
			if errors.Is(err, article.ErrNoText) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := x.Article(a)
			checkEvidence(t, a, r)
			compareGoldenValue(t, name+".incidents.golden.json", r)
		})
	}
}

// checkEvidence verifies that every evidence item quotes the article text
// at its offsets.
func checkEvidence(t *testing.T, a *article.Article, r *record.Result) {
	t.Helper()
	check := func(what string, evs []record.Evidence) {
		if len(evs) == 0 {
			t.Errorf("%s has no evidence", what)
		}
		for _, ev := range evs {
			if ev.Start < 0 || ev.End > len(a.Text) || ev.Start > ev.End || a.Text[ev.Start:ev.End] != ev.Text {
				t.Errorf("%s: evidence [%d:%d] does not quote the text: %q", what, ev.Start, ev.End, ev.Text)
			}
			if ev.Rule == "" {
				t.Errorf("%s: evidence without a rule", what)
			}
		}
	}
	for _, inc := range r.Incidents {
		for _, v := range inc.Victims {
			check("victim "+v.Name, v.Evidence)
		}
		for _, v := range inc.Actors {
			check("actor "+v.Name, v.Evidence)
		}
		for _, v := range inc.Tooling {
			check("tool "+v.Name, v.Evidence)
		}
		for _, v := range inc.Impacts {
			check("impact "+v.Kind, v.Evidence)
		}
		for _, v := range inc.Responders {
			check("responder "+v.Name, v.Evidence)
		}
	}
}

// TestExtractDeterministic runs a page twice: the output must not depend on
// map order or on state left by an earlier article.
func TestExtractDeterministic(t *testing.T) {
	x := extractor(t)
	a, err := readPage(t, filepath.Join("..", "..", "testdata", "weekly-roundup.html"))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := json.Marshal(x.Article(a))
	b, _ := readPage(t, filepath.Join("..", "..", "testdata", "classic-news.html"))
	x.Article(b)
	second, _ := json.Marshal(x.Article(a))
	if !bytes.Equal(first, second) {
		t.Error("two runs over the same page differ")
	}
}

// compareGoldenValue compares v, as indented JSON, with testdata/name.
func compareGoldenValue(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./extract/incident -run Golden -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output differs from %s (run go test ./extract/incident -run Golden -update and review the diff)\n%s", name, "(temporary)")
	}
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
