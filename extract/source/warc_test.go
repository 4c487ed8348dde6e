package source

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
		if p == nil {
			return fmt.Errorf("fn called with a nil page (err %v)", err)
		}
		d := warcDelivery{Input: p.Input, URL: p.URL, HTML: string(p.HTML), HTMLBytes: p.HTMLBytes}
		if err != nil {
			d.Err = err.Error()
		}
		got = append(got, d)
		return nil
	})
	return got, err
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
	// A record that claims more bytes than its gzip member holds.
	liar := strings.Replace(warcHTML("https://news.example/liar", warcPage), "Content-Length: ", "Content-Length: 9", 1)
	liar = liar[:len(liar)-4]

	// gowarc cannot read a record whose digest algorithm it does not know.
	unreadable := []string{
		warcHTML("https://news.example/1", warcPage),
		strings.Replace(warcHTML("https://news.example/blake3", warcPage), "WARC-Date:", "WARC-Block-Digest: blake3:af1349b9\r\nWARC-Date:", 1),
		warcHTML("https://news.example/3", warcPage),
	}
	unreadableWant := []warcDelivery{
		{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
		{Input: "crawl.warc#2", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)},
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
		{name: "unreadable record in a plain warc", data: []byte(strings.Join(unreadable, "")), want: unreadableWant},
		{name: "unreadable record in its own gzip member", data: warcMembers(t, unreadable), want: unreadableWant},
		{name: "unreadable record in a whole-file gzip", data: warcGzip(t, strings.Join(unreadable, "")), want: unreadableWant},
		{
			name: "record cut short inside its gzip member",
			data: append(warcMembers(t, []string{warcHTML("https://news.example/1", warcPage), liar}),
				warcMembers(t, []string{warcHTML("https://news.example/3", warcPage)})...),
			want: []warcDelivery{
				{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
				{Input: "crawl.warc#2", URL: "https://news.example/liar", Err: "truncated record"},
				{Input: "crawl.warc#3", URL: "https://news.example/3", HTML: warcPage, HTMLBytes: len(warcPage)},
			},
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

// TestReadWARCRemovesTempFiles reads a record too large for gowarc's memory
// buffer and checks that its temporary file is gone afterwards.
func TestReadWARCRemovesTempFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	video := warcResponse("https://news.example/clip.mp4", "200 OK", []string{"Content-Type: video/mp4"},
		strings.Repeat("\x00\x01", warcRecordMemBytes))
	data := []byte(video + warcHTML("https://news.example/1", warcPage))
	got, err := readWARCAll(context.Background(), data, "crawl.warc", 0)
	if err != nil {
		t.Fatal(err)
	}
	checkWARCDeliveries(t, got, []warcDelivery{
		{Input: "crawl.warc#1", URL: "https://news.example/1", HTML: warcPage, HTMLBytes: len(warcPage)},
	})
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("temporary file left behind: %s", e.Name())
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
