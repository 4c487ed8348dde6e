package source

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"golang.org/x/net/http/httpproxy"
)

// This file keeps a Fetcher from being turned against the network it runs
// in (server-side request forgery): a URL list from the internet must not
// make incidex read 127.0.0.1, an intranet or the cloud metadata service
// and copy what it finds into the output.

// ErrPrivateAddress matches every *PrivateAddressError.
var ErrPrivateAddress = errors.New("refused a destination that is not a public address")

// PrivateAddressError reports a connection refused because its destination
// is not on the public internet (see FetchOptions.AllowPrivateNetworks).
// It matches ErrPrivateAddress.
type PrivateAddressError struct {
	// Host is the URL's host when it was resolved here before the request
	// went to a proxy; empty when Addr is the address dialled.
	Host string
	// Addr is the refused address; the zero Addr when Host could not be
	// resolved, and Err says why.
	Addr   netip.Addr
	Reason string // what Addr is, for example "a loopback address"
	Err    error  // the failed lookup of Host
}

func (e *PrivateAddressError) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("refused to send %s to the proxy: could not look it up to check that it is public: %v", e.Host, e.Err)
	case e.Host != "":
		return fmt.Sprintf("refused to connect to %s: it resolves to %s (%s)", e.Host, e.Addr, e.Reason)
	}
	return fmt.Sprintf("refused to connect to %s (%s)", e.Addr, e.Reason)
}

// Is makes errors.Is(err, ErrPrivateAddress) true.
func (e *PrivateAddressError) Is(target error) bool { return target == ErrPrivateAddress }

// Unwrap returns the failed lookup of Host, or nil.
func (e *PrivateAddressError) Unwrap() error { return e.Err }

// checkDial is the dialer's Control function: it sees the address a socket
// is about to connect to, whatever DNS answered and wherever a redirect
// pointed, and refuses it when it is not public.
func (f *Fetcher) checkDial(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		// The dialer passes resolved addresses only; refuse anything else
		// rather than guess.
		return fmt.Errorf("refused to connect to %s: not an IP address and port", address)
	}
	if f.publicForTest != nil && f.publicForTest(ap) {
		return nil
	}
	if why := nonPublic(ap.Addr()); why != "" {
		return &PrivateAddressError{Addr: ap.Addr(), Reason: why}
	}
	return nil
}

// proxy is the transport's Proxy function. Through a proxy, the address
// dialled is the proxy's, which the user chose and which may well be on a
// private network; the destination is the proxy's to connect to. So the
// URL's host is checked here instead, before the request is sent: an IP
// address as it is, a name by resolving it and refusing it when any of its
// addresses is not public. The proxy may resolve the name differently (its
// own resolver, a later answer), so a proxy that must never reach internal
// hosts should refuse them itself. A name that cannot be resolved here is
// refused too, as it cannot be checked.
func (f *Fetcher) proxy(req *http.Request) (*url.URL, error) {
	proxyURL, err := f.proxyFor(req.URL)
	if err != nil || f.opts.AllowPrivateNetworks {
		return proxyURL, err
	}
	// A direct request to the proxy's own address would pass the dialer
	// unchecked: it is checked here like a proxied one.
	if proxyURL == nil && !f.proxyAddrs[dialAddr(req.URL)] {
		return nil, nil // a direct connection, checked by checkDial
	}
	if err := f.checkHost(req.Context(), req.URL.Hostname()); err != nil {
		return nil, err
	}
	return proxyURL, nil
}

// checkHost refuses host when it is, or resolves to, an address that is
// not public.
func (f *Fetcher) checkHost(ctx context.Context, host string) error {
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := nonPublic(ip); why != "" {
			return &PrivateAddressError{Addr: ip, Reason: why}
		}
		return nil
	}
	addrs, err := f.lookup(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = errors.New("no addresses")
	}
	if err != nil {
		return &PrivateAddressError{Host: host, Err: err}
	}
	for _, ip := range addrs {
		if why := nonPublic(ip); why != "" {
			return &PrivateAddressError{Host: host, Addr: ip, Reason: why}
		}
	}
	return nil
}

