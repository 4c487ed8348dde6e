package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/batch"
	"github.com/incidex/incidex/internal/cli"
)

// outRecord is one JSON value on stdout: an article or an error record.
type outRecord struct {
	Input      string   `json:"input"`
	URL        string   `json:"url"`
	Title      string   `json:"title"`
	Text       string   `json:"text"`
	Paragraphs []string `json:"paragraphs"`
	Error      string   `json:"error"`
	Stats      struct {
		HTMLBytes int `json:"html_bytes"`
		TextChars int `json:"text_chars"`
	} `json:"stats"`
}

// decodeRecords reads every JSON value from s, in order.
func decodeRecords(t *testing.T, s string) []outRecord {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var recs []outRecord
	for {
		var r outRecord
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			return recs
		}
		if err != nil {
			t.Fatalf("stdout is not a JSON stream: %v\n%s", err, s)
		}
		recs = append(recs, r)
	}
}

// nonEmptyLines splits s into lines, dropping a final empty one.
func nonEmptyLines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestArticleFormatSelection(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)

	tests := []struct {
		name         string
		args         []string
		stdoutTTY    bool
		wantIndented bool
	}{
		{name: "terminal defaults to indented json", args: []string{"article", fire, flood}, stdoutTTY: true, wantIndented: true},
		{name: "pipe defaults to jsonl", args: []string{"article", fire, flood}, stdoutTTY: false, wantIndented: false},
		{name: "explicit json on a pipe is indented", args: []string{"article", "--format", "json", fire, flood}, wantIndented: true},
		{name: "explicit jsonl on a terminal is compact", args: []string{"article", "--format=jsonl", fire, flood}, stdoutTTY: true, wantIndented: false},
		{name: "format value is case-insensitive", args: []string{"article", "--format", "JSONL", fire, flood}, wantIndented: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, cliRun{args: tt.args, stdoutTTY: tt.stdoutTTY})
			if got.code != exitOK {
				t.Fatalf("exit code = %d, want %d\nstderr: %s", got.code, exitOK, got.stderr)
			}
			if got.stderr != "" {
				t.Errorf("unexpected stderr: %s", got.stderr)
			}
			recs := decodeRecords(t, got.stdout)
			if len(recs) != 2 {
				t.Fatalf("got %d records, want 2:\n%s", len(recs), got.stdout)
			}
			if recs[0].Input != fire || recs[1].Input != flood {
				t.Errorf("inputs = %q, %q; want %q, %q (in order)", recs[0].Input, recs[1].Input, fire, flood)
			}
			if recs[0].Title != fireTitle || recs[1].Title != floodTitle {
				t.Errorf("titles = %q, %q", recs[0].Title, recs[1].Title)
			}
			lines := nonEmptyLines(got.stdout)
			if tt.wantIndented {
				if !strings.HasPrefix(got.stdout, "{\n  \"input\": ") {
					t.Errorf("want indented JSON, got:\n%.200s", got.stdout)
				}
			} else {
				if len(lines) != 2 {
					t.Errorf("want 2 JSONL lines, got %d:\n%s", len(lines), got.stdout)
				}
				for i, line := range lines {
					if !json.Valid([]byte(line)) {
						t.Errorf("line %d is not a JSON object: %.100s", i+1, line)
					}
				}
			}
		})
	}
}

