package pattern

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/nlp"
)

func word(w string) Item       { return Item{Kind: ItemWord, Word: w} }
func prefix(w string) Item     { return Item{Kind: ItemWord, Word: w, Pre: true} }
func slot(s string) Item       { return Item{Kind: ItemSlot, Slot: s} }
func gap(n int) Item           { return Item{Kind: ItemGap, Max: n} }
func tag(t string) Item        { return Item{Kind: ItemTag, Tag: t} }
func alt(alts ...[]Item) Item  { return Item{Kind: ItemAlt, Alts: alts} }
func opt(alts ...[]Item) Item  { return Item{Kind: ItemOpt, Alts: alts} }
func seq(items ...Item) []Item { return items }

func words(ws ...string) []Item {
	out := make([]Item, len(ws))
	for i, w := range ws {
		out[i] = word(w)
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		want    []Item
	}{
		{"one word", "hit", seq(word("hit"))},
		{"lower-cased", "Ransomware ATTACK", words("ransomware", "attack")},
		{"prefix", "encrypt*", seq(prefix("encrypt"))},
		{"curly apostrophe folded", "isn’t", seq(word("isn't"))},
		{"extra whitespace", "  was \t hit  ", words("was", "hit")},
		{"clause start and punctuation words", "^ {victim} : hit ,", seq(word("^"), slot("victim"), word(":"), word("hit"), word(","))},
		{"slots", "{victim} {actor} {tool} {org} {number} {money}",
			seq(slot("victim"), slot("actor"), slot("tool"), slot("org"), slot("number"), slot("money"))},
		{"alternatives", "(hit|struck|taken offline)",
			seq(alt(words("hit"), words("struck"), words("taken", "offline")))},
		{"optional", "[recently] hit", seq(opt(words("recently")), word("hit"))},
		{"optional with alternatives", "[has|had] been", seq(opt(words("has"), words("had")), word("been"))},
		{"nested", "(hit|taken (offline|down)|[badly] hurt)",
			seq(alt(
				words("hit"),
				seq(word("taken"), alt(words("offline"), words("down"))),
				seq(opt(words("badly")), word("hurt"))))},
		{"adjacent brackets", "{victim}'s (systems)", seq(slot("victim"), word("'s"), alt(words("systems")))},
		{"tags", "<VBD> <NN*> <PRP$>", seq(tag("VBD"), tag("NN*"), tag("PRP$"))},
		{"default gap", "attack .. {victim}", seq(word("attack"), gap(5), slot("victim"))},
		{"sized gap", "attack ..12 {victim}", seq(word("attack"), gap(12), slot("victim"))},
		{"gap inside alternative", "(a .. b|c)", seq(alt(seq(word("a"), gap(5), word("b")), words("c")))},
		{"readme victim", "{victim} (was|were|has been|had been) [recently] (hit|struck|targeted|breached|hacked|compromised) by",
			seq(slot("victim"),
				alt(words("was"), words("were"), words("has", "been"), words("had", "been")),
				opt(words("recently")),
				alt(words("hit"), words("struck"), words("targeted"), words("breached"), words("hacked"), words("compromised")),
				word("by"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.pattern)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.pattern, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.pattern, got, tt.want)
			}
			// The canonical spelling parses back to the same items.
			again, err := Parse(Format(got))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("round trip through %q: %v, %#v", Format(got), err, again)
			}
		})
	}
}

func TestParsePatternWordCharacters(t *testing.T) {
	got, err := Parse("M&S U.S. isn't co-op $5 café")
	if err != nil {
		t.Fatal(err)
	}
	want := words("m&s", "u.s.", "isn't", "co-op", "$5", "café")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		want    string // substring of the error
	}{
		{"empty", "", "pattern col 1: empty pattern"},
		{"blank", "   ", "empty pattern"},
		{"unclosed paren", "{victim} was (hit|struck", `pattern col 14: unclosed "("`},
		{"unclosed bracket", "[recently hit", `pattern col 1: unclosed "["`},
		{"stray close", "hit)", `pattern col 4: unexpected ")"`},
		{"stray bracket close", "hit ] by", `pattern col 5: unexpected "]"`},
		{"bar outside group", "hit|struck", `pattern col 4: "|" outside a group`},
		{"mismatched close", "(hit]", `pattern col 5: "]" does not close "(" opened at col 1`},
		{"empty group", "was () hit", `pattern col 5: empty group "()"`},
		{"empty optional", "was [] hit", `empty group "[]"`},
		{"empty alternative", "(hit||struck)", `pattern col 6: empty alternative in "("`},
		{"trailing bar", "(hit|)", "empty alternative"},
		{"leading bar", "[|the] hit", "empty alternative"},
		{"unknown slot", "{company} was hit", `pattern col 1: unknown slot {company}`},
		{"upper-case slot", "{Victim} was hit", "unknown slot {Victim}"},
		{"empty slot", "{} was hit", "unknown slot {}"},
		{"unclosed slot", "{victim was hit", `unclosed "{"`},
		{"lower-case tag", "<vbd>", "must be upper case"},
		{"unknown tag", "was <VDB>", `pattern col 5: unknown tag <VDB>`},
		{"unknown tag prefix", "<XY*>", "unknown tag <XY*>"},
		{"empty tag", "<>", "empty tag"},
		{"unclosed tag", "<NN hit", `unclosed "<"`},
		{"leading gap", ".. hit", "pattern col 1: gap at the start of the pattern"},
		{"trailing gap", "hit ..", "pattern col 5: gap at the end of the pattern"},
		{"two gaps", "hit .. ..3 by", "pattern col 8: two gaps in a row"},
		{"gap at alternative end", "a (b ..|c) d", "gap at the end of the alternative"},
		{"gap zero", "a ..0 b", "out of range"},
		{"gap too large", "a ..21 b", "out of range"},
		{"gap not a number", "a ..x b", `bad gap "..x"`},
		{"ellipsis", "a ... b", `bad gap "..."`},
		{"gap glued to word", "a hit..by", "put spaces around a gap"},
		{"star alone", "a * b", "needs a word before it"},
		{"star inside", "en*crypt", "* may only end a word"},
		{"unexpected character", "{victim} @ a retailer", `pattern col 10: unexpected "@"`},
		{"too deep", strings.Repeat("(", 40) + "a" + strings.Repeat(")", 40), "nested more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Parse(tt.pattern)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want error containing %q", tt.pattern, items, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error %q, want it to contain %q", tt.pattern, err, tt.want)
			}
		})
	}
}

