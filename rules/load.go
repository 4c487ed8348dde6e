package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/incidex/incidex/rules/pattern"
	"gopkg.in/yaml.v3"
)

// Error is one problem in a rule pack. Line and Col are 1-based; zero when
// unknown (a file that cannot be read). Rule is the id of the entry at
// fault, when known. Err is the underlying error, if any, for errors.Is.
type Error struct {
	File string
	Line int
	Col  int
	Rule string
	Msg  string
	Err  error
}

// Error formats the problem as `file:line:col: rule "id": message`, leaving
// out the parts that are not known (`file:line: message`, `file: message`).
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0 && e.Col > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Col)
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem found in one or more rule packs, in file order
// and, within a file, in line order.
type ErrorList []*Error

// Error is one problem per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As and errors.Is look at each problem.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// The allowed values of each field. Order is the order messages list them.
var (
	actorKinds     = []string{"group", "nation-state", "individual", "insider", "unknown"}
	toolingKinds   = []string{"ransomware", "malware", "tool", "technique", "vulnerability"}
	responderKinds = []string{"agency", "police", "regulator", "vendor", "cert", "other"}
	outletKinds    = []string{"media", "survey", "other"}

	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	attackRE  = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)
	// externalIDRE checks the ids of the sources incidex knows; others
	// only need to be non-empty.
	externalIDRE = map[string]*regexp.Regexp{
		"mitre-attack": regexp.MustCompile(`^(G|S|C|M|DS)[0-9]{4}$|^T[0-9]{4}(\.[0-9]{3})?$|^TA[0-9]{4}$`),
		"misp-galaxy":  regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
	}
	externalSourceRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	yamlErrRE        = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)
)

// validID reports whether id uses only lowercase letters, digits, '.', '-'
// and '_' (a loop: the regexp it replaces was 5% of loading a large pack).
func validID(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return id != ""
}

// section describes one top-level list of a pack.
type section struct {
	name  string
	keys  []string // keys an entry may have
	kinds []string // allowed kinds; nil when the section has no kind
	// kindRequired is false for outlets, whose kind is optional.
	kindRequired bool
}

var (
	entityKeys = []string{"id", "name", "aliases", "kind", "country", "cues", "case_sensitive", "external_ids"}
	secActors  = section{name: "actors", keys: append(slices.Clip(entityKeys), "regex"),
		kinds: actorKinds, kindRequired: true}
	secTooling = section{name: "tooling", keys: append(slices.Clip(entityKeys), "actor", "attack", "regex"),
		kinds: toolingKinds, kindRequired: true}
	secResponders = section{name: "responders", keys: append(slices.Clip(entityKeys), "sector"),
		kinds: responderKinds, kindRequired: true}
	secOutlets = section{name: "outlets", keys: append(slices.Clip(entityKeys), "sector"),
		kinds: outletKinds}
	secSectors   = section{name: "sectors", keys: []string{"id", "sector", "keywords"}}
	secCountries = section{name: "countries", keys: []string{"id", "code", "names", "demonyms"}}
	secPatterns  = section{name: "patterns",
		keys: []string{"id", "role", "pattern", "impact", "status", "attribution", "scope", "description"}}
	secLexicon = section{name: "lexicon", keys: []string{"id", "description", "words", "values", "extend"}}
	secScoring = section{name: "scoring", keys: []string{"id", "threshold", "bias", "weights"}}

	sectionNames = []string{"actors", "tooling", "responders", "outlets", "sectors", "countries", "patterns", "lexicon", "scoring", "tests"}
)

// ParseFile parses and validates one rule pack. name is used in messages
// and as Pack.Source. An empty file, or one with only comments, is an empty
// pack. The error, if any, is an ErrorList holding every problem found.
func ParseFile(name string, data []byte) (*Pack, error) {
	pack, errs, _ := parseFile(name, data, false)
	if len(errs) > 0 {
		return nil, errs
	}
	return pack, nil
}

