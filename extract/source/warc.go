package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/incidex/incidex/internal/sizecap"
)

const (
	warcMagic      = "WARC/"
	warcBufferSize = 64 << 10
	// warcMaxHeaderBytes caps a record's WARC header, and apart from it the
	// HTTP header at the start of its block. Real ones take a few hundred
	// bytes; the cap stops a header without line ends from growing.
	warcMaxHeaderBytes = 1 << 20
	// warcSkipChunk is how much of a skipped block is read between two
	// looks at the context.
	warcSkipChunk = 1 << 20
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
// HTML records fn has received, from 1; URL is the record's WARC-Target-URI;
// HTML is the HTTP body after undoing chunked transfer coding and gzip or
// deflate content coding, decoded with DecodeHTML using the HTTP
// Content-Type; and HTMLBytes is the body's length before charset decoding.
// maxBytes (zero or less means DefaultMaxBytes) caps that length. Records of
// other types (warcinfo, request, metadata, revisit), non-HTML responses and
// non-2xx responses are skipped without a call. A record the crawler marked
// WARC-Truncated is delivered as it is.
//
// A failure confined to one HTML response (a body over maxBytes, a malformed
// HTTP header, a broken content coding, ErrNotHTML or ErrEmpty from the body)
// is passed to fn with a Page that has only Input and URL set, and reading
// goes on. A response whose HTTP header is too broken to show an HTML
// Content-Type is skipped.
//
// A record whose framing is broken is never delivered as a page, nor merged
// with the next one: fn gets an error such as
// `warc: record 3: bad Content-Length "-5"`, where records are numbered from
// 1 in the file, all types counted. Broken framing is a Content-Length that
// is missing, not a decimal number, or runs past the end of the record's
// gzip member or of the file; a block not followed by the end of its record;
// or a header that is not a WARC header, is cut short, has a line without a
// colon, gives a field twice with different values (two records run
// together) or is over 1 MiB. The Page is nil, or has Input and URL set when
// the block showed an HTML response. Reading resumes at the next record: the
// next line that starts with "WARC/" and a digit, which in a .warc.gz is at
// the latest the next gzip member. A plain file that r can seek in is
// searched from the start of the block, so that the records a too long
// Content-Length took in are read too.
//
// Memory use does not grow with the archive or with a record: records are
// read from r one at a time, a block is read once as it is decoded, only the
// page's body (at most maxBytes) and headers (at most 1 MiB each) are kept,
// and nothing is written to disk. The rest of a block over the cap is read
// and dropped.
//
// ReadWARC returns nil at the end of the archive, the error fn returns (which
// stops reading), ctx.Err() when ctx is done between two records or while a
// long block is skipped, or an error for the archive itself, such as
// "warc: record 37: unexpected EOF" for a truncated file, or
// "warc: record 1: not a warc file ...". Such an error comes after the good
// records before the failure have been delivered.
func ReadWARC(ctx context.Context, r io.Reader, name string, maxBytes int64, fn func(*Page, error) error) error {
	maxBytes = maxBytesOrDefault(maxBytes)
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &warcReader{ctx: ctx, name: name, maxBytes: maxBytes, fn: fn}
	s := &warcStream{src: &warcSource{r: r}}
	if sk, ok := r.(io.Seeker); ok {
		// A pipe is an *os.File too, but cannot seek.
		if base, err := sk.Seek(0, io.SeekCurrent); err == nil {
			s.seeker, s.base = sk, base
		}
	}
	s.in = bufio.NewReaderSize(s.src, warcBufferSize)
	head, err := s.in.Peek(16)
	if err != nil && !errors.Is(err, io.EOF) {
		return w.fail(1, err, false)
	}
	switch {
	case len(head) == 0:
		return errors.New("warc: empty file")
	case isGzip(head):
		return w.readGzip(s.in)
	case bytes.HasPrefix(head, []byte(warcMagic)):
		return w.readRecords(s)
	}
	return fmt.Errorf("warc: record 1: not a warc file: it starts with %q", head)
}

// warcReader holds the state of one ReadWARC call.
//
// Records are framed here rather than by a WARC library.
// github.com/nlnwa/gowarc/v3, which incidex used before, caches each whole
// block before Unmarshal returns (it drops a block it has not cached), in
// memory up to a limit and beyond it in a temporary file whose size none of
// its options bounds: a 2 MB .warc.gz of compressible bytes wrote 1.85 GB to
// the temporary folder before the size cap could apply. It also reads a
// negative Content-Length as "to the end of the file" and a non-numeric one
// as zero. github.com/internetarchive/gowarc spools records to temporary
// files as well, under settings read from environment variables. The format is simple enough to read directly: a header of
// "Name: value" lines, a blank line, Content-Length bytes of block, and two
// line ends.
//
// Gzip is undone here, member by member: a record then costs at most its own
// member, and a .warc.gz compressed as one member reads as well.
type warcReader struct {
	ctx      context.Context
	name     string
	maxBytes int64
	fn       func(*Page, error) error
	records  int           // WARC records started, all types, for errors
	pages    int           // HTML records passed to fn, for Page.Input
	block    *bufio.Reader // reused for each block
}

// warcStream is what records are read from: a plain file, or one member of
// a .warc.gz.
type warcStream struct {
	in     *bufio.Reader // reads src
	src    *warcSource
	member bool      // src is one gzip member
	seeker io.Seeker // the plain file, when it can seek
	base   int64     // the seeker's offset where src started
}

// warcSource counts the bytes its reader returned and remembers its first
// error, so that a failure of the file or of gzip can be told from a
// malformed record.
type warcSource struct {
	r   io.Reader
	n   int64
	err error
}

func (s *warcSource) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// offset is the position of the next byte in the stream.
func (s *warcStream) offset() int64 { return s.src.n - int64(s.in.Buffered()) }

// failure returns the error of the stream itself (a read error, broken gzip
// data), or nil when it is intact so far.
func (s *warcStream) failure() error {
	if s.src.err != nil && !errors.Is(s.src.err, io.EOF) {
		return s.src.err
	}
	return nil
}

// seek moves a plain file back to off and reports whether it could.
func (s *warcStream) seek(off int64) bool {
	if s.seeker == nil {
		return false
	}
	if _, err := s.seeker.Seek(s.base+off, io.SeekStart); err != nil {
		return false
	}
	s.src.n, s.src.err = off, nil
	s.in.Reset(s.src)
	return true
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
	member := &warcStream{in: bufio.NewReaderSize(nil, warcBufferSize), member: true}
	for first := true; ; first = false {
		// One member at a time: a record that lies about its length then
		// costs only its own member, and the next one starts clean.
		zr.Multistream(false)
		member.src = &warcSource{r: zr}
		member.in.Reset(member.src)
		if first {
			head, err := member.in.Peek(16)
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
		if err := w.readRecords(member); err != nil {
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

// readRecords reads the records of s until it ends.
func (w *warcReader) readRecords(s *warcStream) error {
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if ferr := s.failure(); ferr != nil {
			return w.fail(w.records+1, ferr, s.member)
		}
		if err := skipLineEnds(s.in); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return w.fail(w.records+1, err, s.member)
		}
		w.records++
		if err := w.readRecord(s, w.records); err != nil {
			return err
		}
	}
}

// readRecord reads record n, which starts where s is, and leaves s at the
// start of the next record or at its end. It returns an error only when
// reading must stop.
func (w *warcReader) readRecord(s *warcStream, n int) error {
	h, err := readWARCHeader(s.in)
	if err != nil {
		if ferr := s.failure(); ferr != nil {
			return w.fail(n, ferr, s.member)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			if !s.member {
				return w.fail(n, err, false) // a file cut in a header
			}
			err = errors.New("record header cut short by the end of its gzip member")
		}
		return w.broken(s, n, nil, err)
	}
	length, err := h.contentLength()
	if err != nil {
		return w.broken(s, n, nil, err)
	}

	start := s.offset()
	block := &io.LimitedReader{R: s.in, N: length}
	page, pageErr := w.readBlock(block, h)
	if err := w.skip(block); err != nil {
		return err
	}
	if block.N > 0 {
		// The stream ended inside the block.
		if ferr := s.failure(); ferr != nil {
			return w.fail(n, ferr, s.member)
		}
		if s.member {
			return w.broken(s, n, page, fmt.Errorf("Content-Length %d runs past the end of its gzip member, %d bytes into the block", length, length-block.N))
		}
		// A truncated file, unless a later record starts inside the
		// block: then the length was wrong, and reading goes on there.
		if !s.seek(start) {
			return w.fail(n, io.ErrUnexpectedEOF, false)
		}
		if found, err := w.resync(s, n); err != nil || !found {
			if err != nil {
				return err
			}
			return w.fail(n, io.ErrUnexpectedEOF, false)
		}
		return w.report(n, page, fmt.Errorf("Content-Length %d runs past the end of the file", length))
	}

	ended := s.atRecordEnd()
	if s.failure() != nil {
		// The block was whole; what broke comes after it (a gzip checksum,
		// the file cut in the next record), and readRecords reports it.
		return w.deliver(page, pageErr)
	}
	if !ended {
		// Too short, the block stops inside the record; too long, it took
		// in the start of the next one. Search again from the block's
		// start when the file allows it.
		s.seek(start)
		return w.broken(s, n, page, fmt.Errorf("Content-Length %d does not end the record: no record end after the block", length))
	}
	return w.deliver(page, pageErr)
}

// deliver passes an HTML record's page, or its failure, to fn. It does
// nothing when page is nil: the record was not an HTML response.
func (w *warcReader) deliver(page *Page, err error) error {
	if page == nil {
		return nil
	}
	w.pages++
	page.Input = w.name + "#" + strconv.Itoa(w.pages)
	if err != nil {
		page = &Page{Input: page.Input, URL: page.URL}
	}
	return w.fn(page, err)
}

// report passes to fn the failure of record n, whose framing is broken.
// page is the record's page when its block showed an HTML response.
func (w *warcReader) report(n int, page *Page, err error) error {
	err = fmt.Errorf("warc: record %d: %w", n, err)
	if page == nil {
		return w.fn(nil, err)
	}
	return w.deliver(page, err)
}

// broken reports the broken record n and moves s to the next record.
func (w *warcReader) broken(s *warcStream, n int, page *Page, err error) error {
	if err := w.report(n, page, err); err != nil {
		return err
	}
	_, err = w.resync(s, n)
	return err
}

// resync moves s to the next line that starts a record ("WARC/" and a
// digit), at its position or after it, or else to its end, and reports
// whether it found one. Every caller has read past the start of the broken record, so
// reading always moves on.
func (w *warcReader) resync(s *warcStream, n int) (bool, error) {
	var read int64
	atLineStart := true
	for {
		if atLineStart {
			head, _ := s.in.Peek(len(warcMagic) + 1)
			if isRecordStart(head) {
				return true, nil
			}
		}
		if read >= warcSkipChunk {
			if err := w.ctx.Err(); err != nil {
				return false, err
			}
			read = 0
		}
		line, err := s.in.ReadSlice('\n')
		read += int64(len(line))
		switch {
		case err == nil:
			atLineStart = true
		case errors.Is(err, bufio.ErrBufferFull):
			atLineStart = false
		default:
			if ferr := s.failure(); ferr != nil {
				return false, w.fail(n, ferr, s.member)
			}
			return false, nil
		}
	}
}

// isRecordStart reports whether head, the first bytes of a line, starts a
// WARC record.
func isRecordStart(head []byte) bool {
	return len(head) > len(warcMagic) && bytes.HasPrefix(head, []byte(warcMagic)) &&
		head[len(warcMagic)] >= '0' && head[len(warcMagic)] <= '9'
}

// atRecordEnd skips the line ends that close a record and reports whether
// what follows may come after a record: the end of the stream or the next
// record. Sloppy writers leave out some or all of the line ends.
func (s *warcStream) atRecordEnd() bool {
	if err := skipLineEnds(s.in); err != nil {
		return true // the end, or a failure the caller looks at
	}
	head, _ := s.in.Peek(len(warcMagic))
	return bytes.Equal(head, []byte(warcMagic))
}

// skip reads what is left of r and drops it, looking at the context now and
// then: a block can be gigabytes of compressible bytes. Read errors are left
// for the stream's failure to report.
func (w *warcReader) skip(r io.Reader) error {
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if _, err := io.CopyN(io.Discard, r, warcSkipChunk); err != nil {
			return nil
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

// warcHeaderFields are the fields of the WARC standard that a header may
// give once, by lowercase name: all but WARC-Concurrent-To and
// WARC-Protocol. A header that gives one twice, with different values, is
// most likely the start of a record cut short and the header of the next one
// run together.
var warcHeaderFields = []struct{ key, name string }{
	{"warc-type", "WARC-Type"},
	{"warc-record-id", "WARC-Record-ID"},
	{"warc-date", "WARC-Date"},
	{"content-length", "Content-Length"},
	{"content-type", "Content-Type"},
	{"warc-target-uri", "WARC-Target-URI"},
	{"warc-block-digest", "WARC-Block-Digest"},
	{"warc-payload-digest", "WARC-Payload-Digest"},
	{"warc-ip-address", "WARC-IP-Address"},
	{"warc-refers-to", "WARC-Refers-To"},
	{"warc-refers-to-target-uri", "WARC-Refers-To-Target-URI"},
	{"warc-refers-to-date", "WARC-Refers-To-Date"},
	{"warc-truncated", "WARC-Truncated"},
	{"warc-warcinfo-id", "WARC-Warcinfo-ID"},
	{"warc-filename", "WARC-Filename"},
	{"warc-profile", "WARC-Profile"},
	{"warc-identified-payload-type", "WARC-Identified-Payload-Type"},
	{"warc-segment-number", "WARC-Segment-Number"},
	{"warc-segment-origin-id", "WARC-Segment-Origin-ID"},
	{"warc-segment-total-length", "WARC-Segment-Total-Length"},
}

// isWARCHeaderField reports whether key, a lowercase field name, is one of
// warcHeaderFields.
func isWARCHeaderField(key string) bool {
	for _, f := range warcHeaderFields {
		if f.key == key {
			return true
		}
	}
	return false
}

// warcHeader holds the warcHeaderFields of a record's WARC header.
type warcHeader struct {
	values map[string][]string // by lowercase name, in order
}

// get returns the value of the field named by its lowercase name, or "".
func (h *warcHeader) get(name string) string {
	if v := h.values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// errHeaderTooLong is the failure of a WARC or HTTP header over
// warcMaxHeaderBytes.
var errHeaderTooLong = fmt.Errorf("header over %s", sizecap.Format(warcMaxHeaderBytes))

// readWARCHeader reads a record's WARC header, up to and including the blank
// line that ends it. It returns io.ErrUnexpectedEOF when the stream ends
// inside the header, and stops before a line that starts the next record.
func readWARCHeader(in *bufio.Reader) (*warcHeader, error) {
	budget := warcMaxHeaderBytes
	first, err := readLine(in, budget)
	if err != nil {
		return nil, headerError(err)
	}
	if !bytes.HasPrefix(first, []byte(warcMagic)) {
		return nil, fmt.Errorf("not a WARC record header: it starts with %q", first[:min(len(first), 16)])
	}
	budget -= len(first)
	h := &warcHeader{values: map[string][]string{}}
	last := "" // the previous field's name, for folded lines
	for {
		if head, _ := in.Peek(len(warcMagic) + 1); isRecordStart(head) {
			return nil, errors.New("record header cut short by the next record")
		}
		line, err := readLine(in, budget)
		if err != nil {
			return nil, headerError(err)
		}
		budget -= len(line)
		text := strings.TrimRight(string(line), "\r\n")
		if strings.TrimSpace(text) == "" {
			break
		}
		if text[0] == ' ' || text[0] == '\t' {
			if v := h.values[last]; len(v) > 0 {
				v[len(v)-1] += " " + strings.TrimSpace(text)
			}
			continue
		}
		name, value, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fmt.Errorf("bad header line %q", excerpt(text))
		}
		last = strings.ToLower(strings.TrimSpace(name))
		if isWARCHeaderField(last) {
			h.values[last] = append(h.values[last], strings.TrimSpace(value))
		}
	}
	for _, f := range warcHeaderFields {
		values := h.values[f.key]
		for _, v := range values[min(1, len(values)):] {
			if v != values[0] {
				return nil, fmt.Errorf("conflicting %s values %q and %q", f.name, excerpt(values[0]), excerpt(v))
			}
		}
	}
	return h, nil
}

// headerError turns the failure to read a header line into the failure of
// the header.
func headerError(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// targetURL returns the URL of a WARC-Target-URI value, without the angle
// brackets some writers put around it (following a mistake in the WARC 1.1
// grammar), or "" when the value is not a URL.
func targetURL(v string) string {
	if len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>' {
		v = v[1 : len(v)-1]
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" {
		return ""
	}
	return v
}

// contentLength returns the length of the record's block. The WARC standard
// requires the field, as a decimal number; anything else leaves the block's
// end unknown.
func (h *warcHeader) contentLength() (int64, error) {
	if len(h.values["content-length"]) == 0 {
		return 0, errors.New("no Content-Length")
	}
	v := h.get("content-length")
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return 0, fmt.Errorf("bad Content-Length %q", excerpt(v))
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad Content-Length %q: too large", excerpt(v))
	}
	return n, nil
}

// excerpt shortens a header value for an error message.
func excerpt(v string) string {
	const most = 40
	if len(v) <= most {
		return v
	}
	return v[:most] + "..."
}

// readLine returns the next line of br, its line end included, or what is
// left before the end of br, with the error that ended it. It fails with
// errHeaderTooLong, returning what it read, when the line is longer than
// most bytes.
func readLine(br *bufio.Reader, most int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line)+len(frag) > most {
			return append(line, frag[:max(0, most-len(line))]...), errHeaderTooLong
		}
		line = append(line, frag...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}
