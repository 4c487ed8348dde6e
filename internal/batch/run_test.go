package batch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// guard bounds every wait on an event, so that a broken engine fails the
// test instead of hanging it. It decides nothing else: no assertion depends
// on how long anything took.
const guard = 10 * time.Second

// await waits until ch receives or is closed, storing what it received in
// dst unless dst is nil. After guard it fails the test with msg.
func await[T any](t *testing.T, ch <-chan T, dst *T, msg string) {
	t.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	select {
	case v := <-ch:
		if dst != nil {
			*dst = v
		}
	case <-timer.C:
		t.Fatalf("%s (gave up after %v)", msg, guard)
	}
}

// inputNames returns n input names in order: in-000, in-001, ...
func inputNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("in-%03d", i)
	}
	return names
}

// seqOf returns the place of an input named by inputNames.
func seqOf(name string) int {
	var i int
	fmt.Sscanf(name, "in-%d", &i)
	return i
}

// emitAll is a Config.Inputs that emits a file input for each name.
func emitAll(names []string) func(context.Context, func(Input) bool) bool {
	return func(_ context.Context, emit func(Input) bool) bool {
		for _, name := range names {
			if !emit(File(name)) {
				return false
			}
		}
		return true
	}
}

// runResult is what Run returned.
type runResult struct {
	stats Stats
	err   error
}

// runAsync runs Run on its own goroutine: the channel receives what it
// returned. Tests whose Process blocks use it, so that a Run that does not
// return fails the test on a guard instead of hanging it.
func runAsync[T any](ctx context.Context, cfg Config[T]) <-chan runResult {
	done := make(chan runResult, 1)
	go func() {
		stats, err := Run(ctx, cfg)
		done <- runResult{stats: stats, err: err}
	}()
	return done
}

// gates is one channel per input, each closed once: when that input was
// processed or delivered.
type gates []chan struct{}

func newGates(n int) gates {
	g := make(gates, n)
	for i := range g {
		g[i] = make(chan struct{})
	}
	return g
}

func (g gates) open(i int) { close(g[i]) }

// outcomeNames returns the input of every outcome.
func outcomeNames[T any](outs []Outcome[T]) []string {
	var names []string
	for _, o := range outs {
		names = append(names, o.Input)
	}
	return names
}

// TestRunDeliversEveryInputOnce checks that every input is delivered once,
// in input order when Ordered, while workers finish out of order: every
// fifth input is held until the input after it is done.
func TestRunDeliversEveryInputOnce(t *testing.T) {
	const n = 100
	names := inputNames(n)
	errBad := errors.New("bad page")
	failing := func(i int) bool { return i%7 == 3 }

	tests := []struct {
		name    string
		ordered bool
	}{
		{name: "ordered", ordered: true},
		{name: "unordered", ordered: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Ordered, input i waits until input i+1 is processed; unordered,
			// until it is delivered, which only unordered delivery allows.
			processed, delivered := newGates(n), newGates(n)
			held := func(i int) bool { return i%5 == 0 && i+1 < n }
			var outs []Outcome[string]
			cfg := Config[string]{
				Inputs: emitAll(names),
				Process: func(ctx context.Context, in Input) (string, error) {
					i := seqOf(in.Name)
					defer processed.open(i)
					if held(i) {
						if tt.ordered {
							<-processed[i+1]
						} else {
							<-delivered[i+1]
						}
					}
					if failing(i) {
						return "", errBad
					}
					return "value of " + in.Name, nil
				},
				Deliver: func(o Outcome[string]) error {
					outs = append(outs, o)
					delivered.open(seqOf(o.Input))
					return nil
				},
				Jobs:    4,
				Ordered: tt.ordered,
			}
			var res runResult
			await(t, runAsync(context.Background(), cfg), &res, "Run did not return")
			if res.err != nil {
				t.Fatalf("Run: %v", res.err)
			}

			got := outcomeNames(outs)
			if tt.ordered && !slices.Equal(got, names) {
				t.Fatalf("delivered %q, want every input once in input order", got)
			}
			if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, names) {
				t.Fatalf("delivered %q, want every input once", got)
			}
			wantFailed := 0
			for _, o := range outs {
				i := seqOf(o.Input)
				if o.Seq != i {
					t.Errorf("%s: Seq = %d, want %d", o.Input, o.Seq, i)
				}
				if failing(i) {
					wantFailed++
					if !errors.Is(o.Err, errBad) || o.Value != "" {
						t.Errorf("%s: outcome (%q, %v), want the failure", o.Input, o.Value, o.Err)
					}
				} else if o.Err != nil || o.Value != "value of "+o.Input {
					t.Errorf("%s: outcome (%q, %v), want its value", o.Input, o.Value, o.Err)
				}
			}
			if want := (Stats{OK: n - wantFailed, Failed: wantFailed}); res.stats != want {
				t.Errorf("Stats = %+v, want %+v", res.stats, want)
			}
			if !tt.ordered {
				// Delivered as finished: every held input after the one it
				// waited for.
				at := make(map[string]int)
				for k, name := range got {
					at[name] = k
				}
				for i := range n {
					if held(i) && at[names[i]] < at[names[i+1]] {
						t.Errorf("%s was delivered before %s, which finished first", names[i], names[i+1])
					}
				}
			}
		})
	}
}

