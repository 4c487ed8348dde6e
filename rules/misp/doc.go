// Package misp turns MISP galaxy cluster files (github.com/MISP/misp-galaxy,
// clusters/*.json) into incidex rule packs. Parse reads one cluster file;
// Import reads the clusters of threat actors, ransomware, malware and tools,
// merges the clusters that name the same thing and decides which names need
// a cue word or their capitals; Result.Files renders the entries as YAML
// packs that rules.ParseFile accepts, the same bytes for the same clusters
// whatever their order. Each entry's external_ids give the uuid of the
// cluster it is named from (misp-galaxy) and, when its clusters carry one,
// its MITRE ATT&CK group or software id (mitre-attack).
//
// The package owns the galaxy file format, the merging of clusters, the
// cleaning and classing of their names, and the word lists of words/ (first
// names, generic words, ordinary words) that tell plain English from coined
// names. It takes the types of entries from package rules and reads the packs
// an import is loaded beside (Options.Known), but it must not decide how packs
// load or what makes them valid: that is package rules' job, and an imported
// pack is only right if rules.ParseFile loads it. It does no file or network
// I/O: the caller reads the cluster files and writes the packs ("incidex rules
// import misp" does both). Like every library package it never imports cobra
// or the command layer, never writes to the terminal and never exits.
package misp
