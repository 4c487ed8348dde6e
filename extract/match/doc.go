// Package match finds a rule set's entries in tokenised sentences: the
// dictionary mentions of actors, tooling, responders and outlets (by name,
// alias or regular expression, with cues for ordinary words), the matches
// of sentence patterns with their slot captures, and the names, numbers,
// sums of money and countries that slots and stages read. Build a Matcher
// once per rule set; it is safe for concurrent use.
//
// It answers "what does this sentence contain?" and never decides what an
// article reports: which capture is a victim, or which incident a fact
// belongs to, is package incident's job. Its English word lists come from
// the rule set's lexicon, not from Go.
package match
