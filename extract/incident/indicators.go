package incident

import (
	"strings"

	"github.com/incidex/incidex/extract/indicator"
	"github.com/incidex/incidex/extract/record"
)

// maxIndicators is the most indicators an incident, or an article outside
// its incidents, holds. Threat reports list hundreds; a page built to blow
// up records lists millions. Incident.Omitted and Result.IndicatorsOmitted
// say how many more there were.
const maxIndicators = 1000

// foundIndicator is one indicator of an article: its value and the
// sentences that give it.
type foundIndicator struct {
	rec   record.Indicator
	sents []int
}

// attachIndicators finds the indicators of the article's sentences (the
// article's own site is never one) and gives each to the incidents whose
// evidence holds one of its sentences (owners: per incident, the starts of
// all its evidence sentences, before they were cut to maxEvidence); in an
// article of one incident, all of them belong to it (threat write-ups list
// indicators in a paragraph of their own). It returns those no incident
// took.
func (f *Finder) attachIndicators(t *text, incs []record.Incident, owners []map[int]bool) (rest []record.Indicator, omitted int) {
	found := t.findIndicators(f.indicators)
	if len(found) == 0 {
		return nil, 0
	}
	own := victimSites(incs)
	for _, fi := range found {
		if fi.rec.Defanged == "" && own[indicator.SiteName(fi.rec.Value)] {
			continue // a victim's own site, named plainly: usps.com in a story on USPS
		}
		taken := false
		for i := range incs {
			if len(incs) == 1 || t.holdsAny(owners[i], fi.sents) {
				incs[i].Indicators = append(incs[i].Indicators, fi.rec)
				taken = true
			}
		}
		if !taken {
			rest = append(rest, fi.rec)
		}
	}
	for i := range incs {
		if len(incs[i].Indicators) > maxIndicators {
			if incs[i].Omitted == nil {
				incs[i].Omitted = map[string]int{}
			}
			incs[i].Omitted["indicators"] = len(incs[i].Indicators) - maxIndicators
			incs[i].Indicators = incs[i].Indicators[:maxIndicators:maxIndicators]
		}
	}
	if len(rest) > maxIndicators {
		omitted, rest = len(rest)-maxIndicators, rest[:maxIndicators:maxIndicators]
	}
	return rest, omitted
}

// findIndicators runs indicator.Find over every sentence and gathers each
// indicator (by type and value) with its sentences, in order of first
// mention. Its evidence is every sentence, cut to maxEvidence like the
// other fields'.
func (t *text) findIndicators(finder *indicator.Finder) []*foundIndicator {
	opts := indicator.Options{ExcludeHosts: []string{t.article.URL, t.article.CanonicalURL}}
	var out []*foundIndicator
	index := map[string]*foundIndicator{}
	for si := range t.sents {
		if t.stopped(si) {
			break
		}
		for _, m := range finder.Find(t.sents[si].Text, opts) {
			key := m.Type + "\x00" + m.Value
			fi := index[key]
			if fi == nil {
				fi = &foundIndicator{rec: record.Indicator{Type: m.Type, Value: m.Value, Defanged: m.Defanged}}
				index[key] = fi
				out = append(out, fi)
			}
			if n := len(fi.sents); n > 0 && fi.sents[n-1] == si {
				continue // the same indicator twice in one sentence
			}
			fi.sents = append(fi.sents, si)
			if fi.rec.Defanged == "" {
				fi.rec.Defanged = m.Defanged
			}
			if len(fi.rec.Evidence) < maxEvidence {
				fi.rec.Evidence = append(fi.rec.Evidence, t.evidence(si, "indicator."+m.Type))
			}
		}
	}
	for _, fi := range out {
		if len(fi.sents) > maxEvidence {
			fi.rec.EvidenceCount = len(fi.sents)
		}
	}
	return out
}

// victimSites are the names the victims' own sites would register: the
// letters and digits of each name and alias, "&" read as "and" or
// dropped ("marksandspencer", "marksspencer", "usps").
func victimSites(incs []record.Incident) map[string]bool {
	sites := map[string]bool{}
	for _, inc := range incs {
		for _, v := range inc.Victims {
			for _, n := range append([]string{v.Name}, v.Aliases...) {
				for _, form := range []string{n, strings.ReplaceAll(n, "&", "and")} {
					if k := indicator.SiteKey(form); len(k) > 1 {
						sites[k] = true
					}
				}
			}
		}
	}
	return sites
}

// evidenceStarts is the set of the start offsets of an incident's
// evidence sentences: a sentence's start names it, as sentences do not
// share one.
func evidenceStarts(inc *record.Incident) map[int]bool {
	set := map[int]bool{}
	add := func(evs []record.Evidence) {
		for _, ev := range evs {
			set[ev.Start] = true
		}
	}
	for _, v := range inc.Victims {
		add(v.Evidence)
	}
	for _, a := range inc.Actors {
		add(a.Evidence)
	}
	for _, tl := range inc.Tooling {
		add(tl.Evidence)
	}
	for _, im := range inc.Impacts {
		add(im.Evidence)
	}
	for _, r := range inc.Responders {
		add(r.Evidence)
	}
	return set
}

// holdsAny reports whether any of the sentences sents starts at an offset
// in starts.
func (t *text) holdsAny(starts map[int]bool, sents []int) bool {
	for _, si := range sents {
		if starts[t.sents[si].Start] {
			return true
		}
	}
	return false
}
