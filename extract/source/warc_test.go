package source

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

const warcPage = "<!DOCTYPE html><html><head><title>Breach</title></head><body><p>Attackers stole data.</p></body></html>"

// warcRecord returns one WARC record with a block of the given content type.
func warcRecord(typ, uri, contentType, block string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\n", typ)
	fmt.Fprintf(&b, "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n", len(uri)*1000+len(block))
	b.WriteString("WARC-Date: 2024-05-01T10:00:00Z\r\n")
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", contentType, len(block), block)
	return b.String()
}

// warcResponse returns a response record holding an HTTP response.
func warcResponse(uri, status string, header []string, body string) string {
	msg := "HTTP/1.1 " + status + "\r\n" + strings.Join(header, "\r\n")
	if len(header) > 0 {
		msg += "\r\n"
	}
	return warcRecord("response", uri, "application/http; msgtype=response", msg+"\r\n"+body)
}

func warcHTML(uri, body string) string {
	return warcResponse(uri, "200 OK", []string{"Content-Type: text/html"}, body)
}

func warcGzip(t *testing.T, data string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func warcZlib(t *testing.T, data string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := io.WriteString(zw, data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// warcGzipFlushed compresses records as one gzip member, as gzip does to a
// whole file, and returns where the compressed bytes of each record end.
func warcGzipFlushed(t *testing.T, records []string) (data []byte, ends []int) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, r := range records {
		if _, err := io.WriteString(zw, r); err != nil {
			t.Fatal(err)
		}
		if err := zw.Flush(); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, buf.Len())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), ends
}

// warcMembers compresses each record as its own gzip member, as crawlers do.
func warcMembers(t *testing.T, records []string) []byte {
	t.Helper()
	var out []byte
	for _, r := range records {
		out = append(out, warcGzip(t, r)...)
	}
	return out
}

// warcMixed is an archive with one record of every kind ReadWARC must tell
// apart. Nine of them are HTML pages; warcMixedWant lists them.
func warcMixed(t *testing.T) []string {
	t.Helper()
	return []string{
		warcRecord("warcinfo", "", "application/warc-fields", "software: incidex-test\r\nformat: WARC File Format 1.1\r\n"),
		warcHTML("https://news.example/a", warcPage),
		warcRecord("request", "https://news.example/a", "application/http; msgtype=request",
			"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n"),
		warcResponse("https://news.example/site.css", "200 OK", []string{"Content-Type: text/css"}, "body { color: red }"),
		warcResponse("https://news.example/gone", "404 Not Found", []string{"Content-Type: text/html"}, "<html><p>Not found</p></html>"),
		warcResponse("https://news.example/cp1252", "200 OK", []string{"Content-Type: text/html; charset=windows-1252"},
			"<html><p>caf\xe9 \x80 5</p></html>"),
		warcResponse("https://news.example/gz", "200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"},
			string(warcGzip(t, "<html><p>gzipped page</p></html>"))),
		warcRecord("metadata", "https://news.example/a", "application/warc-fields", "outlinks: https://news.example/b\r\n"),
		warcRecord("revisit", "https://news.example/a", "application/http; msgtype=response",
			"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),
		warcResponse("https://news.example/logo.png", "200 OK", []string{"Content-Type: image/png"}, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		warcResponse("https://news.example/deflate", "200 OK", []string{"Content-Type: text/html", "Content-Encoding: deflate"},
			string(warcZlib(t, "<html><p>deflated page</p></html>"))),
		warcResponse("https://news.example/chunked", "200 OK", []string{"Content-Type: text/html", "Transfer-Encoding: chunked"},
			"d\r\n<html><p>chun\r\nc\r\nked page</p>\r\n7\r\n</html>\r\n0\r\n\r\n"),
		warcResponse("https://news.example/untyped", "200 OK", nil, "<html><p>no content type</p></html>"),
		warcResponse("https://news.example/data.json", "200 OK", nil, `{"a": 1}`),
		warcResponse("https://news.example/x", "200 OK", []string{"Content-Type: application/xhtml+xml; charset=utf-8"},
			`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>xhtml</p></html>`),
		// As CC-NEWS stored HTTP/2 responses from 2020 to 2022.
		warcRecord("response", "https://news.example/h2", "application/http; msgtype=response",
			"HTTP/2 200 \r\ncontent-type: text/html; charset=utf-8\r\n\r\n<html><p>over http/2</p></html>"),
		warcRecord("response", "https://news.example/h2-404", "application/http; msgtype=response",
			"HTTP/2 404 \r\ncontent-type: text/html\r\n\r\n<html><p>gone</p></html>"),
		warcRecord("response", "https://news.example/lower", "application/http; msgtype=response",
			"http/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>lowercase</p></html>"),
	}
}

// warcDelivery is one call of fn.
type warcDelivery struct {
	Input, URL, HTML string
	HTMLBytes        int
	Err              string // "" for success, else a substring of the error
}

func warcMixedWant(name string) []warcDelivery {
	return []warcDelivery{
		{Input: name + "#1", URL: "https://news.example/a", HTML: warcPage, HTMLBytes: len(warcPage)},
		{Input: name + "#2", URL: "https://news.example/cp1252", HTML: "<html><p>café € 5</p></html>", HTMLBytes: 28},
		{Input: name + "#3", URL: "https://news.example/gz", HTML: "<html><p>gzipped page</p></html>", HTMLBytes: 32},
		{Input: name + "#4", URL: "https://news.example/deflate", HTML: "<html><p>deflated page</p></html>", HTMLBytes: 33},
		{Input: name + "#5", URL: "https://news.example/chunked", HTML: "<html><p>chunked page</p></html>", HTMLBytes: 32},
		{Input: name + "#6", URL: "https://news.example/untyped", HTML: "<html><p>no content type</p></html>", HTMLBytes: 35},
		{Input: name + "#7", URL: "https://news.example/x",
			HTML: `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>xhtml</p></html>`, HTMLBytes: 83},
		{Input: name + "#8", URL: "https://news.example/h2", HTML: "<html><p>over http/2</p></html>", HTMLBytes: 31},
		{Input: name + "#9", URL: "https://news.example/lower", HTML: "<html><p>lowercase</p></html>", HTMLBytes: 29},
	}
}

// readWARCAll runs ReadWARC and records every call of fn.
func readWARCAll(ctx context.Context, data []byte, name string, maxBytes int64) ([]warcDelivery, error) {
	var got []warcDelivery
	err := ReadWARC(ctx, bytes.NewReader(data), name, maxBytes, func(p *Page, err error) error {
		got = append(got, newWARCDelivery(p, err))
		return nil
	})
	return got, err
}

// newWARCDelivery records one call of fn. A nil page, which comes with an
// error for a broken record, is recorded with an empty Input.
func newWARCDelivery(p *Page, err error) warcDelivery {
	var d warcDelivery
	if p != nil {
		d = warcDelivery{Input: p.Input, URL: p.URL, HTML: string(p.HTML), HTMLBytes: p.HTMLBytes}
	}
	if err != nil {
		d.Err = err.Error()
	}
	return d
}

func checkWARCDeliveries(t *testing.T, got, want []warcDelivery) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("call %d missing, want %+v", i+1, want[i])
		case i >= len(want):
			t.Errorf("unexpected call %d: %+v", i+1, got[i])
		case want[i].Err != "":
			g := got[i]
			if g.Input != want[i].Input || g.URL != want[i].URL || g.HTML != "" || !strings.Contains(g.Err, want[i].Err) {
				t.Errorf("call %d = %+v, want Input %q, URL %q, no HTML and an error containing %q",
					i+1, g, want[i].Input, want[i].URL, want[i].Err)
			}
		case got[i] != want[i]:
			t.Errorf("call %d = %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
}

func TestReadWARC(t *testing.T) {
	mixed := warcMixed(t)
	big := "<html><body><p>" + strings.Repeat("long story ", 100) + "</p></body></html>"
	// gowarc, which incidex used before, skipped a record whose digest
	// algorithm it did not know; incidex checks no digests.
	odd := []string{
		warcHTML("https://news.example/1", warcPage),
		strings.Replace(warcHTML("https://news.example/blake3", warcPage), "WARC-Date:", "WARC-Block-Digest: blake3:af1349b9\r\nWARC-Date:", 1),
		warcHTML("https://news.example/3", warcPage),
	}
	oddWant := []warcDelivery{
		{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
		{Input: "crawl.warc#2", URL: "https://news.example/blake3", HTML: warcPage, HTMLBytes: len(warcPage)},
		{Input: "crawl.warc#3", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)},
	}

	tests := []struct {
		name     string
		data     []byte
		maxBytes int64
		want     []warcDelivery
	}{
		{name: "plain warc", data: []byte(strings.Join(mixed, "")), want: warcMixedWant("crawl.warc")},
		{name: "gzip member per record", data: warcMembers(t, mixed), want: warcMixedWant("crawl.warc")},
		{name: "gzip of the whole file", data: warcGzip(t, strings.Join(mixed, "")), want: warcMixedWant("crawl.warc")},
		{
			name: "record over maxBytes",
			data: warcMembers(t, []string{
				warcHTML("https://news.example/1", warcPage),
				warcHTML("https://news.example/big", big),
				warcResponse("https://news.example/big.gz", "200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"},
					string(warcGzip(t, big))),
				warcHTML("https://news.example/3", warcPage),
			}),
			maxBytes: 500,
			want: []warcDelivery{
				{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
				{Input: "crawl.warc#2", URL: "https://news.example/big", Err: "page exceeds the 500 bytes size cap"},
				{Input: "crawl.warc#3", URL: "https://news.example/big.gz", Err: "page exceeds the 500 bytes size cap"},
				{Input: "crawl.warc#4", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)},
			},
		},
		{
			name: "malformed records",
			data: []byte(strings.Join([]string{
				warcRecord("response", "https://news.example/bad-status", "application/http; msgtype=response",
					"HTTP/1.1 twohundred OK\r\nContent-Type: text/html\r\n\r\n<html></html>"),
				warcRecord("response", "https://news.example/garbage", "application/http; msgtype=response",
					"garbage line\r\nContent-Type: text/html\r\n\r\n<html></html>"),
				warcRecord("response", "https://news.example/garbage.png", "application/http; msgtype=response",
					"garbage line\r\nContent-Type: image/png\r\n\r\n\x89PNG"),
				warcResponse("https://news.example/bad-gzip", "200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"},
					"\x1f\x8b\x08\x00garbage"),
				warcResponse("https://news.example/br", "200 OK", []string{"Content-Type: text/html", "Content-Encoding: br"}, "\x0b\x02\x80"),
				warcResponse("https://news.example/empty", "200 OK", []string{"Content-Type: text/html"}, ""),
				warcResponse("https://news.example/pdf", "200 OK", []string{"Content-Type: text/html"}, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
				warcHTML("https://news.example/fine", warcPage),
			}, "")),
			want: []warcDelivery{
				{Input: "crawl.warc#1", URL: "https://news.example/bad-status", Err: "bad http header: malformed HTTP status code"},
				{Input: "crawl.warc#2", URL: "https://news.example/garbage", Err: "bad http header: malformed HTTP"},
				{Input: "crawl.warc#3", URL: "https://news.example/bad-gzip", Err: "read http body: gunzip: unexpected EOF"},
				{Input: "crawl.warc#4", URL: "https://news.example/br", Err: `unsupported content encoding "br"`},
				{Input: "crawl.warc#5", URL: "https://news.example/empty", Err: "empty page"},
				{Input: "crawl.warc#6", URL: "https://news.example/pdf", Err: "not an html page: body looks like application/pdf"},
				{Input: "crawl.warc#7", URL: "https://news.example/fine", HTML: warcPage, HTMLBytes: len(warcPage)},
			},
		},
		{
			name: "blank lines between and after records",
			data: []byte(warcHTML("https://news.example/1", warcPage) + "\r\n\r\n" + warcHTML("https://news.example/2", warcPage) + "\r\n\n"),
			want: []warcDelivery{
				{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
				{Input: "crawl.warc#2", URL: "https://news.example/2", HTML: warcPage, HTMLBytes: len(warcPage)},
			},
		},
		{name: "unknown digest algorithm in a plain warc", data: []byte(strings.Join(odd, "")), want: oddWant},
		{name: "unknown digest algorithm in its own gzip member", data: warcMembers(t, odd), want: oddWant},
		{name: "unknown digest algorithm in a whole-file gzip", data: warcGzip(t, strings.Join(odd, "")), want: oddWant},
		{
			name: "angle brackets around the target URI",
			data: []byte(strings.Replace(warcHTML("https://news.example/1", warcPage),
				"WARC-Target-URI: https://news.example/1", "WARC-Target-URI: <https://news.example/1>", 1)),
			want: []warcDelivery{{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)}},
		},
		{
			name: "folded header line and LF line ends",
			data: func() []byte {
				rec := warcHTML("https://news.example/1", warcPage)
				header, block, _ := strings.Cut(rec, "\r\n\r\n")
				header = strings.Replace(header, "; msgtype=response", ";\r\n\tmsgtype=response", 1)
				return []byte(strings.ReplaceAll(header, "\r\n", "\n") + "\n\n" + block)
			}(),
			want: []warcDelivery{{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readWARCAll(context.Background(), tt.data, "crawl.warc", tt.maxBytes)
			if err != nil {
				t.Fatalf("ReadWARC: %v", err)
			}
			checkWARCDeliveries(t, got, tt.want)
		})
	}
}

func TestReadWARCArchiveErrors(t *testing.T) {
	records := []string{
		warcHTML("https://news.example/1", warcPage),
		warcHTML("https://news.example/2", warcPage),
		warcHTML("https://news.example/3", warcPage),
		warcHTML("https://news.example/4", warcPage),
	}
	plain := strings.Join(records, "")
	thirdStart := len(records[0]) + len(records[1])
	members := warcMembers(t, records)
	whole, wholeEnds := warcGzipFlushed(t, records)
	memberStart := len(warcMembers(t, records[:2]))
	memberLen := len(warcGzip(t, records[2]))
	firstTwo := []warcDelivery{
		{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
		{Input: "crawl.warc#2", URL: "https://news.example/2", HTML: warcPage, HTMLBytes: len(warcPage)},
	}

	tests := []struct {
		name    string
		data    []byte
		want    []warcDelivery
		wantErr string
		wantIs  error
	}{
		{
			name:    "warc.gz cut in the middle of the third record",
			data:    members[:memberStart+memberLen/2],
			want:    firstTwo,
			wantErr: "warc: record 3: unexpected EOF",
			wantIs:  io.ErrUnexpectedEOF,
		},
		{
			name:    "warc.gz cut in the third record's gzip trailer",
			data:    members[:memberStart+memberLen-3],
			want:    append(firstTwo, warcDelivery{Input: "crawl.warc#3", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)}),
			wantErr: "unexpected EOF",
			wantIs:  io.ErrUnexpectedEOF,
		},
		{
			name:    "whole-file gzip cut in the third record",
			data:    whole[:(wholeEnds[1]+wholeEnds[2])/2],
			want:    firstTwo,
			wantErr: "warc: record 3: unexpected EOF",
			wantIs:  io.ErrUnexpectedEOF,
		},
		{
			name:    "plain warc cut in the body of the third record",
			data:    []byte(plain[:thirdStart+len(records[2])-30]),
			want:    firstTwo,
			wantErr: "warc: record 3: unexpected EOF",
			wantIs:  io.ErrUnexpectedEOF,
		},
		{
			name:    "plain warc cut in the header of the third record",
			data:    []byte(plain[:thirdStart+40]),
			want:    firstTwo,
			wantErr: "warc: record 3: unexpected EOF",
			wantIs:  io.ErrUnexpectedEOF,
		},
		{
			name: "corrupt gzip member",
			data: func() []byte {
				d := bytes.Clone(members)
				d[memberStart+memberLen-6] ^= 0xff // in the CRC-32 of the third member
				return d
			}(),
			want:    append(firstTwo, warcDelivery{Input: "crawl.warc#3", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)}),
			wantErr: "gunzip: gzip: invalid checksum",
		},
		{name: "html file", data: []byte(warcPage), wantErr: `warc: record 1: not a warc file: it starts with "<!DOCTYPE html><"`},
		{name: "gzipped html file", data: warcGzip(t, warcPage), wantErr: `warc: record 1: not a warc file: its gzip data starts with "<!DOCTYPE html><"`},
		{name: "empty file", data: nil, wantErr: "warc: empty file"},
		{name: "gzip of nothing", data: warcGzip(t, ""), wantErr: "warc: empty file"},
		{name: "gzip header only", data: warcGzip(t, warcPage)[:5], wantErr: "warc: record 1: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readWARCAll(context.Background(), tt.data, "crawl.warc", 0)
			checkWARCDeliveries(t, got, tt.want)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ReadWARC error = %v, want one containing %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

func TestReadWARCStops(t *testing.T) {
	errStop := errors.New("stop here")
	data := warcMembers(t, []string{
		warcHTML("https://news.example/1", warcPage),
		warcHTML("https://news.example/2", warcPage),
		warcHTML("https://news.example/3", warcPage),
	})
	tests := []struct {
		name      string
		cancelled bool  // ctx is cancelled before ReadWARC starts
		cancelAt  int   // fn cancels ctx on this call
		failAt    int   // fn returns errStop on this call
		wantCalls int   // calls of fn
		wantErr   error // checked with ==, since ReadWARC must not wrap it
	}{
		{name: "context cancelled before the start", cancelled: true, wantCalls: 0, wantErr: context.Canceled},
		{name: "context cancelled between records", cancelAt: 1, wantCalls: 1, wantErr: context.Canceled},
		{name: "fn error", failAt: 2, wantCalls: 2, wantErr: errStop},
		{name: "no stop", wantCalls: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelled {
				cancel()
			}
			calls := 0
			err := ReadWARC(ctx, bytes.NewReader(data), "crawl.warc.gz", 0, func(p *Page, err error) error {
				calls++
				if err != nil {
					t.Errorf("call %d: %v", calls, err)
				}
				if calls == tt.cancelAt {
					cancel()
				}
				if calls == tt.failAt {
					return errStop
				}
				return nil
			})
			if err != tt.wantErr {
				t.Errorf("ReadWARC = %v, want %v", err, tt.wantErr)
			}
			if calls != tt.wantCalls {
				t.Errorf("fn called %d times, want %d", calls, tt.wantCalls)
			}
		})
	}
}

// TestReadWARCStreams checks that a record reaches fn before the rest of the
// archive has been written, which an implementation that loads the whole
// file could not do.
func TestReadWARCStreams(t *testing.T) {
	first := warcGzip(t, warcHTML("https://news.example/1", warcPage))
	rest := warcGzip(t, warcHTML("https://news.example/2", warcPage))
	pr, pw := io.Pipe()
	delivered := make(chan struct{})
	go func() {
		if _, err := pw.Write(first); err != nil {
			pw.CloseWithError(err)
			return
		}
		select {
		case <-delivered:
		case <-time.After(10 * time.Second):
			pw.CloseWithError(errors.New("first record not delivered before the rest was written"))
			return
		}
		_, _ = pw.Write(rest)
		_ = pw.Close()
	}()
	var inputs []string
	err := ReadWARC(context.Background(), pr, "live.warc.gz", 0, func(p *Page, err error) error {
		if err != nil {
			return err
		}
		inputs = append(inputs, p.Input)
		if len(inputs) == 1 {
			close(delivered)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"live.warc.gz#1", "live.warc.gz#2"}; strings.Join(inputs, " ") != strings.Join(want, " ") {
		t.Errorf("inputs = %q, want %q", inputs, want)
	}
}

func TestIsWARC(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"crawl.warc", true},
		{"crawl.warc.gz", true},
		{"/data/CC-NEWS-20240501.WARC.GZ", true},
		{"Crawl.Warc", true},
		{"crawl.warc.zst", false},
		{"crawl.wacz", false},
		{"page.html.gz", false},
		{"warc", false},
		{"crawl.warc/", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := IsWARC(tt.path); got != tt.want {
				t.Errorf("IsWARC(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

// warcWithLength returns rec with its Content-Length line replaced by field,
// which is one or more whole lines, or "" to leave the field out.
func warcWithLength(rec, field string) string {
	i := strings.Index(rec, "Content-Length: ")
	j := i + strings.Index(rec[i:], "\r\n") + 2
	return rec[:i] + field + rec[j:]
}

// warcLength is the Content-Length of rec.
func warcLength(rec string) int {
	_, after, _ := strings.Cut(rec, "Content-Length: ")
	digits, _, _ := strings.Cut(after, "\r\n")
	var n int
	fmt.Sscan(digits, &n)
	return n
}

// streamOnly hides the Seek method of a reader, as a pipe would.
type streamOnly struct{ io.Reader }

// TestReadWARCBrokenFraming checks that a record whose framing is broken is
// reported with its number and never merged with the next record or dropped
// without a word, and that reading resumes where the layout allows.
func TestReadWARCBrokenFraming(t *testing.T) {
	page := func(n int, uri string) warcDelivery {
		return warcDelivery{Input: fmt.Sprintf("crawl.warc#%d", n), URL: "https://news.example/" + uri, HTML: warcPage, HTMLBytes: len(warcPage)}
	}
	brokenPage := func(n int, uri, err string) warcDelivery {
		return warcDelivery{Input: fmt.Sprintf("crawl.warc#%d", n), URL: "https://news.example/" + uri, Err: err}
	}
	broken := func(err string) warcDelivery { return warcDelivery{Err: err} }

	second := warcHTML("https://news.example/2", warcPage)
	third := warcHTML("https://news.example/3", warcPage)
	records := func(r2 string) []string {
		return []string{warcHTML("https://news.example/1", warcPage), r2, third, warcHTML("https://news.example/4", warcPage)}
	}
	// The usual outcome: record 2 is an error, records 3 and 4 are read.
	resumed := func(err warcDelivery) []warcDelivery {
		return []warcDelivery{page(1, "1"), err, page(2, "3"), page(3, "4")}
	}
	// Record 2 is an HTML page that fails; records 3 and 4 are read.
	resumedPage := func(err string) []warcDelivery {
		return []warcDelivery{page(1, "1"), brokenPage(2, "2", err), page(3, "3"), page(4, "4")}
	}

	type outcome struct {
		want    []warcDelivery
		wantErr string // the error ReadWARC returns; "" for nil
	}
	const (
		plain   = "plain warc"
		stream  = "plain warc that cannot seek"
		members = "gzip member per record"
		whole   = "gzip of the whole file"
	)
	layouts := []string{plain, stream, members, whole}
	build := func(t *testing.T, layout string, recs []string) io.Reader {
		switch layout {
		case stream:
			return streamOnly{strings.NewReader(strings.Join(recs, ""))}
		case members:
			return bytes.NewReader(warcMembers(t, recs))
		case whole:
			return bytes.NewReader(warcGzip(t, strings.Join(recs, "")))
		}
		return strings.NewReader(strings.Join(recs, ""))
	}

	long := strings.Replace(second, "WARC-Date:", "WARC-Comment: "+strings.Repeat("x", 1<<20)+"\r\nWARC-Date:", 1)
	tests := []struct {
		name   string
		r2     string
		all    outcome            // the outcome in every layout not in by
		by     map[string]outcome // outcomes that depend on the layout
		noGzip bool               // the case only makes sense in a plain file
	}{
		{
			name: "negative Content-Length",
			r2:   warcWithLength(second, "Content-Length: -5\r\n"),
			all:  outcome{want: resumed(broken(`warc: record 2: bad Content-Length "-5"`))},
		},
		{
			name: "non-numeric Content-Length",
			r2:   warcWithLength(second, "Content-Length: 12abc\r\n"),
			all:  outcome{want: resumed(broken(`warc: record 2: bad Content-Length "12abc"`))},
		},
		{
			name: "empty Content-Length",
			r2:   warcWithLength(second, "Content-Length: \r\n"),
			all:  outcome{want: resumed(broken(`warc: record 2: bad Content-Length ""`))},
		},
		{
			name: "Content-Length beyond int64",
			r2:   warcWithLength(second, "Content-Length: 99999999999999999999\r\n"),
			all:  outcome{want: resumed(broken(`warc: record 2: bad Content-Length "99999999999999999999": too large`))},
		},
		{
			name: "missing Content-Length",
			r2:   warcWithLength(second, ""),
			all:  outcome{want: resumed(broken("warc: record 2: no Content-Length"))},
		},
		{
			name: "two different Content-Lengths",
			r2:   warcWithLength(second, fmt.Sprintf("Content-Length: %d\r\nContent-Length: 5\r\n", warcLength(second))),
			all:  outcome{want: resumed(broken(fmt.Sprintf(`warc: record 2: conflicting Content-Length values "%d" and "5"`, warcLength(second))))},
		},
		{
			name: "bad Content-Length in a request record",
			r2: warcWithLength(warcRecord("request", "https://news.example/2", "application/http; msgtype=request",
				"GET /2 HTTP/1.1\r\nHost: news.example\r\n\r\n"), "Content-Length: -1\r\n"),
			all: outcome{want: resumed(broken(`warc: record 2: bad Content-Length "-1"`))},
		},
		{
			name: "Content-Length beyond the end of the file",
			r2:   warcWithLength(second, "Content-Length: 99999999\r\n"),
			all:  outcome{want: resumedPage("warc: record 2: Content-Length 99999999 runs past the end of the file")},
			by: map[string]outcome{
				stream: {want: []warcDelivery{page(1, "1")}, wantErr: "warc: record 2: unexpected EOF"},
				members: {want: resumedPage(fmt.Sprintf("warc: record 2: Content-Length 99999999 runs past the end of its gzip member, %d bytes into the block",
					warcLength(second)+4))},
				// The whole file is one gzip member: what the block took in
				// is lost, but not silently.
				whole: {want: []warcDelivery{page(1, "1"), brokenPage(2, "2", "warc: record 2: Content-Length 99999999 runs past the end of its gzip member")}},
			},
		},
		{
			name: "Content-Length that takes in the start of the next record",
			r2:   warcWithLength(second, fmt.Sprintf("Content-Length: %d\r\n", warcLength(second)+40)),
			all:  outcome{want: resumedPage(fmt.Sprintf("warc: record 2: Content-Length %d does not end the record", warcLength(second)+40))},
			by: map[string]outcome{
				// Without going back, the next record whose start was
				// taken in is lost, and reading goes on after it.
				stream: {want: []warcDelivery{page(1, "1"), brokenPage(2, "2", "does not end the record"), page(3, "4")}},
				whole:  {want: []warcDelivery{page(1, "1"), brokenPage(2, "2", "does not end the record"), page(3, "4")}},
				members: {want: resumedPage(fmt.Sprintf("warc: record 2: Content-Length %d runs past the end of its gzip member, %d bytes into the block",
					warcLength(second)+40, warcLength(second)+4))},
			},
		},
		{
			name: "Content-Length that stops inside the block",
			r2:   warcWithLength(second, fmt.Sprintf("Content-Length: %d\r\n", warcLength(second)-10)),
			all:  outcome{want: resumedPage(fmt.Sprintf("warc: record 2: Content-Length %d does not end the record", warcLength(second)-10))},
		},
		{
			// In a plain file the text could as well be the end of record
			// 1's block, whose Content-Length would then be too short.
			name: "text between two records",
			r2:   "junk\r\n" + second,
			all: outcome{want: []warcDelivery{brokenPage(1, "1", "warc: record 1: Content-Length 147 does not end the record"),
				page(2, "2"), page(3, "3"), page(4, "4")}},
			by: map[string]outcome{
				members: {want: []warcDelivery{page(1, "1"), broken(`warc: record 2: not a WARC record header: it starts with "junk\r\n"`),
					page(2, "2"), page(3, "3"), page(4, "4")}},
			},
		},
		{
			name: "header line without a colon",
			r2:   strings.Replace(second, "WARC-Date:", "WARC-Date\r\nWARC-Date:", 1),
			all:  outcome{want: resumed(broken(`warc: record 2: bad header line "WARC-Date"`))},
		},
		{
			name: "header over 1 MiB",
			r2:   long,
			all:  outcome{want: resumed(broken("warc: record 2: header over 1 MiB"))},
		},
		{
			name: "header cut short at a line end",
			r2:   second[:strings.Index(second, "WARC-Date:")],
			all:  outcome{want: resumed(broken("warc: record 2: record header cut short by the next record"))},
			by: map[string]outcome{
				members: {want: resumed(broken("warc: record 2: record header cut short by the end of its gzip member"))},
			},
		},
		{
			name: "header cut short inside a line",
			r2:   second[:strings.Index(second, "WARC-Date: ")+14],
			// The next record's first line is glued to the cut line, so
			// its header reads as the rest of this one's, whose fields
			// it contradicts. The glued record is lost with it.
			all: outcome{want: []warcDelivery{page(1, "1"),
				broken(`warc: record 2: conflicting WARC-Date values "202WARC/1.1" and "2024-05-01T10:00:00Z"`), page(2, "4")}},
			by: map[string]outcome{
				members: {want: resumed(broken("warc: record 2: record header cut short by the end of its gzip member"))},
			},
		},
	}
	for _, tt := range tests {
		for _, layout := range layouts {
			t.Run(tt.name+"/"+layout, func(t *testing.T) {
				want, ok := tt.by[layout]
				if !ok {
					want = tt.all
				}
				var got []warcDelivery
				err := ReadWARC(context.Background(), build(t, layout, records(tt.r2)), "crawl.warc", 0, func(p *Page, err error) error {
					got = append(got, newWARCDelivery(p, err))
					return nil
				})
				checkWARCDeliveries(t, got, want.want)
				switch {
				case want.wantErr == "" && err != nil:
					t.Errorf("ReadWARC = %v, want nil", err)
				case want.wantErr != "" && (err == nil || !strings.Contains(err.Error(), want.wantErr)):
					t.Errorf("ReadWARC = %v, want an error containing %q", err, want.wantErr)
				}
			})
		}
	}
}

// wordsReader returns an endless HTML text of words picked by a fixed
// pseudo-random sequence: compressible about five times, so that a .warc.gz
// of a big record is megabytes long and is read in many steps.
type wordsReader struct {
	state uint32
	word  string // what is left of the current word and its space
}

var warcWords = strings.Fields("the attackers stole data from council servers and ransomware encrypted files while police said investigators found no leak yet <p> </p>\n")

func (r *wordsReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if r.word == "" {
			r.state = r.state*1664525 + 1013904223
			r.word = warcWords[(r.state>>16)%uint32(len(warcWords))]
			n += copy(p[n:], " ")
			continue
		}
		c := copy(p[n:], r.word)
		n += c
		r.word = r.word[c:]
	}
	return n, nil
}

// warcBigResponse returns the parts of a response record whose body is n
// bytes of repeated HTML, read as the record is read: the record is never
// held whole in memory.
func warcBigResponse(uri, contentType string, n int64) io.Reader {
	msg := "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n"
	head := fmt.Sprintf("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"+
		"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\n"+
		"Content-Length: %d\r\n\r\n%s", n, uri, int64(len(msg))+n, msg)
	body := io.LimitReader(&wordsReader{}, n)
	return io.MultiReader(strings.NewReader(head), body, strings.NewReader("\r\n\r\n"))
}

// tempBytes returns the bytes held by the files under dir.
func tempBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// tempWatcher is a reader that measures the temporary folder every few MiB
// it reads, and keeps the largest size seen.
type tempWatcher struct {
	t     *testing.T
	r     io.Reader
	dir   string
	since int64
	peak  int64
}

func (w *tempWatcher) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if w.since += int64(n); w.since >= 4<<20 || err != nil {
		w.since = 0
		w.peak = max(w.peak, tempBytes(w.t, w.dir))
	}
	return n, err
}

// TestReadWARCOverCap reads records whose bodies are far over the size cap
// and checks that the cap bounds what is kept of them, in memory and on
// disk, while the records after them are still read.
func TestReadWARCOverCap(t *testing.T) {
	const (
		maxBytes = 1 << 20
		bigHTML  = 50 << 20 // an HTML body 50 times the cap
		bigVideo = 4 << 20  // not HTML: skipped without a word
		// mostAlloc bounds the bytes allocated while reading: the cap, the
		// buffers that grow to it and a few fixed buffers, far below the
		// 50 MiB of a body held whole.
		mostAlloc = 16 << 20
		mostTemp  = 2 << 20
	)
	records := func() []io.Reader {
		return []io.Reader{
			strings.NewReader(warcHTML("https://news.example/1", warcPage)),
			warcBigResponse("https://news.example/big", "text/html", bigHTML),
			warcBigResponse("https://news.example/clip.mp4", "video/mp4", bigVideo),
			strings.NewReader(warcHTML("https://news.example/3", warcPage)),
		}
	}
	compress := func(t *testing.T, parts ...io.Reader) []byte {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(zw, io.MultiReader(parts...)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name string
		data func(t *testing.T) io.Reader
	}{
		{name: "plain warc", data: func(*testing.T) io.Reader { return io.MultiReader(records()...) }},
		{name: "gzip member per record", data: func(t *testing.T) io.Reader {
			var out []byte
			for _, r := range records() {
				out = append(out, compress(t, r)...)
			}
			return bytes.NewReader(out)
		}},
	}
	want := []warcDelivery{
		{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
		{Input: "crawl.warc#2", URL: "https://news.example/big", Err: "page exceeds the 1 MiB size cap"},
		{Input: "crawl.warc#3", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("TMPDIR", dir)
			src := &tempWatcher{t: t, r: tt.data(t), dir: dir}
			var got []warcDelivery
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := ReadWARC(context.Background(), src, "crawl.warc", maxBytes, func(p *Page, err error) error {
				got = append(got, newWARCDelivery(p, err))
				src.peak = max(src.peak, tempBytes(t, dir))
				return nil
			})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("ReadWARC: %v", err)
			}
			checkWARCDeliveries(t, got, want)
			src.peak = max(src.peak, tempBytes(t, dir))
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d bytes, temporary folder peak %d bytes", allocated, src.peak)
			if src.peak > mostTemp {
				t.Errorf("the temporary folder held %d bytes, want at most %d", src.peak, mostTemp)
			}
			if allocated > mostAlloc {
				t.Errorf("reading allocated %d bytes, want at most %d", allocated, mostAlloc)
			}
		})
	}
}

// FuzzReadWARC checks that ReadWARC ends on any input, without panicking,
// and that every call of fn is a page within the cap or an error.
func FuzzReadWARC(f *testing.F) {
	second := warcHTML("https://news.example/2", warcPage)
	for _, recs := range [][]string{
		warcMixed(&testing.T{}),
		{warcHTML("https://news.example/1", warcPage), warcWithLength(second, "Content-Length: -5\r\n"), second},
		{warcWithLength(second, "Content-Length: 99999\r\n"), second},
		{warcWithLength(second, fmt.Sprintf("Content-Length: %d\r\n", warcLength(second)-7)), second},
		{"WARC/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n\r\nWARC/1.0\r\n\r\n"},
	} {
		plain := strings.Join(recs, "")
		f.Add([]byte(plain))
		var members []byte
		for _, r := range recs {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			io.WriteString(zw, r)
			zw.Close()
			members = append(members, buf.Bytes()...)
		}
		f.Add(members)
	}
	const maxBytes = 4096
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range []io.Reader{bytes.NewReader(data), streamOnly{bytes.NewReader(data)}} {
			_ = ReadWARC(context.Background(), r, "fuzz.warc", maxBytes, func(p *Page, err error) error {
				switch {
				case p == nil && err == nil:
					t.Fatal("fn called with neither a page nor an error")
				case p != nil && err == nil && (len(p.HTML) == 0 || p.HTMLBytes > maxBytes):
					t.Fatalf("page of %d bytes (%d of HTML) under a cap of %d", p.HTMLBytes, len(p.HTML), maxBytes)
				case p != nil && err != nil && len(p.HTML) > 0:
					t.Fatalf("failed page %s carries HTML: %v", p.Input, err)
				}
				return nil
			})
		}
	})
}

// TestReadWARCDate checks that a record's WARC-Date becomes the page's
// fetch time, and that a record whose date cannot be read has none.
func TestReadWARCDate(t *testing.T) {
	good := warcHTML("https://news.example/1", warcPage)
	bad := strings.Replace(good, "WARC-Date: 2024-05-01T10:00:00Z", "WARC-Date: yesterday", 1)
	fine := strings.Replace(good, "WARC-Date: 2024-05-01T10:00:00Z", "WARC-Date: 2024-05-01T12:00:00.250+02:00", 1)
	var got []time.Time
	err := ReadWARC(context.Background(), strings.NewReader(good+bad+fine), "crawl.warc", 0, func(p *Page, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.FetchedAt)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
		{},
		time.Date(2024, 5, 1, 10, 0, 0, 250e6, time.UTC),
	}
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("FetchedAt = %v, want %v", got, want)
	}
}
