package batch

import (
	"context"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/incidex/incidex/extract/source"
)

// MemoryBudget is the most bytes of HTML that are parsed and extracted at
// once by a batch's workers, whatever --jobs says. Reading a page costs
// about 80 times its size at the peak (a page of a million elements: 8 MB
// of HTML, 650 MB resident), so 16 MiB in flight keeps a batch of large
// pages near 1.5 GB.
const MemoryBudget = 16 << 20

// Budget shares a memory budget between the pages processed at once: each
// holds a part the size of its HTML while it is parsed and extracted. A
// page larger than the whole budget holds all of it, and so runs alone.
// Small pages are not slowed: at 16 MiB, eighty 200 KB pages fit.
type Budget struct {
	sem *semaphore.Weighted
	max int64
}

// NewBudget returns a budget of max bytes (MemoryBudget when max <= 0).
func NewBudget(max int64) *Budget {
	if max <= 0 {
		max = MemoryBudget
	}
	return &Budget{sem: semaphore.NewWeighted(max), max: max}
}

// Acquire waits until a page of size bytes fits in the budget, or ctx
// ends. The caller calls release when the page's memory is free again.
func (b *Budget) Acquire(ctx context.Context, size int64) (release func(), err error) {
	w := min(max(size, 1), b.max)
	if err := b.sem.Acquire(ctx, w); err != nil {
		return nil, err
	}
	return func() { b.sem.Release(w) }, nil
}

// Within runs fn with a context that ends when the time limit, of which
// spent was used already, runs out, and returns fn's result or, when the
// time runs out first, at once an error wrapping source.ErrTimeout that
// names the limit. Downloads and extractions stop soon after the context
// ends; a file read cannot, so fn then goes on in the background until it
// returns (its result is dropped), and what it holds from a Budget stays
// held until then, so that memory stays bounded while the batch moves on.
func Within[T any](ctx context.Context, limit, spent time.Duration, fn func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, max(limit-spent, time.Millisecond))
	// Cancelled when Within returns, not when fn does: a context ended by
	// fn's own return would race its result in the select below.
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned fn does not block
	go func() {
		var r result
		defer func() {
			// This goroutine is not the worker's: a panic must end here
			// as that input's failure, as Run makes it on a worker.
			if v := recover(); v != nil {
				r.err = panicError(v)
			}
			done <- r
		}()
		r.v, r.err = fn(ctx)
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		select {
		case r := <-done: // finished as the time ran out: keep it
			return r.v, r.err
		default:
		}
		var zero T
		if parent := context.Cause(ctx); parent != context.DeadlineExceeded {
			return zero, parent // the batch was interrupted
		}
		return zero, source.TimedOut(limit)
	}
}
