package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/merge"
	"github.com/incidex/incidex/rules"
)

func TestPutIsIdempotent(t *testing.T) {
	base := report{input: "https://news.example/harbor", url: "https://news.example/harbor", fetched: "2025-03-02T10:00:00Z",
		published: "2025-03-01", victims: []string{"Harbor Bank"}, actor: "Quiet Heron"}
	newer := base
	newer.fetched, newer.title = "2025-03-05T10:00:00Z", "Harbor Bank attack: customer data stolen"
	newer.victims = []string{"Harbor Bank", "Harbor Insurance"}
	older := base
	older.fetched, older.title = "2025-02-28T10:00:00Z", "Harbor Bank investigates outage"

	tests := []struct {
		name     string
		steps    []report
		want     []Outcome
		articles int
		inputs   int
		titles   []string // of the stored articles
	}{
		{
			name:     "the same record twice is one article",
			steps:    []report{base, base},
			want:     []Outcome{Added, Unchanged},
			articles: 1, inputs: 1, titles: []string{"Harbor Bank hit by cyber attack"},
		},
		{
			name:     "a newer version replaces the older",
			steps:    []report{base, newer},
			want:     []Outcome{Added, Replaced},
			articles: 1, inputs: 1, titles: []string{newer.title},
		},
		{
			name:     "a version fetched earlier keeps the stored one",
			steps:    []report{base, older},
			want:     []Outcome{Added, Kept},
			articles: 1, inputs: 1, titles: []string{"Harbor Bank hit by cyber attack"},
		},
		{
			name: "the canonical URL names the article, whatever it was read from",
			steps: []report{
				{input: "https://news.example/a?utm=x", url: "https://news.example/a?utm=x", canonical: "https://news.example/a", victims: []string{"Harbor Bank"}},
				{input: "https://NEWS.example/a#top", url: "https://NEWS.example/a#top", canonical: "https://NEWS.example/a#top", victims: []string{"Harbor Bank"}, title: "Updated"},
			},
			want:     []Outcome{Added, Replaced},
			articles: 1, inputs: 2, titles: []string{"Updated"},
		},
		{
			name: "the same content from a saved file and from its URL is one article",
			steps: []report{
				{input: "saved/harbor.html", victims: []string{"Harbor Bank"}},
				{input: "https://news.example/harbor", url: "https://news.example/harbor", fetched: "2025-03-02T10:00:00Z", victims: []string{"Harbor Bank"}},
				{input: "https://news.example/harbor", url: "https://news.example/harbor", fetched: "2025-03-03T10:00:00Z", victims: []string{"Harbor Bank"}, title: "Later"},
			},
			want:     []Outcome{Added, Unchanged, Replaced},
			articles: 1, inputs: 2, titles: []string{"Later"},
		},
		{
			name: "different articles stay apart",
			steps: []report{
				{input: "a.html", victims: []string{"Harbor Bank"}},
				{input: "b.html", victims: []string{"Harbor Bank"}, title: "Another report"},
			},
			want:     []Outcome{Added, Added},
			articles: 2, inputs: 2, titles: []string{"Another report", "Harbor Bank hit by cyber attack"},
		},
		{
			name: "two URLs of one version become one article when the first is updated to it",
			steps: []report{
				{input: "https://a.example/x", url: "https://a.example/x", victims: []string{"Harbor Bank"}, title: "v1"},
				{input: "https://b.example/y", url: "https://b.example/y", victims: []string{"Harbor Bank"}, title: "v2"},
				{input: "https://a.example/x", url: "https://a.example/x", victims: []string{"Harbor Bank"}, title: "v2"},
			},
			want:     []Outcome{Added, Added, Replaced},
			articles: 1, inputs: 2, titles: []string{"v2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openTest(t)
			for i, s := range tt.steps {
				if got := put(t, d, s.record()); got != tt.want[i] {
					t.Errorf("step %d: %v, want %v", i+1, got, tt.want[i])
				}
			}
			if n := count(t, d, "articles"); n != tt.articles {
				t.Errorf("%d articles, want %d", n, tt.articles)
			}
			if n := count(t, d, "inputs"); n != tt.inputs {
				t.Errorf("%d inputs, want %d", n, tt.inputs)
			}
			var titles []string
			rows, err := d.db.Query("SELECT title FROM articles ORDER BY title")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				rows.Scan(&s)
				titles = append(titles, s)
			}
			rows.Close()
			if !slices.Equal(titles, tt.titles) {
				t.Errorf("titles %q, want %q", titles, tt.titles)
			}
			checkWhole(t, d)
		})
	}
}

