// Package incident finds the incidents an article reports: who was hit,
// who did it, with what, what it did, whether it was only attempted, and
// the sentences that prove each. Finder.Find runs named stages that are
// given what they read and return what they find (see Find): read, screen,
// readFacts, collectDictionary, headlineVictims, locateVictims, assemble;
// each lives in the file named for its concern (screen.go, facts.go,
// items.go, victims.go, assemble.go).
//
// It owns the judgement: which names are victims, how facts are tied to
// the victim named nearest to them, how incidents are grouped. It must not
// hold knowledge that users should see and change: dictionaries, patterns
// and word lists come from the rule set (package rules, its lexicon
// section included), and matching them against tokens is package match's
// job. It does not read pages or articles (packages source and article)
// and builds no output beyond the incidex/v1 incidents of package record.
package incident
