package rules

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/incidex/incidex/internal/sizecap"
)

func ids[T any](entries []T, id func(T) string) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, id(e))
	}
	return out
}

func entityIDs(es []Entity) []string { return ids(es, func(e Entity) string { return e.ID }) }
func patternIDs(ps []PatternRule) []string {
	return ids(ps, func(p PatternRule) string { return p.ID })
}

func TestNewSet(t *testing.T) {
	base := &Pack{
		Actors:   []Entity{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}},
		Tooling:  []Entity{{ID: "b", Name: "B tool"}},
		Patterns: []PatternRule{{ID: "p1", Pattern: "one"}, {ID: "p2", Pattern: "two"}},
	}
	user := &Pack{
		Actors:   []Entity{{ID: "d", Name: "D"}, {ID: "b", Name: "B2"}},
		Patterns: []PatternRule{{ID: "p1", Pattern: "uno"}},
		Sectors:  []Sector{{ID: "s", Sector: "retail"}},
	}
	later := &Pack{Actors: []Entity{{ID: "d", Name: "D2"}}}

	tests := []struct {
		name         string
		packs        []*Pack
		wantActors   []string
		wantNames    []string
		wantPatterns []string
		wantPattern0 string
		wantTooling  []string
	}{
		{"nothing", nil, []string{}, []string{}, []string{}, "", []string{}},
		{"one pack", []*Pack{base}, []string{"a", "b", "c"}, []string{"A", "B", "C"}, []string{"p1", "p2"}, "one", []string{"b"}},
		{"override in place and extend", []*Pack{base, user},
			[]string{"a", "b", "c", "d"}, []string{"A", "B2", "C", "D"}, []string{"p1", "p2"}, "uno", []string{"b"}},
		{"override an added entry", []*Pack{base, user, later},
			[]string{"a", "b", "c", "d"}, []string{"A", "B2", "C", "D2"}, []string{"p1", "p2"}, "uno", []string{"b"}},
		{"order of packs decides", []*Pack{user, base},
			[]string{"d", "b", "a", "c"}, []string{"D", "B", "A", "C"}, []string{"p1", "p2"}, "one", []string{"b"}},
		{"nil pack skipped", []*Pack{nil, base}, []string{"a", "b", "c"}, []string{"A", "B", "C"}, []string{"p1", "p2"}, "one", []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet(tt.packs...)
			if got := entityIDs(s.Actors); !reflect.DeepEqual(got, tt.wantActors) {
				t.Errorf("actor ids %v, want %v", got, tt.wantActors)
			}
			names := ids(s.Actors, func(e Entity) string { return e.Name })
			if !reflect.DeepEqual(names, tt.wantNames) {
				t.Errorf("actor names %v, want %v", names, tt.wantNames)
			}
			if got := patternIDs(s.Patterns); !reflect.DeepEqual(got, tt.wantPatterns) {
				t.Errorf("pattern ids %v, want %v", got, tt.wantPatterns)
			}
			if len(s.Patterns) > 0 && s.Patterns[0].Pattern != tt.wantPattern0 {
				t.Errorf("pattern p1 = %q, want %q", s.Patterns[0].Pattern, tt.wantPattern0)
			}
			// Sections are separate: actor "b" does not replace tooling "b".
			if got := entityIDs(s.Tooling); !reflect.DeepEqual(got, tt.wantTooling) {
				t.Errorf("tooling ids %v, want %v", got, tt.wantTooling)
			}
		})
	}

	// Building a Set leaves the packs as they were.
	NewSet(base, user, later)
	if base.Actors[1].Name != "B" || len(base.Actors) != 3 {
		t.Errorf("NewSet changed its input: %+v", base.Actors)
	}
}

func TestParseFS(t *testing.T) {
	packs, err := parseTestFS(os.DirFS("testdata"), "base.yaml", "local.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(packs) != 2 || packs[0].Source != "base.yaml" || packs[1].Source != "local.yaml" {
		t.Fatalf("packs %+v, want base.yaml then local.yaml", packs)
	}
	s := NewSet(packs...)
	if got, want := entityIDs(s.Actors), []string{"scattered-spider", "apt28", "qilin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("actors %v, want %v", got, want)
	}
	if s.Actors[1].Name != "Fancy Bear" {
		t.Errorf("apt28 not overridden: %+v", s.Actors[1])
	}
	if got, want := patternIDs(s.Patterns), []string{"victim.hit-by", "status.attempted", "actor.claimed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("patterns %v, want %v", got, want)
	}
	if !strings.Contains(s.Patterns[0].Pattern, "targeted") || len(s.Patterns[0].Items) == 0 {
		t.Errorf("victim.hit-by not overridden: %+v", s.Patterns[0])
	}
}

func TestParseFSErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml":    {Data: []byte("actors:\n  - id: a\n    name: A\n    kind: gang\n")},
		"b.yaml":    {Data: []byte("actors:\n  - id: b\n    name: B\n    kind: group\n")},
		"c.yaml":    {Data: []byte("tooling:\n  - id: c\n    kind: tool\n")},
		"sub/d.yml": {Data: []byte("")},
	}
	tests := []struct {
		name     string
		patterns []string
		want     string
	}{
		{"all problems of all files", []string{"*.yaml"},
			"a.yaml:4:11: rule \"a\": kind \"gang\" is not one of group, nation-state, individual, insider, unknown\n" +
				"c.yaml:2:5: rule \"c\": missing name"},
		{"no match", []string{"b.yaml", "*.json"}, `pattern "*.json" matches no files`},
		{"bad pattern", []string{"[", "b.yaml"}, `pattern "[": syntax error in pattern`},
		{"no patterns", nil, "parse rules: no file patterns given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			packs, err := parseTestFS(fsys, tt.patterns...)
			if err == nil {
				t.Fatalf("ParseFS = %d packs, want error %q", len(packs), tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n%s\nwant\n%s", got, tt.want)
			}
		})
	}

	packs, err := parseTestFS(fsys, "b.yaml", "*.yaml", "sub/*.yml")
	if err == nil || len(packs) != 0 {
		t.Fatalf("ParseFS with a broken file: %d packs, error %v", len(packs), err)
	}
	packs, err = parseTestFS(fsys, "b.yaml", "b.yaml", "sub/*.yml")
	if err != nil || len(packs) != 2 {
		t.Fatalf("parseTestFS(b.yaml twice, sub/*.yml) = %d packs, %v; want 2 packs (one per file)", len(packs), err)
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	local, err := os.ReadFile("testdata/local.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// In the directory, 10-base.yaml sorts before 20-local.yml.
	write("packs/20-local.yml", string(local))
	write("packs/10-base.yaml", string(base))
	write("packs/notes.txt", "not a pack")
	write("packs/nested/ignored.yaml", "this: is not read")
	extra := write("extra.yaml", "actors:\n  - id: qilin\n    name: Qilin (Agenda)\n    kind: group\n")

	packs, err := LoadPaths([]string{filepath.Join(dir, "packs"), extra})
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, p := range packs {
		sources = append(sources, filepath.Base(p.Source))
	}
	if want := []string{"10-base.yaml", "20-local.yml", "extra.yaml"}; !reflect.DeepEqual(sources, want) {
		t.Fatalf("sources %v, want %v", sources, want)
	}
	s := NewSet(packs...)
	if got, want := entityIDs(s.Actors), []string{"scattered-spider", "apt28", "qilin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("actors %v, want %v", got, want)
	}
	if s.Actors[1].Name != "Fancy Bear" || s.Actors[2].Name != "Qilin (Agenda)" {
		t.Errorf("overrides not applied: %+v", s.Actors)
	}
	if len(s.Tooling) != 1 || len(s.Patterns) != 3 {
		t.Errorf("extension lost: %d tooling, %d patterns", len(s.Tooling), len(s.Patterns))
	}
}

func TestLoadPathsErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	broken := filepath.Join("testdata", "broken.yml")

	_, err := LoadPaths([]string{missing, broken, empty, filepath.Join("testdata", "base.yaml")})
	if err == nil {
		t.Fatal("LoadPaths: no error")
	}
	want := []string{
		missing + ": cannot read: no such file or directory",
		broken + `:5:11: rule "a": kind "gang" is not one of group, nation-state, individual, insider, unknown`,
		broken + `:9:14: rule "p": victim pattern has no {victim} slot`,
		empty + ": directory has no .yaml or .yml files",
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("error\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(err, fs.ErrNotExist) = false for a missing path")
	}
	var e *Error
	if !errors.As(err, &e) || e.File != missing {
		t.Errorf("errors.As: %+v, want the missing file's *Error first", e)
	}
}

