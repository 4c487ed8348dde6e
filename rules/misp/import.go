package misp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/incidex/incidex/rules"
)

// Options tunes Import.
type Options struct {
	// Known are the packs the import is loaded beside, usually the default
	// packs. A cluster that shares a name with one of their actors or
	// tooling of its own section is left out (the hand-written entry
	// already covers it); a name of their responders, outlets, countries,
	// sectors, techniques and vulnerabilities is never made an alias.
	Known []*rules.Pack
}

// Result is what Import made of the clusters.
type Result struct {
	Actors  []rules.Entity // sorted by id
	Tooling []rules.Entity // sorted by id
	Sources []string       // "threat-actor.json (threat-actor, version 349)", in input order

	Clusters int // clusters read
	Merges   int // clusters merged into another's entry
	Skipped  int // entries left out because Known covers them
	Unnamed  int // clusters without a usable name
	// Collisions are the clusters that MISP links or that share a name but
	// are different things (an actor and a piece of malware, two countries):
	// they stay separate entries, the shared name kept only by the entry it
	// is the main name of, or by both with disjoint cues.
	Collisions []Collision

	// merged are, by entry id, the MITRE ATT&CK ids of the entry's merged
	// clusters that its external_ids do not give (a ransomware entry's S id
	// is there, the G id of the gang it absorbed is here), for a comment.
	merged map[string][]string
}

// Collision is two clusters that could not be merged.
type Collision struct {
	Name   string // the name they share, or "A" ~ "B" for a link
	Linked bool   // MISP links them as similar
	A, B   Side   // in the order of the inputs
}

// Side is one side of a collision.
type Side struct {
	File string // the cluster file
	What string // "hacktivist group, MY", "ransomware"
}

// String is the collision as "incidex rules import misp" reports it:
// `"Name": a.json (what) vs b.json (what)`.
func (c Collision) String() string {
	how := ""
	if c.Linked {
		how = " (similar)"
	}
	return fmt.Sprintf("%s%s: %s (%s) vs %s (%s)", c.Name, how, c.A.File, c.A.What, c.B.File, c.B.What)
}

// node is one cluster, cleaned.
type node struct {
	file    *File
	gal     galaxy
	uuid    string
	names   []string // names[0] is the cluster's own name
	kind    string   // tooling kind, or group / nation-state
	country string
	state   bool // an actor attributed to a state
	hacktiv bool // a hacktivist actor
	// attack is the cluster's MITRE ATT&CK id of its section's kind (G for
	// actors, S for tooling), if it has one; attackOwn says it is the
	// cluster's own (a MITRE galaxy's external_id), not one it cites.
	attack    string
	attackOwn bool
	similar   []string // uuids
}

// component is a set of merged clusters (a union-find class).
type component struct {
	section string
	ransom  bool // holds a ransomware cluster
	country string
	state   bool
	hacktiv bool
	nodes   []int
}

