package score_test

import (
	"os"
	"strings"

	"github.com/incidex/incidex/internal/score"
)

func Example() {
	gold, err := score.ReadGold(strings.NewReader(
		`{"page": "acme.html", "incidents": [{"victims": ["Acme Water|Acme"], "actors": ["LockBit"], "tooling": ["LockBit", "phishing"], "impacts": ["availability"], "status": "confirmed"}]}`))
	if err != nil {
		panic(err)
	}
	preds, bad, err := score.ReadPredictions(strings.NewReader(
		`{"input": "pages/acme.html", "incidents": [{"status": "confirmed", "victims": [{"name": "Acme Water Inc.", "aliases": []}], "actors": ["LockBit ransomware group"], "tooling": [{"name": "LockBit 3.0"}], "impacts": [{"kind": "availability"}]}]}`))
	if err != nil {
		panic(err)
	}
	res := score.Score(gold, preds)
	res.BadLines = bad
	res.WriteText(os.Stdout)
	res.WriteDetails(os.Stdout)
	// Output:
	// victims   P=1.000 R=1.000 F1=1.000  (tp=1 fp=0 fn=0)
	// actors    P=1.000 R=1.000 F1=1.000  (tp=1 fp=0 fn=0)
	// tooling   P=1.000 R=0.500 F1=0.667  (tp=1 fp=0 fn=1)
	// impacts   P=1.000 R=1.000 F1=1.000  (tp=1 fp=0 fn=0)
	// linkage=1.0 status=1.0 nonincident_clean=0/0 missing_pages=0 bad_lines=0
	// macro_f1=0.889
	//   acme.html: missed tool 'phishing'
}
