package extract

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// ArticleOptions configures ParseArticle.
type ArticleOptions struct {
	URL string // the page's URL, used to resolve the canonical link and as a site-name fallback
}

// ErrNoText is returned when a page holds no article text.
var ErrNoText = errors.New("no article text found")

// minArticleChars is the least main text, in characters, that counts as an article.
// Index pages and error pages fall under it; the shortest real news briefs do not.
const minArticleChars = 200

// ParseArticle extracts the main text and metadata from UTF-8 HTML.
//
// It returns ErrNoText (wrapped) when the page has no article text, for example a
// section front, a login wall with nothing behind it or an empty document.
func ParseArticle(src []byte, opts ArticleOptions) (*Article, error) {
	root, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	return ArticleFromNode(root, len(src), opts)
}

// ArticleFromNode extracts the article from an already parsed document;
// htmlBytes is the size of the source, reported in Stats.
func ArticleFromNode(root *html.Node, htmlBytes int, opts ArticleOptions) (*Article, error) {
	p := newPage(root)
	meta := p.metadata(opts.URL)
	paras := p.mainText()
	paras = dropHeadline(paras, meta.title)

	if body := meta.articleBody; body != "" {
		// Some sites ship the full text only in JSON-LD and render a teaser (or a
		// script placeholder) in the markup; trust the structured copy when it is
		// clearly the longer of the two.
		if n := charCount(paras); utf8.RuneCountInString(body) > 2*n+200 {
			paras = splitParagraphs(body)
		}
	}

	a := &Article{
		URL:          opts.URL,
		CanonicalURL: meta.canonical,
		Title:        meta.title,
		Byline:       meta.byline,
		Site:         meta.site,
		Published:    meta.published,
		Language:     meta.language,
		Paragraphs:   paras,
		Stats:        Stats{HTMLBytes: htmlBytes},
	}
	a.Text = strings.Join(paras, "\n\n")
	a.Stats.TextChars = utf8.RuneCountInString(a.Text)
	if a.Paragraphs == nil {
		a.Paragraphs = []string{}
	}
	if a.Stats.TextChars < minArticleChars {
		return a, fmt.Errorf("%w (%d characters of text)", ErrNoText, a.Stats.TextChars)
	}
	return a, nil
}

// dropHeadline removes a leading paragraph that repeats the title: the title is
// reported on its own and the body should not start with it twice.
func dropHeadline(paras []string, title string) []string {
	if title == "" {
		return paras
	}
	t := normalizeSpace(strings.ToLower(title))
	for i := 0; i < len(paras) && i < 3; i++ {
		if normalizeSpace(strings.ToLower(paras[i])) == t {
			return append(paras[:i:i], paras[i+1:]...)
		}
	}
	return paras
}

func charCount(paras []string) int {
	n := 0
	for _, p := range paras {
		n += utf8.RuneCountInString(p)
	}
	return n
}

// splitParagraphs breaks a plain-text body (JSON-LD articleBody) into paragraphs
// at blank lines, or at single newlines when there are no blank lines.
func splitParagraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	sep := "\n\n"
	if !strings.Contains(body, sep) {
		sep = "\n"
	}
	var out []string
	for _, part := range strings.Split(body, sep) {
		if s := normalizeSpace(part); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// normalizeSpace collapses runs of white space to one space and trims the ends.
func normalizeSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0xa0, 0x2009, 0x200a, 0x202f, 0x3000, 0x200b, 0xfeff:
		return true
	}
	return false
}
