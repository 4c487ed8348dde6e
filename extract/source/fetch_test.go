package source

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// handlerFunc answers the nth request (counting from 1) to a test server.
type handlerFunc func(w http.ResponseWriter, r *http.Request, n int)

// serve answers every request with body and, unless it is "-", contentType.
// "-" removes the header that net/http would otherwise sniff and set.
func serve(contentType, body string) handlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		if contentType == "-" {
			w.Header()["Content-Type"] = nil
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		_, _ = w.Write([]byte(body))
	}
}

// status answers with code and the given headers for the first failures
// requests, then with a page.
func status(code, failures int, header ...string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if failures < 0 || n <= failures {
			for i := 0; i+1 < len(header); i += 2 {
				w.Header().Set(header[i], header[i+1])
			}
			w.WriteHeader(code)
			return
		}
		serve("text/html", samplePage)(w, r, n)
	}
}

// redirects serves /r/N by redirecting to /r/N-1, and /r/0 with a page.
func redirects(w http.ResponseWriter, r *http.Request, n int) {
	k, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if k > 0 {
		http.Redirect(w, r, fmt.Sprintf("/r/%d", k-1), http.StatusFound)
		return
	}
	serve("text/html", samplePage)(w, r, n)
}

// guard bounds a server's wait for a client that should give up, so that
// one that does not fails the test instead of hanging it. It decides
// nothing else: no assertion depends on how long anything took.
const guard = 10 * time.Second

// stall answers nothing until the client gives up. A client that has not
// after guard gets an empty answer, which no test takes for a success.
func stall(r *http.Request) {
	timer := time.NewTimer(guard)
	defer timer.Stop()
	select {
	case <-r.Context().Done():
	case <-timer.C:
	}
}

// holdUntilGone is stall that also fails t when the client does not give up.
func holdUntilGone(t *testing.T, r *http.Request) {
	timer := time.NewTimer(guard)
	defer timer.Stop()
	select {
	case <-r.Context().Done():
	case <-timer.C:
		t.Errorf("%s: the client kept the request open for %v", r.URL.Path, guard)
	}
}

