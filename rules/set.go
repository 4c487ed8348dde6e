package rules

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
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
}

// NewSet merges packs in order. An entry whose id equals that of an entry
// already in the same section replaces it where it stands; other entries
// are appended. The result depends only on the packs and their order.
func NewSet(packs ...*Pack) *Set {
	s := &Set{}
	for _, p := range packs {
		if p == nil {
			continue
		}
		s.Actors = merge(s.Actors, p.Actors, func(e Entity) string { return e.ID })
		s.Tooling = merge(s.Tooling, p.Tooling, func(e Entity) string { return e.ID })
		s.Responders = merge(s.Responders, p.Responders, func(e Entity) string { return e.ID })
		s.Outlets = merge(s.Outlets, p.Outlets, func(e Entity) string { return e.ID })
		s.Sectors = merge(s.Sectors, p.Sectors, func(e Sector) string { return e.ID })
		s.Countries = merge(s.Countries, p.Countries, func(e Country) string { return e.ID })
		s.Patterns = merge(s.Patterns, p.Patterns, func(e PatternRule) string { return e.ID })
	}
	return s
}

// merge appends add to dst, replacing in place the entries of dst whose id
// an entry of add repeats. Entries without an id are always appended.
func merge[T any](dst, add []T, id func(T) string) []T {
	if len(add) == 0 {
		return dst
	}
	at := make(map[string]int, len(dst))
	for i, e := range dst {
		if k := id(e); k != "" {
			at[k] = i
		}
	}
	for _, e := range add {
		k := id(e)
		if i, ok := at[k]; ok && k != "" {
			dst[i] = e
			continue
		}
		if k != "" {
			at[k] = len(dst)
		}
		dst = append(dst, e)
	}
	return dst
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

// ParseFS parses the files of fsys that match the patterns (fs.Glob
// syntax), in the order of the patterns and, within a pattern, in name
// order; a file matched twice is parsed once. A pattern that matches no
// file is an error. Every problem in every file is reported in one
// ErrorList.
func ParseFS(fsys fs.FS, patterns ...string) ([]*Pack, error) {
	return parseFS(fsys, func(name string) string { return name }, patterns)
}

// parseFS is ParseFS with display turning a name in fsys into the name
// used in messages and Pack.Source.
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
	var packs []*Pack
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, readError(display(name), err))
			continue
		}
		pack, err := ParseFile(display(name), data)
		errs = appendErrors(errs, err)
		if err == nil {
			packs = append(packs, pack)
		}
	}
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
	var packs []*Pack
	var errs ErrorList
	for _, p := range paths {
		files, err := rulesFiles(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				errs = append(errs, readError(f, err))
				continue
			}
			pack, err := ParseFile(f, data)
			errs = appendErrors(errs, err)
			if err == nil {
				packs = append(packs, pack)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return packs, nil
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
