package main

import (
	"fmt"
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
