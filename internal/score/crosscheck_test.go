package score

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// The cross-check tests run the Python scorer next to this package on the
// same files and require identical output. They skip when python3 or the
// shared folder (../shared beside the repository) is missing.

func sharedPath(elem ...string) string {
	return filepath.Join(append([]string{"..", "..", "..", "shared"}, elem...)...)
}

type pythonScorer struct {
	python, script string
	version        string // major.minor
}

func findPythonScorer(t *testing.T) pythonScorer {
	t.Helper()
	script := sharedPath("tools", "incident-score")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("python scorer not available: %v", err)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("python3 not available: %v", err)
	}
	// Resolve version managers' shims (pyenv's costs most of a second per
	// run) to the interpreter itself.
	out, err := exec.Command(python, "-c", "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])").Output()
	if err != nil {
		t.Skipf("python3 does not run: %v", err)
	}
	exe, version, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if exe != "" {
		python = exe
	}
	return pythonScorer{python: python, script: script, version: version}
}

// run runs the script; crashed reports a non-zero exit (a traceback).
func (p pythonScorer) run(t *testing.T, gold, pred string, flags ...string) (stdout, stderr string, crashed bool) {
	t.Helper()
	cmd := exec.Command(p.python, append([]string{p.script, gold, sharedPath("corpus", "pages"), pred}, flags...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), true
	}
	if err != nil {
		t.Fatalf("run python scorer: %v", err)
	}
	return out.String(), errOut.String(), false
}

// crossCheck scores pred against gold with both scorers and compares every
// figure, the --json line, the text report and the --verbose details.
func crossCheck(t *testing.T, py pythonScorer, goldPath, predPath string) {
	t.Helper()
	pyJSON, pyDetails, crashed := py.run(t, goldPath, predPath, "--json", "--verbose")
	pyText, _, _ := py.run(t, goldPath, predPath)

	res, goErr := goScore(goldPath, predPath)
	if crashed {
		if goErr == nil {
			t.Fatalf("python scorer failed but Go accepted the input; python said:\n%s", pyDetails)
		}
		t.Logf("both reject the input; Go: %v", goErr)
		return
	}
	if goErr != nil {
		t.Fatalf("Go rejected input that python scored: %v", goErr)
	}
	t.Logf("python: %s", strings.TrimSpace(pyJSON))

	var pyRes, goRes map[string]any
	if err := json.Unmarshal([]byte(pyJSON), &pyRes); err != nil {
		t.Fatalf("parse python output %q: %v", pyJSON, err)
	}
	roundTrip, err := json.Marshal(res.JSON())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(roundTrip, &goRes); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for k := range pyRes {
		keys[k] = true
	}
	for k := range goRes {
		keys[k] = true
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		if !reflect.DeepEqual(pyRes[k], goRes[k]) {
			t.Errorf("%s: go %v, python %v", k, goRes[k], pyRes[k])
		}
	}
	var b strings.Builder
	res.WriteJSON(&b)
	if b.String() != pyJSON {
		t.Errorf("WriteJSON:\n%s\npython:\n%s", b.String(), pyJSON)
	}
	b.Reset()
	res.WriteText(&b)
	if b.String() != pyText {
		t.Errorf("WriteText:\n%s\npython:\n%s", b.String(), pyText)
	}
	b.Reset()
	res.WriteDetails(&b)
	if b.String() != pyDetails {
		t.Errorf("details differ:\n%s", lineDiff(b.String(), pyDetails))
	}
}

func goScore(goldPath, predPath string) (Result, error) {
	gf, err := os.Open(goldPath)
	if err != nil {
		return Result{}, err
	}
	defer gf.Close()
	gold, err := ReadGold(gf)
	if err != nil {
		return Result{}, fileError(goldPath, err)
	}
	pf, err := os.Open(predPath)
	if err != nil {
		return Result{}, err
	}
	defer pf.Close()
	preds, bad, err := ReadPredictions(pf)
	if err != nil {
		return Result{}, fileError(predPath, err)
	}
	res := Score(gold, preds)
	res.BadLines = bad
	return res, nil
}

