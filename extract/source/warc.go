package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/nlnwa/gowarc/v3"
)

const (
	warcMagic = "WARC/"
	// warcRecordMemBytes is how much of one record gowarc keeps in memory;
	// the rest of a larger record (video, big PDF) goes to a temporary file
	// that closing the record removes. Nearly every HTML page fits.
	warcRecordMemBytes = 4 << 20
	warcBufferSize     = 64 << 10
)

// IsWARC reports whether path names a web archive: it ends in .warc or
// .warc.gz, in any case.
func IsWARC(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".warc") || strings.HasSuffix(p, ".warc.gz")
}

// ReadWARC streams the HTML response records of a WARC file (plain or gzip,
// detected by content) and calls fn for each, in file order.
//
// fn receives every response record whose HTTP status is 2xx and whose HTTP
// Content-Type is text/html or application/xhtml+xml, or is missing and the
// body looks like HTML. The Page's Input is name+"#"+n, where n counts the
// records fn has received, from 1; URL is the record's WARC-Target-URI; HTML is
// the HTTP body after undoing chunked transfer coding and gzip or deflate
// content coding, decoded with DecodeHTML using the HTTP Content-Type; and
// HTMLBytes is the body's length before charset decoding. maxBytes (zero or
// less means DefaultMaxBytes) caps that length. Records of other types
// (warcinfo, request, metadata, revisit), non-HTML responses and non-2xx
// responses are skipped without a call. A record the crawler marked
// WARC-Truncated is delivered as it is.
//
// A failure confined to one HTML response (a body over maxBytes, a malformed
// HTTP header, a broken content coding, a record cut short inside its gzip
// member, ErrNotHTML or ErrEmpty from the body) is passed to fn with a Page
// that has only Input and URL set, and reading goes on. A response whose HTTP
// header is too broken to show an HTML Content-Type is skipped.
//
// ReadWARC returns nil at the end of the archive, the error fn returns (which
// stops reading), ctx.Err() when ctx is done between two records, or an error
// for the archive itself, such as "warc: record 37: unexpected EOF" for a
// truncated file or "warc: record 1: not a warc file ...". Such an error
// numbers the WARC records of the file from 1, all types counted, and comes
// after the good records before the failure have been delivered.
//
// Memory use does not grow with the archive: records are read from r one at a
// time, and the part of a record beyond 4 MiB waits in a temporary file that
// is removed before the next record.
func ReadWARC(ctx context.Context, r io.Reader, name string, maxBytes int64, fn func(*Page, error) error) error {
	maxBytes = maxBytesOrDefault(maxBytes)
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &warcReader{
		ctx:      ctx,
		name:     name,
		maxBytes: maxBytes,
		fn:       fn,
		parser: gowarc.NewUnmarshaler(
			// Report an unparsable HTTP header instead of ignoring it, so
			// that a broken HTML response reaches fn with an error.
			gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
			gowarc.WithBufferMaxMemBytes(warcRecordMemBytes),
		),
	}
	src := &warcSource{r: r}
	in := bufio.NewReaderSize(src, warcBufferSize)
	head, err := in.Peek(16)
	if err != nil && !errors.Is(err, io.EOF) {
		return w.fail(1, err, false)
	}
	switch {
	case len(head) == 0:
		return errors.New("warc: empty file")
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return w.readGzip(in)
	case bytes.HasPrefix(head, []byte(warcMagic)):
		return w.readRecords(in, src, false)
	}
	return fmt.Errorf("warc: record 1: not a warc file: it starts with %q", head)
}

// warcReader holds the state of one ReadWARC call.
//
// It parses records with github.com/nlnwa/gowarc/v3, the maintained WARC
// library of the National Library of Norway (v3.1.0, March 2026), which reads
// one record at a time from an io.Reader with bounded memory and parses the
// HTTP status line and headers of response blocks.
// github.com/CorentinB/warc is the abandoned old name (last release 2023) of
// github.com/internetarchive/gowarc, which is maintained but built for
// crawling: its reader leaves HTTP unparsed, spools records under settings
// read from environment variables, and the module pulls in uTLS, DNS and
// SOCKS dependencies.
//
// Gzip is undone here, member by member, rather than by gowarc: gowarc reads
// exactly one record from each gzip member and silently drops the rest of the
// member, so a .warc.gz compressed as one member would yield a single record.
type warcReader struct {
	ctx      context.Context
	name     string
	maxBytes int64
	fn       func(*Page, error) error
	parser   gowarc.Unmarshaler
	records  int // WARC records started, all types, for archive errors
	pages    int // records passed to fn, for Page.Input
}

