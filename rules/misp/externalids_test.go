package misp

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/rules"
)

// TestImportExternalIDs checks the ids of the entries imported from
// testdata: the uuid of the cluster each is named from, also when it
// merges others, and the ATT&CK id of its kind.
func TestImportExternalIDs(t *testing.T) {
	im := Import(testFiles(t), Options{})
	tests := []struct {
		name    string
		entry   string
		tooling bool
		want    map[string]string
	}{
		{
			name:  "actor with an ATT&CK id among its names and refs, merged with a similar cluster",
			entry: "Vanadium Heron",
			want:  map[string]string{"misp-galaxy": "10000000-0000-4000-8000-000000000001", "mitre-attack": "G9001"},
		},
		{
			name:  "actor merged with a Microsoft name keeps its own cluster",
			entry: "Ocelot Crew",
			want:  map[string]string{"misp-galaxy": "10000000-0000-4000-8000-000000000005"},
		},
		{
			name:  "actor named from a Microsoft cluster",
			entry: "Salt Blizzard",
			want:  map[string]string{"misp-galaxy": "20000000-0000-4000-8000-000000000002"},
		},
		{
			name:  "lone cluster",
			entry: "Bluefin Panda",
			want:  map[string]string{"misp-galaxy": "10000000-0000-4000-8000-000000000006"},
		},
		{
			name:    "ransomware keeps its cluster, not the absorbed actor's, nor the actor's G id",
			entry:   "Kazu",
			tooling: true,
			want:    map[string]string{"misp-galaxy": "30000000-0000-4000-8000-000000000003"},
		},
		{
			name:    "similar clusters: the one the entry is named from",
			entry:   "Royal",
			tooling: true,
			want:    map[string]string{"misp-galaxy": "30000000-0000-4000-8000-000000000004"},
		},
		{
			name:    "leak-site spelling respelled: still that cluster",
			entry:   "DragonForce",
			tooling: true,
			want:    map[string]string{"misp-galaxy": "30000000-0000-4000-8000-000000000001"},
		},
		{
			name:    "family named after the common start of its clusters",
			entry:   "CryptoMix",
			tooling: true,
			want:    map[string]string{"misp-galaxy": "30000000-0000-4000-8000-000000000011"},
		},
		{
			name:    "MITRE cluster's own id; a group page in its refs is not software",
			entry:   "GreyLoader",
			tooling: true,
			want:    map[string]string{"misp-galaxy": "40000000-0000-4000-8000-000000000001", "mitre-attack": "S9001"},
		},
		{
			name:    "malware side of a collision with an actor",
			entry:   "Ocelot Crew",
			tooling: true,
			want:    map[string]string{"misp-galaxy": "40000000-0000-4000-8000-000000000002", "mitre-attack": "S9002"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := im.Actors
			if tt.tooling {
				list = im.Tooling
			}
			e := findEntity(list, tt.entry)
			if e == nil {
				t.Fatalf("no entry named %q", tt.entry)
			}
			if !maps.Equal(e.ExternalIDs, tt.want) {
				t.Errorf("external ids %v, want %v", e.ExternalIDs, tt.want)
			}
		})
	}
	for _, list := range [][]rules.Entity{im.Actors, im.Tooling} {
		for _, e := range list {
			if e.ExternalIDs["misp-galaxy"] == "" {
				t.Errorf("%s: no misp-galaxy id", e.ID)
			}
		}
	}
}

