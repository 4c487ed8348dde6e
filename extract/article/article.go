package article

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incidex/incidex/extract/source"
	"golang.org/x/net/html"
)

// Options configures Parse. The zero value is ready to use.
type Options struct {
	// URL is the page's URL when it differs from the Page's (for example
	// the address a saved page came from); it resolves the canonical link
	// and stands in for a missing site name.
	URL string
}

// ErrNoText is returned when a page holds no article text.
var ErrNoText = errors.New("no article text found")

// ErrTooDeep is returned for a page whose elements nest deeper than the HTML
// parser allows.
var ErrTooDeep = errors.New("page nests elements more than 512 deep")

// minArticleChars is the least main text, in characters, that counts as an article.
// Index pages and error pages fall under it; the shortest real news briefs do not.
const minArticleChars = 200

// Parse extracts the main text and metadata of a page. The Article names
// the page's Input and URL and counts the bytes it was received as.
//
// It returns ErrNoText (wrapped) when the page has no article text, for
// example a section front, a login wall with nothing behind it or an empty
// document; the Article is returned too, with what little was found.
func Parse(page *source.Page, opts Options) (*Article, error) {
	if opts.URL == "" {
		opts.URL = page.URL
	}
	root, err := html.Parse(bytes.NewReader(stripRawText(page.HTML)))
	if err != nil {
		return nil, parseError(err)
	}
	a, err := FromNode(root, opts)
	a.Input, a.InputBytes = page.Input, RawInput(page.Input)
	a.Stats.HTMLBytes = page.HTMLBytes
	if !page.FetchedAt.IsZero() {
		a.FetchedAt = page.FetchedAt.UTC().Format(time.RFC3339)
	}
	return a, err
}

// RawInput is the input_bytes of a record: the bytes of an input name that
// is not valid UTF-8 (a file name in another encoding), which JSON cannot
// carry in "input" (it shows them as U+FFFD there); nil for any other
// name. JSON writes the bytes in base64, so that a record names its input
// without loss and --resume can match it.
func RawInput(name string) []byte {
	if utf8.ValidString(name) {
		return nil
	}
	return []byte(name)
}

// parseError explains the one limit of html.Parse that real (or hostile)
// pages reach; its own message names the parser's stack, not the page.
func parseError(err error) error {
	if strings.Contains(err.Error(), "open stack of elements exceeds") {
		return ErrTooDeep
	}
	return fmt.Errorf("parse html: %w", err)
}

// FromNode extracts the article from an already parsed document. A nil
// root reads as an empty document. The Article has no Input and its
// Stats.HTMLBytes is zero: the tree does not know them.
func FromNode(root *html.Node, opts Options) (*Article, error) {
	if root == nil {
		root = &html.Node{Type: html.DocumentNode}
	}
	p := newDocument(root)
	meta := p.metadata(opts.URL)
	paras := p.mainText()
	paras = dropHeadline(paras, meta.title)

	if body := meta.articleBody; body != "" {
		// Some sites ship the full text only in JSON-LD and render a teaser (or a
		// script placeholder) in the markup; trust the structured copy when it is
		// clearly the longer of the two. The raw length is an upper bound of
		// the text's, so most pages skip reading the body at all.
		n := charCount(paras)
		if utf8.RuneCountInString(body) > 2*n+200 {
			if ldParas := bodyParagraphs(body); charCount(ldParas) > 2*n+200 {
				paras = ldParas
			}
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

// bodyHTML spots HTML markup in a JSON-LD articleBody: a paragraph, line
// break, heading, list or other common tag. A bare "<" ("x<y") is not markup.
var bodyHTML = regexp.MustCompile(`(?i)</?(?:p|br|div|h[1-6]|ul|ol|li|blockquote|figure|figcaption|span|a|strong|em|b|i|section|table|img)\b[^<>]*>`)

// bodyParagraphs returns the paragraphs of a JSON-LD articleBody. Many CMSs
// put the article's HTML there, sometimes entity-escaped; that is read with
// the page's own block walker, so captions and "Advertisement" labels go the
// way they go on the page. Plain text is split at blank lines.
func bodyParagraphs(body string) []string {
	if !bodyHTML.MatchString(body) {
		body = html.UnescapeString(body)
		if !bodyHTML.MatchString(body) {
			return splitParagraphs(body)
		}
	}
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	p := newDocument(root)
	var out []string
	for i := range p.blocks {
		b := &p.blocks[i]
		if b.owner >= 0 && p.elems[b.owner].drop || !p.keepBlock(b) {
			continue
		}
		out = append(out, b.text)
	}
	return out
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
	appendCollapsed(&b, s, false)
	return b.String()
}

// appendCollapsed writes s to b with runs of white space collapsed to one
// space, none at the start of b. space says that white space is pending
// from the text before s; the result says whether it is pending after s.
func appendCollapsed(b *strings.Builder, s string, space bool) bool {
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
	return space
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0xa0, 0x2009, 0x200a, 0x202f, 0x3000, 0x200b, 0xfeff:
		return true
	}
	return false
}
