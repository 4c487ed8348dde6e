package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"time"

	"github.com/incidex/incidex/internal/sizecap"
)

// DefaultMaxBytes is the size cap of a page when none is given: the most
// bytes read from a file, stdin, a download, a web archive record or a JSONL
// line's "html", after decompression.
const DefaultMaxBytes = 10 << 20

// maxBytesOrDefault is the cap a function given maxBytes applies.
func maxBytesOrDefault(maxBytes int64) int64 {
	if maxBytes <= 0 {
		return DefaultMaxBytes
	}
	return maxBytes
}

// Page is one input's HTML, decoded to UTF-8. Only the functions of this
// package build one, each applying the size cap and the checks that refuse
// what is not an HTML page.
type Page struct {
	Input     string // the argument as given (URL, path or "-")
	URL       string // final URL after redirects; empty for local files and stdin
	HTML      []byte // the page, decoded to UTF-8
	HTMLBytes int    // bytes received before charset decoding (after gzip decompression)
	// FetchedAt is when the page was downloaded, or the WARC-Date of its
	// web archive record; zero for files, stdin and JSONL lines.
	FetchedAt time.Time
}

// Errors that callers may test for with errors.Is to classify a failed input.
var (
	// ErrEmpty is returned for a page with no content at all.
	ErrEmpty = errors.New("empty page")
	// ErrNotHTML is returned for PDF, images, JSON, binary data and any other
	// content that is not an HTML page. The wrapping message says why.
	ErrNotHTML = errors.New("not an html page")
	// ErrTooLarge matches every *TooLargeError.
	ErrTooLarge = errors.New("page exceeds the size cap")
)

// TooLargeError is returned when a page, after decompression, is larger than
// the size cap. It matches ErrTooLarge.
type TooLargeError struct {
	Limit int64 // the cap in bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("page exceeds the %s size cap", sizecap.Format(e.Limit))
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ReadFile reads a local HTML file (or .html.gz) and decodes it.
//
// Gzip data is recognised by its magic bytes, whatever the file is called.
// maxBytes caps the decompressed size; zero or less means DefaultMaxBytes.
// Errors from the file system are *fs.PathError values that name the path.
func ReadFile(path string, maxBytes int64) (*Page, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return readOpen(path, f, maxBytes)
}

// ErrNotRegular is the failure of a file found by walking a folder that is
// not a regular file: a named pipe, a socket or a device, which a walk must
// not wait on or read. It is sizecap.ErrNotRegular.
var ErrNotRegular = sizecap.ErrNotRegular

// ReadWalkedFile reads a file that a folder walk found, as ReadFile does,
// but only if it is a regular file: it is opened without waiting (a named
// pipe put in its place is refused, not waited on) and, unless followLinks,
// not through a symbolic link. A file the user names is read with ReadFile,
// as asked, whatever it is.
func ReadWalkedFile(path string, maxBytes int64, followLinks bool) (*Page, error) {
	f, err := OpenWalked(path, followLinks)
	if err != nil {
		return nil, err
	}
	return readOpen(path, f, maxBytes)
}

// OpenWalked opens a file a folder walk or a glob pattern found, as
// ReadWalkedFile does, for a reader of its own (a web archive's): without
// waiting, through a symbolic link only when followLinks, and only a regular
// file (else an error matching ErrNotRegular).
func OpenWalked(path string, followLinks bool) (*os.File, error) {
	f, err := openWalked(path, followLinks)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = &fs.PathError{Op: "read", Path: path, Err: sizecap.NotRegular(info.Mode())}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readOpen reads the page of the open file f and closes it; a folder is
// refused.
func readOpen(path string, f *os.File, maxBytes int64) (*Page, error) {
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case info.IsDir():
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory")}
	}
	return read(path, "", f, maxBytes, info.Size())
}

// ReadStream reads HTML from r (for example stdin) and decodes it; name is
// the Page's Input.
//
// It behaves like ReadFile: gzip data is decompressed and maxBytes (zero or
// less means DefaultMaxBytes) caps the decompressed size.
func ReadStream(name string, r io.Reader, maxBytes int64) (*Page, error) {
	return read(name, "", r, maxBytes, 0)
}

// FromBytes builds a Page from a page received by other means (a crawler's
// store, a benchmark's files), named input and fetched from pageURL (empty
// when unknown). It gets the checks and the cap of ReadStream. The Page's
// HTML may share memory with raw (a UTF-8 page is not copied): raw must not
// change while the Page is in use.
func FromBytes(input, pageURL string, raw []byte, maxBytes int64) (*Page, error) {
	maxBytes = maxBytesOrDefault(maxBytes)
	if isGzip(raw) {
		return read(input, pageURL, bytes.NewReader(raw), maxBytes, 0)
	}
	// Not copied: the page is read where it lies.
	if int64(len(raw)) > maxBytes {
		return nil, &TooLargeError{Limit: maxBytes}
	}
	return fromRaw(input, pageURL, raw)
}

// read reads a page from r; size, when known (a file's), saves growing
// the buffer.
func read(name, pageURL string, r io.Reader, maxBytes, size int64) (*Page, error) {
	maxBytes = maxBytesOrDefault(maxBytes)
	raw, err := readBody(r, maxBytes, size)
	if err != nil {
		return nil, err
	}
	return fromRaw(name, pageURL, raw)
}

// fromRaw checks and decodes a page's bytes, gunzipped already.
func fromRaw(name, pageURL string, raw []byte) (*Page, error) {
	text, err := toHTML(raw, "", checkLenient)
	if err != nil {
		return nil, err
	}
	return &Page{Input: name, URL: pageURL, HTML: text, HTMLBytes: len(raw)}, nil
}

// isGzip reports whether b starts with the gzip magic bytes.
func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// readBody reads all of r, gunzipping it when it starts with the gzip magic
// bytes, and fails with a *TooLargeError beyond maxBytes of output. size,
// when positive, is what r holds (a file's size): the buffer is made that
// large at once for a body that is not gzipped.
func readBody(r io.Reader, maxBytes, size int64) ([]byte, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	var src io.Reader = br
	gzipped := isGzip(magic)
	if gzipped {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, gunzipError(err)
		}
		defer zr.Close()
		src = zr
	}
	// One byte more than the cap tells "exactly at the cap" from "over it"
	// without reading the rest of a huge or endless body.
	var hint int64
	if !gzipped {
		hint = size
	}
	body, err := sizecap.ReadAll(src, hint, maxBytes)
	if err != nil {
		if gzipped {
			return nil, gunzipError(err)
		}
		return nil, err
	}
	if int64(len(body)) > maxBytes {
		return nil, &TooLargeError{Limit: maxBytes}
	}
	return body, nil
}

func gunzipError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("gunzip: truncated data: %w", err)
	}
	return fmt.Errorf("gunzip: %w", err)
}

// IsURL reports whether s is an http or https URL.
func IsURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
