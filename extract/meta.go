package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// metadata is what a page says about itself.
type metadata struct {
	title, byline, site, published, language, canonical string
	articleBody                                         string
}

// headMeta holds the <head> declarations, keyed by lower-case name or property.
type headMeta struct {
	values    map[string]string
	canonical string
	ampURL    string
}

func (p *page) readHead(head *html.Node) {
	// The head is small, so a selector pass over it is cheap; the body is
	// walked by hand (see page.go).
	hm := &headMeta{values: make(map[string]string, 32)}
	sel := goquery.NewDocumentFromNode(head)
	sel.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			return
		}
		content = strings.TrimSpace(content)
		for _, key := range []string{"property", "name", "itemprop", "http-equiv"} {
			if k, ok := s.Attr(key); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, seen := hm.values[k]; !seen && content != "" {
					hm.values[k] = content
				}
			}
		}
	})
	sel.Find("link[rel]").Each(func(_ int, s *goquery.Selection) {
		rel := strings.ToLower(s.AttrOr("rel", ""))
		href := strings.TrimSpace(s.AttrOr("href", ""))
		switch {
		case rel == "canonical" && hm.canonical == "":
			hm.canonical = href
		case rel == "amphtml" && hm.ampURL == "":
			hm.ampURL = href
		}
	})
	sel.Find("script").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(strings.ToLower(s.AttrOr("type", "")), "ld+json") {
			p.jsonLD = append(p.jsonLD, s.Text())
		}
	})
	if t := sel.Find("title").First(); t.Length() > 0 && p.docTitle == "" {
		p.docTitle = normalizeSpace(t.Text())
	}
	p.headMeta = hm
}

func (p *page) metadata(pageURL string) metadata {
	hm := p.headMeta
	if hm == nil {
		hm = &headMeta{values: map[string]string{}}
	}
	ld := parseJSONLD(p.jsonLD)
	m := metadata{articleBody: ld.body}

	m.site = firstNonEmpty(hm.values["og:site_name"], ld.publisher, hm.values["application-name"], hm.values["twitter:site"])
	m.site = strings.TrimPrefix(m.site, "@")

	h1 := ""
	if len(p.h1) > 0 {
		h1 = p.h1[0]
	}
	m.title = firstNonEmpty(ld.headline, hm.values["og:title"], hm.values["twitter:title"], h1, p.docTitle)
	title, siteInTitle := splitSiteName(normalizeSpace(m.title), m.site)
	m.title = title
	if m.site == "" {
		m.site = siteInTitle
	}

	if m.site == "" {
		m.site = hostName(pageURL)
	}

	m.byline = firstNonEmpty(ld.author, hm.values["author"], hm.values["article:author"], hm.values["byl"],
		hm.values["parsely-author"], hm.values["sailthru.author"], hm.values["dc.creator"])
	if strings.HasPrefix(m.byline, "http") {
		m.byline = "" // article:author is often a profile URL
	}
	if m.byline == "" && len(p.authorRels) > 0 {
		m.byline = strings.Join(uniqueStrings(p.authorRels), ", ")
	}
	if m.byline == "" && len(p.bylineText) > 0 {
		m.byline = p.bylineText[0]
	}
	m.byline = cleanByline(m.byline)

	pub := firstNonEmpty(ld.published, hm.values["article:published_time"], hm.values["og:published_time"],
		hm.values["datepublished"], hm.values["publishdate"], hm.values["pubdate"], hm.values["date"],
		hm.values["dc.date.issued"], hm.values["dc.date"], hm.values["parsely-pub-date"], hm.values["sailthru.date"])
	if pub == "" && len(p.times) > 0 {
		pub = p.times[0]
	}
	m.published = normalizeDate(pub)

	m.language = firstNonEmpty(p.lang, ld.language, hm.values["content-language"], hm.values["og:locale"], hm.values["language"])
	m.language = strings.ReplaceAll(strings.TrimSpace(m.language), "_", "-")

	m.canonical = resolveURL(pageURL, firstNonEmpty(hm.canonical, hm.values["og:url"], ld.url))
	return m
}