// TestRunPanic checks that a panic in Process fails that input alone, with
// the panic's value on one line.
func TestRunPanic(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{name: "string", value: "boom", want: "internal error: boom"},
		{name: "error", value: errors.New("reader exploded"), want: "internal error: reader exploded"},
		{name: "several lines", value: "first line\n\tsecond   line\n", want: "internal error: first line second line"},
		{name: "runtime error", value: nil, want: "internal error: runtime error: index out of range [3] with length 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := inputNames(5)
			var outs []Outcome[int]
			stats, err := Run(context.Background(), Config[int]{
				Inputs: emitAll(names),
				Process: func(_ context.Context, in Input) (int, error) {
					i := seqOf(in.Name)
					if i == 2 {
						if tt.value == nil {
							var none []int
							return none[i+1], nil
						}
						panic(tt.value)
					}
					return i * 10, nil
				},
				Deliver: func(o Outcome[int]) error {
					outs = append(outs, o)
					return nil
				},
				Jobs:    2,
				Ordered: true,
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if want := (Stats{OK: 4, Failed: 1}); stats != want {
				t.Errorf("Stats = %+v, want %+v", stats, want)
			}
			if got := outcomeNames(outs); !slices.Equal(got, names) {
				t.Fatalf("delivered %q, want %q", got, names)
			}
			for i, o := range outs {
				switch {
				case i == 2 && (o.Err == nil || o.Err.Error() != tt.want || o.Value != 0):
					t.Errorf("%s: outcome (%d, %v), want the failure %q", o.Input, o.Value, o.Err, tt.want)
				case i != 2 && (o.Err != nil || o.Value != i*10):
					t.Errorf("%s: outcome (%d, %v), want (%d, nil)", o.Input, o.Value, o.Err, i*10)
				}
			}
		})
	}
}

// TestRunCancel checks what a cancelled batch delivers: in order mode the
// inputs before the first unfinished one, else the finished inputs, each
// once, and never an input whose Process is still running, which Run does
// not wait for.
func TestRunCancel(t *testing.T) {
	const n, stuckAt = 30, 12
	names := inputNames(n)
	tests := []struct {
		name    string
		ordered bool
	}{
		{name: "ordered", ordered: true},
		{name: "unordered", ordered: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// The stuck input ignores the cancellation, like a read that
			// takes no context; it is let go when the test ends.
			stuck := make(chan struct{})
			defer close(stuck)
			delivered := newGates(n)
			var outs []Outcome[string]
			done := runAsync(ctx, Config[string]{
				Inputs: emitAll(names),
				Process: func(ctx context.Context, in Input) (string, error) {
					if seqOf(in.Name) == stuckAt {
						// In order mode all inputs before this one are then
						// delivered; unordered, at least the one before it.
						<-delivered[stuckAt-1]
						cancel()
						<-stuck
					}
					return in.Name, nil
				},
				Deliver: func(o Outcome[string]) error {
					outs = append(outs, o)
					delivered.open(seqOf(o.Input))
					return nil
				},
				Jobs:    4,
				Ordered: tt.ordered,
			})
			var res runResult
			await(t, done, &res, "Run did not return after the cancellation while an input was stuck")
			if !errors.Is(res.err, context.Canceled) {
				t.Errorf("Run error = %v, want context.Canceled", res.err)
			}
			got := outcomeNames(outs)
			if tt.ordered && !slices.Equal(got, names[:stuckAt]) {
				t.Errorf("delivered %q, want the inputs before the stuck one, %q", got, names[:stuckAt])
			}
			seen := make(map[string]bool)
			for _, name := range got {
				if seen[name] {
					t.Errorf("%s delivered twice", name)
				}
				seen[name] = true
			}
			if seen[names[stuckAt]] {
				t.Errorf("the stuck input %s was delivered", names[stuckAt])
			}
			if !seen[names[stuckAt-1]] {
				t.Errorf("%s, finished before the cancellation, was not delivered", names[stuckAt-1])
			}
			if res.stats.OK != len(got) || res.stats.Failed != 0 {
				t.Errorf("Stats = %+v, want %d ok", res.stats, len(got))
			}
		})
	}

	t.Run("cancelled before the start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var calls atomic.Int32
		var outs []Outcome[string]
		stats, err := Run(ctx, Config[string]{
			Inputs: emitAll(names),
			Process: func(_ context.Context, in Input) (string, error) {
				calls.Add(1)
				return in.Name, nil
			},
			Deliver: collect(&outs),
			Jobs:    4,
			Ordered: true,
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run error = %v, want context.Canceled", err)
		}
		if len(outs) != 0 || calls.Load() != 0 || stats != (Stats{}) {
			t.Errorf("delivered %q after %d calls, Stats %+v; want nothing", outcomeNames(outs), calls.Load(), stats)
		}
	})

	t.Run("a failure caused by the cancellation is dropped", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var outs []Outcome[string]
		_, err := Run(ctx, Config[string]{
			Inputs: emitAll(names[:3]),
			Process: func(ctx context.Context, in Input) (string, error) {
				if in.Name == names[1] {
					cancel()
					return "", fmt.Errorf("fetch: %w", ctx.Err())
				}
				return in.Name, nil
			},
			Deliver: collect(&outs),
			Jobs:    1,
			Ordered: true,
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run error = %v, want context.Canceled", err)
		}
		for _, o := range outs {
			if o.Err != nil {
				t.Errorf("%s delivered with the cancellation as its failure: %v", o.Input, o.Err)
			}
		}
	})
}

