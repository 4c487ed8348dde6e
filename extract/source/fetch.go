package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// FetchOptions configures a Fetcher. Zero values take the documented defaults.
//
// Timeout bounds each attempt separately, from connecting to reading the last
// body byte, so that a timed-out attempt can be retried; give Fetch a context
// with a deadline to bound the whole call, retries and waits included.
// MaxRedirects below zero follows no redirect.
//
// Unless AllowPrivateNetworks is set, a Fetcher connects to public internet
// addresses only: loopback, private, link-local (cloud metadata at
// 169.254.169.254 included), carrier-grade NAT, multicast, unspecified,
// documentation and reserved addresses, and their IPv4-mapped, NAT64 and
// 6to4 forms, fail with a *PrivateAddressError. The check is made on the
// address each connection is about to be made to, after DNS resolution and
// on every redirect, so neither a DNS answer nor a redirect gets around it.
// A request sent through a proxy from the environment (HTTP_PROXY,
// HTTPS_PROXY, NO_PROXY, read when the Fetcher is built) is checked before
// it is sent, on the addresses the URL's host resolves to here; the proxy
// itself may be anywhere, since the user chose it.
type FetchOptions struct {
	Timeout        time.Duration // one attempt, from connecting to the last body byte; default 20s
	ConnectTimeout time.Duration // TCP+TLS connect; default 10s
	MaxBytes       int64         // body cap; default 10 MiB
	MaxRedirects   int           // default 10
	Retries        int           // extra attempts on 429/5xx/timeouts; default 3; negative disables
	RetryDelay     time.Duration // base backoff; default 500ms (tests set it small)
	MaxRetryWait   time.Duration // cap for a Retry-After or backoff wait; default 30s
	UserAgent      string        // default DefaultUserAgent
	// Total bounds a whole Fetch, retries and their waits included; zero
	// leaves that to the caller's context. When it runs out the error is
	// ErrTimeout "after Total".
	Total time.Duration
	// AllowPrivateNetworks lets the Fetcher connect to addresses that are
	// not on the public internet, such as 127.0.0.1 or 10.0.0.0/8.
	AllowPrivateNetworks bool
}

// DefaultUserAgent identifies incidex to the sites it reads.
const DefaultUserAgent = "incidex/0.1 (+https://github.com/incidex/incidex)"

const (
	defaultTimeout        = 20 * time.Second
	defaultConnectTimeout = 10 * time.Second
	defaultMaxRedirects   = 10
	defaultRetries        = 3
	defaultRetryDelay     = 500 * time.Millisecond
	defaultMaxRetryWait   = 30 * time.Second

	// acceptHeader asks for HTML but accepts anything, so that a server
	// answers with its page rather than 406 and the refusal message can name
	// what it sent instead.
	acceptHeader = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
)

// Errors returned by Fetch, besides ErrEmpty, ErrNotHTML and ErrTooLarge.
var (
	// ErrTimeout is returned when an attempt exceeds FetchOptions.Timeout,
	// or a whole fetch FetchOptions.Total.
	ErrTimeout = errors.New("timed out")
	// ErrTooManyRedirects is returned beyond FetchOptions.MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// TimedOut is the error of an attempt or a whole fetch that ran out of
// its time d.
func TimedOut(d time.Duration) error {
	return fmt.Errorf("%w after %s", ErrTimeout, d)
}

// HTTPError reports a response whose status is not 2xx.
type HTTPError struct {
	StatusCode int    // for example 404
	Status     string // as sent by the server, for example "404 Not Found"
}

// Error reads like "http 404 not found".
func (e *HTTPError) Error() string {
	text := strings.TrimSpace(strings.TrimPrefix(e.Status, strconv.Itoa(e.StatusCode)))
	if text == "" {
		text = http.StatusText(e.StatusCode)
	}
	return strings.TrimSpace(fmt.Sprintf("http %d %s", e.StatusCode, strings.ToLower(text)))
}

// Fetcher downloads pages over HTTP(S). It is safe for concurrent use and
// reuses connections, so build one and share it.
type Fetcher struct {
	opts   FetchOptions
	client *http.Client
	now    func() time.Time // for Retry-After dates; replaced in tests

	proxyFor   func(*url.URL) (*url.URL, error) // the proxy of a URL, from the environment
	proxyAddrs map[string]bool                  // the host:port of every proxy proxyFor names, lowercased
	// lookup resolves the host of a request sent through a proxy, to check
	// it; replaced in tests.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// publicForTest, in tests only, picks dialled addresses to take for
	// public ones, so that a loopback server can play a public site.
	publicForTest func(netip.AddrPort) bool
}

// NewFetcher returns a Fetcher built from opts. It reads the proxy settings
// of the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) now.
func NewFetcher(opts FetchOptions) *Fetcher {
	opts = opts.withDefaults()
	proxyConfig := httpproxy.FromEnvironment()
	f := &Fetcher{
		opts:       opts,
		now:        time.Now,
		proxyFor:   proxyConfig.ProxyFunc(),
		proxyAddrs: proxyDialAddrs(*proxyConfig),
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
	}
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	dial := dialer.DialContext
	if !opts.AllowPrivateNetworks {
		checked := *dialer
		checked.Control = f.checkDial
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if f.proxyAddrs[strings.ToLower(addr)] {
				// The user's proxy, wherever it is; f.proxy has checked
				// the host it is asked for.
				return dialer.DialContext(ctx, network, addr)
			}
			return checked.DialContext(ctx, network, addr)
		}
	}
	transport := &http.Transport{
		Proxy:                 f.proxy,
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// DisableCompression stays false: the transport asks for gzip and
		// decompresses it transparently, so the size cap applies to the
		// decompressed page.
	}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f
}

