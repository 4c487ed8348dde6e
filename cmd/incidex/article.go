package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/incidex/incidex/extract"
	"github.com/spf13/cobra"
)

// articleGCPercent is the GOGC of "incidex article" unless the environment
// sets one.
const articleGCPercent = 400

// ArticleOptions holds the flags and streams of "incidex article".
type ArticleOptions struct {
	readOptions
}

// readOptions are the flags of every command that reads pages.
type readOptions struct {
	IO *IOStreams

	Format         outputFormat
	Timeout        time.Duration
	ConnectTimeout time.Duration
	MaxBytes       byteSize
	Retries        int
	UserAgent      string

	// Batch flags.
	Jobs        int
	Unordered   bool
	HostDelay   time.Duration
	URLsFrom    []string
	InputFormat inputFormat
	Resume      string
	Quiet       bool

	now func() time.Time // the clock of the summary line
}

func defaultReadOptions(f *Factory) readOptions {
	now := f.Now
	if now == nil {
		now = time.Now
	}
	return readOptions{
		IO:             f.IOStreams,
		Timeout:        20 * time.Second,
		ConnectTimeout: 10 * time.Second,
		MaxBytes:       extract.DefaultMaxBytes,
		Retries:        3,
		Jobs:           runtime.NumCPU(),
		HostDelay:      defaultHostDelay,
		InputFormat:    inputHTML,
		now:            now,
	}
}

// addReadFlags registers the reading flags on cmd.
func (o *readOptions) addReadFlags(cmd *cobra.Command, formats string) {
	fl := cmd.Flags()
	fl.Var(&o.Format, "format", "output `format`: "+formats+" (default json on a terminal, jsonl otherwise)")
	fl.DurationVar(&o.Timeout, "timeout", o.Timeout, "time limit for each input, retries included")
	fl.DurationVar(&o.ConnectTimeout, "connect-timeout", o.ConnectTimeout, "time limit for connecting to a server")
	fl.Var(&o.MaxBytes, "max-bytes", "largest page to read, e.g. 1048576 or 10MiB")
	fl.IntVar(&o.Retries, "retries", o.Retries, "extra attempts after a timeout, 429 or 5xx response (0 disables)")
	fl.StringVar(&o.UserAgent, "user-agent", "", "User-Agent header for downloads (default: incidex's own)")

	fl.IntVarP(&o.Jobs, "jobs", "j", o.Jobs, "inputs read and extracted at once (for URL lists, more than the CPUs: workers mostly wait)")
	fl.BoolVar(&o.Unordered, "unordered", false, "write records as inputs finish instead of in input order")
	fl.DurationVar(&o.HostDelay, "host-delay", o.HostDelay, fmt.Sprintf("least time between the starts of two requests to one host (and at most %d at once)", maxRequestsPerHost))
	fl.StringArrayVar(&o.URLsFrom, "urls-from", nil, "read URLs from `FILE`, one a line (- for stdin; # comments; repeatable)")
	fl.Var(&o.InputFormat, "input-format", "how - (stdin) is read: html (one page) or jsonl (one {\"url\": ..., \"html\": ...} object a line)")
	fl.StringVar(&o.Resume, "resume", "", "append jsonl records to `FILE`, skipping the inputs it records already; stdout stays empty")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "no progress bar, summary or per-input error lines on stderr")
}

// NewCmdArticle returns the "article" command. runF replaces runArticle in
// tests that only check flag parsing; nil means runArticle.
func NewCmdArticle(f *Factory, runF func(context.Context, *ArticleOptions, []string) error) *cobra.Command {
	opts := &ArticleOptions{readOptions: defaultReadOptions(f)}
	if runF == nil {
		runF = runArticle
	}

	cmd := &cobra.Command{
		Use:   "article [flags] <url|file|dir|->...",
		Short: "Extract the main text and metadata of news articles",
		Long: `Extract the main text and metadata of each input.

` + inputsHelp + `

Output formats:
  json   one indented object per article (default when stdout is a terminal)
  jsonl  one compact object per line (default otherwise)
  text   the title, a blank line, then the paragraphs separated by blank lines

` + exitCodesHelp(),
		Example: `  incidex article https://example.com/news/fire.html
  incidex article --format text saved/page.html
  incidex article -j 4 --format jsonl saved/ > articles.jsonl
  curl -s https://example.com/story | incidex article -`,
		Args: requireInputs(&opts.readOptions),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts, args)
		},
	}

	opts.addReadFlags(cmd, "json, jsonl or text")
	return cmd
}

