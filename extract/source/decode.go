package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// metaScanBytes is how far DecodeHTML looks for a <meta> charset declaration.
// The HTML standard says 1024 bytes, but real news pages often push the
// declaration further down behind comments and inline scripts.
const metaScanBytes = 4096

// DecodeHTML converts body to UTF-8 using contentType, a BOM or <meta> declarations.
//
// The encoding is chosen in this order: a byte order mark (UTF-8, UTF-16LE,
// UTF-16BE; the mark is removed), the charset parameter of contentType, a
// <meta charset> or <meta http-equiv="content-type"> in the first 4096 bytes,
// and finally the bytes themselves: valid UTF-8 is kept, anything else is read
// as windows-1252, as browsers do. Labels follow the WHATWG Encoding Standard,
// so ISO-8859-1 and US-ASCII decode as windows-1252. Unknown labels are
// ignored rather than reported. When a declared single-byte legacy encoding
// contradicts a body that is valid, non-ASCII UTF-8, the body wins: that
// combination is a common server misconfiguration and practically never
// happens by accident.
//
// The whole body is decoded at once; invalid sequences become U+FFFD. The
// result may share memory with body.
func DecodeHTML(body []byte, contentType string) ([]byte, error) {
	name, bomLen := chooseEncoding(body, contentType)
	body = body[bomLen:]
	if name == "utf-8" {
		if utf8.Valid(body) {
			return body, nil
		}
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	}
	enc, _ := charset.Lookup(name)
	if enc == nil {
		// chooseEncoding only returns canonical names, so this is a bug.
		return nil, fmt.Errorf("decode: unknown encoding %q", name)
	}
	// Bytes on the whole body rather than a transform.Reader: the streaming
	// reader fails with "short internal buffer" on some EUC-KR pages.
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, nil
}

// chooseEncoding returns the canonical WHATWG name of body's encoding and the
// length of a byte order mark to skip.
func chooseEncoding(body []byte, contentType string) (name string, bomLen int) {
	// DetermineEncoding is certain only for a BOM or a known header charset.
	// Its own <meta> scan stops at 1024 bytes and its UTF-8 guess looks at
	// 1024 bytes only, so both are redone below over more of the body.
	if _, name, certain := charset.DetermineEncoding(body, contentType); certain {
		return preferUTF8(body, name), bomLength(body, name)
	}
	if name := metaCharset(firstBytes(body, metaScanBytes)); name != "" {
		return preferUTF8(body, name), 0
	}
	if utf8.Valid(body) {
		return "utf-8", 0
	}
	return "windows-1252", 0
}

// preferUTF8 returns "utf-8" instead of a declared single-byte encoding when
// body is valid UTF-8 containing non-ASCII bytes.
func preferUTF8(body []byte, name string) string {
	if !singleByte(name) || !hasNonASCII(body) || !utf8.Valid(body) {
		return name
	}
	return "utf-8"
}

func singleByte(name string) bool {
	switch name {
	case "ibm866", "macintosh", "x-mac-cyrillic":
		return true
	}
	for _, prefix := range []string{"windows-", "iso-8859-", "koi8-"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func bomLength(body []byte, name string) int {
	switch {
	case name == "utf-8" && bytes.HasPrefix(body, []byte{0xef, 0xbb, 0xbf}):
		return 3
	case name == "utf-16le" && bytes.HasPrefix(body, []byte{0xff, 0xfe}),
		name == "utf-16be" && bytes.HasPrefix(body, []byte{0xfe, 0xff}):
		return 2
	}
	return 0
}

// metaCharset returns the canonical name of the encoding declared by the first
// usable <meta> element in b, or "" when there is none. It follows the
// prescan algorithm of the HTML standard.
func metaCharset(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			if string(tag) != "meta" {
				continue
			}
			var label string
			var pragma, fromContent bool
			seen := map[string]bool{}
			for hasAttr {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				k := string(key)
				if seen[k] {
					continue
				}
				seen[k] = true
				switch k {
				case "http-equiv":
					pragma = strings.EqualFold(string(val), "content-type")
				case "content":
					if label == "" {
						label, fromContent = charsetFromContent(string(val)), true
					}
				case "charset":
					if label == "" {
						label, fromContent = string(val), false
					}
				}
			}
			if label == "" || (fromContent && !pragma) {
				continue
			}
			_, name := charset.Lookup(label)
			switch {
			case name == "":
				continue
			case strings.HasPrefix(name, "utf-16"):
				// A document that can be read as ASCII is not UTF-16.
				return "utf-8"
			case name == "x-user-defined":
				return "windows-1252"
			}
			return name
		}
	}
}