func (o FetchOptions) withDefaults() FetchOptions {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = defaultConnectTimeout
	}
	o.MaxBytes = maxBytesOrDefault(o.MaxBytes)
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = defaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	switch {
	case o.Retries == 0:
		o.Retries = defaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = defaultRetryDelay
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = defaultMaxRetryWait
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

func (f *Fetcher) checkRedirect(_ *http.Request, via []*http.Request) error {
	// via holds the requests made so far, so the nth redirect sees n of them.
	if len(via) > f.opts.MaxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, f.opts.MaxRedirects)
	}
	return nil
}

// Fetch downloads rawURL and returns its decoded HTML.
//
// It retries timeouts, dropped connections, 429 and 5xx responses (except 501
// and 505) with exponential backoff capped by MaxRetryWait, or after the
// server's Retry-After. It gives up at once when a Retry-After asks for more
// than MaxRetryWait or when a wait would outlast ctx's deadline, and returns
// ctx.Err() promptly when ctx is done. Error messages do not repeat rawURL;
// they name the final URL when a redirect led elsewhere.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	if f.opts.Total <= 0 {
		return f.fetch(ctx, rawURL)
	}
	tctx, cancel := context.WithTimeout(ctx, f.opts.Total)
	defer cancel()
	page, err := f.fetch(tctx, rawURL)
	if err != nil && ctx.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		return nil, TimedOut(f.opts.Total)
	}
	return page, err
}

