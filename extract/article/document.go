package article

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The main-text extractor walks the parsed document once and records two flat
// lists: the block-level elements (in document order, so a subtree is a range
// of indexes) and the text blocks between block boundaries (also in document
// order, so a subtree's text is a range of block indexes). Scoring, boilerplate
// decisions and the final text all work on those lists, not on the tree.
// Selector-based passes (goquery/cascadia) would each cost a full walk, which
// matters when the budget is a few hundred microseconds a page.
//
// The walk itself reads a subtree in a few places: the <head> (once), the
// first <h1>, byline elements and rel=author links. Those reads stop after a
// few hundred bytes or nodes (see shortText), so an <h1> wrapped around the
// whole page or bylines nested in bylines cannot make the walk quadratic.
// Lists that look like share bars are judged after the walk, from the summed
// figures (see isShareList).

// elem is a block-level element of the document.
type elem struct {
	n          *html.Node
	parent     int32 // index of the enclosing block element, -1 at the top
	end        int32 // one past the index of the last descendant
	firstBlock int32 // index of the first block in the subtree
	endBlock   int32 // one past the index of the last block in the subtree
	text       int32 // characters of text in the subtree
	link       int32 // characters of link text in the subtree
	good       int32 // characters in paragraph-like blocks in the subtree
	kept       int32 // good, less what sits in dropped elements
	childGood  int32 // the part of good that comes from child elements
	score      float32
	junk       bool // looks like boilerplate by tag, class or id
	drop       bool // junk after the majority check, or inside junk
	weight     int8 // classify's result: classPositive, classNeutral, classJunk or classByline
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

// document is a parsed page flattened by one walk: every element with its
// text figures and boilerplate verdict, the blocks of text between block
// boundaries, and the metadata noticed on the way.
type document struct {
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
	h1         string // text of the first <h1>
	h1Seen     bool
	times      []string
	jsonLD     []string
	authorRels []string
	bylineText []string
	bodyMeta   map[string]string // microdata <meta itemprop content> in the body

	headMeta *headMeta

	classCache map[string]int8 // class+id string -> classify result
}

func newDocument(root *html.Node) *document {
	p := &document{
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

func (p *document) walk(n *html.Node, parent int32, inLink bool) {
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

func (p *document) element(n *html.Node, parent int32, inLink bool) {
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
		if p.docTitle == "" && n.FirstChild != nil {
			// <title> holds one text node (the parser reads it as RCDATA).
			p.docTitle = normalizeSpace(n.FirstChild.Data)
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
	case atom.Meta:
		p.readMicrodata(n)
		return
	}
	if skipTags[a] || hidden(n) {
		return
	}
	if a == atom.A && strings.Contains(attr(n, "rel"), "author") {
		if t := shortText(n, maxNameBytes); t != "" {
			p.authorRels = append(p.authorRels, t)
		}
	}
	if inlineTags[a] || (a == 0 && !blockLikeCustom(n)) {
		p.walk(n, parent, inLink || a == atom.A)
		return
	}

	p.flush()
	idx := int32(len(p.elems))
	p.elems = append(p.elems, elem{n: n, parent: parent, firstBlock: int32(len(p.blocks))})
	e := &p.elems[idx]
	cls := p.classify(n)
	e.weight = cls
	e.junk = junkTags[a] || cls < 0
	if a == atom.H1 && !p.h1Seen {
		// Only the first <h1> can be the headline; reading every one would
		// copy the text of nested headings once per level.
		p.h1Seen = true
		p.h1 = shortText(n, maxHeadlineBytes)
	}
	if cls == classByline {
		if t := shortText(n, maxNameBytes); t != "" {
			p.bylineText = append(p.bylineText, t)
		}
	}
	saved := p.curOwner
	p.curOwner = idx
	p.walk(n, idx, inLink)
	p.flush()
	p.curOwner = saved
	p.elems[idx].end = int32(len(p.elems))
	p.elems[idx].endBlock = int32(len(p.blocks))
}

// readMicrodata records <meta itemprop=... content=...> found in the body,
// where schema.org microdata puts datePublished and author. The first value
// of each property wins, and the head's declarations win over the body's.
func (p *document) readMicrodata(n *html.Node) {
	var prop, content string
	hasContent := false
	for _, a := range n.Attr {
		switch a.Key {
		case "itemprop":
			prop = strings.ToLower(strings.TrimSpace(a.Val))
		case "content":
			content, hasContent = strings.TrimSpace(a.Val), true
		}
	}
	if prop == "" || !hasContent || content == "" {
		return
	}
	if p.bodyMeta == nil {
		p.bodyMeta = make(map[string]string, 4)
	}
	if _, seen := p.bodyMeta[prop]; !seen {
		p.bodyMeta[prop] = content
	}
}

// blockLikeCustom reports whether an unknown (custom) element should break the
// text flow. Custom elements are mostly layout wrappers; treat them as blocks
// unless they sit inside a paragraph.
func blockLikeCustom(n *html.Node) bool {
	return n.Parent == nil || n.Parent.DataAtom != atom.P
}

func (p *document) addText(s string, inLink bool) {
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

func (p *document) flush() {
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
func (p *document) finish() {
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
	for i := range p.elems {
		if a := p.elems[i].n.DataAtom; (a == atom.Ul || a == atom.Ol) && p.isShareList(int32(i)) {
			p.elems[i].junk = true
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
			// CSS is case-insensitive: DISPLAY:NONE hides as well.
			s := strings.ToLower(a.Val)
			if strings.Contains(s, "none") || strings.Contains(s, "hidden") {
				s = strings.ReplaceAll(s, " ", "")
				if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
					return true
				}
			}
		}
	}
	return false
}

// isShareList spots lists whose items are all short links (share bars,
// tag lists, menus without a class). It runs after the text figures are
// summed, so it costs a look at the list's direct children and nothing
// more, however deeply lists nest.
func (p *document) isShareList(list int32) bool {
	items, links := 0, 0
	for c := list + 1; c < p.elems[list].end; c = p.elems[c].end {
		e := &p.elems[c]
		if e.n.DataAtom != atom.Li {
			continue
		}
		items++
		if e.text > 0 && e.link == e.text {
			links++
		}
	}
	return items >= 3 && links == items
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Limits for shortText.
const (
	maxHeadlineBytes  = 500 // longer "headlines" are page wrappers, not titles
	maxNameBytes      = 200 // longer "bylines" are paragraphs that mention an author
	maxShortTextNodes = 256
)

// shortText returns the text under n with white space collapsed, scripts and
// styles excluded, or "" when the text is longer than limit bytes or spread
// over more than maxShortTextNodes nodes. The bounds keep the walk linear:
// it calls shortText on elements that may nest inside each other.
func shortText(n *html.Node, limit int) string {
	var b strings.Builder
	nodes := 0
	space, ok := false, true
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && ok; c = c.NextSibling {
			if nodes++; nodes > maxShortTextNodes {
				ok = false
				return
			}
			switch c.Type {
			case html.TextNode:
				space = appendCollapsed(&b, c.Data, space)
				if b.Len() > limit {
					ok = false
					return
				}
			case html.ElementNode:
				switch c.DataAtom {
				case atom.Script, atom.Style:
				case atom.Br:
					space = b.Len() > 0
				default:
					visit(c)
				}
			}
		}
	}
	visit(n)
	if !ok {
		return ""
	}
	return b.String()
}
