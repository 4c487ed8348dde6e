package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/rules"
	"github.com/spf13/cobra"
)

// smallPack is a rule pack that finds victims on its own, with tests that
// pass against it.
const smallPack = `actors:
  - id: ash-lynx
    name: Ash Lynx
    aliases: [Grey Lynx]
    kind: group
outlets:
  - id: gazette
    name: Example Gazette
patterns:
  - id: victim.hit
    role: victim
    pattern: '{victim} was hit by'
  - id: actor.claimed
    role: actor
    attribution: claimed
    pattern: '{actor} claimed responsibility'
tests:
  - sentence: "Acme Bank was hit by hackers. Grey Lynx claimed responsibility."
    expect: {victims: [Acme Bank], actors: [Ash Lynx]}
  - sentence: "A spokesperson for the Example Gazette said nothing."
    expect: {none: true}
lexicon:
  # Without the default pack, prose's entity model alone would take "Acme
  # Bank" for a person.
  - id: generic-org-words
    words: [bank]
`

// failingPack adds two tests that fail against smallPack.
const failingPack = `tests:
  - sentence: "Acme Bank was hit by hackers."
    expect: {victims: [Acme], actors: [Ash Lynx]}
  - sentence: "Acme Bank was hit by hackers."
    expect: {status: attempted}
    not: {victims: [Acme Bank]}
`

func TestRulesList(t *testing.T) {
	dir := t.TempDir()
	pack := writeFile(t, dir, "small.yaml", smallPack)
	tests := []struct {
		name       string
		args       []string
		tty        bool
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{
			name: "text, tab-separated in a pipe",
			args: []string{"rules", "list", "--no-default-rules", "--rules", pack},
			wantStdout: "ash-lynx\tactor/group\t" + pack + ":2\tAsh Lynx\n" +
				"gazette\toutlet\t" + pack + ":7\tExample Gazette\n" +
				"victim.hit\tpattern/victim\t" + pack + ":10\t{victim} was hit by\n" +
				"actor.claimed\tpattern/actor\t" + pack + ":13\t{actor} claimed responsibility\n" +
				"generic-org-words\tlexicon/words\t" + pack + ":25\t1 entry\n",
		},
		{
			name: "text, aligned on a terminal",
			args: []string{"rules", "list", "--no-default-rules", "--rules", pack},
			tty:  true,
			wantStdout: "ash-lynx           actor/group     " + pack + ":2   Ash Lynx\n" +
				"gazette            outlet          " + pack + ":7   Example Gazette\n" +
				"victim.hit         pattern/victim  " + pack + ":10  {victim} was hit by\n" +
				"actor.claimed      pattern/actor   " + pack + ":13  {actor} claimed responsibility\n" +
				"generic-org-words  lexicon/words   " + pack + ":25  1 entry\n",
		},
		{
			name: "jsonl",
			args: []string{"rules", "list", "--no-default-rules", "--rules", pack, "--format", "jsonl"},
			wantStdout: `{"id":"ash-lynx","section":"actors","kind":"group","file":"` + pack + `","line":2,"name":"Ash Lynx"}` + "\n" +
				`{"id":"gazette","section":"outlets","kind":"","file":"` + pack + `","line":7,"name":"Example Gazette"}` + "\n" +
				`{"id":"victim.hit","section":"patterns","kind":"victim","file":"` + pack + `","line":10,"pattern":"{victim} was hit by"}` + "\n" +
				`{"id":"actor.claimed","section":"patterns","kind":"actor","file":"` + pack + `","line":13,"pattern":"{actor} claimed responsibility"}` + "\n" +
				`{"id":"generic-org-words","section":"lexicon","kind":"words","file":"` + pack + `","line":25,"name":"1 entry"}` + "\n",
		},
		{
			name:       "no-default-rules alone",
			args:       []string{"rules", "list", "--no-default-rules"},
			wantCode:   exitUsage,
			wantStderr: "incidex: --no-default-rules needs at least one --rules pack\nRun 'incidex rules list --help' for usage.\n",
		},
		{
			name:       "a pack as an argument",
			args:       []string{"rules", "list", pack},
			wantCode:   exitUsage,
			wantStderr: "unexpected argument \"" + pack + "\": give rule packs with --rules",
		},
		{
			name:       "bad format",
			args:       []string{"rules", "list", "--format", "yaml"},
			wantCode:   exitUsage,
			wantStderr: `invalid argument "yaml" for "--format" flag: must be json, jsonl or text`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: tt.args, stdoutTTY: tt.tty})
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", res.code, tt.wantCode, res.stderr)
			}
			if res.stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, tt.wantStdout)
			}
			if !strings.Contains(res.stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", res.stderr, tt.wantStderr)
			}
		})
	}
}

