package batch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/incidex/incidex/internal/sizecap"

	"github.com/incidex/incidex/extract/source"
)

// pageExtensions are the file name endings (before an optional .gz) that a
// directory walk takes for saved pages.
var pageExtensions = []string{".html", ".htm", ".xhtml"}

// isPageName reports whether a file found in a directory is a saved page.
func isPageName(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".gz")
	for _, ext := range pageExtensions {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// ErrNoPages is the failure of a directory in which the walk found nothing
// to read.
var ErrNoPages = errors.New("no pages found in this directory (looked for .html, .htm, .xhtml, the same with .gz, .warc and .warc.gz)")

// Walker turns the arguments, the URL lists and stdin into inputs, one at
// a time and in order. Directories are walked as the inputs are consumed
// and URL lists, JSONL streams and web archives are read line by line or
// record by record, so the batch is never listed in memory: emit blocks
// while the batch's window is full, and with it the walk.
type Walker struct {
	Args     []string  // URLs, files, folders, web archives, glob patterns, "-"
	URLLists []string  // files of one URL a line ("-": stdin), read after Args
	Stdin    io.Reader // read for "-"
	JSONL    bool      // "-" is a JSON Lines stream of pages, not one page
	MaxBytes int64     // the page cap, also bounding JSONL lines
	// FollowSymlinks makes folder walks follow symbolic links to files and
	// folders (each folder once); without it they are skipped. An argument
	// that is itself a link is always followed: the user named it.
	FollowSymlinks bool

	// countOnly walks without reading stdin or web archives, to count the
	// inputs for the progress bar; unknown is set when it meets a source it
	// cannot count that way.
	countOnly bool
	unknown   bool
}

// Walk calls emit for every input in order, until emit returns false (the
// batch was interrupted) or the inputs run out. It reports whether it ran
// to the end.
func (w *Walker) Walk(ctx context.Context, emit func(Input) bool) bool {
	for _, arg := range w.Args {
		if ctx.Err() != nil || !w.walkArg(ctx, arg, emit) {
			return false
		}
	}
	for _, list := range w.URLLists {
		if ctx.Err() != nil || !w.walkURLList(ctx, list, emit) {
			return false
		}
	}
	return ctx.Err() == nil
}

// Count counts the inputs for a progress bar, walking folders and URL
// lists a second time by name only; skip leaves out inputs by name. ok is
// false when an input cannot be counted ahead (stdin, web archives) or the
// walk was cut short.
func (w *Walker) Count(ctx context.Context, skip func(name string) bool) (n int, ok bool) {
	cw := *w
	cw.countOnly, cw.unknown = true, false
	complete := cw.Walk(ctx, func(in Input) bool {
		if !skip(in.Name) {
			n++
		}
		return true
	})
	return n, complete && !cw.unknown
}

// walkArg emits the inputs of one command-line argument.
func (w *Walker) walkArg(ctx context.Context, arg string, emit func(Input) bool) bool {
	if arg == "-" && w.JSONL {
		if w.countOnly {
			w.unknown = true
			return true
		}
		return w.walkJSONL(ctx, w.Stdin, emit)
	}
	in := classifyArg(arg)
	if in.kind == inputFile && isGlob(arg) {
		return w.walkGlob(ctx, arg, emit)
	}
	return w.walkInput(ctx, in, emit)
}

// MayHoldMany reports whether the argument arg may stand for several
// inputs: a folder, a web archive or a glob pattern.
func MayHoldMany(arg string) bool {
	return classifyArg(arg).kind == inputDir || source.IsWARC(arg) || isGlob(arg)
}

// isGlob reports whether arg is a glob pattern the shell left unexpanded:
// it has *, ? or [, is a valid pattern, and names no existing file (a file
// may be called "a[1].html").
func isGlob(arg string) bool {
	if !strings.ContainsAny(arg, "*?[") {
		return false
	}
	if _, err := filepath.Match(arg, ""); err != nil {
		return false
	}
	_, err := os.Lstat(arg)
	return err != nil
}

// walkInput emits in, or the pages of the directory or web archive it names.
func (w *Walker) walkInput(ctx context.Context, in Input, emit func(Input) bool) bool {
	switch {
	case in.kind == inputDir:
		return w.walkDir(ctx, in.Name, emit)
	case in.kind == inputFile && source.IsWARC(in.Name):
		if w.countOnly {
			w.unknown = true
			return true
		}
		return w.walkWARC(ctx, in.Name, in.walked, in.follow, emit)
	}
	return emit(in)
}

// walkGlob emits the inputs of every path matching pattern, for patterns
// the shell left unexpanded (quoted, or from a tool that runs no shell).
func (w *Walker) walkGlob(ctx context.Context, pattern string, emit func(Input) bool) bool {
	// Glob lists the matches in memory: names only, as the shell would
	// have passed them had it expanded the pattern.
	matches, _ := filepath.Glob(pattern) // the pattern was checked by isGlob
	switch {
	case len(matches) == 0:
		return emit(failedInput(pattern, errors.New("no file matches this pattern")))
	}
	for _, m := range matches {
		in := classifyArg(m)
		// A match is read as a walk's file (a named pipe is refused, not
		// waited on), through a link too: the pattern names it.
		in.walked, in.follow = in.kind == inputFile, true
		if ctx.Err() != nil || !w.walkInput(ctx, in, emit) {
			return false
		}
	}
	return true
}

// walkDir emits the pages and web archives under root, in lexical order,
// skipping hidden files and folders. Only regular files are read: a named
// pipe, socket or device with a page's name becomes an error record, and a
// symbolic link is skipped unless FollowSymlinks. An unreadable subfolder
// becomes an error record and the walk goes on; a folder with nothing to
// read becomes one error record naming it.
func (w *Walker) walkDir(ctx context.Context, root string, emit func(Input) bool) bool {
	t := &tree{w: w, emit: emit, visited: map[string]bool{}}
	if !t.walk(ctx, root) {
		return false
	}
	if !t.found {
		err := ErrNoPages
		switch {
		case t.links == 1:
			err = fmt.Errorf("%w; 1 symbolic link was not followed (--follow-symlinks follows links)", ErrNoPages)
		case t.links > 1:
			err = fmt.Errorf("%w; %d symbolic links were not followed (--follow-symlinks follows links)", ErrNoPages, t.links)
		}
		return emit(failedInput(root, err))
	}
	return true
}

// tree is one folder walk: what it found, the links it skipped and, when
// links are followed, the folders it has entered (by real path), so that a
// link back to a parent is not walked again and again.
type tree struct {
	w       *Walker
	emit    func(Input) bool
	found   bool
	links   int
	visited map[string]bool
}

// walk walks the folder root (a link to one included) and reports whether
// it ran to the end.
func (t *tree) walk(ctx context.Context, root string) bool {
	if !t.enter(root) {
		return true
	}
	stopped := false
	walkRoot := root
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// WalkDir would not enter a symlink, even as its root; a trailing
		// separator makes it walk the folder the link points to.
		walkRoot = root + string(filepath.Separator)
	}
	err := filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			stopped = true
			return fs.SkipAll
		}
		if err != nil {
			if path == walkRoot {
				return err
			}
			t.found = true // the folder was not empty: say what failed instead
			if !t.emit(failedInput(path, err)) {
				stopped = true
				return fs.SkipAll
			}
			return nil
		}
		if path != walkRoot && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if t.w.FollowSymlinks && path != walkRoot && !t.enter(path) {
				return fs.SkipDir // a folder reached again through a link ("up -> ..")
			}
			return nil
		}
		if !t.entry(ctx, path, d) {
			stopped = true
			return fs.SkipAll
		}
		return nil
	})
	if stopped {
		return false
	}
	if err != nil {
		t.found = true
		return t.emit(failedInput(root, err))
	}
	return true
}

