package merge

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// entry is what clustering needs of a unit. It is small, so that a spill
// file's block can be clustered without holding its units.
type entry struct {
	idx      int    // where the unit is: its index in a slice, or in a spill file
	key      string // Unit.Key
	article  string
	input    string
	reported string // Unit.Reported
	t        int64  // Reported in Unix seconds, when dated
	dated    bool
	// occFrom and occTo are the first and last second of the day, month or
	// year the article dates the attack to (Unit.Occurred), when occ.
	occFrom, occTo int64
	occ            bool
	names          []string // the victim's name, then its aliases
	actors         []string // identities of the attributed or claimed actors, sorted
}

// entryOf is the entry of u at idx.
func entryOf(u *Unit, idx int) entry {
	h := headOf(u)
	return h.entry(idx)
}

// unitHead is what clustering reads of a unit. Spill files write it
// before each unit, so that clustering decodes it alone, which is much
// cheaper than the whole unit.
type unitHead struct {
	BlockKey string      `json:"b"`
	Key      string      `json:"k"`
	Article  string      `json:"a"`
	Input    string      `json:"i"`
	Reported string      `json:"r,omitempty"`
	Occurred string      `json:"o,omitempty"` // Unit.Occurred's date
	Names    []string    `json:"n,omitempty"` // the victim's name, then its aliases
	Actors   []headActor `json:"c,omitempty"` // the attributed or claimed actors
}

type headActor struct {
	Name        string   `json:"n"`
	Aliases     []string `json:"a,omitempty"`
	Attribution string   `json:"t,omitempty"`
	Ref         string   `json:"r,omitempty"`
}

// headOf is the head of u.
func headOf(u *Unit) unitHead {
	h := unitHead{BlockKey: u.BlockKey, Key: u.Key, Article: u.Article, Input: u.Source.Input, Reported: u.Reported}
	if u.Occurred != nil {
		h.Occurred = u.Occurred.Date
	}
	if u.Victim != nil {
		h.Names = append(append(h.Names, u.Victim.Name), u.Victim.Aliases...)
	}
	for _, a := range u.Actors {
		if a.Attribution == "attributed" || a.Attribution == "claimed" {
			h.Actors = append(h.Actors, headActor{Name: a.Name, Aliases: a.Aliases, Attribution: a.Attribution, Ref: a.Ref})
		}
	}
	return h
}

// entry is the entry of the unit at idx.
func (h *unitHead) entry(idx int) entry {
	e := entry{idx: idx, key: h.Key, article: h.Article, input: h.Input, reported: h.Reported, names: h.Names}
	if t, ok := parseReported(h.Reported); ok {
		e.t, e.dated = t.Unix(), true
	}
	// a year is too coarse to tie a report to one attack of several
	if from, to, ok := occurredSpan(h.Occurred); ok && len(h.Occurred) > len("2006") {
		e.occFrom, e.occTo, e.occ = from, to, true
	}
	e.actors = strongActors(h.Actors)
	return e
}