// inputsHelp describes the inputs and the batch behaviour of the commands
// that read pages.
const inputsHelp = `Inputs: http(s) URLs; saved pages (.html, .htm, .xhtml, also gzipped);
folders, walked recursively for those and for web archives (.warc,
.warc.gz), skipping hidden files; web archives, each HTML response record
becoming an input named FILE#N; quoted glob patterns ('saved/*.html'); and
"-" for one page on stdin, or with --input-format jsonl one
{"url": ..., "html": ...} object per line ("-" is implied when it is the
only input). --urls-from FILE adds one URL per line.

Inputs are read by -j workers (default: the number of CPUs). Downloads are
polite: at most 2 requests at once to a host, --host-delay apart. Records
come out in input order (--unordered: as they finish), exactly one per
input. Each failed input prints "incidex: <input>: <cause>" on stderr and
does not stop the others; in jsonl output it is also written in its place
as {"input": ..., "error": ...}. On a terminal a progress bar and a summary
line are drawn on stderr (--quiet: none of these).

--resume OUT.jsonl appends the records to OUT.jsonl instead of stdout,
skipping every input already recorded there (results and errors alike);
a partial last line left by a killed run is dropped first. Ctrl-C stops
reading new inputs, writes the records that are finished (in order mode,
up to the first unfinished input) and exits 130.`

// requireInputs is the Args check of the commands that read pages: some
// input must be named, as arguments, a URL list or a JSONL stream.
func requireInputs(opts *readOptions) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) == 0 && len(opts.URLsFrom) == 0 && opts.InputFormat != inputJSONL {
			return usageErrorf("no input: give a URL, a file, a folder or - for stdin")
		}
		return nil
	}
}

// validate checks flag values that their types cannot check alone, and
// that stdin is read by one input at most.
func (o *readOptions) validate(args []string) error {
	switch {
	case o.Timeout <= 0:
		return usageErrorf("--timeout must be positive, got %v", o.Timeout)
	case o.ConnectTimeout <= 0:
		return usageErrorf("--connect-timeout must be positive, got %v", o.ConnectTimeout)
	case o.Retries < 0:
		return usageErrorf("--retries must be 0 or more, got %d", o.Retries)
	case o.Jobs < 1:
		return usageErrorf("-j must be at least 1, got %d", o.Jobs)
	case o.HostDelay < 0:
		return usageErrorf("--host-delay must be 0 or more, got %v", o.HostDelay)
	case o.Resume != "" && o.Format != formatAuto && o.Format != formatJSONL:
		return usageErrorf("--resume appends jsonl records; it cannot be used with --format %s", o.Format)
	}
	argStdin := 0
	for _, a := range args {
		if a == "-" {
			argStdin++
		}
	}
	if argStdin > 1 {
		return usageErrorf(`"-" (stdin) may be given only once`)
	}
	if o.InputFormat == inputJSONL && argStdin == 0 {
		if len(args) > 0 || len(o.URLsFrom) > 0 {
			return usageErrorf(`--input-format jsonl is for stdin: add - to the inputs`)
		}
		argStdin = 1 // implied
	}
	if argStdin > 0 && slices.Contains(o.URLsFrom, "-") {
		return usageErrorf("stdin can feed only one input: - and --urls-from - were both given")
	}
	return nil
}

// fetchOptions translates the flags into extract's options.
func (o *readOptions) fetchOptions() extract.FetchOptions {
	retries := o.Retries
	if retries == 0 {
		// In FetchOptions zero means "default"; negative disables retries.
		retries = -1
	}
	return extract.FetchOptions{
		Timeout:        o.Timeout,
		ConnectTimeout: o.ConnectTimeout,
		MaxBytes:       int64(o.MaxBytes),
		Retries:        retries,
		UserAgent:      o.UserAgent,
	}
}

func runArticle(ctx context.Context, opts *ArticleOptions, args []string) error {
	if os.Getenv("GOGC") == "" {
		// The reader keeps a few MB live, so at the default GOGC of 100 the
		// collector runs every few pages and a batch spends half its time
		// in GC: 10,000 pages took 4.0 s with -j 2, 2.1 s at 400, for 36 MB
		// of peak RSS instead of 23 MB. (extract keeps prose's model live,
		// about 100 MB, so its collections are rare already.)
		defer debug.SetGCPercent(debug.SetGCPercent(articleGCPercent))
	}
	return readInputs(ctx, &opts.readOptions, args, func(a *extract.Article) any { return a })
}

