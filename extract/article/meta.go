package article

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

func (p *document) readHead(head *html.Node) {
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

func (p *document) metadata(pageURL string) metadata {
	hm := p.headMeta
	if hm == nil {
		hm = &headMeta{values: make(map[string]string, len(p.bodyMeta))}
	}
	for k, v := range p.bodyMeta {
		if _, seen := hm.values[k]; !seen {
			hm.values[k] = v
		}
	}
	ld := parseJSONLD(p.jsonLD)
	m := metadata{articleBody: ld.body}

	m.site = firstNonEmpty(hm.values["og:site_name"], ld.publisher, hm.values["application-name"], hm.values["twitter:site"])
	m.site = strings.TrimPrefix(m.site, "@")

	host := hostName(pageURL)
	m.title = firstNonEmpty(ld.headline, hm.values["og:title"], hm.values["twitter:title"], p.h1, p.docTitle)
	title, siteInTitle := splitSiteName(normalizeSpace(m.title), m.site, host)
	m.title = title
	if m.site == "" && !isGenericTitlePart(siteInTitle) {
		m.site = siteInTitle
	}
	if m.site == "" {
		m.site = host
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
	"Posting": true, "SocialMediaPosting": true,
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

// titleSeparators split a title into the headline and the site's name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » "}

// splitSiteName removes the site's name from a title ("Title | Site",
// "Site :: Title") and returns the cleaned title and the part it removed.
//
// Sites put other things beside headlines too ("- report", ": analysis |
// Opinion"), so a part is removed only when it is the site's name for sure
// (equal to site or to the page's host name) or, after " | " or " :: ",
// which rarely occur inside a headline, when it reads like a name: at most
// three capitalised words that are not a generic label.
func splitSiteName(title, site, host string) (string, string) {
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > 0 {
			head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
			if isTitleSiteName(tail, head, sep, site, host) {
				return head, tail
			}
		}
		if i := strings.Index(title, sep); i > 0 {
			head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
			if isTitleSiteName(head, tail, sep, site, host) {
				return tail, head
			}
		}
	}
	return title, ""
}

// isTitleSiteName reports whether part, beside headline after splitting on
// sep, is the site's name.
func isTitleSiteName(part, headline, sep, site, host string) bool {
	if part == "" || headline == "" {
		return false
	}
	if site != "" && strings.EqualFold(part, site) || isHostName(part, host) {
		return true
	}
	if sep != " | " && sep != " :: " {
		return false
	}
	return len(strings.Fields(headline)) >= 3 && looksLikeName(part) && !isGenericTitlePart(part)
}

// isHostName reports whether s names the host: "example.com", "Example.com",
// or the host's first label with spaces and case ignored ("Patch Line" for
// patchline.news).
func isHostName(s, host string) bool {
	if host == "" {
		return false
	}
	if strings.EqualFold(s, host) {
		return true
	}
	label, _, _ := strings.Cut(host, ".")
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.Len() > 0 && b.String() == label
}

// titleNameConnectors may stay lower-case inside a name ("Department of Health").
var titleNameConnectors = map[string]bool{
	"of": true, "the": true, "and": true, "for": true, "on": true, "in": true,
	"at": true, "&": true, "de": true, "la": true, "du": true, "von": true,
}

// looksLikeName reports whether s reads like a publication's name: one to
// three words, each capitalised (or a digit, or a connector after the first
// word), without sentence punctuation.
func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 3 || strings.ContainsAny(s, "?!,:;\"'") {
		return false
	}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) || i > 0 && titleNameConnectors[w] {
			continue
		}
		return false
	}
	return true
}

