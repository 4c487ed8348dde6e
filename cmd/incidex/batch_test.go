package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/internal/batch"
	"github.com/incidex/incidex/internal/cli"
)

// storyTitle is the title of the i-th generated page.
func storyTitle(i int) string { return fmt.Sprintf("Story number %d about the warehouse fire", i) }

// storyHTML returns a page whose size varies with i, from a few KB to about
// 150 KB, so that workers finish out of order.
func storyHTML(i int) string {
	paras := []string{paraFire, paraCause, paraHurt, paraRoad}
	n := 1 + i%4
	if i%9 == 0 {
		n = 700
	}
	var ps []string
	for k := range n {
		ps = append(ps, paras[k%len(paras)])
	}
	return articleHTML(storyTitle(i), ps...)
}

// writeStories writes n generated pages into dir as story-NNN.html and
// returns their paths in order.
func writeStories(t *testing.T, dir string, n int) []string {
	t.Helper()
	paths := make([]string, n)
	for i := range n {
		paths[i] = writeFile(t, dir, fmt.Sprintf("story-%03d.html", i), storyHTML(i))
	}
	return paths
}

// runBatchOpts runs readPages with jsonl output, after letting adjust
// change the options, and returns stdout, stderr and the exit status.
func runBatchOpts(ctx context.Context, t *testing.T, ios *cli.IOStreams, args []string, convert func(*article.Article) any, adjust func(*readOptions)) int {
	t.Helper()
	f := &Factory{IOStreams: ios, Version: "test"}
	opts := defaultReadOptions(f)
	opts.Format = cli.FormatJSONL
	if adjust != nil {
		adjust(&opts)
	}
	if convert == nil {
		convert = func(a *article.Article) any { return a }
	}
	err := readPages(ctx, &opts, args, articleProcess(convert))
	return exitStatus(ctx, ios, NewCmdArticle(f, nil), err)
}

// jitter sleeps a few milliseconds that depend on the article, so that the
// workers finish in an order unlike the input order.
func jitter(a *article.Article) any {
	h := fnv.New32a()
	io.WriteString(h, a.Title)
	time.Sleep(time.Duration(h.Sum32()%4) * time.Millisecond)
	return a
}

// recordInputs returns the input of every record.
func recordInputs(recs []outRecord) []string {
	var ins []string
	for _, r := range recs {
		ins = append(ins, r.Input)
	}
	return ins
}

// checkWholeLines fails unless every line of out is a JSON object.
func checkWholeLines(t *testing.T, out string) {
	t.Helper()
	if out == "" {
		return
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end with a newline: ...%q", out[max(0, len(out)-80):])
	}
	for i, line := range nonEmptyLines(out) {
		if !json.Valid([]byte(line)) {
			t.Errorf("line %d is not whole JSON: %.120q", i+1, line)
		}
	}
}

func TestBatchOrderAndCompleteness(t *testing.T) {
	dir := t.TempDir()
	paths := writeStories(t, dir, 36)
	missing := filepath.Join(dir, "missing.html")
	empty := writeFile(t, dir, "empty.html", emptyHTML)
	// Failures in the middle must keep their place too.
	args := slices.Concat(paths[:10], []string{missing}, paths[10:20], []string{empty}, paths[20:])

	runWith := func(t *testing.T, adjust func(*readOptions)) (string, int) {
		ios, _, out, _ := cli.TestIOStreams()
		code := runBatchOpts(context.Background(), t, ios, args, jitter, adjust)
		return out.String(), code
	}
	sequential, code := runWith(t, func(o *readOptions) { o.Jobs = 1 })
	if code != exitPartial {
		t.Fatalf("exit code = %d, want %d", code, exitPartial)
	}
	if got := recordInputs(decodeRecords(t, sequential)); !slices.Equal(got, args) {
		t.Fatalf("-j 1 records are not one per input in order:\ngot  %q\nwant %q", got, args)
	}

	t.Run("ordered with 4 workers is identical to 1 worker", func(t *testing.T) {
		parallel, code := runWith(t, func(o *readOptions) { o.Jobs = 4 })
		if code != exitPartial {
			t.Errorf("exit code = %d, want %d", code, exitPartial)
		}
		if parallel != sequential {
			t.Errorf("-j 4 output differs from -j 1:\n%s", parallel)
		}
	})
	t.Run("unordered gives the same records", func(t *testing.T) {
		unordered, code := runWith(t, func(o *readOptions) { o.Jobs = 4; o.Unordered = true })
		if code != exitPartial {
			t.Errorf("exit code = %d, want %d", code, exitPartial)
		}
		checkWholeLines(t, unordered)
		got, want := nonEmptyLines(unordered), nonEmptyLines(sequential)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("--unordered records differ from the ordered ones")
		}
	})
}