// TestReplacedArticleLeavesItsBlocks replaces an article whose new version
// names another victim: the old victim's merged incident goes, the new
// one's comes.
func TestReplacedArticleLeavesItsBlocks(t *testing.T) {
	d := openTest(t)
	v1 := report{input: "https://news.example/x", url: "https://news.example/x", published: "2025-03-01", victims: []string{"Harbor Bank"}}
	v2 := v1
	v2.victims, v2.title = []string{"Lindqvist Energi"}, "Correction: Lindqvist Energi was hit"
	put(t, d, v1.record())
	if got := names(listed(t, d, Filter{})); !slices.Equal(got, []string{"Harbor Bank"}) {
		t.Fatalf("before: %q", got)
	}
	put(t, d, v2.record())
	if got := names(listed(t, d, Filter{})); !slices.Equal(got, []string{"Lindqvist Energi"}) {
		t.Errorf("after the replacement: %q, want only Lindqvist Energi", got)
	}
	checkWhole(t, d)
}

// names are the first victims' names of incidents, in order.
func names(ms []record.Merged) []string {
	var out []string
	for _, m := range ms {
		if len(m.Victims) > 0 {
			out = append(out, m.Victims[0].Name)
		} else {
			out = append(out, "")
		}
	}
	return out
}

// TestStoredMergeIsTheMerge stores real records in several orders, some
// twice and some replaced, and checks that the merged table is what
// package merge makes of the stored records at once, as "incidex merge"
// does.
func TestStoredMergeIsTheMerge(t *testing.T) {
	rs := append(slices.Clone(extracted(t, "testdata/merge/pages/*.html")), extracted(t, "testdata/train/set1/pages/*.html")...)
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := canonical(t, merge.New(set, merge.Options{}).Merge(rs))
	if len(want) == 0 {
		t.Fatal("the pages merge into nothing")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 3 {
		order := slices.Clone(rs)
		switch round {
		case 1:
			slices.Reverse(order)
		case 2:
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		d := openTest(t)
		for i, r := range order {
			if round == 2 && i%3 == 0 {
				// An earlier, different version of the same page first:
				// its units must leave their blocks when it is replaced.
				old := *r
				old.Incidents = slices.Clone(r.Incidents)
				if len(old.Incidents) > 0 {
					old.Incidents = old.Incidents[:len(old.Incidents)-1]
				}
				old.Title = "Earlier: " + r.Title
				put(t, d, &old)
			}
			put(t, d, r)
			if i%5 == 0 {
				put(t, d, r) // the same again changes nothing
			}
			if i%4 == 1 {
				// Blocks merged now are merged again later, with more.
				if err := d.Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		}
		got := canonical(t, listed(t, d, Filter{}))
		if len(got) != len(want) {
			t.Errorf("round %d: %d merged incidents stored, the merge makes %d", round, len(got), len(want))
		}
		for id, w := range want {
			if g, ok := got[id]; !ok {
				t.Errorf("round %d: incident %s is missing", round, id)
			} else if g != w {
				t.Errorf("round %d: incident %s differs:\nstored %s\nmerge  %s", round, id, g, w)
			}
		}
		checkWhole(t, d)
	}
}

// canonical maps merged incidents by id to their JSON.
func canonical(t *testing.T, ms []record.Merged) map[string]string {
	t.Helper()
	out := make(map[string]string, len(ms))
	for i := range ms {
		b, err := json.Marshal(&ms[i])
		if err != nil {
			t.Fatal(err)
		}
		out[ms[i].ID+"|"+ms[i].BlockKey] = string(b)
	}
	return out
}

// countdown is a context that is cancelled after its Done channel has
// been asked for n times: wherever Put stands at that moment.
type countdown struct {
	context.Context
	n    atomic.Int64
	once sync.Once
	done chan struct{}
}

func newCountdown(n int64) *countdown {
	c := &countdown{Context: context.Background(), done: make(chan struct{})}
	c.n.Store(n)
	return c
}

func (c *countdown) Done() <-chan struct{} {
	if c.n.Add(-1) < 0 {
		c.once.Do(func() { close(c.done) })
	}
	return c.done
}

func (c *countdown) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

// TestPutIsAtomic cancels Put at every point it checks its context, one
// after the other, until it gets through: each cancelled Put must fail
// with the context's error, and nothing else, and leave the database
// exactly as it was, and the one that gets through must leave a whole
// article.
//
// Goroutines of database/sql and of the driver ask for Done too, when
// the scheduler runs them, so which point of Put the n-th call is varies
// from run to run; so does who rolls a cancelled transaction back
// (database/sql on its own goroutine, or Put). Neither may change what a
// cancelled Put returns or leaves.
func TestPutIsAtomic(t *testing.T) {
	d := openTest(t)
	rs := extracted(t, "testdata/merge/pages/*.html")
	for _, r := range rs[:len(rs)/2] {
		put(t, d, r)
	}
	next := *rs[len(rs)-1]
	next.Incidents = slices.Clone(next.Incidents)
	replacing := *rs[0]
	replacing.Title = "Updated: " + replacing.Title
	for _, r := range []*record.Result{&next, &replacing} {
		before := digest(t, d.db)
		cancelled := 0
		for n := int64(0); ; n++ {
			out, err := d.Put(newCountdown(n), r)
			if err == nil {
				if out != Added && out != Replaced {
					t.Errorf("%s: %v", r.Input, out)
				}
				break
			}
			if !errors.Is(err, context.Canceled) || err.Error() != context.Canceled.Error() {
				t.Fatalf("Put cancelled at step %d: %v; want only %v", n, err, context.Canceled)
			}
			cancelled++
			if after := digest(t, d.db); after != before {
				t.Fatalf("Put cancelled at step %d changed the database", n)
			}
		}
		if cancelled == 0 {
			t.Errorf("%s: Put was never cancelled", r.Input)
		}
		if after := digest(t, d.db); after == before {
			t.Errorf("%s: the Put that got through changed nothing", r.Input)
		}
		checkWhole(t, d)
	}
}

// TestCancelledTxFailsWithContextError makes deterministic the race that
// TestPutIsAtomic meets by chance: the context ends and database/sql's own
// goroutine rolls the transaction back before the next statement, or the
// Commit, of the goroutine that writes. That one then gets sql.ErrTxDone
// (or "statement is closed"); inTx must report the context's error alone,
// and nothing of the transaction may stay.
func TestCancelledTxFailsWithContextError(t *testing.T) {
	for _, tt := range []struct {
		name string
		// then is what fn does once database/sql has rolled back.
		then func(tx *sql.Tx) error
	}{
		{"a statement after the rollback", func(tx *sql.Tx) error {
			_, err := tx.Exec("INSERT INTO pending_blocks (block_key) VALUES ('late')")
			return err
		}},
		{"the commit after the rollback", func(*sql.Tx) error { return nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := openTest(t)
			put(t, d, manyReports(1)[0])
			before := digest(t, d.db)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err := d.inTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.Exec("INSERT INTO pending_blocks (block_key) VALUES ('early')"); err != nil {
					return err
				}
				cancel()
				// Wait for the event, database/sql's rollback, not for
				// a time: until then the transaction is not done.
				for {
					_, err := tx.Exec("SELECT 1")
					if errors.Is(err, sql.ErrTxDone) {
						break
					}
					if err != nil {
						t.Fatalf("before the rollback: %v", err)
					}
					runtime.Gosched()
				}
				return tt.then(tx)
			})
			if !errors.Is(err, context.Canceled) || err.Error() != context.Canceled.Error() {
				t.Errorf("inTx = %v; want only %v", err, context.Canceled)
			}
			if after := digest(t, d.db); after != before {
				t.Errorf("the cancelled transaction changed the database")
			}
			checkWhole(t, d)
		})
	}
}
