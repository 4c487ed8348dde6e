package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
	"time"
)

// readBlock reads the HTTP response in a record's block and returns its page.
// The page is nil when the record is not a 2xx HTML response and must be
// skipped; err is a failure of this page, which then has only its URL set.
// It reads no more of block than it needs: the caller skips the rest.
func (w *warcReader) readBlock(block io.Reader, h *warcHeader) (page *Page, err error) {
	if !strings.EqualFold(h.get("warc-type"), "response") || mediaType(h.get("content-type")) != "application/http" {
		return nil, nil
	}
	if w.block == nil {
		w.block = bufio.NewReaderSize(block, warcBufferSize)
	} else {
		w.block.Reset(block)
	}
	br := w.block
	rawHeader, headerErr := readHTTPHeader(br)
	if len(rawHeader) == 0 {
		return nil, nil // an empty block holds no HTTP message
	}
	page = &Page{URL: targetURL(h.get("warc-target-uri"))}
	// WARC-Date is when the response was captured (W3C ISO 8601, seconds
	// or finer); a record without a readable one has no fetch time.
	if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(h.get("warc-date"))); err == nil {
		page.FetchedAt = t.UTC()
	}
	status, header, err := parseHTTPHeader(rawHeader)
	if headerErr == nil && err != nil {
		headerErr = err
	}
	if headerErr != nil {
		if !isHTMLMedia(mediaType(rawHeaderValue(rawHeader, "Content-Type"))) {
			return nil, nil
		}
		return page, fmt.Errorf("bad http header: %w", headerErr)
	}
	if status < 200 || status > 299 {
		return nil, nil
	}
	contentType := header.Get("Content-Type")
	media := mediaType(contentType)
	if media != "" && !isHTMLMedia(media) {
		return nil, nil
	}
	sniff := media == ""

	body, err := httpBody(br, header, rawHeader)
	if err != nil {
		if sniff {
			return nil, nil
		}
		return page, err
	}
	if sniff {
		head, _ := body.Peek(metaScanBytes)
		if !looksLikeHTML(head) {
			return nil, nil
		}
	}
	// readBody stops one byte past the cap: a body of gigabytes costs the
	// cap, and the caller drops the rest of the block unread.
	raw, err := readBody(body, w.maxBytes, 0)
	if err != nil {
		if !errors.Is(err, ErrTooLarge) {
			err = fmt.Errorf("read http body: %w", err)
		}
		return page, err
	}
	check := checkLenient
	if sniff {
		check = checkStrict
	}
	text, err := toHTML(raw, contentType, check)
	if err != nil {
		return page, err
	}
	page.HTML, page.HTMLBytes = text, len(raw)
	return page, nil
}

// readHTTPHeader reads the HTTP header at the start of a block, up to and
// including the blank line that ends it, or all of a block that has none.
// It fails with errHeaderTooLong, returning what it read, beyond
// warcMaxHeaderBytes.
func readHTTPHeader(br *bufio.Reader) ([]byte, error) {
	var header []byte
	for {
		line, err := readLine(br, warcMaxHeaderBytes-len(header))
		header = append(header, line...)
		switch {
		case errors.Is(err, io.EOF):
			return header, nil
		case err != nil:
			return header, err
		case len(bytes.TrimRight(line, "\r\n")) == 0:
			return header, nil
		}
	}
}

func isHTMLMedia(media string) bool {
	return media == "text/html" || media == "application/xhtml+xml"
}

// httpBody undoes the transfer and content codings of an HTTP payload.
//
// rawHeader is needed for Transfer-Encoding, which net/http removes from the
// parsed header. Content codings are undone only when the bytes show them:
// some WARC writers store the decoded body and keep the header.
func httpBody(payload io.Reader, header http.Header, rawHeader []byte) (*bufio.Reader, error) {
	body := bufio.NewReader(payload)
	te := strings.ToLower(rawHeaderValue(rawHeader, "Transfer-Encoding"))
	if strings.Contains(te, "chunked") && looksChunked(body) {
		body = bufio.NewReader(httputil.NewChunkedReader(body))
	}
	var codings []string
	for _, v := range header.Values("Content-Encoding") {
		codings = append(codings, strings.Split(v, ",")...)
	}
	for i := len(codings) - 1; i >= 0; i-- {
		switch coding := strings.ToLower(strings.TrimSpace(codings[i])); coding {
		case "", "identity":
		case "gzip", "x-gzip":
			if magic, _ := body.Peek(2); !isGzip(magic) {
				continue
			}
			zr, err := gzip.NewReader(body)
			if err != nil {
				return nil, fmt.Errorf("read http body: gunzip: %w", err)
			}
			body = bufio.NewReader(&labelledReader{r: zr, label: "gunzip"})
		case "deflate":
			zr, err := inflate(body)
			if err != nil {
				return nil, fmt.Errorf("read http body: inflate: %w", err)
			}
			body = bufio.NewReader(&labelledReader{r: zr, label: "inflate"})
		default:
			return nil, fmt.Errorf("unsupported content encoding %q", coding)
		}
	}
	return body, nil
}

// labelledReader says which decoding failed in the errors of r.
type labelledReader struct {
	r     io.Reader
	label string
}

func (l *labelledReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", l.label, err)
	}
	return n, err
}

// inflate reads HTTP "deflate" content: zlib data as the standard says, or
// raw deflate data as some servers send.
func inflate(body *bufio.Reader) (io.Reader, error) {
	h, _ := body.Peek(2)
	if len(h) == 2 && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		return zlib.NewReader(body)
	}
	return flate.NewReader(body), nil
}

// looksChunked reports whether body starts with a chunk-size line, so that a
// body a WARC writer already de-chunked is read as it is.
func looksChunked(body *bufio.Reader) bool {
	p, _ := body.Peek(32)
	i := 0
	for i < len(p) && strings.IndexByte("0123456789abcdefABCDEF", p[i]) >= 0 {
		i++
	}
	if i == 0 {
		return false
	}
	rest := bytes.TrimLeft(p[i:], " \t")
	return len(rest) > 0 && (rest[0] == ';' || rest[0] == '\r' || rest[0] == '\n')
}

// rawHeaderValue returns the values of the header field name in the raw HTTP
// header, joined by commas. It tolerates headers net/http cannot parse.
func rawHeaderValue(rawHeader []byte, name string) string {
	var values []string
	lines := bytes.Split(rawHeader, []byte("\n"))
	for _, line := range lines[min(1, len(lines)):] {
		key, value, found := bytes.Cut(line, []byte(":"))
		if found && strings.EqualFold(string(bytes.TrimSpace(key)), name) {
			values = append(values, string(bytes.TrimSpace(value)))
		}
	}
	return strings.Join(values, ", ")
}

// parseHTTPHeader parses the HTTP response header of a WARC response record.
// It accepts what net/http refuses for its version alone: "HTTP/2 200", as
// written by crawlers that store HTTP/2 responses as received (CC-NEWS did
// for years), or a lowercase "http/1.1".
func parseHTTPHeader(rawHeader []byte) (status int, header http.Header, err error) {
	line, rest, _ := bytes.Cut(rawHeader, []byte("\n"))
	proto, code, _ := strings.Cut(string(line), " ")
	if len(proto) > 5 && strings.EqualFold(proto[:5], "HTTP/") {
		version := proto[5:]
		if !strings.Contains(version, ".") {
			version += ".0"
		}
		proto = "HTTP/" + version
	}
	// The extra line ends a header that lacks its blank line.
	fixed := proto + " " + code + "\n" + string(rest) + "\r\n"
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(fixed)), nil)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, resp.Header, nil
}