func TestBatchInterruptLeavesWholeLines(t *testing.T) {
	dir := t.TempDir()
	paths := writeStories(t, dir, 60)
	for _, unordered := range []bool{false, true} {
		t.Run(fmt.Sprintf("unordered=%v", unordered), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var calls atomic.Int32
			convert := func(a *article.Article) any {
				if calls.Add(1) == 25 {
					cancel() // Ctrl-C in the middle of the batch
				}
				return jitter(a)
			}
			ios, _, out, errOut := cli.TestIOStreams()
			code := runBatchOpts(ctx, t, ios, paths, convert, func(o *readOptions) {
				o.Jobs = 4
				o.Unordered = unordered
			})
			if code != exitInterrupted {
				t.Errorf("exit code = %d, want %d", code, exitInterrupted)
			}
			if !strings.HasSuffix(errOut.String(), "incidex: interrupted\n") {
				t.Errorf("stderr = %q", errOut)
			}
			checkWholeLines(t, out.String())
			got := recordInputs(decodeRecords(t, out.String()))
			if len(got) == 0 || len(got) >= len(paths) {
				t.Errorf("%d records after an interruption at input 25 of %d", len(got), len(paths))
			}
			if !unordered && !slices.Equal(got, paths[:len(got)]) {
				t.Errorf("ordered output after an interruption is not a prefix of the inputs: %q", got)
			}
			seen := map[string]bool{}
			for _, in := range got {
				if seen[in] {
					t.Errorf("input %s written twice", in)
				}
				seen[in] = true
			}
		})
	}
}

