package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/incidex/incidex/extract"
)

// batch reads many inputs with a pool of workers and writes one record per
// input. Inputs flow from the walker through the workers to a single writer;
// a window of slots bounds how many are in flight at once (being read, or
// finished and waiting for an earlier input to be written), so memory stays
// flat however large the batch: when the window is full the walk waits.
type batch struct {
	walker   *inputWalker
	loader   *pageLoader
	convert  func(*extract.Article) any
	enc      recordEncoder
	out      *recordWriter
	jobs     int                 // workers
	ordered  bool                // write in input order, not as finished
	quiet    bool                // no per-input error lines on stderr
	done     map[string]struct{} // inputs recorded by an earlier run (--resume)
	progress *progress
}

// batchStats counts what a batch did.
type batchStats struct {
	ok, failed int // inputs written in this run
	skipped    int // inputs already recorded (--resume)
}

// job is one input on its way to a worker; seq is its place in input order.
type job struct {
	seq int
	in  input
}

// outcome is a worker's answer for one job: the record to write and, for a
// failed input, why. A dropped outcome was cut short by an interruption and
// is never written.
type outcome struct {
	seq     int
	arg     string
	rec     []byte
	err     error
	dropped bool
}

// reorderWindow is the number of inputs that may be in flight at once. It
// is large enough that a slow input does not idle the workers at once, and
// small enough that the finished records waiting behind it stay a few MB.
func reorderWindow(jobs int) int { return max(64, 16*jobs) }

// run processes every input and returns the counts, errInterrupted when ctx
// was cancelled (after writing every finished record that can be written:
// in order mode, those before the first unfinished input), or the error
// that stopped the output.
func (b *batch) run(parent context.Context) (batchStats, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	window := make(chan struct{}, reorderWindow(b.jobs))
	jobs := make(chan job, b.jobs) // a little ahead of the workers
	// A result is sent only for a job holding a window slot, so sends never
	// block: the workers cannot stall behind the writer.
	results := make(chan outcome, cap(window))
	produced := make(chan int, 1)
	var skipped atomic.Int64

	go func() {
		n := 0
		b.walker.walk(ctx, func(in input) bool {
			if _, ok := b.done[in.arg]; ok {
				skipped.Add(1)
				return true
			}
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- job{seq: n, in: in}:
				n++
				return true
			case <-ctx.Done():
				return false
			}
		})
		close(jobs)
		produced <- n
	}()
	for range b.jobs {
		go func() {
			for j := range jobs {
				results <- b.process(ctx, j)
			}
		}()
	}
	counted := b.countInputs(ctx)

	var (
		stats   batchStats
		pending = make(map[int]outcome) // finished, waiting for an earlier input
		next    int                     // in order mode, the next seq to write
		handled int                     // outcomes received
		total   = -1                    // inputs produced, once the walk is over
	)
	write := func(o outcome) error {
		<-window
		if o.err != nil {
			stats.failed++
			if !b.quiet {
				b.progress.println(fmt.Sprintf("incidex: %s: %v", displayArg(o.arg), o.err))
			}
		} else {
			stats.ok++
		}
		if err := b.out.write(o.rec); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	accept := func(o outcome) error {
		handled++
		if o.dropped {
			// Never filled: in order mode nothing after it is written.
			return nil
		}
		b.progress.add(o.err != nil)
		if !b.ordered {
			return write(o)
		}
		pending[o.seq] = o
		for {
			p, ok := pending[next]
			if !ok {
				return nil
			}
			delete(pending, next)
			next++
			if err := write(p); err != nil {
				return err
			}
		}
	}

	interrupted := false
loop:
	for total < 0 || handled < total {
		select {
		case o := <-results:
			if err := accept(o); err != nil {
				return stats, err
			}
		case n := <-produced:
			total = n
			b.progress.setTotal(n)
		case n := <-counted:
			if total < 0 { // the walk's own count is exact
				b.progress.setTotal(n)
			}
		case <-ctx.Done():
			interrupted = true
			break loop
		}
	}
	if interrupted {
		// Write what finished before the interruption; in-flight inputs
		// are dropped (their workers return at once).
	drain:
		for {
			select {
			case o := <-results:
				if err := accept(o); err != nil {
					return stats, err
				}
			default:
				break drain
			}
		}
	}
	stats.skipped = int(skipped.Load())
	if parent.Err() != nil {
		b.progress.finish(stats, true)
		return stats, errInterrupted
	}
	b.progress.finish(stats, false)
	return stats, nil
}

// process reads, extracts and encodes one input.
func (b *batch) process(ctx context.Context, j job) outcome {
	o := outcome{seq: j.seq, arg: j.in.arg}
	if ctx.Err() != nil {
		o.dropped = true
		return o
	}
	rec, err := readOne(ctx, b.loader, j.in, b.convert, b.enc)
	if err != nil {
		if ctx.Err() != nil {
			// The failure is the cancellation, not the input's fault.
			o.dropped = true
			return o
		}
		o.err = withoutPath(err, j.in.arg)
		o.rec = b.enc.encodeError(j.in.arg, o.err)
		return o
	}
	o.rec = rec
	return o
}

// countInputs counts the batch's inputs in the background for the progress
// bar, walking directories and URL lists a second time by name only. The
// channel receives the count, or nothing when the inputs cannot be counted
// ahead (stdin streams, web archives) or no bar is drawn.
func (b *batch) countInputs(ctx context.Context) <-chan int {
	counted := make(chan int, 1)
	if !b.progress.drawing() {
		return counted
	}
	cw := *b.walker
	cw.countOnly, cw.unknown = true, false
	go func() {
		n := 0
		complete := cw.walk(ctx, func(in input) bool {
			if _, ok := b.done[in.arg]; !ok {
				n++
			}
			return true
		})
		if complete && !cw.unknown {
			counted <- n
		}
	}()
	return counted
}