// proxyDialAddrs returns the addresses the transport dials to reach the
// proxies of cfg, as dialAddr writes them. It asks cfg's own ProxyFunc, for
// a URL of each scheme that no NO_PROXY entry can exempt, so that the
// proxy URLs are parsed exactly as for the requests.
func proxyDialAddrs(cfg httpproxy.Config) map[string]bool {
	cfg.NoProxy, cfg.CGI = "", false
	proxyFor := cfg.ProxyFunc()
	addrs := make(map[string]bool)
	for _, scheme := range []string{"http", "https"} {
		if u, err := proxyFor(&url.URL{Scheme: scheme, Host: "example.com"}); err == nil && u != nil {
			addrs[dialAddr(u)] = true
		}
	}
	return addrs
}

// dialAddr returns the lowercased host:port that net/http dials for u. A
// proxy named by a non-ASCII host name does not match the punycode name
// net/http dials, so it is checked like any destination: refusing a
// private proxy is the safe side of that mismatch.
func dialAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		case "socks5", "socks5h":
			port = "1080"
		}
	}
	return strings.ToLower(net.JoinHostPort(u.Hostname(), port))
}

// addrBlock is a block of addresses and what an error calls one of them.
type addrBlock struct {
	prefix netip.Prefix
	what   string
}

// nonPublicV4 are the IPv4 blocks that are not on the public internet,
// most specific first: those of the IANA IPv4 Special-Purpose Address
// Registry that are not globally reachable, multicast and the rest of
// 240.0.0.0/4.
var nonPublicV4 = []addrBlock{
	{netip.MustParsePrefix("0.0.0.0/32"), "an unspecified address"},
	{netip.MustParsePrefix("0.0.0.0/8"), `a "this network" address`},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
	{netip.MustParsePrefix("169.254.169.254/32"), "the link-local address of cloud instance metadata"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("255.255.255.255/32"), "the broadcast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
}

// nonPublicV6 names the IPv6 blocks that are not public. Anything outside
// the global unicast block 2000::/3 is refused as well, except NAT64
// addresses of public IPv4 ones; these are the blocks worth a clearer name,
// and those inside 2000::/3.
var nonPublicV6 = []addrBlock{
	{netip.MustParsePrefix("::/128"), "an unspecified address"},
	{netip.MustParsePrefix("::1/128"), "a loopback address"},
	{netip.MustParsePrefix("100::/64"), "a discard-only address"},
	{netip.MustParsePrefix("2001:2::/48"), "a benchmarking address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
	{netip.MustParsePrefix("3fff::/20"), "a documentation address"},
	{netip.MustParsePrefix("fc00::/7"), "a private address"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address"},
}

var (
	globalUnicastV6 = netip.MustParsePrefix("2000::/3")
	// nat64 holds IPv4 addresses in its last 32 bits (RFC 6052); DNS64
	// answers with them on IPv6-only networks, for every IPv4-only site.
	nat64 = netip.MustParsePrefix("64:ff9b::/96")
	// sixToFour holds an IPv4 address in bits 16 to 48 (RFC 3056).
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// nonPublic returns what makes ip an address incidex does not connect to
// by default, such as "a loopback address", or "" when ip is public. IPv4
// addresses embedded in IPv6 ones (IPv4-mapped, NAT64, 6to4) are judged by
// the IPv4 address. A network-specific NAT64 prefix inside 2000::/3 cannot
// be told from a public address, and passes.
func nonPublic(ip netip.Addr) string {
	ip = ip.WithZone("")
	switch {
	case ip.Is4():
		return blockOf(nonPublicV4, ip)
	case ip.Is4In6():
		return embedded(ip.Unmap(), "IPv4-mapped")
	}
	if what := blockOf(nonPublicV6, ip); what != "" {
		return what
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return embedded(netip.AddrFrom4([4]byte(b[12:16])), "NAT64")
	case sixToFour.Contains(ip):
		return embedded(netip.AddrFrom4([4]byte(b[2:6])), "6to4")
	case !globalUnicastV6.Contains(ip):
		return "a reserved address"
	}
	return ""
}

func blockOf(blocks []addrBlock, ip netip.Addr) string {
	for _, b := range blocks {
		if b.prefix.Contains(ip) {
			return b.what
		}
	}
	return ""
}

// embedded judges an IPv6 address by the IPv4 address v4 it holds in the
// given form, and names v4: "IPv4-mapped 127.0.0.1, a loopback address".
func embedded(v4 netip.Addr, form string) string {
	if what := nonPublic(v4); what != "" {
		return form + " " + v4.String() + ", " + what
	}
	return ""
}
