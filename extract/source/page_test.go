package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

const samplePage = "<!DOCTYPE html><html><head><title>Breach</title></head><body><p>Attackers stole data.</p></body></html>"

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeTestFile(path string, content []byte, isDir bool, perm fs.FileMode) error {
	if isDir {
		return os.Mkdir(path, 0o755)
	}
	if perm == 0 {
		perm = 0o644
	}
	return os.WriteFile(path, content, perm)
}

func TestReadFile(t *testing.T) {
	gz := gzipBytes(t, samplePage)
	tests := []struct {
		name      string
		file      string // created in a temporary directory unless empty
		content   []byte
		isDir     bool        // create file as a directory
		perm      fs.FileMode // default 0o644
		maxBytes  int64
		want      string
		wantBytes int
		wantErr   error  // checked with errors.Is
		wantMsg   string // substring of the error
	}{
		{name: "html", file: "a.html", content: []byte(samplePage), want: samplePage, wantBytes: len(samplePage)},
		{name: "html.gz", file: "a.html.gz", content: gz, want: samplePage, wantBytes: len(samplePage)},
		{name: "gzip without .gz name", file: "a.html", content: gz, want: samplePage},
		{name: "windows-1252 with meta", file: "w.html", content: []byte(`<meta charset="windows-1252"><p>` + cafeEuroCP1252), want: `<meta charset="windows-1252"><p>café €`},
		{name: "exactly at the cap", file: "cap.html", content: []byte(samplePage), maxBytes: int64(len(samplePage)), want: samplePage},
		{name: "truncated gz", file: "t.html.gz", content: gz[:len(gz)-12], wantErr: io.ErrUnexpectedEOF, wantMsg: "gunzip: truncated data: unexpected EOF"},
		{name: "gz header only", file: "h.html.gz", content: gz[:2], wantErr: io.ErrUnexpectedEOF},
		{name: "corrupt gz", file: "c.html.gz", content: append([]byte{0x1f, 0x8b}, bytes.Repeat([]byte{0xaa}, 40)...), wantMsg: "gunzip: gzip: invalid header"},
		{name: "missing", wantErr: fs.ErrNotExist, wantMsg: "no such file or directory"},
		{name: "directory", file: "dir", isDir: true, wantMsg: "is a directory"},
		{name: "permission denied", file: "secret.html", content: []byte(samplePage), perm: 0o200, wantErr: fs.ErrPermission},
		{name: "empty", file: "e.html", content: nil, wantErr: ErrEmpty, wantMsg: "empty page"},
		{name: "empty gz", file: "e.html.gz", content: gzipBytes(t, ""), wantErr: ErrEmpty},
		{name: "pdf", file: "report.html", content: []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), wantErr: ErrNotHTML, wantMsg: "application/pdf"},
		{name: "pdf inside gz", file: "report.gz", content: gzipBytes(t, "%PDF-1.4\n"), wantErr: ErrNotHTML},
		{name: "binary", file: "b.html", content: bytes.Repeat([]byte{0, 1, 2, 3, 0xfe}, 100), wantErr: ErrNotHTML, wantMsg: "binary data"},
		{name: "too large", file: "big.html", content: []byte(samplePage), maxBytes: 10, wantErr: ErrTooLarge, wantMsg: "page exceeds the 10 bytes size cap"},
		{name: "too large once decompressed", file: "bomb.html.gz", content: gzipBytes(t, strings.Repeat("<p>x</p>", 1<<17+1)), maxBytes: 1 << 20, wantErr: ErrTooLarge, wantMsg: "page exceeds the 1 MiB size cap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.perm != 0 && os.Geteuid() == 0 {
				t.Skip("root reads files regardless of permissions")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "missing.html")
			if tt.file != "" {
				path = filepath.Join(dir, tt.file)
				if err := writeTestFile(path, tt.content, tt.isDir, tt.perm); err != nil {
					t.Fatal(err)
				}
			}

			page, err := ReadFile(path, tt.maxBytes)
			if tt.wantErr != nil || tt.wantMsg != "" {
				if err == nil {
					t.Fatalf("ReadFile succeeded, want error %v %q", tt.wantErr, tt.wantMsg)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("ReadFile error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("ReadFile error = %q, want it to contain %q", err, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			if string(page.HTML) != tt.want {
				t.Errorf("HTML = %q, want %q", page.HTML, tt.want)
			}
			if page.Input != path || page.URL != "" {
				t.Errorf("Input, URL = %q, %q; want %q, \"\"", page.Input, page.URL, path)
			}
			if tt.wantBytes != 0 && page.HTMLBytes != tt.wantBytes {
				t.Errorf("HTMLBytes = %d, want %d", page.HTMLBytes, tt.wantBytes)
			}
		})
	}
}

