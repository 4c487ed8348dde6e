package indicator

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scan finds candidates in the refanged text s. Each finder runs in one
// pass; resolve settles overlaps.
type scan struct {
	f       *Finder
	s       string
	fanged  *fanged
	exclude []string
	cands   []cand
	cues    *cueIndex // built when a candidate first asks
}

func (sc *scan) add(start, end int, typ, value string) {
	sc.cands = append(sc.cands, cand{start: start, end: end, typ: typ, value: value})
}

// hide notes a form that is no indicator and hides what it holds.
func (sc *scan) hide(start, end int) {
	sc.cands = append(sc.cands, cand{start: start, end: end, hide: true})
}

// urls finds URLs with an http, https or ftp scheme (also written hxxp,
// hxxps, fxp or meow, which refanging has turned back).
func (sc *scan) urls() {
	s := sc.s
	for p := 0; ; {
		k := strings.Index(s[p:], "://")
		if k < 0 {
			return
		}
		k += p
		p = k + 3
		q := k
		for q > 0 && k-q < 5 && isLetter(s[q-1]) {
			q--
		}
		switch strings.ToLower(s[q:k]) {
		case "http", "https", "ftp":
		default:
			continue
		}
		if q > 0 && (isAlnum(s[q-1]) || s[q-1] == '_') {
			continue
		}
		end := k + 3
		for end < len(s) && isURLByte(s[end]) {
			end++
		}
		end = trimURL(s, k+3, end)
		p = max(p, end)
		if value, ok := sc.url(q, k, end); ok {
			sc.add(q, end, typeURL, value)
		} else {
			sc.hide(q, end)
		}
	}
}

// url checks the URL s[q:end] whose "://" is at k and returns its value.
func (sc *scan) url(q, k, end int) (string, bool) {
	s := sc.s
	rest := s[k+3 : end]
	auth := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		auth = rest[:i]
	}
	path := rest[len(auth):]
	userinfo := ""
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		userinfo, auth = auth[:i+1], auth[i+1:]
	}
	host, port, ok := splitHostPort(auth)
	if !ok {
		return "", false
	}
	host = strings.ToLower(host)
	kind, name, ok := hostKind(host)
	if !ok {
		return "", false
	}
	switch kind {
	case typeIPv4, typeIPv6:
		addr, _ := netip.ParseAddr(name)
		switch classifyIP(addr) {
		case ipNever:
			return "", false
		case ipDocumentation:
			if !sc.vouched(q, end, true) {
				return "", false
			}
		}
	case typeDomain:
		if sc.excluded(name) || !sc.vouched(q, end, exampleDomain(name)) {
			return "", false
		}
	case typeOnion:
		if sc.excluded(name) {
			return "", false
		}
	}
	if port != "" {
		port = ":" + port
	}
	return strings.ToLower(s[q:k]) + "://" + userinfo + host + port + path, true
}

// vouched reports whether s[a:b] is written defanged or has a cue in its
// sentence (a strong one when strong is set): what a documentation
// address, or a domain written plainly, needs to be an indicator.
func (sc *scan) vouched(a, b int, strong bool) bool {
	return sc.fanged.defanged(a, b) || sc.hasCue(a, b, strong)
}

// hostKind says what kind of host h (lower case; an IPv6 address in
// brackets) is and returns it without brackets or a trailing dot.
func hostKind(h string) (kind, name string, ok bool) {
	if strings.HasPrefix(h, "[") {
		inner := strings.TrimSuffix(h[1:], "]")
		addr, err := netip.ParseAddr(inner)
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "", "", false
		}
		return typeIPv6, inner, true
	}
	if addr, ok := parseIPv4(h); ok {
		return typeIPv4, addr.String(), true
	}
	h = strings.TrimSuffix(h, ".")
	if onionHost(h) {
		return typeOnion, h, true
	}
	if validDomain(h) {
		return typeDomain, h, true
	}
	return "", "", false
}

// splitHostPort splits "host:port" and "[v6]:port"; the port must be a
// number from 1 to 65535.
func splitHostPort(auth string) (host, port string, ok bool) {
	if strings.HasPrefix(auth, "[") {
		i := strings.IndexByte(auth, ']')
		if i < 0 {
			return "", "", false
		}
		host, auth = auth[:i+1], auth[i+1:]
		if auth == "" {
			return host, "", true
		}
		if auth[0] != ':' {
			return "", "", false
		}
		port = auth[1:]
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i+1:]
	} else {
		host = auth
	}
	if host == "" {
		return "", "", false
	}
	if port != "" || strings.HasSuffix(auth, ":") {
		if !validPort(port) {
			return "", "", false
		}
	}
	return host, port, true
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 || p[0] == '0' {
		return false
	}
	n, err := strconv.Atoi(p)
	return err == nil && n <= 65535
}