// parseFile is ParseFile returning its problems apart: errs are what
// loading refuses, lint what only validation reports (patterns that can
// never match, see lintPattern), looked for only when lint is set. When there are errs, pack holds what could
// be read (nil when the YAML itself is broken), for checks across files;
// both lists are sorted by line and column.
func parseFile(name string, data []byte, lint bool) (pack *Pack, errs, lints ErrorList) {
	p := &fileParser{file: name, linting: lint}
	pack = &Pack{Source: name}
	root, ok := p.decode(data)
	if !ok {
		return nil, p.errs, nil
	}
	if root != nil {
		p.pack(pack, root)
	}
	sortErrors(p.errs)
	sortErrors(p.lint)
	return pack, p.errs, p.lint
}

// sortErrors orders the problems of one file by line, then column.
func sortErrors(l ErrorList) {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}

type fileParser struct {
	file    string
	errs    ErrorList
	linting bool // look for lint too
	lint    ErrorList
}

func (p *fileParser) add(n *yaml.Node, rule, format string, args ...any) {
	e := &Error{File: p.file, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// decode reads the single YAML document of data and returns its top node,
// or nil for an empty pack. ok is false when the YAML itself is broken.
func (p *fileParser) decode(data []byte) (root *yaml.Node, ok bool) {
	defer func() {
		// yaml.v3 has panicked on hostile input before; a rule file must
		// give an error, never a crash.
		if r := recover(); r != nil {
			p.errs = append(p.errs, &Error{File: p.file, Msg: fmt.Sprintf("invalid yaml: %v", r)})
			root, ok = nil, false
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, true
		}
		p.yamlError(err)
		return nil, false
	}
	// Further documents are refused unless empty: a stray trailing "---"
	// is harmless, a second pack in the same file is a mistake.
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.yamlError(err)
			return nil, false
		}
		if len(next.Content) > 0 && !isNull(next.Content[0]) {
			p.add(&next, "", "more than one yaml document; a rule file holds one")
			return nil, false
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, true
	}
	if !p.checkAliases(&doc, MaxAliasNodes) {
		return nil, false
	}
	n := resolve(doc.Content[0])
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		p.add(n, "", "top level must be a mapping of sections (%s)", strings.Join(sectionNames, ", "))
		return nil, false
	}
	return n, true
}

// yamlError turns a yaml.v3 syntax error ("yaml: line 3: message") into
// an Error with that line.
func (p *fileParser) yamlError(err error) {
	e := &Error{File: p.file, Err: err}
	msg := err.Error()
	if m := yamlErrRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	e.Msg = "invalid yaml: " + msg
	p.errs = append(p.errs, e)
}

// isNull reports whether n is an empty value (nothing, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// resolve follows a YAML alias (*name) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// MaxAliasNodes caps what the aliases of a rule file stand for: the
// nodes (strings, lists, mappings) that every *name of the file repeats,
// counted at each use, may number at most this many. An alias costs what
// it stands for each time a pack is read, and a few kilobytes of aliases
// of aliases stand for billions of nodes. The packs of "rules import misp"
// are the only ones known to use aliases, for their cue lists: the
// largest repeats about 30,000 nodes.
const MaxAliasNodes = 1_000_000