// occurredSpan reads an Occurred date (2025, 2025-05 or 2025-05-14) as
// the first and last second of its year, month or day, in Unix seconds.
func occurredSpan(date string) (from, to int64, ok bool) {
	for _, f := range []struct {
		layout string
		years  int
		months int
		days   int
	}{{time.DateOnly, 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		if len(date) != len(f.layout) {
			continue
		}
		t, err := time.Parse(f.layout, date)
		if err != nil {
			return 0, 0, false
		}
		return t.Unix(), t.AddDate(f.years, f.months, f.days).Unix() - 1, true
	}
	return 0, 0, false
}

// strongActors are the identities of the actors that a source attributes
// or that claimed the attack (a suspicion contradicts nothing): each
// actor's dictionary entry, name and aliases, folded, sorted.
func strongActors(actors []headActor) []string {
	var ids []string
	for _, a := range actors {
		if a.Attribution != "attributed" && a.Attribution != "claimed" {
			continue
		}
		ids = actorIDs(ids, a.Ref, a.Name, a.Aliases)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// actorIDs appends to ids the identities of an actor: its dictionary
// entry ("ref:" and the entry), its name and its aliases folded (normKey).
// Two actors sharing one are one actor, for clustering and for building.
func actorIDs(ids []string, ref, name string, aliases []string) []string {
	if ref != "" {
		ids = append(ids, "ref:"+ref)
	}
	for _, n := range append([]string{name}, aliases...) {
		if k := normKey(n); k != "" {
			ids = append(ids, k)
		}
	}
	return ids
}

// before orders entries for clustering: dated before undated, then by
// time, then by key and input; tie breaks what remains (two copies of one
// unit that differ), so that the order never depends on the input's.
func before(a, b *entry, tie func(int) uint64) int {
	switch {
	case a.dated != b.dated:
		if a.dated {
			return -1
		}
		return 1
	case a.t != b.t:
		return cmp.Compare(a.t, b.t)
	}
	if c := cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.input, b.input)); c != 0 {
		return c
	}
	return cmp.Compare(tie(a.idx), tie(b.idx))
}

// Link strengths between a unit's names and a cluster's.
const (
	linkShort   = 1 // a short form word by word: Co-op, Co-operative
	linkForm    = 2 // a short form without a tail, an acronym, spacing
	linkSame    = 3 // the same name up to case, punctuation, "the" and legal form
	linkUnknown = 0
)

// nameInfo is one distinct name of a block.
type nameInfo struct {
	name
	acronyms []string // name.acronymKeys, computed once
	longKeys []string
	// shortKey is the name's shortFormKey; hasShort is false when it has
	// none.
	shortKey string
	hasShort bool
	// asName and asAlias are the clusters (by a position in each, which
	// find turns into its root) whose units carry the name as the
	// victim's name, or only as an alias.
	asName, asAlias []int32
}

// clusterer clusters the units of one block.
type clusterer struct {
	m       *Merger
	window  int64
	entries []entry // in clustering order
	names   []nameInfo
	byRaw   map[string]int32
	index   map[string][]int32 // link key to names
	nameIDs [][]int32          // per entry, its names
	primary []int32            // per entry, the id of the victim's name, or -1
	parent  []int32
	state   []clusterState // by root
	// mark and stamp tell which roots a call of roots has seen: mark[r]
	// == stamp.
	mark  []uint32
	stamp uint32
}

// clusterState is what a cluster's root knows of the cluster.
type clusterState struct {
	last     int64 // the latest report
	first    int64 // the earliest report or attack date of a unit
	dated    bool
	actors   []string
	articles []string
	names    []int32
}

// cluster groups the entries of one block into incidents and returns them
// as lists of entry idx values, each list in clustering order and the
// lists in the order of their first entry. Entries of one key (the same
// article read twice) count once: the first in clustering order stays,
// the others are dropped. tie hashes a unit for the order of such copies.
// entries is left as it was.
func (m *Merger) cluster(entries []entry, tie func(int) uint64) [][]int {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b entry) int { return before(&a, &b, tie) })
	uniq := entries[:0]
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.key] {
			seen[e.key] = true
			uniq = append(uniq, e)
		}
	}
	c := &clusterer{m: m, window: int64(m.window / time.Second), entries: uniq, byRaw: map[string]int32{}, index: map[string][]int32{}}
	c.buildNames()
	c.parent = make([]int32, len(uniq))
	c.state = make([]clusterState, len(uniq))
	c.mark = make([]uint32, len(uniq))
	for p := range uniq {
		c.place(int32(p))
	}
	groups := map[int32][]int{}
	var roots []int32
	for p := range uniq {
		r := c.find(int32(p))
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], uniq[p].idx)
	}
	out := make([][]int, 0, len(roots))
	for _, r := range roots {
		out = append(out, groups[r])
	}
	return out
}

// buildNames parses the block's distinct names and indexes them by the
// keys that link names: base, strips, compact form, acronyms, long forms
// and short-form key.
func (c *clusterer) buildNames() {
	c.nameIDs = make([][]int32, len(c.entries))
	c.primary = make([]int32, len(c.entries))
	acronyms := map[string]bool{}
	for p, e := range c.entries {
		c.primary[p] = -1
		for i, raw := range e.names {
			id, ok := c.byRaw[raw]
			if !ok {
				n := c.m.names.parse(raw)
				if n.base == "" {
					continue
				}
				id = int32(len(c.names))
				c.byRaw[raw] = id
				info := nameInfo{name: n, acronyms: n.acronymKeys()}
				info.shortKey, info.hasShort = shortFormKey(n)
				c.names = append(c.names, info)
				for _, k := range info.acronyms {
					acronyms[k] = true
				}
			}
			if i == 0 {
				c.primary[p] = id
			}
			if !slices.Contains(c.nameIDs[p], id) {
				c.nameIDs[p] = append(c.nameIDs[p], id)
			}
		}
	}
	for id := range c.names {
		n := &c.names[id]
		n.longKeys = c.m.names.longKeys(n.name, acronyms)
		add := func(k string) { c.index[k] = append(c.index[k], int32(id)) }
		add("b|" + n.base)
		for _, s := range n.strips {
			add("s|" + s)
		}
		add("c|" + n.compact)
		for _, k := range n.acronyms {
			add("a|" + k)
		}
		for _, k := range n.longKeys {
			add("l|" + k)
		}
		if n.hasShort {
			add("p|" + n.shortKey)
		}
	}
}

func (c *clusterer) find(p int32) int32 {
	for c.parent[p] != p {
		c.parent[p] = c.parent[c.parent[p]]
		p = c.parent[p]
	}
	return p
}