// warcSource remembers the first error its reader returned, so that a failure
// of the file or of gzip can be told from a malformed record, and the last
// bytes it read, so that the end of a truncated file can be recognised.
type warcSource struct {
	r    io.Reader
	n    int64
	err  error
	tail []byte // the last 4 bytes read, or fewer at the start
}

func (s *warcSource) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	s.tail = append(s.tail, p[max(0, n-4):n]...)
	s.tail = s.tail[max(0, len(s.tail)-4):]
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// endsRecord reports whether tail can be the end of a record, which is two
// line ends ("\r\n\r\n", or "\n\n" from sloppy writers).
func endsRecord(tail []byte) bool {
	return bytes.HasSuffix(tail, []byte("\n\r\n")) || bytes.HasSuffix(tail, []byte("\n\n"))
}

// fail returns the archive error for a read that failed at record n.
func (w *warcReader) fail(n int, err error, gzipped bool) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		// The cause of nearly every truncated archive; the layer that saw
		// it does not matter to the reader of the message.
		err = io.ErrUnexpectedEOF
	case gzipped:
		err = fmt.Errorf("gunzip: %w", err)
	}
	return fmt.Errorf("warc: record %d: %w", n, err)
}

// readGzip reads a .warc.gz: each gzip member holds one record, as the WARC
// standard recommends, or several, as when a whole .warc was compressed.
func (w *warcReader) readGzip(in *bufio.Reader) error {
	zr, err := gzip.NewReader(in)
	if err != nil {
		return w.fail(1, err, true)
	}
	defer zr.Close()
	member := bufio.NewReaderSize(nil, warcBufferSize)
	for first := true; ; first = false {
		// One member at a time: a record that lies about its length then
		// costs only its own member, and the next one starts clean.
		zr.Multistream(false)
		src := &warcSource{r: zr}
		member.Reset(src)
		if first {
			head, err := member.Peek(16)
			if err != nil && !errors.Is(err, io.EOF) {
				return w.fail(1, err, true)
			}
			switch {
			case len(head) == 0:
				return errors.New("warc: empty file")
			case !bytes.HasPrefix(head, []byte(warcMagic)):
				return fmt.Errorf("warc: record 1: not a warc file: its gzip data starts with %q", head)
			}
		}
		if err := w.readRecords(member, src, true); err != nil {
			return err
		}
		if err := zr.Reset(in); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return w.fail(w.records+1, err, true)
		}
	}
}

// readRecords reads records from in until it ends. in reads from src, which is
// a plain WARC file or, when member is true, one decompressed gzip member.
func (w *warcReader) readRecords(in *bufio.Reader, src *warcSource, member bool) error {
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := skipLineEnds(in); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return w.fail(w.records+1, err, member)
		}
		w.records++
		start := src.n - int64(in.Buffered())
		rec, _, validation, err := w.parser.Unmarshal(in)
		if err != nil {
			if rec != nil {
				_ = rec.Close()
			}
			atEnd := src.err != nil && in.Buffered() == 0
			stuck := src.n-int64(in.Buffered()) == start
			noRecord := errors.Is(err, gowarc.ErrNoRecord)
			switch {
			case src.err != nil && !errors.Is(src.err, io.EOF):
				return w.fail(w.records, src.err, member)
			case member && (atEnd || stuck || noRecord):
				// The rest of an intact gzip member is unusable; the
				// next member starts clean.
				if _, err := io.Copy(io.Discard, in); err != nil {
					return w.fail(w.records, err, true)
				}
				continue
			case noRecord:
				return fmt.Errorf("warc: record %d: %w", w.records, err)
			case atEnd:
				return w.fail(w.records, io.ErrUnexpectedEOF, false)
			case stuck:
				return fmt.Errorf("warc: record %d: %w", w.records, err)
			}
			// A record gowarc cannot read, such as one with a digest
			// algorithm it does not know: skip it. gowarc finds the next
			// record by its "WARC/" line.
			continue
		}
		short := shortRecord(validation)
		if !member && (short != nil || w.cutAtEOF(in, src)) {
			// In a plain file only the end of the file stops a record
			// short of its Content-Length or its end-of-record line.
			_ = rec.Close()
			return w.fail(w.records, io.ErrUnexpectedEOF, false)
		}
		if err := w.deliver(rec, short); err != nil {
			return err
		}
	}
}

