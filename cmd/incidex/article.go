package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/incidex/incidex/extract"
	"github.com/spf13/cobra"
)

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
}

func defaultReadOptions(f *Factory) readOptions {
	return readOptions{
		IO:             f.IOStreams,
		Timeout:        20 * time.Second,
		ConnectTimeout: 10 * time.Second,
		MaxBytes:       extract.DefaultMaxBytes,
		Retries:        3,
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
}

// NewCmdArticle returns the "article" command. runF replaces runArticle in
// tests that only check flag parsing; nil means runArticle.
func NewCmdArticle(f *Factory, runF func(context.Context, *ArticleOptions, []string) error) *cobra.Command {
	opts := &ArticleOptions{readOptions: defaultReadOptions(f)}
	if runF == nil {
		runF = runArticle
	}

	cmd := &cobra.Command{
		Use:   "article [flags] <url|file|->...",
		Short: "Extract the main text and metadata of news articles",
		Long: `Extract the main text and metadata of each input, in order.

An input is an http(s) URL, a local HTML file (.html or .html.gz) or "-" for
standard input. Results go to stdout; each failed input prints one line
"incidex: <input>: <cause>" on stderr and does not stop the others. In jsonl
output a failed input is also written in order as {"input": ..., "error": ...}.

Output formats:
  json   one indented object per article (default when stdout is a terminal)
  jsonl  one compact object per line (default otherwise)
  text   the title, a blank line, then the paragraphs separated by blank lines

` + exitCodesHelp(),
		Example: `  incidex article https://example.com/news/fire.html
  incidex article --format text saved/page.html
  curl -s https://example.com/story | incidex article -`,
		Args: requireInputs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts, args)
		},
	}

	opts.addReadFlags(cmd, "json, jsonl or text")
	return cmd
}

// requireInputs is the Args check of the commands that read pages.
func requireInputs(_ *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usageErrorf("no input: give a URL, a file or - for stdin")
	}
	return nil
}

// validate checks flag values that their types cannot check alone.
func (o *readOptions) validate() error {
	switch {
	case o.Timeout <= 0:
		return usageErrorf("--timeout must be positive, got %v", o.Timeout)
	case o.ConnectTimeout <= 0:
		return usageErrorf("--connect-timeout must be positive, got %v", o.ConnectTimeout)
	case o.Retries < 0:
		return usageErrorf("--retries must be 0 or more, got %d", o.Retries)
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
	return readInputs(ctx, &opts.readOptions, args, func(a *extract.Article) any { return a })
}

// readInputs reads every input in order, turns each article into a result
// with convert and writes it; failures are reported and do not stop the
// others. It returns a silentExitError carrying exit 1 or 3 when inputs
// failed, and errInterrupted when ctx is cancelled.
func readInputs(ctx context.Context, opts *readOptions, args []string, convert func(*extract.Article) any) error {
	if err := opts.validate(); err != nil {
		return err
	}
	inputs, err := resolveInputs(args)
	if err != nil {
		return err
	}

	format := opts.Format
	if format == formatAuto {
		format = formatJSONL
		if opts.IO.IsStdoutTTY() {
			format = formatJSON
		}
	}
	out := newResultWriter(format, opts.IO.Out)
	loader := &pageLoader{
		fetcher:  extract.NewFetcher(opts.fetchOptions()),
		stdin:    opts.IO,
		maxBytes: int64(opts.MaxBytes),
		timeout:  opts.Timeout,
	}

	failed := 0
	for _, in := range inputs {
		if ctx.Err() != nil {
			return errInterrupted
		}
		result, err := readOne(ctx, loader, in, convert)
		if err != nil {
			if ctx.Err() != nil {
				// The failure is the cancellation, not the input's fault.
				return errInterrupted
			}
			failed++
			err = withoutPath(err, in.arg)
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: %v\n", displayArg(in.arg), err)
			if werr := out.WriteError(in.arg, err); werr != nil {
				return fmt.Errorf("write output: %w", werr)
			}
			continue
		}
		if werr := out.Write(result); werr != nil {
			return fmt.Errorf("write output: %w", werr)
		}
	}
	if ctx.Err() != nil {
		// Cancelled while the last input finished: the user asked to stop,
		// so the run says it was interrupted rather than exit 0.
		return errInterrupted
	}

	switch failed {
	case 0:
		return nil
	case len(inputs):
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

// readOne loads, parses and converts one input. The work runs in its own
// goroutine so that Ctrl-C is noticed at once, even while a read blocks on
// a terminal or a huge page is being parsed (the abandoned goroutine ends
// with the process, which is about to exit), and so that a panic fails this
// input only, as "internal error: <value>".
func readOne(ctx context.Context, loader *pageLoader, in input, convert func(*extract.Article) any) (any, error) {
	type outcome struct {
		result any
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- outcome{err: fmt.Errorf("internal error: %s", strings.Join(strings.Fields(fmt.Sprint(r)), " "))}
			}
		}()
		article, err := extractArticle(ctx, loader, in)
		if err != nil {
			done <- outcome{err: err}
			return
		}
		done <- outcome{result: convert(article)}
	}()
	select {
	case o := <-done:
		return o.result, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
