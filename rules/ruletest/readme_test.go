package ruletest_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/rules"
)

// yamlBlock is the first YAML code block of a Markdown file.
var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// readmePack is the complete example pack of rules/README.md.
func readmePack(t *testing.T) *rules.Pack {
	t.Helper()
	doc, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := yamlBlock.FindSubmatch(doc)
	if m == nil {
		t.Fatal("rules/README.md has no yaml block")
	}
	pack, err := rules.ParseFile("my-rules.yaml", m[1])
	if err != nil {
		t.Fatal(err)
	}
	return pack
}

// TestReadmeExamplePack runs the examples of the complete pack in
// rules/README.md the way "incidex rules test my-rules.yaml" does: loaded
// on top of the default pack.
func TestReadmeExamplePack(t *testing.T) {
	pack := readmePack(t)
	defaults, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	if n := runExamples(t, rules.NewSet(append(defaults, pack)...), []*rules.Pack{pack}); n < 4 {
		t.Errorf("the README example has %d tests, want at least 4", n)
	}
}

// TestReadmeRegexEntry checks that the README's regex entry finds names
// on its own, without the default pack's entries for the same scheme: the
// actor is named by the text matched and its evidence names the entry.
func TestReadmeRegexEntry(t *testing.T) {
	x := extract.New(rules.NewSet(readmePack(t)))
	text := "Corvane Stores was hit by a cyber attack. UNC5537 is believed to be behind it."
	res := x.Article(&article.Article{Input: "test", Paragraphs: []string{text}, Text: text})
	found := false
	for _, inc := range res.Incidents {
		for _, a := range inc.Actors {
			if a.Name == "UNC5537" && len(a.Evidence) > 0 && a.Evidence[0].Rule == "unc-clusters" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no actor UNC5537 found by the entry unc-clusters: %+v", res.Incidents)
	}
}
