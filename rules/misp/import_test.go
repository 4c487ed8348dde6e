package misp

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/rules"
)

// testFiles parses the cluster files of testdata, leaving out those of
// galaxy types the import does not read.
func testFiles(t testing.TB) []*File {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test clusters: %v", err)
	}
	var files []*File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(p, data)
		if errors.Is(err, ErrType) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

func findEntity(list []rules.Entity, name string) *rules.Entity {
	for i := range list {
		if list[i].Name == name {
			return &list[i]
		}
	}
	return nil
}

func TestImport(t *testing.T) {
	im := Import(testFiles(t), Options{})

	if im.Clusters != 30 || im.Merges != 9 || im.Unnamed != 4 || im.Skipped != 0 {
		t.Errorf("clusters %d, merges %d, unnamed %d, skipped %d; want 30, 9, 4, 0",
			im.Clusters, im.Merges, im.Unnamed, im.Skipped)
	}
	var coll []string
	for _, c := range im.Collisions {
		coll = append(coll, c.String())
	}
	wantColl := []string{
		`"Deep Marlin": threat-actor.json (nation-state, CN) vs microsoft-activity-group.json (nation-state, RU)`,
		`"DragonForce": threat-actor.json (hacktivist group, MY) vs ransomware.json (ransomware)`,
		`"Ocelot Crew": threat-actor.json (nation-state, IR) vs mitre-malware.json (malware)`,
	}
	if !slices.Equal(coll, wantColl) {
		t.Errorf("collisions:\n%s\nwant:\n%s", strings.Join(coll, "\n"), strings.Join(wantColl, "\n"))
	}

	tests := []struct {
		name    string
		tooling bool
		want    rules.Entity // ID, Line left out
	}{
		{
			name: "linked as similar: one entry, state sponsor and country",
			want: rules.Entity{Name: "Vanadium Heron", Aliases: []string{"HERON SPIDER", "Heron Team", "TG-9901"},
				Kind: "nation-state", Country: "RU"},
		},
		{
			name: "shared alias merges a Microsoft name into the actor",
			want: rules.Entity{Name: "Ocelot Crew", Aliases: []string{"OCELOT-7", "Sand Tempest"}, Kind: "nation-state",
				Country: "IR", Cues: stateCues},
		},
		{
			name: "conflicting countries keep both, shared alias dropped; a lone-word alias brings cues",
			want: rules.Entity{Name: "Salt Blizzard", Aliases: []string{"SALTWATER"}, Kind: "nation-state", Country: "RU",
				CaseSensitive: true, Cues: stateCues},
		},
		{
			name: "country without sponsor: nation-state",
			want: rules.Entity{Name: "Bluefin Panda", Kind: "nation-state", Country: "CN"},
		},
		{
			name: "state sponsor name mapped to a code",
			want: rules.Entity{Name: "Kestrel7", Kind: "nation-state", Country: "IR"},
		},
		{
			name: "phrase of ordinary words gets cues and capitals",
			want: rules.Entity{Name: "Brown Fox", Aliases: []string{"Comment Crew"}, Kind: "group", CaseSensitive: true, Cues: groupCues},
		},
		{
			name: "hacktivists colliding with ransomware: cues that tell them apart",
			want: rules.Entity{Name: "DragonForce", Kind: "group", Country: "MY", CaseSensitive: true,
				Cues: []string{"hacktivist", "hacktivists", "hacktivism", "activists", "ddos", "defacement", "defaced", "collective"}},
		},
		{
			name:    "ransomware side of the collision, leak-site spelling replaced",
			tooling: true,
			want: rules.Entity{Name: "DragonForce", Kind: "ransomware", Actor: true, CaseSensitive: true,
				Cues: []string{"ransomware", "gang", "operators", "affiliates", "extortion", "leak", "cartel", "encrypted"}},
		},
		{
			name:    "criminal actors merge into their ransomware",
			tooling: true,
			want: rules.Entity{Name: "Kazu", Aliases: []string{"Kazu Team", "Storm-9001"}, Kind: "ransomware", Actor: true,
				CaseSensitive: true, Cues: ransomwareCues},
		},
		{
			name:    "ordinary word",
			tooling: true,
			want: rules.Entity{Name: "Play", Aliases: []string{"PlayCrypt"}, Kind: "ransomware", Actor: true,
				CaseSensitive: true, Cues: ransomwareCues},
		},
		{
			name:    "similar ransomware merged",
			tooling: true,
			want: rules.Entity{Name: "Royal", Aliases: []string{"Black Suit", "BlackSuit"}, Kind: "ransomware", Actor: true,
				CaseSensitive: true, Cues: ransomwareCues},
		},
		{
			name:    "a family is named after its clusters' common start; ordinary alias dropped",
			tooling: true,
			want:    rules.Entity{Name: "CryptoMix", Aliases: []string{"CryptFIle2", "CryptoMix-Arena"}, Kind: "ransomware", Actor: true, CaseSensitive: true},
		},
		{
			name:    "ransomware suffix dropped",
			tooling: true,
			want:    rules.Entity{Name: "Nokoyawa", Kind: "ransomware", Actor: true, CaseSensitive: true, Cues: ransomwareCues},
		},
		{
			name:    "names YAML would read as other types",
			tooling: true,
			want: rules.Entity{Name: "Null", Aliases: []string{"#hash: Tag", "True Fire"}, Kind: "ransomware", Actor: true,
				CaseSensitive: true, Cues: ransomwareCues},
		},
		{
			name:    "MITRE suffix and platform dropped, clusters merged",
			tooling: true,
			want:    rules.Entity{Name: "GreyLoader", Aliases: []string{"Grey Loader"}, Kind: "malware", CaseSensitive: true},
		},
		{
			name:    "malware colliding with an actor",
			tooling: true,
			want:    rules.Entity{Name: "Ocelot Crew", Kind: "malware", Cues: malwareCues},
		},
		{
			name:    "detection names dropped",
			tooling: true,
			want:    rules.Entity{Name: "Crisis", Aliases: []string{"Da Vinci"}, Kind: "malware", CaseSensitive: true, Cues: malwareCues},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := im.Actors
			if tt.tooling {
				list = im.Tooling
			}
			got := findEntity(list, tt.want.Name)
			if got == nil {
				t.Fatalf("no entry named %q", tt.want.Name)
			}
			g := *got
			// TestImportExternalIDs checks the external ids.
			g.ID, g.Line, g.ExternalIDs = "", 0, nil
			if !entityEqual(g, tt.want) {
				t.Errorf("got  %+v\nwant %+v", g, tt.want)
			}
		})
	}

	for _, gone := range []string{"Unknown Group 3", "Ransomware", "Unidentified 104", "Heron Team", "Sand Tempest", "Storm-9001", "BlackSuit"} {
		if findEntity(im.Actors, gone) != nil || findEntity(im.Tooling, gone) != nil {
			t.Errorf("%q should not be an entry", gone)
		}
	}
	if n := len(im.Actors) + len(im.Tooling); n != 17 {
		t.Errorf("%d entries, want 17", n)
	}
	checkNames(t, im)
}

