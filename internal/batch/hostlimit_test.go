package batch

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clockStart is the time a fakeClock starts at.
var clockStart = time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)

// fakeClock is a Clock that moves only when a wait fires. With auto set, a
// wait fires as soon as it is asked for and moves the clock to its end;
// otherwise it fires when advance moves the clock past its end. Every wait
// is recorded by the time it ends and announced on asked.
type fakeClock struct {
	auto  bool
	asked chan struct{} // receives once per wait asked for

	mu      sync.Mutex
	now     time.Time
	ends    []time.Time // the end of every wait asked for, in the order asked
	pending []fakeTimer // waits not fired yet
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock(auto bool) *fakeClock {
	return &fakeClock{auto: auto, asked: make(chan struct{}, 64), now: clockStart}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	at := c.now.Add(d)
	c.ends = append(c.ends, at)
	ch := make(chan time.Time, 1)
	if c.auto {
		c.now = at
		ch <- at
	} else {
		c.pending = append(c.pending, fakeTimer{at: at, c: ch})
	}
	select {
	case c.asked <- struct{}{}:
	default: // a test that asks for more announcements than fit fails on its guard
	}
	return ch
}

// advance moves the clock on by d and fires the waits that end by then.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.pending = slices.DeleteFunc(c.pending, func(tm fakeTimer) bool {
		if tm.at.After(c.now) {
			return false
		}
		tm.c <- tm.at
		return true
	})
}

// waitEnds returns the end of every wait asked for so far.
func (c *fakeClock) waitEnds() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.ends)
}

// acquired is what a call to Acquire returned.
type acquired struct {
	release func()
	err     error
}

// acquireAsync calls Acquire on its own goroutine; the channel receives
// what it returned.
func acquireAsync(ctx context.Context, l *HostLimiter, host string) <-chan acquired {
	got := make(chan acquired, 1)
	go func() {
		release, err := l.Acquire(ctx, host)
		got <- acquired{release: release, err: err}
	}()
	return got
}

// acquireNow calls Acquire and fails the test if it waits: used where no
// wait is allowed, so that a limiter that waits fails instead of hanging.
func acquireNow(t *testing.T, ctx context.Context, l *HostLimiter, host string) acquired {
	t.Helper()
	var a acquired
	await(t, acquireAsync(ctx, l, host), &a, "Acquire("+host+") waited where it must not")
	return a
}

func TestHostLimiterPerHost(t *testing.T) {
	tests := []struct {
		name    string
		perHost int
	}{
		{name: "one at a time", perHost: 1},
		{name: "two at a time", perHost: 2},
		{name: "three at a time", perHost: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l := NewHostLimiter(tt.perHost, 0, newFakeClock(true))
			var held []func()
			for i := range tt.perHost {
				a := acquireNow(t, ctx, l, "news.example")
				if a.err != nil {
					t.Fatalf("request %d of %d: %v", i+1, tt.perHost, a.err)
				}
				held = append(held, a.release)
			}

			// The host is full, so a cancelled context is the only way out
			// of Acquire; with a free slot the choice would be random.
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := l.Acquire(cancelled, "news.example"); !errors.Is(err, context.Canceled) {
				t.Errorf("request %d to a full host: err = %v, want context.Canceled", tt.perHost+1, err)
			}

			if a := acquireNow(t, ctx, l, "other.example"); a.err != nil {
				t.Errorf("another host: %v", a.err)
			} else {
				a.release()
			}

			var given atomic.Bool
			waiter := acquireAsync(ctx, l, "news.example")
			given.Store(true)
			held[0]()
			var a acquired
			await(t, waiter, &a, "a request to a full host did not get the slot given back")
			if a.err != nil {
				t.Fatalf("waiter: %v", a.err)
			}
			if !given.Load() {
				t.Errorf("a request got a slot before one was given back")
			}
			a.release()
			for _, release := range held[1:] {
				release()
			}
		})
	}
}

