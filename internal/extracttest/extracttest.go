// Package extracttest gives tests and benchmarks the extractor of the
// default rule pack, built once per test binary: building it is cheap,
// loading prose's model (which it does on first need) is not. Only test
// files import it.
package extracttest

import (
	"sync"
	"testing"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/rules"
)

var defaultExtractor = sync.OnceValues(func() (*extract.Extractor, error) {
	set, err := rules.Default()
	if err != nil {
		return nil, err
	}
	return extract.New(set), nil
})

// Default returns the extractor of the default rule pack, shared by every
// test of the binary. It is safe for concurrent use.
func Default(tb testing.TB) *extract.Extractor {
	tb.Helper()
	x, err := defaultExtractor()
	if err != nil {
		tb.Fatalf("default rules: %v", err)
	}
	return x
}