func entityEqual(a, b rules.Entity) bool {
	return a.Name == b.Name && slices.Equal(a.Aliases, b.Aliases) && a.Kind == b.Kind && a.Country == b.Country &&
		slices.Equal(a.Cues, b.Cues) && a.CaseSensitive == b.CaseSensitive && a.Actor == b.Actor && a.Attack == b.Attack &&
		maps.Equal(a.ExternalIDs, b.ExternalIDs)
}

// checkNames checks what the loader and "rules validate" want of the
// entries: valid unique ids, and a name or alias claimed by one entry only,
// unless every entry claiming it has cues.
func checkNames(t *testing.T, im *Result) {
	t.Helper()
	ids := map[string]bool{}
	claims := map[string][]*rules.Entity{}
	for _, list := range [][]rules.Entity{im.Actors, im.Tooling} {
		for i := range list {
			e := &list[i]
			if !validIDPart(e.ID) || !strings.HasPrefix(e.ID, "misp.actor.") && !strings.HasPrefix(e.ID, "misp.tool.") || ids[e.ID] {
				t.Errorf("bad or repeated id %q", e.ID)
			}
			ids[e.ID] = true
			own := map[string]bool{}
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				if own[foldKey(n)] {
					t.Errorf("%s: name %q twice", e.ID, n)
				}
				own[foldKey(n)] = true
				if k := looseKey(n); len(claims[k]) == 0 || claims[k][len(claims[k])-1] != e {
					claims[k] = append(claims[k], e)
				}
			}
		}
	}
	for k, l := range claims {
		if len(l) < 2 {
			continue
		}
		for _, e := range l {
			if len(e.Cues) == 0 {
				t.Errorf("name %q is claimed by %d entries, %s without cues", k, len(l), e.ID)
			}
		}
	}
}

