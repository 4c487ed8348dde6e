package misp_test

import (
	"fmt"
	"log"

	"github.com/incidex/incidex/rules/misp"
)

// Two ransomware clusters that MISP links as similar become one entry,
// which keeps the uuid of the cluster it is named from and the ATT&CK id
// of the software page that cluster cites; a leak-site name that is an
// ordinary word ("play") gets its capitals and cue words, written once and
// then referred to.
func ExampleImport() {
	f, err := misp.Parse("clusters/ransomware.json", []byte(`{
  "type": "ransomware", "version": 7,
  "values": [
    {"uuid": "9b0f3c41-52a6-4c2e-8d1f-0a7e6b5c4d31", "value": "play", "meta": {"synonyms": ["PlayCrypt"]}},
    {"uuid": "2c8e7d19-6f4b-4a03-9e25-b1d0c3f4a582", "value": "Royal",
     "meta": {"refs": ["https://attack.mitre.org/software/S9101/"]},
     "related": [{"dest-uuid": "e4a1b2c3-7d8e-4f90-a1b2-c3d4e5f60718", "type": "similar"}]},
    {"uuid": "e4a1b2c3-7d8e-4f90-a1b2-c3d4e5f60718", "value": "BlackSuit"}
  ]
}`))
	if err != nil {
		log.Fatal(err)
	}
	res := misp.Import([]*misp.File{f}, misp.Options{})
	out, err := res.Files()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s:\n%s", out[1].Name, out[1].Data)
	// Output:
	// misp-ransomware.yaml:
	// # Ransomware imported from MISP galaxy clusters by "incidex rules import misp" from
	// #   ransomware.json (ransomware, version 7)
	// # Generated: import again rather than edit. The clusters are
	// # https://github.com/MISP/misp-galaxy (CC0 1.0 or BSD 2-clause).
	// # external_ids give the uuid of the cluster an entry is named from and its
	// # MITRE ATT&CK id; a comment, the ATT&CK ids of other clusters merged in.
	//
	// tooling:
	//   - id: misp.tool.play
	//     name: Play
	//     aliases: [PlayCrypt]
	//     kind: ransomware
	//     actor: true
	//     case_sensitive: true
	//     cues: &ransomware [ransomware, gang, group, operators, affiliates, extortion, leak, cartel, hackers, encrypted]
	//     external_ids: {misp-galaxy: 9b0f3c41-52a6-4c2e-8d1f-0a7e6b5c4d31}
	//   - id: misp.tool.royal
	//     name: Royal
	//     aliases: [BlackSuit]
	//     kind: ransomware
	//     actor: true
	//     case_sensitive: true
	//     cues: *ransomware
	//     external_ids: {misp-galaxy: 2c8e7d19-6f4b-4a03-9e25-b1d0c3f4a582, mitre-attack: S9101}
}