func TestArticleFailures(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)
	empty := writeFile(t, dir, "empty.html", emptyHTML)
	missing := filepath.Join(dir, "missing.html")
	subdir := filepath.Join(dir, "saved")
	if err := os.Mkdir(subdir, 0o755); err != nil {
		t.Fatal(err)
	}

	// want describes one expected stdout record: an article title or an error.
	type want struct {
		input   string
		isError bool
	}
	tests := []struct {
		name        string
		args        []string
		wantCode    int
		wantRecords []want
		wantErrors  []string // inputs named on stderr, in order
	}{
		{
			name:     "mixed good and bad inputs keep order",
			args:     []string{"article", fire, missing, empty, flood},
			wantCode: exitPartial,
			wantRecords: []want{
				{input: fire},
				{input: missing, isError: true},
				{input: empty, isError: true},
				{input: flood},
			},
			wantErrors: []string{missing, empty},
		},
		{
			name:        "all inputs bad",
			args:        []string{"article", missing, empty},
			wantCode:    exitError,
			wantRecords: []want{{input: missing, isError: true}, {input: empty, isError: true}},
			wantErrors:  []string{missing, empty},
		},
		{
			name:        "single missing file",
			args:        []string{"article", missing},
			wantCode:    exitError,
			wantRecords: []want{{input: missing, isError: true}},
			wantErrors:  []string{missing},
		},
		{
			name:        "directory without pages is an error",
			args:        []string{"article", subdir, fire},
			wantCode:    exitPartial,
			wantRecords: []want{{input: subdir, isError: true}, {input: fire}},
			wantErrors:  []string{subdir},
		},
		{
			name:        "explicit json leaves errors to stderr",
			args:        []string{"article", "--format", "json", missing, fire},
			wantCode:    exitPartial,
			wantRecords: []want{{input: fire}},
			wantErrors:  []string{missing},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, cliRun{args: tt.args})
			if got.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, tt.wantCode, got.stderr)
			}

			recs := decodeRecords(t, got.stdout)
			if len(recs) != len(tt.wantRecords) {
				t.Fatalf("got %d records, want %d:\n%s", len(recs), len(tt.wantRecords), got.stdout)
			}
			for i, w := range tt.wantRecords {
				r := recs[i]
				if r.Input != w.input {
					t.Errorf("record %d: input = %q, want %q", i, r.Input, w.input)
				}
				if gotErr := r.Error != ""; gotErr != w.isError {
					t.Errorf("record %d (%s): error = %q, want error: %v", i, w.input, r.Error, w.isError)
				}
				if !w.isError && r.Title == "" {
					t.Errorf("record %d (%s): empty title", i, w.input)
				}
			}

			lines := nonEmptyLines(got.stderr)
			if len(lines) != len(tt.wantErrors) {
				t.Fatalf("stderr has %d lines, want %d (one per failed input):\n%s", len(lines), len(tt.wantErrors), got.stderr)
			}
			for i, input := range tt.wantErrors {
				prefix := "incidex: " + input + ": "
				if !strings.HasPrefix(lines[i], prefix) || len(lines[i]) == len(prefix) {
					t.Errorf("stderr line %d = %q, want %q followed by a cause", i+1, lines[i], prefix)
				}
				if strings.Contains(lines[i], "goroutine") || strings.Contains(lines[i], "Usage:") {
					t.Errorf("stderr line %d leaks internals: %q", i+1, lines[i])
				}
			}
		})
	}
}

func TestArticleDirectoryMessage(t *testing.T) {
	dir := t.TempDir()
	got := runCLI(t, cliRun{args: []string{"article", dir}})
	if want := "incidex: " + dir + ": " + batch.ErrNoPages.Error() + "\n"; got.stderr != want {
		t.Errorf("stderr = %q, want %q", got.stderr, want)
	}
	if got.code != exitError {
		t.Errorf("exit code = %d, want %d", got.code, exitError)
	}
}

