package misp

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/rules"
)

// attackCluster is what the checks of the default pack's ATT&CK ids need
// of a MITRE galaxy cluster.
type attackCluster struct {
	names     []string // its name, without " - G0007", and its synonyms
	withdrawn string   // why the id may not be used: "revoked", "deprecated"; "" when it may
}

// readAttackClusters reads the MITRE galaxies of dir by ATT&CK id. It
// skips the test when dir does not hold them: the clusters are data kept
// beside the repository, not part of it, so a fresh clone has none.
func readAttackClusters(t *testing.T, dir string) map[string]attackCluster {
	t.Helper()
	out := map[string]attackCluster{}
	for _, name := range []string{"mitre-intrusion-set.json", "mitre-malware.json", "mitre-tool.json"} {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			t.Skipf("no MISP galaxy clusters: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(path, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range f.Values {
			ids := metaStrings(v.Meta, "external_id")
			if len(ids) == 0 {
				continue
			}
			c := attackCluster{names: append([]string{mitreSuffixRE.ReplaceAllString(v.Value, "")}, metaStrings(v.Meta, "synonyms")...)}
			first, _, _ := strings.Cut(v.Description, ". ")
			switch {
			case v.Revoked:
				c.withdrawn = "revoked"
			case strings.Contains(strings.ToLower(first), "deprecated"):
				// MISP has no field for it: ATT&CK says so in the text
				// ("This entry was deprecated as it was inadvertently
				// added to Enterprise", TRITON's S0609).
				c.withdrawn = "deprecated"
			}
			if _, dup := out[ids[0]]; dup {
				t.Fatalf("%s: ATT&CK id %s twice", path, ids[0])
			}
			out[ids[0]] = c
		}
	}
	if len(out) == 0 {
		t.Fatalf("no ATT&CK clusters in %s", dir)
	}
	return out
}

// TestDefaultPackAttackIDs checks the MITRE ATT&CK ids of the default
// pack against the MITRE galaxies of MISP.
func TestDefaultPackAttackIDs(t *testing.T) {
	clusters := readAttackClusters(t, galaxyDir)
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range packs {
		for _, l := range [][]rules.Entity{p.Actors, p.Tooling, p.Responders, p.Outlets} {
			for _, e := range l {
				if e.ExternalIDs["mitre-attack"] != "" {
					n++
				}
			}
		}
	}
	for _, problem := range checkAttackIDs(packs, clusters) {
		t.Error(problem)
	}
	// The check must have something to check: the default pack gives its
	// groups and software their ids.
	if n < 100 {
		t.Errorf("%d entries of the default pack have an ATT&CK id, want at least 100", n)
	}
}

