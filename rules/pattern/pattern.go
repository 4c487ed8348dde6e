package pattern

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/nlp"
)

// The slots of the pattern language: what a {slot} item captures.
const (
	SlotVictim = "victim" // an organisation's name (or a dictionary entry) as a victim
	SlotActor  = "actor"  // an actor's name, a dictionary actor or ransomware brand, or a quoted handle
	SlotTool   = "tool"   // a tooling entry of the dictionary, or a CVE id
	SlotOrg    = "org"    // an organisation's name, for responders and sources
	SlotNumber = "number" // a number: 500,000, 2.5 million, two
	SlotMoney  = "money"  // a sum of money: $4.5 million, £300m
)

// slotNames are the slots a pattern may use, in the order error messages
// list them.
var slotNames = []string{SlotVictim, SlotActor, SlotTool, SlotOrg, SlotNumber, SlotMoney}

// pennTags are the Penn Treebank part-of-speech tags a pattern may name
// (the word-level tags; punctuation tags cannot be written as <TAG>).
var pennTags = []string{
	"CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR", "JJS", "LS", "MD",
	"NN", "NNP", "NNPS", "NNS", "PDT", "POS", "PRP", "PRP$", "RB", "RBR",
	"RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ",
	"WDT", "WP", "WP$", "WRB",
}

// Gap bounds: a bare ".." skips up to defaultGap tokens, "..N" up to N.
const (
	defaultGap = 5
	maxGap     = 20
	// maxDepth bounds the nesting of groups so that a hostile pattern cannot
	// recurse without limit; real patterns nest two or three deep.
	maxDepth = 16
)

// PatternError is a pattern that does not parse. Col is the 1-based
// character (rune) offset in the pattern where the problem was found.
type Error struct {
	Col int
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("pattern col %d: %s", e.Col, e.Msg)
}

// ParsePattern parses a pattern of the pattern language described in
// rules/README.md into its items. Words are stored lower-cased, curly
// apostrophes made straight, with a trailing * turned into Item.Pre; a tag
// is stored as written, so <NN*> is Tag "NN*" (see Item.MatchTag).
func Parse(s string) ([]Item, error) {
	return parse(s, nil)
}

// parsePattern is ParsePattern calling seen, when not nil, with every
// sequence it reads (the pattern and each alternative) and the 0-based rune
// offsets of its items, so that lintPattern can point at an item.
func parse(s string, seen func(items []Item, cols []int)) ([]Item, error) {
	p := &patternParser{src: []rune(s), seen: seen}
	items, cols, err := p.sequence(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.src) {
		// sequence stops only at a delimiter that has no group to close.
		c := p.src[p.pos]
		if c == '|' {
			return nil, p.errAt(p.pos, `"|" outside a group; write (a|b) or [a|b]`)
		}
		return nil, p.errAt(p.pos, fmt.Sprintf("unexpected %q without a matching opening bracket", string(c)))
	}
	if len(items) == 0 {
		return nil, &Error{Col: 1, Msg: "empty pattern"}
	}
	if err := checkGaps(items, cols, "pattern"); err != nil {
		return nil, err
	}
	return items, nil
}

// MatchWord reports whether an ItemWord matches the token tok, given
// folded as nlp.Fold folds it (a token's Lower): equal, or starting with
// Word when Pre is set.
func (it *Item) MatchWord(tok string) bool {
	if it.Kind != ItemWord {
		return false
	}
	if it.Pre {
		return strings.HasPrefix(tok, it.Word)
	}
	return tok == it.Word
}

// MatchTag reports whether an ItemTag matches the part-of-speech tag tag:
// exactly, or by prefix when Tag ends in * (<NN*> matches NN, NNS, NNP,
// NNPS). Pre set on a tag item means a prefix match too, so items built by
// hand either way behave alike.
func (it *Item) MatchTag(tag string) bool {
	if it.Kind != ItemTag {
		return false
	}
	want, pre := it.Tag, it.Pre
	if t, ok := strings.CutSuffix(want, "*"); ok {
		want, pre = t, true
	}
	if pre {
		return strings.HasPrefix(tag, want)
	}
	return tag == want
}

// Slots returns the slot names a pattern uses anywhere, in order of first
// appearance.
func Slots(items []Item) []string {
	var out []string
	var walk func([]Item)
	walk = func(items []Item) {
		for _, it := range items {
			switch it.Kind {
			case ItemSlot:
				if !slices.Contains(out, it.Slot) {
					out = append(out, it.Slot)
				}
			case ItemAlt, ItemOpt:
				for _, alt := range it.Alts {
					walk(alt)
				}
			}
		}
	}
	walk(items)
	return out
}

