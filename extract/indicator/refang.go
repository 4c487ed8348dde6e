package indicator

import (
	"sort"
	"strings"
)

// Refang turns a defanged form into its usable one: "hxxps://evil[.]com"
// becomes "https://evil.com". It applies the forms listed in the package
// comment, each only where it joins the parts of an address (a "[.]"
// between two letters or digits, an "hxxp" that starts a word and is
// followed by "://"), so the rest of s is left as it was. Refang of its
// own result changes nothing.
func Refang(s string) string {
	return refang(s).s
}

// fanged is a text with its defanged forms made usable, and the way back
// to the offsets of the text.
type fanged struct {
	s     string
	repls []repl // ascending, non-overlapping
}

// repl is one defanged form replaced: text[from:from+size] became
// s[at:at+n].
type repl struct {
	at, n      int
	from, size int
}

// toText maps an offset of the refanged string to one of the text. An
// offset inside a replacement of a different length (never the start or
// end of an indicator) maps to the end of the replaced text.
func (f *fanged) toText(v int) int {
	i := sort.Search(len(f.repls), func(i int) bool { return f.repls[i].at > v }) - 1
	if i < 0 {
		return v
	}
	r := f.repls[i]
	switch {
	case v == r.at:
		return r.from
	case v < r.at+r.n:
		if r.n == r.size {
			return r.from + (v - r.at)
		}
		return r.from + r.size
	default:
		return r.from + r.size + (v - r.at - r.n)
	}
}

// defanged reports whether s[a:b] holds a replaced form.
func (f *fanged) defanged(a, b int) bool {
	i := sort.Search(len(f.repls), func(i int) bool { return f.repls[i].at+f.repls[i].n > a })
	return i < len(f.repls) && f.repls[i].at < b
}

// refang builds the refanged form of text in one pass.
func refang(text string) fanged {
	var f fanged
	// every form has a bracket or comes before "://"
	if !strings.ContainsAny(text, "[({") && !strings.Contains(text, "://") {
		f.s = text
		return f
	}
	var out []byte // text[:last], refanged; nil until a first form
	last := 0
	for i := 0; i < len(text); i++ {
		if byteClass[text[i]]&clFang == 0 {
			continue
		}
		var rep string
		var from, end int
		switch text[i] {
		case '[', '(', '{':
			if out != nil {
				out = append(out, text[last:i]...)
				last = i
				rep, from, end = bracketAt(text, i, out)
			} else {
				rep, from, end = bracketAt(text, i, []byte(text[max(0, i-2):i]))
			}
		case 'h', 'H', 'f', 'F', 'm', 'M':
			if i == 0 || !isAlnum(text[i-1]) {
				rep, end = schemeAt(text, i)
				from = i
			}
		}
		if rep == "" {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(text))
		}
		if from >= last {
			out = append(out, text[last:from]...)
		} else {
			// spaces before the form that go with it are already in out
			out = out[:len(out)-(last-from)]
		}
		f.repls = append(f.repls, repl{at: len(out), n: len(rep), from: from, size: end - from})
		out = append(out, rep...)
		last = end
		i = end - 1
	}
	if out == nil {
		f.s = text
		return f
	}
	f.s = string(append(out, text[last:]...))
	return f
}