// Import turns cluster files into actors and tooling entries. Clusters
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
func Import(files []*File, opts Options) *Result {
	files = slices.Clone(files)
	slices.SortStableFunc(files, func(a, b *File) int {
		if d := galaxies[a.Type].rank - galaxies[b.Type].rank; d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
	im := &Result{merged: map[string][]string{}}
	w := newVocabulary(opts.Known)
	for _, f := range files {
		im.Sources = append(im.Sources, fmt.Sprintf("%s (%s, version %d)", baseName(f.Name), f.Type, f.Version))
	}

	// Nodes: one per usable cluster.
	var nodes []node
	byUUID := map[string]int{}
	for _, f := range files {
		for _, v := range f.Values {
			im.Clusters++
			if _, dup := byUUID[v.UUID]; dup && v.UUID != "" {
				continue // the same file given twice
			}
			n, ok := w.readCluster(f, v)
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
	comps := make([]*component, len(nodes))
	for i := range nodes {
		parent[i] = i
		n := &nodes[i]
		comps[i] = &component{section: n.gal.section, ransom: n.kind == "ransomware", country: n.country,
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
		c    Collision
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
			c := Collision{Linked: e.linked,
				A: Side{File: baseName(nodes[e.a].file.Name), What: ca.describe(&nodes[e.a])},
				B: Side{File: baseName(nodes[e.b].file.Name), What: cb.describe(&nodes[e.b])}}
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
		root  int
		ent   rules.Entity
		keys  map[string]string // looseKey -> name as kept
		main  string            // looseKey of the name
		named int               // the node whose cluster names the entry
		drop  bool
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
		b.ent, b.named = w.entity(nodes, c)
		for _, name := range append([]string{b.ent.Name}, b.ent.Aliases...) {
			b.keys[looseKey(name)] = name
		}
		b.main = looseKey(b.ent.Name)
		ents = append(ents, b)
		byRoot[i] = b
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
	slices.SortStableFunc(im.Collisions, func(a, b Collision) int { return strings.Compare(a.String(), b.String()) })

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
		var merged []string
		b.ent.ExternalIDs, merged = externalIDs(nodes, comps[b.root], b.named, b.ent.Name, entitySection(b.ent))
		if len(merged) > 0 {
			im.merged[id] = merged
		}
		slices.SortFunc(b.ent.Aliases, cmpFold)
		if entitySection(b.ent) == "actors" {
			im.Actors = append(im.Actors, b.ent)
		} else {
			im.Tooling = append(im.Tooling, b.ent)
		}
	}
	byID := func(a, b rules.Entity) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(im.Actors, byID)
	slices.SortFunc(im.Tooling, byID)
	return im
}

// entitySection is where an imported entry goes: tooling has a tooling
// kind. The importer makes only these three (entity sets them), so it
// need not ask package rules for its list of tooling kinds.
func entitySection(e rules.Entity) string {
	switch e.Kind {
	case "ransomware", "malware", "tool":
		return "tooling"
	}
	return "actors"
}

func (c *component) merge(o *component) {
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
func (c *component) compatible(o *component) bool {
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
func (c *component) describe(n *node) string {
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

// externalIDs are an entry's ids in other knowledge bases, as the
// external_ids of its rule: "misp-galaxy", the uuid of the cluster it is
// named from (named), and "mitre-attack", the ATT&CK id of its kind (G for
// actors, S for tooling) that its clusters carry. An entry that merges
// several clusters has one id per source, so the other clusters' uuids are
// not kept: the entry is found again by the uuid of its name's cluster, and
// a cluster whose names it holds leads to it through those names. Of
// several ATT&CK ids, that of a cluster whose own name is the entry's comes
// first (MISP links DragonOK, G0017, with Moafee, G0002), then that of one
// that lists the name; then a MITRE cluster's own id before one that
// another galaxy cites, then the best-ranked galaxy's. merged lists,
// sorted, the ATT&CK ids of its clusters that external_ids does not give.
func externalIDs(nodes []node, c *component, named int, name, section string) (ids map[string]string, merged []string) {
	ids = map[string]string{}
	if u := strings.ToLower(nodes[named].uuid); clusterUUIDRE.MatchString(u) {
		ids["misp-galaxy"] = u
	}
	kind := "S"
	if section == "actors" {
		kind = "G"
	}
	k := looseKey(name)
	nameTier := func(i int) int {
		switch {
		case i == named || looseKey(nodes[i].names[0]) == k:
			return 0
		case slices.ContainsFunc(nodes[i].names, func(n string) bool { return looseKey(n) == k }):
			return 1
		}
		return 2
	}
	best := -1
	better := func(i, j int) bool { // node i's id goes before node j's
		a, b := &nodes[i], &nodes[j]
		switch {
		case nameTier(i) != nameTier(j):
			return nameTier(i) < nameTier(j)
		case a.attackOwn != b.attackOwn:
			return a.attackOwn
		case a.gal.rank != b.gal.rank:
			return a.gal.rank < b.gal.rank
		}
		return i < j
	}
	for _, i := range c.nodes {
		if strings.HasPrefix(nodes[i].attack, kind) && (best < 0 || better(i, best)) {
			best = i
		}
	}
	if best >= 0 {
		ids["mitre-attack"] = nodes[best].attack
	}
	for _, i := range c.nodes {
		if a := nodes[i].attack; a != "" && a != ids["mitre-attack"] && !slices.Contains(merged, a) {
			merged = append(merged, a)
		}
	}
	slices.Sort(merged)
	if len(ids) == 0 {
		ids = nil
	}
	return ids, merged
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
func nameWithKey(n node, k string) string {
	for _, s := range n.names {
		if looseKey(s) == k {
			return s
		}
	}
	return k
}
