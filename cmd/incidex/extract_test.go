package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

var (
	paraHack1 = "Marks & Spencer was hit by a cyber attack that forced the retailer to pause online orders, the company said on Tuesday evening in a statement to the stock exchange."
	paraHack2 = "The attack has been linked to a group called Scattered Spider, which used a tool from the DragonForce ransomware cartel to encrypt servers at the company's head office."
	paraHack3 = "Police and the National Crime Agency are investigating, and the company said it was working with external experts to restore its systems as quickly as possible."
	hackHTML  = articleHTML("Marks & Spencer hit by cyber attack", paraHack1, paraHack2, paraHack3)
)

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	hack := writeFile(t, dir, "hack.html", hackHTML)
	fire := writeFile(t, dir, "fire.html", fireHTML)
	empty := writeFile(t, dir, "empty.html", emptyHTML)
	goodRules := writeFile(t, dir, "extra.yaml", "actors:\n  - id: actor.test-heron\n    name: Grey Heron\n    kind: group\n")
	badRules := writeFile(t, dir, "bad.yaml", "actors:\n  - id: actor.x\n    name: X\n    kind: wizard\n    colour: red\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
		wantRecord int      // JSON lines on stdout, -1 to skip the check
	}{
		{
			name:       "one incident with actor and tooling",
			args:       []string{"extract", hack},
			wantOut:    []string{`"schema":"incidex/v1"`, `"name":"Marks & Spencer"`, `"name":"Scattered Spider"`, `"name":"DragonForce"`},
			wantRecord: 1,
		},
		{
			name:       "no incident gives an empty list",
			args:       []string{"extract", fire},
			wantOut:    []string{`"incidents":[]`},
			wantRecord: 1,
		},
		{
			name:       "failed input is an error record and exit 3",
			args:       []string{"extract", hack, empty},
			wantCode:   3,
			wantOut:    []string{`"error":"no article text found`},
			wantErr:    []string{"incidex: " + empty + ": no article text found"},
			wantRecord: 2,
		},
		{
			name:       "user rules extend the default pack",
			args:       []string{"extract", "--rules", goodRules, hack},
			wantOut:    []string{`"name":"Marks & Spencer"`},
			wantRecord: 1,
		},
		{
			name:       "bad rules name file and line of every problem",
			args:       []string{"extract", "--rules", badRules, hack},
			wantCode:   1,
			wantErr:    []string{"bad.yaml:4:", "wizard", "bad.yaml:5:", "colour"},
			wantRecord: 0,
		},
		{
			name:       "no default rules needs a pack",
			args:       []string{"extract", "--no-default-rules", hack},
			wantCode:   2,
			wantErr:    []string{"--no-default-rules needs at least one --rules pack"},
			wantRecord: 0,
		},
		{
			name:       "only the user pack",
			args:       []string{"extract", "--no-default-rules", "--rules", goodRules, hack},
			wantOut:    []string{`"incidents":[]`},
			wantRecord: 1,
		},
		{
			name:       "text format is refused",
			args:       []string{"extract", "--format", "text", hack},
			wantCode:   2,
			wantErr:    []string{"--format text"},
			wantRecord: 0,
		},
		{
			name:       "missing rules path",
			args:       []string{"extract", "--rules", filepath.Join(dir, "nope.yaml"), hack},
			wantCode:   1,
			wantErr:    []string{"nope.yaml"},
			wantRecord: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliRun{args: tt.args})
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(res.stdout, s) {
					t.Errorf("stdout lacks %s:\n%s", s, res.stdout)
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(res.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, res.stderr)
				}
			}
			lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
			if strings.TrimSpace(res.stdout) == "" {
				lines = nil
			}
			if tt.wantRecord >= 0 && len(lines) != tt.wantRecord {
				t.Errorf("%d lines on stdout, want %d:\n%s", len(lines), tt.wantRecord, res.stdout)
			}
			for _, l := range lines {
				var v map[string]any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Errorf("stdout line is not JSON: %v: %s", err, l)
				}
			}
		})
	}
}
