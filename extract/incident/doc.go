// Package incident finds the incidents an article reports: who was hit,
// who did it, with what, what it did, whether it was only attempted, and
// the sentences that prove each. Finder.Find runs named stages that are
// given what they read and return what they find (see Find): read,
// aboutIncident, screen, readFacts, collectDictionary, headlineVictims,
// scoreVictims, locateVictims, assemble; each lives in the file named for
// its concern: decide.go (the document decision), screen.go, facts.go,
// items.go, victims.go, assemble.go, and for the scored victims
// candidates.go (the names that may be victims, merged with their short
// forms; candindex.go indexes them), features.go (the features the victim
// model reads), victimscore.go (scoring and keeping them), model.go (a
// scoring model of the rule set) and actorscore.go (the actor model).
//
// It owns the judgement: which names are victims, how facts are tied to
// the victim named nearest to them, how incidents are grouped. It must not
// hold knowledge that users should see and change: dictionaries, patterns,
// word lists and the weights of the scoring models come from the rule set
// (package rules, its lexicon and scoring sections included), and matching them against tokens is package match's
// job. It does not read pages or articles (packages source and article)
// and builds no output beyond the incidex/v1 incidents of package record.
package incident
