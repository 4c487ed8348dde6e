package ruletest_test

import (
	"context"
	"testing"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/ruletest"
)

// TestDefaultPackExamples runs the examples of the default pack
// (rules/default/tests.yaml and any other tests: section), so that a rule
// change that breaks one fails go test ./rules/...
func TestDefaultPackExamples(t *testing.T) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	if n := runExamples(t, rules.NewSet(packs...), packs); n < 25 {
		t.Errorf("%d examples in the default pack, want at least 25", n)
	}
}

// runExamples runs the examples of packs through an extractor of set,
// fails the test for each failure and returns how many examples ran.
func runExamples(t *testing.T, set *rules.Set, packs []*rules.Pack) int {
	t.Helper()
	res, err := ruletest.Run(context.Background(), extract.New(set), ruletest.NewNames(set), packs,
		func(_ *rules.Test, fails rules.ErrorList) error {
			for _, e := range fails {
				t.Error(e)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return res.Tests
}
