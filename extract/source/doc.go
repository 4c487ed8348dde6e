// Package source reads incidex's inputs into pages: saved files (gzipped
// or not), standard input, downloads over HTTP(S) with retries and
// timeouts, the HTML responses of web archives (WARC), and the lines of a
// JSON Lines stream of pages.
//
// It owns Page and is the only place that builds one, so every input gets
// the same size cap (DefaultMaxBytes unless told otherwise), the same
// charset decoding to UTF-8 and the same refusal of what is not an HTML
// page (PDF, images, JSON, binary data). It must not parse HTML or look at
// the article (package article's job), and knows nothing of batches: the
// walking of folders and URL lists and the per-host politeness of downloads
// are internal/batch's.
package source
