package indicator

import (
	"cmp"
	"slices"
	"strings"
)

// Found is one indicator in a text.
type Found struct {
	// Type is one of ipv4, ipv6, domain, url, email, md5, sha1, sha256,
	// onion, bitcoin, cve.
	Type string
	// Value is the indicator refanged and normalised: see the package
	// comment.
	Value string
	// Defanged is the text as written when it was defanged
	// ("evil[.]com", "hxxp://..."), else "".
	Defanged string
	// Start and End are the UTF-8 byte offsets of the written form in
	// the text.
	Start, End int
}

// Options tune Find.
type Options struct {
	// ExcludeHosts are hosts whose domains, subdomains, URLs and e-mail
	// addresses are never indicators, such as the article's own site.
	// "www." and a URL's scheme, port and path are ignored:
	// "https://www.outlet.com/" excludes outlet.com and its subdomains.
	ExcludeHosts []string
}

// The indicator types, as Found.Type holds them.
const (
	typeIPv4    = "ipv4"
	typeIPv6    = "ipv6"
	typeDomain  = "domain"
	typeURL     = "url"
	typeEmail   = "email"
	typeMD5     = "md5"
	typeSHA1    = "sha1"
	typeSHA256  = "sha256"
	typeOnion   = "onion"
	typeBitcoin = "bitcoin"
	typeCVE     = "cve"
)

// Words are the word lists Find reads text with: the lexicon lists of the
// same names in incidex's rule packs (rules/default/lexicon.yaml), where
// users can see and change them.
type Words struct {
	// Cues (indicator-cues) make a domain, URL or e-mail address written
	// plainly an indicator when one stands in its sentence. A final "*"
	// matches any ending ("phish*").
	Cues []string
	// AddressCues (address-cues) are stronger cues, and cues too: one
	// lets a documentation address or a version-like dotted quad through.
	AddressCues []string
	// VersionWords (version-words), up to three words before a dotted
	// quad, make it a version number.
	VersionWords []string
	// FileExtensions (file-extensions) are the extensions that are also
	// top-level domains, which make a plain "invoice.zip" a file name.
	FileExtensions []string
}

// Finder finds indicators with one set of word lists. Build it once with
// New; it is safe for concurrent use.
type Finder struct {
	cues           *cueTable
	versionWords   map[string]bool
	fileExtensions map[string]bool
}

// New builds a Finder from its word lists.
func New(w Words) *Finder {
	set := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, x := range list {
			m[strings.ToLower(strings.TrimSpace(x))] = true
		}
		return m
	}
	return &Finder{
		cues:           newCueTable(w.Cues, w.AddressCues),
		versionWords:   set(w.VersionWords),
		fileExtensions: set(w.FileExtensions),
	}
}

// Find returns the indicators of text in order of position, each written
// form once (overlaps resolved: a URL's domain is not also reported as a
// domain; an email's domain neither). It returns every occurrence: the
// caller dedupes by Type and Value.
func (fi *Finder) Find(text string, opts Options) []Found {
	f := refang(text)
	sc := &scan{
		f:       fi,
		s:       f.s,
		fanged:  &f,
		exclude: normaliseHosts(opts.ExcludeHosts),
	}
	sc.urls()
	sc.emails()
	sc.hosts()
	sc.ipv6s()
	sc.words()
	return sc.resolve(text)
}

// cand is a candidate in the refanged text: an indicator, or a form that
// is not one but hides what is inside it (a URL of an excluded host hides
// its domain).
type cand struct {
	start, end int
	typ, value string
	hide       bool
}

// resolve keeps, of overlapping candidates, the one that starts first and
// then the longest, and maps them back to the text.
func (sc *scan) resolve(text string) []Found {
	cs := sc.cands
	slices.SortStableFunc(cs, func(x, y cand) int {
		if x.start != y.start {
			return cmp.Compare(x.start, y.start)
		}
		return cmp.Compare(y.end, x.end)
	})
	var out []Found
	last := 0
	for _, c := range cs {
		if c.start < last {
			continue
		}
		last = c.end
		if c.hide {
			continue
		}
		fd := Found{Type: c.typ, Value: c.value, Start: sc.fanged.toText(c.start), End: sc.fanged.toText(c.end)}
		if sc.fanged.defanged(c.start, c.end) {
			fd.Defanged = text[fd.Start:fd.End]
		}
		out = append(out, fd)
	}
	return out
}

// normaliseHosts turns ExcludeHosts into lower-case hosts without "www.".
func normaliseHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		h = hostOf(strings.ToLower(strings.TrimSpace(h)))
		h = strings.TrimSuffix(strings.TrimPrefix(h, "www."), ".")
		if h != "" {
			out = append(out, h)
		}
	}
	return out
}

// excluded reports whether host (lower case) is an excluded host or one
// of its subdomains.
func (sc *scan) excluded(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "www."), ".")
	for _, ex := range sc.exclude {
		if host == ex || strings.HasSuffix(host, "."+ex) {
			return true
		}
	}
	return false
}
