package batch

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"
)

// MaxRequestsPerHost is how many requests incidex sends to one host at a
// time, whatever -j says: a batch of URLs from one news site must not look
// like an attack on it.
const MaxRequestsPerHost = 2

// DefaultHostDelay is the default of --host-delay: with it a batch sends at
// most one request a second to each host, the pace that crawlers commonly
// use when a site states no Crawl-delay.
const DefaultHostDelay = time.Second

// Clock is the time a HostLimiter keeps: the real clock, or a test's. The
// limiter calls it while holding its own lock, so neither method may block.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// systemClock is the real time.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// HostLimiter keeps URL fetching polite: at most perHost requests to one
// host at once, and at least delay between the starts of two requests to the
// same host. It is safe for concurrent use.
type HostLimiter struct {
	perHost int
	delay   time.Duration
	clock   Clock

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

// NewHostLimiter returns a limiter of perHost requests at once and delay
// between starts to each host, keeping time by clock (nil: the real clock).
func NewHostLimiter(perHost int, delay time.Duration, clock Clock) *HostLimiter {
	if clock == nil {
		clock = systemClock{}
	}
	return &HostLimiter{perHost: perHost, delay: delay, clock: clock, hosts: make(map[string]*hostState)}
}

// Acquire waits for host's turn: a free slot, then the delay since the
// previous start. It returns the function that gives the slot back, or
// ctx's error when ctx ends first.
func (l *HostLimiter) Acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	h := l.hosts[host]
	if h == nil {
		if len(l.hosts) >= sweepAbove {
			l.sweepLocked(l.clock.Now())
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
	// second request in flight starts delay after the first. The timer is
	// set under the lock too, so that the clock is read and set in one
	// step: a test's clock that moves only when its timers fire then keeps
	// exact time however many requests race.
	l.mu.Lock()
	now := l.clock.Now()
	start := now
	if h.next.After(start) {
		start = h.next
	}
	h.next = start.Add(l.delay)
	var turn <-chan time.Time // nil: start at once
	if wait := start.Sub(now); wait > 0 {
		turn = l.clock.After(wait)
	}
	l.mu.Unlock()

	release = func() {
		<-h.slots
		l.leave(host, h)
	}
	if turn != nil {
		select {
		case <-turn:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

// leave drops a caller of host, forgetting the host when nobody uses it and
// its delay has passed.
func (l *HostLimiter) leave(host string, h *hostState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h.users--
	if h.users == 0 && !l.clock.Now().Before(h.next) {
		delete(l.hosts, host)
	}
}

// sweepLocked forgets idle hosts whose delay has passed.
func (l *HostLimiter) sweepLocked(now time.Time) {
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
