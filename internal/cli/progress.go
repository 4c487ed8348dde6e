package cli

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/incidex/incidex/internal/batch"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Progress reports a batch on stderr: a bar while it runs and a one-line
// summary at the end, only when stderr is a terminal and --quiet is not
// given. The per-input error lines go through it too, so that they print
// above the bar instead of through it.
//
// The bar is drawn by vbauerster/mpb rather than schollz/progressbar, both
// maintained: a batch's total is unknown while folders are still being
// walked, and mpb's SetTotal turns an unknown total into a known one
// mid-run (progressbar/v3 counts modulo the bar width while the total is
// unknown, and shows 0% after ChangeMax); mpb's Progress is an io.Writer
// that prints lines above the running bar; and it redraws on its own ticker,
// so the rate and ETA stay live while a slow download holds up the count.
// Tests stay deterministic: TestIOStreams is not a terminal, so no bar is
// drawn unless a test asks for one, and the summary reads the injected clock.
type Progress struct {
	w           io.Writer
	now         func() time.Time
	start       time.Time
	summary     bool   // print the closing line
	skippedFrom string // the --resume file, named in the summary

	container *mpb.Progress // nil when no bar is drawn
	bar       *mpb.Bar
	failed    atomic.Int64
}

// NewProgress starts the progress display of a batch. With draw false it
// only passes error lines through to w.
func NewProgress(w io.Writer, draw bool, now func() time.Time, skippedFrom string) *Progress {
	p := &Progress{w: w, now: now, start: now(), summary: draw, skippedFrom: skippedFrom}
	if !draw {
		return p
	}
	started := time.Now() // the bar's rate is wall-clock, unlike the summary
	p.container = mpb.New(
		mpb.WithOutput(w),
		mpb.WithWidth(32),
		mpb.WithRefreshRate(150*time.Millisecond),
		// The caller decided that w is a terminal (IOStreams knows, tests
		// say so); mpb must not second-guess a wrapped stream.
		mpb.ForceTTY(),
		mpb.WithAutoRefresh(),
	)
	p.bar = p.container.AddBar(0, // 0: total unknown until setTotal
		mpb.BarRemoveOnComplete(),
		mpb.PrependDecorators(decor.Any(func(s decor.Statistics) string {
			if s.Total > 0 {
				return fmt.Sprintf("%d/%d pages", s.Current, s.Total)
			}
			return fmt.Sprintf("%d pages", s.Current)
		}, decor.WC{W: 18, C: decor.DindentRight})),
		mpb.AppendDecorators(decor.Any(func(s decor.Statistics) string {
			return barStats(s.Current, s.Total, time.Since(started), p.failed.Load())
		})),
	)
	return p
}

// barStats is the text right of the bar: rate, ETA when the total is known,
// and failures.
func barStats(done, total int64, elapsed time.Duration, failed int64) string {
	var parts []string
	rate := 0.0
	if elapsed > 0 {
		rate = float64(done) / elapsed.Seconds()
	}
	parts = append(parts, fmt.Sprintf("%.0f/s", rate))
	if total > 0 && rate > 0 {
		eta := time.Duration(float64(total-done) / rate * float64(time.Second))
		parts = append(parts, "ETA "+formatDuration(eta))
	}
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", failed))
	}
	return strings.Join(parts, "  ")
}

// Counting reports whether a bar is shown, and so whether counting the
// inputs ahead is worth it.
func (p *Progress) Counting() bool { return p.bar != nil }

// SetTotal makes the number of inputs known.
func (p *Progress) SetTotal(n int) {
	if p.bar != nil && n > 0 {
		p.bar.SetTotal(int64(n), false)
	}
}

// Add counts one finished input.
func (p *Progress) Add(failed bool) {
	if failed {
		p.failed.Add(1)
	}
	if p.bar != nil {
		p.bar.Increment()
	}
}

// Println prints one line on stderr, above the bar when there is one.
func (p *Progress) Println(line string) {
	if p.container != nil {
		fmt.Fprintln(p.container, line)
		return
	}
	fmt.Fprintln(p.w, line)
}

// Finish removes the bar and prints the summary.
func (p *Progress) Finish(st batch.Stats, interrupted bool) {
	if p.container != nil {
		if interrupted {
			p.bar.Abort(true)
		} else {
			p.bar.SetTotal(-1, true)
		}
		p.container.Wait()
	}
	if p.summary {
		fmt.Fprintln(p.w, summaryLine(st, p.now().Sub(p.start), p.skippedFrom, interrupted))
	}
}

// summaryLine is the closing line of a batch on a terminal:
// "640 pages, 638 ok, 2 failed in 1.5 s (420/s)".
func summaryLine(st batch.Stats, elapsed time.Duration, skippedFrom string, interrupted bool) string {
	n := st.OK + st.Failed
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s, %d ok, %d failed in %s", n, plural(n, "page", "pages"), st.OK, st.Failed, formatDuration(elapsed))
	if elapsed > 0 && n > 0 {
		fmt.Fprintf(&b, " (%.0f/s)", float64(n)/elapsed.Seconds())
	}
	if st.Skipped > 0 {
		fmt.Fprintf(&b, "; %d skipped, already in %s", st.Skipped, skippedFrom)
	}
	if interrupted {
		b.WriteString("; interrupted")
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatDuration writes short durations with a tenth of a second ("1.5 s")
// and long ones to the second ("2m05s").
func formatDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	}
	return fmt.Sprintf("%dm%02ds", m, s)
}