// jsonLD is what incidex reads from schema.org Article objects.
type jsonLD struct {
	headline, author, published, body, publisher, language, url string
}

var articleTypes = map[string]bool{
	"Article": true, "NewsArticle": true, "BlogPosting": true, "ReportageNewsArticle": true,
	"AnalysisNewsArticle": true, "LiveBlogPosting": true, "OpinionNewsArticle": true,
	"TechArticle": true, "ScholarlyArticle": true, "Report": true, "BackgroundNewsArticle": true,
	"Posting": true, "SocialMediaPosting": true, "WebPage": false,
}

func parseJSONLD(scripts []string) jsonLD {
	var out jsonLD
	for _, s := range scripts {
		var v any
		if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
			continue // broken JSON-LD is common and never fatal
		}
		visitLD(v, &out, 0)
	}
	return out
}

func visitLD(v any, out *jsonLD, depth int) {
	if depth > 6 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			visitLD(item, out, depth+1)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			visitLD(g, out, depth+1)
		}
		if isArticleType(x["@type"]) {
			setIfEmpty(&out.headline, ldString(x["headline"]))
			setIfEmpty(&out.author, ldNames(x["author"]))
			setIfEmpty(&out.published, ldString(x["datePublished"]))
			setIfEmpty(&out.body, ldString(x["articleBody"]))
			setIfEmpty(&out.publisher, ldNames(x["publisher"]))
			setIfEmpty(&out.language, ldString(x["inLanguage"]))
			setIfEmpty(&out.url, ldString(x["url"]))
		}
		if me, ok := x["mainEntity"]; ok {
			visitLD(me, out, depth+1)
		}
	}
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return articleTypes[x]
	case []any:
		for _, item := range x {
			if s, ok := item.(string); ok && articleTypes[s] {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	case map[string]any:
		if s, ok := x["@value"].(string); ok {
			return s
		}
		if s, ok := x["@id"].(string); ok {
			return s
		}
	}
	return ""
}

// ldNames reads a person or organisation, or a list of them, as "A, B".
func ldNames(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		return ldString(x["name"])
	case []any:
		var names []string
		for _, item := range x {
			if n := ldNames(item); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(uniqueStrings(names), ", ")
	}
	return ""
}

func setIfEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func uniqueStrings(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// splitSiteName removes the site's name from a title ("Title | Site",
// "Site :: Title") and returns the cleaned title and the name it removed.
// A part counts as the site's name when it equals the known site name, or
// when it is short (three words at most) and reads like a name rather than
// part of the headline.
func splitSiteName(title, site string) (string, string) {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » "} {
		if i := strings.LastIndex(title, sep); i > 0 {
			head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
			if len(strings.Fields(head)) >= 3 && looksLikeSiteName(tail, site) {
				return head, tail
			}
		}
		if i := strings.Index(title, sep); i > 0 && sep != " - " && sep != " – " && sep != " — " {
			head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
			if len(strings.Fields(tail)) >= 3 && looksLikeSiteName(head, site) {
				return tail, head
			}
		}
	}
	return title, ""
}

func looksLikeSiteName(s, site string) bool {
	if site != "" && strings.EqualFold(s, site) {
		return true
	}
	return len(strings.Fields(s)) <= 3 && !strings.ContainsAny(s, "?!,:;\"'")
}

func cleanByline(s string) string {
	s = normalizeSpace(s)
	for _, prefix := range []string{"By ", "by ", "BY ", "Written by ", "Words by "} {
		s = strings.TrimPrefix(s, prefix)
	}
	return s
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

var localLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// normalizeDate returns s as RFC 3339, or as YYYY-MM-DD when it carries no
// time of day; unparseable values are returned trimmed, as the page gave them.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			// No zone given: keep the wall time and say nothing about the zone
			// rather than invent UTC.
			return t.Format("2006-01-02T15:04:05")
		}
	}
	if len(s) >= 10 {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return t.Format("2006-01-02")
		}
	}
	for _, layout := range []string{"January 2, 2006", "2 January 2006", "Jan 2, 2006", "2006/01/02", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}

func hostName(pageURL string) string {
	if pageURL == "" {
		return ""
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

func resolveURL(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == "" {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
