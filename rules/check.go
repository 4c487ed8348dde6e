package rules

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/incidex/incidex/extract/nlp"
)

// Report is what Validate found in a set of rule files.
type Report struct {
	Files int // rule files read, those with problems included
	Rules int // entries of every section in Packs
	Tests int // tests in Packs
	// Packs are the files whose YAML could be read, in order, with every
	// entry that could be decoded (a file with problems included).
	Packs []*Pack
	// Problems lists the paths that could not be read, then the problems
	// of each file in the order read, by line and column.
	Problems ErrorList
}

// Validate checks rule files more strictly than loading does. paths are
// read like LoadPaths reads them. Beyond every problem ParseFile reports,
// it reports
//   - patterns that can never match, or that match without reading a
//     token or without filling the slot of their role (see lintPattern);
//   - an id used in the same section of two of the files (loading would
//     let the later one replace the earlier);
//   - a name or alias that two entries of a section claim when neither has
//     cues, so that a text naming it cannot tell them apart.
//
// base are packs the files are meant to extend (the default pack): their
// entries take part in the alias check, as the files' entries replace them
// by id, but problems between two base entries are not reported.
//
// Files are read under the caps of LoadPaths (MaxFileBytes each,
// MaxTotalBytes together).
func Validate(paths []string, base []*Pack) *Report {
	return validate(paths, base, readLimits{MaxFileBytes, MaxTotalBytes})
}

// validate is Validate with the caps as arguments, for tests.
func validate(paths []string, base []*Pack, caps readLimits) *Report {
	var files []ruleFile
	var problems ErrorList
	rd := newCappedReader(caps)
	for _, p := range paths {
		names, errs := rulesFiles(p)
		problems = append(problems, errs...)
		for _, name := range names {
			data, err := rd.read(name)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			files = append(files, ruleFile{name, data})
		}
	}
	r := validateFiles(files, base)
	r.Problems = append(problems, r.Problems...)
	return r
}

// ValidateDefault is Validate for the default packs built into the binary,
// named rules/default/<file> as DefaultPacks names them.
func ValidateDefault() *Report {
	return validateFS(defaultFS, func(name string) string { return "rules/" + name }, nil, "default/*.yaml")
}

// validateFS is Validate for the files of fsys that match the patterns
// (fs.Glob syntax, in name order), as parseFS reads them; display turns a
// name in fsys into the name used in messages.
func validateFS(fsys fs.FS, display func(string) string, base []*Pack, patterns ...string) *Report {
	var files []ruleFile
	var problems ErrorList
	for _, pat := range patterns {
		matches, err := fs.Glob(fsys, pat)
		if err != nil {
			problems = append(problems, &Error{Msg: fmt.Sprintf("pattern %q: %v", pat, err), Err: err})
			continue
		}
		if len(matches) == 0 {
			problems = append(problems, &Error{Msg: fmt.Sprintf("pattern %q matches no files", pat)})
		}
		for _, m := range matches {
			data, err := fs.ReadFile(fsys, m)
			if err != nil {
				problems = append(problems, readError(display(m), err))
				continue
			}
			files = append(files, ruleFile{display(m), data})
		}
	}
	r := validateFiles(files, base)
	r.Problems = append(problems, r.Problems...)
	return r
}

type ruleFile struct {
	name string
	data []byte
}

