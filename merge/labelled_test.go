package merge

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
	"github.com/incidex/incidex/rules"
)

// labelledDir is the labelled merge set (see its README): pages and the
// gold clusters.
const labelledDir = "../testdata/merge"

// goldSet is clusters.json: each cluster one incident of one victim and
// the articles (page file names) that report it.
type goldSet struct {
	Clusters []struct {
		ID       string   `json:"id"`
		Victim   string   `json:"victim"`
		Campaign string   `json:"campaign"`
		Articles []string `json:"articles"`
	} `json:"clusters"`
	NotSame [][]string `json:"not_same"`
}

// item is one article's report of one gold cluster.
type item struct{ article, cluster string }

// labelledScore is the outcome of merging the labelled set.
type labelledScore struct {
	goldPairs, predictedPairs, truePairs, foundGoldPairs int
	goldItems, missedItems, spuriousSources              int
	windowPairs                                          int // gold pairs a gap over the window splits
	extractionPairs                                      int // gold pairs with an item not extracted
	notSameViolations                                    int
	campaignPairs, campaignTrue, goldCampaignPairs       int
}

func (s labelledScore) precision() float64 { return ratio(s.truePairs, s.predictedPairs) }
func (s labelledScore) recall() float64    { return ratio(s.foundGoldPairs, s.goldPairs) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestLabelledClusters extracts the pages of the labelled merge set with
// the default extractor, merges them and scores the clustering pairwise
// against the gold clusters.
//
// A merged incident is mapped to gold clusters through its articles: for
// each source article, the gold cluster that holds the article and whose
// victim is one of the merged victim's names (by the merge's own name
// rules: the victim's name and aliases against the gold victim); a source
// whose article is in no such cluster is spurious (an extraction
// error: a victim mentioned in passing, a gang taken for a victim) and is
// left out. A merged incident is then a set of items (article, gold
// cluster); a predicted pair is two items of one merged incident with
// different articles, true when their gold clusters are the same. A gold
// pair is two articles of one gold cluster, found when some merged
// incident holds both items. Precision is true predicted pairs over
// predicted pairs, recall found gold pairs over gold pairs. Gold items no
// merged incident holds are extraction misses: they lower recall whatever
// the merge does, and are reported apart, as are the gold pairs that a gap
// longer than the window splits by design.
func TestLabelledClusters(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(labelledDir, "clusters.json"))
	if os.IsNotExist(err) {
		t.Skip("no labelled merge set in " + labelledDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var gold goldSet
	if err := json.Unmarshal(data, &gold); err != nil {
		t.Fatalf("clusters.json: %v", err)
	}
	pages, err := filepath.Glob(filepath.Join(labelledDir, "pages", "*.html"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in %s: %v", labelledDir, err)
	}
	x := extracttest.Default(t)
	var results []*record.Result
	for _, p := range pages {
		page, err := source.ReadFile(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, err := x.Page(page)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		results = append(results, r)
	}
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := New(set, Options{})
	merged := m.Merge(results)
	for i := range merged {
		t.Logf("merged: %s %s %s", merged[i].FirstReported[:10], merged[i].Campaign, describe(&merged[i]))
	}
	s := scoreLabelled(t, m, &gold, results, merged)
	t.Logf("labelled merge set: %d pages, %d gold clusters, %d merged incidents", len(pages), len(gold.Clusters), len(merged))
	t.Logf("pairwise precision %.3f (%d of %d predicted pairs), recall %.3f (%d of %d gold pairs)",
		s.precision(), s.truePairs, s.predictedPairs, s.recall(), s.foundGoldPairs, s.goldPairs)
	t.Logf("extraction: %d of %d gold (article, victim) items have no extracted victim; %d sources of merged incidents are spurious (a victim the gold does not give their article)",
		s.missedItems, s.goldItems, s.spuriousSources)
	t.Logf("window: %d missed gold pairs are split by a gap of more than %d days between reports (chained)", s.windowPairs, int(m.Window().Hours()/24))
	t.Logf("merge alone: %d of %d gold pairs whose two articles' victims were extracted and that no gap over the window splits",
		s.foundGoldPairs, s.goldPairs-s.extractionPairs-s.windowPairs)
	t.Logf("not_same: %d pairs of clusters that must stay apart share a merged incident", s.notSameViolations)
	t.Logf("campaign: %d pairs of merged incidents share a campaign, %d of them in one gold campaign; the gold has %d",
		s.campaignPairs, s.campaignTrue, s.goldCampaignPairs)

	// The targets, under the measured figures: precision 1.000
	// (64 of 64), recall 0.985 (64 of 65; the one pair missed is lost to
	// extraction: a weekly digest's second item). A change that loses
	// quality fails here.
	if p := s.precision(); p < 0.95 {
		t.Errorf("pairwise precision %.3f, want at least 0.95", p)
	}
	if r := s.recall(); r < 0.95 {
		t.Errorf("pairwise recall %.3f, want at least 0.95", r)
	}
	if s.notSameViolations > 0 {
		t.Errorf("%d not_same pairs merged", s.notSameViolations)
	}
}

// scoreLabelled scores merged against gold (see TestLabelledClusters).
func scoreLabelled(t *testing.T, m *Merger, gold *goldSet, results []*record.Result, merged []record.Merged) labelledScore {
	t.Helper()
	var s labelledScore
	byArticle := map[string][]int{} // gold cluster indexes by article
	for i, c := range gold.Clusters {
		for _, a := range c.Articles {
			byArticle[a] = append(byArticle[a], i)
		}
		s.goldPairs += len(c.Articles) * (len(c.Articles) - 1) / 2
		s.goldItems += len(c.Articles)
	}
	published := map[string]time.Time{}
	for _, r := range results {
		if ts, ok := parseReported(reportedTime(r.Published)); ok {
			published[filepath.Base(r.Input)] = ts
		}
	}
	type pair struct{ a, b item }
	predicted := map[pair]bool{}
	found := map[item]bool{}
	togetherGold := map[[3]string]bool{} // (cluster, article, article) found
	clustersOf := make([]map[string]bool, len(merged))
	for mi := range merged {
		mg := &merged[mi]
		var names []name
		for _, v := range mg.Victims {
			names = append(names, m.names.parse(v.Name))
			for _, a := range v.Aliases {
				names = append(names, m.names.parse(a))
			}
		}
		var items []item
		seen := map[item]bool{}
		for _, src := range mg.Sources {
			art := filepath.Base(src.Input)
			best, bestLink := -1, linkUnknown
			for _, ci := range byArticle[art] {
				g := m.names.parse(gold.Clusters[ci].Victim)
				for _, n := range names {
					if l := m.names.link(n, g); l > bestLink {
						best, bestLink = ci, l
					}
				}
			}
			if best < 0 {
				s.spuriousSources++
				continue
			}
			it := item{art, gold.Clusters[best].ID}
			if !seen[it] {
				seen[it] = true
				items = append(items, it)
				found[it] = true
			}
		}
		clustersOf[mi] = map[string]bool{}
		for i, first := range items {
			clustersOf[mi][first.cluster] = true
			for _, second := range items[i+1:] {
				a, b := first, second
				if a.article == b.article {
					continue
				}
				if b.article < a.article {
					a, b = b, a
				}
				predicted[pair{a, b}] = true
				if a.cluster == b.cluster {
					togetherGold[[3]string{a.cluster, a.article, b.article}] = true
				}
			}
		}
	}
	s.predictedPairs = len(predicted)
	for p := range predicted {
		if p.a.cluster == p.b.cluster {
			s.truePairs++
		}
	}
	s.foundGoldPairs = len(togetherGold)
	window := m.Window()
	for _, c := range gold.Clusters {
		for _, a := range c.Articles {
			if !found[item{a, c.ID}] {
				s.missedItems++
				t.Logf("not extracted: %s in %s (%s)", a, c.ID, c.Victim)
			}
		}
		arts := slices.Clone(c.Articles)
		sort.Slice(arts, func(i, j int) bool { return published[arts[i]].Before(published[arts[j]]) })
		for i := range arts {
			for j := i + 1; j < len(arts); j++ {
				a, b := arts[i], arts[j]
				if b < a {
					a, b = b, a
				}
				if togetherGold[[3]string{c.ID, a, b}] {
					continue
				}
				split := false
				for k := i; k < j; k++ {
					if published[arts[k+1]].Sub(published[arts[k]]) > window {
						split = true
					}
				}
				switch {
				case !found[item{a, c.ID}] || !found[item{b, c.ID}]:
					s.extractionPairs++
				case split:
					s.windowPairs++
				default:
					t.Logf("apart: %s and %s (%s)", a, b, c.ID)
				}
			}
		}
	}
	for _, ns := range gold.NotSame {
		if len(ns) < 2 {
			continue
		}
		for _, cs := range clustersOf {
			if cs[ns[0]] && cs[ns[1]] {
				s.notSameViolations++
				t.Logf("merged although not the same: %s and %s", ns[0], ns[1])
			}
		}
	}
	// Campaigns: pairs of merged incidents (mapped to one gold cluster
	// each) that share a campaign, against pairs of gold clusters of one
	// gold campaign.
	goldCampaign := map[string]string{}
	byCampaign := map[string][]string{}
	for _, c := range gold.Clusters {
		if c.Campaign != "" {
			goldCampaign[c.ID] = c.Campaign
			byCampaign[c.Campaign] = append(byCampaign[c.Campaign], c.ID)
		}
	}
	for _, ids := range byCampaign {
		s.goldCampaignPairs += len(ids) * (len(ids) - 1) / 2
	}
	campaignPairs := map[[2]string]bool{}
	for i := range merged {
		for j := i + 1; j < len(merged); j++ {
			if merged[i].Campaign == "" || merged[i].Campaign != merged[j].Campaign {
				continue
			}
			for a := range clustersOf[i] {
				for b := range clustersOf[j] {
					if a == b {
						continue
					}
					k := [2]string{min(a, b), max(a, b)}
					if campaignPairs[k] {
						continue
					}
					campaignPairs[k] = true
					s.campaignPairs++
					if goldCampaign[a] != "" && goldCampaign[a] == goldCampaign[b] {
						s.campaignTrue++
					}
				}
			}
		}
	}
	return s
}

// describe is a merged incident in one line, for test logs.
func describe(mg *record.Merged) string {
	var arts []string
	for _, s := range mg.Sources {
		arts = append(arts, filepath.Base(s.Input))
	}
	name := "(no victim)"
	if len(mg.Victims) > 0 {
		name = mg.Victims[0].Name
	}
	return name + " [" + strings.Join(arts, ", ") + "]"
}
