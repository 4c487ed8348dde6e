package article

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/source"
)

func TestNormalizeDate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"rfc3339 with offset", "2024-03-14T07:45:00+01:00", "2024-03-14T07:45:00+01:00"},
		{"rfc3339 utc", "2024-03-14T07:45:00Z", "2024-03-14T07:45:00Z"},
		{"fractional seconds", "2024-03-14T07:45:00.123Z", "2024-03-14T07:45:00Z"},
		{"offset without colon", "2024-03-14T07:45:00+0100", "2024-03-14T07:45:00+01:00"},
		{"hours-only offset", "2024-03-14T07:45:00-05", "2024-03-14T07:45:00-05:00"},
		{"minutes without seconds", "2024-03-14T07:45+05:30", "2024-03-14T07:45:00+05:30"},
		{"space before offset", "2024-03-14 07:45:00 -0500", "2024-03-14T07:45:00-05:00"},
		{"date only stays a date", "2024-03-14", "2024-03-14"},
		{"no zone gives the date only", "2024-03-14T07:45:00", "2024-03-14"},
		{"no zone with space", "2024-03-14 07:45:00", "2024-03-14"},
		{"slashes with time, no zone", "2024/03/05 10:00", "2024-03-05"},
		{"rfc1123 numeric", "Thu, 14 Mar 2024 07:45:00 +0000", "2024-03-14T07:45:00Z"},
		{"rfc1123 gmt", "Thu, 14 Mar 2024 07:45:00 GMT", "2024-03-14T07:45:00Z"},
		{"rfc1123 est", "Thu, 14 Mar 2024 07:45:00 EST", "2024-03-14T07:45:00-05:00"},
		{"iso with pdt", "2024-03-14 07:45:00 PDT", "2024-03-14T07:45:00-07:00"},
		{"ist is india", "2024-03-14 07:45 IST", "2024-03-14T07:45:00+05:30"},
		{"aedt", "2024-03-14 07:45 AEDT", "2024-03-14T07:45:00+11:00"},
		{"gmt plus hours", "2024-03-14 07:45 GMT+1", "2024-03-14T07:45:00+01:00"},
		{"unknown abbreviation gives the date only", "2024-03-14 07:45:00 XYZ", "2024-03-14"},
		{"unknown abbreviation after words", "March 5, 2024 10:00 AM HST", "2024-03-05"},
		{"us date and time, no zone", "March 5, 2024 10:00 AM", "2024-03-05"},
		{"us date and time with zone", "March 5, 2024 10:00 AM EST", "2024-03-05T10:00:00-05:00"},
		{"pm with dots", "March 5, 2024 3:15 p.m. EDT", "2024-03-05T15:15:00-04:00"},
		{"lower-case pm", "Mar 5, 2024 3:15pm CET", "2024-03-05T15:15:00+01:00"},
		{"ap month abbreviation", "Sept. 5, 2024", "2024-09-05"},
		{"long english date", "March 14, 2024", "2024-03-14"},
		{"day month year", "5 March 2024", "2024-03-05"},
		{"day month year with time and zone", "5 March 2024 10:00 BST", "2024-03-05T10:00:00+01:00"},
		{"weekday and date", "Tuesday, March 5, 2024", "2024-03-05"},
		{"compact date", "20240305", "2024-03-05"},
		{"unix seconds", "1709632800", "2024-03-05T10:00:00Z"},
		{"unix milliseconds", "1709632800000", "2024-03-05T10:00:00Z"},
		{"number that is no date", "12345", ""},
		{"iso date before unreadable zone name", "2024-03-14T07:45:00 Europe/Paris", "2024-03-14"},
		{"invalid day", "2024-02-30", ""},
		{"surrounding space", "  2024-03-14  ", "2024-03-14"},
		{"unparseable gives nothing", "last Tuesday", ""},
		{"month and day without year", "5 March", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeDate(tt.in); got != tt.want {
				t.Errorf("normalizeDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzNormalizeDate checks that whatever a page claims, normalizeDate
// returns RFC 3339, a YYYY-MM-DD date or nothing.
func FuzzNormalizeDate(f *testing.F) {
	for _, s := range []string{"2024-03-14T07:45:00+01:00", "Thu, 14 Mar 2024 07:45:00 EST", "March 5, 2024 10:00 AM", "1709632800000", "2024-03-14 07:45 GMT+1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := normalizeDate(s)
		if got == "" {
			return
		}
		if _, err := time.Parse(time.RFC3339, got); err == nil {
			return
		}
		if _, err := time.Parse(time.DateOnly, got); err != nil {
			t.Fatalf("normalizeDate(%q) = %q, neither RFC 3339 nor a date", s, got)
		}
	})
}

// TestNormalizeDateIgnoresLocalZone checks that the machine's time zone
// changes nothing: time.Parse reads a zone abbreviation with the offset the
// local zone gives it, which normalizeDate must not rely on.
func TestNormalizeDateIgnoresLocalZone(t *testing.T) {
	inputs := []string{
		"Thu, 14 Mar 2024 07:45:00 EST", "2024-03-14T07:45:00", "2024-03-14 07:45 CEST",
		"2024-03-14T07:45:00-05:00", "1709632800", "2024-03-14 07:45:00 XYZ",
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = normalizeDate(in)
	}
	for _, zone := range []string{"America/New_York", "Asia/Kolkata", "Australia/Sydney"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Logf("skip %s: %v", zone, err)
			continue
		}
		saved := time.Local
		time.Local = loc
		for i, in := range inputs {
			if got := normalizeDate(in); got != want[i] {
				t.Errorf("TZ=%s: normalizeDate(%q) = %q, want %q", zone, in, got, want[i])
			}
		}
		time.Local = saved
	}
}

func TestSplitSiteName(t *testing.T) {
	tests := []struct {
		name, title, site, host, want, wantSite string
	}{
		{"pipe suffix", "Hospital hit by ransomware attack | The Ledger", "", "", "Hospital hit by ransomware attack", "The Ledger"},
		{"known site after dash", "Hospital hit by ransomware attack - Daily Planet News Online", "Daily Planet News Online", "", "Hospital hit by ransomware attack", "Daily Planet News Online"},
		{"host name after dash", "Hospital hit by ransomware attack - Example.com", "", "example.com", "Hospital hit by ransomware attack", "Example.com"},
		{"host label after en dash", "Retailer confirms card skimmer – Patchline", "", "patchline.news", "Retailer confirms card skimmer", "Patchline"},
		{"unknown name after dash kept", "Hospital hit by ransomware attack - Daily Planet", "", "", "Hospital hit by ransomware attack - Daily Planet", ""},
		{"prefix with double colon", "SecurityWire :: Schools close after attack", "", "", "Schools close after attack", "SecurityWire"},
		{"two-word prefix with double colon", "SecurityWire Bulletin :: Pine Hollow schools close after ransomware attack", "", "", "Pine Hollow schools close after ransomware attack", "SecurityWire Bulletin"},
		{"section and site", "Kingsmere hospitals cancel operations | Technology | The Northgate Ledger", "The Northgate Ledger", "", "Kingsmere hospitals cancel operations | Technology", "The Northgate Ledger"},
		{"dash inside headline kept", "Retailer hit - and customers pay the price, analysts say", "", "", "Retailer hit - and customers pay the price, analysts say", ""},
		{"report after dash kept", "Hackers leak council data - report", "", "", "Hackers leak council data - report", ""},
		{"live updates after dash kept", "Port systems down after cyber attack - live updates", "", "", "Port systems down after cyber attack - live updates", ""},
		{"generic label after pipe kept", "Why the NHS attack matters: analysis | Opinion", "", "", "Why the NHS attack matters: analysis | Opinion", ""},
		{"generic label before pipe kept", "Opinion | Why the NHS attack matters", "", "", "Opinion | Why the NHS attack matters", ""},
		{"lower-case words after pipe kept", "Schools close after attack | what we know so far", "", "", "Schools close after attack | what we know so far", ""},
		{"short headline kept", "Hacked | Site", "", "", "Hacked | Site", ""},
		{"short headline with known site", "Hacked | Site", "Site", "", "Hacked", "Site"},
		{"no separator", "Plain headline about a breach", "", "", "Plain headline about a breach", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, site := splitSiteName(tt.title, tt.site, tt.host)
			if got != tt.want || site != tt.wantSite {
				t.Errorf("splitSiteName(%q, %q, %q) = %q, %q; want %q, %q", tt.title, tt.site, tt.host, got, site, tt.want, tt.wantSite)
			}
		})
	}
}

func TestIsBoilerplateLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Advertisement", true},
		{"ADVERTISEMENT", true},
		{"Share this article:", true},
		{"Share", true},
		{"Read more »", true},
		{"Read more: Police arrest teenager", true},
		{"Related: Council still offline", true},
		{"Photo: Elena Brook/Vantage Pictures", true},
		{"Image | Reuters", true},
		{"Credit: Getty Images", true},
		{"Loading...", true},
		{"Sign in", true},
		{"Log in.", true},
		{"Subscribe", true},
		{"Text size", true},
		{"Sign up to our newsletter", true},
		{"Subscribe now for full access", true},
		{"Already a subscriber? Log in", true},
		{"Click here to read the report", true},
		{"Follow us on Twitter", true},
		{"Share on Facebook", true},
		{"© 2024 Northgate Media Group Ltd", true},
		{"Copyright © 2024 Example", true},
		{"All rights reserved.", true},
		{"Subscribers were told to change their passwords.", false},
		{"Loading bays at the port were closed on Monday.", false},
		{"Sign in pages were cloned by the attackers.", false},
		{"Related incidents hit two other councils.", false},
		{"Photos of the ransom note circulated online.", false},
		{"Shares in the company fell 8%.", false},
		{"Readers who got the email should call the bank.", false},
		{"Copyright law may apply, lawyers said.", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isBoilerplateLine(tt.line); got != tt.want {
				t.Errorf("isBoilerplateLine(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

func TestClassifyNames(t *testing.T) {
	tests := []struct {
		names string
		want  int8
	}{
		{"article-body", classPositive},
		{"entry-content", classPositive},
		{"comments-area", classJunk},
		{"share-bar", classJunk},
		{"ad", classJunk},
		{"head", classNeutral},
		{"subscriber-only", classNeutral},
		{"paywall-prompt", classJunk},
		{"byline", classByline},
		{"nav main", classJunk},
		{"header article-header", classNeutral},
		{"css-53u6y8", classNeutral},
	}
	for _, tt := range tests {
		t.Run(tt.names, func(t *testing.T) {
			if got := classifyNames(tt.names); got != tt.want {
				t.Errorf("classifyNames(%q) = %d, want %d", tt.names, got, tt.want)
			}
		})
	}
}

// para returns a paragraph of n sentences of plausible prose.
func para(n int) string {
	return strings.Repeat("The attackers encrypted servers at the council, officials said, and services were disrupted for days. ", n)
}

func TestParseArticle(t *testing.T) {
	tests := []struct {
		name       string
		html       string
		want       []string // substrings of the text
		wantNot    []string
		wantErr    error
		wantTitle  string
		wantByline string
		wantPub    string
		wantParas  int // 0: not checked
	}{
		{
			name: "paragraphs inside article, nav and footer dropped",
			html: `<html><head><title>Council hit | Gazette</title></head><body>
				<nav><a href="/">Home</a> <a href="/news">News menu link</a></nav>
				<article><h1>Council hit</h1><p>` + para(3) + `</p><p>Second paragraph here. ` + para(2) + `</p></article>
				<footer>Copyright footer text</footer></body></html>`,
			want:      []string{"Second paragraph here."},
			wantNot:   []string{"News menu link", "Copyright footer text", "Council hit\n"},
			wantTitle: "Council hit",
		},
		{
			name: "br separated text in a div",
			html: `<html><body><table><tr><td><a href="/a">Menu one</a><br><a href="/b">Menu two</a></td>
				<td><div>First line of the story. ` + para(2) + `<br><br>Second line of the story. ` + para(2) + `</div></td></tr></table></body></html>`,
			want:    []string{"First line of the story.", "Second line of the story."},
			wantNot: []string{"Menu one"},
		},
		{
			name: "json-ld body used when the markup has a teaser only",
			html: `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Port halted","author":{"@type":"Person","name":"Ann Lee"},"articleBody":"` + para(4) + `\n\nFinal paragraph from JSON-LD. ` + para(2) + `"}</script></head>
				<body><h1>Port halted</h1><p>Teaser only.</p></body></html>`,
			want:       []string{"Final paragraph from JSON-LD."},
			wantTitle:  "Port halted",
			wantByline: "Ann Lee",
		},
		{
			name: "comments section dropped",
			html: `<html><body><div class="story"><p>` + para(4) + `</p><p>` + para(3) + `</p></div>
				<div id="comments"><div class="comment"><p>Reader comment that goes on about another attack, at length, with commas.</p></div></div></body></html>`,
			wantNot: []string{"Reader comment"},
		},
		{
			name: "boilerplate-looking class that holds the article is kept",
			html: `<html><body><div class="sidebar-layout-wrap"><p>` + para(4) + `</p><p>Kept paragraph. ` + para(3) + `</p></div>
				<div class="sidebar"><p>Short sidebar teaser about something else entirely, with a comma.</p></div></body></html>`,
			want:    []string{"Kept paragraph."},
			wantNot: []string{"sidebar teaser"},
		},
		{
			name: "json-ld body in html is read as paragraphs",
			html: `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Port halted","articleBody":"<p>` + para(3) + `</p><figure><img src=x><figcaption>Photo: Port authority</figcaption></figure><p>AT&amp;T said the outage &#8211; now fixed &#8211; was unrelated. ` + para(2) + `</p><div>Advertisement</div><p>` + para(2) + `</p>"}</script></head>
				<body><h1>Port halted</h1><p>Teaser only.</p></body></html>`,
			want:      []string{"AT&T said the outage – now fixed – was unrelated."},
			wantNot:   []string{"<p>", "</p>", "Photo: Port authority", "Advertisement", "&amp;"},
			wantParas: 3,
		},
		{
			name: "entity-escaped html in json-ld body",
			html: `<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"&lt;p&gt;` + para(3) + `&lt;/p&gt;&lt;p&gt;Second &amp;quot;quoted&amp;quot; one. ` + para(3) + `&lt;/p&gt;"}</script></head>
				<body><p>Teaser only.</p></body></html>`,
			want:      []string{`Second "quoted" one.`},
			wantNot:   []string{"&lt;", "<p>", "&quot;"},
			wantParas: 2,
		},
		{
			name: "plain json-ld body has entities decoded",
			html: `<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"` + para(3) + `\n\nBarnes &amp; Noble said x&lt;y was a typo. ` + para(3) + `"}</script></head>
				<body><p>Teaser only.</p></body></html>`,
			want:      []string{"Barnes & Noble said x<y was a typo."},
			wantParas: 2,
		},
		{
			name: "microdata in the body gives date and author",
			html: `<html><head><title>Council hit by ransomware</title></head><body><article itemscope itemtype="https://schema.org/NewsArticle">
				<meta itemprop="datePublished" content="2024-03-05T10:00:00+01:00"><meta itemprop="author" content="Ann Lee">
				<p>` + para(4) + `</p></article></body></html>`,
			wantPub:    "2024-03-05T10:00:00+01:00",
			wantByline: "Ann Lee",
		},
		{
			name:    "upper-case inline style hides",
			html:    `<html><body><article><p>` + para(4) + `</p><p style="DISPLAY: NONE">Hidden promo text that is long enough to be a paragraph.</p></article></body></html>`,
			wantNot: []string{"Hidden promo text"},
		},
		{
			name:    "empty page",
			html:    ``,
			wantErr: ErrNoText,
		},
		{
			name:    "index page of links",
			html:    `<html><body><ul><li><a href="/1">Headline one</a></li><li><a href="/2">Headline two</a></li></ul></body></html>`,
			wantErr: ErrNoText,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseHTML([]byte(tt.html))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, s := range tt.want {
				if !strings.Contains(a.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, a.Text)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(a.Text, s) {
					t.Errorf("text contains %q:\n%s", s, a.Text)
				}
			}
			if tt.wantTitle != "" && a.Title != tt.wantTitle {
				t.Errorf("title = %q, want %q", a.Title, tt.wantTitle)
			}
			if tt.wantByline != "" && a.Byline != tt.wantByline {
				t.Errorf("byline = %q, want %q", a.Byline, tt.wantByline)
			}
			if tt.wantPub != "" && a.Published != tt.wantPub {
				t.Errorf("published = %q, want %q", a.Published, tt.wantPub)
			}
			if tt.wantParas != 0 && len(a.Paragraphs) != tt.wantParas {
				t.Errorf("got %d paragraphs, want %d:\n%s", len(a.Paragraphs), tt.wantParas, strings.Join(a.Paragraphs, "\n"))
			}
			if a.Stats.TextChars == 0 || len(a.Paragraphs) == 0 {
				t.Errorf("stats %+v with %d paragraphs", a.Stats, len(a.Paragraphs))
			}
		})
	}
}

// hostilePages are generated pages whose shape once made the reader
// quadratic in time or memory: nested headings around the whole text, tens of
// thousands of siblings beside the article, bylines and lists nested in
// themselves. Each is about 1 MB.
func hostilePages() []struct{ name, html string } {
	prose := "<p>" + para(4) + "</p>\n"
	fill := func(b *strings.Builder, size int) {
		for b.Len() < size {
			b.WriteString(prose)
		}
	}
	nest := func(open, close, inner string, depth int) string {
		return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
	}
	var body strings.Builder
	fill(&body, 1<<20)
	mb := body.String()

	var siblings strings.Builder
	siblings.WriteString(`<div><div class="article-body">`)
	for range 600 {
		siblings.WriteString("<p>" + strings.Repeat("The attackers, officials said, ", 60) + "</p>")
	}
	siblings.WriteString("</div>")
	for range 20000 {
		siblings.WriteString(`<p class="note">Short note without a full stop</p>`)
	}
	siblings.WriteString("</div>")

	// Every level is a list of 100 links whose last item holds the next
	// level, so whether a list is all links is decided at the very bottom.
	var lists strings.Builder
	for range 200 {
		lists.WriteString("<ul>" + strings.Repeat(`<li><a href="/a">Link to a story</a></li>`, 99) + `<li><a href="/z">Last link</a>`)
	}
	lists.WriteString(prose)

	return []struct{ name, html string }{
		{"headings nested 200 deep around 1 MB", "<html><body>" + nest("<h1><div>", "</div></h1>", mb, 200) + "</body></html>"},
		{"20000 siblings beside the article", "<html><body>" + siblings.String() + "</body></html>"},
		{"bylines nested 200 deep around 1 MB", "<html><body>" + nest(`<div class="byline"><a rel="author" href="/x">`, "</a></div>", mb, 200) + "</body></html>"},
		{"link lists nested 200 deep", "<html><body>" + lists.String() + "</body></html>"},
	}
}

// TestParseArticleHostilePages only checks that the hostile pages are read
// at all; BenchmarkParseArticleHostile measures them.
func TestParseArticleHostilePages(t *testing.T) {
	for _, tt := range hostilePages() {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseHTML([]byte(tt.html))
			if a == nil || err != nil && !errors.Is(err, ErrNoText) {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}

func BenchmarkParseArticleHostile(b *testing.B) {
	for _, tt := range hostilePages() {
		b.Run(tt.name, func(b *testing.B) {
			src := []byte(tt.html)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseHTML(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestParseArticleTooDeep(t *testing.T) {
	page := strings.Repeat("<div>", 600) + "<p>" + para(4) + "</p>"
	_, err := parseHTML([]byte(page))
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("err = %v, want ErrTooDeep", err)
	}
	if want := "page nests elements more than 512 deep"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestArticleFromNilNode(t *testing.T) {
	a, err := FromNode(nil, Options{})
	if !errors.Is(err, ErrNoText) {
		t.Errorf("err = %v, want ErrNoText", err)
	}
	if a == nil || a.Paragraphs == nil {
		t.Errorf("article = %+v, want an empty one", a)
	}
}

// FuzzParseArticle feeds arbitrary bytes through the HTML path: decoding,
// parsing and extraction must never panic, and a returned article must be
// internally consistent.
func FuzzParseArticle(f *testing.F) {
	f.Add([]byte(`<html><body><article><p>`+para(3)+`</p></article></body></html>`), "")
	f.Add([]byte(`<meta charset="windows-1252"><p>caf`+"\xe9"+` `+para(3)+`</p>`), "")
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":["NewsArticle"],"headline":1,"author":[{"name":null}]}]}</script>`), "text/html; charset=utf-8")
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "")
	f.Add([]byte(`<div><br><br><table><td>`+para(1)+`</td></table><form><p>x</p></form>`), "text/html; charset=shift_jis")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		html, err := source.DecodeHTML(body, contentType)
		if err != nil {
			return
		}
		a, err := Parse(&source.Page{Input: "fuzz", URL: "https://example.com/a", HTML: html}, Options{})
		if a == nil {
			if err == nil {
				t.Fatal("nil article without error")
			}
			return
		}
		if a.Text != strings.Join(a.Paragraphs, "\n\n") {
			t.Fatal("text does not match paragraphs")
		}
	})
}

// parseHTML reads a page given as UTF-8 HTML.
func parseHTML(src []byte) (*Article, error) {
	return Parse(&source.Page{Input: "test", HTML: src}, Options{})
}
