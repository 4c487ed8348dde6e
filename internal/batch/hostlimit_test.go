package batch

import (
	"context"
	"testing"
	"time"
)

func TestHostLimiterCancel(t *testing.T) {
	l := NewHostLimiter(1, time.Hour, nil)
	release, err := l.Acquire(context.Background(), "news.example")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := l.Acquire(ctx, "news.example"); err == nil {
		t.Fatal("a second request to a busy host got a slot")
	}
	release()
	// The slot is free, but the next start is an hour away.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := l.Acquire(ctx2, "news.example"); err == nil {
		t.Fatal("the host delay was not honoured")
	}
	if r, err := l.Acquire(context.Background(), "other.example"); err != nil {
		t.Fatalf("another host must not wait: %v", err)
	} else {
		r()
	}
}
