package misp

import (
	"os"
	"strings"
	"testing"

	"github.com/incidex/incidex/rules"
)

// TestFilesEscapeSourceNames renders packs from cluster files whose names
// hold line breaks and YAML: each pack must load with no entry the name
// brought in, and the name must stay on its one comment line.
func TestFilesEscapeSourceNames(t *testing.T) {
	data, err := os.ReadFile("testdata/threat-actor.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string // the cluster file's name
		want string // its line in the header; empty: not checked
	}{
		{
			name: "clusters/evil.json\n- id: injected\n  name: Microsoft\n  kind: group",
			want: `#   "evil.json\n- id: injected\n  name: Microsoft\n  kind: group (threat-actor, version 7)"`,
		},
		{
			name: "evil.json\ntooling:\n  - {id: injected, name: Microsoft, kind: malware}\n# .json",
			want: `#   "evil.json\ntooling:\n  - {id: injected, name: Microsoft, kind: malware}\n# .json (threat-actor, version 7)"`,
		},
		{name: "evil\r\ntooling: [{id: injected, name: Microsoft, kind: malware}]\r# .json"},
		// yaml.v3 reads these as line breaks too.
		{name: "evil\u2028tooling: [{id: injected, name: Microsoft, kind: malware}]\u2028# .json",
			want: `#   "evil\Ltooling: [{id: injected, name: Microsoft, kind: malware}]\L# .json (threat-actor, version 7)"`},
		{name: "evil\u0085tooling: [{id: injected, name: Microsoft, kind: malware}]\u0085# .json"},
		{name: "evil\u2029tooling: [{id: injected, name: Microsoft, kind: malware}]\u2029# .json"},
		{name: "tab\tand \x1b[31mescape\x1b[0m.json", want: `#   "tab\tand \e[31mescape\e[0m.json (threat-actor, version 7)"`},
		{name: "not \xff UTF-8.json"},
		{name: `"quoted" 'name' #1.json`},
		{name: "plain name.json", want: "#   plain name.json (threat-actor, version 7)"},
	}
	for _, tt := range tests {
		t.Run(strings.ToValidUTF8(tt.name, "?"), func(t *testing.T) {
			f, err := Parse(tt.name, data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Import([]*File{f}, Options{}).Files()
			if err != nil {
				t.Fatalf("Files: %v", err)
			}
			for _, o := range out {
				pack, err := rules.ParseFile(o.Name, o.Data)
				if err != nil {
					t.Fatalf("%s does not load: %v\n%s", o.Name, err, o.Data)
				}
				for _, e := range append(pack.Actors, pack.Tooling...) {
					if !strings.HasPrefix(e.ID, "misp.") {
						t.Errorf("%s: entry %q came from the file name", o.Name, e.ID)
					}
				}
				if len(pack.Tooling) > 0 && o.Name == "misp-actors.yaml" {
					t.Errorf("%s: tooling section came from the file name", o.Name)
				}
				// The header: five lines of text and one per source, then a
				// blank line.
				header, _, _ := strings.Cut(string(o.Data), "\n\n")
				lines := strings.Split(header, "\n")
				if len(lines) != 6 {
					t.Errorf("%s: header of %d lines, want 6:\n%s", o.Name, len(lines), header)
				}
				if tt.want != "" && len(lines) > 1 && lines[1] != tt.want {
					t.Errorf("%s: source line\n%s\nwant\n%s", o.Name, lines[1], tt.want)
				}
			}
		})
	}
}
