package extract

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeDate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"rfc3339 with offset", "2024-03-14T07:45:00+01:00", "2024-03-14T07:45:00+01:00"},
		{"rfc3339 utc", "2024-03-14T07:45:00Z", "2024-03-14T07:45:00Z"},
		{"fractional seconds", "2024-03-14T07:45:00.123Z", "2024-03-14T07:45:00Z"},
		{"offset without colon", "2024-03-14T07:45:00+0100", "2024-03-14T07:45:00+01:00"},
		{"date only stays a date", "2024-03-14", "2024-03-14"},
		{"no zone keeps wall time", "2024-03-14T07:45:00", "2024-03-14T07:45:00"},
		{"rfc1123", "Thu, 14 Mar 2024 07:45:00 +0000", "2024-03-14T07:45:00Z"},
		{"long english date", "March 14, 2024", "2024-03-14"},
		{"surrounding space", "  2024-03-14  ", "2024-03-14"},
		{"unparseable kept", "last Tuesday", "last Tuesday"},
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

func TestSplitSiteName(t *testing.T) {
	tests := []struct {
		name, title, site, want, wantSite string
	}{
		{"pipe suffix", "Hospital hit by ransomware attack | The Ledger", "", "Hospital hit by ransomware attack", "The Ledger"},
		{"known site after dash", "Hospital hit by ransomware attack - Daily Planet News Online", "Daily Planet News Online", "Hospital hit by ransomware attack", "Daily Planet News Online"},
		{"prefix with double colon", "SecurityWire :: Schools close after attack", "", "Schools close after attack", "SecurityWire"},
		{"dash inside headline kept", "Retailer hit - and customers pay the price, analysts say", "", "Retailer hit - and customers pay the price, analysts say", ""},
		{"short headline kept", "Hacked | Site", "", "Hacked | Site", ""},
		{"no separator", "Plain headline about a breach", "", "Plain headline about a breach", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, site := splitSiteName(tt.title, tt.site)
			if got != tt.want || site != tt.wantSite {
				t.Errorf("splitSiteName(%q) = %q, %q; want %q, %q", tt.title, got, site, tt.want, tt.wantSite)
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
			a, err := ParseArticle([]byte(tt.html), ArticleOptions{})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseArticle: %v", err)
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
			if a.Stats.TextChars == 0 || len(a.Paragraphs) == 0 {
				t.Errorf("stats %+v with %d paragraphs", a.Stats, len(a.Paragraphs))
			}
		})
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
		html, err := DecodeHTML(body, contentType)
		if err != nil {
			return
		}
		a, err := ParseArticle(html, ArticleOptions{URL: "https://example.com/a"})
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
