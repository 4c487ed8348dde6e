package stix

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/record"
)

var fallback = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// bundleOf is the bundle of records, indented.
func bundleOf(tb testing.TB, records []*record.Result) []byte {
	tb.Helper()
	b := NewBundle(Options{Fallback: fallback})
	for _, r := range records {
		b.Add(r)
	}
	data, err := b.Encode("  ")
	if err != nil {
		tb.Fatalf("encode: %v", err)
	}
	return data
}

// TestBundlesValidate converts the records of every test page (and corpus
// page, when ../shared is there) and the hand-built ones, each record on
// its own (as --format stix-jsonl does) and all in one bundle (--format
// stix), and checks every bundle and every object against the OASIS
// schemas and the rules they cannot express.
func TestBundlesValidate(t *testing.T) {
	v := newValidator(t, schemaDir)
	pages, corpus := testPages(t)
	groups := []struct {
		name    string
		records []*record.Result
	}{
		{"testdata", pageRecords(t, pages)},
		{"corpus", pageRecords(t, corpus)},
		{"hand-built", handRecords()},
	}
	bundles, objects := 0, 0
	check := func(name string, data []byte) {
		t.Helper()
		n, errs := v.schemaErrors(data)
		errs = append(errs, v.ruleErrors(data)...)
		for _, err := range errs {
			t.Errorf("%s: %v", name, err)
		}
		bundles++
		objects += n
	}
	var all []*record.Result
	for _, g := range groups {
		for _, r := range g.records {
			data, err := EncodeResult(r, Options{Fallback: fallback})
			if err != nil {
				t.Fatalf("%s: %v", r.Input, err)
			}
			if bytes.Count(data, []byte("\n")) != 1 || !bytes.HasSuffix(data, []byte("\n")) {
				t.Errorf("%s: EncodeResult is not one line", r.Input)
			}
			check(g.name+"/"+r.Input, data)
		}
		check(g.name, bundleOf(t, g.records))
		all = append(all, g.records...)
	}
	check("all", bundleOf(t, all))
	t.Logf("validated %d bundles, %d objects (%d records: %d test pages, %d corpus pages, %d hand-built)",
		bundles, objects, len(all), len(groups[0].records), len(groups[1].records), len(groups[2].records))
	if len(groups[0].records) < 10 {
		t.Errorf("converted %d test pages, want at least 10", len(groups[0].records))
	}
}

