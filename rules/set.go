package rules

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/incidex/incidex/internal/sizecap"
)

// defaultFS holds the rule packs shipped in the binary.
//
//go:embed default/*.yaml
var defaultFS embed.FS

// Set is the rules in force: the entries of several packs merged, later
// packs extending earlier ones.
type Set struct {
	Actors     []Entity
	Tooling    []Entity
	Responders []Entity
	Outlets    []Entity
	Sectors    []Sector
	Countries  []Country
	Patterns   []PatternRule
	Lexicon    []LexiconList
	Scoring    []Scoring
}

// NewSet merges packs in order. An entry whose id equals that of an entry
// already in the same section replaces it where it stands; other entries
// are appended. The result depends only on the packs and their order.
func NewSet(packs ...*Pack) *Set {
	entityID := func(e *Entity) string { return e.ID }
	return &Set{
		Actors:     merge(packs, func(p *Pack) []Entity { return p.Actors }, entityID),
		Tooling:    merge(packs, func(p *Pack) []Entity { return p.Tooling }, entityID),
		Responders: merge(packs, func(p *Pack) []Entity { return p.Responders }, entityID),
		Outlets:    merge(packs, func(p *Pack) []Entity { return p.Outlets }, entityID),
		Sectors:    merge(packs, func(p *Pack) []Sector { return p.Sectors }, func(e *Sector) string { return e.ID }),
		Countries:  merge(packs, func(p *Pack) []Country { return p.Countries }, func(e *Country) string { return e.ID }),
		Patterns:   merge(packs, func(p *Pack) []PatternRule { return p.Patterns }, func(e *PatternRule) string { return e.ID }),
		Lexicon:    mergeLexicon(packs),
		Scoring:    merge(packs, func(p *Pack) []Scoring { return p.Scoring }, func(e *Scoring) string { return e.ID }),
	}
}

