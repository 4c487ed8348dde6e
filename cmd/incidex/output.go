package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/incidex/incidex/extract"
)

// recordEncoder turns results and failures into the bytes of one output
// record. Workers encode in parallel; only whole records reach the writer.
type recordEncoder struct {
	format outputFormat // json, jsonl or text, never formatAuto
}

// encode renders one result: an *extract.Article or an *extract.Result.
func (e recordEncoder) encode(v any) ([]byte, error) {
	switch e.format {
	case formatText:
		a, ok := v.(*extract.Article)
		if !ok {
			return nil, fmt.Errorf("text output is for articles, not %T", v)
		}
		return articleText(a), nil
	case formatJSON:
		return encodeJSON(v, "  ")
	default:
		return encodeJSON(v, "")
	}
}

// encodeError renders the record of a failed input, or returns nil when the
// format has no room for one (the one-line stderr message is printed
// separately by the caller).
func (e recordEncoder) encodeError(input string, err error) []byte {
	if e.format != formatJSONL {
		return nil
	}
	b, mErr := encodeJSON(errorRecord{Input: input, Error: err.Error()}, "")
	if mErr != nil {
		// Two strings always encode; keep the line whole regardless.
		return []byte(`{"input":` + fmt.Sprintf("%q", input) + `,"error":"unencodable error"}` + "\n")
	}
	return b
}

// errorRecord is the JSONL line for a failed input, so that a consumer
// reading stdout alone can tell which inputs produced nothing.
type errorRecord struct {
	Input string `json:"input"`
	Error string `json:"error"`
}

// encodeJSON encodes v as one JSON value and a newline.
func encodeJSON(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Article text is prose: keep "&", "<" and ">" readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// articleText is the text format: the title, a blank line and the
// paragraphs separated by blank lines.
func articleText(a *extract.Article) []byte {
	var blocks []string
	if t := strings.TrimSpace(a.Title); t != "" {
		blocks = append(blocks, t)
	}
	paragraphs := a.Paragraphs
	if len(paragraphs) == 0 && strings.TrimSpace(a.Text) != "" {
		paragraphs = []string{strings.TrimSpace(a.Text)}
	}
	blocks = append(blocks, paragraphs...)
	return []byte(strings.Join(blocks, "\n\n") + "\n")
}

// recordWriter writes whole records, each with a single Write call so that
// an interruption never leaves half a line behind.
type recordWriter struct {
	w       io.Writer
	format  outputFormat
	written int
}

// write writes one encoded record; text records are separated by a blank
// line.
func (w *recordWriter) write(rec []byte) error {
	if rec == nil {
		return nil
	}
	if w.format == formatText && w.written > 0 {
		rec = append([]byte("\n"), rec...)
	}
	w.written++
	_, err := w.w.Write(rec)
	return err
}