// enter reports whether the folder at path is walked for the first time,
// by its real path, and records it: each folder is walked once however
// many links lead to it.
func (t *tree) enter(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return true // WalkDir reports what is wrong with it
	}
	if t.visited[real] {
		return false
	}
	t.visited[real] = true
	return true
}

// entry handles one entry of a folder that is not a folder, and reports
// whether the walk goes on.
func (t *tree) entry(ctx context.Context, path string, d fs.DirEntry) bool {
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		if !t.w.FollowSymlinks {
			t.links++
			return true
		}
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			if !isPageName(d.Name()) && !source.IsWARC(d.Name()) {
				return true
			}
			t.found = true
			return t.emit(failedInput(path, err))
		case fi.IsDir():
			return t.walk(ctx, path)
		}
		mode = fi.Mode()
	}
	page, archive := isPageName(d.Name()), source.IsWARC(d.Name())
	switch {
	case !page && !archive:
		return true
	case !mode.IsRegular():
		t.found = true
		return t.emit(failedInput(path, fmt.Errorf("%w: skipped", sizecap.NotRegular(mode))))
	case archive:
		t.found = true
		if t.w.countOnly {
			t.w.unknown = true
			return true
		}
		return t.w.walkWARC(ctx, path, true, t.w.FollowSymlinks, t.emit)
	}
	t.found = true
	return t.emit(Input{Name: path, kind: inputFile, walked: true, follow: t.w.FollowSymlinks})
}