// fileError formats a line error the way callers are expected to.
func fileError(path string, err error) error {
	var le *LineError
	if errors.As(err, &le) {
		return fmt.Errorf("%s:%d: %w", path, le.Line, le.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d:\n  go:     %q\n  python: %q\n", i+1, gl, wl)
		}
	}
	return b.String()
}

func loadCorpusGold(t *testing.T) (string, []Gold) {
	t.Helper()
	path := sharedPath("corpus", "gold.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	gold, err := ReadGold(f)
	if err != nil {
		t.Fatal(err)
	}
	return path, gold
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func jsonLine(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func first(s string) string { return strings.Split(s, "|")[0] }

// perfectPreds predicts every gold incident back, each entity by its first
// spelling; with aliases, the other spellings ride along as aliases.
func perfectPreds(t *testing.T, gold []Gold, aliases bool) []byte {
	var lines []string
	for _, g := range gold {
		var incs []any
		for _, inc := range g.Incidents {
			items := func(ents []string) []any {
				out := []any{}
				for _, e := range ents {
					parts := strings.Split(e, "|")
					it := map[string]any{"name": parts[0]}
					if aliases {
						it["aliases"] = parts[1:]
					}
					out = append(out, it)
				}
				return out
			}
			var impacts []any
			for _, k := range inc.Impacts {
				impacts = append(impacts, map[string]any{"kind": k})
			}
			status := inc.Status
			if status == "" {
				status = "confirmed"
			}
			incs = append(incs, map[string]any{
				"status": status, "victims": items(inc.Victims), "actors": items(inc.Actors),
				"tooling": items(inc.Tooling), "impacts": impacts,
			})
		}
		lines = append(lines, jsonLine(t, map[string]any{"input": "pages/" + g.Page, "incidents": incs}))
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// noisyPreds starts from the perfect predictions and breaks them in
// page-dependent ways: missing and extra items, string items, wrong
// statuses and impacts, a stale duplicate, garbage lines, a missing page.
func noisyPreds(t *testing.T, gold []Gold) []byte {
	var lines []string
	for i, g := range gold {
		if i == 5 {
			continue // no output for this page
		}
		var incs []any
		for j, inc := range g.Incidents {
			var victims, actors, tooling []any
			for k, e := range inc.Victims {
				if i%3 == 0 && k == len(inc.Victims)-1 {
					continue
				}
				victims = append(victims, map[string]any{"name": first(e), "aliases": []string{"Example Holdings"}})
			}
			for _, e := range inc.Actors {
				if i%2 == 1 {
					actors = append(actors, strings.ToUpper(first(e))) // a string item
				} else {
					actors = append(actors, map[string]any{"name": "The " + first(e) + " group"})
				}
			}
			for k, e := range inc.Tooling {
				if k == 0 && i%4 == 1 {
					continue
				}
				tooling = append(tooling, first(e)+" malware")
			}
			if i%2 == 0 {
				tooling = append(tooling, "Cobalt Strike", map[string]any{"name": "hackers"})
				victims = append(victims, "Acme Corp")
			}
			impacts := []any{"integrity"}
			for k, imp := range inc.Impacts {
				if i%5 == 0 && k == 0 {
					continue
				}
				impacts = append(impacts, map[string]any{"kind": imp})
			}
			status := []any{"confirmed", "attempted", nil, "Confirmed"}[(i+j)%4]
			incs = append(incs, map[string]any{
				"status": status, "victims": victims, "actors": actors, "tooling": tooling, "impacts": impacts,
			})
		}
		if len(g.Incidents) == 0 {
			incs = append(incs, map[string]any{"victims": []string{"Conference Attendees"}, "status": "confirmed"})
		}
		if i == 2 {
			// A stale record for the same page, replaced by the next line.
			lines = append(lines, jsonLine(t, map[string]any{"input": g.Page, "incidents": []any{}}))
		}
		lines = append(lines, jsonLine(t, map[string]any{"input": "/abs/pages/" + g.Page, "incidents": incs}))
		if i%6 == 0 {
			lines = append(lines, `{"input": "broken.html", "incidents": [`)
		}
	}
	lines = append(lines, jsonLine(t, map[string]any{"input": "not-in-gold.html", "incidents": []any{map[string]any{"victims": []string{"X"}}}}))
	return []byte(strings.Join(lines, "\n") + "\n")
}

// shapesPreds holds hand-written lines in the odd shapes the script
// tolerates. pages are corpus page names.
func shapesPreds(pages []string) []byte {
	p := func(i int) string { return pages[i%len(pages)] }
	lines := []string{
		"\ufeff" + `{"input": "` + p(0) + `", "incidents": []}`, // a BOM makes the first line bad
		`{"input": "` + p(0) + `", "incidents": [{"victims": "NHS", "actors": {"Lazarus": 1, "Hidden Cobra": 2}, "tooling": [{"name": 5, "aliases": ["WannaCry"]}, {"aliases": "EB"}], "impacts": "availability", "status": 1}]}`,
		`{"source": {"path": "", "input": 0, "url": "https://news.example/` + p(1) + `"}, "incidents": [{"victims": [{"aliases": ["Equifax"]}, "Equifax Inc."], "tooling": ["Apache Struts", "CVE-2017-5638"], "impacts": [{"kind": "confidentiality"}, {"kind": 3}, {}, null, ["financial"]], "status": "confirmed", "x": NaN, "y": -Infinity, "z": 1e400}]}`,
		"\x0c\u00a0" + `{"path": "dir/` + p(2) + `", "incidents": [{"victims": ["Telefónica", "İ` + "\xff\xfe" + `X", "a` + "\xe2\x82" + `b"], "actors": null, "tooling": 0, "impacts": false}]}` + "\x1c",
		`{"input": "dir/", "source": "` + p(3) + `", "incidents": [{"victims": ["should be ignored"]}]}`,
		`{"url": "https://news.example/` + p(4) + `?utm=1", "incidents": [{"victims": ["ignored: the key has a query"]}]}`,
		`{"file": "` + p(5) + `", "incidents": {}}`,
		`{"input": "` + p(6) + `", "incidents": ""}`,
		`{"input": "` + p(7) + `", "incidents": [{"victims": [{"name": null}]}]}`, // replaced below
		`{"input": "` + p(7) + `", "incidents": [{"victims": [{"name": ""}, {"name": "", "aliases": ["z"]}], "actors": [""], "status": "attempted"}]}`,
		`{"input": "` + p(8) + `", "incidents": [{"victims": [{"name": "A", "aliases": ["B"]}, {"name": "b"}, {"name": "C", "aliases": ["a"]}]}], "incidents": [{"actors": ["Q"]}]}`,
		`{"input": 5, "incidents": [{"victims": [1]}]}`,
		`{"input": "` + p(9) + `", "incidents": [{"victims": ["x\ud800y", "\ud83d\ude00Z"], "actors": ["\u0041lpha\u00c0"]}]}`,
		`{`, `[1,]`, `{"a": 1,}`, `{"a": 01}`, `{"a": 1.}`, `{"a": "unterminated}`, "{\"a\": \"tab\tin string\"}",
		`{"a": 1e}`, `{"a": -}`, `{"a": nul}`, `{"a": "\x"}`, `{"a": "\u12"}`, `{"a": 1} x`, `{"a": 1}{"b": 2}`,
		"   ", "\u2028", "\x85",
	}
	var b strings.Builder
	seps := []string{"\n", "\r\n", "\r"}
	for i, l := range lines {
		b.WriteString(l + seps[i%len(seps)])
	}
	return []byte(b.String())
}

// randomPreds makes a prediction file from gold spellings, their variants
// and distractors.
func randomPreds(t *testing.T, rng *rand.Rand, gold []Gold) []byte {
	distractors := []string{"hackers", "Microsoft", "North Korea", "Acme Corp", "LockBit", "Telefónica", "İnternet Group",
		"AT&T", "Ca$h App", "", "the", "Group", "ransomware", "NHS", "Lazarus", "the National Health Service trusts"}
	var global []string
	pageVocab := make([][]string, len(gold))
	for i, g := range gold {
		var ents []string
		for _, inc := range g.Incidents {
			ents = append(ents, inc.Victims...)
			ents = append(ents, inc.Actors...)
			ents = append(ents, inc.Tooling...)
		}
		ents = append(ents, g.Optional.Victims...)
		ents = append(ents, g.Optional.Actors...)
		ents = append(ents, g.Optional.Tooling...)
		for _, e := range ents {
			pageVocab[i] = append(pageVocab[i], strings.Split(e, "|")...)
		}
		global = append(global, pageVocab[i]...)
	}
	variant := func(s string) string {
		switch rng.IntN(10) {
		case 0:
			return strings.ToUpper(s)
		case 1:
			return "The " + s
		case 2:
			return s + " Inc."
		case 3:
			return s + " ransomware group"
		case 4:
			return strings.Fields(s + " x")[0]
		case 5:
			return s + " operation"
		case 6:
			return strings.ReplaceAll(s, " ", "-")
		case 7:
			return "new " + s + " attack"
		}
		return s
	}
	pick := func(page int) string {
		switch r := rng.IntN(10); {
		case r < 6 && len(pageVocab[page]) > 0:
			return variant(pageVocab[page][rng.IntN(len(pageVocab[page]))])
		case r < 8:
			return variant(global[rng.IntN(len(global))])
		}
		return distractors[rng.IntN(len(distractors))]
	}
	items := func(page int) []any {
		out := []any{}
		for range rng.IntN(5) {
			if rng.IntN(3) == 0 {
				out = append(out, pick(page))
				continue
			}
			it := map[string]any{"name": pick(page)}
			if rng.IntN(3) == 0 {
				it["aliases"] = []string{pick(page), pick(page)}
			}
			out = append(out, it)
		}
		return out
	}
	kinds := []string{"availability", "confidentiality", "integrity", "financial", "bogus"}
	record := func(page int) string {
		var incs []any
		for range rng.IntN(4) {
			var impacts []any
			for _, k := range kinds {
				if rng.IntN(3) == 0 {
					if rng.IntN(2) == 0 {
						impacts = append(impacts, k)
					} else {
						impacts = append(impacts, map[string]any{"kind": k})
					}
				}
			}
			inc := map[string]any{"victims": items(page), "actors": items(page), "tooling": items(page), "impacts": impacts}
			if s := []any{"confirmed", "attempted", "Confirmed", nil, "confirmed"}[rng.IntN(5)]; s != nil {
				inc["status"] = s
			}
			incs = append(incs, inc)
		}
		name := gold[page].Page
		key := []any{name, "pages/" + name, "/tmp/x/" + name, map[string]any{"path": "corpus/" + name}}[rng.IntN(4)]
		return jsonLine(t, map[string]any{[]string{"input", "source", "path"}[rng.IntN(3)]: key, "incidents": incs})
	}
	var lines []string
	for i := range gold {
		if rng.IntN(10) == 0 {
			continue
		}
		if rng.IntN(10) == 0 {
			lines = append(lines, record(i)) // stale duplicate
		}
		lines = append(lines, record(i))
		if rng.IntN(15) == 0 {
			lines = append(lines, "{oops")
		}
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

func TestCrossCheckCorpus(t *testing.T) {
	py := findPythonScorer(t)
	goldPath, gold := loadCorpusGold(t)
	var pages []string
	for _, g := range gold {
		pages = append(pages, g.Page)
	}
	cases := map[string][]byte{
		"perfect":              perfectPreds(t, gold, false),
		"perfect with aliases": perfectPreds(t, gold, true),
		"empty":                nil,
		"noisy":                noisyPreds(t, gold),
		"odd shapes":           shapesPreds(pages),
		"record not an object": []byte("{\"input\": \"" + pages[0] + "\"}\n[1]\n"),
		"nameless item":        []byte(`{"input": "` + pages[0] + `", "incidents": [{"tooling": [{"name": null}]}]}` + "\n"),
		"incidents a string":   []byte(`{"input": "` + pages[1] + `", "incidents": "x"}` + "\n"),
	}
	for seed := range 16 {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		cases[fmt.Sprintf("random %02d", seed)] = randomPreds(t, rng, gold)
	}
	if py.version == "3.11" {
		deep := func(depth int) string { return strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) }
		cases["python 3.11 limits"] = []byte(strings.Join([]string{
			`{"input": "` + pages[0] + `", "z": ` + deep(predMaxDepth) + `, "incidents": [{"victims": ["NHS"]}]}`,
			`{"input": "` + pages[1] + `", "z": ` + deep(predMaxDepth+1) + `, "incidents": [{"victims": ["Equifax"]}]}`,
			`{"input": "` + pages[2] + `", "z": -` + strings.Repeat("7", maxIntDigits) + `, "incidents": [{"victims": ["X"]}]}`,
			`{"input": "` + pages[3] + `", "z": ` + strings.Repeat("7", maxIntDigits+1) + `, "incidents": [{"victims": ["X"]}]}`,
			`{"input": "` + pages[4] + `", "z": 1` + strings.Repeat("0", maxIntDigits) + `.5, "incidents": [{"victims": ["X"]}]}`,
		}, "\n") + "\n")
	}
	dir := t.TempDir()
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		pred := writeFile(t, dir, fmt.Sprintf("pred-%02d.jsonl", i), cases[name])
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			crossCheck(t, py, goldPath, pred)
		})
	}
}

func TestCrossCheckSyntheticGold(t *testing.T) {
	py := findPythonScorer(t)
	tie := func(n int, prefix string) []string { // n names that match nothing
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s %c%c", prefix, 'a'+i/26, 'a'+i%26))
		}
		return out
	}
	type goldCase struct{ name, gold, pred string }
	cases := []goldCase{
		{"precision ties round to even",
			`{"page": "t.html", "incidents": [{"victims": ["Acme"], "actors": ["Alpha", "Bravo", "Charlie"], "status": "confirmed"}]}`,
			jsonLine(t, map[string]any{"input": "t.html", "incidents": []any{map[string]any{
				"victims": append(tie(15, "noise"), "ACME"),
				"actors":  append(tie(13, "other"), "alpha", "bravo", "charlie"),
			}}})},
		{"unicode and suffixes",
			`{"page": "u.html", "incidents": [{"victims": ["Telefónica|Telefonica", "İstanbul Havalimanı", "AT&T Inc.", "Ca$h App"], "actors": ["\u212Aimsuky Group"], "tooling": ["Mimikatz"], "impacts": ["availability", "availability"]}]}`,
			`{"input": "u.html", "incidents": [{"victims": ["telef nica", "I stanbul", "i stanbul havalimani", "AT and T", "cash app ltd"], "actors": ["kimsuky"], "tooling": [{"name": "mimikatz malware backdoor"}], "impacts": ["availability"], "status": "confirmed"}]}`},
		{"lenient gold shapes",
			`{"page": "v.html", "incidents": [{"victims": {"Acme": 1, "Beta": 2}, "actors": "AB"}], "optional": null, "extra": NaN}` + "\r" +
				`{"page": "w.html", "incidents": ""}` + "\r\n" + "\x0c\n" +
				`{"page": "x.html", "incidents": {}, "optional": {}, "notes": 5, "published": null}`,
			`{"input": "v.html", "incidents": [{"victims": ["acme"], "actors": ["a", "b", "c"]}]}` + "\n" + `{"input": "x.html", "incidents": [{}]}`},
		{"gold missing page", `{"incidents": []}`, ``},
		{"gold null list", `{"page": "y.html", "incidents": [{"victims": null}]}`, ``},
		{"gold null incidents", `{"page": "y.html", "incidents": null}`, ``},
		{"gold not an object", `["y.html"]`, ``},
		{"gold syntax", `{"page": "y.html", "incidents": []`, ``},
	}
	if py.version == "3.11" {
		deep := func(depth int) string { return strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) }
		cases = append(cases,
			goldCase{"python 3.11 gold depth limit",
				`{"page": "d.html", "incidents": [], "z": ` + deep(goldMaxDepth) + `}`, ``},
			goldCase{"python 3.11 gold too deep",
				`{"page": "d.html", "incidents": [], "z": ` + deep(goldMaxDepth+1) + `}`, ``},
		)
	}
	dir := t.TempDir()
	for i, tt := range cases {
		gold := writeFile(t, dir, fmt.Sprintf("gold-%02d.jsonl", i), []byte(tt.gold+"\n"))
		pred := writeFile(t, dir, fmt.Sprintf("pred-%02d.jsonl", i), []byte(tt.pred+"\n"))
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			crossCheck(t, py, gold, pred)
		})
	}
}

