package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/rules"
	"github.com/spf13/cobra"
)

// mispTestdata holds small cluster files written for the tests.
const mispTestdata = "../../rules/misp/testdata"

// runImport runs "incidex rules import ..." through the full command
// tree, adding a "rules" parent for the import command when the tree has
// none yet.
func runImport(t *testing.T, args ...string) cliResult {
	t.Helper()
	ios, _, out, errOut := cli.TestIOStreams()
	f := &Factory{IOStreams: ios, Version: "v0.0.0-test"}
	root := NewCmdRoot(f)
	if c, _, err := root.Find([]string{"rules", "import", "misp"}); err != nil || c.Name() != "misp" {
		if c, _, err := root.Find([]string{"rules"}); err == nil && c.Name() == "rules" {
			c.AddCommand(NewCmdRulesImport(f))
		} else {
			parent := &cobra.Command{Use: "rules", Short: "Rule pack tools"}
			parent.AddCommand(NewCmdRulesImport(f))
			root.AddCommand(parent)
		}
	}
	root.SetArgs(append([]string{"rules", "import"}, args...))
	ctx := context.Background()
	cmd, err := root.ExecuteContextC(ctx)
	if cmd == nil {
		cmd = root
	}
	code := exitStatus(ctx, ios, cmd, err)
	return cliResult{stdout: out.String(), stderr: errOut.String(), code: code}
}

func TestRulesImportMISP(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", "{\n\"type\": \"ransomware\",\n\"values\": [,]\n}\n")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	ta := filepath.Join(mispTestdata, "threat-actor.json")
	rw := filepath.Join(mispTestdata, "ransomware.json")
	country := filepath.Join(mispTestdata, "country.json")

	tests := []struct {
		name      string
		args      []string // after "rules import"; {out} is the output folder
		wantCode  int
		wantOut   []string
		wantErr   []string
		wantFiles bool
		wantNames []string // entries the packs hold
		notNames  []string // entries the packs must not hold
	}{
		{
			name:      "folder of clusters",
			args:      []string{"misp", "--no-default-rules", "-o", "{out}", mispTestdata},
			wantOut:   []string{"7 actors, 10 tooling entries, 9 merges, 3 collisions from 30 clusters in 5 files; 0 left out as already in the loaded rules; wrote {out}/misp-actors.yaml, {out}/misp-ransomware.yaml, {out}/misp-malware.yaml, {out}/misp-tools.yaml\n"},
			wantErr:   []string{`collision: "DragonForce": threat-actor.json (hacktivist group, MY) vs ransomware.json (ransomware)` + "\n", `incidex: skip ` + country + `: galaxy type is not imported: "country"`},
			wantFiles: true,
			wantNames: []string{"Play", "Vanadium Heron", "Crisis"},
		},
		{
			name:      "files, the default pack leaves out what it has",
			args:      []string{"misp", "--output", "{out}", ta, rw, country},
			wantOut:   []string{" from 21 clusters in 2 files; "},
			wantErr:   []string{`collision: "DragonForce"`},
			wantFiles: true,
			wantNames: []string{"Vanadium Heron", "Kestrel7"},
			notNames:  []string{"Play"},
		},
		{
			name:     "no input",
			args:     []string{"misp", "-o", "{out}"},
			wantCode: exitUsage,
			wantErr:  []string{"incidex: no input: give MISP galaxy cluster files or a folder of them\n", "Run 'incidex rules import misp --help' for usage."},
		},
		{
			name:     "unknown source",
			args:     []string{"stix", "x.json"},
			wantCode: exitUsage,
			wantErr:  []string{`incidex: unknown source "stix" for "incidex rules import" (want misp)`},
		},
		{
			name:     "broken json names file and line",
			args:     []string{"misp", "-o", "{out}", ta, bad},
			wantCode: exitError,
			wantErr:  []string{"incidex: " + bad + ":3: not a MISP galaxy cluster file: invalid character ','"},
		},
		{
			name:     "missing file",
			args:     []string{"misp", "-o", "{out}", filepath.Join(dir, "nope.json")},
			wantCode: exitError,
			wantErr:  []string{"nope.json: no such file or directory"},
		},
		{
			name:     "only other galaxy types",
			args:     []string{"misp", "-o", "{out}", country},
			wantCode: exitError,
			wantErr:  []string{"incidex: skip ", "incidex: no cluster file of the galaxy types imported (malpedia, "},
		},
		{
			name:     "folder without clusters",
			args:     []string{"misp", "-o", "{out}", empty},
			wantCode: exitError,
			wantErr:  []string{"empty: folder has no .json files"},
		},
		{
			name:     "bad known pack",
			args:     []string{"misp", "-o", "{out}", "--rules", bad, ta},
			wantCode: exitError,
			wantErr:  []string{"problem(s) in rule files"},
		},
		{
			name:    "help lists exit codes and galaxy types",
			args:    []string{"misp", "--help"},
			wantOut: []string{"misp-actors.yaml", "mitre-intrusion-set", "collision: ", "Exit status:", "  2 "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "packs")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "{out}", out)
			}
			res := runImport(t, args...)
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			for _, s := range tt.wantOut {
				if s = strings.ReplaceAll(s, "{out}", out); !strings.Contains(res.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, res.stdout)
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(res.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, res.stderr)
				}
			}
			if !tt.wantFiles {
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s written on failure", out)
				}
				return
			}
			packs, err := rules.LoadPaths([]string{out})
			if err != nil {
				t.Fatalf("imported packs do not load: %v", err)
			}
			if len(packs) != 4 {
				t.Errorf("%d packs in %s, want 4", len(packs), out)
			}
			names := map[string]bool{}
			for _, p := range packs {
				for _, e := range append(p.Actors, p.Tooling...) {
					names[e.Name] = true
				}
			}
			for _, n := range tt.wantNames {
				if !names[n] {
					t.Errorf("no entry %q in the packs", n)
				}
			}
			for _, n := range tt.notNames {
				if names[n] {
					t.Errorf("entry %q in the packs", n)
				}
			}
		})
	}
}

