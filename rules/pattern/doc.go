// Package pattern is the language of incidex's sentence patterns: Parse
// reads one ('{victim} (was|were) [recently] hit by') into Items, with the
// column of any problem; Lint finds what makes a pattern that parses unable
// to do its job (a word no token can be, a role slot that is only
// optional); Item.MatchWord and Item.MatchTag say how an item compares with
// a token. It must not match sentences (package extract/match does) nor
// know of roles or rule files (package rules).
package pattern