func TestBatchDirectories(t *testing.T) {
	root := t.TempDir()
	mkdir := func(parts ...string) string {
		p := filepath.Join(append([]string{root}, parts...)...)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	saved := mkdir("saved")
	sub := mkdir("saved", "2024", "may")
	hidden := mkdir("saved", ".cache")
	emptyDir := mkdir("nothing-here")
	writeFile(t, emptyDir, "notes.txt", "not a page")

	a := writeFile(t, saved, "a.html", fireHTML)
	b := writeFile(t, sub, "b.htm", floodHTML)
	c := filepath.Join(sub, "c.xhtml.gz")
	if err := os.WriteFile(c, gzipBytes(t, hackHTML), 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(saved, "d.html.gz")
	full := gzipBytes(t, fireHTML)
	if err := os.WriteFile(truncated, full[:len(full)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(saved, "e.html")
	if err := os.Symlink(filepath.Join(root, "gone.html"), dangling); err != nil {
		t.Fatal(err)
	}
	writeFile(t, saved, "readme.txt", "not a page")
	writeFile(t, hidden, "h.html", fireHTML)

	got := runCLI(t, cliRun{args: []string{"article", "-j", "3", saved, emptyDir}})
	if got.code != exitPartial {
		t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, exitPartial, got.stderr)
	}
	type want struct {
		input, errPart string
	}
	// WalkDir's lexical order: files and folders of a level sorted together.
	wants := []want{
		{input: b},
		{input: c},
		{input: a},
		{input: truncated, errPart: "gunzip: truncated"},
		// the dangling link e.html is skipped: links are not followed
		{input: emptyDir, errPart: "no pages found in this directory"},
	}
	recs := decodeRecords(t, got.stdout)
	if len(recs) != len(wants) {
		t.Fatalf("got %d records, want %d:\n%s", len(recs), len(wants), got.stdout)
	}
	for i, w := range wants {
		r := recs[i]
		if r.Input != w.input {
			t.Errorf("record %d: input %q, want %q", i, r.Input, w.input)
		}
		if w.errPart == "" && (r.Error != "" || r.Title == "") {
			t.Errorf("record %d (%s): want an article, got error %q", i, r.Input, r.Error)
		}
		if w.errPart != "" && !strings.Contains(r.Error, w.errPart) {
			t.Errorf("record %d (%s): error %q, want it to contain %q", i, r.Input, r.Error, w.errPart)
		}
	}
	for _, w := range wants {
		if w.errPart != "" && !strings.Contains(got.stderr, "incidex: "+w.input+": ") {
			t.Errorf("stderr does not name %s:\n%s", w.input, got.stderr)
		}
	}

	t.Run("--follow-symlinks follows links inside folders", func(t *testing.T) {
		got := runCLI(t, cliRun{args: []string{"article", "--follow-symlinks", saved}})
		recs := decodeRecords(t, got.stdout)
		want := []string{b, c, a, truncated, dangling}
		if ins := recordInputs(recs); got.code != exitPartial || !slices.Equal(ins, want) {
			t.Fatalf("exit %d, inputs %q, want %q\n%s", got.code, ins, want, got.stderr)
		}
		if e := recs[4].Error; !strings.Contains(e, "no such file") {
			t.Errorf("the dangling link: error %q, want it to name the missing file", e)
		}
	})

	t.Run("a symlink to a folder is walked", func(t *testing.T) {
		linked := filepath.Join(root, "linked")
		if err := os.Symlink(sub, linked); err != nil {
			t.Fatal(err)
		}
		got := runCLI(t, cliRun{args: []string{"article", linked}})
		want := []string{filepath.Join(linked, "b.htm"), filepath.Join(linked, "c.xhtml.gz")}
		if ins := recordInputs(decodeRecords(t, got.stdout)); got.code != exitOK || !slices.Equal(ins, want) {
			t.Errorf("exit %d, inputs %q, want %q\n%s", got.code, ins, want, got.stderr)
		}
	})
}

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, s)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBatchGlobs(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)
	writeFile(t, dir, "notes.txt", "not a page")
	bracket := writeFile(t, dir, "odd[1].html", fireHTML)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // inputs of the records, in order
		wantErr  string   // in the last record
	}{
		{name: "pattern the shell left", args: []string{filepath.Join(dir, "f*.html")}, want: []string{fire, flood}},
		{name: "no match", args: []string{filepath.Join(dir, "*.xml"), fire}, wantCode: exitPartial, want: []string{filepath.Join(dir, "*.xml"), fire}},
		{name: "existing file with brackets is a file", args: []string{bracket}, want: []string{bracket}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, cliRun{args: append([]string{"article"}, tt.args...)})
			if got.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, tt.wantCode, got.stderr)
			}
			recs := decodeRecords(t, got.stdout)
			if ins := recordInputs(recs); !slices.Equal(ins, tt.want) {
				t.Errorf("inputs = %q, want %q", ins, tt.want)
			}
			if tt.wantCode == exitPartial && !strings.Contains(got.stderr, "no file matches this pattern") {
				t.Errorf("stderr = %q", got.stderr)
			}
		})
	}
}

// newsServer serves generated pages at /story/N. It counts the requests in
// flight and the most at once, and answers each once hold lets it go.
type newsServer struct {
	*httptest.Server
	// hold, when not nil, holds every request until it is closed; set it
	// before the first request.
	hold <-chan struct{}
	// paired is closed once two requests are in flight at once.
	paired chan struct{}
	// served receives once for every request answered.
	served chan struct{}

	mu       sync.Mutex
	inFlight int
	peak     int
}