// bracketAt reads a bracketed defang form at text[i] ("[.]", "( dot )",
// "{@}", "[at]", "[:]", "[://]"). built is the refanged text before i
// (its last two bytes at least). It returns the replacement, the start of
// the replaced text (before i when a space before the form goes with it)
// and its end; rep is "" when text[i] starts no form.
func bracketAt(text string, i int, built []byte) (rep string, from, end int) {
	var closer byte
	switch text[i] {
	case '[':
		closer = ']'
	case '(':
		closer = ')'
	default:
		closer = '}'
	}
	j := i + 1
	for j < len(text) && j-i <= 3 && text[j] == ' ' {
		j++
	}
	k := j
	for k < len(text) && k-j < 3 && text[k] != ' ' && text[k] != closer {
		k++
	}
	word := text[j:k]
	for k < len(text) && k-j < 6 && text[k] == ' ' {
		k++
	}
	if k >= len(text) || text[k] != closer {
		return "", 0, 0
	}
	end = k + 1
	kind := ""
	switch {
	case word == ".", equalFoldASCII(word, "dot"):
		kind = "."
	case word == "@", equalFoldASCII(word, "at"):
		kind = "@"
	case word == ":" && closer == ']':
		kind = ":"
	case word == "://" && closer == ']':
		kind = "://"
	default:
		return "", 0, 0
	}
	if (kind == ":" || kind == "://") && j != i+1 {
		return "", 0, 0
	}
	// spaces around the form go with it when the form joins two parts:
	// "evil [.] com"
	lead := 0
	if kind == "." || kind == "@" {
		for lead < 1 && lead < len(built) && built[len(built)-1-lead] == ' ' && i-lead-1 >= 0 && text[i-lead-1] == ' ' {
			lead++
		}
	}
	if len(built)-lead <= 0 {
		return "", 0, 0
	}
	left := built[len(built)-1-lead]
	trail := 0
	if kind == "." || kind == "@" {
		for trail < 1 && end+trail < len(text) && text[end+trail] == ' ' {
			trail++
		}
	}
	if end+trail >= len(text) {
		return "", 0, 0
	}
	right := text[end+trail]
	switch kind {
	case ".":
		if !isAlnum(left) || !isAlnum(right) {
			return "", 0, 0
		}
	case "@":
		if !isLocalByte(left) || !isAlnum(right) {
			return "", 0, 0
		}
	case ":":
		if !isAlnum(left) || !(isAlnum(right) || right == '/') {
			return "", 0, 0
		}
	case "://":
		if !isLetter(left) || !(isAlnum(right) || right == '[') {
			return "", 0, 0
		}
	}
	return kind, i - lead, end + trail
}

// schemeAt reads a defanged scheme at text[i] ("hxxp", "hXXps", "fxp",
// "meow") followed by "://", "[:]//" or "[://]"; it returns the usable
// scheme and the end of the defanged one.
func schemeAt(text string, i int) (string, int) {
	rest := text[i:]
	var scheme string
	n := 0
	switch {
	case hasPrefixFold(rest, "hxxp"):
		scheme, n = "http", 4
		if len(rest) > 4 && lowerByte(rest[4]) == 's' {
			scheme, n = "https", 5
		}
	case hasPrefixFold(rest, "fxp"):
		scheme, n = "ftp", 3
	case hasPrefixFold(rest, "meow"):
		scheme, n = "http", 4
	default:
		return "", 0
	}
	sep := rest[n:]
	if !(strings.HasPrefix(sep, "://") || strings.HasPrefix(sep, "[:]//") || strings.HasPrefix(sep, "[://]")) {
		return "", 0
	}
	return scheme, i + n
}

// equalFoldASCII reports whether s and t are equal in ASCII case folding.
func equalFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerByte(s[i]) != lowerByte(t[i]) {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s begins with the lower-case prefix, in
// ASCII case folding.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFoldASCII(s[:len(prefix)], prefix)
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Byte classes, looked up in byteClass: the scanners test every byte of
// the text, several times.
const (
	clLetter = 1 << iota // ASCII letter
	clDigit              // ASCII digit
	clHost               // letter, digit, '.', '-', '_': a host name run
	clLocal              // may be in an e-mail's local part
	clURL                // may be in a URL as news writes one
	clToken              // may be in a cue-word token (or an address)
	clFang               // may start a defanged form
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		letter := 'a' <= b|0x20 && b|0x20 <= 'z'
		digit := '0' <= b && b <= '9'
		var cl uint8
		if letter {
			cl |= clLetter
		}
		if digit {
			cl |= clDigit
		}
		if letter || digit || b == '.' || b == '-' || b == '_' {
			cl |= clHost
		}
		if letter || digit || strings.IndexByte("._%+-", b) >= 0 {
			cl |= clLocal
		}
		// printable ASCII but for quotes, angle brackets and the
		// characters RFC 3986 leaves out
		if b > ' ' && b < 0x7f && strings.IndexByte("\"<>\\^`{|}", b) < 0 {
			cl |= clURL
		}
		if letter || digit || strings.IndexByte("&_-.@/:\\", b) >= 0 {
			cl |= clToken
		}
		if strings.IndexByte("[({hHfFmM", b) >= 0 {
			cl |= clFang
		}
		t[c] = cl
	}
	return t
}()

func isLetter(c byte) bool { return byteClass[c]&clLetter != 0 }
func isDigit(c byte) bool  { return byteClass[c]&clDigit != 0 }
func isAlnum(c byte) bool  { return byteClass[c]&(clLetter|clDigit) != 0 }

// isLocalByte reports whether c may be in the local part of an e-mail
// address, as incidex reads them.
func isLocalByte(c byte) bool { return byteClass[c]&clLocal != 0 }
