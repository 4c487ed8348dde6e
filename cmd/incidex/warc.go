package main

import (
	"context"
	"errors"
	"os"

	"github.com/incidex/incidex/extract"
)

// errNoWARCPages is the failure of a web archive without any HTML response.
var errNoWARCPages = errors.New("no HTML responses in this web archive")

// isWARCFile reports whether a file given as an input is a web archive.
func isWARCFile(path string) bool { return extract.IsWARC(path) }

// walkWARC emits one input per HTML response record of the web archive at
// path, named path#N, as the archive is read: only one record is held at a
// time besides those in the batch's window. A record that cannot be read is
// an error record; an archive that breaks off (a truncated .warc.gz) is one
// more error record naming the archive, after the records read before.
func (w *inputWalker) walkWARC(ctx context.Context, path string, emit func(input) bool) bool {
	f, err := os.Open(path)
	if err != nil {
		return emit(failedInput(path, err))
	}
	defer f.Close()
	stopped := errors.New("stopped")
	records := 0
	err = extract.ReadWARC(ctx, f, path, w.maxBytes, func(page *extract.Page, err error) error {
		records++
		in := input{arg: path, kind: inputPage, page: page}
		if page != nil {
			in.arg = page.Input
		}
		if err != nil {
			in = failedInput(in.arg, err)
		}
		if !emit(in) {
			return stopped
		}
		return nil
	})
	switch {
	case errors.Is(err, stopped) || ctx.Err() != nil:
		return false
	case err != nil:
		return emit(failedInput(path, err))
	case records == 0:
		return emit(failedInput(path, errNoWARCPages))
	}
	return true
}