func TestArticleInputErrorMessages(t *testing.T) {
	tests := []struct {
		name       string
		arg        string
		wantStderr string
	}{
		{name: "unsupported scheme", arg: "ftp://example.com/x", wantStderr: `incidex: ftp://example.com/x: unsupported URL scheme "ftp": only http and https URLs are read` + "\n"},
		{name: "http without host", arg: "https:///news", wantStderr: "incidex: https:///news: invalid URL: no host\n"},
		{name: "url without scheme", arg: "example.com/news", wantStderr: "incidex: example.com/news: no such file or directory (not a URL: URLs start with http:// or https://)\n"},
		{name: "www host without scheme", arg: "www.example.com", wantStderr: "incidex: www.example.com: no such file or directory (not a URL: URLs start with http:// or https://)\n"},
		{name: "missing html file gets no url hint", arg: "saved/page.html", wantStderr: "incidex: saved/page.html: no such file or directory\n"},
		{name: "control characters are quoted", arg: "bad\x1b[2Jname\n.html", wantStderr: `incidex: "bad\x1b[2Jname\n.html": no such file or directory` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			got := runCLI(t, cliRun{args: []string{"article", tt.arg}})
			if got.stderr != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", got.stderr, tt.wantStderr)
			}
			if got.code != exitError {
				t.Errorf("exit code = %d, want %d", got.code, exitError)
			}
		})
	}
}

// TestArticleTimeoutCoversRetries checks that --timeout bounds a URL as a
// whole: a server that never answers gets one attempt of the budget, not one
// budget per attempt.
func TestArticleTimeoutCoversRetries(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		// Never answer: the client's time limit must end the request.
		timer := time.NewTimer(guard)
		defer timer.Stop()
		select {
		case <-r.Context().Done():
		case <-timer.C:
			t.Errorf("the request was still open after %v: --timeout did not end it", guard)
		}
	}))
	defer srv.Close()

	got := runCLI(t, cliRun{args: []string{"article", "--allow-private-networks", "--timeout", "200ms", "--retries", "3", srv.URL}})
	if got.code != exitError {
		t.Errorf("exit code = %d, want %d", got.code, exitError)
	}
	if want := "incidex: " + srv.URL + ": timed out after 200ms (--timeout 200ms bounds each input)\n"; got.stderr != want {
		t.Errorf("stderr = %q, want %q", got.stderr, want)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1 (the time limit covers retries)", n)
	}
}

func TestArticleUsageErrors(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)

	tests := []struct {
		name      string
		args      []string
		wantError string
	}{
		{name: "no inputs", args: []string{"article"}, wantError: "incidex: no input"},
		{name: "unknown flag", args: []string{"article", "--bogus", fire}, wantError: "incidex: unknown flag: --bogus"},
		{name: "bad format", args: []string{"article", "--format", "xml", fire}, wantError: `incidex: invalid argument "xml" for "--format" flag`},
		{name: "bad max-bytes", args: []string{"article", "--max-bytes", "lots", fire}, wantError: `for "--max-bytes" flag`},
		{name: "zero max-bytes", args: []string{"article", "--max-bytes", "0", fire}, wantError: "size must be positive"},
		{name: "bad timeout", args: []string{"article", "--timeout", "soon", fire}, wantError: `for "--timeout" flag`},
		{name: "zero timeout", args: []string{"article", "--timeout", "0s", fire}, wantError: "--timeout must be positive"},
		{name: "negative retries", args: []string{"article", "--retries", "-1", fire}, wantError: "--retries must be 0 or more"},
		{name: "stdin twice", args: []string{"article", "-", "-"}, wantError: `"-" (stdin) may be given only once`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, cliRun{args: tt.args})
			if got.code != exitUsage {
				t.Errorf("exit code = %d, want %d", got.code, exitUsage)
			}
			if got.stdout != "" {
				t.Errorf("stdout should be empty on a usage error, got:\n%s", got.stdout)
			}
			lines := nonEmptyLines(got.stderr)
			if len(lines) != 2 {
				t.Fatalf("want an error line and a hint, got:\n%s", got.stderr)
			}
			if !strings.Contains(lines[0], tt.wantError) || !strings.HasPrefix(lines[0], "incidex: ") {
				t.Errorf("stderr line 1 = %q, want it to contain %q", lines[0], tt.wantError)
			}
			if want := "Run 'incidex article --help' for usage."; lines[1] != want {
				t.Errorf("stderr line 2 = %q, want %q", lines[1], want)
			}
		})
	}
}