// genericTitleParts are labels that sites put beside headlines and that are
// not the site's name.
var genericTitleParts = map[string]bool{
	"opinion": true, "analysis": true, "live": true, "live updates": true, "live blog": true,
	"report": true, "reports": true, "news": true, "latest": true, "latest news": true,
	"breaking": true, "breaking news": true, "update": true, "updates": true,
	"video": true, "videos": true, "watch": true, "podcast": true, "explainer": true,
	"explained": true, "comment": true, "commentary": true, "review": true, "reviews": true,
	"exclusive": true, "feature": true, "features": true, "interview": true, "editorial": true,
	"column": true, "blog": true, "photos": true, "gallery": true, "in pictures": true,
	"factbox": true, "timeline": true, "q&a": true, "sponsored": true, "press release": true,
	"world": true, "business": true, "technology": true, "tech": true, "politics": true,
	"security": true, "cybersecurity": true, "science": true, "health": true, "sport": true,
	"sports": true, "uk": true, "us": true, "local": true, "national": true,
}

func isGenericTitlePart(s string) bool {
	return genericTitleParts[strings.ToLower(strings.TrimSpace(s))]
}

func cleanByline(s string) string {
	s = normalizeSpace(s)
	for _, prefix := range []string{"By ", "by ", "BY ", "Written by ", "Words by "} {
		s = strings.TrimPrefix(s, prefix)
	}
	return s
}

// zoneOffsets maps the time-zone abbreviations that news pages print to
// their offsets from UTC. Abbreviations are ambiguous (IST is also Irish and
// Israel Standard Time, CST also China Standard Time); the table keeps the
// reading usual on English-language news sites, and normalizeDate drops the
// time of day for any abbreviation not listed rather than guess. The machine's
// own time zone plays no part.
var zoneOffsets = map[string]time.Duration{
	"UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5 * time.Hour, "EDT": -4 * time.Hour,
	"CST": -6 * time.Hour, "CDT": -5 * time.Hour,
	"MST": -7 * time.Hour, "MDT": -6 * time.Hour,
	"PST": -8 * time.Hour, "PDT": -7 * time.Hour,
	"BST": 1 * time.Hour, "CET": 1 * time.Hour, "CEST": 2 * time.Hour,
	"EET": 2 * time.Hour, "EEST": 3 * time.Hour,
	"IST": 5*time.Hour + 30*time.Minute,
	"JST": 9 * time.Hour, "KST": 9 * time.Hour,
	"AEST": 10 * time.Hour, "AEDT": 11 * time.Hour,
	"NZST": 12 * time.Hour, "NZDT": 13 * time.Hour,
}

var (
	// numericZone matches a trailing UTC offset: "+01:00", "-0500", "+05",
	// "GMT+1".
	numericZone = regexp.MustCompile(`^(.*\d)\s*(?:(?:UTC|GMT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$`)
	// namedZone matches a trailing zone abbreviation: "EST", "(BST)".
	namedZone = regexp.MustCompile(`^(.*\S)\s+\(?([A-Z]{1,5})\)?$`)
)

// dateTimeLayouts are the date-and-time forms normalizeDate reads, without
// a zone (it splits the zone off first). normalizeDate upper-cases its input
// because Go matches month and day names in any case but AM and PM only in
// the case of the layout, so literal words here are upper-case too ("AT").
var dateTimeLayouts = []string{
	"2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04",
	"Mon, 2 Jan 2006 15:04:05", "Mon, 2 Jan 2006 15:04",
	"2 Jan 2006 15:04:05", "2 Jan 2006 15:04",
	"2 January 2006 15:04", "2 January 2006, 15:04",
	"January 2, 2006 3:04 PM", "January 2, 2006 3:04PM", "January 2, 2006, 3:04 PM",
	"January 2, 2006 AT 3:04 PM", "January 2, 2006 15:04",
	"Jan 2, 2006 3:04 PM", "Jan 2, 2006 3:04PM", "Jan 2, 2006, 3:04 PM", "Jan 2, 2006 15:04",
	"Monday, January 2, 2006 3:04 PM", "Mon Jan 2 15:04:05 2006",
}

