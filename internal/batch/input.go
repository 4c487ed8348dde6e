package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/incidex/incidex/extract/source"
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

// Input is one thing to read, named by the argument as the user gave it
// (or, for inputs found inside a directory, a URL list or a stream, by the
// name its record carries). A Loader reads it into a page.
type Input struct {
	Name string
	kind inputKind
	page *source.Page // the page of an inputPage
	err  error        // why an inputFailed cannot be read
	// walked marks a file found by walking a folder: it is read only if
	// it is a regular file (see source.ReadWalkedFile), through a symbolic
	// link only when follow is set.
	walked, follow bool
}

// File is the input of a saved page at path, read whatever its name.
func File(path string) Input { return Input{Name: path, kind: inputFile} }

// failedInput is an input that becomes an error record without being read.
func failedInput(name string, err error) Input {
	return Input{Name: name, kind: inputFailed, err: err}
}

// classifyArg tells what a command-line argument names. A path that does
// not exist is an inputFile, left for ReadFile to report with its own cause.
func classifyArg(arg string) Input {
	switch {
	case arg == "-":
		return Input{Name: arg, kind: inputStdin}
	case source.IsURL(arg):
		return Input{Name: arg, kind: inputURL}
	}
	fi, statErr := os.Stat(arg)
	switch scheme := urlScheme(arg); {
	case statErr == nil && fi.IsDir():
		return Input{Name: arg, kind: inputDir}
	case statErr == nil || scheme == "":
		return Input{Name: arg, kind: inputFile}
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

// Loader reads inputs into pages. It is safe for concurrent use.
type Loader struct {
	Fetcher  *source.Fetcher // downloads URLs, within its own time limits
	Hosts    *HostLimiter    // nil: no politeness limits
	Stdin    io.Reader       // read for the input "-"
	MaxBytes int64           // the page cap; zero or less: source.DefaultMaxBytes
}

// Load reads one input. It blocks until the read ends: reads of files and
// stdin take no context, so the caller runs Load where it can walk away on
// cancellation (a Run worker).
func (l *Loader) Load(ctx context.Context, in Input) (*source.Page, error) {
	switch in.kind {
	case inputURL:
		return l.fetch(ctx, in.Name)
	case inputStdin:
		return source.ReadStream(in.Name, l.Stdin, l.MaxBytes)
	case inputPage:
		return in.page, nil
	case inputDir:
		// Directories are walked by the batch; one that reaches here was
		// named inside another input (a symlink to a folder called x.html).
		return nil, errIsDirectory
	case inputFailed:
		return nil, in.err
	default:
		if in.walked {
			return source.ReadWalkedFile(in.Name, l.MaxBytes, in.follow)
		}
		page, err := source.ReadFile(in.Name, l.MaxBytes)
		if errors.Is(err, fs.ErrNotExist) && looksLikeHostName(in.Name) {
			err = fmt.Errorf("%w (not a URL: URLs start with http:// or https://)", err)
		}
		return page, err
	}
}

// errIsDirectory is the failure of a directory where a page was expected.
var errIsDirectory = errors.New("is a directory")

// fetch downloads rawURL. The wait for the host's turn (see HostLimiter)
// comes first and does not count against the fetcher's time limit: it is
// incidex's politeness, not the server's slowness.
func (l *Loader) fetch(ctx context.Context, rawURL string) (*source.Page, error) {
	if l.Hosts != nil {
		release, err := l.Hosts.Acquire(ctx, hostKey(rawURL))
		if err != nil {
			return nil, err
		}
		defer release()
	}
	return l.Fetcher.Fetch(ctx, rawURL)
}