func TestReadStream(t *testing.T) {
	readErr := errors.New("stdin broke")
	tests := []struct {
		name     string
		r        io.Reader
		maxBytes int64
		want     string
		wantErr  error
	}{
		{name: "html", r: strings.NewReader(samplePage), want: samplePage},
		{name: "one byte at a time", r: iotest.OneByteReader(strings.NewReader(samplePage)), want: samplePage},
		{name: "gzip stream", r: bytes.NewReader(gzipBytes(t, samplePage)), want: samplePage},
		{name: "utf-8 bom", r: strings.NewReader(utf8BOM + samplePage), want: samplePage},
		{name: "empty", r: strings.NewReader(""), wantErr: ErrEmpty},
		{name: "read error", r: iotest.ErrReader(readErr), wantErr: readErr},
		{name: "read error after data", r: io.MultiReader(strings.NewReader(samplePage), iotest.ErrReader(readErr)), wantErr: readErr},
		{name: "timeout error", r: iotest.TimeoutReader(strings.NewReader(samplePage)), wantErr: iotest.ErrTimeout},
		{name: "too large", r: strings.NewReader(samplePage), maxBytes: 5, wantErr: ErrTooLarge},
		{name: "png", r: strings.NewReader("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), wantErr: ErrNotHTML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := ReadStream("-", tt.r, tt.maxBytes)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ReadStream error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadStream: %v", err)
			}
			if string(page.HTML) != tt.want || page.Input != "-" {
				t.Errorf("ReadStream = %q (input %q), want %q (input \"-\")", page.HTML, page.Input, tt.want)
			}
		})
	}
}

func TestSourceTooLargeMessage(t *testing.T) {
	tests := []struct {
		name  string
		limit int64
		want  string
	}{
		{name: "default", limit: DefaultMaxBytes, want: "page exceeds the 10 MiB size cap"},
		{name: "kibibytes", limit: 64 << 10, want: "page exceeds the 64 KiB size cap"},
		{name: "bytes", limit: 1500, want: "page exceeds the 1500 bytes size cap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := error(&TooLargeError{Limit: tt.limit})
			if err.Error() != tt.want || !errors.Is(err, ErrTooLarge) {
				t.Errorf("TooLargeError = %q (is ErrTooLarge: %v), want %q", err, errors.Is(err, ErrTooLarge), tt.want)
			}
		})
	}
}

func TestSourceIsURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "https", in: "https://example.com/news/1", want: true},
		{name: "http with port", in: "http://localhost:8080/", want: true},
		{name: "upper case scheme", in: "HTTPS://example.com", want: true},
		{name: "relative path", in: "testdata/page.html", want: false},
		{name: "absolute path", in: "/tmp/page.html", want: false},
		{name: "stdin", in: "-", want: false},
		{name: "ftp", in: "ftp://example.com/x", want: false},
		{name: "file url", in: "file:///tmp/x.html", want: false},
		{name: "no host", in: "https:///path", want: false},
		{name: "windows path", in: `C:\pages\x.html`, want: false},
		{name: "bare host", in: "example.com", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsURL(tt.in); got != tt.want {
				t.Errorf("IsURL(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFromBytes(t *testing.T) {
	const input, pageURL = "crawl/0001", "https://news.example/breach"
	tests := []struct {
		name      string
		url       string
		raw       []byte
		maxBytes  int64
		want      string
		wantBytes int
		wantErr   error // checked with errors.Is
		wantMsg   string
	}{
		{name: "html with its url", url: pageURL, raw: []byte(samplePage), want: samplePage, wantBytes: len(samplePage)},
		{name: "html without a url", raw: []byte(samplePage), want: samplePage, wantBytes: len(samplePage)},
		{name: "gzip bytes", url: pageURL, raw: gzipBytes(t, samplePage), want: samplePage, wantBytes: len(samplePage)},
		{name: "windows-1252 with meta", raw: []byte(`<meta charset="windows-1252"><p>` + cafeEuroCP1252), want: `<meta charset="windows-1252"><p>café €`},
		{name: "exactly at the cap", raw: []byte(samplePage), maxBytes: int64(len(samplePage)), want: samplePage, wantBytes: len(samplePage)},
		{name: "over the cap", raw: []byte(samplePage), maxBytes: 10, wantErr: ErrTooLarge, wantMsg: "page exceeds the 10 bytes size cap"},
		{name: "over the cap once decompressed", raw: gzipBytes(t, strings.Repeat("<p>x</p>", 1<<17+1)), maxBytes: 1 << 20, wantErr: ErrTooLarge, wantMsg: "page exceeds the 1 MiB size cap"},
		{name: "truncated gzip", raw: gzipBytes(t, samplePage)[:20], wantErr: io.ErrUnexpectedEOF, wantMsg: "gunzip: truncated data"},
		{name: "pdf", raw: []byte("%PDF-1.4\n1 0 obj\n"), wantErr: ErrNotHTML, wantMsg: "application/pdf"},
		{name: "json", raw: []byte(`{"html": "<p>x</p>"}`), wantErr: ErrNotHTML, wantMsg: "body looks like json"},
		{name: "empty", raw: nil, wantErr: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := FromBytes(input, tt.url, tt.raw, tt.maxBytes)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("FromBytes error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("FromBytes error = %q, want it to contain %q", err, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromBytes: %v", err)
			}
			if string(page.HTML) != tt.want {
				t.Errorf("HTML = %q, want %q", page.HTML, tt.want)
			}
			if page.Input != input || page.URL != tt.url {
				t.Errorf("Input, URL = %q, %q; want %q, %q", page.Input, page.URL, input, tt.url)
			}
			if tt.wantBytes != 0 && page.HTMLBytes != tt.wantBytes {
				t.Errorf("HTMLBytes = %d, want %d", page.HTMLBytes, tt.wantBytes)
			}
		})
	}
}
