package article

import "bytes"

// stripRawText returns src without the contents of its <script> and
// <style> elements, keeping the (now empty) elements themselves and any
// JSON-LD script. More than half of the bytes of a typical news page sit in
// scripts and styles, and the HTML tokenizer reads that raw text a byte at a
// time; cutting it out with a few memchr-speed scans first makes parsing
// markedly faster without changing the tree of everything else. Comments are
// skipped whole, so a "<script" inside one is left alone. The result shares
// no memory with src unless nothing was cut.
func stripRawText(src []byte) []byte {
	var out []byte
	last, i := 0, 0
	for {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := src[i+1:]
		if bytes.HasPrefix(rest, []byte("!--")) {
			end := bytes.Index(src[i+4:], []byte("-->"))
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		var name string
		switch {
		case hasTagName(rest, "script"):
			name = "script"
		case hasTagName(rest, "style"):
			name = "style"
		default:
			i++
			continue
		}
		gt := bytes.IndexByte(src[i:], '>')
		if gt < 0 {
			break
		}
		open := i + gt + 1
		end := indexCloseTag(src[open:], name)
		if end < 0 {
			break // unclosed: leave the rest to the parser
		}
		if name == "script" && containsFold(src[i:open], "ld+json") {
			i = open + end
			continue
		}
		out = append(out, src[last:open]...)
		last = open + end
		i = last
	}
	if out == nil {
		return src
	}
	return append(out, src[last:]...)
}

// hasTagName reports whether b starts with name (any case) followed by the
// end of a tag name.
func hasTagName(b []byte, name string) bool {
	if len(b) <= len(name) || !bytes.EqualFold(b[:len(name)], []byte(name)) {
		return false
	}
	switch b[len(name)] {
	case ' ', '\t', '\n', '\r', '\f', '>', '/':
		return true
	}
	return false
}

// indexCloseTag returns the index of "</name" (any case) in b, or -1.
func indexCloseTag(b []byte, name string) int {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j
		if hasTagName(b[i+2:], name) {
			return i
		}
		i += 2
	}
}

func containsFold(b []byte, s string) bool {
	return bytes.Contains(bytes.ToLower(b), []byte(s))
}