// TestCheckAttackIDs shows that checkAttackIDs finds each kind of mistake,
// with clusters made up for it, so that it runs without the galaxies.
func TestCheckAttackIDs(t *testing.T) {
	clusters := map[string]attackCluster{
		"G9001": {names: []string{"Quartz Owl", "QUARTZ-7"}},
		"G9002": {names: []string{"Amber Owl"}, withdrawn: "revoked"},
		"S9001": {names: []string{"OSX/QuartzRAT", "Quartz Shell"}},
		"S9002": {names: []string{"Quartz Locker Ransomware"}},
		"S9003": {names: []string{"Amber Wiper"}, withdrawn: "deprecated"},
	}
	tests := []struct {
		name string
		pack string // the YAML of a pack
		want string // the problem reported; "" for none
	}{
		{
			name: "group on an actor, by an alias",
			pack: "actors: [{id: actor.q, name: Quartz Crew, aliases: [Quartz-7], kind: group, external_ids: {mitre-attack: G9001}}]",
		},
		{
			name: "software named with a platform and a suffix ATT&CK adds",
			pack: "tooling: [{id: tool.q, name: QuartzRAT, kind: malware, external_ids: {mitre-attack: S9001}}," +
				" {id: tool.l, name: Quartz Locker, kind: ransomware, external_ids: {mitre-attack: S9002}}]",
		},
		{
			name: "id not in ATT&CK",
			pack: "actors: [{id: actor.q, name: Quartz Owl, kind: group, external_ids: {mitre-attack: G9009}}]",
			want: `x.yaml:1: actor.q: mitre-attack G9009 is not an ATT&CK group or software`,
		},
		{
			name: "revoked",
			pack: "actors: [{id: actor.a, name: Amber Owl, kind: group, external_ids: {mitre-attack: G9002}}]",
			want: `x.yaml:1: actor.a: mitre-attack G9002 is revoked in ATT&CK`,
		},
		{
			name: "deprecated",
			pack: "tooling: [{id: tool.a, name: Amber Wiper, kind: malware, external_ids: {mitre-attack: S9003}}]",
			want: `x.yaml:1: tool.a: mitre-attack S9003 is deprecated in ATT&CK`,
		},
		{
			name: "names that differ",
			pack: "actors: [{id: actor.q, name: Quartz Panda, aliases: [Owl], kind: group, external_ids: {mitre-attack: G9001}}]",
			want: `x.yaml:1: actor.q: mitre-attack G9001 is "Quartz Owl" (QUARTZ-7), which shares no name with "Quartz Panda" (Owl)`,
		},
		{
			name: "group on tooling",
			pack: "tooling: [{id: tool.q, name: Quartz Owl, kind: ransomware, external_ids: {mitre-attack: G9001}}]",
			want: `x.yaml:1: tool.q: mitre-attack G9001 in tooling; tooling takes S ids`,
		},
		{
			name: "software on an actor",
			pack: "actors: [{id: actor.q, name: QuartzRAT, kind: group, external_ids: {mitre-attack: S9001}}]",
			want: `x.yaml:1: actor.q: mitre-attack S9001 in actors; actors take G ids`,
		},
		{
			name: "ATT&CK id on a responder",
			pack: "responders: [{id: resp.q, name: Quartz Owl, kind: vendor, external_ids: {mitre-attack: G9001}}]",
			want: `x.yaml:1: resp.q: mitre-attack G9001 in responders; only actors and tooling take ATT&CK ids`,
		},
		{
			name: "technique: not a group or software",
			pack: "tooling: [{id: tool.p, name: phishing, kind: technique, external_ids: {mitre-attack: T1566}}]",
			want: `x.yaml:1: tool.p: mitre-attack T1566 in tooling; tooling takes S ids`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rules.ParseFile("x.yaml", []byte(tt.pack))
			if err != nil {
				t.Fatal(err)
			}
			got := checkAttackIDs([]*rules.Pack{p}, clusters)
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// checkAttackIDs returns the problems of the packs' mitre-attack ids:
// one not in clusters or withdrawn there; one whose cluster shares no
// name with the entry (compared by attackNameKey); a G id outside actors,
// an S id outside tooling, any on responders or outlets.
func checkAttackIDs(packs []*rules.Pack, clusters map[string]attackCluster) []string {
	var problems []string
	for _, p := range packs {
		for _, sec := range []struct {
			name string
			list []rules.Entity
			kind string // the letter of the ids it takes
		}{{"actors", p.Actors, "G"}, {"tooling", p.Tooling, "S"}, {"responders", p.Responders, ""}, {"outlets", p.Outlets, ""}} {
			for _, e := range sec.list {
				id := e.ExternalIDs["mitre-attack"]
				if id == "" {
					continue
				}
				bad := func(format string, args ...any) {
					problems = append(problems, fmt.Sprintf("%s:%d: %s: mitre-attack %s ", e.Source, e.Line, e.ID, id)+fmt.Sprintf(format, args...))
				}
				switch {
				case sec.kind == "":
					bad("in %s; only actors and tooling take ATT&CK ids", sec.name)
					continue
				case !strings.HasPrefix(id, sec.kind) && sec.kind == "G":
					bad("in %s; actors take G ids", sec.name)
					continue
				case !strings.HasPrefix(id, sec.kind):
					bad("in %s; tooling takes S ids", sec.name)
					continue
				}
				c, ok := clusters[id]
				switch {
				case !ok:
					bad("is not an ATT&CK group or software")
					continue
				case c.withdrawn != "":
					bad("is %s in ATT&CK", c.withdrawn)
					continue
				}
				names := append([]string{e.Name}, e.Aliases...)
				if !slices.ContainsFunc(names, func(n string) bool {
					return slices.ContainsFunc(c.names, func(cn string) bool { return attackNameKey(n) == attackNameKey(cn) })
				}) {
					bad("is %q (%s), which shares no name with %q (%s)", c.names[0], strings.Join(c.names[1:], ", "), e.Name, strings.Join(e.Aliases, ", "))
				}
			}
		}
	}
	return problems
}

// attackNameAddRE matches what ATT&CK adds to a name the news writes
// bare: a platform before a slash ("OSX/Shlayer") and a trailing "Group"
// or "Ransomware" ("Medusa Group", "BlackByte Ransomware").
var attackNameAddRE = regexp.MustCompile(`(?i)^(?:osx|macos|linux|windows|win32|android|ios)/|\s+(?:group|ransomware)$`)

// attackNameKey is how an entry's names and a cluster's compare: without
// what ATT&CK adds to a name, as the importer merges clusters (looseKey:
// case, spaces and punctuation ignored, so "WarzoneRAT" is "Warzone RAT").
func attackNameKey(s string) string {
	return looseKey(attackNameAddRE.ReplaceAllString(strings.TrimSpace(s), ""))
}