// checkAliases reports a document whose aliases stand for more than limit
// nodes in all, at the alias that passes the limit, and an alias inside
// the node it names (&a [*a]), which stands for an endless tree. It reads
// each node once, whatever the aliases stand for.
//
// yaml.v3 has a check of its own, but only when it decodes into Go values:
// a yaml.Node tree keeps its aliases as they are, and it is the walk of
// the tree (resolve) that repeats them.
func (p *fileParser) checkAliases(doc *yaml.Node, limit int) bool {
	// size holds, for each node an alias names, how many nodes it stands
	// for (at most limit+1); -1 while it is being counted.
	size := map[*yaml.Node]int{}
	var bad *yaml.Node // the alias at fault
	var msg string
	// expand is how many nodes n stands for, aliases expanded, at most
	// limit+1; ok is false once a problem is found.
	var expand func(n *yaml.Node) (count int, ok bool)
	expand = func(n *yaml.Node) (int, bool) {
		if n.Kind == yaml.AliasNode {
			t := n.Alias
			if t == nil {
				return 1, true
			}
			switch c, seen := size[t]; {
			case seen && c < 0:
				bad, msg = n, fmt.Sprintf("alias *%s is inside the node it names", n.Value)
				return 0, false
			case seen:
				return c, true
			}
			size[t] = -1
			c, ok := expand(t)
			size[t] = c
			return c, ok
		}
		count := 1
		for _, c := range n.Content {
			k, ok := expand(c)
			if !ok {
				return 0, false
			}
			count = min(count+k, limit+1)
		}
		return count, true
	}
	// The nodes of the file as written, each once: an alias adds what it
	// stands for, an anchored node is counted where it is written.
	total := 0
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n.Kind == yaml.AliasNode {
			c, ok := expand(n)
			if !ok {
				return false
			}
			total = min(total+c, limit+1)
			if total > limit {
				bad, msg = n, fmt.Sprintf("too many YAML aliases: they repeat more than %d nodes, the limit for a rule file", limit)
				return false
			}
			return true
		}
		for _, c := range n.Content {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if walk(doc) {
		return true
	}
	p.add(bad, "", "%s", msg)
	return false
}

// pair is one key and value of a mapping.
type pair struct {
	key   string
	kNode *yaml.Node
	vNode *yaml.Node
}

// pairs returns a mapping's keys and values, reporting keys that are not
// strings, repeated or not in allowed. what names the mapping in messages.
func (p *fileParser) pairs(m *yaml.Node, rule, what string, allowed []string) []pair {
	var out []pair
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := resolve(m.Content[i]), resolve(m.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.add(k, rule, "%s: key must be a plain word", what)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.add(k, rule, "key %q repeated (first at line %d)", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		if !slices.Contains(allowed, k.Value) {
			if what == "top level" {
				p.add(k, rule, "unknown section %q (want %s)", k.Value, strings.Join(allowed, ", "))
			} else {
				p.add(k, rule, "unknown key %q in %s (want %s)", k.Value, what, strings.Join(allowed, ", "))
			}
			continue
		}
		out = append(out, pair{key: k.Value, kNode: k, vNode: v})
	}
	return out
}

func (p *fileParser) pack(pack *Pack, root *yaml.Node) {
	for _, kv := range p.pairs(root, "", "top level", sectionNames) {
		entries := p.entries(kv)
		switch kv.key {
		case "actors":
			pack.Actors = p.entities(secActors, entries)
		case "tooling":
			pack.Tooling = p.entities(secTooling, entries)
		case "responders":
			pack.Responders = p.entities(secResponders, entries)
		case "outlets":
			pack.Outlets = p.entities(secOutlets, entries)
		case "sectors":
			pack.Sectors = p.sectors(entries)
		case "countries":
			pack.Countries = p.countries(entries)
		case "patterns":
			pack.Patterns = p.patterns(entries)
		case "lexicon":
			pack.Lexicon = p.lexicon(entries)
		case "scoring":
			pack.Scoring = p.scoring(entries)
		case "tests":
			pack.Tests = p.tests(entries)
		}
	}
}

// entries returns the mappings of a section's list. A section that is
// empty (`actors:`) has none.
func (p *fileParser) entries(kv pair) []*yaml.Node {
	v := kv.vNode
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.add(v, "", "%s must be a list of entries (- id: ...)", kv.key)
		return nil
	}
	var out []*yaml.Node
	for _, e := range v.Content {
		e = resolve(e)
		if e.Kind != yaml.MappingNode {
			p.add(e, "", "%s entry must be a mapping (id: ..., ...)", kv.key)
			continue
		}
		out = append(out, e)
	}
	return out
}

// entry holds what every entry shares while its own fields are decoded.
type entry struct {
	node  *yaml.Node
	id    string
	pairs []pair
}

// begin reads an entry's keys and its id; ids are checked for presence,
// format and uniqueness within the section (seen maps id to line).
func (p *fileParser) begin(sec section, n *yaml.Node, seen map[string]int) entry {
	e := entry{node: n}
	// Find the id first so that every message about the entry can name it,
	// wherever the id sits in the mapping.
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.Value == "id" && v.Kind == yaml.ScalarNode && !isNull(v) {
			e.id = v.Value
			break
		}
	}
	e.pairs = p.pairs(n, e.id, sec.name+" entry", sec.keys)
	var idNode *yaml.Node
	for _, kv := range e.pairs {
		if kv.key == "id" {
			idNode = kv.vNode
		}
	}
	switch {
	case idNode == nil || e.id == "":
		p.add(n, "", "%s entry has no id", sec.name)
		e.id = ""
	case !validID(e.id):
		p.add(idNode, e.id, "id must use only lowercase letters, digits, '.', '-' and '_'")
	default:
		if line, dup := seen[e.id]; dup {
			p.add(idNode, e.id, "duplicate id in %s (first at line %d)", sec.name, line)
		} else {
			seen[e.id] = idNode.Line
		}
	}
	return e
}

