package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// This file turns MISP galaxy cluster files (github.com/MISP/misp-galaxy,
// clusters/*.json) into rule packs: ImportMISP reads the clusters of
// threat actors, ransomware, malware and tools, merges the clusters that
// name the same thing, and MISPImport.Files renders the result as YAML that
// ParseFile accepts.

// ErrMISPType is the error, wrapped, of a cluster file whose galaxy type
// ImportMISP does not read (country.json, sector.json, ...).
var ErrMISPType = errors.New("galaxy type is not imported")

// mispGalaxy says what the clusters of one galaxy type become.
type mispGalaxy struct {
	section string // "actors" or "tooling"
	kind    string // the tooling kind; actors decide theirs per cluster
	// rank orders the galaxies of a section: when clusters merge, the name
	// of the best-ranked (lowest) one becomes the entry's name.
	rank int
}

// mispGalaxies are the galaxy types ImportMISP reads.
var mispGalaxies = map[string]mispGalaxy{
	"threat-actor":             {section: "actors", rank: 0},
	"mitre-intrusion-set":      {section: "actors", rank: 1},
	"microsoft-activity-group": {section: "actors", rank: 2},
	"mitre-malware":            {section: "tooling", kind: "malware", rank: 3},
	"mitre-tool":               {section: "tooling", kind: "tool", rank: 4},
	"ransomware":               {section: "tooling", kind: "ransomware", rank: 5},
	"tool":                     {section: "tooling", kind: "malware", rank: 6}, // MISP's "tool" galaxy is mostly malware families
	"malpedia":                 {section: "tooling", kind: "malware", rank: 7},
	"rmm-tool":                 {section: "tooling", kind: "tool", rank: 8},
}