// TestNormMatchesPython compares norm with the script's norm on corpus
// names and odd strings, on every single code point, and match on pairs of
// names.
func TestNormMatchesPython(t *testing.T) {
	py := findPythonScorer(t)
	_, gold := loadCorpusGold(t)
	strs := []string{"", " ", "the", "The The Group", "AT&T", "Ca$h", "İstanbul", "\u212Aelvin", "x\u00a0y", "ﬁle", "ẞtraße",
		"Conti Ransomware Gang Group", "Acme Inc. Ltd", "LLC", "a llc", "the llc", "REvil/Sodinokibi", "Ω-Group", "ǅemal",
		"Σίσυφος", "x\u0130y", "İİ", "\U0001F600 emoji gang", "tab\there", "under_score", "dot.com", "GROUP group"}
	for _, g := range gold {
		for _, inc := range g.Incidents {
			for _, list := range [][]string{inc.Victims, inc.Actors, inc.Tooling} {
				for _, e := range list {
					strs = append(strs, strings.Split(e, "|")...)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var pairs [][2][]string
	for range 3000 {
		names := []string{norm(strs[rng.IntN(len(strs))]), norm(strs[rng.IntN(len(strs))] + " " + strs[rng.IntN(len(strs))])}
		alts := []string{norm(strs[rng.IntN(len(strs))])}
		if rng.IntN(2) == 0 {
			alts = append(alts, norm(strs[rng.IntN(len(strs))]+" operation"))
		}
		pairs = append(pairs, [2][]string{names, alts})
	}
	req, err := json.Marshal(map[string]any{"norm": strs, "match": pairs, "chars": !testing.Short()})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py.python, filepath.Join("testdata", "pyfuncs.py"), py.script)
	cmd.Stdin = bytes.NewReader(req)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run pyfuncs.py: %v", err)
	}
	var ans struct {
		Norm  []string
		Match []bool
		Chars [][2]any
	}
	if err := json.Unmarshal(out, &ans); err != nil {
		t.Fatal(err)
	}
	for i, s := range strs {
		if got := norm(s); got != ans.Norm[i] {
			t.Errorf("norm(%q) = %q, python %q", s, got, ans.Norm[i])
		}
	}
	for i, p := range pairs {
		if got := match(p[0], p[1]); got != ans.Match[i] {
			t.Errorf("match(%q, %q) = %v, python %v", p[0], p[1], got, ans.Match[i])
		}
	}
	if testing.Short() {
		return // the single-character sweep takes python seconds
	}
	var goChars [][2]any
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue
		}
		if n := norm("x" + string(r) + "y"); n != "x y" {
			goChars = append(goChars, [2]any{float64(r), n})
		}
	}
	if !reflect.DeepEqual(goChars, ans.Chars) {
		t.Errorf("single characters: go %v\npython %v", goChars, ans.Chars)
	}
}
