package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/incidex/incidex/extract"
)

type inputKind int

const (
	inputFile   inputKind = iota
	inputURL              // an http(s) URL, fetched
	inputStdin            // "-": one HTML page on stdin
	inputDir              // a directory, walked for pages
	inputPage             // already read: a WARC record or a JSONL line
	inputFailed           // cannot be read at all; err says why
)

// input is one thing to read, named by the argument as the user gave it (or,
// for inputs found inside a directory, a URL list or a stream, by the name
// its record carries).
type input struct {
	arg  string
	kind inputKind
	page *extract.Page // the page of an inputPage
	err  error         // why an inputFailed cannot be read
}

// failedInput is an input that becomes an error record without being read.
func failedInput(name string, err error) input {
	return input{arg: name, kind: inputFailed, err: err}
}

// classifyArg tells what a command-line argument names. A path that does
// not exist is an inputFile, left for ReadFile to report with its own cause.
func classifyArg(arg string) input {
	switch {
	case arg == "-":
		return input{arg: arg, kind: inputStdin}
	case extract.IsURL(arg):
		return input{arg: arg, kind: inputURL}
	}
	fi, statErr := os.Stat(arg)
	switch scheme := urlScheme(arg); {
	case statErr == nil && fi.IsDir():
		return input{arg: arg, kind: inputDir}
	case statErr == nil || scheme == "":
		return input{arg: arg, kind: inputFile}
	case scheme == "http" || scheme == "https":
		return failedInput(arg, errors.New("invalid URL: no host"))
	default:
		return failedInput(arg, fmt.Errorf("unsupported URL scheme %q: only http and https URLs are read", scheme))
	}
}

// urlScheme returns the scheme of an argument written as a URL ("ftp" for
// "ftp://host/x"), or "" when arg does not start with "scheme://".
func urlScheme(arg string) string {
	scheme, _, ok := strings.Cut(arg, "://")
	if !ok || scheme == "" {
		return ""
	}
	for i, c := range scheme {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return ""
		}
	}
	return strings.ToLower(scheme)
}

// fileExtensions end local file names that looksLikeHostName must not take
// for a domain.
var fileExtensions = map[string]bool{
	"html": true, "htm": true, "xhtml": true, "shtml": true, "mhtml": true, "gz": true,
	"txt": true, "xml": true, "json": true, "php": true, "asp": true, "aspx": true, "jsp": true,
}

// looksLikeHostName reports whether a path that does not exist was probably
// meant as a URL without its scheme: "www.example.com", "example.com/news".
func looksLikeHostName(arg string) bool {
	if strings.HasPrefix(arg, "www.") {
		return true
	}
	first, _, hasPath := strings.Cut(arg, "/")
	i := strings.LastIndexByte(first, '.')
	if !hasPath || i <= 0 {
		return false
	}
	tld := first[i+1:]
	for _, c := range tld {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return len(tld) >= 2 && !fileExtensions[tld]
}

// pageLoader reads inputs into pages.
type pageLoader struct {
	fetcher  *extract.Fetcher
	hosts    *hostLimiter // nil: no politeness limits
	stdin    *IOStreams
	maxBytes int64
	timeout  time.Duration // for each URL, retries included
}

// load reads one input. It blocks until the read ends: reads of files and
// stdin take no context, so the caller runs load where it can walk away on
// cancellation (see readOne).
func (l *pageLoader) load(ctx context.Context, in input) (*extract.Page, error) {
	switch in.kind {
	case inputURL:
		return l.fetch(ctx, in.arg)
	case inputStdin:
		return extract.ReadStream(in.arg, l.stdin.In, l.maxBytes)
	case inputPage:
		return in.page, nil
	case inputDir:
		// Directories are walked by the batch; one that reaches here was
		// named inside another input (a symlink to a folder called x.html).
		return nil, errIsDirectory
	case inputFailed:
		return nil, in.err
	default:
		page, err := extract.ReadFile(in.arg, l.maxBytes)
		if errors.Is(err, fs.ErrNotExist) && looksLikeHostName(in.arg) {
			err = fmt.Errorf("%w (not a URL: URLs start with http:// or https://)", err)
		}
		return page, err
	}
}

// errIsDirectory is the failure of a directory where a page was expected.
var errIsDirectory = errors.New("is a directory")

// fetch downloads rawURL within l.timeout, retries and their waits included.
// The wait for the host's turn (see hostLimiter) comes first and does not
// count against the timeout: it is incidex's politeness, not the server's
// slowness.
func (l *pageLoader) fetch(ctx context.Context, rawURL string) (*extract.Page, error) {
	if l.hosts != nil {
		release, err := l.hosts.acquire(ctx, hostKey(rawURL))
		if err != nil {
			return nil, err
		}
		defer release()
	}
	fctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	page, err := l.fetcher.Fetch(fctx, rawURL)
	if err != nil && ctx.Err() == nil && errors.Is(fctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w after %s", extract.ErrTimeout, l.timeout)
	}
	return page, err
}