// TestRulesImportMISPExtract feeds an import to "incidex extract": the
// imported ransomware is found, the ordinary word only near its cue.
func TestRulesImportMISPExtract(t *testing.T) {
	out := filepath.Join(t.TempDir(), "packs")
	if res := runImport(t, "misp", "-o", out, mispTestdata); res.code != 0 {
		t.Fatalf("import: exit %d: %s", res.code, res.stderr)
	}
	dir := t.TempDir()
	page := writeFile(t, dir, "page.html", articleHTML("Retailer hit by Nokoyawa ransomware",
		"Harwick Stores was hit by a cyber attack on Monday that forced the retailer to close its online shop, the company said in a statement to investors.",
		"The Nokoyawa ransomware gang claimed responsibility for the attack on Harwick Stores and published a sample of the stolen files on its leak site.",
		"Police said they were investigating, and the company said a crisis team was working with external experts to restore its systems as quickly as possible."))
	res := runCLI(t, cliRun{args: []string{"extract", "--format", "jsonl", "--rules", out, page}})
	if res.code != 0 {
		t.Fatalf("extract: exit %d: %s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, `"name":"Nokoyawa"`) {
		t.Errorf("imported ransomware not found:\n%s", res.stdout)
	}
	if strings.Contains(res.stdout, `"name":"Crisis"`) {
		t.Errorf("an ordinary word without its cue was taken for malware:\n%s", res.stdout)
	}
}

// TestRulesImportMISPDeterministic imports twice, the files in another
// order the second time: the packs are byte for byte the same.
func TestRulesImportMISPDeterministic(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(mispTestdata, "*.json"))
	if err != nil || len(paths) < 2 {
		t.Fatalf("test clusters: %v", err)
	}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	reversed := slices.Clone(paths)
	slices.Reverse(reversed)
	ra := runImport(t, append([]string{"misp", "-o", a}, paths...)...)
	rb := runImport(t, append([]string{"misp", "-o", b}, reversed...)...)
	if ra.code != 0 || rb.code != 0 {
		t.Fatalf("exit %d and %d: %s%s", ra.code, rb.code, ra.stderr, rb.stderr)
	}
	if ra.stderr != rb.stderr {
		t.Errorf("stderr differs:\n%s\n---\n%s", ra.stderr, rb.stderr)
	}
	for _, name := range []string{"misp-actors.yaml", "misp-ransomware.yaml", "misp-malware.yaml", "misp-tools.yaml"} {
		da, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between the two imports", name)
		}
	}
}

