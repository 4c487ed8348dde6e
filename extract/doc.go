// Package extract is incidex's library front door: New builds an
// Extractor from a rule set once, and Page turns a page read by package
// source into an incidex/v1 record (package record) by reading its article
// (package article) and finding its incidents (package incident).
//
// The jobs live in the packages below it, one each: source (inputs),
// article (main text and metadata), nlp (sentences, tokens, tags), match
// (dictionaries and patterns), incident (the stages that build incidents)
// and record (the output contract). This package only wires them together
// and must hold no extraction logic of its own.
package extract
