package article

import (
	"strings"
	"unicode"

	"golang.org/x/net/html/atom"
)

// mainText picks the element that holds the article, adds the sibling
// elements that continue it, and returns their paragraphs in document order.
//
// Scoring follows the readability family: every prose block adds points (one,
// plus one a comma, plus one a hundred characters up to three) to its container
// and, halved and sixthed, to the two above it; a container's score is then
// discounted by its link density and nudged by its class names.
func (p *document) mainText() []string {
	top := p.topCandidate()
	if top < 0 {
		return nil
	}
	ranges := p.articleRanges(top)
	return p.collect(ranges)
}

func (p *document) topCandidate() int32 {
	for i := range p.blocks {
		b := &p.blocks[i]
		if b.owner < 0 || !b.good() || p.elems[b.owner].drop {
			continue
		}
		score := 1 + float32(strings.Count(b.text, ",")+strings.Count(b.text, "，")+strings.Count(b.text, "、"))
		score += min(float32(b.chars)/100, 3)
		e := b.owner
		if isParagraphTag(b.tag) {
			e = p.elems[e].parent
		}
		for level := 0; level < 3 && e >= 0; level++ {
			switch level {
			case 0:
				p.elems[e].score += score
			case 1:
				p.elems[e].score += score / 2
			default:
				p.elems[e].score += score / 6
			}
			e = p.elems[e].parent
		}
	}
	best, bestScore := int32(-1), float32(0)
	for i := range p.elems {
		e := &p.elems[i]
		if e.score == 0 || e.drop {
			continue
		}
		s := e.score * (1 - p.linkDensity(int32(i)))
		switch e.weight {
		case classPositive:
			s *= 1.25
		}
		e.score = s
		if s > bestScore {
			best, bestScore = int32(i), s
		}
	}
	return best
}

func (p *document) linkDensity(i int32) float32 {
	e := &p.elems[i]
	if e.text == 0 {
		return 0
	}
	return float32(e.link) / float32(e.text)
}

