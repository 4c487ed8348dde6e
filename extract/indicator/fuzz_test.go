package indicator

import (
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"
)

var knownTypes = map[string]bool{
	typeIPv4: true, typeIPv6: true, typeDomain: true, typeURL: true, typeEmail: true,
	typeMD5: true, typeSHA1: true, typeSHA256: true, typeOnion: true, typeBitcoin: true, typeCVE: true,
}

// FuzzFind checks what holds for any text: Find does not panic; its
// offsets are in order, within the text and do not overlap; the written
// form refangs to the value (in any letter case; an IPv6 address to the
// same address, a CVE id with its dashes made hyphens); values are valid
// UTF-8 and refanging them changes nothing.
func FuzzFind(f *testing.F) {
	for _, tc := range findCases {
		f.Add(tc.text, tc.site)
	}
	for _, l := range append(readLabelled(f, "testdata/sentences.jsonl"), readLabelled(f, "testdata/heldout.jsonl")...) {
		f.Add(l.Text, l.Site)
	}
	// edges: forms cut short, at the ends of the text, nested, spaced
	for _, s := range []string{
		"CVE–2023–", "CVE-2023-4966\xe2\x80", "\xe2\x80\x93CVE-2023-4966", "hxxp[:]//[2a04:9d4::d017]:8/x",
		"a [at] b [dot] com [dot] x", "evil[.][.]com", "evil[[.]]com", " [.] ", "[.]", "hxxps[://]",
		"http://a.com/a[.]", "meow[:]//x[.]io/(a))", "1.2.3.4.", ".45.1.2.3", "45.1.2.3/", "45.1.2.3/24/x",
		"x@y.co.uk@z.com", "@@", "::", "2a04::1::", "[2a04::1]", "bc1", "1" + strings.Repeat("z", 34),
		"http://" + strings.Repeat("(", 100) + "x.com", "evil(dot)com(at)x", "a(@)b(.)c",
	} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, text, site string) {
		found := testFinder.Find(text, Options{ExcludeHosts: []string{site}})
		last := 0
		for _, fd := range found {
			if fd.Start < last || fd.Start >= fd.End || fd.End > len(text) {
				t.Fatalf("Find(%q): %+v out of order or range (previous end %d)", text, fd, last)
			}
			last = fd.End
			if !knownTypes[fd.Type] {
				t.Fatalf("Find(%q): unknown type %q", text, fd.Type)
			}
			if !utf8.ValidString(fd.Value) {
				t.Fatalf("Find(%q): value %q is not UTF-8", text, fd.Value)
			}
			if r := Refang(fd.Value); r != fd.Value {
				t.Fatalf("Find(%q): Refang(%q) = %q", text, fd.Value, r)
			}
			written := text[fd.Start:fd.End]
			if fd.Defanged != "" && fd.Defanged != written {
				t.Fatalf("Find(%q): Defanged %q, written %q", text, fd.Defanged, written)
			}
			if !refangsTo(written, fd) {
				t.Fatalf("Find(%q): %q refangs to %q, value %q (%s)", text, written, Refang(written), fd.Value, fd.Type)
			}
		}
	})
}

// refangsTo reports whether the written form of fd gives its value.
func refangsTo(written string, fd Found) bool {
	r := Refang(written)
	switch fd.Type {
	case typeIPv6:
		a, err1 := netip.ParseAddr(r)
		b, err2 := netip.ParseAddr(fd.Value)
		return err1 == nil && err2 == nil && a == b
	case typeCVE:
		r = strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2013", "-").Replace(r)
	}
	return strings.EqualFold(r, fd.Value)
}
