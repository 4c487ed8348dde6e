package stix

import "github.com/incidex/incidex/extract/record"

func ev(rule, text string, start int) []record.Evidence {
	return []record.Evidence{{Rule: rule, Text: text, Start: start, End: start + len(text)}}
}

// handRecords are records built to use every field, every indicator type
// and every actor and tooling kind, which the test pages do not: a full
// article; a second article, known only by its file name, that shares an
// actor, a CVE and a country with the first under other spellings; an
// article without incidents or indicators; and one with indicators alone
// and no time at all.
func handRecords() []*record.Result {
	full := &record.Result{
		Schema:       record.SchemaVersion,
		Input:        "https://news.example/2025/04/30/ms-coop",
		URL:          "https://news.example/2025/04/30/ms-coop?utm=x",
		CanonicalURL: "https://news.example/2025/04/30/ms-coop",
		Language:     "en-GB",
		FetchedAt:    "2025-05-02T10:00:00Z",
		Title:        "M&S and Co-op hit by cyber attacks",
		Site:         "The Example News",
		Byline:       "Jane Doe",
		Published:    "2025-04-30T18:24:11+01:00",
		Incidents: []record.Incident{
			{
				ID: "aaaaaaaaaaaa", Status: "confirmed", Confidence: 0.873, Occurred: &record.Occurred{Date: "2025-04", Evidence: []record.Evidence{{Rule: "attack-date", Text: "The attack in April.", Start: 0, End: 20}}},
				Victims: []record.Victim{
					{Name: "Marks & Spencer", Aliases: []string{"M&S", "Marks and Spencer", "M&S"}, Sector: "retail", Country: "GB",
						Ref: "victim.ms", ExternalIDs: map[string]string{"wikidata": "Q714491"},
						Confidence: 0.91, Cues: []string{"passive-victim", "named-company"},
						Evidence: ev("victim.hit", "Marks & Spencer was hit by a cyber attack.", 0), EvidenceCount: 12},
					{Name: "Co-op", Aliases: []string{}, Sector: "food", Country: "gb", Confidence: 0.6,
						Evidence: ev("victim.hit", "The Co-op shut down parts of its IT.", 50)},
					{Name: "Defra", Sector: "government", Country: "XX1", Confidence: 0.4,
						Evidence: ev("victim.hit", "Defra was also affected.", 80)},
				},
				Actors: []record.Actor{
					{Name: "Scattered Spider", Aliases: []string{"UNC3944", "Octo Tempest"}, Kind: "group", Attribution: "attributed",
						Ref: "actor.scattered-spider", ExternalIDs: map[string]string{"mitre-attack": "G1015", "misp-galaxy": "d0c8f7a1-1b8e-4d3e-9c2f-0e5b5a6c7d8e"},
						Confidence: 0.9, Cues: []string{"attributed-by-officials"},
						Evidence: ev("actor.attributed", "Officials blamed Scattered Spider.", 120)},
					{Name: "Sandworm", Kind: "nation-state", Attribution: "suspected", Confidence: 0.5,
						Evidence: ev("actor.suspected", "Some suspect Sandworm.", 160)},
					{Name: "Tyler Buchanan", Kind: "individual", Attribution: "claimed", Confidence: 0.7,
						Evidence: ev("actor.claimed", "Tyler Buchanan said he did it.", 190)},
					{Name: "a disgruntled employee", Kind: "insider", Attribution: "suspected", Confidence: 0.3,
						Evidence: ev("actor.suspected", "A disgruntled employee may have helped.", 230)},
					{Name: "unknown hackers", Kind: "unknown", Attribution: "claimed", Confidence: 0.2,
						Evidence: ev("actor.claimed", "Unknown hackers claimed it.", 280)},
				},
				Tooling: []record.Tool{
					{Name: "DragonForce", Kind: "ransomware", Ref: "tool.dragonforce", ExternalIDs: map[string]string{"misp-galaxy": "5e2a0b6c-0000-4000-8000-000000000001"},
						Evidence: ev("tool.ransomware", "DragonForce ransomware was deployed.", 300), EvidenceCount: 11},
					{Name: "QakBot", Kind: "malware", ExternalIDs: map[string]string{"mitre-attack": "S0650"},
						Evidence: ev("tool.malware", "QakBot was found.", 340)},
					{Name: "Mimikatz", Kind: "tool", ExternalIDs: map[string]string{"mitre-attack": "s0002"},
						Evidence: ev("tool.tool", "They used Mimikatz.", 360)},
					{Name: "phishing", Kind: "technique", Attack: "T1566",
						Evidence: ev("tool.technique", "It began with phishing.", 380)},
					{Name: "spearphishing attachment", Kind: "technique", Attack: "T1566.001", ExternalIDs: map[string]string{"mitre-attack": "T1566.001", "capec": "CAPEC-163"},
						Evidence: ev("tool.technique", "A booby-trapped attachment was sent.", 400)},
					{Name: "social engineering", Kind: "technique",
						Evidence: ev("tool.technique", "Help desks were tricked.", 440)},
					{Name: "cve-2023-4966", Kind: "vulnerability",
						Evidence: ev("tool.vulnerability", "The attackers exploited CVE-2023-4966.", 470)},
					{Name: "Log4Shell", Kind: "vulnerability", ExternalIDs: map[string]string{"cve": "CVE-2021-44228"},
						Evidence: ev("tool.vulnerability", "Log4Shell was used too.", 510)},
				},
				Impacts: []record.Impact{
					{Kind: "availability", Summary: "online orders suspended", Evidence: ev("impact.availability", "Online orders were suspended.", 540)},
					{Kind: "confidentiality", Summary: "customer data taken", Quantity: &record.Quantity{Value: 9.4e6, Unit: "records"},
						Evidence: ev("impact.confidentiality", "Data of 9.4 million customers was taken.", 580), EvidenceCount: 14},
					{Kind: "financial", Summary: "lost profit", Quantity: &record.Quantity{Value: 300e6, Unit: "GBP"},
						Evidence: ev("impact.financial", "It cost £300m.", 630)},
				},
				Responders: []record.Responder{
					{Name: "National Cyber Security Centre", Evidence: ev("responder", "The NCSC is helping.", 660)},
				},
				Indicators: []record.Indicator{
					{Type: "ipv4", Value: "185.220.101.4", Defanged: "185.220.101[.]4", Evidence: ev("indicator.ipv4", "Traffic went to 185.220.101[.]4.", 700)},
					{Type: "ipv6", Value: "2001:DB8::1", Evidence: ev("indicator.ipv6", "And to 2001:db8::1.", 740)},
					{Type: "domain", Value: "evil-update.example", Defanged: "evil-update[.]example", Evidence: ev("indicator.domain", "A lure at evil-update[.]example.", 760)},
					{Type: "url", Value: "https://evil-update.example/path?q=1", Defanged: "hxxps://evil-update[.]example/path?q=1", Evidence: ev("indicator.url", "The link hxxps://evil-update[.]example/path?q=1.", 800)},
					{Type: "email", Value: "help@evil-update.example", Evidence: ev("indicator.email", "Mail came from help@evil-update.example.", 860)},
					{Type: "md5", Value: "d41d8cd98f00b204e9800998ecf8427e", Evidence: ev("indicator.md5", "MD5 d41d8cd98f00b204e9800998ecf8427e.", 900)},
					{Type: "sha1", Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709", Evidence: ev("indicator.sha1", "SHA-1 da39a3ee5e6b4b0d3255bfef95601890afd80709.", 950)},
					{Type: "sha256", Value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Evidence: ev("indicator.sha256", "SHA-256 e3b0c442….", 1000)},
					{Type: "onion", Value: "dragonforxxbp3awc7mzs5dkswrua3znqyx5roefmi4smjrsdi22xwqd.onion", Evidence: ev("indicator.onion", "The leak site is on Tor.", 1050)},
					{Type: "bitcoin", Value: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", Evidence: ev("indicator.bitcoin", "Pay to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.", 1100)},
					{Type: "cve", Value: "CVE-2023-4966", Evidence: ev("indicator.cve", "CVE-2023-4966 again.", 1150)},
					{Type: "ipv4", Value: "999.1.1.1", Evidence: ev("indicator.ipv4", "Odd 999.1.1.1.", 1180)},
				},
				Omitted: map[string]int{"tooling": 4950},
			},
			{
				ID: "bbbbbbbbbbbb", Status: "attempted", Confidence: 0.41,
				Victims: []record.Victim{},
				Actors: []record.Actor{
					{Name: "LockBit", Kind: "group", Attribution: "claimed", Confidence: 0.95,
						Evidence: ev("actor.claimed", "LockBit claimed an attempt.", 1200)},
				},
				Tooling: []record.Tool{}, Impacts: []record.Impact{}, Responders: []record.Responder{}, Indicators: []record.Indicator{},
			},
		},
		Indicators: []record.Indicator{
			{Type: "domain", Value: "news-tips.example", Evidence: ev("indicator.domain", "Tips to news-tips.example.", 1250)},
			{Type: "cve", Value: "CVE-2021-44228", Evidence: ev("indicator.cve", "Unrelated CVE-2021-44228.", 1280)},
			{Type: "url", Value: "not a url", Evidence: ev("indicator.url", "not a url", 1300)},
		},
		IncidentsOmitted: 3,
	}
	second := &record.Result{
		Schema:    record.SchemaVersion,
		Input:     "saved/boeing.html",
		Title:     "Boeing confirms attack",
		Published: "2023-11-02",
		Incidents: []record.Incident{{
			ID: "cccccccccccc", Status: "confirmed", Confidence: 0.8,
			Victims: []record.Victim{{Name: "Boeing", Sector: "defence", Country: "US", Confidence: 0.85,
				Evidence: ev("victim.hit", "Boeing confirmed a cyber incident.", 0)}},
			Actors: []record.Actor{{Name: "Lockbit ", Aliases: []string{"LockBit 3.0"}, Kind: "group", Attribution: "claimed", Confidence: 0.9,
				Evidence: ev("actor.claimed", "Lockbit listed Boeing.", 40)}},
			Tooling: []record.Tool{{Name: "LockBit", Kind: "ransomware", Evidence: ev("tool.ransomware", "LockBit ransomware.", 70)}},
			Impacts: []record.Impact{{Kind: "confidentiality", Summary: "data leaked", Evidence: ev("impact.confidentiality", "Files were leaked.", 90)}},
			Indicators: []record.Indicator{
				{Type: "cve", Value: "cve-2023-4966", Evidence: ev("indicator.cve", "Citrix Bleed, CVE-2023-4966.", 120)},
				{Type: "ipv4", Value: "185.220.101.4", Evidence: ev("indicator.ipv4", "From 185.220.101.4.", 150)},
			},
		}},
	}
	empty := &record.Result{Schema: record.SchemaVersion, Input: "preview.html", Title: "Cyber summit preview", Incidents: []record.Incident{}}
	bare := &record.Result{
		Schema: record.SchemaVersion, Input: "-",
		Indicators: []record.Indicator{{Type: "sha256", Value: "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}},
	}
	return []*record.Result{full, second, empty, bare}
}