func TestArticleStdin(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)

	got := runCLI(t, cliRun{args: []string{"article", "-", fire}, stdin: floodHTML})
	if got.code != exitOK {
		t.Fatalf("exit code = %d, want %d\nstderr: %s", got.code, exitOK, got.stderr)
	}
	recs := decodeRecords(t, got.stdout)
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2:\n%s", len(recs), got.stdout)
	}
	if recs[0].Input != "-" || recs[0].Title != floodTitle {
		t.Errorf("stdin record: input %q title %q, want %q %q", recs[0].Input, recs[0].Title, "-", floodTitle)
	}
	if recs[0].URL != "" {
		t.Errorf("stdin record has url %q, want none", recs[0].URL)
	}
	if recs[0].Stats.HTMLBytes != len(floodHTML) {
		t.Errorf("html_bytes = %d, want %d", recs[0].Stats.HTMLBytes, len(floodHTML))
	}
	if recs[1].Input != fire {
		t.Errorf("second record input = %q, want %q", recs[1].Input, fire)
	}
}

func TestArticleURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/news/fire":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, fireHTML)
		case "/old/fire":
			http.Redirect(w, r, "/news/fire", http.StatusMovedPermanently)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	tests := []struct {
		name     string
		path     string
		wantURL  string
		wantCode int
	}{
		{name: "page", path: "/news/fire", wantURL: srv.URL + "/news/fire", wantCode: exitOK},
		{name: "redirect records final url", path: "/old/fire", wantURL: srv.URL + "/news/fire", wantCode: exitOK},
		{name: "not found", path: "/missing", wantCode: exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := srv.URL + tt.path
			got := runCLI(t, cliRun{args: []string{"article", "--allow-private-networks", "--retries", "0", input}})
			if got.code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d\nstderr: %s", got.code, tt.wantCode, got.stderr)
			}
			recs := decodeRecords(t, got.stdout)
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1:\n%s", len(recs), got.stdout)
			}
			r := recs[0]
			if r.Input != input {
				t.Errorf("input = %q, want %q", r.Input, input)
			}
			if tt.wantCode != exitOK {
				if r.Error == "" {
					t.Errorf("want an error record, got %+v", r)
				}
				if !strings.HasPrefix(got.stderr, "incidex: "+input+": ") {
					t.Errorf("stderr = %q", got.stderr)
				}
				return
			}
			if r.URL != tt.wantURL {
				t.Errorf("url = %q, want %q", r.URL, tt.wantURL)
			}
			if r.Title != fireTitle {
				t.Errorf("title = %q, want %q", r.Title, fireTitle)
			}
			if r.Stats.HTMLBytes != len(fireHTML) {
				t.Errorf("html_bytes = %d, want %d", r.Stats.HTMLBytes, len(fireHTML))
			}
			if r.Stats.TextChars == 0 {
				t.Errorf("text_chars = 0")
			}
		})
	}
}

