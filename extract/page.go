package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The main-text extractor walks the parsed document once and records two flat
// lists: the block-level elements (in document order, so a subtree is a range
// of indexes) and the text blocks between block boundaries. Scoring, boilerplate
// decisions and the final text all work on those lists; nothing walks the tree
// again. Selector-based passes (goquery/cascadia) would each cost a full walk,
// which matters when the budget is a few hundred microseconds a page.

// elem is a block-level element of the document.
type elem struct {
	n         *html.Node
	parent    int32 // index of the enclosing block element, -1 at the top
	end       int32 // one past the index of the last descendant
	text      int32 // characters of text in the subtree
	link      int32 // characters of link text in the subtree
	good      int32 // characters in paragraph-like blocks in the subtree
	kept      int32 // good, less what sits in dropped elements
	childGood int32 // the part of good that comes from child elements
	score     float32
	junk      bool // looks like boilerplate by tag, class or id
	drop      bool // junk after the majority check, or inside junk
	weight    int8 // class/id hint: +1 article-like, -1 boilerplate-like
}

// block is a run of text between block boundaries, owned by the nearest
// block-level element.
type block struct {
	text  string
	owner int32
	chars int32
	links int32
	tag   atom.Atom // tag of the owning element
}

func (b *block) linkDensity() float32 {
	if b.chars == 0 {
		return 0
	}
	return float32(b.links) / float32(b.chars)
}

// good reports whether b reads like a paragraph of prose rather than a label,
// a menu item or a list of links.
func (b *block) good() bool {
	return b.chars >= 25 && b.links*2 <= b.chars && !isHeading(b.tag)
}

type page struct {
	root   *html.Node
	elems  []elem
	blocks []block
	head   *html.Node

	// the block being collected
	cur      strings.Builder
	curOwner int32
	curChars int32
	curLinks int32
	space    bool

	// metadata noticed on the way
	docTitle   string
	lang       string
	h1         []string
	times      []string
	jsonLD     []string
	authorRels []string
	bylineText []string

	headMeta *headMeta

	classCache map[string]int8 // class+id string -> classify result
}

func newPage(root *html.Node) *page {
	p := &page{
		root:       root,
		elems:      make([]elem, 0, 256),
		blocks:     make([]block, 0, 256),
		curOwner:   -1,
		classCache: make(map[string]int8, 64),
	}
	p.walk(root, -1, false)
	p.flush()
	p.finish()
	return p
}

// skipTags are never part of the text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Canvas: true, atom.Video: true, atom.Audio: true,
	atom.Select: true, atom.Option: true, atom.Textarea: true, atom.Input: true,
	atom.Button: true, atom.Link: true, atom.Meta: true, atom.Base: true,
	atom.Map: true, atom.Picture: true, atom.Source: true, atom.Dialog: true,
}

// inlineTags do not break the flow of text.
var inlineTags = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Img: true, atom.Kbd: true, atom.Label: true,
	atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true,
	atom.Span: true, atom.Strike: true, atom.Strong: true, atom.Sub: true, atom.Sup: true,
	atom.Time: true, atom.Tt: true, atom.U: true, atom.Var: true, atom.Wbr: true,
	atom.Big: true, atom.Del: true, atom.Ins: true, atom.Nobr: true, atom.Acronym: true,
}

// junkTags hold page furniture rather than article text.
var junkTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Header: true,
	atom.Form: true, atom.Figcaption: true, atom.Figure: true, atom.Menu: true,
	atom.Address: true,
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func (p *page) walk(n *html.Node, parent int32, inLink bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			p.addText(c.Data, inLink)
		case html.ElementNode:
			p.element(c, parent, inLink)
		case html.DocumentNode:
			p.walk(c, parent, inLink)
		}
	}
}

func (p *page) element(n *html.Node, parent int32, inLink bool) {
	a := n.DataAtom
	switch a {
	case atom.Head:
		p.head = n
		p.readHead(n)
		return
	case atom.Html:
		if l := attr(n, "lang"); l != "" {
			p.lang = l
		} else if l := attr(n, "xml:lang"); l != "" {
			p.lang = l
		}
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
			p.jsonLD = append(p.jsonLD, n.FirstChild.Data)
		}
		return
	case atom.Title:
		if p.docTitle == "" {
			p.docTitle = normalizeSpace(textOf(n))
		}
		return
	case atom.Br:
		p.flush()
		return
	case atom.Time:
		if dt := attr(n, "datetime"); dt != "" {
			p.times = append(p.times, dt)
		}
	case atom.Img:
		return
	}
	if skipTags[a] || hidden(n) {
		return
	}
	if a == atom.A && strings.Contains(attr(n, "rel"), "author") {
		if t := normalizeSpace(textOf(n)); t != "" {
			p.authorRels = append(p.authorRels, t)
		}
	}
	if inlineTags[a] || (a == 0 && !blockLikeCustom(n)) {
		p.walk(n, parent, inLink || a == atom.A)
		return
	}

	p.flush()
	idx := int32(len(p.elems))
	p.elems = append(p.elems, elem{n: n, parent: parent})
	e := &p.elems[idx]
	cls := p.classify(n)
	e.weight = cls
	e.junk = junkTags[a] || cls < 0 || (a == atom.Ul || a == atom.Ol) && isShareList(n)
	if a == atom.H1 {
		p.h1 = append(p.h1, normalizeSpace(textOf(n)))
	}
	if cls == classByline {
		if t := normalizeSpace(textOf(n)); t != "" && len(t) < 200 {
			p.bylineText = append(p.bylineText, t)
		}
	}
	saved := p.curOwner
	p.curOwner = idx
	p.walk(n, idx, inLink)
	p.flush()
	p.curOwner = saved
	p.elems[idx].end = int32(len(p.elems))
}