// candidate is a cluster a unit may join and how strongly their names
// link.
type candidate struct {
	root     int32
	strength int
}

// place clusters the entry at position p: it joins the cluster its names
// link to most strongly (see the package documentation for the rules), or
// starts its own.
func (c *clusterer) place(p int32) {
	e := &c.entries[p]
	c.parent[p] = p
	first := e.t
	if e.occ {
		first = min(first, e.occFrom)
	}
	c.state[p] = clusterState{last: e.t, first: first, dated: e.dated, actors: e.actors, articles: []string{e.article}, names: c.nameIDs[p]}
	var inWindow, byDate []candidate
	for _, cand := range c.links(p) {
		s := &c.state[cand.root]
		if contradicts(e.actors, s.actors) {
			continue
		}
		switch {
		case !e.dated || s.dated && e.t-s.last <= c.window:
			inWindow = append(inWindow, cand)
		case c.sameDate(e, s):
			byDate = append(byDate, cand)
		}
	}
	switch {
	case len(inWindow) > 0:
		// A report within the window joins as before, whatever date
		// it gives: clusters it matches only by that date stay apart.
		if e.dated {
			c.joinBest(p, inWindow)
		} else {
			c.joinUndated(p, inWindow)
		}
	case len(byDate) > 0:
		// A late report that dates the attack back into a cluster (a
		// regulator's fine, a cost piece months on) joins one cluster
		// (the strongest link, then the one whose reports span the
		// date, then the one that began nearest it), merges no others,
		// and brings no span of its own: a new attack reported weeks
		// after the fine is another incident.
		slices.SortFunc(byDate, func(a, b candidate) int {
			sa, sb := &c.state[a.root], &c.state[b.root]
			return cmp.Or(cmp.Compare(b.strength, a.strength),
				cmp.Compare(dateGap(e, sa), dateGap(e, sb)),
				cmp.Compare(a.root, b.root))
		})
		root := c.find(byDate[0].root)
		c.state[p].first, c.state[p].last = c.state[root].first, c.state[root].last
		c.union(root, p)
	}
	for _, id := range c.nameIDs[p] {
		n := &c.names[id]
		if id == c.primary[p] {
			n.asName = append(n.asName, p)
		} else {
			n.asAlias = append(n.asAlias, p)
		}
	}
}

// sameDate reports whether a dated unit's attack date falls within a
// cluster's span: after the cluster's earliest date less the window (the
// attack comes before its first report) and not after its latest report.
func (c *clusterer) sameDate(e *entry, s *clusterState) bool {
	return e.dated && e.occ && s.dated && e.occFrom <= s.last && e.occTo >= s.first-c.window
}

// joinBest joins a dated unit to its strongest candidate (then the most
// recently reported, then the oldest cluster), and merges into that the
// other candidates that hold one of its names as such, unless their actors
// contradict.
func (c *clusterer) joinBest(p int32, cands []candidate) {
	c.sortCandidates(cands)
	root := c.union(cands[0].root, p)
	for _, cand := range cands[1:] {
		r := c.find(cand.root)
		if cand.strength < linkSame || r == root || contradicts(c.state[root].actors, c.state[r].actors) {
			continue
		}
		root = c.union(root, r)
	}
}

// dateGap is how far a unit's attack date lies outside a cluster's span
// of reports and dates, in seconds: 0 when it falls within it.
func dateGap(e *entry, s *clusterState) int64 {
	switch {
	case e.occTo < s.first:
		return s.first - e.occTo
	case e.occFrom > s.last:
		return e.occFrom - s.last
	}
	return 0
}

// sortCandidates orders candidates strongest link first, then most
// recently reported, then oldest cluster.
func (c *clusterer) sortCandidates(cands []candidate) {
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.strength, a.strength),
			cmp.Compare(c.state[b.root].last, c.state[a.root].last),
			cmp.Compare(a.root, b.root))
	})
}

// joinUndated joins a unit without a date to a cluster that holds another
// unit of its article, else to its only candidate; with several and none
// of its article, it stays apart: without a date nothing tells which of
// two attacks on the victim it reports.
func (c *clusterer) joinUndated(p int32, cands []candidate) {
	e := &c.entries[p]
	var same []candidate
	for _, cand := range cands {
		if slices.Contains(c.state[cand.root].articles, e.article) {
			same = append(same, cand)
		}
	}
	switch {
	case len(same) > 0:
		slices.SortFunc(same, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(b.strength, a.strength), cmp.Compare(a.root, b.root))
		})
		c.union(same[0].root, p)
	case len(cands) == 1:
		c.union(cands[0].root, p)
	}
}