// TestArticlePrivateNetworks checks that a URL on a loopback address is
// refused without a request, in one line that names the URL and the
// address and points at the flag, with the exit status of any failed input;
// and that --allow-private-networks reads it.
func TestArticlePrivateNetworks(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, fireHTML)
	}))
	defer srv.Close()
	input := srv.URL + "/news/fire"
	refusal := "refused to connect to 127.0.0.1 (a loopback address); --allow-private-networks allows it"
	flood := writeFile(t, t.TempDir(), "flood.html", floodHTML)

	tests := []struct {
		name         string
		args         []string
		wantCode     int
		wantStderr   string
		wantRequests int32
	}{
		{
			name: "refused", args: []string{input},
			wantCode: exitError, wantStderr: "incidex: " + input + ": " + refusal + "\n",
		},
		{
			name: "refused in a batch that reads other inputs", args: []string{input, flood},
			wantCode: exitPartial, wantStderr: "incidex: " + input + ": " + refusal + "\n",
		},
		{
			name: "allowed", args: []string{"--allow-private-networks", input},
			wantCode: exitOK, wantRequests: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requests.Store(0)
			got := runCLI(t, cliRun{args: append([]string{"article", "--retries", "0"}, tt.args...)})
			if got.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, tt.wantCode, got.stderr)
			}
			if got.stderr != tt.wantStderr {
				t.Errorf("stderr = %q\nwant     %q", got.stderr, tt.wantStderr)
			}
			if n := requests.Load(); n != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", n, tt.wantRequests)
			}
			recs := decodeRecords(t, got.stdout)
			if len(recs) == 0 || recs[0].Input != input {
				t.Fatalf("want the URL's record first, got:\n%s", got.stdout)
			}
			if tt.wantCode == exitOK {
				if recs[0].Title != fireTitle {
					t.Errorf("title = %q, want %q", recs[0].Title, fireTitle)
				}
			} else if recs[0].Error != refusal {
				t.Errorf("error record = %q, want %q", recs[0].Error, refusal)
			}
		})
	}
}

func TestArticleTextFormat(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)

	got := runCLI(t, cliRun{args: []string{"article", "--format", "text", fire, flood}, stdoutTTY: true})
	if got.code != exitOK {
		t.Fatalf("exit code = %d, want %d\nstderr: %s", got.code, exitOK, got.stderr)
	}
	want := strings.Join([]string{fireTitle, paraFire, paraCause, paraHurt, paraRoad, floodTitle, paraFlood, paraPump, paraWarn}, "\n\n") + "\n"
	if got.stdout != want {
		t.Errorf("text output mismatch\ngot:\n%s\nwant:\n%s", got.stdout, want)
	}
}

func TestArticleInterrupted(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)

	t.Run("cancelled before start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		got := runCLI(t, cliRun{args: []string{"article", fire}, ctx: ctx})
		if got.code != exitInterrupted {
			t.Errorf("exit code = %d, want %d", got.code, exitInterrupted)
		}
		if got.stdout != "" {
			t.Errorf("stdout = %q, want empty", got.stdout)
		}
		if got.stderr != "incidex: interrupted\n" {
			t.Errorf("stderr = %q", got.stderr)
		}
	})

	t.Run("cancelled during a download", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The server plays the user pressing Ctrl-C while the page loads,
		// and answers nothing: only the cancellation ends the request.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cancel()
			timer := time.NewTimer(guard)
			defer timer.Stop()
			select {
			case <-r.Context().Done():
			case <-timer.C:
				t.Errorf("the download was still open %v after the cancellation", guard)
			}
		}))
		defer srv.Close()

		// One worker: the first page is written before the download starts.
		done := runCLIAsync(t, cliRun{args: []string{"article", "--allow-private-networks", "-j", "1", fire, srv.URL + "/slow", flood}, ctx: ctx})
		got := await(t, done, "incidex did not stop after the cancellation during a download")
		if got.code != exitInterrupted {
			t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, exitInterrupted, got.stderr)
		}
		recs := decodeRecords(t, got.stdout)
		if len(recs) != 1 || recs[0].Input != fire || recs[0].Error != "" {
			t.Errorf("want only the finished article for %s, got:\n%s", fire, got.stdout)
		}
		if got.stderr != "incidex: interrupted\n" {
			t.Errorf("stderr = %q, want only the interruption", got.stderr)
		}
	})

	t.Run("cancelled while reading stdin", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe() // stdin that never ends, like a terminal
		defer pw.Close()
		ios, _, out, errOut := cli.TestIOStreams()
		ios.In = pr
		done := make(chan int, 1)
		go func() {
			done <- execute(ctx, &Factory{IOStreams: ios, Version: "test"}, []string{"article", "-"})
		}()
		cancel()
		code := await(t, done, "did not stop after cancellation while reading stdin")
		if code != exitInterrupted {
			t.Errorf("exit code = %d, want %d\nstderr: %s", code, exitInterrupted, errOut)
		}
		if out.Len() != 0 {
			t.Errorf("stdout = %q, want empty", out)
		}
	})
}