func TestRunDeliverError(t *testing.T) {
	errFull := errors.New("disk full")
	names := inputNames(20)
	for _, ordered := range []bool{true, false} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			var outs []Outcome[string]
			_, err := Run(context.Background(), Config[string]{
				Inputs:  emitAll(names),
				Process: func(_ context.Context, in Input) (string, error) { return in.Name, nil },
				Deliver: func(o Outcome[string]) error {
					outs = append(outs, o)
					if len(outs) == 3 {
						return errFull
					}
					return nil
				},
				Jobs:    4,
				Ordered: ordered,
			})
			if !errors.Is(err, errFull) {
				t.Errorf("Run error = %v, want %v", err, errFull)
			}
			if len(outs) != 3 {
				t.Errorf("Deliver called %d times, want 3: the batch stops at its error", len(outs))
			}
		})
	}
}

func TestRunDone(t *testing.T) {
	names := inputNames(6)
	tests := []struct {
		name    string
		done    []string
		ordered bool
		want    []string
	}{
		{name: "nothing done", want: names},
		{name: "some done", done: []string{names[1], names[4]}, ordered: true, want: []string{names[0], names[2], names[3], names[5]}},
		{name: "some done, unordered", done: []string{names[0], names[5]}, want: names[1:5]},
		{name: "everything done", done: names, ordered: true},
		{name: "done names that are not inputs", done: []string{"elsewhere"}, ordered: true, want: names},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(map[string]struct{})
			for _, name := range tt.done {
				done[name] = struct{}{}
			}
			var mu sync.Mutex
			var processed []string
			var outs []Outcome[string]
			stats, err := Run(context.Background(), Config[string]{
				Inputs: emitAll(names),
				Process: func(_ context.Context, in Input) (string, error) {
					mu.Lock()
					processed = append(processed, in.Name)
					mu.Unlock()
					return in.Name, nil
				},
				Deliver: collect(&outs),
				Jobs:    3,
				Ordered: tt.ordered,
				Done:    done,
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			got := outcomeNames(outs)
			if !tt.ordered {
				slices.Sort(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("delivered %q, want %q", got, tt.want)
			}
			slices.Sort(processed)
			if !slices.Equal(processed, tt.want) {
				t.Errorf("processed %q, want only the inputs not done, %q", processed, tt.want)
			}
			skipped := len(names) - len(tt.want)
			if want := (Stats{OK: len(tt.want), Skipped: skipped}); stats != want {
				t.Errorf("Stats = %+v, want %+v", stats, want)
			}
			// Skipped inputs take no place in the order.
			for k, o := range outs {
				if tt.ordered && o.Seq != k {
					t.Errorf("%s: Seq = %d, want %d", o.Input, o.Seq, k)
				}
			}
		})
	}
}

// TestRunWindow checks that a stuck input holds back the walk once the
// window is full, so that memory stays flat, and that unordered delivery
// is not held back by it. The walk is seen to stop by an event: the emit
// after the window's last does not return until the stuck input is let go.
func TestRunWindow(t *testing.T) {
	const jobs, n = 2, 200
	window := Window(jobs)
	names := inputNames(n)
	tests := []struct {
		name    string
		ordered bool
	}{
		{name: "ordered", ordered: true},
		{name: "unordered", ordered: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				calls    atomic.Int32
				accepted atomic.Int32 // emits that returned true
				released atomic.Bool  // set just before the stuck input is let go
				early    atomic.Bool  // the emit past the window returned before that
			)
			release := make(chan struct{})
			var releaseOnce sync.Once
			letGo := func() {
				releaseOnce.Do(func() {
					released.Store(true)
					close(release)
				})
			}
			defer letGo()
			windowRead := make(chan struct{}) // Process was called for a window of inputs
			pastWindow := make(chan struct{}) // the walk emits the input past the window
			othersDone := make(chan struct{}) // every input but the stuck one was delivered
			var delivered atomic.Int32
			var outs []Outcome[string]
			done := runAsync(context.Background(), Config[string]{
				Inputs: func(_ context.Context, emit func(Input) bool) bool {
					for i, name := range names {
						if i == window {
							close(pastWindow)
						}
						ok := emit(File(name))
						if i == window && !released.Load() {
							early.Store(true)
						}
						if !ok {
							return false
						}
						accepted.Add(1)
					}
					return true
				},
				Process: func(_ context.Context, in Input) (string, error) {
					if int(calls.Add(1)) == window {
						close(windowRead)
					}
					if in.Name == names[0] {
						<-release
					}
					return in.Name, nil
				},
				Deliver: func(o Outcome[string]) error {
					outs = append(outs, o)
					if delivered.Add(1) == n-1 && o.Input != names[0] {
						close(othersDone)
					}
					return nil
				},
				Jobs:    jobs,
				Ordered: tt.ordered,
			})

			if tt.ordered {
				await(t, windowRead, nil, fmt.Sprintf("Process was called for fewer inputs than the window, %d", window))
				await(t, pastWindow, nil, "the walk never reached the input past the window")
				// The walk is now inside the emit of the input past the
				// window, which must block until the stuck input is let go.
				if got := calls.Load(); int(got) != window {
					t.Errorf("with the first input stuck, %d inputs were read; want the window, %d", got, window)
				}
				if got := accepted.Load(); int(got) != window {
					t.Errorf("with the first input stuck, %d inputs were accepted; want the window, %d", got, window)
				}
				if got := delivered.Load(); got != 0 {
					t.Errorf("%d outcomes delivered before the first input", got)
				}
			} else {
				await(t, othersDone, nil, "unordered: the inputs after a stuck one were not all delivered")
			}
			letGo()
			var res runResult
			await(t, done, &res, "Run did not return after the stuck input was let go")
			if res.err != nil {
				t.Fatalf("Run: %v", res.err)
			}
			if tt.ordered && early.Load() {
				t.Errorf("the emit of input %d returned while the first input was stuck: the walk was not held back", window)
			}
			if got := calls.Load(); got != n {
				t.Errorf("Process called %d times, want %d", got, n)
			}
			got := outcomeNames(outs)
			if tt.ordered && !slices.Equal(got, names) {
				t.Errorf("delivered %q, want every input in order", got)
			}
			if !tt.ordered && (len(got) != n || got[n-1] != names[0]) {
				t.Errorf("unordered: delivered %d outcomes ending with %q, want %d ending with the stuck %s", len(got), got[len(got)-1], n, names[0])
			}
		})
	}
}

func TestWithoutPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.html")
	_, openErr := os.Open(missing)
	if openErr == nil {
		t.Fatal("opening a missing file succeeded")
	}
	plain := errors.New("no article text found")
	tests := []struct {
		name   string
		err    error
		input  string
		want   string
		wantIs error // errors.Is must still hold for it
	}{
		{name: "open error of the input", err: openErr, input: missing, want: "no such file or directory", wantIs: fs.ErrNotExist},
		{name: "wrapped open error of the input", err: fmt.Errorf("read page: %w", openErr), input: missing, want: "read page: no such file or directory", wantIs: fs.ErrNotExist},
		{name: "another path is kept", err: openErr, input: "other.html", want: "open " + missing + ": no such file or directory", wantIs: fs.ErrNotExist},
		{name: "not a path error", err: plain, input: missing, want: "no article text found", wantIs: plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withoutPath(tt.err, tt.input)
			if got.Error() != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
			if !errors.Is(got, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false; the original must stay wrapped", got, tt.wantIs)
			}
		})
	}
}

// collect is a Deliver that appends every outcome to outs.
func collect(outs *[]Outcome[string]) func(Outcome[string]) error {
	return func(o Outcome[string]) error {
		*outs = append(*outs, o)
		return nil
	}
}