// str reads a string field; null is the empty string.
func (p *fileParser) str(e entry, kv pair) string {
	v := kv.vNode
	if v.Kind != yaml.ScalarNode {
		hint := ""
		if kv.key == "pattern" {
			hint = "; quote patterns that start with { or [ ('{victim} was hit by')"
		}
		p.add(v, e.id, "%s must be a string%s", kv.key, hint)
		return ""
	}
	if isNull(v) {
		return ""
	}
	return v.Value
}

// list reads a list of non-empty strings; null is an empty list.
func (p *fileParser) list(e entry, kv pair) []string {
	out, _ := p.listPos(e, kv)
	return out
}

// listPos is list with where each string is written.
func (p *fileParser) listPos(e entry, kv pair) ([]string, []Pos) {
	v := kv.vNode
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		p.add(v, e.id, "%s must be a list of strings ([a, b] or - a)", kv.key)
		return nil, nil
	}
	out := make([]string, 0, len(v.Content))
	pos := make([]Pos, 0, len(v.Content))
	for _, s := range v.Content {
		s = resolve(s)
		if s.Kind != yaml.ScalarNode || isNull(s) {
			p.add(s, e.id, "%s: each entry must be a string", kv.key)
			continue
		}
		if strings.TrimSpace(s.Value) == "" {
			p.add(s, e.id, "%s: empty string", kv.key)
			continue
		}
		out = append(out, s.Value)
		pos = append(pos, Pos{s.Line, s.Column})
	}
	return out, pos
}

// boolean reads true or false; YAML 1.1 spellings such as yes and on are
// refused because they read as strings elsewhere in the file.
func (p *fileParser) boolean(e entry, kv pair) bool {
	v := kv.vNode
	if v.Kind == yaml.ScalarNode {
		switch strings.ToLower(v.Value) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	p.add(v, e.id, "%s must be true or false", kv.key)
	return false
}

// oneOf checks that a field's value is one of allowed.
func (p *fileParser) oneOf(e entry, n *yaml.Node, field, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		p.add(n, e.id, "%s %q is not one of %s", field, value, strings.Join(allowed, ", "))
	}
}