func TestRulesListDefaultJSON(t *testing.T) {
	res := runCLI(t, cliRun{args: []string{"rules", "list", "--format", "json"}})
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var entries []ruleEntry
	if err := json.Unmarshal([]byte(res.stdout), &entries); err != nil {
		t.Fatalf("output is not one JSON array: %v", err)
	}
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(set.Actors) + len(set.Tooling) + len(set.Responders) + len(set.Outlets) +
		len(set.Sectors) + len(set.Countries) + len(set.Patterns) + len(set.Lexicon) + len(set.Scoring); len(entries) != n {
		t.Errorf("%d entries, want %d", len(entries), n)
	}
	sections := map[string]bool{}
	for _, e := range entries {
		sections[e.Section] = true
		if e.ID == "" || e.Kind == "" && e.Section != "outlets" || !strings.HasPrefix(e.File, "rules/default/") || e.Line < 1 {
			t.Errorf("incomplete entry %+v", e)
		}
	}
	for _, s := range []string{"actors", "tooling", "responders", "outlets", "sectors", "countries", "patterns"} {
		if !sections[s] {
			t.Errorf("no %s listed", s)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", smallPack)
	bad := writeFile(t, dir, "bad.yaml", `actors:
  - id: x
    name: X
    kind: group
    colour: red
  - id: spider
    name: Spider Crew
    aliases: [Octo Tempest]
    kind: group
patterns:
  - id: p
    role: victim
    pattern: '[{victim}] was hit'
`)
	// Nine lists of ten aliases of the one before: a billion strings.
	var b strings.Builder
	b.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	b.WriteString("actors: *l8\n")
	bomb := writeFile(t, dir, "bomb.yaml", b.String())
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{
			name:       "ok",
			args:       []string{"rules", "validate", good},
			wantStdout: "1 file, 5 rules, 2 tests: ok\n",
		},
		{
			name:     "problems",
			args:     []string{"rules", "validate", bad},
			wantCode: exitError,
			wantStdout: bad + `:5:5: rule "x": unknown key "colour" in actors entry (want id, name, aliases, kind, country, cues, case_sensitive, external_ids, regex)` + "\n" +
				bad + `:13:16: rule "p": pattern col 2: the {victim} slot is optional: the rule can match without filling it` + "\n" +
				"1 file, 3 rules: 2 problems\n",
		},
		{
			name:     "with the default pack",
			args:     []string{"rules", "validate", "--with-defaults", bad},
			wantCode: exitError,
			wantStdout: bad + `:5:5: rule "x": unknown key "colour" in actors entry (want id, name, aliases, kind, country, cues, case_sensitive, external_ids, regex)` + "\n" +
				bad + `:8:15: rule "spider": alias "Octo Tempest" is also a name of "actor.scattered-spider" (rules/default/actors.yaml:`,
		},
		{
			name:       "no files: the built-in pack",
			args:       []string{"rules", "validate"},
			wantStdout: "10 files, ",
		},
		{
			name:       "--with-defaults needs files",
			args:       []string{"rules", "validate", "--with-defaults"},
			wantCode:   exitUsage,
			wantStderr: "incidex: --with-defaults checks rule files against the built-in pack: give a file or a folder\n",
		},
		{
			name:       "missing file",
			args:       []string{"rules", "validate", dir + "/missing.yaml"},
			wantCode:   exitError,
			wantStdout: dir + "/missing.yaml: cannot read: no such file or directory\n0 files, 0 rules: 1 problem\n",
		},
		{
			// Read up to the 32 MiB cap and one byte more, not until
			// memory runs out.
			name:       "a rule file without an end",
			args:       []string{"rules", "validate", "/dev/zero"},
			wantCode:   exitError,
			wantStdout: "/dev/zero: larger than the 32 MiB limit for a rule file\n0 files, 0 rules: 1 problem\n",
		},
		{
			name:       "a YAML alias bomb",
			args:       []string{"rules", "validate", bomb},
			wantCode:   exitError,
			wantStdout: bomb + ":6:45: too many YAML aliases: they repeat more than 1000000 nodes, the limit for a rule file\n1 file, 0 rules: 1 problem\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if slices.Contains(tt.args, "/dev/zero") {
				if _, err := os.Stat("/dev/zero"); err != nil {
					t.Skip(err)
				}
			}
			res := runCLI(t, cliRun{args: tt.args})
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", res.code, tt.wantCode, res.stderr)
			}
			if !strings.HasPrefix(res.stdout, tt.wantStdout) {
				t.Errorf("stdout:\n%s\nwant it to start with:\n%s", res.stdout, tt.wantStdout)
			}
			if !strings.Contains(res.stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", res.stderr, tt.wantStderr)
			}
		})
	}
}

