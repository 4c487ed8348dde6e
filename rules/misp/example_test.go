package misp_test

import (
	"fmt"
	"log"

	"github.com/incidex/incidex/rules/misp"
)

// Two ransomware clusters that MISP links as similar become one entry; a
// leak-site name that is an ordinary word ("play") gets its capitals and
// cue words, written once and then referred to.
func ExampleImport() {
	f, err := misp.Parse("clusters/ransomware.json", []byte(`{
  "type": "ransomware", "version": 7,
  "values": [
    {"uuid": "a1", "value": "play", "meta": {"synonyms": ["PlayCrypt"]}},
    {"uuid": "b2", "value": "Royal", "related": [{"dest-uuid": "c3", "type": "similar"}]},
    {"uuid": "c3", "value": "BlackSuit"}
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
	// # Comments give the MITRE ATT&CK ids of the software and groups.
	//
	// tooling:
	//   - id: misp.tool.play
	//     name: Play
	//     aliases: [PlayCrypt]
	//     kind: ransomware
	//     actor: true
	//     case_sensitive: true
	//     cues: &ransomware [ransomware, gang, group, operators, affiliates, extortion, leak, cartel, hackers, encrypted]
	//   - id: misp.tool.royal
	//     name: Royal
	//     aliases: [BlackSuit]
	//     kind: ransomware
	//     actor: true
	//     case_sensitive: true
	//     cues: *ransomware
}