func (p *fileParser) entities(sec section, nodes []*yaml.Node) []Entity {
	seen := map[string]int{}
	var out []Entity
	for _, n := range nodes {
		e := p.begin(sec, n, seen)
		ent := Entity{ID: e.id, Source: p.file, Line: n.Line, Col: n.Column}
		var kindSet bool
		var namePos Pos
		var aliasPos []Pos
		for _, kv := range e.pairs {
			v := kv.vNode
			switch kv.key {
			case "name":
				ent.Name = p.str(e, kv)
				namePos = Pos{v.Line, v.Column}
			case "aliases":
				ent.Aliases, aliasPos = p.listPos(e, kv)
			case "regex":
				ent.Regex = p.str(e, kv)
				ent.Re = p.regex(e, v, ent.Regex)
			case "cues":
				ent.Cues = p.list(e, kv)
			case "kind":
				ent.Kind = p.str(e, kv)
				if ent.Kind != "" {
					kindSet = true
					p.oneOf(e, v, "kind", ent.Kind, sec.kinds)
				}
			case "country":
				ent.Country = p.str(e, kv)
				p.country(e, v, "country", ent.Country)
			case "case_sensitive":
				ent.CaseSensitive = p.boolean(e, kv)
			case "actor":
				ent.Actor = p.boolean(e, kv)
			case "attack":
				ent.Attack = p.str(e, kv)
				if ent.Attack != "" && !attackRE.MatchString(ent.Attack) {
					p.add(v, e.id, "attack %q is not a MITRE ATT&CK id such as T1566 or T1566.001", ent.Attack)
				}
			case "external_ids":
				ent.ExternalIDs = p.externalIDs(e, kv)
			case "sector":
				ent.Sector = p.str(e, kv)
				if ent.Sector != "" {
					p.oneOf(e, v, "sector", ent.Sector, Sectors)
				}
			}
		}
		if strings.TrimSpace(ent.Name) == "" {
			p.add(n, e.id, "missing name")
		}
		if ent.Regex != "" && len(ent.Aliases) > 0 {
			p.add(n, e.id, "an entry with a regex is matched by it alone: its aliases would never be read (give them an entry of their own)")
		}
		ent.NamePos = append([]Pos{namePos}, aliasPos...)
		if sec.kindRequired && !kindSet {
			p.add(n, e.id, "missing kind (want one of %s)", strings.Join(sec.kinds, ", "))
		}
		out = append(out, ent)
	}
	return out
}

// externalIDs reads an entry's external_ids: a mapping from a source name
// (lower case, digits and '-') to the entry's id there, checked for the
// sources whose ids have a known shape.
func (p *fileParser) externalIDs(e entry, kv pair) map[string]string {
	v := kv.vNode
	if v.Kind != yaml.MappingNode {
		p.add(v, e.id, "external_ids must be a mapping such as {mitre-attack: G0046}")
		return nil
	}
	out := make(map[string]string, len(v.Content)/2)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode || !externalSourceRE.MatchString(k.Value) {
			p.add(k, e.id, "external_ids: source %q must be lower-case letters, digits and '-'", k.Value)
			continue
		}
		if val.Kind != yaml.ScalarNode || strings.TrimSpace(val.Value) == "" {
			p.add(val, e.id, "external_ids: %s: want a non-empty string", k.Value)
			continue
		}
		if re := externalIDRE[k.Value]; re != nil && !re.MatchString(val.Value) {
			p.add(val, e.id, "external_ids: %s id %q is not of the form %s", k.Value, val.Value, re)
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.add(k, e.id, "external_ids: source %s given twice", k.Value)
			continue
		}
		out[k.Value] = val.Value
	}
	return out
}

// regex compiles an entry's regex, anchored at both ends so that it
// describes whole names. A regex that does not compile is reported at the
// column of the part Go's parser names; one that matches the empty string
// is refused, since every position of every text would be a name.
func (p *fileParser) regex(e entry, n *yaml.Node, src string) *regexp.Regexp {
	if n.Kind != yaml.ScalarNode {
		return nil // reported by str
	}
	if strings.TrimSpace(src) == "" {
		p.add(n, e.id, "empty regex")
		return nil
	}
	if _, err := regexp.Compile(src); err != nil {
		col := n.Column
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		if se, ok := errors.AsType[*syntax.Error](err); ok && se.Expr != "" {
			if off, ok := patternOffset(n); ok {
				if i := strings.Index(src, se.Expr); i >= 0 {
					col += off + utf8.RuneCountInString(src[:i])
				}
			}
		}
		p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Col: col, Rule: e.id, Msg: "invalid regex: " + msg, Err: err})
		return nil
	}
	re := regexp.MustCompile(`^(?:` + src + `)$`)
	if re.MatchString("") {
		p.add(n, e.id, "regex %q matches an empty name", src)
		return nil
	}
	return re
}