// skipLineEnds skips the blank lines that some writers leave between records
// or at the end of the file, so that they do not count as a broken record.
func skipLineEnds(in *bufio.Reader) error {
	for {
		c, err := in.ReadByte()
		if err != nil {
			return err
		}
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			return in.UnreadByte()
		}
	}
}

// cutAtEOF reports whether the record just read ran into the end of the file
// without its closing line ends. gowarc reports a header cut short only as
// warnings (missing fields, a missing end-of-record marker).
func (w *warcReader) cutAtEOF(in *bufio.Reader, src *warcSource) bool {
	_, err := in.Peek(1)
	return errors.Is(err, io.EOF) && !endsRecord(src.tail)
}

// shortRecord returns the finding that a record's block is shorter than its
// Content-Length, or nil.
func shortRecord(validation []error) *gowarc.ContentLengthError {
	for _, v := range validation {
		var cl *gowarc.ContentLengthError
		if errors.As(v, &cl) && cl.Actual < cl.Expected {
			return cl
		}
	}
	return nil
}

// deliver passes rec to fn when it is an HTML response, and closes it.
func (w *warcReader) deliver(rec gowarc.WarcRecord, short *gowarc.ContentLengthError) error {
	page, ok, err := w.htmlResponse(rec, short)
	// Close only removes a temporary file; failing to do so spoils no page.
	_ = rec.Close()
	if !ok {
		return nil
	}
	w.pages++
	page.Input = w.name + "#" + strconv.Itoa(w.pages)
	return w.fn(page, err)
}

// htmlResponse returns the page held by rec. ok is false when rec is not a
// 2xx HTML response and must be skipped; err is a failure of this record.
func (w *warcReader) htmlResponse(rec gowarc.WarcRecord, short *gowarc.ContentLengthError) (page *Page, ok bool, err error) {
	if rec.Type() != gowarc.Response {
		return nil, false, nil
	}
	block, isHTTP := rec.Block().(httpBlock)
	if !isHTTP {
		return nil, false, nil
	}
	// gowarc leaves the URL empty when it cannot parse it.
	page = &Page{URL: rec.WarcHeader().Get(gowarc.WarcTargetURI)}
	var status int
	var header http.Header
	if rb, ok := block.(gowarc.HttpResponseBlock); ok && rb.HttpHeader() != nil {
		status, header = rb.HttpStatusCode(), *rb.HttpHeader()
	} else {
		// gowarc leaves the header nil when net/http refused it, and files
		// a block whose first line is not an HTTP status line as a request.
		status, header, err = parseHTTPHeader(block.ProtocolHeaderBytes())
		if err != nil {
			if !isHTMLMedia(mediaType(rawHeaderValue(block.ProtocolHeaderBytes(), "Content-Type"))) {
				return nil, false, nil
			}
			return page, true, fmt.Errorf("bad http header: %w", err)
		}
	}
	if status < 200 || status > 299 {
		return nil, false, nil
	}
	contentType := header.Get("Content-Type")
	media := mediaType(contentType)
	if media != "" && !isHTMLMedia(media) {
		return nil, false, nil
	}
	sniff := media == ""

	payload, err := block.PayloadBytes()
	if err != nil {
		return page, !sniff, fmt.Errorf("read http body: %w", err)
	}
	body, err := httpBody(payload, header, block.ProtocolHeaderBytes())
	if err != nil {
		return page, !sniff, err
	}
	if sniff {
		head, _ := body.Peek(metaScanBytes)
		if !looksLikeHTML(head) {
			return nil, false, nil
		}
	}
	if short != nil {
		return page, true, fmt.Errorf("truncated record: %d of %d bytes", short.Actual, short.Expected)
	}
	raw, err := readBody(body, w.maxBytes, 0)
	if err != nil {
		if !errors.Is(err, ErrTooLarge) {
			err = fmt.Errorf("read http body: %w", err)
		}
		return page, true, err
	}
	check := checkLenient
	if sniff {
		check = checkStrict
	}
	text, err := toHTML(raw, contentType, check)
	if err != nil {
		return page, true, err
	}
	page.HTML, page.HTMLBytes = text, len(raw)
	return page, true, nil
}

// httpBlock is a record block that holds an HTTP message.
type httpBlock interface {
	gowarc.PayloadBlock
	gowarc.ProtocolHeaderBlock
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
			if magic, _ := body.Peek(2); !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
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

// parseHTTPHeader parses an HTTP response header that net/http refuses for its
// version alone: "HTTP/2 200", as written by crawlers that store HTTP/2
// responses as received (CC-NEWS did for years), or a lowercase "http/1.1".
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
