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
	inputFile inputKind = iota
	inputURL
	inputStdin
	inputDir
	inputBadURL
)

// input is one thing to read, named by the argument as the user gave it.
type input struct {
	arg  string
	kind inputKind
	err  error // why an inputBadURL cannot be read
}

// errIsDirectory rejects directory arguments until batch mode walks them.
var errIsDirectory = errors.New("is a directory")

// resolveInputs classifies the arguments. It is the place where a directory
// will later expand into the pages it holds.
func resolveInputs(args []string) ([]input, error) {
	inputs := make([]input, 0, len(args))
	stdinSeen := false
	for _, arg := range args {
		switch {
		case arg == "-":
			if stdinSeen {
				return nil, usageErrorf(`"-" (stdin) may be given only once`)
			}
			stdinSeen = true
			inputs = append(inputs, input{arg: arg, kind: inputStdin})
		case extract.IsURL(arg):
			inputs = append(inputs, input{arg: arg, kind: inputURL})
		default:
			fi, statErr := os.Stat(arg)
			switch scheme := urlScheme(arg); {
			case statErr == nil && fi.IsDir():
				inputs = append(inputs, input{arg: arg, kind: inputDir})
			case statErr == nil || scheme == "":
				// A failed Stat is left for ReadFile to report with its own cause.
				inputs = append(inputs, input{arg: arg, kind: inputFile})
			case scheme == "http" || scheme == "https":
				inputs = append(inputs, input{arg: arg, kind: inputBadURL, err: errors.New("invalid URL: no host")})
			default:
				inputs = append(inputs, input{arg: arg, kind: inputBadURL,
					err: fmt.Errorf("unsupported URL scheme %q: only http and https URLs are read", scheme)})
			}
		}
	}
	return inputs, nil
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
	case inputDir:
		return nil, errIsDirectory
	case inputBadURL:
		return nil, in.err
	default:
		page, err := extract.ReadFile(in.arg, l.maxBytes)
		if errors.Is(err, fs.ErrNotExist) && looksLikeHostName(in.arg) {
			err = fmt.Errorf("%w (not a URL: URLs start with http:// or https://)", err)
		}
		return page, err
	}
}

// fetch downloads rawURL within l.timeout, retries and their waits included.
func (l *pageLoader) fetch(ctx context.Context, rawURL string) (*extract.Page, error) {
	fctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	page, err := l.fetcher.Fetch(fctx, rawURL)
	if err != nil && ctx.Err() == nil && errors.Is(fctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w after %s", extract.ErrTimeout, l.timeout)
	}
	return page, err
}