// blockLikeCustom reports whether an unknown (custom) element should break the
// text flow. Custom elements are mostly layout wrappers; treat them as blocks
// unless they sit inside a paragraph.
func blockLikeCustom(n *html.Node) bool {
	return n.Parent == nil || n.Parent.DataAtom != atom.P
}

func (p *page) addText(s string, inLink bool) {
	for i, w := 0, 0; i < len(s); i += w {
		r := rune(s[i])
		w = 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		if isSpace(r) {
			p.space = p.curChars > 0
			continue
		}
		if p.space {
			p.cur.WriteByte(' ')
			p.space = false
		}
		p.cur.WriteString(s[i : i+w])
		p.curChars++
		if inLink {
			p.curLinks++
		}
	}
}

func (p *page) flush() {
	p.space = false
	if p.curChars == 0 {
		return
	}
	owner := p.curOwner
	b := block{text: p.cur.String(), owner: owner, chars: p.curChars, links: p.curLinks}
	if owner >= 0 {
		b.tag = p.elems[owner].n.DataAtom
		e := &p.elems[owner]
		e.text += b.chars
		e.link += b.links
		if b.good() {
			e.good += b.chars
		}
	}
	p.blocks = append(p.blocks, b)
	p.cur.Reset()
	p.curChars, p.curLinks = 0, 0
}

// finish sums the text figures up the tree and decides which boilerplate-looking
// elements really are boilerplate.
func (p *page) finish() {
	for i := len(p.elems) - 1; i >= 0; i-- {
		e := &p.elems[i]
		if e.parent >= 0 {
			par := &p.elems[e.parent]
			par.text += e.text
			par.link += e.link
			par.good += e.good
			par.childGood += e.good
		}
	}
	var total int32
	for i := range p.elems {
		if p.elems[i].parent < 0 {
			total += p.elems[i].good
		}
	}
	for i := range p.elems {
		e := &p.elems[i]
		if e.parent >= 0 && p.elems[e.parent].drop {
			e.drop = true
			continue
		}
		// Never drop a container that holds most of the page's prose because
		// its class name looks like furniture ("content-sidebar-wrap", an
		// ASP.NET <form> around the whole page).
		e.drop = e.junk && (total == 0 || e.good*2 < total)
	}
	for i := len(p.elems) - 1; i >= 0; i-- {
		e := &p.elems[i]
		if e.drop {
			continue
		}
		e.kept += e.good - e.childGood
		if e.parent >= 0 {
			p.elems[e.parent].kept += e.kept
		}
	}
}

// hidden reports elements that are not rendered. aria-hidden is not among
// the signs: sites put it on paywalled article text that is in the page but
// covered by a prompt, and that text belongs to the article.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			if strings.Contains(a.Val, "none") || strings.Contains(a.Val, "hidden") {
				s := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
				if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
					return true
				}
			}
		}
	}
	return false
}

// isShareList spots lists whose items are all short links (share bars,
// tag lists, menus without a class).
func isShareList(n *html.Node) bool {
	items, links := 0, 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		items++
		if hasOnlyLinkText(c) {
			links++
		}
	}
	return items >= 3 && links == items
}

func hasOnlyLinkText(n *html.Node) bool {
	sawLink := false
	var visit func(*html.Node, bool) bool
	visit = func(n *html.Node, inLink bool) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !inLink && strings.TrimSpace(c.Data) != "" {
					return false
				}
				if inLink && strings.TrimSpace(c.Data) != "" {
					sawLink = true
				}
			case html.ElementNode:
				if !visit(c, inLink || c.DataAtom == atom.A) {
					return false
				}
			}
		}
		return true
	}
	return visit(n, false) && sawLink
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf returns the raw text under n, scripts and styles excluded.
func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if c.DataAtom != atom.Script && c.DataAtom != atom.Style {
					if c.DataAtom == atom.Br {
						b.WriteByte(' ')
					}
					visit(c)
				}
			}
		}
	}
	visit(n)
	return b.String()
}