// runReadInputs runs readPages with a custom convert of each article, the
// way the article and extract commands do, and returns the exit status.
func runReadInputs(ctx context.Context, ios *cli.IOStreams, args []string, convert func(*article.Article) any) int {
	f := &Factory{IOStreams: ios, Version: "test"}
	opts := defaultReadOptions(f)
	opts.Format = cli.FormatJSONL
	// One worker, so that the tests know which input is being read when
	// their convert function acts.
	opts.Jobs = 1
	err := readPages(ctx, &opts, args, articleProcess(convert))
	return exitStatus(ctx, ios, NewCmdArticle(f, nil), err)
}

// articleProcess is the processing of "incidex article" with convert
// applied to each article.
func articleProcess(convert func(*article.Article) any) func(context.Context, *source.Page) (any, error) {
	return func(_ context.Context, p *source.Page) (any, error) {
		a, err := article.Parse(p, article.Options{})
		if err != nil {
			return nil, err
		}
		return convert(a), nil
	}
}

// panicReader panics on the first read, like a bug deep in a reader.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader exploded\nwith a second line") }

func TestReadInputsPanicFailsOneInput(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)
	ios, _, out, errOut := cli.TestIOStreams()
	ios.In = panicReader{}

	code := runReadInputs(context.Background(), ios, []string{fire, "-", flood}, func(a *article.Article) any {
		if a.Title == floodTitle {
			panic(errors.New("convert exploded"))
		}
		return a
	})
	if code != exitPartial {
		t.Errorf("exit code = %d, want %d", code, exitPartial)
	}
	recs := decodeRecords(t, out.String())
	if len(recs) != 3 || recs[0].Error != "" || recs[1].Error == "" || recs[2].Error == "" {
		t.Fatalf("want the article, then two error records, got:\n%s", out)
	}
	want := "incidex: -: internal error: reader exploded with a second line\n" +
		"incidex: " + flood + ": internal error: convert exploded\n"
	if errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
}

func TestReadInputsInterruptedDuringExtraction(t *testing.T) {
	dir := t.TempDir()
	fire := writeFile(t, dir, "fire.html", fireHTML)
	flood := writeFile(t, dir, "flood.html", floodHTML)

	t.Run("while an input is being extracted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		release := make(chan struct{})
		defer close(release)
		ios, _, out, errOut := cli.TestIOStreams()
		done := make(chan int, 1)
		go func() {
			done <- runReadInputs(ctx, ios, []string{fire, flood}, func(a *article.Article) any {
				if a.Title == floodTitle {
					cancel() // Ctrl-C during a slow extraction
					<-release
				}
				return a
			})
		}()
		code := await(t, done, "did not stop after cancellation during extraction")
		if code != exitInterrupted {
			t.Errorf("exit code = %d, want %d", code, exitInterrupted)
		}
		recs := decodeRecords(t, out.String())
		if len(recs) != 1 || recs[0].Input != fire {
			t.Errorf("want only the finished article, got:\n%s", out)
		}
		if errOut.String() != "incidex: interrupted\n" {
			t.Errorf("stderr = %q", errOut)
		}
	})

	t.Run("after the last input", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ios, _, _, errOut := cli.TestIOStreams()
		code := runReadInputs(ctx, ios, []string{fire}, func(a *article.Article) any {
			cancel()
			return a
		})
		if code != exitInterrupted {
			t.Errorf("exit code = %d, want %d", code, exitInterrupted)
		}
		if errOut.String() != "incidex: interrupted\n" {
			t.Errorf("stderr = %q", errOut)
		}
	})
}

func TestNewCmdArticleFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantOpts  readOptions
		wantFetch source.FetchOptions
	}{
		{
			name: "defaults",
			args: []string{"x.html"},
			wantOpts: readOptions{
				Format: cli.FormatAuto, Timeout: 20 * time.Second, ConnectTimeout: 10 * time.Second,
				MaxBytes: source.DefaultMaxBytes, Retries: 3,
				Jobs: runtime.NumCPU(), HostDelay: time.Second, InputFormat: inputHTML,
			},
			wantFetch: source.FetchOptions{
				Timeout: 20 * time.Second, Total: 20 * time.Second, ConnectTimeout: 10 * time.Second,
				MaxBytes: source.DefaultMaxBytes, Retries: 3,
			},
		},
		{
			name: "every flag",
			args: []string{
				"--format", "text", "--timeout", "5s", "--connect-timeout", "2s",
				"--max-bytes", "2MiB", "--retries", "0", "--user-agent", "test-agent/1", "--allow-private-networks",
				"-j", "7", "--unordered", "--host-delay", "250ms", "--urls-from", "a.txt", "--urls-from", "b.txt",
				"--input-format", "JSONL", "--resume", "out.jsonl", "--quiet", "x.html",
			},
			wantOpts: readOptions{
				Format: cli.FormatText, Timeout: 5 * time.Second, ConnectTimeout: 2 * time.Second,
				MaxBytes: 2 << 20, Retries: 0, UserAgent: "test-agent/1", AllowPrivateNetworks: true,
				Jobs: 7, Unordered: true, HostDelay: 250 * time.Millisecond, URLsFrom: []string{"a.txt", "b.txt"},
				InputFormat: inputJSONL, Resume: "out.jsonl", Quiet: true,
			},
			wantFetch: source.FetchOptions{
				Timeout: 5 * time.Second, Total: 5 * time.Second, ConnectTimeout: 2 * time.Second,
				MaxBytes: 2 << 20, Retries: -1, UserAgent: "test-agent/1", AllowPrivateNetworks: true,
			},
		},
		{
			name:      "plain integer max-bytes",
			args:      []string{"--max-bytes", "123456", "x.html"},
			wantOpts:  readOptions{Timeout: 20 * time.Second, ConnectTimeout: 10 * time.Second, MaxBytes: 123456, Retries: 3, Jobs: runtime.NumCPU(), HostDelay: time.Second, InputFormat: inputHTML},
			wantFetch: source.FetchOptions{Timeout: 20 * time.Second, Total: 20 * time.Second, ConnectTimeout: 10 * time.Second, MaxBytes: 123456, Retries: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := cli.TestIOStreams()
			var gotOpts *ArticleOptions
			var gotArgs []string
			cmd := NewCmdArticle(&Factory{IOStreams: ios}, func(_ context.Context, opts *ArticleOptions, args []string) error {
				gotOpts, gotArgs = opts, args
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			if err := cmd.ExecuteContext(context.Background()); err != nil {
				t.Fatalf("execute: %v", err)
			}
			if len(gotArgs) != 1 || gotArgs[0] != "x.html" {
				t.Errorf("args = %q, want [x.html]", gotArgs)
			}
			gotOpts.IO, gotOpts.now = nil, nil
			if !slices.Equal(gotOpts.formats, []cli.Format{cli.FormatJSON, cli.FormatJSONL, cli.FormatText}) || gotOpts.ttyFormat != cli.FormatJSON {
				t.Errorf("formats %v, on a terminal %q", gotOpts.formats, gotOpts.ttyFormat)
			}
			gotOpts.formats, gotOpts.ttyFormat = nil, ""
			if !reflect.DeepEqual(gotOpts.readOptions, tt.wantOpts) {
				t.Errorf("options = %+v\nwant      %+v", gotOpts.readOptions, tt.wantOpts)
			}
			if got := gotOpts.fetchOptions(); got != tt.wantFetch {
				t.Errorf("fetch options = %+v\nwant            %+v", got, tt.wantFetch)
			}
		})
	}
}