// merge concatenates one section of the packs, an entry replacing in place
// the earlier entry with its id. Entries without an id are always
// appended. One index serves every pack: an imported pack holds thousands
// of entries.
func merge[T any](packs []*Pack, section func(*Pack) []T, id func(*T) string) []T {
	n := 0
	for _, p := range packs {
		if p != nil {
			n += len(section(p))
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	at := make(map[string]int, n)
	for _, p := range packs {
		if p == nil {
			continue
		}
		list := section(p)
		for i := range list {
			k := id(&list[i])
			if j, ok := at[k]; ok && k != "" {
				out[j] = list[i]
				continue
			}
			if k != "" {
				at[k] = len(out)
			}
			out = append(out, list[i])
		}
	}
	return out
}

// DefaultPacks parses the packs embedded in the binary
// (rules/default/*.yaml, in name order). Errors name the files as
// rules/default/<name>.
func DefaultPacks() ([]*Pack, error) {
	// No prefix on the error: every line already names its rules/default file.
	return parseFS(defaultFS, func(name string) string { return "rules/" + name }, []string{"default/*.yaml"})
}

// Default is the Set of the packs embedded in the binary. To add user packs
// to them, merge DefaultPacks and LoadPaths with NewSet instead.
func Default() (*Set, error) {
	packs, err := DefaultPacks()
	if err != nil {
		return nil, err
	}
	return NewSet(packs...), nil
}

// Load reads the packs a run uses: the default pack when withDefault,
// then the packs at paths (see LoadPaths), in that order. Problems in rule
// files come back as one ErrorList.
func Load(paths []string, withDefault bool) ([]*Pack, error) {
	var packs []*Pack
	if withDefault {
		def, err := DefaultPacks()
		if err != nil {
			return nil, fmt.Errorf("built-in rules: %w", err)
		}
		packs = append(packs, def...)
	}
	if len(paths) > 0 {
		user, err := LoadPaths(paths)
		if err != nil {
			return nil, err
		}
		packs = append(packs, user...)
	}
	return packs, nil
}

// parseFS parses the files of fsys that match the patterns (fs.Glob
// syntax), in the order of the patterns and, within a pattern, in name
// order; a file matched twice is parsed once. A pattern that matches no
// file is an error. Every problem in every file is reported in one
// ErrorList. display turns a name in fsys into the name used in messages
// and Pack.Source.
func parseFS(fsys fs.FS, display func(string) string, patterns []string) ([]*Pack, error) {
	if len(patterns) == 0 {
		return nil, errors.New("parse rules: no file patterns given")
	}
	var names []string
	var errs ErrorList
	for _, pat := range patterns {
		matches, err := fs.Glob(fsys, pat)
		if err != nil {
			errs = append(errs, &Error{Msg: fmt.Sprintf("pattern %q: %v", pat, err), Err: err})
			continue
		}
		if len(matches) == 0 {
			errs = append(errs, &Error{Msg: fmt.Sprintf("pattern %q matches no files", pat)})
			continue
		}
		for _, m := range matches {
			if !slices.Contains(names, m) {
				names = append(names, m)
			}
		}
	}
	files := make([]ruleData, len(names))
	for i, name := range names {
		// No cap: fsys is the packs built into the binary (or a test's).
		data, err := fs.ReadFile(fsys, name)
		files[i] = ruleData{name: display(name), data: data}
		if err != nil {
			files[i].readErr = readError(files[i].name, err)
		}
	}
	packs, perrs := parseAll(files)
	errs = append(errs, perrs...)
	if len(errs) > 0 {
		return nil, errs
	}
	return packs, nil
}

// LoadPaths parses rule packs named on the command line. Each path is a
// file, or a directory whose *.yaml and *.yml files (directly inside it,
// not in subdirectories) are read in name order. Packs come back in the
// order of paths. Every problem in every file, and every path that cannot
// be read, is reported in one ErrorList.
//
// A file larger than MaxFileBytes, or one that brings the files read
// before it past MaxTotalBytes, is a problem of its own: its reading stops
// one byte past the cap.
func LoadPaths(paths []string) ([]*Pack, error) {
	return loadPaths(paths, readLimits{MaxFileBytes, MaxTotalBytes})
}

// loadPaths is LoadPaths with the caps as arguments, for tests.
func loadPaths(paths []string, caps readLimits) ([]*Pack, error) {
	var files []ruleData
	rd := newCappedReader(caps)
	for _, p := range paths {
		names, problems := rulesFiles(p)
		for _, e := range problems {
			files = append(files, ruleData{pathErr: e})
		}
		for _, f := range names {
			data, err := rd.read(f)
			files = append(files, ruleData{name: f, data: data, readErr: err})
		}
	}
	packs, errs := parseAll(files)
	if len(errs) > 0 {
		return nil, errs
	}
	return packs, nil
}

// The caps on reading rule files. Parsing costs about 40 times a file's
// size (a 32 MiB pack of 170,000 entries took 1.3 GB to validate), and the
// largest real packs are far smaller: the default packs come to 250 KB,
// everything "rules import misp" makes of the MISP galaxy to 700 KB.
const (
	// MaxFileBytes is the largest rule file read.
	MaxFileBytes = 32 << 20
	// MaxTotalBytes caps the rule files of one LoadPaths or Validate
	// together (a folder of them, several --rules), the built-in packs
	// left out.
	MaxTotalBytes = 64 << 20
)

// readLimits are the caps a cappedReader applies.
type readLimits struct {
	file, total int64
}

// cappedReader reads rule files under a cap on each and on all of them.
type cappedReader struct {
	caps readLimits
	left int64 // of caps.total
}

func newCappedReader(caps readLimits) *cappedReader {
	return &cappedReader{caps: caps, left: caps.total}
}

// read reads the rule file name whole, failing with an *Error that names
// the cap it would pass.
func (r *cappedReader) read(name string) ([]byte, *Error) {
	limit := min(r.caps.file, r.left)
	data, err := sizecap.ReadFile(name, limit, "rule file")
	if errors.Is(err, sizecap.ErrTooLarge) && limit < r.caps.file {
		r.left = 0
		return nil, &Error{File: name, Err: err, Msg: fmt.Sprintf(
			"with the rule files read before it, larger than the %s limit for all rule files together",
			sizecap.Format(r.caps.total))}
	}
	if err != nil {
		return nil, readError(name, err)
	}
	r.left -= int64(len(data))
	return data, nil
}

// ruleData is a rule file read for parseAll, or why it could not be.
type ruleData struct {
	name    string
	data    []byte
	readErr *Error // reading name failed
	pathErr *Error // a path named no rule file
}

// parseAll parses files as ParseFile does, several at once (a large
// imported pack takes tens of milliseconds), and returns the packs and
// the problems in the order of files.
func parseAll(files []ruleData) ([]*Pack, ErrorList) {
	packs := make([]*Pack, len(files))
	errs := make([]error, len(files))
	// The largest files first, so that one does not start last.
	order := make([]int, 0, len(files))
	for i, f := range files {
		if f.readErr == nil && f.pathErr == nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(files[b].data) - len(files[a].data) })
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, i := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			packs[i], errs[i] = ParseFile(files[i].name, files[i].data)
		})
	}
	wg.Wait()
	var out []*Pack
	var list ErrorList
	for i, f := range files {
		switch {
		case f.pathErr != nil:
			list = append(list, f.pathErr)
		case f.readErr != nil:
			list = append(list, f.readErr)
		case errs[i] != nil:
			list = appendErrors(list, errs[i])
		default:
			out = append(out, packs[i])
		}
	}
	return out, list
}