// readInputs reads every input, turns each article into a result with
// convert and writes it; failures are reported and do not stop the others.
// It returns a silentExitError carrying exit 1 or 3 when inputs failed, and
// errInterrupted when ctx is cancelled.
func readInputs(ctx context.Context, opts *readOptions, args []string, convert func(*extract.Article) any) (err error) {
	if err := opts.validate(args); err != nil {
		return err
	}
	if opts.InputFormat == inputJSONL && len(args) == 0 && len(opts.URLsFrom) == 0 {
		args = []string{"-"}
	}

	format := opts.Format
	if format == formatAuto {
		format = formatJSONL
		if opts.IO.IsStdoutTTY() && opts.Resume == "" {
			format = formatJSON
		}
	}
	out := opts.IO.Out
	var recorded map[string]struct{}
	if opts.Resume != "" {
		rf, err := openResume(opts.Resume)
		if err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
		defer func() {
			if cerr := rf.f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("write %s: %w", opts.Resume, cerr)
			}
		}()
		if rf.dropped > 0 && !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: dropped a partial last line (%d bytes) left by an interrupted run\n", opts.Resume, rf.dropped)
		}
		out, recorded = rf.f, rf.recorded
	}

	b := &batch{
		walker: &inputWalker{
			args:     args,
			urlsFrom: opts.URLsFrom,
			stdin:    opts.IO.In,
			jsonl:    opts.InputFormat == inputJSONL,
			maxBytes: int64(opts.MaxBytes),
		},
		loader: &pageLoader{
			fetcher:  extract.NewFetcher(opts.fetchOptions()),
			hosts:    newHostLimiter(maxRequestsPerHost, opts.HostDelay),
			stdin:    opts.IO,
			maxBytes: int64(opts.MaxBytes),
			timeout:  opts.Timeout,
		},
		convert:  convert,
		enc:      recordEncoder{format: format},
		out:      &recordWriter{w: out, format: format},
		jobs:     opts.Jobs,
		ordered:  !opts.Unordered,
		quiet:    opts.Quiet,
		done:     recorded,
		progress: newProgress(opts.IO.ErrOut, opts.IO.IsStderrTTY() && !opts.Quiet, opts.now, opts.Resume),
	}
	stats, err := b.run(ctx)
	if err != nil {
		return err
	}
	switch processed := stats.ok + stats.failed; {
	case stats.failed == 0:
		return nil
	case stats.failed == processed:
		return &silentExitError{code: exitError}
	default:
		return &silentExitError{code: exitPartial}
	}
}

// withoutPath drops the "open <path>: " that os errors carry when the path
// is the input itself, which the error line names already.
func withoutPath(err error, arg string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == arg {
		if msg := strings.Replace(err.Error(), pe.Op+" "+pe.Path+": ", "", 1); msg != err.Error() {
			return errors.New(msg)
		}
	}
	return err
}

// displayArg returns arg as the stderr line shows it: quoted when it holds
// control characters or invalid UTF-8, which would garble the terminal or
// split the line.
func displayArg(arg string) string {
	if !utf8.ValidString(arg) || strings.ContainsFunc(arg, unicode.IsControl) {
		return strconv.Quote(arg)
	}
	return arg
}

// readOne loads, parses, converts and encodes one input. A panic fails
// this input only, as "internal error: <value>". It runs on a batch worker
// and may block (a read from a terminal, a huge page being parsed) after ctx
// is cancelled: the batch does not wait for its workers once interrupted,
// and the process is about to exit.
func readOne(ctx context.Context, loader *pageLoader, in input, convert func(*extract.Article) any, enc recordEncoder) (rec []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			rec, err = nil, fmt.Errorf("internal error: %s", strings.Join(strings.Fields(fmt.Sprint(r)), " "))
		}
	}()
	article, err := extractArticle(ctx, loader, in)
	if err != nil {
		return nil, err
	}
	return enc.encode(convert(article))
}

// extractArticle loads one input and parses its article.
func extractArticle(ctx context.Context, loader *pageLoader, in input) (*extract.Article, error) {
	page, err := loader.load(ctx, in)
	if err != nil {
		return nil, err
	}
	article, err := extract.ParseArticle(page.HTML, extract.ArticleOptions{URL: page.URL})
	if err != nil {
		return nil, err
	}
	article.Input = in.arg
	article.URL = page.URL
	// ParseArticle counts the decoded bytes it was given; users are told
	// what was received.
	article.Stats.HTMLBytes = page.HTMLBytes
	return article, nil
}