// country checks an ISO 3166-1 alpha-2 code; empty is allowed.
func (p *fileParser) country(e entry, n *yaml.Node, field, code string) {
	switch {
	case code == "":
	case code == "UK":
		p.add(n, e.id, `%s "UK" is not an ISO 3166-1 code; use "GB"`, field)
	case !countryRE.MatchString(code):
		p.add(n, e.id, "%s %q must be two upper-case letters (ISO 3166-1 alpha-2, e.g. GB, US)", field, code)
	}
}

func (p *fileParser) sectors(nodes []*yaml.Node) []Sector {
	seen := map[string]int{}
	var out []Sector
	for _, n := range nodes {
		e := p.begin(secSectors, n, seen)
		s := Sector{ID: e.id, Source: p.file, Line: n.Line, Col: n.Column}
		for _, kv := range e.pairs {
			switch kv.key {
			case "sector":
				s.Sector = p.str(e, kv)
				if s.Sector != "" {
					p.oneOf(e, kv.vNode, "sector", s.Sector, Sectors)
				}
			case "keywords":
				s.Keywords = p.list(e, kv)
			}
		}
		if s.Sector == "" {
			p.add(n, e.id, "missing sector")
		}
		if len(s.Keywords) == 0 {
			p.add(n, e.id, "missing keywords")
		}
		out = append(out, s)
	}
	return out
}

func (p *fileParser) countries(nodes []*yaml.Node) []Country {
	seen := map[string]int{}
	var out []Country
	for _, n := range nodes {
		e := p.begin(secCountries, n, seen)
		c := Country{ID: e.id, Source: p.file, Line: n.Line, Col: n.Column}
		for _, kv := range e.pairs {
			switch kv.key {
			case "code":
				c.Code = p.str(e, kv)
				p.country(e, kv.vNode, "code", c.Code)
			case "names":
				c.Names = p.list(e, kv)
			case "demonyms":
				c.Demonyms = p.list(e, kv)
			}
		}
		if c.Code == "" {
			p.add(n, e.id, "missing code")
		}
		if len(c.Names) == 0 {
			p.add(n, e.id, "missing names")
		}
		out = append(out, c)
	}
	return out
}

// roleSlots is, for roles that find a name, the slots a pattern must use
// (any one of them).
var roleSlots = map[Role][]string{
	RoleVictim:    {pattern.SlotVictim},
	RoleActor:     {pattern.SlotActor},
	RoleResponder: {pattern.SlotOrg, pattern.SlotVictim},
	RoleNotVictim: {pattern.SlotOrg, pattern.SlotVictim},
}