// MISPTypes lists the galaxy types ImportMISP reads, sorted.
func MISPTypes() []string {
	var out []string
	for t := range mispGalaxies {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// MISPFile is one MISP galaxy cluster file.
type MISPFile struct {
	Name    string // as given to ParseMISP: in messages and in the output's header
	Type    string // the galaxy type: threat-actor, ransomware, malpedia, ...
	Version int    // the galaxy's version
	Values  []MISPCluster
}

// MISPCluster is one cluster of a galaxy: a threat actor, a ransomware
// family, a tool. Meta keeps the fields ImportMISP reads in whatever shape
// the file has them (a string or a list of strings).
type MISPCluster struct {
	UUID        string                     `json:"uuid"`
	Value       string                     `json:"value"`
	Description string                     `json:"description"`
	Meta        map[string]json.RawMessage `json:"meta"`
	Related     []MISPRelation             `json:"related"`
}

// MISPRelation links a cluster to another, by uuid.
type MISPRelation struct {
	DestUUID string `json:"dest-uuid"`
	Type     string `json:"type"` // ImportMISP follows "similar"
}

// ParseMISP parses one galaxy cluster file. A file whose galaxy type
// ImportMISP does not read is an error wrapping ErrMISPType.
func ParseMISP(name string, data []byte) (*MISPFile, error) {
	var f struct {
		Type    string        `json:"type"`
		Version int           `json:"version"`
		Values  []MISPCluster `json:"values"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a MISP galaxy cluster file: %w", jsonPos(name, data, err), err)
	}
	if f.Type == "" || f.Values == nil {
		return nil, fmt.Errorf("%s: not a MISP galaxy cluster file: no \"type\" or no \"values\"", name)
	}
	if _, ok := mispGalaxies[f.Type]; !ok {
		return nil, fmt.Errorf("%s: %w: %q (want %s)", name, ErrMISPType, f.Type, strings.Join(MISPTypes(), ", "))
	}
	return &MISPFile{Name: name, Type: f.Type, Version: f.Version, Values: f.Values}, nil
}

// jsonPos is name:line for a JSON error that knows its offset.
func jsonPos(name string, data []byte, err error) string {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return name
	}
	off = min(max(off, 0), int64(len(data)))
	return fmt.Sprintf("%s:%d", name, bytes.Count(data[:off], []byte("\n"))+1)
}

// MISPOptions tunes ImportMISP.
type MISPOptions struct {
	// Known are the packs the import is loaded beside, usually the default
	// packs. A cluster that shares a name with one of their actors or
	// tooling of its own section is left out (the hand-written entry
	// already covers it); a name of their responders, outlets, countries,
	// sectors, techniques and vulnerabilities is never made an alias.
	Known []*Pack
}

// MISPImport is what ImportMISP made of the clusters.
type MISPImport struct {
	Actors  []Entity // sorted by id
	Tooling []Entity // sorted by id
	Sources []string // "threat-actor.json (threat-actor, version 349)", in input order

	Clusters int // clusters read
	Merges   int // clusters merged into another's entry
	Skipped  int // entries left out because Known covers them
	Unnamed  int // clusters without a usable name
	// Collisions are the clusters that MISP links or that share a name but
	// are different things (an actor and a piece of malware, two countries):
	// they stay separate entries, the shared name kept only by the entry it
	// is the main name of, or by both with disjoint cues.
	Collisions []MISPCollision

	attack map[string]string // entry id -> ATT&CK ids of its clusters
}

// MISPCollision is two clusters that could not be merged.
type MISPCollision struct {
	Name   string   // the name they share, or "A" ~ "B" for a link
	Linked bool     // MISP links them as similar
	A, B   MISPSide // in the order of the inputs
}

// MISPSide is one side of a collision.
type MISPSide struct {
	File string // the cluster file
	What string // "hacktivist group, MY", "ransomware"
}

func (c MISPCollision) String() string {
	how := ""
	if c.Linked {
		how = " (similar)"
	}
	return fmt.Sprintf("%s%s: %s (%s) vs %s (%s)", c.Name, how, c.A.File, c.A.What, c.B.File, c.B.What)
}

// mispNode is one cluster, cleaned.
type mispNode struct {
	file    *MISPFile
	gal     mispGalaxy
	uuid    string
	names   []string // names[0] is the cluster's own name
	kind    string   // tooling kind, or group / nation-state
	country string
	state   bool // an actor attributed to a state
	hacktiv bool // a hacktivist actor
	attack  string
	similar []string // uuids
}

// mispComp is a set of merged clusters (a union-find class).
type mispComp struct {
	section string
	ransom  bool // holds a ransomware cluster
	country string
	state   bool
	hacktiv bool
	nodes   []int
}

// ImportMISP turns cluster files into actors and tooling entries. Clusters
// that MISP links as similar, or whose names are equal once case, spaces
// and punctuation are ignored, become one entry, unless they are different
// things (an actor and malware, a state's group and ransomware, two
// countries): then they are a Collision and stay apart. Ransomware
// clusters become tooling that is also an actor, and absorb the criminal
// actor clusters that share their name. An entry whose name is a single
// plain word or a phrase of ordinary words ("Play", "Crisis", "Brown
// Fox") gets cues and keeps its capitals; an entry matched anywhere loses
// the other names that are ordinary words ("Snake"). The result depends
// only on the clusters, not on the order of files.
func ImportMISP(files []*MISPFile, opts MISPOptions) *MISPImport {
	files = slices.Clone(files)
	slices.SortStableFunc(files, func(a, b *MISPFile) int {
		if d := mispGalaxies[a.Type].rank - mispGalaxies[b.Type].rank; d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
	im := &MISPImport{attack: map[string]string{}}
	w := newMISPWords(opts.Known)
	for _, f := range files {
		im.Sources = append(im.Sources, fmt.Sprintf("%s (%s, version %d)", baseName(f.Name), f.Type, f.Version))
	}

	// Nodes: one per usable cluster.
	var nodes []mispNode
	byUUID := map[string]int{}
	for _, f := range files {
		for _, v := range f.Values {
			im.Clusters++
			if _, dup := byUUID[v.UUID]; dup && v.UUID != "" {
				continue // the same file given twice
			}
			n, ok := w.node(f, v)
			if !ok {
				im.Unnamed++
				continue
			}
			if v.UUID != "" {
				byUUID[v.UUID] = len(nodes)
			}
			nodes = append(nodes, n)
		}
	}

	// Edges: similar links and shared names, the same section first so
	// that each side is whole before actors meet ransomware.
	type edge struct {
		a, b   int
		cross  bool
		linked bool
		name   string
	}
	var edges []edge
	addEdge := func(a, b int, linked bool, name string) {
		if a == b {
			return
		}
		if a > b {
			a, b = b, a
		}
		edges = append(edges, edge{a: a, b: b, cross: nodes[a].gal.section != nodes[b].gal.section, linked: linked, name: name})
	}
	for i, n := range nodes {
		for _, u := range n.similar {
			if j, ok := byUUID[u]; ok {
				addEdge(i, j, true, "")
			}
		}
	}
	byKey := map[string][]int{}
	var keys []string
	for i, n := range nodes {
		for j, name := range n.names {
			if j > 0 && w.dictionaryWord(name) {
				continue // "Snake", "Hunter": a synonym too common to tell two clusters are one
			}
			k := looseKey(name)
			if len(byKey[k]) == 0 {
				keys = append(keys, k)
			}
			if l := byKey[k]; len(l) == 0 || l[len(l)-1] != i {
				byKey[k] = append(l, i)
			}
		}
	}
	for _, k := range keys {
		// Each section's clusters with the name join its first one; the
		// first actor and the first tooling meet once.
		first := map[string]int{}
		for _, j := range byKey[k] {
			sec := nodes[j].gal.section
			if f, ok := first[sec]; ok {
				addEdge(f, j, false, nameWithKey(nodes[f], k))
			} else {
				first[sec] = j
			}
		}
		if a, ok := first["actors"]; ok {
			if t, ok := first["tooling"]; ok {
				addEdge(a, t, false, nameWithKey(nodes[a], k))
			}
		}
	}
	slices.SortStableFunc(edges, func(x, y edge) int {
		switch {
		case x.cross != y.cross:
			if x.cross {
				return 1
			}
			return -1
		case x.a != y.a:
			return x.a - y.a
		case x.b != y.b:
			return x.b - y.b
		case x.linked != y.linked: // a name shared beats a link for the message
			if x.linked {
				return 1
			}
			return -1
		}
		return 0
	})

	// Union, refusing merges of different things.
	parent := make([]int, len(nodes))
	comps := make([]*mispComp, len(nodes))
	for i := range nodes {
		parent[i] = i
		n := &nodes[i]
		comps[i] = &mispComp{section: n.gal.section, ransom: n.kind == "ransomware", country: n.country,
			state: n.state, hacktiv: n.hacktiv, nodes: []int{i}}
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type refusal struct {
		a, b int // nodes
		c    MISPCollision
	}
	var refused []refusal
	seenPair := map[[2]int]bool{}
	for _, e := range edges {
		if seenPair[[2]int{e.a, e.b}] {
			continue
		}
		seenPair[[2]int{e.a, e.b}] = true
		ra, rb := find(e.a), find(e.b)
		if ra == rb {
			continue
		}
		ca, cb := comps[ra], comps[rb]
		if !ca.compatible(cb) {
			c := MISPCollision{Linked: e.linked,
				A: MISPSide{File: baseName(nodes[e.a].file.Name), What: ca.describe(&nodes[e.a])},
				B: MISPSide{File: baseName(nodes[e.b].file.Name), What: cb.describe(&nodes[e.b])}}
			if e.linked {
				c.Name = fmt.Sprintf("%q ~ %q", nodes[e.a].names[0], nodes[e.b].names[0])
			} else {
				c.Name = fmt.Sprintf("%q", e.name)
			}
			refused = append(refused, refusal{a: e.a, b: e.b, c: c})
			continue
		}
		// The tooling side absorbs the actor; otherwise the better-ranked
		// (earlier) root stays.
		if ca.section == "actors" && cb.section == "tooling" || ca.section == cb.section && rb < ra {
			ra, rb, ca, cb = rb, ra, cb, ca
		}
		parent[rb] = ra
		ca.merge(cb)
		comps[rb] = nil
		im.Merges++
	}

	// Entries, one per component, in the order of their best node.
	type built struct {
		root   int
		ent    Entity
		keys   map[string]string // looseKey -> name as kept
		main   string            // looseKey of the name
		attack string            // ATT&CK ids of its clusters
		drop   bool
	}
	var ents []*built
	byRoot := map[int]*built{}
	for i := range nodes {
		if find(i) != i {
			continue
		}
		c := comps[i]
		slices.Sort(c.nodes)
		b := &built{root: i, keys: map[string]string{}}
		b.ent = w.entity(nodes, c)
		for _, name := range append([]string{b.ent.Name}, b.ent.Aliases...) {
			b.keys[looseKey(name)] = name
		}
		b.main = looseKey(b.ent.Name)
		ents = append(ents, b)
		byRoot[i] = b
		b.attack = attackIDs(nodes, c)
	}

	// Collisions: report each pair of entries once. A name that is both
	// entries' own keeps them apart with cues that they do not share; the
	// other names they share are sorted out below with the rest.
	seenColl := map[[2]int]bool{}
	for _, r := range refused {
		ra, rb := find(r.a), find(r.b)
		if ra == rb {
			continue
		}
		p := [2]int{min(ra, rb), max(ra, rb)}
		if seenColl[p] {
			continue
		}
		seenColl[p] = true
		im.Collisions = append(im.Collisions, r.c)
		ba, bb := byRoot[ra], byRoot[rb]
		if ba.main == bb.main {
			ca, cb := cuesFor(ba.ent, comps[ra]), cuesFor(bb.ent, comps[rb])
			ba.ent.Cues = without(ca, cb)
			bb.ent.Cues = without(cb, ca)
		}
	}
	slices.SortStableFunc(im.Collisions, func(a, b MISPCollision) int { return strings.Compare(a.String(), b.String()) })

	// What the known packs already hold.
	for _, b := range ents {
		if w.covered(b.ent, b.keys) {
			b.drop = true
			im.Skipped++
			continue
		}
		// A name a known entry of the other section holds: an alias is
		// dropped, the entry's own name gets cues.
		for k := range b.keys {
			switch {
			case !w.otherSection(b.ent, k):
			case k == b.main && len(b.ent.Cues) == 0:
				b.ent.Cues = cuesFor(b.ent, comps[b.root])
			case k != b.main:
				b.ent.Aliases = removeKey(b.ent.Aliases, k)
				delete(b.keys, k)
			}
		}
	}

	// Every name leads to one entry: a name that entries which did not
	// merge share stays with those it is the name of (with cues when
	// there are several) and leaves the others.
	owners := map[string][]*built{}
	var shared []string
	for _, b := range ents {
		if b.drop {
			continue
		}
		for _, name := range append([]string{b.ent.Name}, b.ent.Aliases...) {
			k := looseKey(name)
			if l := owners[k]; len(l) > 0 && l[len(l)-1] == b {
				continue // "4H RAT" and "4h_rat" of one entry
			}
			if len(owners[k]) == 1 {
				shared = append(shared, k)
			}
			owners[k] = append(owners[k], b)
		}
	}
	for _, k := range shared {
		var mains []*built
		for _, b := range owners[k] {
			if b.main == k {
				mains = append(mains, b)
				continue
			}
			b.ent.Aliases = removeKey(b.ent.Aliases, k)
			delete(b.keys, k)
		}
		for _, b := range mains {
			if len(mains) > 1 && len(b.ent.Cues) == 0 {
				b.ent.Cues = cuesFor(b.ent, comps[b.root])
			}
		}
	}

	// Ids: misp.actor.<slug> and misp.tool.<slug>, unique per section.
	used := map[string]bool{}
	for _, b := range ents {
		if b.drop {
			continue
		}
		prefix := "misp.tool."
		if entitySection(b.ent) == "actors" {
			prefix = "misp.actor."
		}
		base := prefix + slug(b.ent.Name, nodes[b.root].uuid)
		id := base
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = true
		b.ent.ID = id
		if b.attack != "" {
			im.attack[id] = b.attack
		}
		slices.SortFunc(b.ent.Aliases, cmpFold)
		if entitySection(b.ent) == "actors" {
			im.Actors = append(im.Actors, b.ent)
		} else {
			im.Tooling = append(im.Tooling, b.ent)
		}
	}
	byID := func(a, b Entity) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(im.Actors, byID)
	slices.SortFunc(im.Tooling, byID)
	return im
}

// entitySection is where an imported entry goes: tooling has a tooling
// kind.
func entitySection(e Entity) string {
	if slices.Contains(toolingKinds, e.Kind) {
		return "tooling"
	}
	return "actors"
}

func (c *mispComp) merge(o *mispComp) {
	if c.section == "actors" && o.section == "tooling" {
		c.section = "tooling"
	}
	c.ransom = c.ransom || o.ransom
	if c.country == "" {
		c.country = o.country
	}
	c.state = c.state || o.state
	c.hacktiv = c.hacktiv || o.hacktiv
	c.nodes = append(c.nodes, o.nodes...)
}

// compatible reports whether two components may be one entry: the same
// section and no two countries, or an actor that is neither a state's nor
// hacktivists with ransomware (the gang behind the brand).
func (c *mispComp) compatible(o *mispComp) bool {
	if c.country != "" && o.country != "" && c.country != o.country {
		return false
	}
	if c.section == o.section {
		return true
	}
	act, tool := c, o
	if c.section == "tooling" {
		act, tool = o, c
	}
	return tool.ransom && !act.state && !act.hacktiv
}

// describe says what a component is, for a collision message.
func (c *mispComp) describe(n *mispNode) string {
	var what string
	switch {
	case c.section == "tooling" && c.ransom:
		what = "ransomware"
	case c.section == "tooling":
		what = n.kind
	case c.hacktiv:
		what = "hacktivist group"
	case c.state:
		what = "nation-state"
	default:
		what = "group"
	}
	if c.country != "" {
		what += ", " + c.country
	}
	return what
}

// attackIDs are the MITRE ATT&CK ids of a component's clusters (S0154,
// G0006): they name software and groups, not the techniques that the
// attack key holds, so the packs give them in comments.
func attackIDs(nodes []mispNode, c *mispComp) string {
	var ids []string
	for _, i := range c.nodes {
		if a := nodes[i].attack; a != "" && !slices.Contains(ids, a) {
			ids = append(ids, a)
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, ", ")
}

var (
	mitreSuffixRE = regexp.MustCompile(`\s+-\s+[GS][0-9]{4}$`)
	attackIDRE    = regexp.MustCompile(`^[GS][0-9]{4}$`)
	attackURLRE   = regexp.MustCompile(`attack\.mitre\.org/(?:groups|software)/([GS][0-9]{4})`)
	parenRE       = regexp.MustCompile(`\s*\([^()]*\)$`)
	ransomSufRE   = regexp.MustCompile(`(?i)\s+ransoms?ware$`)
	// detectionRE finds antivirus detection names ("Trojan.Win32.Agent",
	// "Backdoor:Win32/Foo", "Agent.dhwf"): a separator between letters
	// inside a word.
	detectionRE = regexp.MustCompile(`[A-Za-z0-9][.:/!@\\][A-Za-z]`)
)

// cleanName tidies a cluster's name; ok is false when nothing usable is
// left.
func cleanName(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	s = mitreSuffixRE.ReplaceAllString(s, "")
	for i := 0; i < 3 && parenRE.MatchString(s); i++ { // "AppleJeus (OS X)"
		s = parenRE.ReplaceAllString(s, "")
	}
	s = strings.Trim(s, " \"'`")
	if stem := ransomSufRE.ReplaceAllString(s, ""); stem != "" {
		s = stem
	}
	switch {
	case utf8.RuneCountInString(s) < 2 || len(s) > 60:
		return "", false
	case !strings.ContainsFunc(s, unicode.IsLetter):
		return "", false
	case strings.ContainsAny(s, "\"()[]{}<>|"): // "prepending (enc) ransomware" (Not an official name)
		return "", false
	case detectionRE.MatchString(s) && !strings.HasPrefix(s, "TEMP."):
		return "", false
	}
	if strings.ToLower(s) == s {
		// Ransomware leak-site names are written lower-case ("play",
		// "ransomhub"); their capitals are the usual ones.
		s = titleWords(s)
	}
	return s, true
}

func titleWords(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// node reads one cluster.
func (w *mispWords) node(f *MISPFile, v MISPCluster) (mispNode, bool) {
	g := mispGalaxies[f.Type]
	n := mispNode{file: f, gal: g, uuid: v.UUID, kind: g.kind}
	meta := func(key string) []string { return metaStrings(v.Meta, key) }
	// ATT&CK names groups G0000 and software S0000; a cluster's refs may
	// cite the other kind too.
	idKind := "S"
	if g.section == "actors" {
		idKind = "G"
	}
	isID := func(s string) bool { return attackIDRE.MatchString(s) && strings.HasPrefix(s, idKind) }
	if ids := meta("external_id"); len(ids) > 0 && isID(ids[0]) {
		n.attack = ids[0]
	}
	for _, ref := range meta("refs") {
		if m := attackURLRE.FindStringSubmatch(ref); m != nil && n.attack == "" && isID(m[1]) {
			n.attack = m[1]
		}
	}
	var kept []string
	seen := map[string]bool{}
	for _, raw := range append([]string{v.Value}, meta("synonyms")...) {
		if attackIDRE.MatchString(strings.TrimSpace(raw)) {
			if n.attack == "" && isID(strings.TrimSpace(raw)) {
				n.attack = strings.TrimSpace(raw)
			}
			continue
		}
		name, ok := cleanName(raw)
		if !ok || w.blocked[looseKey(name)] {
			continue
		}
		if name != raw && strings.ToLower(raw) == raw {
			w.respelled[name] = true
		}
		if w.classify(name) == nameGeneric {
			continue
		}
		if k := foldKey(name); !seen[k] {
			seen[k] = true
			kept = append(kept, name)
		}
	}
	if len(kept) == 0 {
		return n, false
	}
	n.names = kept
	for _, r := range v.Related {
		if r.Type == "similar" && r.DestUUID != "" {
			n.similar = append(n.similar, r.DestUUID)
		}
	}
	if g.section == "tooling" {
		if f.Type == "tool" && slices.ContainsFunc(meta("type"), func(t string) bool {
			t = strings.ToLower(t)
			return strings.Contains(t, "framework") || t == "hacktool" || t == "reco"
		}) {
			n.kind = "tool"
		}
		n.country = countryCode(meta("country"))
		return n, true
	}
	w.actor(&n, v, meta)
	return n, true
}

// actor decides an actor's country and whether a state or hacktivists are
// behind it.
func (w *mispWords) actor(n *mispNode, v MISPCluster, meta func(string) []string) {
	n.kind = "group"
	n.country = countryCode(meta("country"))
	for _, s := range meta("cfr-suspected-state-sponsor") {
		if code := w.countryNamed(s); code != "" {
			n.state = true
			if n.country == "" {
				n.country = code
			}
		}
	}
	motive := strings.ToLower(strings.Join(meta("motive"), " ") + " " + v.Description)
	n.hacktiv = strings.Contains(motive, "hacktivis")
	criminal := n.hacktiv || strings.Contains(motive, "cybercrim") || strings.Contains(motive, "financially motivated") ||
		strings.Contains(motive, "criminal") || strings.Contains(motive, "ransomware") || strings.Contains(motive, "extortion")
	if o := meta("microsoft-origin-threat"); len(o) > 0 {
		parts := strings.Split(o[0], ", ")
		code := w.countryNamed(parts[0])
		private := slices.ContainsFunc(parts, func(p string) bool {
			return strings.Contains(p, "Financially motivated") || strings.Contains(p, "Private sector")
		})
		if n.country == "" {
			n.country = code
		}
		if code != "" && !private {
			n.state = true
		}
		if private {
			criminal = true
		}
	}
	// A country without a sponsor is where a group operates from; MISP's
	// groups with one are mostly state-linked, unless described otherwise.
	if n.country != "" && !criminal {
		n.state = true
	}
	if n.hacktiv {
		n.state = false
	}
	if n.state {
		n.kind = "nation-state"
	}
}

// metaStrings reads a meta field that is a string or a list of strings.
func metaStrings(meta map[string]json.RawMessage, key string) []string {
	raw, ok := meta[key]
	if !ok {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return []string{s}
	}
	return nil
}

// countryCode is the first valid ISO code of a meta country field.
func countryCode(list []string) string {
	for _, s := range list {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "UK" {
			s = "GB"
		}
		if countryRE.MatchString(s) {
			return s
		}
	}
	return ""
}

// mispStates maps the state names of MISP's cfr-suspected-state-sponsor
// and microsoft-origin-threat fields to ISO codes, for clusters without a
// country field. Unknown names give no country.
var mispStates = map[string]string{
	"belarus": "BY", "china": "CN", "people's republic of china": "CN", "france": "FR",
	"india": "IN", "iran": "IR", "iran (islamic republic of)": "IR", "israel": "IL",
	"korea (democratic people's republic of)": "KP", "north korea": "KP",
	"korea (republic of)": "KR", "south korea": "KR", "lebanon": "LB", "pakistan": "PK",
	"palestine": "PS", "russia": "RU", "russian federation": "RU", "spain": "ES",
	"us": "US", "united states": "US", "united states of america": "US",
	"united arab emirates": "AE", "vietnam": "VN", "viet nam": "VN", "singapore": "SG",
	"türkiye": "TR", "turkey": "TR", "ukraine": "UA", "austria": "AT", "syria": "SY",
	"united kingdom": "GB", "germany": "DE", "italy": "IT", "egypt": "EG", "kazakhstan": "KZ",
	"tunisia": "TN", "morocco": "MA", "brazil": "BR", "nigeria": "NG", "indonesia": "ID",
	"taiwan": "TW", "saudi arabia": "SA", "qatar": "QA", "iraq": "IQ", "libya": "LY",
}

func (w *mispWords) countryNamed(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := mispStates[s]; ok {
		return c
	}
	return w.countries[s]
}

// entity builds a component's entry.
func (w *mispWords) entity(nodes []mispNode, c *mispComp) Entity {
	// The best-ranked node of the entry's section names it.
	order := slices.Clone(c.nodes)
	slices.SortStableFunc(order, func(a, b int) int {
		na, nb := &nodes[a], &nodes[b]
		if (na.gal.section == c.section) != (nb.gal.section == c.section) {
			if na.gal.section == c.section {
				return -1
			}
			return 1
		}
		return na.gal.rank - nb.gal.rank
	})
	var e Entity
	seen := map[string]int{} // foldKey -> index in names
	var names []string
	for _, i := range order {
		for _, name := range nodes[i].names {
			k := foldKey(name)
			j, dup := seen[k]
			switch {
			case !dup:
				seen[k] = len(names)
				names = append(names, name)
			case w.respelled[names[j]] && !w.respelled[name]:
				// a leak-site name that cleanName capitalised: a merged
				// cluster's spelling is the usual one ("DragonForce")
				names[j] = name
			}
		}
	}
	// Among the names of the best-ranked clusters, a family's name begins
	// the others ("CryptoMix" of "CryptoMix-Arena", "CryptoMix-Azer").
	best, bestScore := 0, 0
	for j, i := range order {
		if nodes[i].gal.rank != nodes[order[0]].gal.rank {
			break
		}
		k := looseKey(nodes[i].names[0])
		score := 0
		for _, n := range names {
			if nk := looseKey(n); nk != k && strings.HasPrefix(nk, k) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = j, score
		}
	}
	if best > 0 {
		own := foldKey(nodes[order[best]].names[0])
		for j, n := range names {
			if foldKey(n) == own {
				names[0], names[j] = names[j], names[0]
				break
			}
		}
	}
	if len(nameWords(names[0])) == 1 && !camelCase(names[0]) {
		// A plain word that another name spells with spaces or capitals
		// is a leak-site spelling: "Vice Society" for "Vicesociety". It
		// stays an alias.
		k := looseKey(names[0])
		for j, a := range names[1:] {
			if looseKey(a) == k && (camelCase(a) || len(nameWords(a)) > 1) {
				names[0], names[j+1] = a, names[0]
				break
			}
		}
	}
	e.Name, e.Aliases = names[0], names[1:]
	// Spellings that differ only in punctuation stay (they tokenise
	// differently), not the name itself.
	e.Aliases = slices.DeleteFunc(e.Aliases, func(a string) bool { return foldKey(a) == foldKey(e.Name) })
	switch {
	case c.section == "tooling" && c.ransom:
		e.Kind, e.Actor = "ransomware", true
	case c.section == "tooling":
		e.Kind = "malware"
		for _, i := range order {
			if nodes[i].gal.section == "tooling" {
				e.Kind = nodes[i].kind
				break
			}
		}
	case c.state:
		e.Kind = "nation-state"
	default:
		e.Kind = "group"
	}
	e.Country = c.country
	// Other names that are ordinary words ("Snake" for Turla, "Locked")
	// would find the entry in too many texts, even near a cue.
	e.Aliases = slices.DeleteFunc(e.Aliases, w.ordinaryAlias)
	// Cues guard every name of an entry, so an entry needs them when its
	// name is ordinary or when another of its names is a lone word
	// ("Inception" of Inception Framework, "Lexus" of TA499).
	class := w.classify(e.Name)
	cued := class == nameOrdinary || slices.ContainsFunc(e.Aliases, func(a string) bool {
		return len(nameWords(a)) == 1 && w.classify(a) == nameOrdinary
	})
	if cued {
		e.Cues = cuesFor(e, c)
	}
	if cued || class == nameCapitals || slices.ContainsFunc(e.Aliases, func(a string) bool { return w.classify(a) == nameCapitals }) {
		e.CaseSensitive = true
	}
	if e.Kind == "tool" && !cued && slices.ContainsFunc(order, func(i int) bool { return nodes[i].file.Type == "rmm-tool" }) {
		// Remote-management products are legitimate software: news names
		// them as vendors and victims far more often than as tools of an
		// attack.
		e.Cues = cuesFor(e, c)
	}
	return e
}

// The cue words of each kind of entry. Shared words are dropped from two
// colliding entries that keep the same name, so that a cue tells them
// apart.
var (
	ransomwareCues = []string{"ransomware", "gang", "group", "operators", "affiliates", "extortion", "leak", "cartel", "hackers", "encrypted"}
	malwareCues    = []string{"malware", "trojan", "backdoor", "loader", "botnet", "stealer", "infostealer", "implant", "spyware", "rat", "worm", "wiper", "payload", "variant", "strain", "infected"}
	toolCues       = []string{"tool", "tools", "toolkit", "framework", "utility", "malware", "attackers", "hackers", "abused", "deployed", "remote"}
	groupCues      = []string{"group", "gang", "hackers", "hacker", "crew", "actor", "actors", "operators", "cybercriminals", "attackers", "collective"}
	stateCues      = []string{"group", "hackers", "hacker", "actor", "actors", "apt", "state-sponsored", "state-backed", "espionage", "spies", "spying", "intelligence", "cyberespionage"}
	hacktivistCues = []string{"hacktivist", "hacktivists", "hacktivism", "activists", "ddos", "defacement", "defaced", "group", "hackers", "collective"}
)

// cueListName names a list of cues after the kind's list that holds
// every word of it, for its anchor; whole reports the kind's list itself.
func cueListName(l []string) (name string, whole bool) {
	for _, k := range []struct {
		name string
		list []string
	}{{"ransomware", ransomwareCues}, {"malware", malwareCues}, {"tool", toolCues},
		{"group", groupCues}, {"state", stateCues}, {"hacktivist", hacktivistCues}} {
		if !slices.ContainsFunc(l, func(s string) bool { return !slices.Contains(k.list, s) }) {
			return k.name, slices.Equal(l, k.list)
		}
	}
	return "cues", false
}

func cuesFor(e Entity, c *mispComp) []string {
	var l []string
	switch {
	case e.Kind == "ransomware":
		l = ransomwareCues
	case e.Kind == "malware":
		l = malwareCues
	case e.Kind == "tool":
		l = toolCues
	case c.hacktiv:
		l = hacktivistCues
	case e.Kind == "nation-state":
		l = stateCues
	default:
		l = groupCues
	}
	return slices.Clone(l)
}

// without returns the words of a not in b.
func without(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(s string) bool { return slices.Contains(b, s) })
}

// removeKey drops the names whose looseKey is k.
func removeKey(names []string, k string) []string {
	return slices.DeleteFunc(names, func(s string) bool { return looseKey(s) == k })
}

// nameWithKey is a node's name whose looseKey is k.
func nameWithKey(n mispNode, k string) string {
	for _, s := range n.names {
		if looseKey(s) == k {
			return s
		}
	}
	return k
}

// looseKey is how names are compared to merge clusters: letters and digits
// only, lower-case ("Black Basta", "BlackBasta" and "black-basta" are one).
func looseKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldKey is how names are compared within an entry, as the loader's
// checks do: lower-case, curly apostrophes straight, spaces collapsed.
func foldKey(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

func cmpFold(a, b string) int {
	if c := strings.Compare(foldKey(a), foldKey(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// slug turns a name into the last part of an id; a name with no Latin
// letters or digits uses its cluster's uuid.
func slug(name, uuid string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if f, ok := latinFold[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		u := strings.ToLower(strings.ReplaceAll(uuid, "-", ""))
		if len(u) > 8 {
			u = u[:8]
		}
		if !validID(u) {
			u = "x"
		}
		return "cluster-" + u
	}
	return b.String()
}

// latinFold spells accented Latin letters without their accents, for ids.
var latinFold = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e',
	'ê': 'e', 'ë': 'e', 'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ı': 'i', 'ñ': 'n', 'ò': 'o',
	'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
	'ý': 'y', 'ÿ': 'y', 'ş': 's', 'ğ': 'g', 'č': 'c', 'š': 's', 'ž': 'z', 'ł': 'l', 'ś': 's',
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// nameClass is what kind of word a name is.
type nameClass int

const (
	nameDistinct nameClass = iota // a name and nothing else: "LockBit", "Emotet", "APT28"
	nameOrdinary                  // also plain English, a place or a product: "Play", "Crisis", "Telegram"
	nameGeneric                   // no name at all: "Ransomware", "Unidentified 104", "Group 3"
	nameCapitals                  // a name only with its capitals: "WildFire", "LandSlide" (not "landslide")
)

// mispWords holds the vocabulary that decides which names are ordinary and
// which are another entry's, for one import.
type mispWords struct {
	ordinary   map[string]bool
	generic    map[string]bool
	firstNames map[string]bool
	countries  map[string]string // lower-case country name -> code, from Known
	blocked    map[string]bool   // looseKeys that are never aliases
	respelled  map[string]bool   // names cleanName capitalised
	sameSec    map[string]map[string]bool
	known      map[string]map[string]bool // section -> looseKeys of Known actors and tooling
	knownRW    map[string]bool            // looseKeys of Known tooling that is also an actor
}

func newMISPWords(known []*Pack) *mispWords {
	w := &mispWords{ordinary: map[string]bool{}, generic: map[string]bool{}, firstNames: map[string]bool{}, countries: map[string]string{},
		blocked: map[string]bool{}, respelled: map[string]bool{}, known: map[string]map[string]bool{"actors": {}, "tooling": {}}, knownRW: map[string]bool{}}
	for _, s := range strings.Fields(ordinaryWords) {
		w.ordinary[s] = true
	}
	for _, s := range strings.Fields(genericWords) {
		w.generic[s] = true
	}
	for _, s := range strings.Fields(firstNames) {
		w.firstNames[s] = true
		w.ordinary[s] = true
	}
	block := func(s string) {
		if k := looseKey(s); k != "" {
			w.blocked[k] = true
		}
	}
	set := NewSet(known...)
	for _, c := range set.Countries {
		for _, n := range append(slices.Clone(c.Names), c.Demonyms...) {
			w.countries[strings.ToLower(n)] = c.Code
			block(n)
		}
	}
	for _, s := range set.Sectors {
		for _, k := range s.Keywords {
			block(k)
		}
	}
	for _, l := range [][]Entity{set.Responders, set.Outlets} {
		for _, e := range l {
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				block(n)
			}
		}
	}
	for _, e := range set.Actors {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			w.known["actors"][looseKey(n)] = true
		}
	}
	for _, e := range set.Tooling {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			switch {
			case e.Kind == "technique" || e.Kind == "vulnerability":
				block(n)
			default:
				w.known["tooling"][looseKey(n)] = true
				if e.Actor {
					w.knownRW[looseKey(n)] = true
				}
			}
		}
	}
	return w
}

// covered reports whether a known entry of the same section holds one of
// the entry's names; ransomware that is also an actor and known actors, or
// known ransomware brands, cover each other.
func (w *mispWords) covered(e Entity, keys map[string]string) bool {
	sec := entitySection(e)
	for k := range keys {
		switch {
		case w.known[sec][k]:
			return true
		case sec == "actors" && w.knownRW[k], e.Actor && w.known["actors"][k]:
			return true
		}
	}
	return false
}

// otherSection reports whether a known entry of the other section holds
// the name with looseKey k.
func (w *mispWords) otherSection(e Entity, k string) bool {
	if entitySection(e) == "actors" {
		return w.known["tooling"][k]
	}
	return w.known["actors"][k]
}

// classify tells a distinctive name from an ordinary or generic one:
//   - one plain word ("Payment", "Kinsing", "UPPERCUT") is ordinary: no
//     list of English words is complete, and a lone word is what news
//     uses in other senses; so is a name of three characters ("X4");
//   - a coined spelling is a name: with digits ("APT28") anywhere, with
//     inner capitals ("LockBit", "WildFire") only so written, since its
//     parts may make a word ("wildfire", "landslide");
//   - a phrase is a name ("Aqua Blizzard") unless all its words are
//     ordinary ("Brown Fox") or it is a person's ("Donald Trump").
func (w *mispWords) classify(name string) nameClass {
	words := nameWords(name)
	if len(words) == 0 {
		return nameGeneric
	}
	generic, ordinary := true, true
	for _, word := range words {
		lw := strings.ToLower(word)
		isNum := !strings.ContainsFunc(word, unicode.IsLetter)
		if !isNum && !w.generic[lw] {
			generic = false
		}
		if !isNum && !w.generic[lw] && !w.isOrdinaryWord(word, len(words) == 1) {
			ordinary = false
		}
	}
	switch {
	case generic:
		return nameGeneric
	case ordinary, utf8.RuneCountInString(name) <= 3:
		return nameOrdinary
	case len(words) == 2 && w.firstNames[strings.ToLower(words[0])]:
		return nameOrdinary
	case len(words) > 1:
		return nameDistinct
	case strings.ContainsFunc(name, unicode.IsDigit):
		return nameDistinct
	case camelCase(words[0]):
		return nameCapitals
	}
	return nameOrdinary
}

// nameWords splits a name into its words: runs of letters and digits.
func nameWords(name string) []string {
	return strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// ordinaryAlias reports an other name that an entry cannot keep: one word
// that the lists know as ordinary, or that is too short to be sure of.
func (w *mispWords) ordinaryAlias(name string) bool {
	words := nameWords(name)
	return len(words) == 1 && w.isOrdinaryWord(words[0], true)
}

// dictionaryWord reports a name that is one word of the lists ("Snake",
// "hunters"), not merely a short one ("Kazu").
func (w *mispWords) dictionaryWord(name string) bool {
	words := nameWords(name)
	return len(words) == 1 && w.isOrdinaryWord(words[0], false)
}

// isOrdinaryWord reports whether one word is plain English (or a place, a
// myth, a first name, a product) rather than a coined name. alone is true
// when the word is the whole name, where short words count as ordinary.
func (w *mispWords) isOrdinaryWord(word string, alone bool) bool {
	if strings.ContainsFunc(word, unicode.IsDigit) {
		return false
	}
	// Capitals do not make a word coined: "BLame" is matched as "blame".
	lw := strings.ToLower(word)
	n := utf8.RuneCountInString(lw)
	switch {
	case alone && n <= 3:
		return true // acronyms and short words: "BB", "Net", "RAT"
	case alone && n == 4 && !camelCase(word):
		return true // "ZINC", "Lena", "Isda": too short to be sure of

	case w.ordinary[lw] || w.generic[lw] || w.countries[lw] != "":
		return true
	}
	for _, suf := range []string{"s", "es", "ed", "d", "ing", "er", "ers", "ly"} {
		stem, ok := strings.CutSuffix(lw, suf)
		if suf == "d" && !strings.HasSuffix(stem, "e") {
			continue // "saved", not "chinad"
		}
		if ok && len(stem) >= 3 && w.ordinary[stem] {
			return true
		}
	}
	return false
}

// camelCase reports a coined spelling: a capital inside a word that is
// not all capitals ("LockBit", "JCrypt", "HidraQ").
func camelCase(s string) bool {
	lower, inner := false, false
	for i, r := range s {
		lower = lower || unicode.IsLower(r)
		inner = inner || i > 0 && unicode.IsUpper(r)
	}
	return lower && inner
}

// Files renders the import as rule packs: misp-actors.yaml, then the
// tooling by kind in misp-ransomware.yaml, misp-malware.yaml and
// misp-tools.yaml. Several files of moderate size load faster than one
// (LoadPaths parses files in parallel), and a user can drop a kind.
func (im *MISPImport) Files() ([]MISPOutput, error) {
	ofKind := func(kind string) []Entity {
		var out []Entity
		for _, e := range im.Tooling {
			if e.Kind == kind {
				out = append(out, e)
			}
		}
		return out
	}
	var out []MISPOutput
	for _, f := range []struct {
		file, key, what string
		list            []Entity
	}{
		{"misp-actors.yaml", "actors", "threat actors", im.Actors},
		{"misp-ransomware.yaml", "tooling", "ransomware", ofKind("ransomware")},
		{"misp-malware.yaml", "tooling", "malware", ofKind("malware")},
		{"misp-tools.yaml", "tooling", "tools", ofKind("tool")},
	} {
		data, err := im.render(f.key, f.what, f.list)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", f.file, err)
		}
		out = append(out, MISPOutput{Name: f.file, Data: data})
	}
	return out, nil
}

// MISPOutput is one rendered pack.
type MISPOutput struct {
	Name string
	Data []byte
}

// render writes one pack. Cue lists repeat for thousands of entries, so
// each is written once with an anchor (&ransomware [...]) and then as an
// alias (*ransomware): loading is a third faster.
func (im *MISPImport) render(key, what string, list []Entity) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s imported from MISP galaxy clusters by \"incidex rules import misp\" from\n", capitalise(what))
	for _, s := range im.Sources {
		fmt.Fprintf(&b, "#   %s\n", s)
	}
	b.WriteString("# Generated: import again rather than edit. The clusters are\n" +
		"# https://github.com/MISP/misp-galaxy (CC0 1.0 or BSD 2-clause).\n" +
		"# Comments give the MITRE ATT&CK ids of the software and groups.\n\n")
	anchors := map[string]*yaml.Node{} // cue list -> its anchored node
	names := map[string]bool{}
	cues := func(l []string) *yaml.Node {
		k := strings.Join(l, "\x00")
		if n, ok := anchors[k]; ok {
			return &yaml.Node{Kind: yaml.AliasNode, Alias: n, Value: n.Anchor}
		}
		n := yamlList(l)
		base, whole := cueListName(l)
		n.Anchor = base
		for i := 2; !whole && (i == 2 || names[n.Anchor]); i++ {
			n.Anchor = fmt.Sprintf("%s-%d", base, i)
		}
		names[n.Anchor] = true
		anchors[k] = n
		return n
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, e := range list {
		m := &yaml.Node{Kind: yaml.MappingNode}
		if a := im.attack[e.ID]; a != "" {
			m.HeadComment = "ATT&CK " + a
		}
		add := func(k string, v *yaml.Node) { m.Content = append(m.Content, yamlStr(k), v) }
		add("id", yamlStr(e.ID))
		add("name", yamlStr(e.Name))
		if len(e.Aliases) > 0 {
			add("aliases", yamlList(e.Aliases))
		}
		add("kind", yamlStr(e.Kind))
		if e.Actor {
			add("actor", yamlTrue())
		}
		if e.Country != "" {
			add("country", yamlStr(e.Country))
		}
		if e.CaseSensitive {
			add("case_sensitive", yamlTrue())
		}
		if len(e.Cues) > 0 {
			add("cues", cues(e.Cues))
		}
		seq.Content = append(seq.Content, m)
	}
	if len(list) == 0 {
		seq.Style = yaml.FlowStyle // "actors: []"
	}
	top := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlStr(key), seq}}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(top); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func yamlStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
func yamlTrue() *yaml.Node        { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"} }

func yamlList(l []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range l {
		n.Content = append(n.Content, yamlStr(s))
	}
	return n
}

// firstNames make a two-word name a person's ("Donald Trump"), and are
// ordinary words on their own.
const firstNames = `
adam alex alice amanda amelia amy andrew anna anthony arthur ashley barbara ben benjamin
betty bob boris brian carol charles charlie charlotte chloe cynthia daniel david donna
dmitri edward elena elizabeth emily emma eva eve george grace harry helen henry igor
isabella ivan jack jacob james jennifer jessica jim joe john joseph julia karen kevin laura
linda lisa logan lucas lucia margaret maria mark mary mason matthew max melissa mia
michelle nancy natasha noah olga oliver olivia patricia paul peter rebecca richard robert
rosa sam samuel sandra sarah sergei sharon sofia sophia stephanie steven susan thomas tim
tom vladimir william zoe barack boris donald elon emmanuel hillary jeff joe justin kamala keir liz mark narendra rishi theresa tony vladimir xi angela bill steve larry sergey satya tim sundar jack mike kim
`

// genericWords name no one in particular: a cluster called only by them
// ("Ransomware", "Unknown Group 3") is left out, and they are never
// aliases.
const genericWords = `
a an and the of for by in on with new old version variant generic unknown unnamed
unidentified unattributed unclassified test sample group team crew gang hackers hacker
hacking hacktivist hacktivists cyber army unit squad operation operators actor actors threat
apt campaign attack attacks security ransomware ransom malware virus trojan backdoor rat
loader stealer infostealer bot botnet worm tool tools toolkit kit exploit exploits builder
locker crypter cryptor encryptor decryptor miner spyware adware agent client server panel
web shell webshell script payload dropper downloader injector keylogger logger grabber
clipper banker banking pos atm android ios linux windows win win32 win64 elf macos osx mac
mobile php java python go golang rust net dotnet js vbs powershell
`

// ordinaryWords are English words, places, myths, first names and products
// that malware and groups are named after, so that a name made only of
// them needs a cue in the text ("Crisis ransomware", "the Medusa gang").
// Short names (three letters, or four in capitals) are ordinary anyway,
// and a word counts with a plain ending (-s, -ed, -ing, -er).
const ordinaryWords = `
able about above accent access account acid action active actor adept admin advance adventure
aegis agent agile aid aim air alarm album alert alias alien alive alpha amber ambush amigo
amulet anchor angel anger angle angry animal ankle answer ant anthem antidote anvil apex
apple april arc arch archer archive arctic area arena armor armour army arrow art ash aspect
asset astral atlas atom attic aurora autumn avatar avenger avenue axe axis
baby back badge badger bait baker balance ball bamboo band bandit bang bank banner bar baron
barrel base basic basin basket bass bat batch battle bay beach beacon beam bean bear beard
beast beat beauty beaver bee beetle bell belt bench berry best beta big bird birthday bishop
bit bitter black blade blank blast blaze bleach blind blink bliss block blood bloom blossom
blow blue blues board boat body bolt bomb bond bone bonus book boom boot border boss bottle
box boxer brain branch brand brass brave bravo bread break breath breeze brick bride bridge
bright brilliant broken bronze brother brown brush bubble buck bucket buddy budget buffalo
bug builder bull bullet bunny burn burst bus bush butcher butter butterfly button buzz
cabin cable cactus cake calm camel camera camp canary candle candy cannon canyon cap
capital captain car caravan carbon card cargo carnival carrot cart case cash casino castle
cat catch cave cedar cell center centre chain chair chalk champion chance change channel
chaos chapter charge charm charming chase check cheese chef cherry chess chicken chief child
chill chimera chip chocolate choice chorus circle citizen city civil clan class classic claw
clay clean clear clerk click cliff climate clock clone close cloud clover clown club clue
coal coast cobalt cobra code coffee coin cold collector colonel colony color colour comet
comfort command commander comment common company compass concept condor connect control cook
cookie cool copper coral core corner cosmic cosmos cottage cotton council count country
courier cover cowboy coyote crab crack craft crane crash crazy cream creative creator creek
creep crescent cricket crime crimson crisis critical crop cross crow crown crucial cruel
crusader crush crypt crystal cub cube cuckoo cup cure curious current curse curtain cushion
custom cutter cycle cyclone cyclops cypress
daddy dagger daily daisy damage dance danger dark darkness darling dart data dawn day dead
deadly deal dear death decoy deep deer defender delta demon den desert design desire destiny
destroyer detective devil dew diamond diary digital dinosaur direct director dirty disco
discovery dish divine doctor dodge dog dollar dolphin dome domino donkey door double dove
down dragon dragonfly drain drama draw dream drift drill drink drive driver drone drop drum
duck duke dust dusk dwarf dynamite
eagle earth east easy echo eclipse edge editor eel egg ego elder electric electron element
elephant elf elite ember emerald emperor empire empress empty enemy energy engine enigma
epic equal era escape essence eternal ether euro event evil exchange exit exodus expert
explorer express extreme eye
fable face factory fail fairy faith falcon fall false fame family fan fancy fang fantasy
farm fast fat fate father fear feather fever fiber fibre field fiend fig fighter file film
filter final finder fire firefly first fish fist flag flame flash fleet flesh flight flint
float flood floor flow flower fluffy flute fly flyer foam focus fog folder folk fool foot
force forest forge fork form fortress fortune fossil fountain fox frame freak free freedom
freeze fresh friday friend frog frost frozen fruit fuel full fun funny fury fuse future
galaxy gale gallery game gamer gamma garden garlic gate gear gecko gem general genesis genie
genius gentle ghost giant gift ginger girl glacier glass glide glitch globe glory glove glow
goat goblin gold golden golem good goose gorilla grace grand granite grape graph grass grave
gravity gray great greed green grey griffin grim grizzly ground grove growl guard guardian
guest guide guitar gull gun guru
hacker hail hall halo hammer hand happy harbor harbour hard harmony harvest hat haunt haven
hawk hazard haze head heart heat heaven heavy hedge hello helmet helper herald herb hermit
hero heron hidden high highway hill hint hippo hive holiday hollow holy home honey hood hook
hope horizon horn hornet horror horse host hot hotel hound hour house hummingbird hunger
hunt hunter hurricane husky hydra hyena
ice icon idea idle idol image imp impact imperial impulse infinity inferno ink insight
inspector instant intruder invader iron island ivory ivy
jack jackal jade jaguar jail jam jar jasmine jaw jazz jellyfish jester jet jewel jig joker
journal journey joy judge juice jump jumper jungle junior junk jupiter justice
kaiser kangaroo karma keeper kernel key kick kid killer kind king kingdom kiss kit kitchen
kite kitten kitty knight knife knot koala kraken
lab label ladder lady lake lamb lamp lance land lantern laser latch launch lava law lazy
lead leader leaf league leak lemon leopard letter level liberty library light lightning lily
lime line link lion little live lizard llama load lobster local lock locust logic lone long
loop lord lotus loud love lucky lullaby lumber luna lunar lynx
machine mad magic magnet magpie maid mail major maker mamba mammoth man manager mango mantis
map maple marble march marine mark market mars marshal mask master match matrix maze meadow
medal medic medicine medusa melody melon memory mercury mercy message metal meteor midnight
mighty mild military milk mill mind mine mint minus mirage mirror mischief miss mission mist
mobile model modern mole monarch monday money monitor monk monkey monster moon moose morning
mosaic mosquito moth mother motion motor mountain mouse mouth move movie mud mule muse music
mustang mute mystery myth
nail name native nature navy nebula needle neighbor neon nerve nest net network neutron
night nightmare ninja noble node noise north nova novel nugget number nurse nut
oak oasis ocean octopus odd office officer oil old olive omega onion onyx open opera optic
oracle orange orbit orchid order origin orion otter outlaw owl ox
pack page pain paint palace palm panda panic panther paper parade paradise parrot party
pass patch path patriot peace peach peak pear pearl pebble pelican pen pencil penguin
pepper perfect phantom phoenix phone photon piano pickle picture pig pigeon pike pilgrim
pilot pine pink pioneer pipe pirate pixel pixie pizza place plague plain planet plant
plasma platinum play player plaza plum plus pocket poem poet point poison polar police pond
pony pool pop poppy port portal power prairie prayer precious predator press price pride
priest prime prince princess prism prison private prize probe professor profit prophet
proton proud prowler proxy puffin pulse puma pump punch pupil puppet puppy pure purple
puzzle pyramid python
quake quantum quartz queen quest quick quiet quill
rabbit race radar radio rage rain rainbow ram ranch ranger rapid rapture raptor rat raven
ray razor reaper rebel record red reef relic remote renegade rescue resort rhino rhythm rice
rider ridge rift ring riot ripper rise river road roar robin robot rock rocket rogue roll
roman rookie room rooster root rose rover royal ruby rugby rule rumble runner rush rust
sabre saber safari safe saga sage sail sailor saint salmon salt samurai sand sapphire satan
saturn savage scale scalpel scanner scar scarab scarecrow scarlet scatter scattered scholar
school science scorpion scout scream screen scribe script sea seal search season secret
seed seeker sentinel sergeant serpent servant server service shade shadow shadowy shaman
shark sharp sheep shelter shepherd sheriff shield shift shine ship shock shore shot shower
shrimp siege sierra sigma signal silence silent silk silver simple sinner siren sister
skeleton sketch skull sky slash slayer sleep sleepy slick slim slug small smart smile smoke
smooth snail snake sniper snow soap soccer social society sock soft solar soldier solo sonic
soul sound south space spade spark sparrow sparta spartan spear specter spectre speed sphinx
spice spider spike spin spirit splash sponge spoon sport spot spring spy squad square squid
squirrel stag stage stallion stamp star starling start state station steady stealth steam
steel stem step stick sting stinger stone storm story strange stranger straw stream street
strike string strong studio style sugar summer summit sun sunday sunrise sunset super
supreme surf surge swallow swamp swan sweet swift sword symbol symphony system
table tail talon tank tape target taurus taxi tea teacher tear teddy temple tempest tempo
tender terminal termite terror thief thorn thread thrill throne thunder ticket tide tiger
timber time tin tiny titan toad toast token tomato tomb tongue tooth top topaz torch
tornado total touch tower toxic toy trace track trader trail train transit trap travel
treasure tree trend tribe trick trident trigger trinity trip triton trojan troll trooper
trophy truck true trust truth tsunami tube tulip tuna tundra tunnel turbo turkey turtle
twilight twin twist typhoon
ultra umbrella uncle union unique unit universe urban
valley vampire vandal vanguard vanilla vapor vault vector velvet venom venus verse vertex
vice victor victory viking village villain vine violet viper virgo virtual vision visitor
voice void volcano volt vortex voyage voyager vulture
wagon walker wall walrus wander war warden warlock warm warning warrior wasp watch watcher
water wave wax weasel weather web wedding west whale wheel whisper whistle white wick
widow wild willow wind window wing winner winter wire wisdom wise wish witch wizard wolf
wolverine wonder wood word work world worm wraith wreck
yacht yak yankee yard year yellow yeti yoga young youth
zebra zen zenith zero zeus zodiac zombie zone
achilles ajax anubis apollo ares artemis athena atlantis avalon baal babylon behemoth
cerberus charon cupid diana dracula eden eros excalibur freya gabriel gaia godzilla hades
hera hercules hermes horus icarus isis janus juno kronos leviathan lilith loki lucifer
medusa mephisto merlin michael midas minerva minotaur moloch narcissus nemesis neptune nyx
odin olympus orpheus osiris pandora pegasus perseus pluto poseidon prometheus ra ragnarok
ragnar raphael samael sauron seth sobek thanos thor thoth uranus valhalla valkyrie vulcan
vader yoda gandalf sherlock batman superman hulk joker
america american amsterdam atlanta athens baghdad bangkok barcelona beijing beirut berlin
bogota boston brussels cairo caribbean chicago copenhagen dallas damascus delhi denver
dubai dublin florence geneva hanoi havana helsinki himalaya houston istanbul jakarta
jerusalem karachi kyiv kiev lagos lima lisbon london madrid manila miami milan minsk
montreal moscow mumbai nairobi naples nile oslo pacific atlantic paris phoenix prague
pyongyang rome sahara santiago seattle seoul shanghai siberia sicily singapore stockholm
sydney taipei tehran tokyo toronto vancouver vegas venice vienna warsaw zurich
africa asia europe china russia india japan korea israel egypt mexico brazil canada
france germany italy spain cuba iran iraq syria yemen libya turkey ukraine poland
adobe airbnb amazon android apple azure bitcoin bluetooth chrome cisco discord docker
dropbox drupal edge excel facebook firefox github gitlab google huawei instagram intel
java jenkins joomla linux magento meta microsoft minecraft netflix nintendo nvidia office
onedrive opera oracle outlook paypal powerpoint python reddit roblox safari samsung
sharepoint shopify signal skype slack snapchat sony spotify steam stripe teams telegram
tesla tiktok twitter uber ubuntu visa whatsapp windows wordpress xiaomi youtube zoom
ransom crypto cipher locker vendetta revenge apocalypse armageddon judgement judgment
resurrection redemption salvation sanctuary asylum inferno limbo abyss purgatory
abandon absence abuse academy accident achieve acquire across addict address adult advice
affair afford agency agenda agree alliance allow amnesia amount analyst ancient announce
annual anomaly anxiety appeal apply approach approve argue arm arrest arrival ask assault
assembly assist attempt attend attention auction audit author authority award aware
balloon ballot bargain barrier battery bay benchmark benefit bet beyond bid bill billion
blame blanket bless blossom blunt blur boast bold bonfire boom boost borrow bounce bound
bounty bow brake breach brief bright broad broker browse budget buffer bullet burden
bureau burglar buyer
cabinet calendar call campus cancel candidate capture career carpet carrier cattle caution
ceiling celebrate census ceremony certain chamber charity charter cheap cheat choir
chronicle circuit claim clarity client clinic closure coach coalition code collapse
collect college column combat comedy comfort commerce committee commission community
compact compete complain complex concern concert conduct conference confidence conflict
congress consent console consult contact contest context contract contrast convict
convoy copy corporate corridor cost costume cottage counsel courage court cousin crater
credit crew critic crowd cruise cuisine culture cursor custody customer
debate debt decade decision declare decline decree defeat defence defense deficit degree
delay delight delivery demand deny deploy deposit deputy descent detail detect device
dialogue diamond diet dilemma dinner diploma disaster discount display dispute distance
district divide dividend division document domain donor dose draft drama drift duty
earning economy edition effort elect embargo embassy emergency employ enclave encounter
endure enforce engage enquiry entry envoy episode equity error estate ethics evidence
exam excess exile expand expense export exposure extent
factor faculty fairway famine fare fault favor favour feast federal fee fellow festival
fiction figure finance firm fiscal fitness fixture flagship flaw fleet flock forecast
foreign formula forum founder fraction fraud freight frontier fund funeral furnace
gadget gain gallery gamble garage gauge gender genre gesture glimpse goal governor grain
grant grid grief grocery growth guarantee guilt
habit handle harbour harm headline health hearing height heritage highlight hint holder
horizon hostage household housing humour hunger
illusion immune import incident income index infant inflation inquiry insider instinct
insurance intake intent interest interim invest invoice issue item
jacket jersey job joint jury
label labour landing landmark laptop launch lawsuit layer lecture ledger legacy legend
lender lesson levy licence license lifestyle limit liquid literacy loan lobby logic
lottery loyal luggage
mandate manor margin marshal massive mayor meal measure media medium member merger merit
method metro midfield migrant milestone minister minor minute miracle mode moment
mortgage motive museum mutual
narrative navigator negotiate niche nominee notice nuclear
objective obstacle occasion offer offspring operator opinion option orbit orchestra
organ outbreak outcome outlet output outrage overseas owner
package parcel parish parliament partner passenger passport patent patient patrol pattern
pause pay payment penalty pension percent period permit petition phase pilot pitch
platform pledge plot pocket policy poll portfolio position potential poverty practice
premier premium presence president pressure prestige prevent priority privacy problem
process produce product profile program progress project promise proof property proposal
protect protest province provision public publish pulse purchase
quarter query question quota
rally range rank rate ratio reaction reader reality rebate recall receipt recipe record
recovery recruit referee reform refuge refund regime region register regret relief
remedy rent repair report rescue research reserve resident resolve resource response
responder result retail retreat return revenue review reward rival rocket route routine
royalty ruling rumor rumour
safety salary sample sanction savings scandal scenario schedule scheme scope score
section sector security segment senate senior sentence sequence session settlement
shortage shutdown signature silence sketch slogan solution source speaker specimen
sponsor spouse staff standard statement statue status stock strategy strength stress
strike structure subject subsidy suburb success suffer suit summary supply support
surface surgeon survey suspect sweep symptom
tactic talent tariff task tenant tender term terrain territory testimony theory threshold
tide title tone topic tourism tournament trade tradition traffic tragedy transfer
treaty trial tribunal trophy truce tuition turnout
unity upgrade uppercut usage utility
vacancy vaccine value vendor venture venue verdict version veteran veto victim video
viewer violence virtue volume volunteer vote voucher
wage wallet warrant watchdog wealth weapon website weekend welfare whistleblower
widget winner witness worker workshop wrestler
yield
`
