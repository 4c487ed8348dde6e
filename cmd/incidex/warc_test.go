package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// warcRecord returns one WARC/1.1 record.
func warcRecord(typ, uri, contentType, block string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\n", typ)
	fmt.Fprintf(&b, "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n", len(uri)*1000+len(block))
	b.WriteString("WARC-Date: 2024-05-01T10:00:00Z\r\n")
	fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", contentType, len(block), block)
	return b.String()
}

// warcResponse returns a response record holding an HTTP response.
func warcResponse(uri, status, contentType, body string) string {
	msg := "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\n\r\n" + body
	return warcRecord("response", uri, "application/http; msgtype=response", msg)
}

// crawlRecords is a small crawl: two news pages among the records a crawler
// writes besides them.
func crawlRecords() []string {
	return []string{
		warcRecord("warcinfo", "", "application/warc-fields", "software: test-crawler\r\n"),
		warcRecord("request", "https://news.example/fire", "application/http; msgtype=request", "GET /fire HTTP/1.1\r\nHost: news.example\r\n\r\n"),
		warcResponse("https://news.example/fire", "200 OK", "text/html; charset=utf-8", fireHTML),
		warcResponse("https://news.example/logo.png", "200 OK", "image/png", "\x89PNG\r\n\x1a\nnot really"),
		warcResponse("https://news.example/gone", "404 Not Found", "text/html", "<html><body>Not found</body></html>"),
		warcResponse("https://news.example/flood", "200 OK", "text/html", floodHTML),
		warcResponse("https://news.example/empty", "200 OK", "text/html", emptyHTML),
	}
}