// charsetFromContent extracts the charset from a <meta content> value such as
// "text/html; charset=iso-8859-1".
func charsetFromContent(s string) string {
	for {
		i := strings.Index(strings.ToLower(s), "charset")
		if i < 0 {
			return ""
		}
		s = strings.TrimLeft(s[i+len("charset"):], " \t\n\f\r")
		if !strings.HasPrefix(s, "=") {
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\n\f\r")
		if s == "" {
			return ""
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return ""
			}
			return s[1 : end+1]
		}
		if end := strings.IndexAny(s, "; \t\n\f\r"); end >= 0 {
			return s[:end]
		}
		return s
	}
}

// bodyCheck says how much evidence a body needs before it is treated as HTML.
type bodyCheck int

const (
	// checkLenient refuses only bodies that are recognisably something else:
	// PDF, images, archives, JSON, binary data.
	checkLenient bodyCheck = iota
	// checkStrict also requires the body to look like HTML; it is used for
	// content types that servers send for anything (text/plain,
	// application/octet-stream).
	checkStrict
)

// checkContentType decides from an HTTP Content-Type whether a body may be
// HTML and how closely it must be sniffed.
func checkContentType(contentType string) (bodyCheck, error) {
	media := mediaType(contentType)
	switch media {
	case "text/html", "application/xhtml+xml", "":
		return checkLenient, nil
	case "text/plain",
		"application/octet-stream", "binary/octet-stream",
		"application/unknown", "application/x-unknown", "unknown/unknown",
		// A .html.gz served as a file; readBody gunzips it.
		"application/gzip", "application/x-gzip":
		return checkStrict, nil
	}
	return 0, fmt.Errorf("%w: content type %s", ErrNotHTML, media)
}

// mediaType returns the lowercased type/subtype of a Content-Type value. It is
// lenient because servers send malformed parameters that mime.ParseMediaType
// rejects.
func mediaType(contentType string) string {
	media, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(media))
}

// toHTML decodes raw to UTF-8 and refuses it when it is not an HTML page.
// contentType is the HTTP header, or "" for files and streams.
func toHTML(raw []byte, contentType string, check bodyCheck) ([]byte, error) {
	if what := sniffNonHTML(raw); what != "" {
		return nil, fmt.Errorf("%w: body looks like %s", ErrNotHTML, what)
	}
	text, err := DecodeHTML(raw, contentType)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, ErrEmpty
	}
	sample := firstBytes(text, metaScanBytes)
	if isBinary(sample) {
		return nil, fmt.Errorf("%w: body is binary data", ErrNotHTML)
	}
	if check == checkStrict && !looksLikeHTML(sample) {
		return nil, fmt.Errorf("%w: content type %s and the body does not look like html", ErrNotHTML, mediaType(contentType))
	}
	return text, nil
}

// sniffNonHTML names the format of raw when its magic bytes show it is not
// HTML, or returns "".
func sniffNonHTML(raw []byte) string {
	// DetectContentType knows the magic numbers of PDF, PostScript, images,
	// audio, video, fonts and archives, and looks at 512 bytes at most.
	media := mediaType(http.DetectContentType(raw))
	for _, prefix := range []string{"image/", "audio/", "video/", "font/"} {
		if strings.HasPrefix(media, prefix) {
			return media
		}
	}
	switch media {
	case "application/pdf", "application/postscript", "application/zip",
		"application/x-gzip", "application/x-rar-compressed", "application/wasm",
		"application/ogg", "application/vnd.ms-fontobject":
		return media
	}
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) > 0 &&
		(trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(raw) {
		return "json"
	}
	return ""
}

// isBinary reports whether more than 1% of sample are control characters
// that do not occur in text. ESC is allowed for ISO-2022-JP.
func isBinary(sample []byte) bool {
	n := 0
	for _, c := range sample {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1b {
			n++
		}
	}
	return n > 0 && n*100 > len(sample)
}

// htmlMarkers are lowercase tags of which at least one appears near the top
// of any real HTML page and rarely in plain text.
var htmlMarkers = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"),
	[]byte("<title"), []byte("<meta "), []byte("<div"), []byte("<p>"), []byte("<p "),
	[]byte("<article"), []byte("<h1"), []byte("<table"), []byte("<script"), []byte("<link "),
}

// looksLikeHTML reports whether the UTF-8 sample contains a common HTML tag.
func looksLikeHTML(sample []byte) bool {
	lower := bytes.ToLower(sample)
	for _, m := range htmlMarkers {
		if bytes.Contains(lower, m) {
			return true
		}
	}
	return false
}

func firstBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