func TestFetch(t *testing.T) {
	gzPage := gzipBytes(t, samplePage)
	gzBomb := gzipBytes(t, strings.Repeat("<p>x</p>", 1000))
	binaryJunk := make([]byte, 2048)
	for i := range binaryJunk {
		binaryJunk[i] = byte(i * 7)
	}

	tests := []struct {
		name         string
		path         string // requested; default "/"
		opts         FetchOptions
		handle       handlerFunc
		want         string // the decoded page
		wantBytes    int
		wantPath     string // of the final URL; default path
		wantErr      error  // checked with errors.Is
		wantMsg      string // substring of the error
		wantRequests int
	}{
		{
			name: "html page", handle: serve("text/html; charset=utf-8", samplePage),
			want: samplePage, wantBytes: len(samplePage), wantRequests: 1,
		},
		{
			name: "user agent and accept headers",
			handle: func(w http.ResponseWriter, r *http.Request, n int) {
				if r.Header.Get("User-Agent") != DefaultUserAgent || !strings.HasPrefix(r.Header.Get("Accept"), "text/html") {
					http.Error(w, "bad headers", http.StatusBadRequest)
					return
				}
				serve("text/html", samplePage)(w, r, n)
			},
			want: samplePage, wantRequests: 1,
		},
		{
			name: "custom user agent",
			opts: FetchOptions{UserAgent: "tester/1"},
			handle: func(w http.ResponseWriter, r *http.Request, n int) {
				serve("text/html", "<p>"+r.Header.Get("User-Agent")+"</p>")(w, r, n)
			},
			want: "<p>tester/1</p>", wantRequests: 1,
		},
		{
			name: "follows 10 redirects", path: "/r/10", handle: redirects,
			want: samplePage, wantPath: "/r/0", wantRequests: 11,
		},
		{
			name: "fails on the 11th redirect", path: "/r/11", handle: redirects,
			wantErr: ErrTooManyRedirects, wantMsg: "too many redirects: stopped after 10", wantRequests: 11,
		},
		{
			name: "redirects disabled", path: "/r/1", opts: FetchOptions{MaxRedirects: -1}, handle: redirects,
			wantErr: ErrTooManyRedirects, wantRequests: 1,
		},
		{
			name: "custom redirect limit", path: "/r/2", opts: FetchOptions{MaxRedirects: 2}, handle: redirects,
			want: samplePage, wantPath: "/r/0", wantRequests: 3,
		},
		{
			name: "error after a redirect names the final url", path: "/old",
			handle: func(w http.ResponseWriter, r *http.Request, _ int) {
				if r.URL.Path == "/old" {
					http.Redirect(w, r, "/gone", http.StatusMovedPermanently)
					return
				}
				http.NotFound(w, r)
			},
			wantMsg: "/gone: http 404 not found", wantRequests: 2,
		},
		{
			name: "gzip content encoding",
			handle: func(w http.ResponseWriter, r *http.Request, _ int) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
					http.Error(w, "gzip not offered", http.StatusBadRequest)
					return
				}
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gzPage)
			},
			want: samplePage, wantBytes: len(samplePage), wantRequests: 1,
		},
		{
			name: "gzip file served as application/gzip", handle: serve("application/gzip", string(gzPage)),
			want: samplePage, wantBytes: len(samplePage), wantRequests: 1,
		},
		{
			name: "windows-1252 via header", handle: serve("text/html; charset=windows-1252", "<p>"+cafeEuroCP1252+"</p>"),
			want: "<p>café €</p>", wantBytes: 13, wantRequests: 1,
		},
		{
			name:   "iso-8859-1 via meta",
			handle: serve("text/html", `<meta http-equiv="content-type" content="text/html; charset=ISO-8859-1"><p>`+cafeEuroCP1252+"</p>"),
			want:   `<meta http-equiv="content-type" content="text/html; charset=ISO-8859-1"><p>café €</p>`, wantRequests: 1,
		},
		{
			name: "shift_jis via header", handle: serve("text/html; charset=shift_jis", "<p>"+nihongoSJIS+"</p>"),
			want: "<p>日本語</p>", wantBytes: 13, wantRequests: 1,
		},
		{
			name: "euc-kr via meta", handle: serve("text/html", `<meta charset="EUC-KR"><p>`+hangukeoEUCKR+"</p>"),
			want: `<meta charset="EUC-KR"><p>한국어</p>`, wantRequests: 1,
		},
		{
			name: "utf-8 bom", handle: serve("text/html", utf8BOM+"<p>café</p>"),
			want: "<p>café</p>", wantBytes: 3 + len("<p>café</p>"), wantRequests: 1,
		},
		{
			name: "timeout", opts: FetchOptions{Timeout: 50 * time.Millisecond, Retries: -1},
			handle:  func(w http.ResponseWriter, r *http.Request, _ int) { stall(r) },
			wantErr: ErrTimeout, wantMsg: "timed out after 50ms", wantRequests: 1,
		},
		{
			name: "timeout while reading the body", opts: FetchOptions{Timeout: 50 * time.Millisecond, Retries: -1},
			handle: func(w http.ResponseWriter, r *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte("<html><body><p>first part"))
				w.(http.Flusher).Flush()
				stall(r)
			},
			wantErr: ErrTimeout, wantRequests: 1,
		},
		{
			name: "timeout retried then success", opts: FetchOptions{Timeout: 50 * time.Millisecond},
			handle: func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					stall(r)
					return
				}
				serve("text/html", samplePage)(w, r, n)
			},
			want: samplePage, wantRequests: 2,
		},
		{
			name: "429 with retry-after then success", opts: FetchOptions{MaxRetryWait: 10 * time.Millisecond},
			handle: status(http.StatusTooManyRequests, 1, "Retry-After", "0"),
			want:   samplePage, wantRequests: 2,
		},
		{
			name: "retry-after beyond the longest wait gives up at once", opts: FetchOptions{MaxRetryWait: time.Second},
			handle:  status(http.StatusServiceUnavailable, 1, "Retry-After", "100"),
			wantMsg: "http 503 service unavailable (server asked to retry after 100s)", wantRequests: 1,
		},
		{
			name: "503 twice then success", handle: status(http.StatusServiceUnavailable, 2),
			want: samplePage, wantRequests: 3,
		},
		{
			name: "cdn 522 retried", handle: status(522, 1),
			want: samplePage, wantRequests: 2,
		},
		{
			name: "retries exhausted", opts: FetchOptions{Retries: 2}, handle: status(http.StatusServiceUnavailable, -1),
			wantMsg: "gave up after 3 attempts: http 503 service unavailable", wantRequests: 3,
		},
		{
			name: "retries disabled", opts: FetchOptions{Retries: -1}, handle: status(http.StatusBadGateway, -1),
			wantMsg: "http 502 bad gateway", wantRequests: 1,
		},
		{
			name: "404 not retried", handle: status(http.StatusNotFound, -1),
			wantMsg: "http 404 not found", wantRequests: 1,
		},
		{
			name: "501 not retried", handle: status(http.StatusNotImplemented, -1),
			wantMsg: "http 501 not implemented", wantRequests: 1,
		},
		{
			name: "oversize body with content-length", opts: FetchOptions{MaxBytes: 100},
			handle:  serve("text/html", "<p>"+strings.Repeat("x", 1000)+"</p>"),
			wantErr: ErrTooLarge, wantMsg: "page exceeds the 100 bytes size cap", wantRequests: 1,
		},
		{
			name: "oversize chunked body", opts: FetchOptions{MaxBytes: 100},
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/html")
				for range 20 {
					_, _ = w.Write([]byte("<p>0123456789</p>"))
					w.(http.Flusher).Flush()
				}
			},
			wantErr: ErrTooLarge, wantRequests: 1,
		},
		{
			name: "oversize once decompressed", opts: FetchOptions{MaxBytes: 1000},
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gzBomb)
			},
			wantErr: ErrTooLarge, wantRequests: 1,
		},
		{
			name: "pdf content type", handle: serve("application/pdf", "%PDF-1.7\n"),
			wantErr: ErrNotHTML, wantMsg: "not an html page: content type application/pdf", wantRequests: 1,
		},
		{
			name: "png content type", handle: serve("image/png", "\x89PNG\r\n\x1a\n"),
			wantErr: ErrNotHTML, wantMsg: "content type image/png", wantRequests: 1,
		},
		{
			name: "json content type", handle: serve("application/json", `{"a":1}`),
			wantErr: ErrNotHTML, wantMsg: "content type application/json", wantRequests: 1,
		},
		{
			name: "binary junk served as text/html", handle: serve("text/html", string(binaryJunk)),
			wantErr: ErrNotHTML, wantMsg: "body is binary data", wantRequests: 1,
		},
		{
			name: "pdf without content type", handle: serve("-", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
			wantErr: ErrNotHTML, wantMsg: "body looks like application/pdf", wantRequests: 1,
		},
		{
			name: "png served as octet-stream", handle: serve("application/octet-stream", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
			wantErr: ErrNotHTML, wantMsg: "image/png", wantRequests: 1,
		},
		{
			name: "html without content type", handle: serve("-", samplePage),
			want: samplePage, wantRequests: 1,
		},
		{
			name: "html served as text/plain", handle: serve("text/plain; charset=utf-8", samplePage),
			want: samplePage, wantRequests: 1,
		},
		{
			name: "html served as octet-stream", handle: serve("application/octet-stream", samplePage),
			want: samplePage, wantRequests: 1,
		},
		{
			name: "plain text refused", handle: serve("text/plain", "User-agent: *\nDisallow: /\n"),
			wantErr: ErrNotHTML, wantMsg: "content type text/plain and the body does not look like html", wantRequests: 1,
		},
		{
			name: "empty body", handle: serve("text/html", ""),
			wantErr: ErrEmpty, wantMsg: "empty page", wantRequests: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handle(w, r, int(requests.Add(1)))
			}))
			defer srv.Close()

			opts := tt.opts
			opts.AllowPrivateNetworks = true // the server is on 127.0.0.1
			if opts.RetryDelay == 0 {
				opts.RetryDelay = time.Millisecond
			}
			path := tt.path
			if path == "" {
				path = "/"
			}
			page, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+path)

			if got := int(requests.Load()); got != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", got, tt.wantRequests)
			}
			if tt.wantErr != nil || tt.wantMsg != "" {
				if err == nil {
					t.Fatalf("Fetch succeeded, want error %v %q", tt.wantErr, tt.wantMsg)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("Fetch error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("Fetch error = %q, want it to contain %q", err, tt.wantMsg)
				}
				if strings.Contains(err.Error(), srv.URL+path+":") {
					t.Errorf("Fetch error = %q repeats the requested url", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if string(page.HTML) != tt.want {
				t.Errorf("HTML = %q, want %q", page.HTML, tt.want)
			}
			wantPath := tt.wantPath
			if wantPath == "" {
				wantPath = path
			}
			if page.URL != srv.URL+wantPath || page.Input != srv.URL+path {
				t.Errorf("URL, Input = %q, %q; want %q, %q", page.URL, page.Input, srv.URL+wantPath, srv.URL+path)
			}
			if tt.wantBytes != 0 && page.HTMLBytes != tt.wantBytes {
				t.Errorf("HTMLBytes = %d, want %d", page.HTMLBytes, tt.wantBytes)
			}
		})
	}
}

