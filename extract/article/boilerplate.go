package article

import (
	"strings"

	"golang.org/x/net/html"
)

// Results of classify, from the class and id attributes of an element.
const (
	classNeutral  int8 = 0
	classPositive int8 = 1  // article-like: "article-body", "entry-content"
	classJunk     int8 = -1 // furniture: sidebars, share bars, comments, ads
	classByline   int8 = -2 // furniture that names the author
)

// junkSubstrings mark boilerplate wherever they occur in a class or id.
// They are long or distinctive enough not to occur inside ordinary words.
var junkSubstrings = []string{
	"comment", "disqus", "privacy", "ticker", "marquee", "quotes-bar", "stock-quotes", "share", "sharing", "social", "newsletter", "cookie",
	"consent", "gdpr", "related", "recommend", "outbrain", "taboola", "promo",
	"sponsor", "advert", "breadcrumb", "sidebar", "widget", "footer", "navbar",
	"popup", "modal", "trending", "mostread", "most-read", "most_read",
	"mostpopular", "most-popular", "caption", "credit", "signup", "sign-up",
	"subscribe-", "-subscribe", "masthead", "toolbar",
	"paywall-", "-paywall", "pagination", "pager", "skip-link", "skiplink", "tagcloud", "tag-cloud",
	"read-more", "readmore", "readnext", "read-next", "more-stories",
	"author-bio", "authorbio", "about-author", "login", "copyright",
}

// junkWords mark boilerplate when they are a whole word of a class or id
// ("ad", "nav"), because as substrings they hit ordinary names ("ad" in
// "head"). They win over article-like words: "nav main" is a menu.
var junkWords = map[string]bool{
	"ad": true, "ads": true, "adv": true, "advert": true, "dfp": true, "gpt": true,
	"nav": true, "menu": true, "subscribe": true, "subscription": true, "share": true,
	"print": true, "rss": true, "hidden": true, "hide": true, "offscreen": true,
	"sitemap": true, "legal": true, "overlay": true,
}

// weakJunkWords mark boilerplate unless an article-like word sits beside
// them: "header" is furniture, "article-header" is the article's own.
var weakJunkWords = map[string]bool{
	"quotes": true, "markets": true, "tags": true, "tag": true, "topics": true, "header": true, "banner": true,
	"meta": true, "aside": true, "rail": true, "tools": true, "utility": true,
	"dateline": true, "timestamp": true, "date": true, "follow": true, "jump": true,
	"visually": true, "sr": true, "screenreader": true, "kicker": true,
	"teaser": true, "teasers": true, "more": true, "extra": true, "links": true,
	"embed": true,
}

var bylineWords = map[string]bool{
	"byline": true, "author": true, "authors": true, "byline__name": true, "contributor": true,
}

// positiveWords mark containers of article text.
var positiveWords = map[string]bool{
	"article": true, "content": true, "entry": true, "post": true, "story": true,
	"body": true, "main": true, "text": true, "prose": true, "blog": true,
	"hentry": true, "articlebody": true, "storybody": true, "post-content": true,
}

// classify judges an element by its class and id. Results are cached per page
// because a page repeats the same few class strings hundreds of times.
func (p *document) classify(n *html.Node) int8 {
	var class, id string
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		case "role":
			switch a.Val {
			case "navigation", "banner", "complementary", "contentinfo", "dialog", "alertdialog", "menu", "menubar", "search":
				return classJunk
			}
		case "itemprop":
			if a.Val == "articleBody" || a.Val == "text" {
				return classPositive
			}
			if a.Val == "author" {
				return classByline
			}
		}
	}
	if class == "" && id == "" {
		return classNeutral
	}
	key := class
	if id != "" {
		key = class + " " + id
	}
	if v, ok := p.classCache[key]; ok {
		return v
	}
	v := classifyNames(strings.ToLower(key))
	p.classCache[key] = v
	return v
}

func classifyNames(s string) int8 {
	junk, weak, positive := false, false, false
	start := -1
	for i := 0; i <= len(s); i++ {
		var c byte = ' '
		if i < len(s) {
			c = s[i]
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := s[start:i]
			switch {
			case bylineWords[w]:
				return classByline
			case junkWords[w]:
				junk = true
			case weakJunkWords[w]:
				weak = true
			case positiveWords[w]:
				positive = true
			}
			start = -1
		}
	}
	// A set of the byte pairs in s rules out most substrings without a
	// search: classify runs on every distinct class string of every page.
	var pairs bigramSet
	for i := 0; i+1 < len(s); i++ {
		pairs.add(s[i], s[i+1])
	}
	for _, sub := range junkSubstrings {
		if pairs.has(sub[0], sub[1]) && pairs.has(sub[len(sub)-2], sub[len(sub)-1]) && strings.Contains(s, sub) {
			return classJunk
		}
	}
	switch {
	case junk || weak && !positive:
		return classJunk
	case weak:
		return classNeutral
	case positive:
		return classPositive
	}
	return classNeutral
}

// bigramSet is a small Bloom-style set of byte pairs.
type bigramSet [64]uint64

func (b *bigramSet) add(x, y byte) {
	h := (uint(x)*31 + uint(y)) & 4095
	b[h>>6] |= 1 << (h & 63)
}

func (b *bigramSet) has(x, y byte) bool {
	h := (uint(x)*31 + uint(y)) & 4095
	return b[h>>6]&(1<<(h&63)) != 0
}
