package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/incidex/incidex/extract"
)

// resultWriter writes results to stdout as they complete, in input order.
type resultWriter interface {
	// Write writes one result: an *extract.Article or an *extract.Result.
	Write(v any) error
	// WriteError records a failed input where the format has room for it;
	// the one-line stderr message is printed separately by the caller.
	WriteError(input string, err error) error
}

func newResultWriter(format outputFormat, w io.Writer) resultWriter {
	switch format {
	case formatJSON:
		return &jsonWriter{enc: newJSONEncoder(w, "  "), recordErrors: false}
	case formatText:
		return &textWriter{w: w}
	default:
		return &jsonWriter{enc: newJSONEncoder(w, ""), recordErrors: true}
	}
}

func newJSONEncoder(w io.Writer, indent string) *json.Encoder {
	enc := json.NewEncoder(w)
	// Article text is prose: keep "&", "<" and ">" readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	return enc
}

// jsonWriter writes one JSON value per article: compact lines (JSONL) or
// indented objects (JSON, meant for people).
type jsonWriter struct {
	enc          *json.Encoder
	recordErrors bool
}

// errorRecord is the JSONL line for a failed input, so that a consumer
// reading stdout alone can tell which inputs produced nothing.
type errorRecord struct {
	Input string `json:"input"`
	Error string `json:"error"`
}

func (w *jsonWriter) Write(v any) error {
	return w.enc.Encode(v)
}

func (w *jsonWriter) WriteError(input string, err error) error {
	if !w.recordErrors {
		return nil
	}
	return w.enc.Encode(errorRecord{Input: input, Error: err.Error()})
}

// textWriter writes the title, a blank line and the paragraphs separated by
// blank lines, with a blank line between articles.
type textWriter struct {
	w       io.Writer
	written int
}

func (w *textWriter) Write(v any) error {
	a, ok := v.(*extract.Article)
	if !ok {
		return fmt.Errorf("text output is for articles, not %T", v)
	}
	var b strings.Builder
	if w.written > 0 {
		b.WriteString("\n")
	}
	var blocks []string
	if t := strings.TrimSpace(a.Title); t != "" {
		blocks = append(blocks, t)
	}
	paragraphs := a.Paragraphs
	if len(paragraphs) == 0 && strings.TrimSpace(a.Text) != "" {
		paragraphs = []string{strings.TrimSpace(a.Text)}
	}
	blocks = append(blocks, paragraphs...)
	b.WriteString(strings.Join(blocks, "\n\n"))
	b.WriteString("\n")
	w.written++
	_, err := io.WriteString(w.w, b.String())
	return err
}

func (w *textWriter) WriteError(string, error) error { return nil }
