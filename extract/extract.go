package extract

import (
	"context"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/incident"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/rules"
)

// Extractor turns pages into incident records. Build it once with New and
// reuse it: it holds the compiled rules and the (lazily loaded) prose
// model. It is safe for concurrent use.
type Extractor struct {
	finder *incident.Finder
}

// New compiles a rule set into an Extractor.
func New(set *rules.Set) *Extractor {
	return &Extractor{finder: incident.New(set)}
}

// Page reads the article of a page and returns its record. It fails as
// article.Parse does, for example with article.ErrNoText for a page that
// holds no article.
func (x *Extractor) Page(p *source.Page) (*record.Result, error) {
	return x.PageContext(context.Background(), p)
}

// PageContext is Page for work that may be abandoned: once ctx ends,
// incident finding stops soon and ctx's error is returned (see
// incident.Finder.FindContext). Parsing the page, linear and quick, is not
// interrupted.
func (x *Extractor) PageContext(ctx context.Context, p *source.Page) (*record.Result, error) {
	a, err := article.Parse(p, article.Options{})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return x.ArticleContext(ctx, a)
}

// Article returns the record of an article already read.
func (x *Extractor) Article(a *article.Article) *record.Result {
	r, _ := x.ArticleContext(context.Background(), a)
	return r
}

// ArticleContext is Article for work that may be abandoned (see
// PageContext).
func (x *Extractor) ArticleContext(ctx context.Context, a *article.Article) (*record.Result, error) {
	found, err := x.finder.FindContext(ctx, a)
	if err != nil {
		return nil, err
	}
	incidents, omitted := incident.Limit(found.Incidents)
	return &record.Result{
		Schema:       record.SchemaVersion,
		Input:        a.Input,
		InputBytes:   a.InputBytes,
		URL:          a.URL,
		CanonicalURL: a.CanonicalURL,
		Language:     a.Language,
		FetchedAt:    a.FetchedAt,
		Title:        a.Title,
		Site:         a.Site,
		Byline:       a.Byline,
		Published:    a.Published,
		Incidents:    incidents,
		Indicators:   found.Indicators,

		IncidentsOmitted:  omitted,
		IndicatorsOmitted: found.IndicatorsOmitted,
	}, nil
}

// Preload starts loading prose's model in the background, so that the
// first article that needs it does not wait for all of it. Batches call
// it; a single page loads the model only if it needs it.
func (x *Extractor) Preload() { x.finder.Preload() }

// Candidates reads the article of a page and returns its victim
// candidates and its actors with their features, for fitting the scoring
// models (see package rules/fit).
func (x *Extractor) Candidates(p *source.Page) (victims, actors []incident.Candidate, err error) {
	a, err := article.Parse(p, article.Options{})
	if err != nil {
		return nil, nil, err
	}
	victims, actors = x.ArticleCandidates(a)
	return victims, actors, nil
}

// ArticleCandidates is Candidates of an article already read, for fits
// that score the same articles with several models.
func (x *Extractor) ArticleCandidates(a *article.Article) (victims, actors []incident.Candidate) {
	return x.finder.Candidates(a)
}