// TestRulesImportMISPSizeCap reads cluster files under a cap, lowered
// here to one byte less than a test file: the file is refused by name.
func TestRulesImportMISPSizeCap(t *testing.T) {
	rw := filepath.Join(mispTestdata, "ransomware.json")
	info, err := os.Stat(rw)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		limit int64
		want  string // the error; empty for none
	}{
		{name: "at the cap", limit: info.Size()},
		{name: "one byte over the cap", limit: info.Size() - 1,
			want: fmt.Sprintf("%s: larger than the %d bytes limit for a MISP galaxy file", rw, info.Size()-1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := cli.TestIOStreams()
			opts := &RulesImportMISPOptions{IO: ios, OutDir: t.TempDir(), NoDefaultRules: true, MaxFileBytes: tt.limit}
			err := runRulesImportMISP(context.Background(), opts, []string{rw})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("import: %v", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("import error %v, want %s", err, tt.want)
			}
		})
	}
}

// TestRulesImportMISPEndless imports a cluster file without an end:
// reading stops one byte past the real cap.
func TestRulesImportMISPEndless(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	res := runImport(t, "misp", "-o", t.TempDir(), "/dev/zero")
	want := "incidex: /dev/zero: larger than the 64 MiB limit for a MISP galaxy file\n"
	if res.code != exitError || res.stderr != want {
		t.Errorf("exit %d, stderr %q; want exit %d, %q", res.code, res.stderr, exitError, want)
	}
}

// TestRulesImportMISPFileNames imports cluster files whose names hold a
// line break and YAML: the packs hold no entry the names brought in, and
// their headers show each name quoted on one line.
func TestRulesImportMISPFileNames(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(mispTestdata, "threat-actor.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string // the cluster file's name
		inDir  bool   // given by its folder rather than by name
		header string // the line of the header that shows it
	}{
		{
			name:   "evil.json\n- id: injected\n  name: Microsoft\n  kind: group",
			header: `#   "evil.json\n- id: injected\n  name: Microsoft\n  kind: group (threat-actor, version 7)"`,
		},
		{
			// Without the escape, this one loads, with Microsoft as malware.
			name:   "evil\ntooling:\n  - {id: injected, name: Microsoft, kind: malware}\n# .json",
			inDir:  true,
			header: `#   "evil\ntooling:\n  - {id: injected, name: Microsoft, kind: malware}\n# .json (threat-actor, version 7)"`,
		},
	} {
		t.Run(strings.ReplaceAll(tt.name, "\n", `\n`), func(t *testing.T) {
			in, out := t.TempDir(), filepath.Join(t.TempDir(), "packs")
			arg := writeFile(t, in, tt.name, string(data))
			if tt.inDir {
				arg = in
			}
			if res := runImport(t, "misp", "--no-default-rules", "-o", out, arg); res.code != 0 {
				t.Fatalf("import: exit %d: %s", res.code, res.stderr)
			}
			packs, err := rules.LoadPaths([]string{out})
			if err != nil {
				t.Fatalf("the packs do not load: %v", err)
			}
			for _, p := range packs {
				for _, e := range append(p.Actors, p.Tooling...) {
					if !strings.HasPrefix(e.ID, "misp.") || e.Name == "Microsoft" {
						t.Errorf("%s: entry %q (%s) came from the file name", p.Source, e.ID, e.Name)
					}
				}
			}
			header, err := os.ReadFile(filepath.Join(out, "misp-actors.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Split(string(header), "\n"); lines[1] != tt.header {
				t.Errorf("header line\n%s\nwant\n%s", lines[1], tt.header)
			}
		})
	}
}
