package main

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxRequestsPerHost is how many requests incidex sends to one host at a
// time, whatever -j says: a batch of URLs from one news site must not look
// like an attack on it.
const maxRequestsPerHost = 2

// defaultHostDelay is the default of --host-delay: with it a batch sends at
// most one request a second to each host, the pace that crawlers commonly
// use when a site states no Crawl-delay.
const defaultHostDelay = time.Second

// hostLimiter keeps URL fetching polite: at most perHost requests to one
// host at once, and at least delay between the starts of two requests to the
// same host. It is safe for concurrent use.
type hostLimiter struct {
	perHost int
	delay   time.Duration

	mu    sync.Mutex
	hosts map[string]*hostState
}

// hostState is one host's turn-taking.
type hostState struct {
	slots chan struct{} // one token per request in flight
	next  time.Time     // the earliest start of the next request
	users int           // callers holding or waiting for a slot
}

// sweepAbove is the number of remembered hosts beyond which idle ones are
// forgotten, so that a list of a million distinct hosts keeps memory flat.
const sweepAbove = 1024

func newHostLimiter(perHost int, delay time.Duration) *hostLimiter {
	return &hostLimiter{perHost: perHost, delay: delay, hosts: make(map[string]*hostState)}
}

// acquire waits for host's turn: a free slot, then the delay since the
// previous start. It returns the function that gives the slot back, or
// ctx's error when ctx ends first.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	h := l.hosts[host]
	if h == nil {
		if len(l.hosts) >= sweepAbove {
			l.sweepLocked(time.Now())
		}
		h = &hostState{slots: make(chan struct{}, l.perHost)}
		l.hosts[host] = h
	}
	h.users++
	l.mu.Unlock()

	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		l.leave(host, h)
		return nil, ctx.Err()
	}
	// Reserve a start time under the lock, then wait for it outside: the
	// second request in flight starts delay after the first.
	l.mu.Lock()
	start := time.Now()
	if h.next.After(start) {
		start = h.next
	}
	h.next = start.Add(l.delay)
	l.mu.Unlock()

	release = func() {
		<-h.slots
		l.leave(host, h)
	}
	if wait := time.Until(start); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

// leave drops a caller of host, forgetting the host when nobody uses it and
// its delay has passed.
func (l *hostLimiter) leave(host string, h *hostState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h.users--
	if h.users == 0 && !time.Now().Before(h.next) {
		delete(l.hosts, host)
	}
}

// sweepLocked forgets idle hosts whose delay has passed.
func (l *hostLimiter) sweepLocked(now time.Time) {
	for host, h := range l.hosts {
		if h.users == 0 && !now.Before(h.next) {
			delete(l.hosts, host)
		}
	}
}

// hostKey is the politeness key of a URL: its host and port, lowercased.
// Redirects to another host are not limited separately.
func hostKey(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
