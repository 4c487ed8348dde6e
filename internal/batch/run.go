package batch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync/atomic"
)

// Config describes a batch: where its inputs come from, what is done with
// each, and where the outcomes go. T is what processing one input yields
// (an encoded record, a scored record).
type Config[T any] struct {
	// Inputs calls emit for every input in order until emit returns false
	// or the inputs run out, and reports whether it ran to the end.
	// Walker.Walk is one.
	Inputs func(ctx context.Context, emit func(Input) bool) bool
	// Count, when set, counts the inputs ahead for the progress bar (see
	// Walker.Count); ok is false when they cannot be counted that way.
	Count func(ctx context.Context, skip func(name string) bool) (n int, ok bool)
	// Process reads and handles one input. It runs on a worker; a panic in
	// it fails that input alone, as "internal error: <value>".
	Process func(ctx context.Context, in Input) (T, error)
	// Deliver receives each finished input's outcome: in input order when
	// Ordered, else as they finish. It runs on one goroutine; an error
	// from it stops the batch.
	Deliver func(Outcome[T]) error

	Jobs    int                 // workers; at least 1
	Ordered bool                // deliver in input order, not as finished
	Done    map[string]struct{} // inputs to skip, by name: recorded by an earlier run
	// Progress, when set, is told of every finished input and of the
	// total once it is known.
	Progress Progress
}

// Progress follows a batch as it runs.
type Progress interface {
	// Counting reports whether the total is wanted (a bar is drawn), which
	// makes the batch count its inputs ahead.
	Counting() bool
	SetTotal(n int)
	Add(failed bool)
}

// Outcome is what became of one input: a value, or why it failed.
type Outcome[T any] struct {
	Seq   int    // the input's place in input order, from 0
	Input string // the input's name
	Value T
	Err   error
}

// Stats counts what a batch did.
type Stats struct {
	OK, Failed int // inputs delivered in this run
	Skipped    int // inputs in Config.Done
}

// Window is the number of inputs that may be in flight at once. It
// is large enough that a slow input does not idle the workers at once, and
// small enough that the finished records waiting behind it stay a few MB.
func Window(jobs int) int { return max(64, 16*jobs) }

// job is one input on its way to a worker; seq is its place in input order.
type job struct {
	seq int
	in  Input
}

// result is a worker's answer for one job. A dropped result was cut short
// by an interruption and is never delivered.
type result[T any] struct {
	Outcome[T]
	dropped bool
}