// isURLByte reports whether c may be in a URL as news text writes one:
// printable ASCII but for quotes, angle brackets and the characters RFC
// 3986 leaves out.
func isURLByte(c byte) bool { return byteClass[c]&clURL != 0 }

// trimURL drops from the end of s[start:end] the sentence punctuation
// that follows a URL, and closing brackets that have no opening one in
// it: "(see http://x.com/a)." ends at "a".
func trimURL(s string, start, end int) int {
	// the brackets are counted once; each closing one dropped is one
	// fewer, so that a URL followed by many ")" costs linear time
	u := s[start:end]
	open, closed := strings.Count(u, "("), strings.Count(u, ")")
	openSq, closedSq := strings.Count(u, "["), strings.Count(u, "]")
	for end > start {
		switch c := s[end-1]; {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
			end--
		case c == ')' && open < closed:
			end--
			closed--
		case c == ']' && openSq < closedSq:
			end--
			closedSq--
		default:
			return end
		}
	}
	return end
}

// emails finds local@domain addresses.
func (sc *scan) emails() {
	s := sc.s
	for p := 0; ; p++ {
		k := strings.IndexByte(s[p:], '@')
		if k < 0 {
			return
		}
		p += k
		l := p
		for l > 0 && p-l <= 64 && isLocalByte(s[l-1]) {
			l--
		}
		if l > 0 && (isLocalByte(s[l-1]) || letterBefore(s, l)) {
			continue
		}
		for l < p && s[l] == '.' {
			l++
		}
		local := s[l:p]
		if local == "" || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
			continue
		}
		d := p + 1
		for d < len(s) && d-p <= 253 && (isAlnum(s[d]) || s[d] == '.' || s[d] == '-') {
			d++
		}
		if d < len(s) && (s[d] == '_' || s[d] == '@' || letterAfter(s, d)) {
			continue
		}
		for d > p+1 && (s[d-1] == '.' || s[d-1] == '-') {
			d--
		}
		domain := strings.ToLower(s[p+1 : d])
		if !validDomain(domain) {
			continue
		}
		if sc.excluded(domain) || !sc.vouched(l, d, exampleDomain(domain)) {
			sc.hide(l, d)
		} else {
			sc.add(l, d, typeEmail, local+"@"+domain)
		}
	}
}

// hosts finds domains, onion names and IPv4 addresses written on their
// own, with a path after them: runs of letters, digits, dots, hyphens and
// underscores.
func (sc *scan) hosts() {
	s := sc.s
	for i := 0; i < len(s); {
		if !isHostByte(s[i]) {
			i++
			continue
		}
		j, dot := i, false
		for j < len(s) && isHostByte(s[j]) {
			dot = dot || s[j] == '.'
			j++
		}
		if dot {
			sc.hostRun(i, j)
		}
		i = j
	}
}

func isHostByte(c byte) bool { return byteClass[c]&clHost != 0 }

func (sc *scan) hostRun(i, j int) {
	s := sc.s
	if i > 0 {
		switch s[i-1] {
		case '@', '\\':
			return // an e-mail's domain; a file path
		case '/':
			if i < 3 || s[i-3:i] != "://" {
				return // a path
			}
		}
		if letterBefore(s, i) {
			return
		}
	}
	if j < len(s) && (s[j] == '@' || letterAfter(s, j)) {
		return // an e-mail's local part
	}
	a, b := i, j
	for b > a && (s[b-1] == '.' || s[b-1] == '-' || s[b-1] == '_') {
		b--
	}
	if a < b && s[a] == '.' && isDigit(s[a+1]) {
		return // the tail of a longer dotted number
	}
	for a < b && (s[a] == '.' || s[a] == '-' || s[a] == '_') {
		a++
	}
	tok := s[a:b]
	if !strings.Contains(tok, ".") {
		return
	}
	if strings.Trim(tok, "0123456789.") == "" {
		sc.ipv4(a, b)
		return
	}
	sc.domain(a, b)
}

// ipv4 checks the dotted number s[a:b].
func (sc *scan) ipv4(a, b int) {
	s := sc.s
	addr, ok := parseIPv4(s[a:b])
	if !ok {
		return
	}
	switch classifyIP(addr) {
	case ipNever:
		return
	case ipDocumentation:
		if !sc.vouched(a, b, true) {
			return
		}
	default:
		if (singleDigits(s[a:b]) || sc.f.versionBefore(s, a)) && !sc.vouched(a, b, true) {
			return // a version number or a placeholder
		}
	}
	if b < len(s) && s[b] == '/' && cidrAt(s, b) {
		sc.add(a, b, typeIPv4, addr.String())
		return
	}
	if end, ok := pathAfter(s, b); ok && !afterScheme(s, a) {
		sc.add(a, end, typeURL, addr.String()+s[b:end])
		return
	}
	sc.add(a, b, typeIPv4, addr.String())
}