func TestFetchStatusError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	}))
	defer srv.Close()

	_, err := NewFetcher(FetchOptions{AllowPrivateNetworks: true}).Fetch(context.Background(), srv.URL)
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusGone || herr.Status != "410 Gone" {
		t.Fatalf("Fetch error = %#v, want *HTTPError for 410 Gone", err)
	}
	if err.Error() != "http 410 gone" {
		t.Errorf("Fetch error = %q, want %q", err, "http 410 gone")
	}
}

// TestFetchCancel checks that cancellation interrupts a request and a
// backoff wait at once; each case would otherwise take a minute. The
// cancellation comes on an event, never after a while.
func TestFetchCancel(t *testing.T) {
	tests := []struct {
		name string
		// handle answers the request; cancel is the caller's Ctrl-C.
		handle func(t *testing.T, w http.ResponseWriter, r *http.Request, cancel func())
		// cancelOnRetryAfter cancels when the fetcher reads the clock to
		// weigh the answer's Retry-After: the answer is in, and the wait
		// of a minute it asks for follows.
		cancelOnRetryAfter bool
	}{
		{
			name: "during backoff",
			handle: func(_ *testing.T, w http.ResponseWriter, _ *http.Request, _ func()) {
				w.Header().Set("Retry-After", "60")
				w.WriteHeader(http.StatusServiceUnavailable)
			},
			cancelOnRetryAfter: true,
		},
		{
			name: "during request",
			handle: func(t *testing.T, _ http.ResponseWriter, r *http.Request, cancel func()) {
				cancel()
				holdUntilGone(t, r)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				tt.handle(t, w, r, cancel)
			}))
			defer srv.Close()

			f := NewFetcher(FetchOptions{Timeout: time.Minute, MaxRetryWait: time.Minute, AllowPrivateNetworks: true})
			if tt.cancelOnRetryAfter {
				f.now = func() time.Time {
					// On its own goroutine, so that the cancellation can
					// land in the wait; landing just before it must end
					// Fetch as promptly.
					go cancel()
					return time.Now()
				}
			}
			done := make(chan error, 1)
			go func() {
				_, err := f.Fetch(ctx, srv.URL)
				done <- err
			}()
			timer := time.NewTimer(guard)
			defer timer.Stop()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Fetch error = %v, want context.Canceled", err)
				}
			case <-timer.C:
				t.Fatalf("Fetch did not return after cancellation (gave up after %v)", guard)
			}
			if got := requests.Load(); got != 1 {
				t.Errorf("server saw %d requests, want 1", got)
			}
		})
	}
}

