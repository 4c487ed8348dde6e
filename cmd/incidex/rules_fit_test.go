package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/fit"
)

func TestRulesFitUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no gold", []string{"rules", "fit", "-o", "x.yaml"}, "--gold is required"},
		{"pages missing", []string{"rules", "fit", "--gold", "g.jsonl", "-o", "x.yaml"}, "give one --pages folder for each --gold file (1 --gold, 0 --pages)"},
		{"no output", []string{"rules", "fit", "--gold", "g.jsonl", "--pages", "p"}, "-o is required"},
		{"argument", []string{"rules", "fit", "page.html"}, `unexpected argument "page.html"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: tt.args})
			if res.code != exitUsage || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", res.code, res.stderr, exitUsage, tt.want)
			}
		})
	}
}

func TestRulesFitMissingGold(t *testing.T) {
	res := runCLI(t, cliRun{args: []string{"rules", "fit", "--gold", "nowhere.jsonl", "--pages", ".", "-o", filepath.Join(t.TempDir(), "x.yaml")}})
	if res.code != exitError || !strings.Contains(res.stderr, "nowhere.jsonl") {
		t.Errorf("exit %d, stderr %q; want exit %d naming the gold file", res.code, res.stderr, exitError)
	}
}

// TestRulesFitWritesALoadablePack fits on the labelled pages of
// testdata/train twice: the same file both times, holding both models, and
// a pack the loader accepts.
func TestRulesFitWritesALoadablePack(t *testing.T) {
	if testing.Short() {
		t.Skip("fits on 36 pages")
	}
	dir := t.TempDir()
	var outs []string
	for i := range 2 {
		out := filepath.Join(dir, []string{"a.yaml", "b.yaml"}[i])
		res := runCLI(t, cliRun{args: []string{"rules", "fit", "--gold", "../../testdata/train/set1/gold.jsonl", "--pages", "../../testdata/train/set1/pages", "-o", out, "-j", "2"}})
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		if !strings.Contains(res.stderr, "victim model: 36 pages") || !strings.Contains(res.stderr, "actor model: 36 pages") {
			t.Errorf("stderr %q, want a report line per model", res.stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(data))
	}
	if outs[0] != strings.Replace(outs[1], "b.yaml", "a.yaml", 1) {
		t.Errorf("two fits on the same pages differ:\n%s\n---\n%s", outs[0], outs[1])
	}
	pack, err := rules.ParseFile("a.yaml", []byte(outs[0]))
	if err != nil {
		t.Fatalf("the fitted pack does not load: %v", err)
	}
	set := rules.NewSet(pack)
	for _, role := range []string{"victim", "actor"} {
		if m := set.Model(role); m == nil || len(m.Weights) != len(rules.ScoringRoles[role]) {
			t.Errorf("%s model = %+v, want a weight per feature", role, m)
		}
	}
}

// TestDefaultScoringIsFitted refits the default models with the command in
// the header of rules/default/scoring.yaml and fails when the result
// differs: features or rules changed and the shipped weights are stale.
// It needs ../shared/corpus and skips without it.
func TestDefaultScoringIsFitted(t *testing.T) {
	if testing.Short() {
		t.Skip("fits on 175 pages, twice")
	}
	if _, err := os.Stat("../../../shared/corpus/gold.jsonl"); err != nil {
		t.Skip("../shared/corpus is not there")
	}
	shipped, err := os.ReadFile("../../rules/default/scoring.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(shipped), "\n") {
		if cmd, ok := strings.CutPrefix(line, "#   incidex "); ok {
			args = strings.Fields(cmd)
			break
		}
	}
	if len(args) < 2 || args[0] != "rules" || args[1] != "fit" {
		t.Fatalf("no 'incidex rules fit' command in the header of rules/default/scoring.yaml")
	}
	out := filepath.Join(t.TempDir(), "scoring.yaml")
	for i, a := range args {
		if a == "rules/default/scoring.yaml" {
			args[i] = out
		}
	}
	t.Chdir("../..") // the command's paths are the repository's
	res := runCLI(t, cliRun{args: args})
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(string(shipped), "-o rules/default/scoring.yaml", "-o "+out, 1); string(got) != want {
		t.Errorf("rules/default/scoring.yaml is stale: refit with the command in its header.\ngot:\n%s\nshipped:\n%s", got, shipped)
	}
}

func TestRulesFitSomePagesMissing(t *testing.T) {
	dir := t.TempDir()
	first, err := os.ReadFile("../../testdata/train/set1/gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.SplitN(string(first), "\n", 2)[0]
	gold := writeFile(t, dir, "gold.jsonl", line+"\n"+`{"page": "missing.html", "incidents": []}`+"\n")
	out := filepath.Join(dir, "x.yaml")
	res := runCLI(t, cliRun{args: []string{"rules", "fit", "--gold", gold, "--pages", "../../testdata/train/set1/pages", "-o", out}})
	if res.code != exitPartial || !strings.Contains(res.stderr, "missing.html") {
		t.Errorf("exit %d, stderr %q; want %d naming the missing page", res.code, res.stderr, exitPartial)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the pack was not written from the page that could be read: %v", err)
	}
}

// TestFitHeaderQuotesPaths writes the header of a fitted pack for paths
// that hold line breaks and YAML: the pack holds no rule they bring in,
// and the command stays on its one comment line.
func TestFitHeaderQuotesPaths(t *testing.T) {
	opts := &RulesFitOptions{
		Gold:  []string{"gold.jsonl\nactors:\n  - {id: injected, name: Microsoft, kind: group}\n#"},
		Pages: []string{"pages"},
		Out:   "scoring.yaml\u2028tooling: [{id: injected, name: Microsoft, kind: malware}]",
	}
	header := fitHeader(opts, fit.Report{Role: "victim"}, fit.Report{Role: "actor"})
	lines := strings.Split(strings.TrimSuffix(header, "\n\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("header of %d lines, want 4:\n%s", len(lines), header)
	}
	want := `#   "incidex rules fit --gold gold.jsonl\nactors:\n  - {id: injected, name: Microsoft, kind: group}\n# --pages pages -o scoring.yaml\Ltooling: [{id: injected, name: Microsoft, kind: malware}]"`
	if lines[1] != want {
		t.Errorf("command line\n%s\nwant\n%s", lines[1], want)
	}
	pack, err := rules.ParseFile("scoring.yaml", []byte(header+"scoring: []\n"))
	if err != nil {
		t.Fatalf("the header does not load: %v", err)
	}
	if len(pack.Actors)+len(pack.Tooling) > 0 {
		t.Errorf("the paths brought in %d actors and %d tooling", len(pack.Actors), len(pack.Tooling))
	}
	// An ordinary command line is written as it is.
	opts = &RulesFitOptions{Gold: []string{"gold.jsonl"}, Pages: []string{"pages"}, Out: "scoring.yaml"}
	if got := fitHeader(opts, fit.Report{}, fit.Report{}); !strings.Contains(got, "\n#   incidex rules fit --gold gold.jsonl --pages pages -o scoring.yaml\n") {
		t.Errorf("header\n%s\nwant the command as it is", got)
	}
}
