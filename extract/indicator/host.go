package indicator

import (
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// validDomain reports whether host (lower case, without a trailing dot)
// is a name one can register: labels of letters, digits and hyphens under
// a public suffix whose top-level domain ICANN manages, with a label
// before the suffix. A private suffix such as duckdns.org counts, as its
// top-level domain is ICANN's; an unknown one such as "exe" does not.
func validDomain(host string) bool {
	if len(host) > 253 || !strings.Contains(host, ".") {
		return false
	}
	for l := range strings.SplitSeq(host, ".") {
		if !validLabel(l) {
			return false
		}
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if !strings.HasPrefix(tld, "xn--") {
		for i := 0; i < len(tld); i++ {
			if !isLetter(tld[i]) {
				return false
			}
		}
	}
	suffix, icann := publicsuffix.PublicSuffix(host)
	if !icann {
		if !strings.Contains(suffix, ".") {
			return false // a top-level domain the list does not know
		}
		if _, icannTLD := publicsuffix.PublicSuffix(tld); !icannTLD {
			return false
		}
	}
	// a label before the suffix: what EffectiveTLDPlusOne asks, without
	// looking the suffix up again (the labels are checked above)
	return len(host) > len(suffix) && host[len(host)-len(suffix)-1] == '.'
}

// validLabel reports whether l is a host name label in lower case:
// letters, digits and inner hyphens, 1 to 63 of them.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(('a' <= c && c <= 'z') || isDigit(c) || c == '-') {
			return false
		}
	}
	return true
}

// exampleDomain reports whether host is example.com, example.net,
// example.org or one of their subdomains, which RFC 2606 reserves for
// documentation.
func exampleDomain(host string) bool {
	for _, d := range []string{"example.com", "example.net", "example.org"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// onionHost reports whether host (lower case) is a Tor onion service
// name: a version 2 (16 characters) or version 3 (56 characters) base32
// label before ".onion", possibly with subdomains.
func onionHost(host string) bool {
	name, ok := strings.CutSuffix(host, ".onion")
	if !ok {
		return false
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		for l := range strings.SplitSeq(name[:i], ".") {
			if !validLabel(l) {
				return false
			}
		}
		name = name[i+1:]
	}
	if len(name) != 16 && len(name) != 56 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(('a' <= c && c <= 'z') || ('2' <= c && c <= '7')) {
			return false
		}
	}
	return true
}

// parseIPv4 reads a dotted quad of decimal octets 0 to 255, without
// leading zeros ("010" is octal to some parsers and a typo to the rest).
func parseIPv4(s string) (netip.Addr, bool) {
	var b [4]byte
	part := 0
	v, digits := 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || part > 3 || (digits > 1 && s[i-digits] == '0') || v > 255 {
				return netip.Addr{}, false
			}
			b[part] = byte(v)
			part++
			v, digits = 0, 0
			continue
		}
		if !isDigit(s[i]) || digits == 3 {
			return netip.Addr{}, false
		}
		v = v*10 + int(s[i]-'0')
		digits++
	}
	if part != 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(b), true
}

// ipClass says whether an address can be an indicator.
type ipClass int

const (
	ipPublic ipClass = iota
	// ipDocumentation is an address reserved for examples: an indicator
	// only when the text says it is one.
	ipDocumentation
	// ipNever is an address no one on the Internet can reach (private,
	// loopback, link-local, multicast, reserved): never an indicator.
	ipNever
)

// Special-purpose IPv4 blocks (IANA registry, RFC 6890) that are not
// reachable on the Internet.
var ipv4Never = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("10.0.0.0/8"),     // private
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("127.0.0.0/8"),    // loopback
	netip.MustParsePrefix("169.254.0.0/16"), // link-local
	netip.MustParsePrefix("172.16.0.0/12"),  // private
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("192.168.0.0/16"), // private
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("224.0.0.0/4"),    // multicast
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, and the broadcast address
}

// Documentation blocks: RFC 5737 (IPv4) and RFC 3849 (IPv6).
var ipDocs = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// globalUnicast6 is the only IPv6 block IANA allocates for global
// unicast; everything outside it (loopback, link-local, unique local,
// multicast, mapped IPv4) is not an Internet host's address.
var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// classifyIP says whether a can be an indicator.
func classifyIP(a netip.Addr) ipClass {
	for _, p := range ipDocs {
		if p.Contains(a) {
			return ipDocumentation
		}
	}
	if a.Is4() {
		for _, p := range ipv4Never {
			if p.Contains(a) {
				return ipNever
			}
		}
		return ipPublic
	}
	if !globalUnicast6.Contains(a) {
		return ipNever
	}
	return ipPublic
}

// SiteName is the name a domain, URL or e-mail address registers, without
// its public suffix, letters and digits only: "marksandspencer" for
// https://www.marksandspencer.co.uk/orders and for press@marksandspencer.com.
// It is "" for an IP address or a value with no registrable domain.
func SiteName(value string) string {
	host := hostOf(value)
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return ""
	}
	site, err := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(host))
	if err != nil {
		return ""
	}
	label, _, _ := strings.Cut(site, ".")
	return SiteKey(label)
}

// SiteKey is the form of a name that a site's label is compared in: lower
// case, ASCII letters and digits only ("Marks & Spencer" is
// "marksspencer"). SiteName's labels are in this form.
func SiteKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			return r
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

// hostOf is the host of a URL, an e-mail address or a host with a port:
// what stands between the scheme and the path, after any "@", without a
// port (an IPv6 address, with colons of its own, keeps them).
func hostOf(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.Contains(s[:i], ":") {
		s = s[:i]
	}
	return s
}
