package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/export/stix"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/batch"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/internal/sizecap"
	"github.com/incidex/incidex/store"
	"github.com/spf13/cobra"
)

// readOptions are the flags of every command that reads pages.
type readOptions struct {
	IO *cli.IOStreams

	Format               cli.Format
	Output               string // -o: the file the records go to instead of stdout
	Timeout              time.Duration
	ConnectTimeout       time.Duration
	MaxBytes             byteSize
	Retries              int
	UserAgent            string
	AllowPrivateNetworks bool
	FollowSymlinks       bool

	// Batch flags.
	Jobs        int
	Unordered   bool
	HostDelay   time.Duration
	URLsFrom    []string
	InputFormat inputFormat
	Resume      string
	Quiet       bool

	// DB is --db (extract only): the database every record is also
	// stored in; db is it, opened by the command before readPages.
	DB string
	db *store.DB

	// formats are the --format values the command takes; ttyFormat is
	// its default when records go to a terminal (jsonl otherwise).
	formats   []cli.Format
	ttyFormat cli.Format

	now   func() time.Time // the clock of the summary line
	clock batch.Clock      // the clock of host delays; nil: the real one
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
		MaxBytes:       source.DefaultMaxBytes,
		Retries:        3,
		Jobs:           runtime.NumCPU(),
		HostDelay:      batch.DefaultHostDelay,
		InputFormat:    inputHTML,
		now:            now,
		clock:          f.Clock,
	}
}

// addReadFlags registers the reading flags on cmd, whose output formats
// are formats, ttyFormat the default on a terminal.
func (o *readOptions) addReadFlags(cmd *cobra.Command, ttyFormat cli.Format, formats ...cli.Format) {
	o.formats, o.ttyFormat = formats, ttyFormat
	fl := cmd.Flags()
	fl.Var(cli.FormatFlag{Value: &o.Format, Allowed: formats}, "format",
		"output `format`: "+cli.FormatList(formats)+" (default "+string(ttyFormat)+" on a terminal, jsonl otherwise and with -o)")
	fl.StringVarP(&o.Output, "output", "o", "", "write the records to `FILE` instead of stdout (created or truncated)")
	fl.DurationVar(&o.Timeout, "timeout", o.Timeout, "time limit for each input: download (retries included), reading and extraction")
	fl.DurationVar(&o.ConnectTimeout, "connect-timeout", o.ConnectTimeout, "time limit for connecting to a server")
	fl.Var(&o.MaxBytes, "max-bytes", "largest page to read, e.g. 1048576 or 10MiB")
	fl.IntVar(&o.Retries, "retries", o.Retries, "extra attempts after a timeout, 429 or 5xx response (0 disables)")
	fl.StringVar(&o.UserAgent, "user-agent", "", "User-Agent header for downloads (default: incidex's own)")
	fl.BoolVar(&o.AllowPrivateNetworks, "allow-private-networks", false, "let downloads reach loopback, private, link-local and other non-public addresses (refused by default)")

	fl.IntVarP(&o.Jobs, "jobs", "j", o.Jobs, "inputs read and extracted at once (for URL lists, more than the CPUs: workers mostly wait)")
	fl.BoolVar(&o.Unordered, "unordered", false, "write records as inputs finish instead of in input order")
	fl.DurationVar(&o.HostDelay, "host-delay", o.HostDelay, fmt.Sprintf("least time between the starts of two requests to one host (and at most %d at once)", batch.MaxRequestsPerHost))
	fl.BoolVarP(&o.FollowSymlinks, "follow-symlinks", "L", false, "follow symbolic links to files and folders when walking folders (skipped by default)")
	fl.StringArrayVar(&o.URLsFrom, "urls-from", nil, "read URLs from `FILE`, one a line (- for stdin; # comments; repeatable)")
	fl.Var(&o.InputFormat, "input-format", "how - (stdin) is read: html (one page) or jsonl (one {\"url\": ..., \"html\": ...} object a line)")
	fl.StringVar(&o.Resume, "resume", "", "append jsonl records to `FILE`, skipping the inputs it records already; stdout stays empty")
	fl.BoolVarP(&o.Quiet, "quiet", "q", false, "no progress bar or summary line on stderr (failed inputs are still reported)")
}