func newNewsServer(t *testing.T) *newsServer {
	s := &newsServer{paired: make(chan struct{}), served: make(chan struct{}, 64)}
	var pairOnce sync.Once
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.inFlight++
		s.peak = max(s.peak, s.inFlight)
		if s.inFlight == 2 {
			pairOnce.Do(func() { close(s.paired) })
		}
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
			select {
			case s.served <- struct{}{}:
			default:
			}
		}()
		if s.hold != nil {
			timer := time.NewTimer(guard)
			defer timer.Stop()
			select {
			case <-s.hold:
			case <-r.Context().Done():
				return
			case <-timer.C:
				t.Errorf("%s held for %v: the test never let it go", r.URL.Path, guard)
				return
			}
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/story/%d", &i); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, articleHTML(storyTitle(i), paraFire, paraCause))
	}))
	t.Cleanup(s.Close)
	return s
}

// peakInFlight returns the most requests the server had in flight at once.
func (s *newsServer) peakInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

func TestBatchURLList(t *testing.T) {
	srv := newNewsServer(t)
	dir := t.TempDir()
	list := writeFile(t, dir, "urls.txt", strings.Join([]string{
		"# today's news",
		srv.URL + "/story/1",
		"",
		"  " + srv.URL + "/story/2  ",
		"news.example/no-scheme",
		srv.URL + "/missing",
		"\t# indented comment",
		srv.URL + "/story/3",
	}, "\n"))
	empty := writeFile(t, dir, "empty.txt", "# nothing today\n\n")

	got := runCLI(t, cliRun{
		args:  []string{"article", "--allow-private-networks", "-j", "4", "--retries", "0", "--host-delay", "0", "--urls-from", list, "--urls-from", "-", "--urls-from", empty, "--urls-from", filepath.Join(dir, "absent.txt")},
		stdin: srv.URL + "/story/4\r\nftp://old.example/x\r\n",
	})
	if got.code != exitPartial {
		t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, exitPartial, got.stderr)
	}
	type want struct{ input, errPart string }
	wants := []want{
		{input: srv.URL + "/story/1"},
		{input: srv.URL + "/story/2"},
		{input: list + ":5", errPart: `not a URL: "news.example/no-scheme"`},
		{input: srv.URL + "/missing", errPart: "404"},
		{input: srv.URL + "/story/3"},
		{input: srv.URL + "/story/4"},
		{input: "stdin:2", errPart: `not a URL: "ftp://old.example/x"`},
		{input: empty, errPart: "no URLs in this list"},
		{input: filepath.Join(dir, "absent.txt"), errPart: "no such file"},
	}
	recs := decodeRecords(t, got.stdout)
	if len(recs) != len(wants) {
		t.Fatalf("got %d records, want %d:\n%s", len(recs), len(wants), got.stdout)
	}
	for i, w := range wants {
		r := recs[i]
		if r.Input != w.input || !strings.Contains(r.Error, w.errPart) || (w.errPart == "") != (r.Error == "") {
			t.Errorf("record %d = {input %q, error %q}, want input %q and error containing %q", i, r.Input, r.Error, w.input, w.errPart)
		}
	}
	if !strings.Contains(got.stderr, "incidex: "+list+":5: not a URL: ") {
		t.Errorf("stderr does not name the list's line:\n%s", got.stderr)
	}
}

// stepClock is a clock of host delays that moves only when a wait fires,
// and fires every wait at once: a batch spaced by --host-delay takes no
// time. It records when each wait ends, which is when a request starts.
type stepClock struct {
	mu   sync.Mutex
	now  time.Time
	ends []time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.ends = append(c.ends, c.now)
	fired := make(chan time.Time, 1)
	fired <- c.now
	return fired
}

func (c *stepClock) waitEnds() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.ends)
}