// Run processes every input with a pool of workers and delivers one
// outcome per input. Inputs flow from Config.Inputs through the workers to
// Deliver; a window of slots bounds how many are in flight at once (being
// processed, or finished and waiting for an earlier input to be
// delivered), so memory stays flat however large the batch: when the
// window is full the walk waits.
//
// When ctx is cancelled Run stops reading inputs, drops the inputs in
// flight (their workers are not waited for), delivers every finished
// outcome that can be delivered (in order mode, those before the first
// unfinished input) and returns the counts with ctx's error. An error from
// Deliver ends the batch with that error.
func Run[T any](ctx context.Context, cfg Config[T]) (Stats, error) {
	parent := ctx
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	jobsN := max(1, cfg.Jobs)

	window := make(chan struct{}, Window(jobsN))
	jobs := make(chan job, jobsN) // a little ahead of the workers
	// A result is sent only for a job holding a window slot, so sends never
	// block: the workers cannot stall behind the deliverer.
	results := make(chan result[T], cap(window))
	produced := make(chan int, 1)
	var skipped atomic.Int64

	go func() {
		n := 0
		cfg.Inputs(ctx, func(in Input) bool {
			if _, ok := cfg.Done[in.Name]; ok {
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
	for range jobsN {
		go func() {
			for j := range jobs {
				results <- process(ctx, cfg.Process, j)
			}
		}()
	}
	counted := countAhead(ctx, cfg)

	var (
		stats   Stats
		pending = make(map[int]Outcome[T]) // finished, waiting for an earlier input
		next    int                        // in order mode, the next seq to deliver
		handled int                        // results received
		total   = -1                       // inputs produced, once the walk is over
	)
	deliver := func(o Outcome[T]) error {
		<-window
		if o.Err != nil {
			stats.Failed++
		} else {
			stats.OK++
		}
		return cfg.Deliver(o)
	}
	accept := func(r result[T]) error {
		handled++
		if r.dropped {
			// Never filled: in order mode nothing after it is delivered.
			return nil
		}
		if cfg.Progress != nil {
			cfg.Progress.Add(r.Err != nil)
		}
		if !cfg.Ordered {
			return deliver(r.Outcome)
		}
		pending[r.Seq] = r.Outcome
		for {
			o, ok := pending[next]
			if !ok {
				return nil
			}
			delete(pending, next)
			next++
			if err := deliver(o); err != nil {
				return err
			}
		}
	}

	interrupted := false
loop:
	for total < 0 || handled < total {
		select {
		case r := <-results:
			if err := accept(r); err != nil {
				return stats, err
			}
		case n := <-produced:
			total = n
			if cfg.Progress != nil {
				cfg.Progress.SetTotal(n)
			}
		case n := <-counted:
			if total < 0 && cfg.Progress != nil { // the walk's own count is exact
				cfg.Progress.SetTotal(n)
			}
		case <-ctx.Done():
			interrupted = true
			break loop
		}
	}
	if interrupted {
		// Deliver what finished before the interruption; in-flight inputs
		// are dropped (their workers return at once).
	drain:
		for {
			select {
			case r := <-results:
				if err := accept(r); err != nil {
					return stats, err
				}
			default:
				break drain
			}
		}
	}
	stats.Skipped = int(skipped.Load())
	return stats, parent.Err()
}

// process runs one job, turning a panic into the input's failure and a
// failure caused by the interruption into a dropped result.
func process[T any](ctx context.Context, fn func(context.Context, Input) (T, error), j job) (r result[T]) {
	r.Seq, r.Input = j.seq, j.in.Name
	if ctx.Err() != nil {
		r.dropped = true
		return r
	}
	defer func() {
		if v := recover(); v != nil {
			var zero T
			r.Value, r.Err = zero, panicError(v)
		}
	}()
	v, err := fn(ctx, j.in)
	if err != nil {
		if ctx.Err() != nil {
			// The failure is the cancellation, not the input's fault.
			r.dropped = true
			return r
		}
		r.Err = withoutPath(err, j.in.Name)
		return r
	}
	r.Value = v
	return r
}

// countAhead counts the batch's inputs in the background for the progress
// bar. The channel receives the count, or nothing when the inputs cannot be
// counted ahead or no bar is drawn.
func countAhead[T any](ctx context.Context, cfg Config[T]) <-chan int {
	counted := make(chan int, 1)
	if cfg.Count == nil || cfg.Progress == nil || !cfg.Progress.Counting() {
		return counted
	}
	go func() {
		n, ok := cfg.Count(ctx, func(name string) bool {
			_, done := cfg.Done[name]
			return done
		})
		if ok {
			counted <- n
		}
	}()
	return counted
}

// withoutPath drops the "open <path>: " that os errors carry when the path
// is the input itself, which the error line names already. The error still
// wraps the original, for errors.Is.
func withoutPath(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == name {
		if msg := strings.Replace(err.Error(), pe.Op+" "+pe.Path+": ", "", 1); msg != err.Error() {
			return &pathless{msg: msg, err: err}
		}
	}
	return err
}

// pathless is an error whose message leaves out the input's path.
type pathless struct {
	msg string
	err error
}

func (e *pathless) Error() string { return e.msg }
func (e *pathless) Unwrap() error { return e.err }

// panicError is the failure of an input whose handling panicked with v:
// "internal error: " and the value on one line.
func panicError(v any) error {
	return fmt.Errorf("internal error: %s", strings.Join(strings.Fields(fmt.Sprint(v)), " "))
}