// TestFetchTotal checks that FetchOptions.Total bounds a whole Fetch,
// retries included, and that running out of it reads as a timeout after
// Total. The server decides where the time runs out; the assertions are on
// the errors only.
func TestFetchTotal(t *testing.T) {
	const total = 200 * time.Millisecond
	tests := []struct {
		name string
		opts FetchOptions
		// handle answers the nth request; cancel is the caller's Ctrl-C.
		handle  func(t *testing.T, w http.ResponseWriter, r *http.Request, n int, cancel func())
		wantErr error
		wantMsg string // the whole error message
	}{
		{
			// Two refusals are retried at once; the third attempt is held
			// until Total runs out, well before its own Timeout.
			name: "runs out while retrying 503s",
			opts: FetchOptions{Total: total, Retries: 5, RetryDelay: time.Nanosecond},
			handle: func(t *testing.T, w http.ResponseWriter, r *http.Request, n int, _ func()) {
				if n <= 2 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				holdUntilGone(t, r)
			},
			wantErr: ErrTimeout, wantMsg: "timed out after " + total.String(),
		},
		{
			name: "an attempt's own timeout comes first",
			opts: FetchOptions{Total: time.Minute, Timeout: 50 * time.Millisecond, Retries: -1},
			handle: func(t *testing.T, _ http.ResponseWriter, r *http.Request, _ int, _ func()) {
				holdUntilGone(t, r)
			},
			wantErr: ErrTimeout, wantMsg: "timed out after 50ms",
		},
		{
			name: "the caller's cancellation is not a timeout",
			opts: FetchOptions{Total: time.Minute, RetryDelay: time.Nanosecond},
			handle: func(t *testing.T, w http.ResponseWriter, r *http.Request, n int, cancel func()) {
				if n == 1 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				cancel()
				holdUntilGone(t, r)
			},
			wantErr: context.Canceled, wantMsg: "context canceled",
		},
		{
			name: "retries that succeed within Total",
			opts: FetchOptions{Total: time.Minute, RetryDelay: time.Nanosecond},
			handle: func(_ *testing.T, w http.ResponseWriter, r *http.Request, n int, _ func()) {
				status(http.StatusServiceUnavailable, 2)(w, r, n)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handle(t, w, r, int(requests.Add(1)), cancel)
			}))
			defer srv.Close()

			done := make(chan error, 1)
			go func() {
				opts := tt.opts
				opts.AllowPrivateNetworks = true // the server is on 127.0.0.1
				_, err := NewFetcher(opts).Fetch(ctx, srv.URL)
				done <- err
			}()
			var err error
			timer := time.NewTimer(guard)
			defer timer.Stop()
			select {
			case err = <-done:
			case <-timer.C:
				t.Fatalf("Fetch did not return (gave up after %v)", guard)
			}
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Fetch error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && err.Error() != tt.wantMsg {
				t.Errorf("Fetch error = %q, want %q", err, tt.wantMsg)
			}
		})
	}
}

