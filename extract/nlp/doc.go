// Package nlp is incidex's language processing: it splits article text
// into sentences and tokens, with byte offsets that evidence quotes, and
// tags the few sentences whose reading depends on parts of speech or
// entity labels with prose (github.com/jdkato/prose/v2), whose model is
// built once per Tagger. It must not know of rules or incidents: the
// words it needs (abbreviations) are handed to it.
package nlp