func TestImportLoads(t *testing.T) {
	im := Import(testFiles(t), Options{})
	out, err := im.Files()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var actors, tooling []rules.Entity
	for _, o := range out {
		names = append(names, o.Name)
		p, err := rules.ParseFile(o.Name, o.Data)
		if err != nil {
			t.Fatalf("%s does not load:\n%v\n%s", o.Name, err, o.Data)
		}
		actors = append(actors, p.Actors...)
		tooling = append(tooling, p.Tooling...)
	}
	if want := []string{"misp-actors.yaml", "misp-ransomware.yaml", "misp-malware.yaml", "misp-tools.yaml"}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	// What loads is what was imported (names YAML would misread
	// included), the tooling in the order of the files.
	sortByID := func(l []rules.Entity) {
		slices.SortFunc(l, func(a, b rules.Entity) int { return strings.Compare(a.ID, b.ID) })
	}
	sortByID(tooling)
	for _, c := range []struct {
		got, want []rules.Entity
	}{{actors, im.Actors}, {tooling, im.Tooling}} {
		if len(c.got) != len(c.want) {
			t.Fatalf("%d entries load, %d imported", len(c.got), len(c.want))
		}
		for i := range c.got {
			if c.got[i].ID != c.want[i].ID || !entityEqual(c.got[i], c.want[i]) {
				t.Errorf("loaded %+v\nimported %+v", c.got[i], c.want[i])
			}
		}
	}
	// The ids are written as a flow mapping, keys sorted, last in the
	// entry; an ATT&CK id of a merged cluster that is not the entry's own
	// is in a comment.
	if !bytes.Contains(out[2].Data, []byte("    case_sensitive: true\n"+
		"    external_ids: {misp-galaxy: 40000000-0000-4000-8000-000000000001, mitre-attack: S9001}\n"+
		"  - id: misp.tool.ocelot-crew\n")) {
		t.Errorf("no external_ids on GreyLoader:\n%s", out[2].Data)
	}
	if !bytes.Contains(out[1].Data, []byte("  # merged clusters: ATT&CK G9002\n  - id: misp.tool.kazu\n")) {
		t.Errorf("no comment with the ATT&CK id of the actor merged into Kazu:\n%s", out[1].Data)
	}
	if bytes.Contains(out[0].Data, []byte("# merged clusters")) {
		t.Errorf("a comment on an actor whose ids are all in external_ids:\n%s", out[0].Data)
	}
	// The whole import loads beside the default packs.
	def, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, o := range out {
		if err := os.WriteFile(filepath.Join(dir, o.Name), o.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	user, err := rules.LoadPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	set := rules.NewSet(append(def, user...)...)
	if findEntity(set.Tooling, "Nokoyawa") == nil || findEntity(set.Actors, "Vanadium Heron") == nil {
		t.Error("imported entries missing from the set")
	}
}

func TestImportDeterministic(t *testing.T) {
	files := testFiles(t)
	render := func(files []*File) []byte {
		out, err := Import(files, Options{}).Files()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for _, o := range out {
			b.WriteString("== " + o.Name + "\n")
			b.Write(o.Data)
		}
		return b.Bytes()
	}
	first := render(files)
	if again := render(files); !bytes.Equal(first, again) {
		t.Error("two imports of the same files differ")
	}
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	if other := render(reversed); !bytes.Equal(first, other) {
		t.Error("the import depends on the order of the files")
	}
}

func TestImportKnown(t *testing.T) {
	known, err := rules.ParseFile("known.yaml", []byte(`
tooling:
  - id: tool.play
    name: Play
    kind: ransomware
    actor: true
    cues: [ransomware]
  - id: tool.phishing
    name: phishing
    aliases: [Comment Crew]
    kind: technique
actors:
  - id: actor.salt
    name: SALTWATER
    kind: group
  - id: actor.kazu
    name: Kazu Team
    kind: group
responders:
  - id: ncsc
    name: Da Vinci
    kind: agency
`))
	if err != nil {
		t.Fatal(err)
	}
	im := Import(testFiles(t), Options{Known: []*rules.Pack{known}})
	if im.Skipped != 3 {
		t.Errorf("skipped %d, want 3 (Play, Salt Blizzard, Kazu)", im.Skipped)
	}
	for _, gone := range []string{"Play", "Salt Blizzard", "Kazu"} {
		if findEntity(im.Actors, gone) != nil || findEntity(im.Tooling, gone) != nil {
			t.Errorf("%q is in the known pack and should be left out", gone)
		}
	}
	if e := findEntity(im.Tooling, "Crisis"); e == nil || len(e.Aliases) != 0 {
		t.Errorf("a responder's name is not an alias: %+v", e)
	}
	if e := findEntity(im.Actors, "Brown Fox"); e == nil || len(e.Aliases) != 0 {
		t.Errorf("a technique's name is not an alias: %+v", e)
	}
}

// galaxyDir holds the real MISP galaxy clusters beside the repository,
// when they are there (they are data, never part of it).
const galaxyDir = "../../../shared/kb/misp-galaxy"

// BenchmarkLoadWithMISP loads the default packs plus a pack imported from
// every cluster file of galaxyDir, as "incidex extract --rules" does:
//
//	go test ./rules/misp -run '^$' -bench LoadWithMISP -benchtime 10x
func BenchmarkLoadWithMISP(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(galaxyDir, "*.json"))
	if len(paths) == 0 {
		b.Skip("no MISP galaxy clusters in " + galaxyDir)
	}
	var files []*File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if f, err := Parse(p, data); err == nil {
			files = append(files, f)
		}
	}
	def, err := rules.DefaultPacks()
	if err != nil {
		b.Fatal(err)
	}
	out, err := Import(files, Options{Known: def}).Files()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, o := range out {
		if err := os.WriteFile(filepath.Join(dir, o.Name), o.Data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		def, err := rules.DefaultPacks()
		if err != nil {
			b.Fatal(err)
		}
		user, err := rules.LoadPaths([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		_ = rules.NewSet(append(def, user...)...)
	}
}