func TestFetchDeadlineBeforeRetry(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := NewFetcher(FetchOptions{MaxRetryWait: time.Minute, AllowPrivateNetworks: true}).Fetch(ctx, srv.URL)
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("Fetch error = %v, want http 429 at once", err)
	}
	if want := "http 429 too many requests (server asked to retry after 60s)"; err.Error() != want {
		t.Errorf("Fetch error = %q, want %q", err, want)
	}
	if got := requests.Load(); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
}

func TestFetchTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name    string
		url     string
		wantMsg string
	}{
		{name: "not a url", url: "example.com/news", wantMsg: "not an http or https url"},
		{name: "ftp", url: "ftp://example.com/", wantMsg: "not an http or https url"},
		{name: "connection refused", url: "http://" + closedAddr + "/", wantMsg: "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewFetcher(FetchOptions{Retries: -1, AllowPrivateNetworks: true}).Fetch(context.Background(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("Fetch error = %v, want it to contain %q", err, tt.wantMsg)
			}
			if strings.HasPrefix(err.Error(), "Get ") {
				t.Errorf("Fetch error = %q starts with the method", err)
			}
		})
	}
}

func TestFetchRetryAfter(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Duration
	}{
		{name: "absent", header: "", want: -1},
		{name: "seconds", header: "120", want: 2 * time.Minute},
		{name: "zero", header: "0", want: 0},
		{name: "padded", header: " 5 ", want: 5 * time.Second},
		{name: "http date", header: "Fri, 01 Mar 2024 12:00:30 GMT", want: 30 * time.Second},
		{name: "date in the past", header: "Fri, 01 Mar 2024 11:00:00 GMT", want: 0},
		{name: "huge", header: "99999999999999999999999", want: time.Duration(1<<63 - 1)},
		{name: "negative", header: "-5", want: -1},
		{name: "garbage", header: "soon", want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.header, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestFetchBackoff(t *testing.T) {
	f := NewFetcher(FetchOptions{RetryDelay: 100 * time.Millisecond, MaxRetryWait: time.Second})
	tests := []struct {
		name    string
		attempt int
		want    time.Duration
	}{
		{name: "first retry", attempt: 1, want: 100 * time.Millisecond},
		{name: "second retry", attempt: 2, want: 200 * time.Millisecond},
		{name: "fourth retry", attempt: 4, want: 800 * time.Millisecond},
		{name: "capped", attempt: 5, want: time.Second},
		{name: "capped without overflow", attempt: 200, want: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.backoff(tt.attempt); got != tt.want {
				t.Errorf("backoff(%d) = %v, want %v", tt.attempt, got, tt.want)
			}
		})
	}
}

func TestFetchOptionsDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   FetchOptions
		want FetchOptions
	}{
		{
			name: "zero",
			want: FetchOptions{
				Timeout: 20 * time.Second, ConnectTimeout: 10 * time.Second, MaxBytes: 10 << 20,
				MaxRedirects: 10, Retries: 3, RetryDelay: 500 * time.Millisecond,
				MaxRetryWait: 30 * time.Second, UserAgent: DefaultUserAgent,
			},
		},
		{
			name: "negative disables retries and redirects",
			in:   FetchOptions{MaxRedirects: -1, Retries: -1, MaxBytes: -1},
			want: FetchOptions{
				Timeout: 20 * time.Second, ConnectTimeout: 10 * time.Second, MaxBytes: 10 << 20,
				MaxRedirects: 0, Retries: 0, RetryDelay: 500 * time.Millisecond,
				MaxRetryWait: 30 * time.Second, UserAgent: DefaultUserAgent,
			},
		},
		{
			name: "explicit values kept",
			in: FetchOptions{
				Timeout: time.Second, ConnectTimeout: time.Second, MaxBytes: 1, MaxRedirects: 1,
				Retries: 1, RetryDelay: time.Second, MaxRetryWait: time.Second, UserAgent: "x",
				AllowPrivateNetworks: true,
			},
			want: FetchOptions{
				Timeout: time.Second, ConnectTimeout: time.Second, MaxBytes: 1, MaxRedirects: 1,
				Retries: 1, RetryDelay: time.Second, MaxRetryWait: time.Second, UserAgent: "x",
				AllowPrivateNetworks: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewFetcher(tt.in).opts; got != tt.want {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFetchHTTPErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  HTTPError
		want string
	}{
		{name: "standard", err: HTTPError{StatusCode: 404, Status: "404 Not Found"}, want: "http 404 not found"},
		{name: "custom reason", err: HTTPError{StatusCode: 403, Status: "403 Go Away"}, want: "http 403 go away"},
		{name: "no status text", err: HTTPError{StatusCode: 503}, want: "http 503 service unavailable"},
		{name: "unknown code", err: HTTPError{StatusCode: 599, Status: "599"}, want: "http 599"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFetchTime checks that a downloaded page carries the time of its
// response, in UTC.
func TestFetchTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve("text/html", samplePage)(w, r, 1)
	}))
	defer srv.Close()

	before := time.Now()
	p, err := NewFetcher(FetchOptions{AllowPrivateNetworks: true}).Fetch(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if p.FetchedAt.Before(before.Add(-time.Second)) || p.FetchedAt.After(after) || p.FetchedAt.Location() != time.UTC {
		t.Errorf("FetchedAt = %v, want a UTC time between %v and %v", p.FetchedAt, before, after)
	}
}
