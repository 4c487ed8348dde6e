package batch

import (
	"context"
	"errors"
	"os"

	"github.com/incidex/incidex/extract/source"
)

// errNoWARCPages is the failure of a web archive without any HTML response.
var errNoWARCPages = errors.New("no HTML responses in this web archive")

// walkWARC emits one input per HTML response record of the web archive at
// path, named path#N, as the archive is read: only one record is held at a
// time besides those in the batch's window, and no more of it than the page
// cap (see source.ReadWARC). An HTML record that cannot be read is an error
// record named path#N. A record whose framing is broken (a bad
// Content-Length) is an error record whose error gives the record's number
// ("warc: record 3: bad Content-Length ..."), named path#N when its block
// showed an HTML response and path otherwise, and the walk goes on with the
// next record; an archive that breaks off (a truncated .warc.gz) is one more
// error record named path, after the records read before.
//
// A walked archive (found in a folder or by a glob pattern) is opened as
// walked pages are (source.OpenWalked: regular files only, links only when
// follow); one the user names is opened as asked.
func (w *Walker) walkWARC(ctx context.Context, path string, walked, follow bool, emit func(Input) bool) bool {
	var f *os.File
	var err error
	if walked {
		f, err = source.OpenWalked(path, follow)
	} else {
		f, err = os.Open(path)
	}
	if err != nil {
		return emit(failedInput(path, err))
	}
	defer f.Close()
	stopped := errors.New("stopped")
	records := 0
	err = source.ReadWARC(ctx, f, path, w.MaxBytes, func(page *source.Page, err error) error {
		records++
		in := Input{Name: path, kind: inputPage, page: page}
		if page != nil {
			in.Name = page.Input
		}
		if err != nil {
			in = failedInput(in.Name, err)
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