func (p *fileParser) patterns(nodes []*yaml.Node) []PatternRule {
	seen := map[string]int{}
	var out []PatternRule
	for _, n := range nodes {
		e := p.begin(secPatterns, n, seen)
		r := PatternRule{ID: e.id, Source: p.file, Line: n.Line, Col: n.Column}
		var patNode, impactNode, statusNode, attrNode *yaml.Node
		for _, kv := range e.pairs {
			switch kv.key {
			case "role":
				r.Role = Role(p.str(e, kv))
				if r.Role != "" {
					p.oneOf(e, kv.vNode, "role", string(r.Role), roles)
				}
			case "pattern":
				r.Pattern, patNode = p.str(e, kv), kv.vNode
			case "impact":
				r.Impact, impactNode = ImpactKind(p.str(e, kv)), kv.vNode
			case "status":
				r.Status, statusNode = Status(p.str(e, kv)), kv.vNode
			case "attribution":
				r.Attribution, attrNode = Attribution(p.str(e, kv)), kv.vNode
			case "description":
				r.Description = p.str(e, kv)
			case "scope":
				r.Scope = Scope(p.str(e, kv))
				if r.Scope != "" {
					p.oneOf(e, kv.vNode, "scope", string(r.Scope), scopes)
				}
			}
		}
		if r.Role == "" {
			p.add(n, e.id, "missing role (want one of %s)", strings.Join(roles, ", "))
		}
		p.roleField(e, n, r.Role, RoleImpact, "impact", string(r.Impact), impactNode, impacts)
		p.roleField(e, n, r.Role, RoleStatus, "status", string(r.Status), statusNode, statuses)
		if r.Attribution != "" {
			if r.Role != RoleActor {
				p.add(attrNode, e.id, "attribution is only for actor rules")
			} else {
				p.oneOf(e, attrNode, "attribution", string(r.Attribution), attributions)
			}
		}
		switch {
		case patNode == nil:
			p.add(n, e.id, "missing pattern")
		case patNode.Kind != yaml.ScalarNode:
			// already reported by str
		case strings.TrimSpace(r.Pattern) == "":
			p.add(patNode, e.id, "empty pattern")
		default:
			p.pattern(e, &r, patNode)
		}
		out = append(out, r)
	}
	return out
}

// pattern parses a rule's pattern and checks that it holds the slot its
// role reports.
func (p *fileParser) pattern(e entry, r *PatternRule, patNode *yaml.Node) {
	items, err := pattern.Parse(r.Pattern)
	if err != nil {
		p.errs = append(p.errs, p.patternError(e, patNode, err))
		return
	}
	r.Items = items
	want, ok := roleSlots[r.Role]
	if ok && !slices.ContainsFunc(pattern.Slots(items), func(s string) bool { return slices.Contains(want, s) }) {
		p.add(patNode, e.id, "%s pattern has no {%s} slot", r.Role, strings.Join(want, "} or {"))
		return
	}
	if !p.linting {
		return
	}
	for _, pe := range pattern.Lint(r.Pattern, items, want) {
		p.lint = append(p.lint, p.patternError(e, patNode, pe))
	}
}

// patternError places a problem of a pattern's text at its line and
// column in the file. The message keeps the column within the pattern.
func (p *fileParser) patternError(e entry, patNode *yaml.Node, err error) *Error {
	col := patNode.Column
	var pe *pattern.Error
	if off, ok := patternOffset(patNode); ok && errors.As(err, &pe) {
		col += off + pe.Col - 1
	}
	return &Error{File: p.file, Line: patNode.Line, Col: col, Rule: e.id, Msg: err.Error(), Err: err}
}

// patternOffset is how many columns a pattern's text starts after its
// node's column: 0 for a plain scalar, 1 after an opening quote. ok is
// false when the value is not its source text (escapes, doubled quotes,
// several lines); the message still carries the pattern column.
func patternOffset(n *yaml.Node) (off int, ok bool) {
	v := n.Value
	if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' }) {
		return 0, false
	}
	switch n.Style {
	case 0:
		return 0, true
	case yaml.SingleQuotedStyle:
		return 1, !strings.Contains(v, "'")
	case yaml.DoubleQuotedStyle:
		return 1, !strings.ContainsAny(v, "\\\"")
	}
	return 0, false
}

// roleField checks a field that belongs to one role (impact to impact
// rules, status to status rules): required there, refused elsewhere.
func (p *fileParser) roleField(e entry, n *yaml.Node, role, owner Role, field, value string, vn *yaml.Node, allowed []string) {
	switch {
	case role == owner && value == "":
		p.add(n, e.id, "%s rule needs %s (want one of %s)", owner, field, strings.Join(allowed, ", "))
	case role == owner:
		p.oneOf(e, vn, field, value, allowed)
	case value != "":
		p.add(vn, e.id, "%s is only for %s rules", field, owner)
	}
}