// fetch is Fetch within ctx alone.
func (f *Fetcher) fetch(ctx context.Context, rawURL string) (*Page, error) {
	if !IsURL(rawURL) {
		return nil, errors.New("not an http or https url")
	}
	for attempt := 1; ; attempt++ {
		page, retryAfter, err := f.try(ctx, rawURL)
		if err == nil {
			page.Input = rawURL
			return page, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if attempt > f.opts.Retries || !retryable(err) {
			return nil, gaveUp(attempt, err)
		}
		wait := f.backoff(attempt)
		if retryAfter >= 0 {
			if retryAfter > f.opts.MaxRetryWait || outlasts(ctx, retryAfter) {
				// Waiting less than the server asked would only earn another
				// refusal; say what it asked for instead.
				return nil, gaveUp(attempt, fmt.Errorf("%w (server asked to retry after %s)", err, formatWait(retryAfter)))
			}
			wait = retryAfter
		}
		if outlasts(ctx, wait) {
			return nil, gaveUp(attempt, err)
		}
		if err := sleepContext(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// outlasts reports whether waiting d would take past ctx's deadline.
func outlasts(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) < d
}

// formatWait prints a server's wait in seconds ("100s"), the unit of
// Retry-After, rather than as "1m40s".
func formatWait(d time.Duration) string {
	if d < time.Second {
		return d.String()
	}
	return strconv.FormatInt(int64(d.Round(time.Second)/time.Second), 10) + "s"
}

func gaveUp(attempts int, err error) error {
	if attempts == 1 {
		return err
	}
	return fmt.Errorf("gave up after %d attempts: %w", attempts, err)
}

// backoff returns the wait before the retry that follows the given attempt:
// RetryDelay, then twice that, and so on up to MaxRetryWait. There is no
// jitter: one CLI run is not a thundering herd, and fixed waits keep runs
// reproducible.
func (f *Fetcher) backoff(attempt int) time.Duration {
	d := f.opts.RetryDelay
	for i := 1; i < attempt && d < f.opts.MaxRetryWait; i++ {
		d *= 2
	}
	return min(d, f.opts.MaxRetryWait)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// try makes one attempt. retryAfter is the server's Retry-After, or -1.
func (f *Fetcher) try(ctx context.Context, rawURL string) (page *Page, retryAfter time.Duration, err error) {
	retryAfter = -1
	actx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, retryAfter, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", acceptHeader)
	requested := req.URL.String()

	resp, err := f.client.Do(req)
	fetched := time.Now().UTC()
	if err != nil {
		return nil, retryAfter, f.requestError(ctx, actx, requested, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Reading a little of the body lets the connection be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), f.now())
		herr := &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
		return nil, retryAfter, redirected(requested, final, herr)
	}
	contentType := resp.Header.Get("Content-Type")
	check, err := checkContentType(contentType)
	if err != nil {
		return nil, retryAfter, redirected(requested, final, err)
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, retryAfter, redirected(requested, final, &TooLargeError{Limit: f.opts.MaxBytes})
	}
	raw, err := readBody(resp.Body, f.opts.MaxBytes, resp.ContentLength)
	if err != nil {
		if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
			err = TimedOut(f.opts.Timeout)
		} else if !errors.Is(err, ErrTooLarge) {
			err = fmt.Errorf("read body: %w", err)
		}
		return nil, retryAfter, redirected(requested, final, err)
	}
	text, err := toHTML(raw, contentType, check)
	if err != nil {
		return nil, retryAfter, redirected(requested, final, err)
	}
	return &Page{URL: final, HTML: text, HTMLBytes: len(raw), FetchedAt: fetched}, retryAfter, nil
}

// requestError turns an error from http.Client.Do into one that reads well
// after the CLI's "<input>: " prefix.
func (f *Fetcher) requestError(ctx, actx context.Context, requested string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return TimedOut(f.opts.Timeout)
	}
	var uerr *url.Error
	if !errors.As(err, &uerr) {
		return err
	}
	if errors.Is(uerr.Err, ErrTooManyRedirects) {
		return uerr.Err
	}
	// A refusal in the dialer comes as "dial tcp 127.0.0.1:80: refused
	// to connect to 127.0.0.1 (...)": keep the refusal only.
	var perr *PrivateAddressError
	if errors.As(uerr.Err, &perr) {
		return redirected(requested, uerr.URL, perr)
	}
	// url.Error reads `Get "https://...": ...`; drop the method and keep the
	// URL only when it is not the one the user asked for.
	return redirected(requested, uerr.URL, uerr.Err)
}

func redirected(requested, final string, err error) error {
	if final == requested {
		return err
	}
	return fmt.Errorf("redirected to %s: %w", final, err)
}

// retryable reports whether another attempt might succeed.
func retryable(err error) bool {
	var herr *HTTPError
	if errors.As(err, &herr) {
		return retryableStatus(herr.StatusCode)
	}
	var nerr net.Error
	return errors.Is(err, ErrTimeout) ||
		(errors.As(err, &nerr) && nerr.Timeout()) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests:
		return true
	case http.StatusNotImplemented, http.StatusHTTPVersionNotSupported:
		return false
	}
	// Other 5xx include the 52x codes of CDNs whose origin is slow or down.
	return code >= 500 && code <= 599
}

// parseRetryAfter returns the wait a Retry-After header asks for, given in
// seconds or as an HTTP date, or -1 when v is absent or malformed.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	const maxDuration = time.Duration(1<<63 - 1)
	secs, err := strconv.ParseUint(v, 10, 64)
	switch {
	case err == nil:
		return time.Duration(min(secs, uint64(maxDuration/time.Second))) * time.Second
	case errors.Is(err, strconv.ErrRange):
		return maxDuration
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return -1
	}
	return max(t.Sub(now), 0)
}
