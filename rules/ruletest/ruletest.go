// Package ruletest runs the examples that rule files carry in their tests:
// section through the extractor, and reports each example whose findings
// differ from what it expects (Run, Check). Package rules parses the
// examples; this package extracts, which rules cannot import, and
// compares, through the aliases of the dictionaries (Names).
package ruletest

import (
	"context"
	"fmt"
	"slices"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

// Result counts the examples run and those that failed.
type Result struct {
	Tests, Failed int
}

// Run runs the examples of packs, in order, through x and calls report
// with each example and its failures (none when it passed). It stops at
// the first error report returns, or with ctx's error when ctx is
// cancelled.
func Run(ctx context.Context, x *extract.Extractor, names *Names, packs []*rules.Pack,
	report func(*rules.Test, rules.ErrorList) error) (Result, error) {
	var res Result
	for _, p := range packs {
		for i := range p.Tests {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			t := &p.Tests[i]
			fails := Check(t, Extract(x, t), names)
			res.Tests++
			if len(fails) > 0 {
				res.Failed++
			}
			if err := report(t, fails); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// Extract extracts the incidents of an example's sentence, as an article
// of one paragraph under the example's title, and reduces them to what
// Check compares.
func Extract(x *extract.Extractor, t *rules.Test) *Outcome {
	a := &article.Article{Input: fmt.Sprintf("%s:%d", t.Source, t.Line), Title: t.Title,
		Paragraphs: []string{t.Sentence}, Text: t.Sentence}
	res := x.Article(a)
	o := &Outcome{Incidents: len(res.Incidents)}
	for _, inc := range res.Incidents {
		o.Statuses = append(o.Statuses, inc.Status)
		for _, v := range inc.Victims {
			o.Victims = addFound(o.Victims, v.Name, v.Aliases, v.Evidence)
		}
		for _, a := range inc.Actors {
			o.Actors = addFound(o.Actors, a.Name, a.Aliases, a.Evidence)
		}
		for _, tl := range inc.Tooling {
			o.Tooling = addFound(o.Tooling, tl.Name, nil, tl.Evidence)
		}
		for _, im := range inc.Impacts {
			o.Impacts = addFound(o.Impacts, im.Kind, nil, im.Evidence)
		}
	}
	return o
}

// addFound adds a name, or merges it into the entry already there for the
// same name (a name found in two incidents).
func addFound(list []Found, name string, aliases []string, ev []record.Evidence) []Found {
	i := slices.IndexFunc(list, func(f Found) bool { return f.Name == name })
	if i < 0 {
		list = append(list, Found{Name: name})
		i = len(list) - 1
	}
	f := &list[i]
	for _, a := range aliases {
		if !slices.Contains(f.Aliases, a) {
			f.Aliases = append(f.Aliases, a)
		}
	}
	for _, e := range ev {
		if !slices.Contains(f.Rules, e.Rule) {
			f.Rules = append(f.Rules, e.Rule)
		}
	}
	return list
}