// union merges the clusters of a and b and returns the new root (the
// older of the two, so that roots keep the order clusters began in).
func (c *clusterer) union(a, b int32) int32 {
	ra, rb := c.find(a), c.find(b)
	if ra == rb {
		return ra
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	sa, sb := &c.state[ra], &c.state[rb]
	switch {
	case !sa.dated:
		sa.last, sa.first, sa.dated = sb.last, sb.first, sb.dated
	case sb.dated:
		sa.last = max(sa.last, sb.last)
		sa.first = min(sa.first, sb.first)
	}
	sa.actors = unionSorted(sa.actors, sb.actors)
	for _, a := range sb.articles {
		if !slices.Contains(sa.articles, a) {
			sa.articles = append(sa.articles, a)
		}
	}
	for _, id := range sb.names {
		if !slices.Contains(sa.names, id) {
			sa.names = append(sa.names, id)
		}
	}
	*sb = clusterState{}
	c.parent[rb] = ra
	return ra
}

// links are the clusters the names of the entry at p link to, with the
// strongest link to each. Two aliases never link: an alias is often a
// short or generic word (a town, "Academy") that two victims share; a link
// needs the victim's name on one side.
func (c *clusterer) links(p int32) []candidate {
	best := map[int32]int{}
	var order []int32
	note := func(r int32, strength int) {
		if s, ok := best[r]; !ok {
			best[r] = strength
			order = append(order, r)
		} else if strength > s {
			best[r] = strength
		}
	}
	for _, id := range c.nameIDs[p] {
		n := &c.names[id]
		isName := id == c.primary[p]
		// through calls f with each cluster that carries m as a name (or
		// as an alias when n is the victim's name).
		through := func(m int32, f func(r int32)) {
			o := &c.names[m]
			o.asName = c.roots(o.asName, f)
			if isName {
				o.asAlias = c.roots(o.asAlias, f)
			}
		}
		linkAll := func(key string, strength int) {
			for _, m := range c.index[key] {
				through(m, func(r int32) { note(r, strength) })
			}
		}
		linkAll("b|"+n.base, linkSame)
		linkAll("s|"+n.base, linkForm)
		for _, s := range n.strips {
			linkAll("b|"+s, linkForm)
		}
		linkAll("c|"+n.compact, linkForm)
		for _, k := range n.acronyms {
			for _, m := range c.index["l|"+k] {
				if !c.ambiguous(c.nameIDs[p], m, k) {
					through(m, func(r int32) { note(r, linkForm) })
				}
			}
		}
		for _, k := range n.longKeys {
			for _, m := range c.index["a|"+k] {
				through(m, func(r int32) {
					if !c.ambiguous(c.state[r].names, id, k) {
						note(r, linkForm)
					}
				})
			}
		}
		if n.hasShort {
			for _, m := range c.index["p|"+n.shortKey] {
				if shortFormOf(n.name, c.names[m].name) || shortFormOf(c.names[m].name, n.name) {
					through(m, func(r int32) { note(r, linkShort) })
				}
			}
		}
	}
	out := make([]candidate, 0, len(order))
	for _, r := range order {
		out = append(out, candidate{root: r, strength: best[r]})
	}
	return out
}

// roots calls f with the root of each position in list, once per root, and
// returns the list cut to one position per root: the units of a cluster
// stand for each other.
func (c *clusterer) roots(list []int32, f func(r int32)) []int32 {
	c.stamp++
	kept := list[:0]
	for _, q := range list {
		r := c.find(q)
		if c.mark[r] == c.stamp {
			continue
		}
		c.mark[r] = c.stamp
		kept = append(kept, r)
		f(r)
	}
	return kept
}

// ambiguous reports whether the names of one side give the acronym key k
// a long form other than long: then the acronym of that side does not
// stand for long (M&S, Marks & Spencer is not Morgan Stanley).
func (c *clusterer) ambiguous(names []int32, long int32, k string) bool {
	other := false
	for _, id := range names {
		n := &c.names[id]
		if !slices.Contains(n.longKeys, k) {
			continue
		}
		if id == long || n.base == c.names[long].base {
			return false
		}
		other = true
	}
	return other
}

// shortFormKey is the key under which names that may be short forms of
// each other meet (see shortFormOf): the first word and the first two
// letters of each other word; ok is false for a name that cannot be one.
func shortFormKey(n name) (string, bool) {
	if len(n.tokens) < 2 {
		return "", false
	}
	var b strings.Builder
	b.WriteString(n.tokens[0].text)
	for _, t := range n.tokens[1:] {
		if len(t.text) < 2 {
			return "", false
		}
		b.WriteByte('|')
		b.WriteString(t.text[:2])
	}
	return b.String(), true
}

// contradicts reports whether two sets of attributed or claimed actors
// rule out one incident: both name some, and none in common.
func contradicts(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			return false
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return true
}

// unionSorted merges two sorted lists without repeats.
func unionSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]string, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	slices.Sort(out)
	return slices.Compact(out)
}