// TestImportAttackIDs imports a few clusters at a time and checks what
// becomes of their ATT&CK ids and uuids, in the entries and in the packs
// rules.ParseFile loads.
func TestImportAttackIDs(t *testing.T) {
	const uuidA, uuidB = "a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b"
	tests := []struct {
		name   string
		files  map[string]string // galaxy type -> its clusters, JSON
		entry  string            // the entry checked
		want   map[string]string
		merged string // ATT&CK ids in the entry's comment; "" for none
	}{
		{
			name: "MITRE group",
			files: map[string]string{"mitre-intrusion-set": `{"uuid": "` + uuidA + `", "value": "Quartz Owl - G9101",
				"meta": {"external_id": "G9101", "refs": ["https://attack.mitre.org/groups/G9101"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "G9101"},
		},
		{
			name:  "MITRE software",
			files: map[string]string{"mitre-tool": `{"uuid": "` + uuidA + `", "value": "QuartzDump - S9102", "meta": {"external_id": "S9102"}}`},
			entry: "QuartzDump",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "S9102"},
		},
		{
			name: "revoked cluster: no ATT&CK id",
			files: map[string]string{"mitre-intrusion-set": `{"uuid": "` + uuidA + `", "value": "Quartz Owl - G9103", "revoked": true,
				"meta": {"external_id": "G9103", "refs": ["https://attack.mitre.org/groups/G9103"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name:  "external_id of the other kind",
			files: map[string]string{"mitre-malware": `{"uuid": "` + uuidA + `", "value": "QuartzRAT", "meta": {"external_id": "G9104"}}`},
			entry: "QuartzRAT",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name: "one group page cited",
			files: map[string]string{"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl",
				"meta": {"refs": ["https://example.com/report", "https://attack.mitre.org/groups/G9105/"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "G9105"},
		},
		{
			name:  "page of ATT&CK's old wiki",
			files: map[string]string{"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl", "meta": {"refs": ["https://attack.mitre.org/wiki/Group/G9106"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "G9106"},
		},
		{
			name: "two group pages cited: neither",
			files: map[string]string{"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl",
				"meta": {"refs": ["https://attack.mitre.org/groups/G9107/", "https://attack.mitre.org/groups/G9108/"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name: "an id among the names beats a cited page",
			files: map[string]string{"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl",
				"meta": {"synonyms": ["G9109"], "refs": ["https://attack.mitre.org/groups/G9110/"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "G9109"},
		},
		{
			name: "two ids among the names: neither",
			files: map[string]string{"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl",
				"meta": {"synonyms": ["G9111", " G9112 "], "refs": ["https://attack.mitre.org/groups/G9111/"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name:  "a software page on an actor",
			files: map[string]string{"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl", "meta": {"refs": ["https://attack.mitre.org/software/S9113/"]}}`},
			entry: "Quartz Owl",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name:  "software page on malware",
			files: map[string]string{"tool": `{"uuid": "` + uuidA + `", "value": "QuartzRAT", "meta": {"refs": ["http://attack.mitre.org/software/S9114"]}}`},
			entry: "QuartzRAT",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "S9114"},
		},
		{
			name: "malformed pages",
			files: map[string]string{"tool": `{"uuid": "` + uuidA + `", "value": "QuartzRAT", "meta": {"refs": [
				"https://attack.mitre.org/groups/S9115/",
				"https://attack.mitre.org/software/S91150/",
				"https://attack.mitre.org/software/S9115x",
				"https://attack.mitre.org/techniques/T1566/",
				"https://example.com/attack.mitre.org/software/S9115/",
				"https://web.archive.org/web/2020/https://attack.mitre.org/software/S9115/"]}}`},
			entry: "QuartzRAT",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name:  "upper-case uuid written lower-case",
			files: map[string]string{"tool": `{"uuid": "` + strings.ToUpper(uuidA) + `", "value": "QuartzRAT"}`},
			entry: "QuartzRAT",
			want:  map[string]string{"misp-galaxy": uuidA},
		},
		{
			name:  "malformed uuid left out",
			files: map[string]string{"mitre-tool": `{"uuid": "quartz-1", "value": "QuartzDump - S9116", "meta": {"external_id": "S9116"}}`},
			entry: "QuartzDump",
			want:  map[string]string{"mitre-attack": "S9116"},
		},
		{
			name:  "no uuid and no ATT&CK id: no external_ids",
			files: map[string]string{"tool": `{"value": "QuartzRAT"}`},
			entry: "QuartzRAT",
		},
		{
			name: "merged: the named cluster's uuid, a MITRE cluster's own id, the cited one in a comment",
			files: map[string]string{
				"threat-actor":        `{"uuid": "` + uuidA + `", "value": "Quartz Owl", "meta": {"refs": ["https://attack.mitre.org/groups/G9117/"]}}`,
				"mitre-intrusion-set": `{"uuid": "` + uuidB + `", "value": "Quartz Owl - G9118", "meta": {"external_id": "G9118", "synonyms": ["Quartz Owl", "Amber Owl"]}}`,
			},
			entry:  "Quartz Owl",
			want:   map[string]string{"misp-galaxy": uuidA, "mitre-attack": "G9118"},
			merged: "G9117",
		},
		{
			name: "merged: the id of the cluster of the entry's name before a linked cluster's",
			files: map[string]string{
				"threat-actor": `{"uuid": "` + uuidA + `", "value": "Quartz Owl", "related": [{"dest-uuid": "c0000000-0000-4000-8000-00000000000c", "type": "similar"}]}`,
				"mitre-intrusion-set": `{"uuid": "c0000000-0000-4000-8000-00000000000c", "value": "Amber Owl - G9121", "meta": {"external_id": "G9121"}},
					{"uuid": "` + uuidB + `", "value": "Quartz Owl - G9122", "meta": {"external_id": "G9122"}}`,
			},
			entry:  "Quartz Owl",
			want:   map[string]string{"misp-galaxy": uuidA, "mitre-attack": "G9122"},
			merged: "G9121",
		},
		{
			name: "merged: ransomware keeps its uuid; the gang's G id is a comment",
			files: map[string]string{
				"ransomware":   `{"uuid": "` + uuidA + `", "value": "Quartz Locker"}`,
				"threat-actor": `{"uuid": "` + uuidB + `", "value": "Quartz Locker", "description": "A ransomware gang.", "meta": {"refs": ["https://attack.mitre.org/groups/G9119/"]}}`,
			},
			entry:  "Quartz Locker",
			want:   map[string]string{"misp-galaxy": uuidA},
			merged: "G9119",
		},
		{
			name: "merged: a leak-site spelling's cluster names the entry",
			files: map[string]string{"ransomware": `{"uuid": "` + uuidA + `", "value": "quartzlocker", "related": [{"dest-uuid": "` + uuidB + `", "type": "similar"}]},
				{"uuid": "` + uuidB + `", "value": "Amberlocker", "meta": {"synonyms": ["Quartz Locker"], "refs": ["https://attack.mitre.org/software/S9120/"]}}`},
			entry: "Quartz Locker",
			want:  map[string]string{"misp-galaxy": uuidA, "mitre-attack": "S9120"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var files []*File
			for _, galaxy := range slices.Sorted(maps.Keys(tt.files)) {
				data := fmt.Sprintf(`{"type": %q, "version": 1, "values": [%s]}`, galaxy, tt.files[galaxy])
				f, err := Parse(galaxy+".json", []byte(data))
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, f)
			}
			im := Import(files, Options{})
			e := findEntity(append(slices.Clone(im.Actors), im.Tooling...), tt.entry)
			if e == nil {
				t.Fatalf("no entry named %q in %+v %+v", tt.entry, im.Actors, im.Tooling)
			}
			if !maps.Equal(e.ExternalIDs, tt.want) {
				t.Errorf("external ids %v, want %v", e.ExternalIDs, tt.want)
			}
			if got := strings.Join(im.merged[e.ID], ", "); got != tt.merged {
				t.Errorf("ATT&CK ids of merged clusters %q, want %q", got, tt.merged)
			}
			out, err := im.Files()
			if err != nil {
				t.Fatal(err)
			}
			var loaded *rules.Entity
			for _, o := range out {
				p, err := rules.ParseFile(o.Name, o.Data)
				if err != nil {
					t.Fatalf("%s does not load: %v\n%s", o.Name, err, o.Data)
				}
				if l := findEntity(append(p.Actors, p.Tooling...), tt.entry); l != nil {
					loaded = l
				}
				if tt.merged != "" && strings.Contains(string(o.Data), "id: "+e.ID+"\n") &&
					!strings.Contains(string(o.Data), "  # merged clusters: ATT&CK "+tt.merged+"\n  - id: "+e.ID+"\n") {
					t.Errorf("no comment with %s on %s:\n%s", tt.merged, e.ID, o.Data)
				}
			}
			if loaded == nil {
				t.Fatalf("%q not in the packs", tt.entry)
			}
			if !maps.Equal(loaded.ExternalIDs, tt.want) {
				t.Errorf("loaded external ids %v, want %v", loaded.ExternalIDs, tt.want)
			}
		})
	}
}