func validateFiles(files []ruleFile, base []*Pack) *Report {
	r := &Report{Files: len(files)}
	order := map[string]int{}
	for i, f := range files {
		order[f.name] = i
		pack, errs, lint := parseFile(f.name, f.data, true)
		r.Problems = append(r.Problems, errs...)
		r.Problems = append(r.Problems, lint...)
		if pack != nil {
			r.Packs = append(r.Packs, pack)
			r.Rules += pack.Len()
			r.Tests += len(pack.Tests)
		}
	}
	r.Problems = append(r.Problems, duplicateIDs(r.Packs)...)
	r.Problems = append(r.Problems, sharedNames(base, r.Packs)...)
	// A file's own problems came sorted; those of the checks across files
	// join them here. Problems without a file (a bad glob) come first.
	slices.SortStableFunc(r.Problems, func(a, b *Error) int {
		oa, ok := order[a.File]
		if !ok {
			oa = -1
		}
		ob, ok := order[b.File]
		if !ok {
			ob = -1
		}
		if oa != ob {
			return oa - ob
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return r
}

// Len is the number of entries in the pack, all sections, tests left out.
func (p *Pack) Len() int {
	return len(p.Actors) + len(p.Tooling) + len(p.Responders) + len(p.Outlets) +
		len(p.Sectors) + len(p.Countries) + len(p.Patterns) + len(p.Lexicon) + len(p.Scoring)
}

// entryRef is one entry of any section, for the checks across files.
type entryRef struct {
	section, id, file string
	line, col         int
}

func (p *Pack) refs() []entryRef {
	var out []entryRef
	ents := func(sec string, list []Entity) {
		for _, e := range list {
			out = append(out, entryRef{sec, e.ID, e.Source, e.Line, e.Col})
		}
	}
	ents("actors", p.Actors)
	ents("tooling", p.Tooling)
	ents("responders", p.Responders)
	ents("outlets", p.Outlets)
	for _, e := range p.Sectors {
		out = append(out, entryRef{"sectors", e.ID, e.Source, e.Line, e.Col})
	}
	for _, e := range p.Countries {
		out = append(out, entryRef{"countries", e.ID, e.Source, e.Line, e.Col})
	}
	for _, e := range p.Patterns {
		out = append(out, entryRef{"patterns", e.ID, e.Source, e.Line, e.Col})
	}
	for _, e := range p.Scoring {
		out = append(out, entryRef{"scoring", e.ID, e.Source, e.Line, e.Col})
	}
	for _, e := range p.Lexicon {
		if !e.Extend { // extending a list of the same id is what extend is for
			out = append(out, entryRef{"lexicon", e.ID, e.Source, e.Line, e.Col})
		}
	}
	return out
}

// duplicateIDs reports an id that two of the packs use in the same
// section (ParseFile already reports one repeated within a file).
func duplicateIDs(packs []*Pack) ErrorList {
	var out ErrorList
	first := map[[2]string]entryRef{}
	for _, p := range packs {
		for _, e := range p.refs() {
			k := [2]string{e.section, e.id}
			f, dup := first[k]
			switch {
			case e.id == "":
			case !dup:
				first[k] = e
			case f.file != e.file:
				out = append(out, &Error{File: e.file, Line: e.line, Col: e.col, Rule: e.id,
					Msg: fmt.Sprintf("duplicate id in %s (first at %s:%d); loaded together, this entry would replace that one", e.section, f.file, f.line)})
			}
		}
	}
	return out
}

// nameRef is one name of a dictionary entry.
type nameRef struct {
	ent   *Entity
	i     int // 0 for the name, i for Aliases[i-1]
	text  string
	cs    bool // matched with its capitals (case_sensitive, or three characters or fewer)
	local bool // in a checked file, not in base
}

// sharedNames reports a name that two entries of the same dictionary
// section claim when neither entry has cues: the extractor could not tell
// which is meant. Two entries that share several names are reported once,
// at the first shared name. An entry of packs replaces the base entry with
// its id, as NewSet does. A name repeated within one entry is reported too.
func sharedNames(base, packs []*Pack) ErrorList {
	local := map[string]bool{}
	for _, p := range packs {
		local[p.Source] = true
	}
	set := NewSet(append(slices.Clip(base), packs...)...)
	var out ErrorList
	for _, list := range [][]Entity{set.Actors, set.Tooling, set.Responders, set.Outlets} {
		seen := map[string][]nameRef{}
		// pairs gathers the names two entries share, in the order found.
		type pair struct{ at, other *Entity }
		var order []pair
		shared := map[pair][][2]nameRef{}
		for k := range list {
			e := &list[k]
			if e.Regex != "" {
				continue // matched by its expression: its name is only a label
			}
			for i, text := range append([]string{e.Name}, e.Aliases...) {
				key := FoldName(text)
				if key == "" {
					continue
				}
				n := nameRef{ent: e, i: i, text: text, local: local[e.Source],
					cs: KeepsCapitals(e, text)}
				for _, m := range seen[key] {
					if !clash(m, n) || !n.local && !m.local {
						continue
					}
					// Report in a checked file, at the later name if both are.
					at, other := n, m
					if !n.local {
						at, other = m, n
					}
					if at.ent == other.ent {
						out = append(out, at.error(fmt.Sprintf("%s %q repeats %s %q of the same entry",
							kindOfName(at.i), at.text, kindOfName(other.i), other.text)))
						break
					}
					pr := pair{at.ent, other.ent}
					if _, ok := shared[pr]; !ok {
						order = append(order, pr)
					}
					shared[pr] = append(shared[pr], [2]nameRef{at, other})
					break
				}
				seen[key] = append(seen[key], n)
			}
		}
		for _, pr := range order {
			names := shared[pr]
			at, other := names[0][0], names[0][1]
			p := other.pos()
			msg := fmt.Sprintf("%s %q is also a name of %q (%s:%d:%d)", kindOfName(at.i), at.text, other.ent.ID, other.ent.Source, p.Line, p.Col)
			if len(names) > 1 {
				var more []string
				for _, n := range names[1:] {
					more = append(more, strconv.Quote(n[0].text))
				}
				msg += fmt.Sprintf(", and so are %s", strings.Join(more, ", "))
			}
			msg += "; give one of them cues or drop the name from one"
			out = append(out, at.error(msg))
		}
	}
	return out
}

// error is a problem reported at the name.
func (n nameRef) error(msg string) *Error {
	p := n.pos()
	return &Error{File: n.ent.Source, Line: p.Line, Col: p.Col, Rule: n.ent.ID, Msg: msg}
}

// clash reports whether names a and b, equal once folded, are a problem:
// the same name twice in one entry, or in two entries of which neither has
// cues. Two names that both keep their capitals clash only when written
// alike ("ICO" and "Ico" are different names then).
func clash(a, b nameRef) bool {
	if a.cs && b.cs && a.text != b.text {
		return false
	}
	return a.ent == b.ent || len(a.ent.Cues) == 0 && len(b.ent.Cues) == 0
}

func (n nameRef) pos() Pos {
	if n.i < len(n.ent.NamePos) && n.ent.NamePos[n.i].Line > 0 {
		return n.ent.NamePos[n.i]
	}
	return Pos{n.ent.Line, n.ent.Col}
}

func kindOfName(i int) string {
	if i == 0 {
		return "name"
	}
	return "alias"
}

// KeepsCapitals reports whether a dictionary name of an entry matches
// text only with its own capitals: the entry says so (case_sensitive), the
// name has three characters or fewer ("US", "M&S"), or it is a word of
// capitals only, an acronym that would otherwise match an ordinary word or
// a surname ("CARR", "Carr").
func KeepsCapitals(e *Entity, name string) bool {
	if e.CaseSensitive || utf8.RuneCountInString(name) <= 3 {
		return true
	}
	if strings.ContainsAny(name, " -") {
		return false
	}
	letters := 0
	for _, r := range name {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 2
}

// FoldName is how two dictionary names are compared: lower case, curly
// apostrophes straight, runs of spaces as one.
func FoldName(s string) string {
	return strings.Join(strings.Fields(nlp.Fold(s)), " ")
}