// lineReader reads lines of any length up to a cap, reusing its buffer.
type lineReader struct {
	br   *bufio.Reader
	max  int
	buf  []byte
	line int // the number of the line last returned, from 1
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// errNoLineEnd is the failure of a line that runs on past what next skips
// to find its end (/dev/zero, a binary file): the rest of the stream is not
// read.
var errNoLineEnd = errors.New("no line end")

// skipLimit is how far past its cap next reads a line to find its end,
// so that one long line is skipped and the next read, but an endless one
// ends the stream: four times the cap, at least 64 MiB.
func (r *lineReader) skipLimit() int64 { return max(4*int64(r.max), 64<<20) }

// endless is the failure of a line that returned errNoLineEnd, which
// ends the reading of what ("the list", "stdin").
func (r *lineReader) endless(what string) error {
	return fmt.Errorf("line longer than %d bytes, with no line end in the next %s: the rest of %s was not read", r.max, sizecap.Format(r.skipLimit()), what)
}

// next returns the next line without its line ending. A line longer than
// the cap is skipped and reported by tooLong; one that finds no line end
// within skipLimit returns errNoLineEnd. The slice is valid until the next
// call. At the end it returns io.EOF.
func (r *lineReader) next() (line []byte, tooLong bool, err error) {
	r.buf = r.buf[:0]
	sawData := false
	var n int64
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(chunk) > 0 {
			sawData = true
		}
		if n += int64(len(chunk)); tooLong && n > r.skipLimit() {
			r.line++
			return nil, true, errNoLineEnd
		}
		if !tooLong {
			if len(r.buf)+len(chunk) > r.max+2 { // +2: room for "\r\n"
				tooLong = true
				r.buf = r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return nil, false, err
		case err != nil && !sawData:
			return nil, false, io.EOF
		}
		r.line++
		return bytes.TrimRight(r.buf, "\r\n"), tooLong, nil
	}
}

// maxURLLine caps the lines of a URL list: no real URL comes near it.
const maxURLLine = 1 << 20

// walkURLList emits one URL input per line of the list named name ("-" for
// stdin). Blank lines and lines starting with # are skipped; any other line
// that is not an http(s) URL becomes an error record named "name:line".
func (w *Walker) walkURLList(ctx context.Context, name string, emit func(Input) bool) bool {
	var r io.Reader
	display := name
	if name == "-" {
		if w.countOnly {
			w.unknown = true
			return true
		}
		r, display = w.Stdin, "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return emit(failedInput(name, err))
		}
		defer f.Close()
		r = f
	}
	lr := newLineReader(r, maxURLLine)
	urls := 0
	for ctx.Err() == nil {
		line, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		at := display + ":" + strconv.Itoa(lr.line)
		if errors.Is(err, errNoLineEnd) {
			return emit(failedInput(at, lr.endless("the list")))
		}
		if err != nil {
			return emit(failedInput(display, fmt.Errorf("read URL list after line %d: %w", lr.line, err)))
		}
		text := strings.TrimSpace(string(line))
		var in Input
		switch {
		case tooLong:
			in = failedInput(at, fmt.Errorf("line longer than %d bytes", maxURLLine))
		case text == "" || strings.HasPrefix(text, "#"):
			continue
		case source.IsURL(text):
			in = Input{Name: text, kind: inputURL}
		default:
			in = failedInput(at, fmt.Errorf("not a URL: %q", text))
		}
		urls++
		if !emit(in) {
			return false
		}
	}
	if ctx.Err() != nil {
		return false
	}
	if urls == 0 {
		return emit(failedInput(display, errors.New("no URLs in this list")))
	}
	return true
}

// walkJSONL emits one input per line of r, each a {"url": ..., "html": ...}
// object. A record is named by its url, else by "stdin:LINE"; a line that
// is not such an object becomes an error record naming its line.
func (w *Walker) walkJSONL(ctx context.Context, r io.Reader, emit func(Input) bool) bool {
	lr := newLineReader(r, source.JSONLLineCap(w.MaxBytes))
	for ctx.Err() == nil {
		line, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			return true
		}
		at := "stdin:" + strconv.Itoa(lr.line)
		if errors.Is(err, errNoLineEnd) {
			return emit(failedInput(at, lr.endless("stdin")))
		}
		if err != nil {
			return emit(failedInput(at, fmt.Errorf("read stdin: %w", err)))
		}
		if tooLong {
			if !emit(failedInput(at, fmt.Errorf("line longer than %d bytes", source.JSONLLineCap(w.MaxBytes)))) {
				return false
			}
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !emit(w.jsonlInput(at, line)) {
			return false
		}
	}
	return false
}

// jsonlInput turns one JSONL line, found at "stdin:LINE", into an input.
func (w *Walker) jsonlInput(at string, line []byte) Input {
	page, err := source.FromJSONL(at, line, w.MaxBytes)
	if err != nil {
		return failedInput(page.Input, err)
	}
	return Input{Name: page.Input, kind: inputPage, page: page}
}