func TestHostLimiterDelay(t *testing.T) {
	const d = 3 * time.Second
	tests := []struct {
		name      string
		delay     time.Duration
		held      int             // requests held at once in each round
		rounds    int             // rounds of held requests, each released before the next
		idle      time.Duration   // the clock moves this much between rounds
		wantStart []time.Duration // from clockStart, in the order of the requests
		wantWaits []time.Duration // the ends of the waits asked of the clock
	}{
		{
			name: "one at a time", delay: d, held: 1, rounds: 4,
			wantStart: []time.Duration{0, d, 2 * d, 3 * d}, wantWaits: []time.Duration{d, 2 * d, 3 * d},
		},
		{
			name: "two held at once", delay: d, held: 2, rounds: 2,
			wantStart: []time.Duration{0, d, 2 * d, 3 * d}, wantWaits: []time.Duration{d, 2 * d, 3 * d},
		},
		{
			name: "idle for longer than the delay", delay: d, held: 1, rounds: 3, idle: 5 * d,
			wantStart: []time.Duration{0, 5 * d, 10 * d},
		},
		{
			name: "idle for less than the delay", delay: d, held: 1, rounds: 3, idle: d / 3,
			wantStart: []time.Duration{0, d, 2 * d}, wantWaits: []time.Duration{d, 2 * d},
		},
		{
			name: "no delay", delay: 0, held: 2, rounds: 2,
			wantStart: []time.Duration{0, 0, 0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := newFakeClock(true)
			l := NewHostLimiter(2, tt.delay, clock)
			var starts []time.Duration
			for round := range tt.rounds {
				if round > 0 {
					clock.advance(tt.idle)
				}
				var held []func()
				for range tt.held {
					a := acquireNow(t, ctx, l, "news.example")
					if a.err != nil {
						t.Fatal(a.err)
					}
					starts = append(starts, clock.Now().Sub(clockStart))
					held = append(held, a.release)
				}
				for _, release := range held {
					release()
				}
			}
			if !slices.Equal(starts, tt.wantStart) {
				t.Errorf("requests started at %v, want %v", starts, tt.wantStart)
			}
			var waits []time.Duration
			for _, end := range clock.waitEnds() {
				waits = append(waits, end.Sub(clockStart))
			}
			if !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("waits asked of the clock ended at %v, want %v", waits, tt.wantWaits)
			}
		})
	}
}

func TestHostLimiterCancel(t *testing.T) {
	ctx := context.Background()

	t.Run("while waiting for a slot", func(t *testing.T) {
		clock := newFakeClock(false)
		l := NewHostLimiter(1, 0, clock)
		busy := acquireNow(t, ctx, l, "news.example")
		if busy.err != nil {
			t.Fatal(busy.err)
		}
		wctx, cancel := context.WithCancel(ctx)
		waiter := acquireAsync(wctx, l, "news.example")
		cancel()
		var a acquired
		await(t, waiter, &a, "a cancelled wait for a slot did not return")
		if !errors.Is(a.err, context.Canceled) || a.release != nil {
			t.Errorf("Acquire = (release %v, %v), want (nil, context.Canceled)", a.release != nil, a.err)
		}
		if ends := clock.waitEnds(); len(ends) != 0 {
			t.Errorf("the clock was asked for waits ending at %v; a request without a slot must not wait for its turn", ends)
		}
		busy.release()
		// The cancelled request took no slot with it.
		if a := acquireNow(t, ctx, l, "news.example"); a.err != nil {
			t.Errorf("after the cancelled request: %v", a.err)
		} else {
			a.release()
		}
	})

	t.Run("while waiting for the delay", func(t *testing.T) {
		clock := newFakeClock(false)
		l := NewHostLimiter(1, time.Hour, clock)
		first := acquireNow(t, ctx, l, "news.example")
		if first.err != nil {
			t.Fatal(first.err)
		}
		first.release()

		wctx, cancel := context.WithCancel(ctx)
		waiter := acquireAsync(wctx, l, "news.example")
		// The limiter asks the clock for the wait once it holds the slot.
		await(t, clock.asked, nil, "the second request never waited for the delay")
		cancel()
		var a acquired
		await(t, waiter, &a, "a cancelled wait for the delay did not return")
		if !errors.Is(a.err, context.Canceled) || a.release != nil {
			t.Errorf("Acquire = (release %v, %v), want (nil, context.Canceled)", a.release != nil, a.err)
		}

		// The slot was given back: the next request gets it and waits for
		// its turn, which comes when the clock reaches it.
		next := acquireAsync(ctx, l, "news.example")
		await(t, clock.asked, nil, "the slot of the cancelled request was not given back")
		clock.advance(2 * time.Hour)
		await(t, next, &a, "the next request did not start once the delay had passed")
		if a.err != nil {
			t.Fatal(a.err)
		}
		a.release()
	})

	t.Run("other hosts do not wait", func(t *testing.T) {
		clock := newFakeClock(false)
		l := NewHostLimiter(1, time.Hour, clock)
		first := acquireNow(t, ctx, l, "news.example")
		if first.err != nil {
			t.Fatal(first.err)
		}
		first.release()
		waiter := acquireAsync(ctx, l, "news.example")
		await(t, clock.asked, nil, "the second request never waited for the delay")

		// news.example has a request waiting for its turn; other.example
		// has none of its own and starts at once.
		if a := acquireNow(t, ctx, l, "other.example"); a.err != nil {
			t.Errorf("other.example: %v", a.err)
		} else {
			a.release()
		}
		if ends := clock.waitEnds(); len(ends) != 1 {
			t.Errorf("waits ending at %v; want only news.example's", ends)
		}
		clock.advance(time.Hour)
		var a acquired
		await(t, waiter, &a, "news.example's request did not start once the delay had passed")
		if a.err != nil {
			t.Fatal(a.err)
		}
		a.release()
	})
}

func TestHostKey(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		{name: "host", url: "https://news.example/a", want: "news.example"},
		{name: "case folded", url: "https://News.EXAMPLE/a", want: "news.example"},
		{name: "port kept", url: "http://news.example:8080/a", want: "news.example:8080"},
		{name: "not a url", url: "://bad", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hostKey(tt.url); got != tt.want {
				t.Errorf("hostKey(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}