func TestRulesTest(t *testing.T) {
	dir := t.TempDir()
	small := writeFile(t, dir, "small.yaml", smallPack)
	failing := writeFile(t, dir, "failing.yaml", failingPack)
	broken := writeFile(t, dir, "broken.yaml", "tests:\n  - sentence: x\n")
	noTests := writeFile(t, dir, "no-tests.yaml", "actors:\n  - {id: a, name: Alpha, kind: group}\n")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{
			name:       "pass",
			args:       []string{"rules", "test", "--no-default-rules", small},
			wantStdout: "2 tests, 0 failed\n",
		},
		{
			name:       "verbose",
			args:       []string{"rules", "test", "-v", "--no-default-rules", small},
			wantStdout: small + ":18: test 1: ok\n" + small + ":20: test 2: ok\n2 tests, 0 failed\n",
		},
		{
			name:     "fail",
			args:     []string{"rules", "test", "--no-default-rules", small, failing},
			wantCode: exitError,
			wantStdout: failing + ":2: test 1: want victims [Acme], got [Acme Bank] (rules: victim.hit)\n" +
				failing + ":2: test 1: want actors [Ash Lynx], got []\n" +
				failing + ":4: test 2: want victims without [Acme Bank], got [Acme Bank] (rules: victim.hit)\n" +
				failing + ":4: test 2: want status attempted, got [confirmed]\n" +
				"4 tests, 2 failed\n",
		},
		{
			name:       "no tests",
			args:       []string{"rules", "test", "--no-default-rules", noTests},
			wantStdout: "0 tests, 0 failed\n",
			wantStderr: "incidex: the rule files have no tests\n",
		},
		{
			name:       "missing file",
			args:       []string{"rules", "test", "--no-default-rules", dir + "/none.yaml"},
			wantCode:   exitError,
			wantStderr: "none.yaml: cannot read",
		},
		{
			name:       "bad rule file",
			args:       []string{"rules", "test", broken},
			wantCode:   exitError,
			wantStderr: "incidex: 1 problem(s) in rule files:\n" + broken + ":2:5: test 1: missing expect (or not)\n",
		},
		{
			name:       "no-default-rules alone",
			args:       []string{"rules", "test", "--no-default-rules"},
			wantCode:   exitUsage,
			wantStderr: "--no-default-rules needs at least one rule file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: tt.args})
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", res.code, tt.wantCode, res.stderr)
			}
			if res.stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, tt.wantStdout)
			}
			if !strings.Contains(res.stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", res.stderr, tt.wantStderr)
			}
		})
	}
}

func TestRulesTestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := runCLI(t, cliRun{args: []string{"rules", "test"}, ctx: ctx})
	if res.code != exitInterrupted {
		t.Errorf("exit %d, want %d", res.code, exitInterrupted)
	}
}

func TestRulesCommandTree(t *testing.T) {
	res := runCLI(t, cliRun{args: []string{"rules", "lst"}})
	if res.code != exitUsage || !strings.Contains(res.stderr, `unknown command "lst" for "incidex rules"`) {
		t.Errorf("unknown subcommand: exit %d, stderr %q", res.code, res.stderr)
	}
	res = runCLI(t, cliRun{args: []string{"rules", "--help"}})
	for _, want := range []string{"list", "validate", "test", "Exit status:"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("rules --help lacks %q:\n%s", want, res.stdout)
		}
	}

	// Other files attach their subcommands through NewCmdRules.
	ios, _, out, _ := cli.TestIOStreams()
	f := &Factory{IOStreams: ios}
	var ran bool
	cmd := NewCmdRules(f, &cobra.Command{Use: "import", RunE: func(*cobra.Command, []string) error { ran = true; return nil }})
	cmd.SetArgs([]string{"import"})
	cmd.SetOut(out)
	if err := cmd.Execute(); err != nil || !ran {
		t.Errorf("extra subcommand: err %v, ran %v", err, ran)
	}
}

func TestRulesFlags(t *testing.T) {
	ios, _, _, _ := cli.TestIOStreams()
	f := &Factory{IOStreams: ios}

	var list *RulesListOptions
	cmd := NewCmdRulesList(f, func(_ context.Context, o *RulesListOptions) error { list = o; return nil })
	cmd.SetArgs([]string{"--rules", "a.yaml", "--rules", "dir", "--no-default-rules", "--format", "JSON"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(list.Rules, ",") != "a.yaml,dir" || !list.NoDefaultRules || list.Format != cli.FormatJSON {
		t.Errorf("list options = %+v", list)
	}

	var val *RulesValidateOptions
	cmd = NewCmdRulesValidate(f, func(_ context.Context, o *RulesValidateOptions) error { val = o; return nil })
	cmd.SetArgs([]string{"--with-defaults", "a.yaml", "dir"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(val.Paths, ",") != "a.yaml,dir" || !val.WithDefaults {
		t.Errorf("validate options = %+v", val)
	}

	var test *RulesTestOptions
	cmd = NewCmdRulesTest(f, func(_ context.Context, o *RulesTestOptions) error { test = o; return nil })
	cmd.SetArgs([]string{"-v", "a.yaml"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(test.Paths, ",") != "a.yaml" || !test.Verbose || test.NoDefaultRules {
		t.Errorf("test options = %+v", test)
	}
}