// singleDigits reports whether every octet of a dotted quad is one digit
// ("1.2.3.4"): version numbers and placeholders, seldom a host.
func singleDigits(q string) bool { return len(q) == 7 }

// cidrAt reports whether s[b] starts a prefix length: "/24".
func cidrAt(s string, b int) bool {
	e := b + 1
	for e < len(s) && e-b <= 3 && isDigit(s[e]) {
		e++
	}
	if e == b+1 || e-b > 3 || (e < len(s) && (isAlnum(s[e]) || s[e] == '/' || s[e] == '.' && e+1 < len(s) && isAlnum(s[e+1]))) {
		return false
	}
	n, _ := strconv.Atoi(s[b+1 : e])
	return n <= 32
}

// pathAfter returns the end of a port and path that follow a host at
// s[b] ("/bins/x86", ":8080/gate.php"); ok is false when there is none.
func pathAfter(s string, b int) (int, bool) {
	p := b
	if p < len(s) && s[p] == ':' {
		e := p + 1
		for e < len(s) && isDigit(s[e]) {
			e++
		}
		if !validPort(s[p+1 : e]) {
			return 0, false
		}
		p = e
	}
	if p >= len(s) || s[p] != '/' {
		return 0, false
	}
	end := p + 1
	for end < len(s) && isURLByte(s[end]) {
		end++
	}
	end = trimURL(s, p+1, end)
	if end == p+1 {
		return 0, false
	}
	return end, true
}

// domain checks the host name s[a:b].
func (sc *scan) domain(a, b int) {
	s := sc.s
	written := s[a:b]
	host := strings.ToLower(written)
	if strings.HasSuffix(host, ".onion") {
		if !onionHost(host) || sc.excluded(host) {
			return
		}
		if end, ok := pathAfter(s, b); ok && !afterScheme(s, a) {
			sc.add(a, end, typeURL, host+s[b:end])
			return
		}
		sc.add(a, b, typeOnion, host)
		return
	}
	defanged := sc.fanged.defanged(a, b)
	end, path := pathAfter(s, b)
	path = path && !afterScheme(s, a)
	// the cheap tests first: most runs with a dot are no domain
	ok := defanged || (host == written && !sc.f.fileExtensions[host[strings.LastIndexByte(host, '.')+1:]])
	ok = ok && validDomain(host) && !sc.excluded(host) && (defanged || sc.hasCue(a, b, exampleDomain(host)))
	switch {
	case !ok:
		// capitals (a company's name: "Booking.com"), a file name, an
		// excluded host, no cue; a path after a host name is the host's
		if path && validDomain(host) {
			sc.hide(a, end)
		}
	case path:
		sc.add(a, end, typeURL, host+s[b:end])
	default:
		sc.add(a, b, typeDomain, host)
	}
}

// afterScheme reports whether a host at s[a] follows "://": the host of a
// URL whose scheme (wss, ssh, smb) is not one Find reports as a URL, and
// which is then given as a host.
func afterScheme(s string, a int) bool { return a >= 3 && s[a-3:a] == "://" }

// ipv6s finds IPv6 addresses: runs of hex digits, colons and dots that
// hold a colon.
func (sc *scan) ipv6s() {
	s := sc.s
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], ':')
		if k < 0 {
			return
		}
		k += p
		a, b := k, k+1
		for a > p && isIPv6Byte(s[a-1]) {
			a--
		}
		for b < len(s) && isIPv6Byte(s[b]) {
			b++
		}
		p = b
		sc.ipv6(a, b)
	}
}

func isIPv6Byte(c byte) bool {
	return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') || c == ':' || c == '.'
}

func (sc *scan) ipv6(a, b int) {
	s := sc.s
	for b > a && s[b-1] == '.' {
		b--
	}
	if b-a >= 2 && s[b-1] == ':' && s[b-2] != ':' {
		b-- // "... 2a00::1: it" ends a clause
	}
	if a > 0 && (isAlnum(s[a-1]) || s[a-1] == '_' || s[a-1] == '.' || letterBefore(s, a)) {
		// "IPv6:2a00::1": the run began inside the word before
		i := strings.IndexByte(s[a:b], ':')
		if i < 0 || a+i+1 >= b || s[a+i+1] == ':' {
			return
		}
		a += i + 1
	} else if a+1 < b && s[a] == ':' && s[a+1] != ':' {
		a++
	}
	if b < len(s) && (isAlnum(s[b]) || s[b] == '_' || letterAfter(s, b)) {
		return
	}
	tok := s[a:b]
	if strings.Count(tok, ":") < 2 || !longGroup(tok) {
		return
	}
	addr, err := netip.ParseAddr(tok)
	if err != nil || !addr.Is6() {
		return
	}
	switch classifyIP(addr) {
	case ipNever:
		return
	case ipDocumentation:
		if !sc.vouched(a, b, true) {
			return
		}
	}
	sc.add(a, b, typeIPv6, addr.String())
}