func TestBatchHostLimits(t *testing.T) {
	t.Run("at most 2 requests at once to a host, hosts side by side", func(t *testing.T) {
		const fromA, fromB = 4, 12
		a, b := newNewsServer(t), newNewsServer(t)
		// Host a answers nothing until the test lets it; host b answers
		// once it has two requests in flight, then at once.
		releaseA := make(chan struct{})
		a.hold, b.hold = releaseA, b.paired
		var args []string
		for i := range fromA {
			args = append(args, fmt.Sprintf("%s/story/%d", a.URL, i))
		}
		for i := range fromB {
			args = append(args, fmt.Sprintf("%s/story/%d", b.URL, i))
		}
		// A worker for every input: only the host limit holds requests back.
		done := runCLIAsync(t, cliRun{args: append([]string{"article", "--allow-private-networks", "-j", strconv.Itoa(len(args)), "--host-delay", "0"}, args...)})

		await(t, a.paired, "host a never had 2 requests in flight at once")
		// All of host b is fetched while host a's requests are held: time
		// enough for a limiter that lets a third request to host a through
		// to show it in a's peak.
		for range fromB {
			await(t, b.served, "host b was not fetched while host a's requests were held: the hosts are not fetched side by side")
		}
		close(releaseA)
		got := await(t, done, "incidex did not finish once host a was let go")
		if got.code != exitOK {
			t.Fatalf("exit code = %d\nstderr: %s", got.code, got.stderr)
		}
		if recs := decodeRecords(t, got.stdout); !slices.Equal(recordInputs(recs), args) {
			t.Errorf("records are not the inputs in order")
		}
		for name, s := range map[string]*newsServer{"a": a, "b": b} {
			if peak := s.peakInFlight(); peak != batch.MaxRequestsPerHost {
				t.Errorf("server %s saw at most %d requests at once, want %d (a worker for every input, so only the host limit holds them back)", name, peak, batch.MaxRequestsPerHost)
			}
		}
	})

	t.Run("delay between requests to a host", func(t *testing.T) {
		// An hour apart: with the real clock the test could not finish.
		const delay = time.Hour
		clock := &stepClock{now: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
		start := clock.Now()
		s := newNewsServer(t)
		var args []string
		for i := range 4 {
			args = append(args, fmt.Sprintf("%s/story/%d", s.URL, i))
		}
		done := runCLIAsync(t, cliRun{
			args:  append([]string{"article", "--allow-private-networks", "-j", "4", "--host-delay", delay.String()}, args...),
			clock: clock,
		})
		got := await(t, done, "incidex did not finish: were the host delays waited for on the real clock?")
		if got.code != exitOK {
			t.Fatalf("exit code = %d\nstderr: %s", got.code, got.stderr)
		}
		if recs := decodeRecords(t, got.stdout); !slices.Equal(recordInputs(recs), args) {
			t.Errorf("records are not the inputs in order")
		}
		// The first request starts at once; each later one waits for its
		// turn, delay after the one before.
		starts := append([]time.Time{start}, clock.waitEnds()...)
		if len(starts) != len(args) {
			t.Fatalf("the limiter asked for %d waits, want %d: starts %v", len(starts)-1, len(args)-1, starts)
		}
		for i := 1; i < len(starts); i++ {
			if gap := starts[i].Sub(starts[i-1]); gap != delay {
				t.Errorf("requests %d and %d to one host start %v apart, want %v", i, i+1, gap, delay)
			}
		}
		if peak := s.peakInFlight(); peak > batch.MaxRequestsPerHost {
			t.Errorf("server saw %d requests at once, want at most %d", peak, batch.MaxRequestsPerHost)
		}
	})
}

func TestBatchStdinJSONL(t *testing.T) {
	line := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	stdin := strings.Join([]string{
		line(map[string]string{"url": "https://news.example/fire", "html": fireHTML}),
		line(map[string]string{"html": floodHTML}),
		"",
		"this is not json",
		line(map[string]string{"url": "https://news.example/no-html"}),
		line(map[string]string{"html": "   "}),
		line(map[string]any{"url": "https://news.example/n", "html": 42}),
		// A <meta charset> no longer describes the bytes of a JSON string.
		line(map[string]string{"url": "saved/hack.html", "html": strings.Replace(hackHTML, `charset="utf-8"`, `charset="shift_jis"`, 1)}),
	}, "\n") + "\n"

	type want struct{ input, title, url, errPart string }
	wants := []want{
		{input: "https://news.example/fire", title: fireTitle, url: "https://news.example/fire"},
		{input: "stdin:2", title: floodTitle},
		{input: "stdin:4", errPart: `not a {"url": ..., "html": ...} object`},
		{input: "https://news.example/no-html", errPart: `stdin:5: no "html" field`},
		{input: "stdin:6", errPart: "empty page"},
		{input: "https://news.example/n", errPart: "stdin:7: not a"},
		{input: "saved/hack.html", title: "Marks & Spencer hit by cyber attack"},
	}
	for _, args := range [][]string{
		{"article", "--input-format", "jsonl"},
		{"article", "--input-format", "jsonl", "-"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			got := runCLI(t, cliRun{args: args, stdin: stdin})
			if got.code != exitPartial {
				t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, exitPartial, got.stderr)
			}
			recs := decodeRecords(t, got.stdout)
			if len(recs) != len(wants) {
				t.Fatalf("got %d records, want %d:\n%s", len(recs), len(wants), got.stdout)
			}
			for i, w := range wants {
				r := recs[i]
				if r.Input != w.input || r.Title != w.title || r.URL != w.url ||
					!strings.Contains(r.Error, w.errPart) || (w.errPart == "") != (r.Error == "") {
					t.Errorf("record %d = {input %q, title %q, url %q, error %q}, want %+v", i, r.Input, r.Title, r.URL, r.Error, w)
				}
			}
		})
	}

	t.Run("empty stream is fine", func(t *testing.T) {
		got := runCLI(t, cliRun{args: []string{"extract", "--input-format", "jsonl"}})
		if got.code != exitOK || got.stdout != "" || got.stderr != "" {
			t.Errorf("exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
		}
	})
	t.Run("with files, - must be named", func(t *testing.T) {
		dir := t.TempDir()
		got := runCLI(t, cliRun{args: []string{"article", "--input-format", "jsonl", writeFile(t, dir, "a.html", fireHTML)}})
		if got.code != exitUsage || !strings.Contains(got.stderr, "add - to the inputs") {
			t.Errorf("exit %d, stderr %q", got.code, got.stderr)
		}
	})
	t.Run("stdin feeds one input only", func(t *testing.T) {
		got := runCLI(t, cliRun{args: []string{"article", "--input-format", "jsonl", "--urls-from", "-"}})
		if got.code != exitUsage {
			t.Errorf("exit %d, stderr %q", got.code, got.stderr)
		}
	})
}