// dateLayouts are the date-only forms normalizeDate reads.
var dateLayouts = []string{
	"2006-01-02", "2006/01/02", "20060102",
	"January 2, 2006", "Jan 2, 2006", "January 2 2006", "Jan 2 2006",
	"2 January 2006", "2 Jan 2006", "2 January, 2006",
	"Monday, January 2, 2006", "Monday, 2 January 2006", "Mon, 2 Jan 2006", "Mon, Jan 2, 2006",
	"Monday 2 January 2006",
}

// normalizeDate reads a publication date as pages give it and returns it as
// RFC 3339 ("2024-03-05T10:00:00-05:00") when it has a time of day and a
// zone, as YYYY-MM-DD when it has no time, no zone (RFC 3339 needs an
// offset, and inventing one would shift the date for some readers) or a
// zone abbreviation outside zoneOffsets, and as "" when it cannot be read.
// Unix times in seconds or milliseconds are read as UTC.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if t, ok := parseEpoch(s); ok {
		return t.Format(time.RFC3339)
	}
	u := strings.ToUpper(s)
	u = strings.NewReplacer("A.M.", "AM", "P.M.", "PM", "SEPT. ", "SEP ", "SEPT ", "SEP ", ". ", " ").Replace(u)

	base, offset, zone := splitZone(u)
	if t, ok := parseLayouts(dateTimeLayouts, base); ok {
		if zone == zoneKnown {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0,
				time.FixedZone("", int(offset/time.Second)))
			return t.Format(time.RFC3339)
		}
		return t.Format(time.DateOnly)
	}
	if t, ok := parseLayouts(dateLayouts, u); ok {
		return t.Format(time.DateOnly)
	}
	// An ISO date followed by something unreadable ("2024-03-05T10:00:00
	// Europe/Paris") still gives its date.
	if len(u) > 10 && strings.ContainsRune("T _,", rune(u[10])) {
		if t, err := time.Parse(time.DateOnly, u[:10]); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return ""
}

func parseLayouts(layouts []string, s string) (time.Time, bool) {
	for _, layout := range layouts {
		// time.Parse without a zone in the layout returns UTC wall time,
		// whatever the machine's zone.
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

type zoneKind int

const (
	zoneNone zoneKind = iota
	zoneKnown
	zoneUnknown
)

// splitZone splits a trailing time zone off an upper-cased date string. A
// numeric offset counts only after a time of day, so that "2024-03-05" is
// not read as "2024-03" at -05:00.
func splitZone(s string) (base string, offset time.Duration, kind zoneKind) {
	if n := len(s); n > 1 && s[n-1] == 'Z' && s[n-2] >= '0' && s[n-2] <= '9' {
		return s[:n-1], 0, zoneKnown
	}
	if m := numericZone.FindStringSubmatch(s); m != nil && strings.Contains(m[1], ":") {
		h, _ := strconv.Atoi(m[3])
		mins := 0
		if m[4] != "" {
			mins, _ = strconv.Atoi(m[4])
		}
		if h > 14 || mins > 59 {
			return s, 0, zoneUnknown
		}
		offset = time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute
		if m[2] == "-" {
			offset = -offset
		}
		return m[1], offset, zoneKnown
	}
	if m := namedZone.FindStringSubmatch(s); m != nil && m[2] != "AM" && m[2] != "PM" {
		if off, ok := zoneOffsets[m[2]]; ok {
			return m[1], off, zoneKnown
		}
		return m[1], 0, zoneUnknown
	}
	return s, 0, zoneNone
}

// parseEpoch reads a Unix time in seconds (9 or 10 digits) or milliseconds
// (12 or 13 digits) between 1990 and 2100; other numbers are not dates.
func parseEpoch(s string) (time.Time, bool) {
	if len(s) < 9 || len(s) > 13 || len(s) == 11 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	var t time.Time
	if len(s) <= 10 {
		t = time.Unix(n, 0).UTC()
	} else {
		t = time.UnixMilli(n).UTC()
	}
	if y := t.Year(); y < 1990 || y > 2100 {
		return time.Time{}, false
	}
	return t, true
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