// rulesFiles returns the file p, or the rule files of the directory p,
// and the problems of p. A directory's entries that are not regular files
// (FIFOs, devices, sockets: a FIFO would block the load until something
// writes to it) are problems, not rules; a file named on its own is read
// whatever it is.
func rulesFiles(p string) ([]string, ErrorList) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, ErrorList{readError(p, err)}
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	dirents, err := os.ReadDir(p)
	if err != nil {
		return nil, ErrorList{readError(p, err)}
	}
	var files []string
	var problems ErrorList
	for _, d := range dirents { // ReadDir sorts by name
		ext := path.Ext(d.Name())
		if d.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		name := filepath.Join(p, d.Name())
		if !d.Type().IsRegular() {
			info, err := os.Stat(name) // a symbolic link is read as what it names
			switch {
			case err != nil:
				problems = append(problems, readError(name, err))
				continue
			case info.IsDir():
				continue
			case !info.Mode().IsRegular():
				problems = append(problems, &Error{File: name,
					Msg: sizecap.NotRegular(info.Mode()).Error() + ": skipped; name it on its own to read it"})
				continue
			}
		}
		files = append(files, name)
	}
	if len(files) == 0 && len(problems) == 0 {
		return nil, ErrorList{{File: p, Msg: "directory has no .yaml or .yml files"}}
	}
	return files, problems
}

// readError reports a file that cannot be read. The path is already the
// Error's File, so a *fs.PathError contributes only its operation's cause.
func readError(name string, err error) *Error {
	if tl, ok := errors.AsType[*sizecap.TooLargeError](err); ok {
		return &Error{File: name, Msg: tl.Reason(), Err: err}
	}
	msg := err.Error()
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		msg = pe.Err.Error()
	}
	return &Error{File: name, Msg: "cannot read: " + strings.TrimPrefix(msg, name+": "), Err: err}
}

// appendErrors adds the problems of a ParseFile error to errs.
func appendErrors(errs ErrorList, err error) ErrorList {
	if err == nil {
		return errs
	}
	if l, ok := errors.AsType[ErrorList](err); ok {
		return append(errs, l...)
	}
	return append(errs, &Error{Msg: err.Error(), Err: err})
}