type patternParser struct {
	src  []rune
	pos  int
	seen func(items []Item, cols []int) // see parsePattern
}

func (p *patternParser) errAt(pos int, msg string) error {
	return &Error{Col: pos + 1, Msg: msg}
}

// sequence parses items up to the end of input or a delimiter that ends a
// sequence ('|', ')', ']'), which it leaves for the caller. cols holds each
// item's position, for gap errors.
func (p *patternParser) sequence(depth int) (items []Item, cols []int, err error) {
	for {
		for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
			p.pos++
		}
		if p.pos >= len(p.src) {
			p.report(items, cols)
			return items, cols, nil
		}
		start := p.pos
		var it Item
		switch c := p.src[p.pos]; {
		case c == '|' || c == ')' || c == ']':
			p.report(items, cols)
			return items, cols, nil
		case c == '(' || c == '[':
			it, err = p.group(depth)
		case c == '{':
			it, err = p.slot()
		case c == '<':
			it, err = p.tag()
		case c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '.':
			it, err = p.gap()
		case isWordRune(c) || c == '*':
			it, err = p.word()
		default:
			err = p.errAt(p.pos, fmt.Sprintf("unexpected %q", string(c)))
		}
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
		cols = append(cols, start)
	}
}

// report passes a finished sequence to seen.
func (p *patternParser) report(items []Item, cols []int) {
	if p.seen != nil && len(items) > 0 {
		p.seen(items, cols)
	}
}

func (p *patternParser) group(depth int) (Item, error) {
	open := p.src[p.pos]
	start := p.pos
	kind, close := ItemAlt, ')'
	if open == '[' {
		kind, close = ItemOpt, ']'
	}
	if depth >= maxDepth {
		return Item{}, p.errAt(start, fmt.Sprintf("groups nested more than %d deep", maxDepth))
	}
	p.pos++
	it := Item{Kind: kind}
	for {
		altStart := p.pos
		alt, cols, err := p.sequence(depth + 1)
		if err != nil {
			return Item{}, err
		}
		if p.pos >= len(p.src) {
			return Item{}, p.errAt(start, fmt.Sprintf("unclosed %q", string(open)))
		}
		c := p.src[p.pos]
		if len(alt) == 0 {
			if c == close && len(it.Alts) == 0 {
				return Item{}, p.errAt(start, fmt.Sprintf("empty group %q", string(open)+string(close)))
			}
			return Item{}, p.errAt(altStart, fmt.Sprintf("empty alternative in %q opened at col %d", string(open), start+1))
		}
		if err := checkGaps(alt, cols, "alternative"); err != nil {
			return Item{}, err
		}
		it.Alts = append(it.Alts, alt)
		switch c {
		case '|':
			p.pos++
		case close:
			p.pos++
			return it, nil
		default: // the other closing bracket
			return Item{}, p.errAt(p.pos, fmt.Sprintf("%q does not close %q opened at col %d", string(c), string(open), start+1))
		}
	}
}

// delimited reads the text between the bracket at p.pos and the closing
// rune close, which must come before whitespace or another bracket.
func (p *patternParser) delimited(close rune) (string, error) {
	start := p.pos
	open := p.src[start]
	for i := start + 1; i < len(p.src); i++ {
		c := p.src[i]
		if c == close {
			p.pos = i + 1
			return string(p.src[start+1 : i]), nil
		}
		if unicode.IsSpace(c) || strings.ContainsRune("()[]{}<>|", c) {
			break
		}
	}
	return "", p.errAt(start, fmt.Sprintf("unclosed %q", string(open)))
}

func (p *patternParser) slot() (Item, error) {
	start := p.pos
	name, err := p.delimited('}')
	if err != nil {
		return Item{}, err
	}
	if !slices.Contains(slotNames, name) {
		return Item{}, p.errAt(start, fmt.Sprintf("unknown slot {%s} (want {%s})", name, strings.Join(slotNames, "}, {")))
	}
	return Item{Kind: ItemSlot, Slot: name}, nil
}