func TestLoadPathsSizeCaps(t *testing.T) {
	// Caps lowered to a few hundred bytes stand for MaxFileBytes and
	// MaxTotalBytes: the files are padded with a comment to just over or
	// under them.
	dir := t.TempDir()
	pack := func(name string, size int) string {
		id := strings.TrimSuffix(name, ".yaml")
		src := "actors:\n  - {id: " + id + ", name: " + strings.ToUpper(id) + ", kind: group}\n#"
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src+strings.Repeat("x", size-len(src))), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caps := readLimits{file: 200, total: 500}
	atCap, overCap := pack("at.yaml", 200), pack("over.yaml", 201)
	a, b, c := pack("a.yaml", 200), pack("b.yaml", 200), pack("c.yaml", 101)
	tests := []struct {
		name  string
		paths []string
		want  []string // error lines; none when the packs load
	}{
		{name: "a file at the cap", paths: []string{atCap}},
		{name: "a file one byte over the cap", paths: []string{overCap},
			want: []string{overCap + ": larger than the 200 bytes limit for a rule file"}},
		{name: "files at the total cap", paths: []string{a, b, pack("d.yaml", 100)}},
		{name: "the file that passes the total cap", paths: []string{a, b, c, atCap},
			want: []string{
				c + ": with the rule files read before it, larger than the 500 bytes limit for all rule files together",
				atCap + ": with the rule files read before it, larger than the 500 bytes limit for all rule files together",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			packs, err := loadPaths(tt.paths, caps)
			if len(tt.want) == 0 {
				if err != nil || len(packs) != len(tt.paths) {
					t.Fatalf("loadPaths = %d packs, %v; want %d packs", len(packs), err, len(tt.paths))
				}
				return
			}
			if err == nil || err.Error() != strings.Join(tt.want, "\n") {
				t.Fatalf("loadPaths error:\n%v\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			if !errors.Is(err, sizecap.ErrTooLarge) {
				t.Errorf("errors.Is(err, sizecap.ErrTooLarge) = false")
			}
			// Validate reads under the same caps.
			r := validate(tt.paths, nil, caps)
			if got := problemLines(r); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("validate problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLoadPathsEndless reads a rule file without an end under the real
// caps: reading stops one byte past MaxFileBytes.
func TestLoadPathsEndless(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	want := "/dev/zero: larger than the 32 MiB limit for a rule file"
	if _, err := LoadPaths([]string{"/dev/zero"}); err == nil || err.Error() != want {
		t.Errorf("LoadPaths error %v, want %s", err, want)
	}
	if got := problemLines(Validate([]string{"/dev/zero"}, nil)); strings.Join(got, "\n") != want {
		t.Errorf("Validate problems %q, want %s", got, want)
	}
}

func TestDefault(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	n := len(s.Actors) + len(s.Tooling) + len(s.Responders) + len(s.Outlets) +
		len(s.Sectors) + len(s.Countries) + len(s.Patterns)
	if n == 0 {
		t.Error("Default has no entries")
	}
	packs, err := DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range packs {
		if !strings.HasPrefix(p.Source, "rules/default/") {
			t.Errorf("default pack source %q, want rules/default/<name>", p.Source)
		}
	}
}

// TestDefaultPackCoverage checks what the default pack promises: every
// sector of the vocabulary has keywords, every role has patterns, and the
// names that are ordinary words carry context cues.
func TestDefaultPackCoverage(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	sectors := map[string]bool{}
	for _, sec := range s.Sectors {
		if len(sec.Keywords) > 0 {
			sectors[sec.Sector] = true
		}
	}
	for _, want := range Sectors {
		if !sectors[want] {
			t.Errorf("sector %q has no keywords", want)
		}
	}
	roles := map[Role]int{}
	for _, p := range s.Patterns {
		roles[p.Role]++
	}
	for _, role := range []Role{RoleVictim, RoleActor, RoleStatus, RoleImpact, RoleResponder, RoleNotVictim} {
		if roles[role] == 0 {
			t.Errorf("no %s patterns", role)
		}
	}
	cued := map[string]bool{}
	for _, list := range [][]Entity{s.Actors, s.Tooling} {
		for _, e := range list {
			if len(e.Cues) > 0 {
				cued[e.Name] = true
			}
		}
	}
	for _, name := range []string{"Play", "Royal", "Hive", "Cuba", "Fog", "Medusa"} {
		if !cued[name] {
			t.Errorf("%q is an ordinary word but has no cues", name)
		}
	}
	for _, id := range LexiconIDs() {
		if len(s.Words(id))+len(s.Values(id)) == 0 {
			t.Errorf("lexicon list %q is missing or empty", id)
		}
	}
	if len(s.Actors) < 150 || len(s.Tooling) < 200 || len(s.Responders) < 50 || len(s.Countries) < 150 {
		t.Errorf("pack smaller than documented: %d actors, %d tooling, %d responders, %d countries",
			len(s.Actors), len(s.Tooling), len(s.Responders), len(s.Countries))
	}
}

// parseTestFS is parseFS naming files as fsys names them.
func parseTestFS(fsys fs.FS, patterns ...string) ([]*Pack, error) {
	return parseFS(fsys, func(name string) string { return name }, patterns)
}
