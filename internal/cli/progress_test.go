package cli

import (
	"testing"
	"time"

	"github.com/incidex/incidex/internal/batch"
)

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		name        string
		st          batch.Stats
		elapsed     time.Duration
		interrupted bool
		want        string
	}{
		{name: "batch", st: batch.Stats{OK: 638, Failed: 2}, elapsed: 1523 * time.Millisecond, want: "640 pages, 638 ok, 2 failed in 1.5 s (420/s)"},
		{name: "one page", st: batch.Stats{OK: 1}, elapsed: 50 * time.Millisecond, want: "1 page, 1 ok, 0 failed in 0.1 s (20/s)"},
		{name: "long run with skips", st: batch.Stats{OK: 90000, Failed: 10, Skipped: 10000}, elapsed: 3*time.Minute + 25*time.Second, want: "90010 pages, 90000 ok, 10 failed in 3m25s (439/s); 10000 skipped, already in out.jsonl"},
		{name: "interrupted", st: batch.Stats{OK: 3}, elapsed: time.Second, interrupted: true, want: "3 pages, 3 ok, 0 failed in 1.0 s (3/s); interrupted"},
		{name: "nothing", elapsed: 0, want: "0 pages, 0 ok, 0 failed in 0.0 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summaryLine(tt.st, tt.elapsed, "out.jsonl", tt.interrupted); got != tt.want {
				t.Errorf("summaryLine = %q, want %q", got, tt.want)
			}
		})
	}
}
