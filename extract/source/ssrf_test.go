package source

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestNonPublic(t *testing.T) {
	tests := []struct {
		name string
		addr string
		want string // "" for a public address
	}{
		{name: "public v4", addr: "93.184.215.14"},
		{name: "public resolver", addr: "8.8.8.8"},
		{name: "just below carrier-grade NAT", addr: "100.63.255.255"},
		{name: "just above carrier-grade NAT", addr: "100.128.0.0"},
		{name: "just below 172.16/12", addr: "172.15.255.255"},
		{name: "just above 172.16/12", addr: "172.32.0.0"},
		{name: "just below multicast", addr: "223.255.255.255"},
		{name: "public v6", addr: "2606:4700:4700::1111"},
		{name: "ipv4-mapped public", addr: "::ffff:8.8.8.8"},
		{name: "nat64 of a public address", addr: "64:ff9b::808:808"},
		{name: "6to4 of a public address", addr: "2002:808:808::1"},

		{name: "loopback", addr: "127.0.0.1", want: "a loopback address"},
		{name: "loopback block", addr: "127.255.255.254", want: "a loopback address"},
		{name: "10/8", addr: "10.0.0.1", want: "a private address"},
		{name: "172.16/12 start", addr: "172.16.0.1", want: "a private address"},
		{name: "172.16/12 end", addr: "172.31.255.255", want: "a private address"},
		{name: "192.168/16", addr: "192.168.1.1", want: "a private address"},
		{name: "cloud metadata", addr: "169.254.169.254", want: "the link-local address of cloud instance metadata"},
		{name: "link-local v4", addr: "169.254.1.1", want: "a link-local address"},
		{name: "carrier-grade NAT start", addr: "100.64.0.1", want: "a carrier-grade NAT address"},
		{name: "carrier-grade NAT end", addr: "100.127.255.255", want: "a carrier-grade NAT address"},
		{name: "unspecified v4", addr: "0.0.0.0", want: "an unspecified address"},
		{name: "this network", addr: "0.1.2.3", want: `a "this network" address`},
		{name: "multicast v4", addr: "224.0.0.1", want: "a multicast address"},
		{name: "ssdp multicast", addr: "239.255.255.250", want: "a multicast address"},
		{name: "broadcast", addr: "255.255.255.255", want: "the broadcast address"},
		{name: "reserved 240/4", addr: "240.0.0.1", want: "a reserved address"},
		{name: "ietf protocol block", addr: "192.0.0.8", want: "an IETF protocol address"},
		{name: "documentation v4", addr: "203.0.113.7", want: "a documentation address"},
		{name: "benchmarking v4", addr: "198.19.0.1", want: "a benchmarking address"},

		{name: "loopback v6", addr: "::1", want: "a loopback address"},
		{name: "unspecified v6", addr: "::", want: "an unspecified address"},
		{name: "unique local fc00::/7", addr: "fc00::1", want: "a private address"},
		{name: "unique local fd00::/8", addr: "fd12:3456:789a::1", want: "a private address"},
		{name: "link-local v6", addr: "fe80::1", want: "a link-local address"},
		{name: "link-local v6 with zone", addr: "fe80::1%eth0", want: "a link-local address"},
		{name: "site-local v6", addr: "fec0::1", want: "a site-local address"},
		{name: "multicast v6", addr: "ff02::1", want: "a multicast address"},
		{name: "documentation v6", addr: "2001:db8::1", want: "a documentation address"},
		{name: "discard-only v6", addr: "100::1", want: "a discard-only address"},
		{name: "ipv4-compatible loopback", addr: "::127.0.0.1", want: "a reserved address"},
		{name: "local-use nat64", addr: "64:ff9b:1::a00:1", want: "a reserved address"},
		{name: "outside 2000::/3", addr: "4000::1", want: "a reserved address"},

		{name: "ipv4-mapped loopback", addr: "::ffff:127.0.0.1", want: "IPv4-mapped 127.0.0.1, a loopback address"},
		{name: "ipv4-mapped private", addr: "::ffff:10.1.2.3", want: "IPv4-mapped 10.1.2.3, a private address"},
		{name: "ipv4-mapped cloud metadata", addr: "::ffff:169.254.169.254", want: "IPv4-mapped 169.254.169.254, the link-local address of cloud instance metadata"},
		{name: "ipv4-mapped carrier-grade NAT", addr: "::ffff:100.64.0.1", want: "IPv4-mapped 100.64.0.1, a carrier-grade NAT address"},
		{name: "ipv4-mapped unspecified", addr: "::ffff:0.0.0.0", want: "IPv4-mapped 0.0.0.0, an unspecified address"},
		{name: "ipv4-mapped broadcast", addr: "::ffff:255.255.255.255", want: "IPv4-mapped 255.255.255.255, the broadcast address"},
		{name: "nat64 of loopback", addr: "64:ff9b::7f00:1", want: "NAT64 127.0.0.1, a loopback address"},
		{name: "6to4 of a private address", addr: "2002:a00:1::1", want: "6to4 10.0.0.1, a private address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nonPublic(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("nonPublic(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

// countingServer serves a page and counts the requests it answers.
func countingServer(t *testing.T, handle http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

func servePage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	_, _ = w.Write([]byte(samplePage))
}

// TestFetchPrivateAddress checks the refusal on the address dialled. Every
// test server listens on 127.0.0.1, so the one that plays a public news
// site is made public by the test hook publicForTest, which takes its port
// for a public address; it redirects to the URL in its "to" parameter.
// Addresses where no server listens (10.0.0.1, 169.254.169.254) are
// refused before any packet is sent, so the cases need no network.
func TestFetchPrivateAddress(t *testing.T) {
	private, privateRequests := countingServer(t, servePage)
	public, publicRequests := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		servePage(w, r)
	})
	publicPort := netip.MustParseAddrPort(public.Listener.Addr().String()).Port()
	_, privatePort, _ := net.SplitHostPort(private.Listener.Addr().String())
	via := func(to string) string { return public.URL + "/?to=" + url.QueryEscape(to) }

	tests := []struct {
		name  string
		url   string
		allow bool   // FetchOptions.AllowPrivateNetworks
		want  string // the whole error; "" for success
		// wantPrefix and wantPart, for an error whose address depends
		// on what the system's resolver answers for localhost.
		wantPrefix, wantPart    string
		wantPublic, wantPrivate int32 // requests each server sees
	}{
		{
			name: "loopback", url: private.URL + "/x",
			want: "refused to connect to 127.0.0.1 (a loopback address)",
		},
		{
			name: "loopback allowed", url: private.URL + "/x", allow: true,
			wantPrivate: 1,
		},
		{
			name: "a host name is judged by its DNS answer", url: "http://localhost:" + privatePort + "/x",
			wantPrefix: "refused to connect to ", wantPart: "(a loopback address)",
		},
		{
			name: "ipv4-mapped loopback", url: "http://[::ffff:127.0.0.1]:" + privatePort + "/x",
			want: "refused to connect to 127.0.0.1 (a loopback address)",
		},
		{
			name: "private", url: "http://10.0.0.1/",
			want: "refused to connect to 10.0.0.1 (a private address)",
		},
		{
			name: "cloud metadata", url: "http://169.254.169.254/latest/meta-data/",
			want: "refused to connect to 169.254.169.254 (the link-local address of cloud instance metadata)",
		},
		{
			name: "unspecified", url: "http://0.0.0.0:" + privatePort + "/",
			want: "refused to connect to 0.0.0.0 (an unspecified address)",
		},
		{
			name: "the public site passes", url: public.URL + "/",
			wantPublic: 1,
		},
		{
			name: "redirect to loopback", url: via(private.URL + "/secret"),
			want:       "redirected to " + private.URL + "/secret: refused to connect to 127.0.0.1 (a loopback address)",
			wantPublic: 1,
		},
		{
			name: "redirect to cloud metadata", url: via("http://169.254.169.254/latest/meta-data/"),
			want:       "redirected to http://169.254.169.254/latest/meta-data/: refused to connect to 169.254.169.254 (the link-local address of cloud instance metadata)",
			wantPublic: 1,
		},
		{
			name: "redirect to a name that resolves to loopback", url: via("http://localhost:" + privatePort + "/secret"),
			wantPrefix: "redirected to http://localhost:" + privatePort + "/secret: refused to connect to ", wantPart: "(a loopback address)",
			wantPublic: 1,
		},
		{
			name: "redirect to loopback allowed", url: via(private.URL + "/secret"), allow: true,
			wantPublic: 1, wantPrivate: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			publicRequests.Store(0)
			privateRequests.Store(0)
			f := NewFetcher(FetchOptions{AllowPrivateNetworks: tt.allow, RetryDelay: 1})
			f.publicForTest = func(ap netip.AddrPort) bool {
				return ap.Addr() == netip.MustParseAddr("127.0.0.1") && ap.Port() == publicPort
			}
			page, err := f.Fetch(context.Background(), tt.url)

			switch {
			case tt.want == "" && tt.wantPrefix == "":
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(page.HTML) != samplePage {
					t.Errorf("HTML = %q, want the sample page", page.HTML)
				}
			case err == nil:
				t.Fatalf("Fetch succeeded, want a refusal")
			case !errors.Is(err, ErrPrivateAddress):
				t.Errorf("Fetch error = %v, want ErrPrivateAddress", err)
			case tt.want != "" && err.Error() != tt.want:
				t.Errorf("Fetch error = %q\nwant             %q", err, tt.want)
			case tt.wantPrefix != "" && (!strings.HasPrefix(err.Error(), tt.wantPrefix) || !strings.Contains(err.Error(), tt.wantPart)):
				t.Errorf("Fetch error = %q, want %q...%q", err, tt.wantPrefix, tt.wantPart)
			}
			if got := publicRequests.Load(); got != tt.wantPublic {
				t.Errorf("the public server saw %d requests, want %d", got, tt.wantPublic)
			}
			if got := privateRequests.Load(); got != tt.wantPrivate {
				t.Errorf("the private server saw %d requests, want %d", got, tt.wantPrivate)
			}
		})
	}
}

// TestFetchThroughProxy checks the proxy rule: the proxy from the
// environment is dialled although it listens on 127.0.0.1, and the URL's
// host is resolved (by a stub resolver here) and refused before the
// request is sent when it is not public. The proxy answers every request
// itself; "old.example/" redirects to intranet.example.
func TestFetchThroughProxy(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string // hosts the proxy was asked for, in order
	)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Host)
		mu.Unlock()
		if r.URL.Host == "old.example" {
			http.Redirect(w, r, "http://intranet.example/", http.StatusFound)
			return
		}
		servePage(w, r)
	}))
	defer proxy.Close()
	for _, name := range []string{"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "REQUEST_METHOD"} {
		t.Setenv(name, "")
	}
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("HTTPS_PROXY", proxy.URL) // only ever asked for refused hosts: it cannot CONNECT
	dns := map[string][]netip.Addr{
		"news.example":     {netip.MustParseAddr("93.184.215.14")},
		"old.example":      {netip.MustParseAddr("93.184.215.15")},
		"intranet.example": {netip.MustParseAddr("10.1.2.3")},
		"split.example":    {netip.MustParseAddr("2606:4700::1"), netip.MustParseAddr("fd00::7")},
	}

	tests := []struct {
		name     string
		url      string
		allow    bool
		want     string   // the whole error; "" for success
		wantSeen []string // hosts the proxy was asked for
	}{
		{name: "public host", url: "http://news.example/story", wantSeen: []string{"news.example"}},
		{
			name: "host that resolves to a private address", url: "http://intranet.example/",
			want: "refused to connect to intranet.example: it resolves to 10.1.2.3 (a private address)",
		},
		{
			name: "host with one private address among public ones", url: "http://split.example/",
			want: "refused to connect to split.example: it resolves to fd00::7 (a private address)",
		},
		{
			name: "https to a private host", url: "https://intranet.example/",
			want: "refused to connect to intranet.example: it resolves to 10.1.2.3 (a private address)",
		},
		{
			name: "private ip address", url: "http://10.0.0.1/",
			want: "refused to connect to 10.0.0.1 (a private address)",
		},
		{
			name: "host that does not resolve", url: "http://unknown.example/",
			want: "refused to send unknown.example to the proxy: could not look it up to check that it is public: lookup unknown.example: no such host",
		},
		{
			name: "redirect to a private host", url: "http://old.example/",
			want:     "redirected to http://intranet.example/: refused to connect to intranet.example: it resolves to 10.1.2.3 (a private address)",
			wantSeen: []string{"old.example"},
		},
		{
			// Loopback URLs bypass the proxy (NO_PROXY or not), and are
			// refused by the dialer; this one is the proxy's own address,
			// which the dialer lets through, so it is checked beforehand.
			name: "the proxy's own address asked for directly", url: proxy.URL + "/admin",
			want: "refused to connect to 127.0.0.1 (a loopback address)",
		},
		{
			name: "private host allowed", url: "http://intranet.example/", allow: true,
			wantSeen: []string{"intranet.example"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			f := NewFetcher(FetchOptions{AllowPrivateNetworks: tt.allow, Retries: -1})
			f.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
				if addrs, ok := dns[host]; ok {
					return addrs, nil
				}
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			page, err := f.Fetch(context.Background(), tt.url)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(page.HTML) != samplePage {
					t.Errorf("HTML = %q, want the sample page", page.HTML)
				}
			} else {
				if !errors.Is(err, ErrPrivateAddress) {
					t.Errorf("Fetch error = %v, want ErrPrivateAddress", err)
				}
				if err != nil && err.Error() != tt.want {
					t.Errorf("Fetch error = %q\nwant             %q", err, tt.want)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(seen, tt.wantSeen) {
				t.Errorf("the proxy was asked for %q, want %q", seen, tt.wantSeen)
			}
		})
	}
}