func (p *patternParser) tag() (Item, error) {
	start := p.pos
	text, err := p.delimited('>')
	if err != nil {
		return Item{}, err
	}
	name, pre := strings.CutSuffix(text, "*")
	if name == "" {
		return Item{}, p.errAt(start, fmt.Sprintf("empty tag <%s>", text))
	}
	if strings.ToUpper(name) != name {
		return Item{}, p.errAt(start, fmt.Sprintf("tag <%s> must be upper case (Penn Treebank tags such as <NNP>, <VBD>)", text))
	}
	known := slices.ContainsFunc(pennTags, func(t string) bool {
		if pre {
			return strings.HasPrefix(t, name)
		}
		return t == name
	})
	if !known {
		return Item{}, p.errAt(start, fmt.Sprintf("unknown tag <%s> (want a Penn Treebank tag such as <NNP>, <VBD>, <NN*>)", text))
	}
	// The tag is kept as written, "NN*" included: the matcher reads the
	// trailing * as a prefix match (types.go's Item.Pre is for words).
	return Item{Kind: ItemTag, Tag: text}, nil
}

func (p *patternParser) gap() (Item, error) {
	start := p.pos
	p.pos += 2
	end := p.pos
	for end < len(p.src) && !unicode.IsSpace(p.src[end]) && !strings.ContainsRune("()[]{}<>|", p.src[end]) {
		end++
	}
	digits := string(p.src[p.pos:end])
	p.pos = end
	if digits == "" {
		return Item{Kind: ItemGap, Max: defaultGap}, nil
	}
	n, err := strconv.Atoi(digits)
	if err != nil || strings.ContainsAny(digits, "+-") {
		return Item{}, p.errAt(start, fmt.Sprintf("bad gap %q: want .. or ..N with N from 1 to %d", ".."+digits, maxGap))
	}
	if n < 1 || n > maxGap {
		return Item{}, p.errAt(start, fmt.Sprintf("gap ..%d out of range: N must be from 1 to %d", n, maxGap))
	}
	return Item{Kind: ItemGap, Max: n}, nil
}

func (p *patternParser) word() (Item, error) {
	start := p.pos
	end := p.pos
	for end < len(p.src) && (isWordRune(p.src[end]) || p.src[end] == '*') {
		end++
	}
	p.pos = end
	text := string(p.src[start:end])
	w, pre := strings.CutSuffix(text, "*")
	if i := strings.IndexRune(w, '*'); i >= 0 {
		return Item{}, p.errAt(start+len([]rune(w[:i])), fmt.Sprintf("%q: * may only end a word", text))
	}
	if w == "" {
		return Item{}, p.errAt(start, `"*" needs a word before it, as in encrypt*`)
	}
	if strings.Contains(w, "..") {
		return Item{}, p.errAt(start, fmt.Sprintf("word %q contains \"..\"; put spaces around a gap", text))
	}
	return Item{Kind: ItemWord, Word: nlp.Fold(w), Pre: pre}, nil
}

// isWordRune reports whether c may appear in a pattern word.
func isWordRune(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune("'’-&.$,:;^", c)
}

// checkGaps rejects a gap that does not sit between two items of the same
// sequence: a leading or trailing gap would only widen the match, and two
// gaps in a row are one longer gap.
func checkGaps(items []Item, cols []int, where string) error {
	for i, it := range items {
		if it.Kind != ItemGap {
			continue
		}
		switch {
		case i == 0:
			return &Error{Col: cols[i] + 1, Msg: fmt.Sprintf("gap at the start of the %s", where)}
		case i == len(items)-1:
			return &Error{Col: cols[i] + 1, Msg: fmt.Sprintf("gap at the end of the %s", where)}
		case items[i-1].Kind == ItemGap:
			return &Error{Col: cols[i] + 1, Msg: "two gaps in a row; write one ..N"}
		}
	}
	return nil
}

// ItemKind tells what a pattern item matches.
type ItemKind int

// The pattern items.
const (
	ItemWord ItemKind = iota // one literal word, case-insensitive; a trailing * matches any ending ("encrypt*")
	ItemAlt                  // one of several sequences: (hit|struck|taken offline)
	ItemOpt                  // an optional sequence: [has|had] or [the]
	ItemSlot                 // a role slot: {victim}, {actor}, {tool}, {org}, {number}, {money}
	ItemTag                  // a part-of-speech tag: <VBD>, <NN*> (prefix)
	ItemGap                  // up to N tokens of anything: .. (N=5) or ..8
)

// Item is one element of a parsed pattern.
type Item struct {
	Kind ItemKind
	Word string   // ItemWord: lower-cased word, without a trailing *
	Pre  bool     // ItemWord: prefix match (the word ended in *)
	Alts [][]Item // ItemAlt and ItemOpt: the alternatives (ItemOpt may have one)
	Slot string   // ItemSlot: victim, actor, tool, org, number, money
	Tag  string   // ItemTag: the tag as written; a trailing * means a prefix ("NN*")
	Max  int      // ItemGap: most tokens skipped
}