func TestItemMatch(t *testing.T) {
	tests := []struct {
		name string
		item Item
		tok  string
		want bool
	}{
		{"word equal", word("hit"), "Hit", true},
		{"word differs", word("hit"), "hits", false},
		{"prefix", prefix("encrypt"), "Encrypted", true},
		{"prefix exact", prefix("encrypt"), "encrypt", true},
		{"prefix differs", prefix("encrypt"), "decrypt", false},
		{"curly apostrophe", word("isn't"), "isn’t", true},
		{"tag equal", tag("VBD"), "VBD", true},
		{"tag not prefix", tag("VB"), "VBD", false},
		{"tag prefix", tag("NN*"), "NNPS", true},
		{"tag prefix short", tag("NN*"), "NN", true},
		{"tag prefix differs", tag("NN*"), "VBN", false},
		{"tag prefix as Pre", Item{Kind: ItemTag, Tag: "NN", Pre: true}, "NNS", true},
		{"slot is no word", slot("victim"), "victim", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bool
			if tt.item.Kind == ItemTag {
				got = tt.item.MatchTag(tt.tok)
			} else {
				got = tt.item.MatchWord(nlp.Fold(tt.tok)) // as a token's Lower
			}
			if got != tt.want {
				t.Errorf("match %q = %v, want %v", tt.tok, got, tt.want)
			}
		})
	}
}

func TestSlots(t *testing.T) {
	items, err := Parse("{actor} [has|have] claimed responsibility for the attack [on {victim}] ({actor}|{money})")
	if err != nil {
		t.Fatal(err)
	}
	got := Slots(items)
	want := []string{"actor", "victim", "money"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Slots = %v, want %v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"{victim} (was|were|has been) [recently] (hit|struck) by",
		"(tried|attempted) to (gain|obtain) [unauthorised|unauthorized] access",
		"<NNP*> .. <VBD> ..3 {money}", "((a|b)|[c])", "a..b", "(", "{x}", "encrypt*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := Parse(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T, want *Error", err)
			}
			return
		}
		if len(items) == 0 {
			t.Fatalf("Parse(%q): no items and no error", s)
		}
		again, err := Parse(Format(items))
		if err != nil || !reflect.DeepEqual(again, items) {
			t.Fatalf("round trip of %q through %q: %v", s, Format(items), err)
		}
	})
}

// Format writes items back in the pattern language, in a canonical
// spelling, for the round-trip tests: Parse(Format(items))
// must yield the same items.
func Format(items []Item) string {
	var b strings.Builder
	formatSeq(&b, items)
	return b.String()
}

func formatSeq(b *strings.Builder, items []Item) {
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch it.Kind {
		case ItemWord:
			b.WriteString(it.Word)
			if it.Pre {
				b.WriteByte('*')
			}
		case ItemAlt, ItemOpt:
			open, close := byte('('), byte(')')
			if it.Kind == ItemOpt {
				open, close = '[', ']'
			}
			b.WriteByte(open)
			for j, alt := range it.Alts {
				if j > 0 {
					b.WriteByte('|')
				}
				formatSeq(b, alt)
			}
			b.WriteByte(close)
		case ItemSlot:
			b.WriteString("{" + it.Slot + "}")
		case ItemTag:
			b.WriteString("<" + it.Tag)
			if it.Pre && !strings.HasSuffix(it.Tag, "*") {
				b.WriteByte('*')
			}
			b.WriteByte('>')
		case ItemGap:
			b.WriteString("..")
			if it.Max != defaultGap {
				b.WriteString(strconv.Itoa(it.Max))
			}
		}
	}
}