func TestBatchWARC(t *testing.T) {
	dir := t.TempDir()
	records := crawlRecords()
	plain := writeFile(t, dir, "crawl.warc", strings.Join(records, ""))

	var members []byte
	for _, r := range records {
		members = append(members, gzipBytes(t, r)...)
	}
	gz := filepath.Join(dir, "crawl.warc.gz")
	if err := os.WriteFile(gz, members, 0o644); err != nil {
		t.Fatal(err)
	}
	// Cut inside the last record's gzip member: a download that broke off.
	truncated := filepath.Join(dir, "cut.warc.gz")
	cut := len(members) - len(gzipBytes(t, records[len(records)-1]))/2
	if err := os.WriteFile(truncated, members[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	crawlDir := filepath.Join(dir, "crawls")
	if err := os.Mkdir(crawlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	inDir := filepath.Join(crawlDir, "day1.WARC.GZ")
	if err := os.WriteFile(inDir, members, 0o644); err != nil {
		t.Fatal(err)
	}
	noHTML := writeFile(t, dir, "images.warc", records[0]+records[3])

	type want struct{ input, url, title, errPart string }
	pages := func(name string) []want {
		return []want{
			{input: name + "#1", url: "https://news.example/fire", title: fireTitle},
			{input: name + "#2", url: "https://news.example/flood", title: floodTitle},
			{input: name + "#3", errPart: "no article text found"}, // error records carry no url
		}
	}
	tests := []struct {
		name string
		args []string
		want []want
	}{
		{name: "plain archive", args: []string{plain}, want: pages(plain)},
		{name: "gzip members", args: []string{gz}, want: pages(gz)},
		{name: "archive in a folder", args: []string{crawlDir}, want: pages(inDir)},
		{
			name: "truncated archive",
			args: []string{truncated},
			want: append(pages(truncated)[:2], want{input: truncated, errPart: "unexpected EOF"}),
		},
		{name: "no HTML responses", args: []string{noHTML}, want: []want{{input: noHTML, errPart: "no HTML responses"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, cliRun{args: append([]string{"article", "-j", "2"}, tt.args...)})
			recs := decodeRecords(t, got.stdout)
			if len(recs) != len(tt.want) {
				t.Fatalf("got %d records, want %d:\n%s\nstderr: %s", len(recs), len(tt.want), got.stdout, got.stderr)
			}
			for i, w := range tt.want {
				r := recs[i]
				if r.Input != w.input || r.URL != w.url || r.Title != w.title ||
					!strings.Contains(r.Error, w.errPart) || (w.errPart == "") != (r.Error == "") {
					t.Errorf("record %d = {input %q, url %q, title %q, error %q}, want %+v", i, r.Input, r.URL, r.Title, r.Error, w)
				}
			}
			wantCode := exitPartial
			if len(tt.want) == 1 {
				wantCode = exitError
			}
			if got.code != wantCode {
				t.Errorf("exit code = %d, want %d", got.code, wantCode)
			}
		})
	}

	t.Run("resume skips recorded records", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out.jsonl")
		first := runCLI(t, cliRun{args: []string{"article", gz}})
		lines := nonEmptyLines(first.stdout)
		if err := os.WriteFile(out, []byte(lines[0]+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		runCLI(t, cliRun{args: []string{"article", "--resume", out, gz}})
		b, _ := os.ReadFile(out)
		if got := recordInputs(decodeRecords(t, string(b))); !slices.Equal(got, []string{gz + "#1", gz + "#2", gz + "#3"}) {
			t.Errorf("resumed archive records = %q", got)
		}
	})
}

// withContentLength returns rec with its Content-Length line replaced by
// field, one or more whole lines, or "" to leave the field out.
func withContentLength(rec, field string) string {
	i := strings.Index(rec, "Content-Length: ")
	j := i + strings.Index(rec[i:], "\r\n") + 2
	return rec[:i] + field + rec[j:]
}

// warcMembers compresses each record as its own gzip member.
func warcMembers(t *testing.T, records []string) []byte {
	t.Helper()
	var out []byte
	for _, r := range records {
		out = append(out, gzipBytes(t, r)...)
	}
	return out
}

// checkWARCRun checks the records a run printed and its exit status.
func checkWARCRun(t *testing.T, got cliResult, want []warcWant) {
	t.Helper()
	recs := decodeRecords(t, got.stdout)
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d:\n%s\nstderr: %s", len(recs), len(want), got.stdout, got.stderr)
	}
	for i, w := range want {
		r := recs[i]
		if r.Input != w.input || r.URL != w.url || r.Title != w.title ||
			!strings.Contains(r.Error, w.errPart) || (w.errPart == "") != (r.Error == "") {
			t.Errorf("record %d = {input %q, url %q, title %q, error %q}, want %+v", i, r.Input, r.URL, r.Title, r.Error, w)
		}
		if w.errPart != "" && !strings.Contains(got.stderr, w.errPart) {
			t.Errorf("stderr does not report %q:\n%s", w.errPart, got.stderr)
		}
	}
	if got.code != exitPartial {
		t.Errorf("exit code = %d, want %d (some inputs failed)", got.code, exitPartial)
	}
}

// warcWant is one record a WARC run must print.
type warcWant struct{ input, url, title, errPart string }

// TestBatchWARCBrokenRecords checks that a record whose Content-Length is
// wrong becomes an error record naming the archive and the record's number,
// with exit status 3, and that the records around it are still extracted.
func TestBatchWARCBrokenRecords(t *testing.T) {
	broken := warcResponse("https://news.example/broken", "200 OK", "text/html", articleHTML("Broken", paraRoad, paraWarn))
	records := func(third string) []string {
		return []string{
			warcRecord("warcinfo", "", "application/warc-fields", "software: test-crawler\r\n"),
			warcResponse("https://news.example/fire", "200 OK", "text/html; charset=utf-8", fireHTML),
			third,
			warcResponse("https://news.example/flood", "200 OK", "text/html", floodHTML),
		}
	}
	fire := func(name string) warcWant {
		return warcWant{input: name + "#1", url: "https://news.example/fire", title: fireTitle}
	}
	flood := func(name string, n int) warcWant {
		return warcWant{input: fmt.Sprintf("%s#%d", name, n), url: "https://news.example/flood", title: floodTitle}
	}
	// A record whose header is broken is named by the archive.
	badHeader := func(err string) func(string) []warcWant {
		return func(name string) []warcWant {
			return []warcWant{fire(name), {input: name, errPart: err}, flood(name, 2)}
		}
	}
	tests := []struct {
		name  string
		third string
		plain func(name string) []warcWant // in a .warc
		gz    func(name string) []warcWant // in a .warc.gz of one member per record
	}{
		{
			name:  "negative Content-Length",
			third: withContentLength(broken, "Content-Length: -5\r\n"),
			plain: badHeader(`warc: record 3: bad Content-Length "-5"`),
			gz:    badHeader(`warc: record 3: bad Content-Length "-5"`),
		},
		{
			name:  "non-numeric Content-Length",
			third: withContentLength(broken, "Content-Length: lots\r\n"),
			plain: badHeader(`warc: record 3: bad Content-Length "lots"`),
			gz:    badHeader(`warc: record 3: bad Content-Length "lots"`),
		},
		{
			name:  "missing Content-Length",
			third: withContentLength(broken, ""),
			plain: badHeader("warc: record 3: no Content-Length"),
			gz:    badHeader("warc: record 3: no Content-Length"),
		},
		{
			// The block showed an HTML response, so the error record is
			// that page's.
			name:  "Content-Length beyond the end of the file",
			third: withContentLength(broken, "Content-Length: 99999999\r\n"),
			plain: func(name string) []warcWant {
				return []warcWant{fire(name), {input: name + "#2", errPart: "warc: record 3: Content-Length 99999999 runs past the end of the file"}, flood(name, 3)}
			},
			gz: func(name string) []warcWant {
				return []warcWant{fire(name), {input: name + "#2", errPart: "warc: record 3: Content-Length 99999999 runs past the end of its gzip member"}, flood(name, 3)}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/plain", func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "crawl.warc", strings.Join(records(tt.third), ""))
			checkWARCRun(t, runCLI(t, cliRun{args: []string{"article", "-j", "2", path}}), tt.plain(path))
		})
		t.Run(tt.name+"/gzip", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "crawl.warc.gz")
			if err := os.WriteFile(path, warcMembers(t, records(tt.third)), 0o644); err != nil {
				t.Fatal(err)
			}
			checkWARCRun(t, runCLI(t, cliRun{args: []string{"article", "-j", "2", path}}), tt.gz(path))
		})
	}
}

// repeatReader returns s over and over, without end.
type repeatReader struct {
	s string
	i int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for n := range p {
		p[n] = r.s[r.i]
		r.i = (r.i + 1) % len(r.s)
	}
	return len(p), nil
}

// TestBatchWARCOverCap reads a .warc.gz of 100 KiB whose second record holds
// an HTML body of 50 MiB, with a cap of 1 MiB: the record is an error record,
// the next one is extracted, and nothing is left in the temporary folder.
// (extract/source's TestReadWARCOverCap also watches the folder while the
// record is read, and the memory it takes.)
func TestBatchWARCOverCap(t *testing.T) {
	const body = 50 << 20
	var archive bytes.Buffer
	archive.Write(gzipBytes(t, warcResponse("https://news.example/fire", "200 OK", "text/html", fireHTML)))
	zw, err := gzip.NewWriterLevel(&archive, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	msg := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
	fmt.Fprintf(zw, "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000002>\r\n"+
		"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: https://news.example/huge\r\n"+
		"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s", len(msg)+body, msg)
	if _, err := io.Copy(zw, io.LimitReader(&repeatReader{s: "<p>" + paraFire + "</p>\n"}, body)); err != nil {
		t.Fatal(err)
	}
	io.WriteString(zw, "\r\n\r\n")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	archive.Write(gzipBytes(t, warcResponse("https://news.example/flood", "200 OK", "text/html", floodHTML)))
	path := filepath.Join(t.TempDir(), "huge.warc.gz")
	if err := os.WriteFile(path, archive.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	got := runCLI(t, cliRun{args: []string{"article", "--max-bytes", "1MiB", path}})
	checkWARCRun(t, got, []warcWant{
		{input: path + "#1", url: "https://news.example/fire", title: fireTitle},
		{input: path + "#2", errPart: "page exceeds the 1 MiB size cap"},
		{input: path + "#3", url: "https://news.example/flood", title: floodTitle},
	})
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left in the temporary folder: %s", e.Name())
	}
}
