package incident

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/rules"

	"github.com/incidex/incidex/extract/nlp"
	"github.com/incidex/incidex/extract/record"
)

func TestCapItemsKeepsTheBestEvidenced(t *testing.T) {
	inc := record.Incident{}
	for i := range 60 {
		ev := []record.Evidence{{Start: i}}
		if i%10 == 3 {
			ev = append(ev, record.Evidence{Start: 1000 + i}) // six tools with more evidence
		}
		inc.Tooling = append(inc.Tooling, record.Tool{Name: "T" + string(rune('A'+i%26)) + strings.Repeat("x", i/26), Evidence: ev})
	}
	capItems(&inc)
	if len(inc.Tooling) != maxItems || inc.Omitted["tooling"] != 10 {
		t.Fatalf("got %d tools, omitted %v; want %d and 10", len(inc.Tooling), inc.Omitted, maxItems)
	}
	strong := 0
	for i, tl := range inc.Tooling {
		if len(tl.Evidence) == 2 {
			strong++
		}
		if i > 0 && tl.Evidence[0].Start < inc.Tooling[i-1].Evidence[0].Start {
			t.Errorf("the kept tools are not in their list's order at %d", i)
		}
	}
	if strong != 6 {
		t.Errorf("kept %d of the 6 tools with more evidence", strong)
	}
	if _, ok := inc.Omitted["victims"]; ok {
		t.Errorf("an uncut list is reported: %v", inc.Omitted)
	}
}

func TestLimitKeepsTheMostConfident(t *testing.T) {
	var incs []record.Incident
	for i := range MaxIncidents + 5 {
		conf := 0.5
		if i < 5 {
			conf = 0.1 // the five weakest come first
		}
		incs = append(incs, record.Incident{ID: string(rune('a' + i%26)), Confidence: conf})
	}
	got, omitted := Limit(incs)
	if len(got) != MaxIncidents || omitted != 5 {
		t.Fatalf("got %d incidents, %d omitted", len(got), omitted)
	}
	for _, inc := range got {
		if inc.Confidence < 0.5 {
			t.Fatal("a weak incident was kept over a stronger one")
		}
	}
}

func TestEvidenceTextIsCut(t *testing.T) {
	long := strings.Repeat("é", 800) // 1600 bytes
	tx := &text{sents: nil}
	tx.sents = append(tx.sents, sentenceOf(long))
	ev := tx.evidence(0, "r")
	if len(ev.Text) > maxEvidenceText+len("…") || !strings.HasSuffix(ev.Text, "…") || !strings.HasPrefix(ev.Text, "éé") {
		t.Errorf("got %d bytes ending %q", len(ev.Text), ev.Text[len(ev.Text)-8:])
	}
	if ev.End-ev.Start != len(long) {
		t.Errorf("the offsets no longer span the sentence: %d to %d", ev.Start, ev.End)
	}
}

func sentenceOf(s string) nlp.Sentence { return nlp.Sentence{Text: s, Start: 0, End: len(s)} }

// An abandoned Find stops at its next check and says so.
func TestFindContextStops(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := New(set)
	var paras []string
	for i := range 2000 {
		paras = append(paras, fmt.Sprintf("Kor%d Vanta Systems was hit by ransomware, and Kor%d said data was stolen.", i, i))
	}
	a := &article.Article{Input: "x", Title: "Ransomware hits firms", Paragraphs: paras, Text: strings.Join(paras, "\n\n")}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.FindContext(ctx, a); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want the cancellation", err)
	}
	if got, err := f.FindContext(context.Background(), a); err != nil || len(got.Incidents) == 0 {
		t.Errorf("uncancelled: %d incidents, %v", len(got.Incidents), err)
	}
}
