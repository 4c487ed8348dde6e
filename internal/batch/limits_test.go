package batch

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/source"
)

func TestWithinReturnsAtTheDeadline(t *testing.T) {
	finished := make(chan struct{})
	unblock := make(chan struct{})
	start := time.Now()
	_, err := Within(context.Background(), 50*time.Millisecond, 0, func(context.Context) (int, error) {
		defer close(finished)
		<-unblock // work that ignores its context, as an extraction does
		return 1, nil
	})
	if !errors.Is(err, source.ErrTimeout) || !strings.Contains(err.Error(), "after 50ms") {
		t.Fatalf("got %v, want a timeout after 50ms", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("returned after %s, want soon after the deadline", waited)
	}
	close(unblock)
	<-finished // the abandoned work still ends, and nothing blocks it
}

func TestWithinPassesResultsAndPanics(t *testing.T) {
	v, err := Within(context.Background(), time.Minute, 0, func(context.Context) (string, error) { return "ok", nil })
	if v != "ok" || err != nil {
		t.Errorf("got %q, %v", v, err)
	}
	_, err = Within(context.Background(), time.Minute, 0, func(context.Context) (string, error) { panic("boom\nat line 2") })
	if err == nil || err.Error() != "internal error: boom at line 2" {
		t.Errorf("got %v, want the panic as an internal error on one line", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Within(ctx, time.Minute, 0, func(ctx context.Context) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("an interrupted batch reported %v, want the interruption", err)
	}
}

func TestBudget(t *testing.T) {
	b := NewBudget(100)
	ctx := context.Background()
	var held atomic.Int64
	release, err := b.Acquire(ctx, 60)
	if err != nil {
		t.Fatal(err)
	}
	held.Add(60)
	// 60 + 50 > 100: the second waits for the first.
	got, trying := make(chan struct{}), make(chan struct{})
	go func() {
		close(trying)
		r, err := b.Acquire(ctx, 50)
		if err != nil {
			t.Error(err)
			return
		}
		if h := held.Load(); h != 0 {
			t.Errorf("the second page started while %d bytes were held", h)
		}
		r()
		close(got)
	}()
	<-trying
	runtime.Gosched() // let it reach Acquire: if it got through, held says so
	held.Add(-60)
	release()
	<-got

	// A page larger than the budget takes all of it, and runs.
	r, err := b.Acquire(ctx, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := b.Acquire(short, 1); err == nil {
		t.Error("a page fitted beside one that holds the whole budget")
	}
	r()
}

// A result that is ready is never lost to the end of the work's own
// context (an earlier Within cancelled it as fn returned, and the select
// could pick the cancellation).
func TestWithinNeverLosesAFinishedResult(t *testing.T) {
	for i := range 20000 {
		v, err := Within(context.Background(), time.Minute, 0, func(context.Context) (int, error) { return i, nil })
		if err != nil || v != i {
			t.Fatalf("call %d: got %d, %v", i, v, err)
		}
	}
}
