// Package article reads a page's article: its main text, without
// navigation, ads, banners, related links or comments, and its metadata
// (title, byline, publication time, site, language, canonical URL).
//
// Parse takes a source.Page and returns an Article that names its input
// and counts the page's bytes, so callers patch nothing. The page is
// walked once into flat lists of elements and text blocks (document.go);
// boilerplate is judged by tag, role and class (boilerplate.go); the
// container that holds the article is chosen by readability-style scores
// (select.go); metadata comes from the head, JSON-LD and microdata
// (meta.go). It must not read inputs (package source builds the pages it
// is given) or look for incidents (package incident): what counts as an
// article's text is decided here, what the text says is not.
package article
