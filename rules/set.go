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
		files[i].name = display(name)
		files[i].data, files[i].err = fs.ReadFile(fsys, name)
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
func LoadPaths(paths []string) ([]*Pack, error) {
	var files []ruleData
	for _, p := range paths {
		names, err := rulesFiles(p)
		if err != nil {
			files = append(files, ruleData{pathErr: err})
			continue
		}
		for _, f := range names {
			data, err := os.ReadFile(f)
			files = append(files, ruleData{name: f, data: data, err: err})
		}
	}
	packs, errs := parseAll(files)
	if len(errs) > 0 {
		return nil, errs
	}
	return packs, nil
}

// ruleData is a rule file read for parseAll, or why it could not be.
type ruleData struct {
	name    string
	data    []byte
	err     error  // reading name failed
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
		if f.err == nil && f.pathErr == nil {
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
		case f.err != nil:
			list = append(list, readError(f.name, f.err))
		case errs[i] != nil:
			list = appendErrors(list, errs[i])
		default:
			out = append(out, packs[i])
		}
	}
	return out, list
}

// rulesFiles returns the file p, or the rule files of the directory p.
func rulesFiles(p string) ([]string, *Error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, readError(p, err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	dirents, err := os.ReadDir(p)
	if err != nil {
		return nil, readError(p, err)
	}
	var files []string
	for _, d := range dirents { // ReadDir sorts by name
		ext := path.Ext(d.Name())
		if d.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		files = append(files, filepath.Join(p, d.Name()))
	}
	if len(files) == 0 {
		return nil, &Error{File: p, Msg: "directory has no .yaml or .yml files"}
	}
	return files, nil
}

// readError reports a file that cannot be read. The path is already the
// Error's File, so a *fs.PathError contributes only its operation's cause.
func readError(name string, err error) *Error {
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