func TestBatchResume(t *testing.T) {
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages")
	if err := os.Mkdir(pages, 0o755); err != nil {
		t.Fatal(err)
	}
	writeStories(t, pages, 30)
	writeFile(t, pages, "zz-empty.html", emptyHTML)

	full := runCLI(t, cliRun{args: []string{"article", "-j", "4", pages}})
	if full.code != exitPartial {
		t.Fatalf("full run: exit %d\n%s", full.code, full.stderr)
	}
	lines := nonEmptyLines(full.stdout)

	t.Run("after a kill in the middle of a line", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out.jsonl")
		// A run killed while writing record 13: 12 whole lines and half of one.
		partial := strings.Join(lines[:12], "\n") + "\n" + lines[12][:len(lines[12])/2]
		if err := os.WriteFile(out, []byte(partial), 0o644); err != nil {
			t.Fatal(err)
		}
		got := runCLI(t, cliRun{args: []string{"article", "-j", "4", "--resume", out, pages}})
		if got.code != exitPartial {
			t.Errorf("exit code = %d, want %d (the empty page fails in this run)\nstderr: %s", got.code, exitPartial, got.stderr)
		}
		if got.stdout != "" {
			t.Errorf("stdout = %q, want nothing: records go to the --resume file", got.stdout)
		}
		if !strings.Contains(got.stderr, "dropped a partial last line") {
			t.Errorf("stderr does not mention the partial line:\n%s", got.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkWholeLines(t, string(b))
		if string(b) != full.stdout {
			t.Errorf("resumed file differs from an uninterrupted run:\n%s", b)
		}
	})

	t.Run("recorded errors count as done", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out.jsonl")
		if err := os.WriteFile(out, []byte(full.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		got := runCLI(t, cliRun{args: []string{"article", "--resume", out, pages}})
		if got.code != exitOK || got.stderr != "" {
			t.Errorf("exit %d, stderr %q; want 0 and nothing to do", got.code, got.stderr)
		}
		b, _ := os.ReadFile(out)
		if string(b) != full.stdout {
			t.Errorf("a run with nothing left changed the file")
		}
	})

	t.Run("new file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "new.jsonl")
		got := runCLI(t, cliRun{args: []string{"article", "--resume", out, pages}, stdoutTTY: true})
		if got.code != exitPartial {
			t.Errorf("exit %d", got.code)
		}
		b, _ := os.ReadFile(out)
		if string(b) != full.stdout {
			t.Errorf("--resume into a new file is not jsonl in order (even with stdout a terminal)")
		}
	})

	t.Run("a file that is not incidex output is left alone", func(t *testing.T) {
		out := writeFile(t, t.TempDir(), "notes.jsonl", lines[0]+"\nhello there\n"+lines[1]+"\n")
		before, _ := os.ReadFile(out)
		got := runCLI(t, cliRun{args: []string{"article", "--resume", out, pages}})
		if got.code != exitError || !strings.Contains(got.stderr, "notes.jsonl:2: not a JSON record") {
			t.Errorf("exit %d, stderr %q", got.code, got.stderr)
		}
		if after, _ := os.ReadFile(out); !bytes.Equal(before, after) {
			t.Errorf("the file was changed")
		}
	})

	t.Run("only jsonl can be resumed", func(t *testing.T) {
		got := runCLI(t, cliRun{args: []string{"article", "--format", "text", "--resume", filepath.Join(t.TempDir(), "o"), pages}})
		if got.code != exitUsage {
			t.Errorf("exit %d, stderr %q", got.code, got.stderr)
		}
	})
}

func TestBatchProgress(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)
	empty := writeFile(t, dir, "empty.html", emptyHTML)

	run := func(t *testing.T, stderrTTY bool, extra ...string) (string, int) {
		ios, _, _, errOut := cli.TestIOStreams()
		ios.SetStderrTTY(stderrTTY)
		start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
		var ticks atomic.Int32
		f := &Factory{IOStreams: ios, Version: "test", Now: func() time.Time {
			// The first reading starts the batch; any later one ends it.
			if ticks.Add(1) == 1 {
				return start
			}
			return start.Add(1500 * time.Millisecond)
		}}
		code := execute(context.Background(), f, append([]string{"article", "-j", "2", fire, flood, empty}, extra...))
		return errOut.String(), code
	}

	t.Run("terminal: bar, error lines and a summary", func(t *testing.T) {
		stderr, code := run(t, true)
		if code != exitPartial {
			t.Errorf("exit code = %d", code)
		}
		if !strings.Contains(stderr, "incidex: "+empty+": no article text found") {
			t.Errorf("stderr lacks the error line:\n%q", stderr)
		}
		if want := "3 pages, 2 ok, 1 failed in 1.5 s (2/s)\n"; !strings.HasSuffix(stderr, want) {
			t.Errorf("stderr does not end with the summary %q:\n%q", want, stderr)
		}
	})
	t.Run("not a terminal: only the error line", func(t *testing.T) {
		stderr, _ := run(t, false)
		if want := "incidex: " + empty + ": no article text found (0 characters of text)\n"; stderr != want {
			t.Errorf("stderr = %q, want %q", stderr, want)
		}
	})
	t.Run("quiet: the error line alone, as curl -sS", func(t *testing.T) {
		stderr, code := run(t, true, "--quiet")
		if want := "incidex: " + empty + ": no article text found (0 characters of text)\n"; stderr != want || code != exitPartial {
			t.Errorf("exit %d, stderr = %q, want %q", code, stderr, want)
		}
	})
}