// TestValidatorRejects checks that the checks can fail: each broken
// bundle is caught, by the schemas or by the rules.
func TestValidatorRejects(t *testing.T) {
	v := newValidator(t, schemaDir)
	good, err := EncodeResult(handRecords()[0], Options{Fallback: fallback})
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := v.schemaErrors(good); len(errs) > 0 {
		t.Fatalf("the good bundle fails: %v", errs)
	}
	if errs := v.ruleErrors(good); len(errs) > 0 {
		t.Fatalf("the good bundle fails the rules: %v", errs)
	}
	// edit changes the first object of a type in the good bundle.
	edit := func(typ string, change func(o map[string]any, objects []any) []any) []byte {
		var bundle map[string]any
		if err := json.Unmarshal(good, &bundle); err != nil {
			t.Fatal(err)
		}
		objects := bundle["objects"].([]any)
		found := false
		for _, o := range objects {
			if m := o.(map[string]any); m["type"] == typ {
				objects, found = change(m, objects), true
				break
			}
		}
		if !found {
			t.Fatalf("no %s in the good bundle", typ)
		}
		bundle["objects"] = objects
		data, err := json.Marshal(bundle)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	set := func(k string, val any) func(map[string]any, []any) []any {
		return func(o map[string]any, objects []any) []any {
			if val == nil {
				delete(o, k)
			} else {
				o[k] = val
			}
			return objects
		}
	}
	tests := []struct {
		name   string
		data   []byte
		schema bool // the schemas catch it; else the rules
	}{
		{"confidence over 100", edit("incident", set("confidence", 101)), true},
		{"malware without is_family", edit("malware", set("is_family", nil)), true},
		{"report without object_refs", edit("report", set("object_refs", []any{})), true},
		{"timestamp without milliseconds", edit("identity", set("created", "2025-04-30T00:00:00Z")), true},
		{"reserved property severity", edit("incident", set("severity", "high")), true},
		{"bad sha-256", edit("file", set("hashes", map[string]any{"SHA-256": "abc"})), true},
		{"bad ipv4", edit("ipv4-addr", set("value", "999.1.1.1")), true},
		{"relative url", edit("report", set("external_references", []any{map[string]any{"source_name": "x", "url": "/a/b"}})), true},
		{"cve id under another source", edit("vulnerability", set("external_references", []any{map[string]any{"source_name": "nvd", "external_id": "CVE-2023-4966"}})), true},
		{"bad domain", edit("domain-name", set("value", "-bad-.example")), true},
		{"dangling source_ref", edit("relationship", set("source_ref", "incident--00000000-0000-5000-8000-000000000000")), false},
		{"relationship not in the table", edit("relationship", func(o map[string]any, objects []any) []any {
			o["relationship_type"] = "exploits"
			return objects
		}), false},
		{"id of another type", edit("location", set("id", "identity--"+strings.Split(sdoID("x", "y"), "--")[1])), false},
		{"undocumented custom property", edit("incident", set("status", "confirmed")), false},
		{"object twice", edit("malware", func(o map[string]any, objects []any) []any { return append(objects, o) }), false},
		{"creator missing", edit("identity", func(o map[string]any, objects []any) []any {
			return slices.DeleteFunc(objects, func(x any) bool { return x.(map[string]any)["id"] == creatorID })
		}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, schemaErrs := v.schemaErrors(tt.data)
			ruleErrs := v.ruleErrors(tt.data)
			switch {
			case tt.schema && len(schemaErrs) == 0:
				t.Errorf("the schemas accept it")
			case !tt.schema && len(ruleErrs) == 0:
				t.Errorf("the rules accept it")
			}
		})
	}
}

// TestSchemasAbsent checks that a fresh clone, without ../shared, skips
// the schema tests rather than fail them.
func TestSchemasAbsent(t *testing.T) {
	var sub *testing.T
	t.Run("absent", func(t *testing.T) {
		sub = t
		newValidator(t, filepath.Join(t.TempDir(), "no-schemas"))
		t.Error("newValidator did not skip")
	})
	if !sub.Skipped() {
		t.Error("a missing schema directory is not skipped")
	}
}

// TestDeterministic converts the same records twice, and in another
// order, and wants the same bytes: ids, times and order come from the
// records alone.
func TestDeterministic(t *testing.T) {
	pages, corpus := testPages(t)
	records := append(pageRecords(t, append(pages, corpus...)), handRecords()...)
	first := bundleOf(t, records)
	if again := bundleOf(t, records); !bytes.Equal(first, again) {
		t.Fatal("two conversions differ")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3 {
		shuffled := slices.Clone(records)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := bundleOf(t, shuffled); !bytes.Equal(first, got) {
			t.Fatalf("shuffle %d: the bundle differs from the one in input order", i)
		}
	}
	// A later run (another fallback time) changes nothing for articles
	// that carry their own time.
	b := NewBundle(Options{Fallback: fallback.Add(48 * time.Hour)})
	for _, r := range records {
		if r.Published != "" || r.FetchedAt != "" {
			b.Add(r)
		}
	}
	c := NewBundle(Options{Fallback: fallback})
	for _, r := range records {
		if r.Published != "" || r.FetchedAt != "" {
			c.Add(r)
		}
	}
	x, _ := b.Encode("")
	y, _ := c.Encode("")
	if !bytes.Equal(x, y) {
		t.Error("the fallback time changes articles that have a time")
	}
	// One record's bundle is one line, and the same twice.
	for _, r := range records {
		p, _ := EncodeResult(r, Options{Fallback: fallback})
		q, _ := EncodeResult(r, Options{Fallback: fallback})
		if !bytes.Equal(p, q) {
			t.Errorf("%s: EncodeResult differs between calls", r.Input)
		}
	}
}

// TestSharedObjects checks that what several articles share is one object,
// merged the same whatever the order, and that what belongs to one
// article stays apart.
func TestSharedObjects(t *testing.T) {
	recs := handRecords()
	objects := objectsOf(t, bundleOf(t, recs))
	lockbit := find(objects, "intrusion-set", "LockBit")
	if len(lockbit) != 1 || len(find(objects, "intrusion-set", "Lockbit ")) != 0 || len(find(objects, "intrusion-set", "Lockbit")) != 0 {
		t.Fatalf("want one intrusion-set LockBit for LockBit and \"Lockbit \", got %v", lockbit)
	}
	if got := lockbit[0]["aliases"]; !slices.Equal(toStrings(got), []string{"LockBit 3.0", "Lockbit"}) {
		t.Errorf("LockBit aliases = %v, want the other spelling and the alias", got)
	}
	// Created is the earlier article's time (2 November 2023, not 30 April 2025).
	if got := lockbit[0]["created"]; got != "2023-11-02T00:00:00.000Z" {
		t.Errorf("LockBit created = %v, want the earlier article's time", got)
	}
	if n := len(find(objects, "vulnerability", "CVE-2023-4966")); n != 1 {
		t.Errorf("%d vulnerabilities CVE-2023-4966 (tooling in one article, indicators in two), want 1", n)
	}
	if n := len(find(objects, "ipv4-addr", "185.220.101.4")); n != 1 {
		t.Errorf("%d ipv4-addr 185.220.101.4, want 1", n)
	}
	if n := countType(objects, "file"); n != 3 {
		t.Errorf("%d files, want 3 (the upper-case SHA-256 of the last article is the first's)", n)
	}
	if n := len(find(objects, "location", "United Kingdom")); n != 1 {
		t.Errorf("%d locations United Kingdom (\"GB\" and \"gb\"), want 1", n)
	}
	if n := countType(objects, "report"); n != 3 {
		t.Errorf("%d reports, want 3: the article without incidents or indicators adds none", n)
	}
	if n := countType(objects, "incident"); n != 3 {
		t.Errorf("%d incidents, want 3", n)
	}
	// The record without incidents adds nothing at all.
	empty := NewBundle(Options{})
	empty.Add(recs[2])
	if empty.Len() != 0 {
		t.Errorf("an article without incidents or indicators adds %d objects", empty.Len())
	}
	data, err := empty.Encode("")
	if err != nil || !strings.HasPrefix(string(data), `{"type":"bundle","id":"bundle--`) || strings.Contains(string(data), "objects") {
		t.Errorf("empty bundle = %s, %v", data, err)
	}
}

func countType(objects map[string]map[string]any, typ string) int {
	n := 0
	for _, o := range objects {
		if o["type"] == typ {
			n++
		}
	}
	return n
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// TestMapping checks the mapping of the hand-built article, field by
// field, as the README's table gives it.
func TestMapping(t *testing.T) {
	objects := objectsOf(t, bundleOf(t, handRecords()[:1]))
	one := func(typ, name string) map[string]any {
		t.Helper()
		got := find(objects, typ, name)
		if len(got) != 1 {
			t.Fatalf("%d %s %q, want 1", len(got), typ, name)
		}
		return got[0]
	}
	rel := func(relType, source, target string) map[string]any {
		t.Helper()
		for _, o := range objects {
			if o["type"] == "relationship" && o["relationship_type"] == relType && o["source_ref"] == source && o["target_ref"] == target {
				return o
			}
		}
		t.Fatalf("no %s relationship from %s to %s", relType, source, target)
		return nil
	}
	jsonOf := func(v any) string {
		b, _ := marshal(v)
		return string(b)
	}
	report := one("report", "M&S and Co-op hit by cyber attacks")
	incident := one("incident", "Cyberattack on Marks & Spencer, Co-op and Defra")
	ms := one("identity", "Marks & Spencer")
	spider := one("intrusion-set", "Scattered Spider")
	tests := []struct {
		name, got, want string
	}{
		{"report published (RFC 3339 in UTC, ms)", jsonOf(report["published"]), `"2025-04-30T17:24:11.000Z"`},
		{"report created", jsonOf(report["created"]), `"2025-04-30T17:24:11.000Z"`},
		{"report type", jsonOf(report["report_types"]), `["threat-report"]`},
		{"report lang", jsonOf(report["lang"]), `"en-GB"`},
		{"report byline", jsonOf(report["x_incidex_byline"]), `"Jane Doe"`},
		{"report incidents omitted", jsonOf(report["x_incidex_incidents_omitted"]), `3`},
		{"report references", jsonOf(report["external_references"]), `[{"source_name":"The Example News","url":"https://news.example/2025/04/30/ms-coop?utm=x"},{"description":"canonical URL","source_name":"The Example News","url":"https://news.example/2025/04/30/ms-coop"}]`},
		{"report id over the canonical URL", jsonOf(report["id"]), `"` + sdoID("report", "report|https://news.example/2025/04/30/ms-coop") + `"`},
		{"report leaves out incidex", jsonOf(slices.Contains(toStrings(report["object_refs"]), creatorID)), `false`},
		{"report refers to the article's indicators", jsonOf(slices.Contains(toStrings(report["object_refs"]), valueID("domain-name", "news-tips.example"))), `true`},
		{"article-level indicator that fits no object", jsonOf(report["x_incidex_indicators"].([]any)[2]), `{"evidence":[{"end":1309,"rule":"indicator.url","start":1300,"text":"not a url"}],"type":"url","value":"not a url"}`},
		{"incident id", jsonOf(incident["id"]), `"` + sdoID("incident", "incident|https://news.example/2025/04/30/ms-coop|aaaaaaaaaaaa") + `"`},
		{"incident confidence", jsonOf(incident["confidence"]), `87`},
		{"incident status", jsonOf(incident["x_incidex_status"]), `"confirmed"`},
		{"incident date", jsonOf(incident["x_incidex_occurred"]), `"2025-04"`},
		{"incident type (OpenCTI)", jsonOf(incident["incident_type"]), `"ransomware"`},
		{"incident omitted", jsonOf(incident["x_incidex_omitted"]), `{"tooling":4950}`},
		{"incident impacts", jsonOf(incident["x_incidex_impacts"].([]any)[1]), `{"evidence":[{"end":620,"rule":"impact.confidentiality","start":580,"text":"Data of 9.4 million customers was taken."}],"evidence_count":14,"kind":"confidentiality","quantity":{"unit":"records","value":9400000},"summary":"customer data taken"}`},
		{"incident responders", jsonOf(incident["x_incidex_responders"]), `[{"evidence":[{"end":680,"rule":"responder","start":660,"text":"The NCSC is helping."}],"name":"National Cyber Security Centre"}]`},
		{"incident malformed indicator", jsonOf(incident["x_incidex_indicators"]), `[{"evidence":[{"end":1194,"rule":"indicator.ipv4","start":1180,"text":"Odd 999.1.1.1."}],"type":"ipv4","value":"999.1.1.1"}]`},
		{"attempted incident name", jsonOf(len(find(objects, "incident", "Attempted cyberattack by LockBit"))), `1`},
		{"victim class", jsonOf(ms["identity_class"]), `"organization"`},
		{"victim sector", jsonOf(ms["sectors"]), `["retail"]`},
		{"food sector", jsonOf(one("identity", "Co-op")["sectors"]), `["agriculture"]`},
		{"government sector", jsonOf(one("identity", "Defra")["sectors"]), `["government"]`},
		{"victim aliases (OpenCTI)", jsonOf(ms["x_opencti_aliases"]), `["M&S","Marks and Spencer"]`},
		{"victim external ids", jsonOf(ms["external_references"]), `[{"external_id":"Q714491","source_name":"wikidata"}]`},
		{"victim ref", jsonOf(ms["x_incidex_entry"]), `"victim.ms"`},
		{"victim id", jsonOf(ms["id"]), `"` + sdoID("identity", "organization|marks & spencer") + `"`},
		{"country", jsonOf(one("location", "United Kingdom")["country"]), `"GB"`},
		{"bad country code makes no location", jsonOf(countType(objects, "location")), `1`},
		{"located-at", jsonOf(rel("located-at", ms["id"].(string), one("location", "United Kingdom")["id"].(string))["relationship_type"]), `"located-at"`},
		{"victim relationship", jsonOf(rel("targets", incident["id"].(string), ms["id"].(string))["confidence"]), `91`},
		{"victim evidence", jsonOf(rel("targets", incident["id"].(string), ms["id"].(string))["x_incidex_evidence_count"]), `12`},
		{"victim cues", jsonOf(rel("targets", incident["id"].(string), ms["id"].(string))["x_incidex_cues"]), `["passive-victim","named-company"]`},
		{"group aliases", jsonOf(spider["aliases"]), `["Octo Tempest","UNC3944"]`},
		{"group references", jsonOf(spider["external_references"]), `[{"external_id":"d0c8f7a1-1b8e-4d3e-9c2f-0e5b5a6c7d8e","source_name":"misp-galaxy"},{"external_id":"G1015","source_name":"mitre-attack","url":"https://attack.mitre.org/groups/G1015/"}]`},
		{"attribution confidence capped", jsonOf(rel("attributed-to", incident["id"].(string), spider["id"].(string))["confidence"]), `85`},
		{"attribution", jsonOf(rel("attributed-to", incident["id"].(string), spider["id"].(string))["x_incidex_attribution"]), `"attributed"`},
		{"claimed attribution", jsonOf(rel("attributed-to", incident["id"].(string), one("threat-actor", "Tyler Buchanan")["id"].(string))["confidence"]), `50`},
		{"derived targets", jsonOf(rel("targets", spider["id"].(string), ms["id"].(string))["confidence"]), `85`},
		{"derived uses", jsonOf(rel("uses", spider["id"].(string), one("malware", "DragonForce")["id"].(string))["relationship_type"]), `"uses"`},
		{"nation-state", jsonOf(one("threat-actor", "Sandworm")["threat_actor_types"]), `["nation-state"]`},
		{"individual", jsonOf(one("threat-actor", "Tyler Buchanan")["threat_actor_types"]), `["hacker"]`},
		{"insider", jsonOf(one("threat-actor", "a disgruntled employee")["threat_actor_types"]), `["insider-disgruntled"]`},
		{"unknown", jsonOf(one("threat-actor", "unknown hackers")["threat_actor_types"]), `["unknown"]`},
		{"ransomware", jsonOf(one("malware", "DragonForce")["malware_types"]), `["ransomware"]`},
		{"ransomware family", jsonOf(one("malware", "DragonForce")["is_family"]), `true`},
		{"malware types unknown", jsonOf(one("malware", "QakBot")["malware_types"]), `null`},
		{"tool", jsonOf(one("tool", "Mimikatz")["external_references"]), `[{"external_id":"S0002","source_name":"mitre-attack","url":"https://attack.mitre.org/software/S0002/"}]`},
		{"technique", jsonOf(one("attack-pattern", "phishing")["external_references"]), `[{"external_id":"T1566","source_name":"mitre-attack","url":"https://attack.mitre.org/techniques/T1566/"}]`},
		{"sub-technique", jsonOf(one("attack-pattern", "spearphishing attachment")["external_references"]), `[{"external_id":"T1566.001","source_name":"mitre-attack","url":"https://attack.mitre.org/techniques/T1566/001/"},{"external_id":"CAPEC-163","source_name":"capec","url":"https://capec.mitre.org/data/definitions/163.html"}]`},
		{"technique without ATT&CK id", jsonOf(one("attack-pattern", "social engineering")["external_references"]), `null`},
		{"CVE", jsonOf(one("vulnerability", "CVE-2023-4966")["external_references"]), `[{"external_id":"CVE-2023-4966","source_name":"cve","url":"https://www.cve.org/CVERecord?id=CVE-2023-4966"}]`},
		{"named vulnerability", jsonOf(one("vulnerability", "Log4Shell")["external_references"]), `[{"external_id":"CVE-2021-44228","source_name":"cve","url":"https://www.cve.org/CVERecord?id=CVE-2021-44228"}]`},
		{"vulnerability relationship", jsonOf(rel("targets", incident["id"].(string), one("vulnerability", "Log4Shell")["id"].(string))["relationship_type"]), `"targets"`},
		{"ipv6 canonical", jsonOf(one("ipv6-addr", "2001:db8::1")["id"]), `"` + valueID("ipv6-addr", "2001:db8::1") + `"`},
		{"onion", jsonOf(one("domain-name", "dragonforxxbp3awc7mzs5dkswrua3znqyx5roefmi4smjrsdi22xwqd.onion")["type"]), `"domain-name"`},
		{"wallet", jsonOf(one(walletType, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")["id"]), `"` + valueID(walletType, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") + `"`},
		{"md5 file", jsonOf(objects[fileID("MD5", "d41d8cd98f00b204e9800998ecf8427e")]["hashes"]), `{"MD5":"d41d8cd98f00b204e9800998ecf8427e"}`},
		{"sha-1 pattern", jsonOf(one("indicator", "da39a3ee5e6b4b0d3255bfef95601890afd80709")["pattern"]), `"[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"`},
		{"url pattern", jsonOf(one("indicator", "https://evil-update.example/path?q=1")["pattern"]), `"[url:value = 'https://evil-update.example/path?q=1']"`},
		{"wallet pattern", jsonOf(one("indicator", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")["pattern"]), `"[cryptocurrency-wallet:value = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']"`},
		{"hash indicator type", jsonOf(one("indicator", "d41d8cd98f00b204e9800998ecf8427e")["indicator_types"]), `["malicious-activity"]`},
		{"address indicator type", jsonOf(one("indicator", "185.220.101.4")["indicator_types"]), `["unknown"]`},
		{"indicator valid_from", jsonOf(one("indicator", "185.220.101.4")["valid_from"]), `"2025-04-30T17:24:11.000Z"`},
		{"based-on", jsonOf(rel("based-on", one("indicator", "help@evil-update.example")["id"].(string), one("email-addr", "help@evil-update.example")["id"].(string))["relationship_type"]), `"based-on"`},
		{"observable relationship", jsonOf(rel("related-to", incident["id"].(string), valueID("ipv4-addr", "185.220.101.4"))["x_incidex_defanged"]), `"185.220.101[.]4"`},
		{"no observable for a malformed value", jsonOf(len(find(objects, "ipv4-addr", "999.1.1.1"))), `0`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	for _, o := range objects {
		if o["spec_version"] != "2.1" {
			t.Errorf("%s: spec_version %v", o["id"], o["spec_version"])
		}
	}
}

// TestTimes checks where created and published come from: publication,
// else fetch, else the fallback.
func TestTimes(t *testing.T) {
	inc := []record.Incident{{ID: "dddddddddddd", Status: "confirmed", Victims: []record.Victim{{Name: "Acme"}}}}
	tests := []struct {
		name      string
		published string
		fetched   string
		want      string
	}{
		{"published", "2024-03-14T07:45:00+02:00", "2024-03-20T00:00:00Z", "2024-03-14T05:45:00.000Z"},
		{"date only", "2024-03-14", "", "2024-03-14T00:00:00.000Z"},
		{"fraction", "2024-03-14T07:45:00.123456Z", "", "2024-03-14T07:45:00.123Z"},
		{"fetched", "", "2024-03-20T10:11:12Z", "2024-03-20T10:11:12.000Z"},
		{"unreadable date", "14 March", "2024-03-20T10:11:12Z", "2024-03-20T10:11:12.000Z"},
		{"fallback", "", "", "2026-01-02T03:04:05.000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &record.Result{Input: "x.html", Title: "x", Published: tt.published, FetchedAt: tt.fetched, Incidents: inc}
			objects := objectsOf(t, bundleOf(t, []*record.Result{r}))
			report := find(objects, "report", "x")[0]
			if report["published"] != tt.want || report["created"] != tt.want || report["modified"] != tt.want {
				t.Errorf("published %v created %v modified %v, want %s", report["published"], report["created"], report["modified"], tt.want)
			}
		})
	}
}

// TestIDs checks the UUIDv5 ids against values computed apart, with
// Python's uuid.uuid5 over the canonical JSON of the ID contributing
// properties; the domain-name one is the STIX specification's own example.
func TestIDs(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"ipv4", valueID("ipv4-addr", "1.2.3.4"), "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4"},
		{"domain", valueID("domain-name", "example.com"), "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"},
		{"escapes", valueID("url", "evil\"x\\yé\n\x01"), "url--d136f21b-e498-56fe-bb85-5bb2f828426f"},
		{"file", fileID("MD5", "d41d8cd98f00b204e9800998ecf8427e"), "file--02fff920-f614-527c-81d1-6353633a6d21"},
		{"incidex", creatorID, "identity--12bc7d10-0154-5597-a24d-f6b5d7d6d0eb"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if normName("  Lock\tBit  3.0 ") != "lock bit 3.0" {
		t.Errorf("normName = %q", normName("  Lock\tBit  3.0 "))
	}
}

// TestStdinArticlesAreTwoReports checks that two articles read from stdin
// (input "-", no URL) are two reports: their key is their title and date,
// as merge keys them.
func TestStdinArticlesAreTwoReports(t *testing.T) {
	inc := func(victim string) []record.Incident {
		return []record.Incident{{ID: "aaaaaaaaaaaa", Status: "confirmed", Victims: []record.Victim{{Name: victim}}}}
	}
	one := &record.Result{Schema: record.SchemaVersion, Input: "-", Title: "Article one", Published: "2025-04-22", Incidents: inc("Acme Foods")}
	two := &record.Result{Schema: record.SchemaVersion, Input: "-", Title: "Article two", Published: "2025-04-22", Incidents: inc("Brill Bank")}
	objects := objectsOf(t, bundleOf(t, []*record.Result{one, two}))
	ids := map[string]bool{}
	for _, o := range objects {
		if o["type"] == "report" {
			ids[o["id"].(string)] = true
		}
	}
	if len(ids) != 2 {
		t.Errorf("%d report ids for two stdin articles, want 2", len(ids))
	}
}
