// Package cli is the terminal side of incidex's commands: the standard
// streams and whether they are terminals (IOStreams), the progress bar and
// summary line of a batch on stderr (Progress), and the encoding of
// records for stdout (Encoder, Writer, Format). It holds no command and no
// flag: package main builds those, and library packages never import it.
package cli