// inputsHelp describes the inputs and the batch behaviour of the commands
// that read pages.
var inputsHelp = `Inputs: http(s) URLs; saved pages (.html, .htm, .xhtml, also gzipped);
folders, walked recursively for those and for web archives (.warc,
.warc.gz), skipping hidden files, reading regular files only (a named pipe,
socket or device is an error record, never waited on) and following no
symbolic link unless --follow-symlinks (-L); web archives, each HTML response record
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
line are drawn on stderr (--quiet: neither; the failures are still printed).

--timeout bounds each input whole: download (retries included), reading
and extraction; an input that runs out of time is an error record and the
batch goes on. At most ` + sizecap.Format(batch.MemoryBudget) + ` of pages are parsed at once,
whatever -j says, so that large pages cannot exhaust memory.

Downloads reach public addresses only: loopback, private, link-local (cloud
metadata at 169.254.169.254 too) and other non-public addresses are refused
on every connection, whatever DNS answers or a redirect says, unless
--allow-private-networks is given. Through a proxy (HTTP_PROXY, HTTPS_PROXY)
each URL's host is resolved and checked before the request is sent.

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
	case o.Resume != "" && !o.resumesDB() && o.Format != cli.FormatAuto && o.Format != cli.FormatJSONL:
		return usageErrorf("--resume appends jsonl records; it cannot be used with --format %s", o.Format)
	case o.Resume != "" && !o.resumesDB() && o.Output != "":
		return usageErrorf("--resume names the file the records go to; it cannot be used with -o")
	}
	argStdin, err := stdinArgs(args)
	if err != nil {
		return err
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

// resumesDB reports whether --resume names the --db database: the run
// skips the inputs stored there, and the records go where they would
// without --resume.
func (o *readOptions) resumesDB() bool {
	return o.DB != "" && o.Resume != "" && samePath(o.Resume, o.DB)
}

// samePath reports whether a and b name the same file: the same file when
// both exist, else the same absolute path.
func samePath(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// fetchOptions translates the flags into the fetcher's options. --timeout
// bounds each attempt and the whole download, retries included.
func (o *readOptions) fetchOptions() source.FetchOptions {
	retries := o.Retries
	if retries == 0 {
		// In FetchOptions zero means "default"; negative disables retries.
		retries = -1
	}
	return source.FetchOptions{
		Timeout:              o.Timeout,
		Total:                o.Timeout,
		ConnectTimeout:       o.ConnectTimeout,
		MaxBytes:             int64(o.MaxBytes),
		Retries:              retries,
		UserAgent:            o.UserAgent,
		AllowPrivateNetworks: o.AllowPrivateNetworks,
	}
}

// withHint adds to an input's failure the flag that changes it: a refused
// private address, an input that ran out of its time. The hints are the
// command's to give: packages source and batch know no flags.
func withHint(err error, timeout time.Duration) error {
	switch {
	case errors.Is(err, source.ErrPrivateAddress):
		return fmt.Errorf("%w; --allow-private-networks allows it", err)
	case errors.Is(err, source.ErrTimeout):
		return fmt.Errorf("%w (--timeout %s bounds each input)", err, timeout)
	}
	return err
}

// readPages runs a batch over the inputs: each is loaded, handed to
// process, encoded and written, and a failure is reported and does not
// stop the others. It returns a silentExitError carrying exit 1 or 3 when
// inputs failed, and ctx's error when ctx is cancelled.
func readPages(ctx context.Context, opts *readOptions, args []string, process func(context.Context, *source.Page) (any, error)) (err error) {
	if err := opts.validate(args); err != nil {
		return err
	}
	if opts.InputFormat == inputJSONL && len(args) == 0 && len(opts.URLsFrom) == 0 {
		args = []string{"-"}
	}

	resumeDB := opts.resumesDB()
	toTerminal := opts.IO.IsStdoutTTY() && (opts.Resume == "" || resumeDB) && opts.Output == ""
	format := opts.Format
	if format == cli.FormatAuto {
		format = cli.FormatJSONL
		if toTerminal {
			format = opts.ttyFormat
		}
	}
	out := opts.IO.Out
	if opts.Output != "" {
		f, err := createOutput(opts.Output)
		if err != nil {
			return err
		}
		defer closeOutput(f, &err)
		out = f
	}
	var recorded map[string]struct{}
	if opts.Resume != "" && !resumeDB {
		rf, err := batch.OpenResume(opts.Resume)
		if err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
		defer func() {
			if cerr := rf.File.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("write %s: %w", opts.Resume, cerr)
			}
		}()
		if rf.Dropped > 0 && !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: dropped a partial last line (%d bytes) left by an interrupted run\n", opts.Resume, rf.Dropped)
		}
		out, recorded = rf.File, rf.Recorded
	}
	if opts.Resume != "" && opts.db != nil {
		stored, err := opts.db.Inputs(ctx)
		if err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
		recorded = resumeSkips(recorded, stored, resumeDB)
	}

	walker := &batch.Walker{
		Args:     args,
		URLLists: opts.URLsFrom,
		Stdin:    opts.IO.In,
		JSONL:    opts.InputFormat == inputJSONL,
		MaxBytes: int64(opts.MaxBytes),

		FollowSymlinks: opts.FollowSymlinks,
	}
	budget := batch.NewBudget(0)
	loader := &batch.Loader{
		Fetcher:  source.NewFetcher(opts.fetchOptions()),
		Hosts:    batch.NewHostLimiter(batch.MaxRequestsPerHost, opts.HostDelay, opts.clock),
		Stdin:    opts.IO.In,
		MaxBytes: int64(opts.MaxBytes),
	}
	enc := cli.Encoder{Format: format}
	if format == cli.FormatSTIX || format == cli.FormatSTIXJSONL {
		enc.STIX.Fallback = stixTime(opts.now)
	}
	w := cli.NewWriter(out, format)
	header, err := enc.Header()
	if err == nil {
		err = w.Write(header)
	}
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	// --format stix is one bundle for the run: the workers hand their
	// records over, and the bundle is written at the end.
	var bundle *stix.Bundle
	if format == cli.FormatSTIX {
		bundle = stix.NewBundle(enc.STIX)
	}
	writeBundle := func() error {
		if bundle == nil {
			return nil
		}
		indent := ""
		if toTerminal {
			indent = "  "
		}
		b, err := bundle.Encode(indent)
		if err == nil {
			err = w.Write(b)
		}
		if err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	progress := cli.NewProgress(opts.IO.ErrOut, opts.IO.IsStderrTTY() && !opts.Quiet, opts.now, opts.Resume)
	// Stores go on after Ctrl-C: the records finished by then are
	// delivered, and stored, before the batch ends.
	storeCtx := context.WithoutCancel(ctx)
	failedStores := 0
	stats, err := batch.Run(ctx, batch.Config[output]{
		Inputs: walker.Walk,
		Count:  walker.Count,
		Process: func(ctx context.Context, in batch.Input) (output, error) {
			// --timeout bounds the reading and the extraction together;
			// the wait for a share of the memory budget in between is
			// the batch's, not the input's, and is not counted.
			start := time.Now() // real time, as the contexts' deadlines are
			page, err := batch.Within(ctx, opts.Timeout, 0, func(ctx context.Context) (*source.Page, error) {
				return loader.Load(ctx, in)
			})
			if err != nil {
				return output{}, withHint(err, opts.Timeout)
			}
			spent := time.Since(start)
			release, err := budget.Acquire(ctx, int64(len(page.HTML)))
			if err != nil {
				return output{}, err
			}
			out, err := batch.Within(ctx, opts.Timeout, spent, func(ctx context.Context) (output, error) {
				defer release() // when the extraction ends: soon after a timeout, as it checks ctx
				v, err := process(ctx, page)
				if err != nil {
					return output{}, err
				}
				r, _ := v.(*record.Result)
				if r != nil && bundle != nil {
					return output{result: r}, nil
				}
				if opts.db == nil {
					r = nil
				}
				rec, err := enc.Encode(v)
				return output{rec: rec, result: r}, err
			})
			return out, withHint(err, opts.Timeout)
		},
		Deliver: func(o batch.Outcome[output]) error {
			failure, fatal := o.Err, false
			if failure == nil && opts.db != nil {
				// The deliverer is the one writer: one article, one
				// transaction, in input order. A store that fails fails
				// its input; one that cannot go on stops the batch.
				if _, err := opts.db.Put(storeCtx, o.Value.result); err != nil {
					failure, fatal = fmt.Errorf("store in %s: %w", opts.DB, err), store.Fatal(err)
					failedStores++
				}
			}
			switch rec := o.Value.rec; {
			case failure != nil:
				// --quiet hides the progress, never a failure (as
				// restic and curl -sS do)
				progress.Println(fmt.Sprintf("incidex: %s: %v", cli.DisplayName(o.Input), failure))
				if err := w.Write(enc.EncodeError(o.Input, failure)); err != nil {
					return fmt.Errorf("write output: %w", err)
				}
			case bundle != nil:
				bundle.Add(o.Value.result)
			default:
				if err := w.Write(rec); err != nil {
					return fmt.Errorf("write output: %w", err)
				}
			}
			if fatal {
				return &storeStopped{db: opts.DB}
			}
			if opts.db != nil {
				if err := opts.db.FlushIfDue(storeCtx); err != nil {
					return &storeStopped{db: opts.DB, err: err}
				}
			}
			return nil
		},
		Jobs:     opts.Jobs,
		Ordered:  !opts.Unordered,
		Done:     recorded,
		Progress: progress,
	})
	// The batch counted a record that failed to be stored as done.
	stats.OK, stats.Failed = stats.OK-failedStores, stats.Failed+failedStores
	if stopped, ok := errors.AsType[*storeStopped](err); ok {
		progress.Finish(stats, true)
		return errors.Join(stopped, writeBundle())
	}
	if ctx.Err() != nil {
		progress.Finish(stats, true)
		return errors.Join(errInterrupted, writeBundle())
	}
	if err != nil {
		return err
	}
	if err := writeBundle(); err != nil {
		return err
	}
	progress.Finish(stats, false)
	switch processed := stats.OK + stats.Failed; {
	case stats.Failed == 0:
		return nil
	case stats.Failed == processed:
		return &silentExitError{code: exitError}
	default:
		return &silentExitError{code: exitPartial}
	}
}

// output is what a worker hands over for one input: its encoded record,
// and its result when it joins the run's bundle (--format stix, with no
// record) or the --db database.
type output struct {
	rec    []byte
	result *record.Result
}

// storeStopped ends a batch whose database cannot take another record: a
// full disk, a read-only or broken file (the record that met it was
// reported as failed), or a merge that failed (err). Every record stored
// before is whole.
type storeStopped struct {
	db  string
	err error
}

func (e *storeStopped) Error() string {
	if e.err != nil {
		return fmt.Sprintf("--db %s: %v; stopped (the records stored before are kept)", e.db, e.err)
	}
	return fmt.Sprintf("--db %s cannot take more records; stopped (the records stored before are kept)", e.db)
}

func (e *storeStopped) Unwrap() error { return e.err }

// resumeSkips is the set of inputs a --resume run with --db skips: those
// stored in the database when --resume names it, else those both recorded
// in the --resume file and stored, so that each ends up in both.
func resumeSkips(recorded, stored map[string]struct{}, resumeDB bool) map[string]struct{} {
	if resumeDB {
		return stored
	}
	both := make(map[string]struct{}, min(len(recorded), len(stored)))
	for name := range recorded {
		if _, ok := stored[name]; ok {
			both[name] = struct{}{}
		}
	}
	return both
}

// stixTime is the time of STIX objects whose article gives none: the
// SOURCE_DATE_EPOCH of reproducible builds when set (so that output is the
// same from run to run), else the start of the run.
func stixTime(now func() time.Time) time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(sec, 0).UTC()
		}
	}
	return now().UTC()
}

// isBatch reports whether the inputs may be more than one page.
func isBatch(opts *readOptions, args []string) bool {
	switch {
	case len(args) > 1 || len(opts.URLsFrom) > 0 || opts.InputFormat == inputJSONL:
		return true
	case len(args) != 1:
		return false
	}
	return batch.MayHoldMany(args[0])
}

// inputFormat is the --input-format flag: how "-" is read.
type inputFormat string

const (
	inputHTML  inputFormat = "html"  // one HTML page
	inputJSONL inputFormat = "jsonl" // one {"url": ..., "html": ...} object per line
)

func (f *inputFormat) String() string { return string(*f) }
func (f *inputFormat) Type() string   { return "format" }

func (f *inputFormat) Set(s string) error {
	switch v := inputFormat(strings.ToLower(strings.TrimSpace(s))); v {
	case inputHTML, inputJSONL:
		*f = v
		return nil
	}
	return errors.New("must be html or jsonl")
}

// createOutput creates (or truncates) the -o file of a command.
func createOutput(path string) (*os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-o: %w", err)
	}
	return f, nil
}

// closeOutput closes an -o file and, when the command has no error yet,
// makes a failed close (the last write) its error.
func closeOutput(f *os.File, err *error) {
	if cerr := f.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("write %s: %w", f.Name(), cerr)
	}
}

// stdinArgs counts the "-" (stdin) among a command's arguments; more than
// one is a usage error, as stdin can be read once.
func stdinArgs(args []string) (int, error) {
	n := 0
	for _, a := range args {
		if a == "-" {
			n++
		}
	}
	if n > 1 {
		return n, usageErrorf(`"-" (stdin) may be given only once`)
	}
	return n, nil
}
