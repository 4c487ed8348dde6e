package merge

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/incidex/incidex/extract/record"
)

// synth makes made-up extract records for scale and equivalence tests:
// a pool of victims (about one per ten records) reported in several forms
// (legal forms, acronyms, possessives), gangs, flaws and evidence
// sentences of news length, over three years.
type synth struct {
	rng     *rand.Rand
	victims []synthVictim
	gangs   []string
	start   time.Time
}

type synthVictim struct {
	name, acronym string
	sector        string
}

var (
	synthSyllables = []string{"al", "bar", "cor", "den", "el", "fen", "gar", "hol", "is", "jor", "kel", "lor", "mar", "nor", "or", "pel", "quin", "ros", "sal", "tor", "ul", "ver", "wyn", "yar", "zen"}
	synthKinds     = []string{"Logistics", "Foods", "Building Society", "Insurance", "Water", "Hotels", "Pharmacy", "Council", "University", "Bank", "Motors", "Media"}
	synthForms     = []string{"", " plc", " Ltd", " Group", " Inc."}
	synthSectors   = []string{"retail", "finance", "healthcare", "government", "education", "logistics", "utilities"}
)

func newSynth(records int, seed uint64) *synth {
	s := &synth{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), start: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)}
	for range max(1, records/10) {
		first := s.word(2 + s.rng.IntN(2))
		second := s.word(2)
		kind := synthKinds[s.rng.IntN(len(synthKinds))]
		v := synthVictim{name: first + " " + second + " " + kind, sector: synthSectors[s.rng.IntN(len(synthSectors))]}
		v.acronym = strings.ToUpper(first[:1] + second[:1] + kind[:1])
		s.victims = append(s.victims, v)
	}
	for range 300 {
		s.gangs = append(s.gangs, s.word(2)+" "+s.word(2))
	}
	return s
}

func (s *synth) word(syllables int) string {
	var b strings.Builder
	for range syllables {
		b.WriteString(synthSyllables[s.rng.IntN(len(synthSyllables))])
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

// sentence is an evidence sentence about subject, of news length.
func (s *synth) sentence(rule, subject string) []record.Evidence {
	text := fmt.Sprintf("%s said on %s that it was investigating a cyber incident that had disrupted some of its systems and that it had informed the relevant authorities.", subject, s.start.AddDate(0, 0, s.rng.IntN(1000)).Format("Monday"))
	start := s.rng.IntN(5000)
	return []record.Evidence{{Rule: rule, Text: text, Start: start, End: start + len(text)}}
}

// record makes the n-th record.
func (s *synth) record(n int) *record.Result {
	v := s.victims[s.rng.IntN(len(s.victims))]
	name := v.name + synthForms[s.rng.IntN(len(synthForms))]
	switch s.rng.IntN(8) {
	case 0:
		name = v.acronym
	case 1:
		name = v.name + "'s"
	}
	var aliases []string
	if s.rng.IntN(4) == 0 {
		aliases = append(aliases, v.acronym)
	}
	// Reports of a victim cluster in time: most victims are attacked once
	// or twice in three years.
	day := s.rng.IntN(1100)
	published := s.start.AddDate(0, 0, day).Add(time.Duration(s.rng.IntN(86400)) * time.Second)
	inc := record.Incident{
		ID: fmt.Sprintf("%012x", s.rng.Uint64()&0xffffffffffff), Status: "confirmed", Confidence: 0.5 + s.rng.Float64()/2,
		Victims: []record.Victim{{Name: name, Aliases: aliases, Sector: v.sector, Country: "GB", Confidence: 0.9,
			Cues: []string{"headline"}, Evidence: s.sentence("victim.hit", name)}},
		Actors: []record.Actor{}, Tooling: []record.Tool{}, Impacts: []record.Impact{}, Responders: []record.Responder{}, Indicators: []record.Indicator{},
	}
	if s.rng.IntN(10) == 0 {
		inc.Status = "attempted"
	}
	if s.rng.IntN(2) == 0 {
		g := s.gangs[s.rng.IntN(len(s.gangs))]
		att := []string{"claimed", "suspected", "suspected", "attributed"}[s.rng.IntN(4)]
		inc.Actors = append(inc.Actors, record.Actor{Name: g, Aliases: []string{}, Kind: "group", Attribution: att, Confidence: 0.7,
			Cues: []string{"claim"}, Evidence: s.sentence("actor.claim", g)})
	}
	if s.rng.IntN(5) == 0 {
		cve := fmt.Sprintf("CVE-2024-%05d", s.rng.IntN(40))
		inc.Tooling = append(inc.Tooling, record.Tool{Name: cve, Kind: "vulnerability", Evidence: s.sentence("cve", cve)})
	}
	if s.rng.IntN(2) == 0 {
		inc.Impacts = append(inc.Impacts, record.Impact{Kind: "confidentiality", Summary: "customer data stolen",
			Quantity: &record.Quantity{Value: float64(1000 * (1 + s.rng.IntN(500))), Unit: "customers"}, Evidence: s.sentence("impact.data", name)})
	}
	if s.rng.IntN(10) == 0 {
		// A second victim of the same attack.
		w := s.victims[s.rng.IntN(len(s.victims))]
		inc.Victims = append(inc.Victims, record.Victim{Name: w.name, Aliases: []string{}, Confidence: 0.6, Cues: []string{}, Evidence: s.sentence("victim.list", w.name)})
	}
	site := []string{"Albion Post", "Courier", "Wire", "Trade Weekly"}[s.rng.IntN(4)]
	slug := strings.ToLower(strings.ReplaceAll(v.name, " ", "-"))
	return &record.Result{
		Schema: record.SchemaVersion, Input: fmt.Sprintf("https://news%d.example/%s-%d", n%7, slug, n),
		URL: fmt.Sprintf("https://news%d.example/%s-%d", n%7, slug, n), Title: name + " hit by cyber attack",
		Site: site, Published: published.Format(time.RFC3339), Incidents: []record.Incident{inc},
	}
}

// synthRecords makes n records.
func synthRecords(n int, seed uint64) []*record.Result {
	s := newSynth(n, seed)
	out := make([]*record.Result, n)
	for i := range out {
		out[i] = s.record(i)
	}
	return out
}

// writeSynth writes n records as JSONL to w without holding them.
func writeSynth(w io.Writer, n int, seed uint64) error {
	s := newSynth(n, seed)
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range n {
		if err := enc.Encode(s.record(i)); err != nil {
			return err
		}
	}
	return bw.Flush()
}