// longGroup reports whether an IPv6 form has a group of three or more hex
// digits, as written addresses do and "a::b" or "1:2::3" in prose do not.
func longGroup(tok string) bool {
	n := 0
	for i := 0; i < len(tok); i++ {
		if tok[i] == ':' || tok[i] == '.' {
			n = 0
			continue
		}
		n++
		if n >= 3 {
			return true
		}
	}
	return false
}

// words finds hashes, bitcoin addresses and CVE ids: runs of letters,
// digits and underscores.
func (sc *scan) words() {
	s := sc.s
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) && s[i] != '_' {
			i++
			continue
		}
		j := i
		for j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
			j++
		}
		if (j-i == 3 || j-i >= 14) && !letterBefore(s, i) && !letterAfter(s, j) {
			sc.word(i, j) // a CVE id, a hash or a bitcoin address
		}
		i = j
	}
}

func (sc *scan) word(i, j int) {
	w := sc.s[i:j]
	hash := hashType(w)
	switch {
	case len(w) == 3 && equalFoldASCII(w, "cve"):
		if end, value, ok := cveAt(sc.s, j); ok {
			sc.add(i, end, typeCVE, value)
		}
	case hash != "":
		sc.add(i, j, hash, strings.ToLower(w))
	case (w[0] == '1' || w[0] == '3') && bitcoinBase58(w):
		sc.add(i, j, typeBitcoin, w)
	case len(w) > 3 && equalFoldASCII(w[:3], "bc1") && bitcoinBech32(w):
		sc.add(i, j, typeBitcoin, strings.ToLower(w))
	}
}

// hashType returns the hash a word is the hex digest of, by its length:
// md5, sha1 or sha256. A digest is in one case and holds both digits and
// letters; a run of one digit, or of letters a-f only, is a placeholder
// ("0000...", "deadbeef...") and an all-digit run a number.
func hashType(w string) string {
	var typ string
	switch len(w) {
	case 32:
		typ = typeMD5
	case 40:
		typ = typeSHA1
	case 64:
		typ = typeSHA256
	default:
		return ""
	}
	var digits, lower, upper int
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case isDigit(c):
			digits++
		case 'a' <= c && c <= 'f':
			lower++
		case 'A' <= c && c <= 'F':
			upper++
		default:
			return ""
		}
	}
	if (lower > 0 && upper > 0) || digits == 0 || digits == len(w) {
		return ""
	}
	return typ
}

// cveAt reads "-2023-4966" at s[j] (with ASCII hyphens, or the Unicode
// hyphen, non-breaking hyphen or en dash) and returns its end and the id.
func cveAt(s string, j int) (int, string, bool) {
	k, ok := dashAt(s, j)
	if !ok {
		return 0, "", false
	}
	year := digitsAt(s, k)
	if len(year) != 4 || (year[:2] != "19" && year[:2] != "20") {
		return 0, "", false
	}
	k, ok = dashAt(s, k+4)
	if !ok {
		return 0, "", false
	}
	id := digitsAt(s, k)
	end := k + len(id)
	if len(id) < 4 || len(id) > 7 || (end < len(s) && (isAlnum(s[end]) || s[end] == '_' || letterAfter(s, end))) {
		return 0, "", false
	}
	return end, "CVE-" + year + "-" + id, true
}

// dashAt returns the offset after a hyphen or en dash at s[k].
func dashAt(s string, k int) (int, bool) {
	if k < len(s) && s[k] == '-' {
		return k + 1, true
	}
	r, n := utf8.DecodeRuneInString(s[min(k, len(s)):])
	switch r {
	case '\u2010', '\u2011', '\u2013':
		return k + n, true
	}
	return 0, false
}

// digitsAt returns the ASCII digits that start at s[k] (at most eight).
func digitsAt(s string, k int) string {
	e := k
	for e < len(s) && e-k <= 8 && isDigit(s[e]) {
		e++
	}
	return s[k:e]
}

// letterBefore reports whether a non-ASCII letter or digit ends s[:i]:
// "é" before a name makes it part of a longer word.
func letterBefore(s string, i int) bool {
	if i == 0 || s[i-1] < utf8.RuneSelf {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// letterAfter reports whether a non-ASCII letter or digit starts s[j:].
func letterAfter(s string, j int) bool {
	if j >= len(s) || s[j] < utf8.RuneSelf {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