func isParagraphTag(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Pre, atom.Blockquote, atom.Li, atom.Dd, atom.Dt,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// subtree is a range [start, end) of element indexes: an element and its
// descendants.
type subtree struct{ start, end int32 }

// articleRanges returns the subtrees that make up the article: the top
// candidate, widened to an ancestor when the prose is spread over several
// containers, plus siblings that read as more of the same.
func (p *document) articleRanges(top int32) []subtree {
	top = p.widen(top)
	threshold := max(10, p.elems[top].score*0.2)
	par := p.elems[top].parent
	if par < 0 {
		return []subtree{{top, p.elems[top].end}}
	}
	var out []subtree
	for i := par + 1; i < p.elems[par].end; i = p.elems[i].end {
		if i == top {
			out = append(out, subtree{i, p.elems[i].end})
			continue
		}
		e := &p.elems[i]
		if e.drop {
			continue
		}
		keep := e.score >= threshold
		if !keep && e.good > 0 && isParagraphTag(e.n.DataAtom) {
			ld := p.linkDensity(i)
			keep = (e.text > 80 && ld < 0.25) || (ld == 0 && p.hasSentenceBreak(i))
		}
		if keep {
			out = append(out, subtree{i, e.end})
		}
	}
	return out
}

// widen climbs from the top candidate to the ancestor that holds the whole
// article when its prose is split over several containers (one div per few
// paragraphs, with ads between), without turning into the whole page, where
// it would take in teasers and link lists too. An ancestor is taken only when
// the prose it adds is of the same kind as the candidate's own: paragraphs
// whose element and class match the candidate's most common paragraph.
// Single-child wrappers are passed through.
func (p *document) widen(top int32) int32 {
	sig := p.dominantSignature(top)
	best := top
	for a, level := p.elems[top].parent, 0; a >= 0 && level < 6; a, level = p.elems[a].parent, level+1 {
		e := &p.elems[a]
		if e.drop || p.linkDensity(a) > 0.4 {
			break
		}
		same, other := p.extraProse(a, best, sig)
		if same >= 100 && same*10 >= p.elems[best].kept && other <= 2*same {
			best = a
		}
	}
	return best
}

// signature identifies a kind of paragraph: its first class name, or its
// element when it has no class. Modifier classes ("speakable", "dropcap")
// follow the first and are ignored, and so is <p> versus <div> when both carry
// the site's paragraph class.
type signature struct {
	tag   atom.Atom
	class string
}

func (p *document) blockSignature(b *block) signature {
	class := attr(p.elems[b.owner].n, "class")
	if f := strings.Fields(class); len(f) > 0 {
		return signature{class: f[0]}
	}
	return signature{tag: b.tag}
}

// dominantSignature returns the signature that carries most of the prose
// inside element i.
func (p *document) dominantSignature(i int32) signature {
	counts := make(map[signature]int32, 8)
	var best signature
	var bestN int32
	for k := p.elems[i].firstBlock; k < p.elems[i].endBlock; k++ {
		b := &p.blocks[k]
		if !b.good() || p.elems[b.owner].drop {
			continue
		}
		s := p.blockSignature(b)
		counts[s] += b.chars
		if counts[s] > bestN {
			best, bestN = s, counts[s]
		}
	}
	return best
}

// extraProse measures the prose that element a holds outside element inner,
// split by whether it matches sig.
func (p *document) extraProse(a, inner int32, sig signature) (same, other int32) {
	ea, ei := &p.elems[a], &p.elems[inner]
	count := func(from, to int32) {
		for k := from; k < to; k++ {
			b := &p.blocks[k]
			if !b.good() || p.elems[b.owner].drop {
				continue
			}
			if p.blockSignature(b) == sig {
				same += b.chars
			} else {
				other += b.chars
			}
		}
	}
	count(ea.firstBlock, ei.firstBlock)
	count(ei.endBlock, ea.endBlock)
	return same, other
}

// hasSentenceBreak reports whether the text of element i has a full stop
// followed by more text: one inside a block, or one ending a block (blocks
// are separate runs of text).
func (p *document) hasSentenceBreak(i int32) bool {
	for _, b := range p.blocks[p.elems[i].firstBlock:p.elems[i].endBlock] {
		if strings.Contains(b.text, ". ") || strings.HasSuffix(b.text, ".") {
			return true
		}
	}
	return false
}

// collect returns the paragraphs of the blocks inside ranges, leaving out
// boilerplate that sits inside the article container.
func (p *document) collect(ranges []subtree) []string {
	var out []string
	r := 0
	for i := range p.blocks {
		b := &p.blocks[i]
		if b.owner < 0 {
			continue
		}
		for r < len(ranges) && b.owner >= ranges[r].end {
			r++
		}
		if r == len(ranges) {
			break
		}
		if b.owner < ranges[r].start || p.elems[b.owner].drop {
			continue
		}
		if !p.keepBlock(b) {
			continue
		}
		out = append(out, b.text)
	}
	return out
}

func (p *document) keepBlock(b *block) bool {
	ld := b.linkDensity()
	if ld > 0.5 && b.chars < 300 {
		return false
	}
	if b.chars < 60 && isBoilerplateLine(b.text) {
		return false
	}
	return true
}

// boilerplateLines are whole lines that label furniture inside article
// containers, compared lower-cased with trailing punctuation trimmed. Whole
// lines only: "Loading bays at the port were closed" is news.
var boilerplateLines = map[string]bool{
	"advertisement": true, "advertising": true, "sponsored": true, "sponsored content": true,
	"share": true, "share this": true, "share this article": true, "share this story": true,
	"share this page": true, "share article": true, "read more": true, "read also": true,
	"also read": true, "see also": true, "related": true, "related stories": true,
	"related articles": true, "related content": true, "more on this story": true,
	"loading": true, "sign in": true, "log in": true, "login": true, "sign up": true,
	"subscribe": true, "subscribe now": true, "text size": true, "most read": true,
	"most popular": true, "recommended": true, "recommended for you": true,
	"continue reading": true, "continue reading the main story": true,
	"story continues below": true, "story continues below advertisement": true,
	"skip to content": true, "skip to main content": true, "scroll to continue": true,
	"follow us": true, "getty images": true, "all rights reserved": true, "tags": true,
	"topics": true, "related topics": true, "more from this section": true, "back to top": true,
}

// boilerplateLabels start furniture lines when a colon or a bar follows
// them: "Read more: ...", "Photo: Reuters", "Related | ...".
var boilerplateLabels = []string{
	"read more", "read also", "also read", "see also", "related", "photo", "photograph",
	"image", "picture", "credit", "watch", "listen", "advertisement", "sponsored",
}

// boilerplatePrefixes start furniture lines whatever follows. Each ends in a
// word that ordinary sentences rarely put there ("sign up to", not "sign").
var boilerplatePrefixes = []string{
	"sign up to ", "sign up for ", "subscribe to ", "subscribe for ", "subscribe now",
	"already a member", "already a subscriber", "already have an account", "click here",
	"follow us on ", "share on ", "©", "copyright ©", "copyright (c)", "all rights reserved",
}

// isBoilerplateLine reports whether a short block is a label such as
// "Advertisement", "Share this article" or "Photo: Reuters" rather than text.
func isBoilerplateLine(s string) bool {
	l := strings.TrimRightFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '|' || r == '»' || r == '›'
	})
	if boilerplateLines[l] {
		return true
	}
	for _, prefix := range boilerplatePrefixes {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	for _, label := range boilerplateLabels {
		if rest, ok := strings.CutPrefix(l, label); ok {
			rest = strings.TrimLeft(rest, " ")
			if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "|") {
				return true
			}
		}
	}
	return false
}
