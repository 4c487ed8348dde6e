package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/incidex/incidex/export/stix"
	"github.com/incidex/incidex/export/summary"
	"github.com/incidex/incidex/export/table"
	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
)

// Encoder turns results and failures into the bytes of one output record.
// Workers encode in parallel; only whole records reach the Writer.
type Encoder struct {
	Format Format // never FormatAuto, nor FormatSTIX, whose one bundle a Bundle collects
	// STIX tunes the bundles of FormatSTIXJSONL.
	STIX stix.Options
}

// Encode renders one result: an *article.Article or a *record.Result.
func (e Encoder) Encode(v any) ([]byte, error) {
	switch e.Format {
	case FormatText:
		switch v := v.(type) {
		case *article.Article:
			return articleText(v), nil
		case *record.Result:
			return summary.Text(v), nil
		}
	case FormatCSV, FormatTSV:
		if r, ok := v.(*record.Result); ok {
			return e.rows(table.Rows(r))
		}
	case FormatSTIXJSONL:
		if r, ok := v.(*record.Result); ok {
			return stix.EncodeResult(r, e.STIX)
		}
	case FormatJSON:
		return EncodeJSON(v, "  ")
	case FormatJSONL:
		return EncodeJSON(v, "")
	}
	return nil, fmt.Errorf("%s output is not for %T", e.Format, v)
}

// Header is the first record of the output, written before any other: the
// header row of a table; nil for the other formats.
func (e Encoder) Header() ([]byte, error) {
	if e.Format != FormatCSV && e.Format != FormatTSV {
		return nil, nil
	}
	return e.rows([][]string{table.Columns})
}

// rows encodes table rows as CSV (RFC 4180 quoting) or TSV.
func (e Encoder) rows(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if e.Format == FormatTSV {
		w.Comma = '\t'
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncodeError renders the record of a failed input, or returns nil when the
// format has no room for one (the one-line stderr message is printed
// separately by the caller).
func (e Encoder) EncodeError(input string, err error) []byte {
	if e.Format != FormatJSONL {
		return nil
	}
	b, mErr := EncodeJSON(errorRecord{Input: input, InputBytes: article.RawInput(input), Error: err.Error()}, "")
	if mErr != nil {
		// Two strings always encode; keep the line whole regardless.
		return []byte(`{"input":` + fmt.Sprintf("%q", input) + `,"error":"unencodable error"}` + "\n")
	}
	return b
}

// errorRecord is the JSONL line for a failed input, so that a consumer
// reading stdout alone can tell which inputs produced nothing.
type errorRecord struct {
	Input      string `json:"input"`
	InputBytes []byte `json:"input_bytes,omitempty"`
	Error      string `json:"error"`
}

// EncodeJSON encodes v as one JSON value and a newline, indented by indent
// ("" for one line), with "&", "<" and ">" left readable.
func EncodeJSON(v any, indent string) ([]byte, error) {
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
func articleText(a *article.Article) []byte {
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

// Writer writes whole records, each with a single Write call so that an
// interruption never leaves half a line behind.
type Writer struct {
	w       io.Writer
	format  Format
	written int
}

// NewWriter returns a Writer of records in format to w.
func NewWriter(w io.Writer, format Format) *Writer { return &Writer{w: w, format: format} }

// Write writes one encoded record; text records are separated by a blank
// line. A nil record writes nothing.
func (w *Writer) Write(rec []byte) error {
	if rec == nil {
		return nil
	}
	if w.format == FormatText && w.written > 0 {
		rec = append([]byte("\n"), rec...)
	}
	w.written++
	_, err := w.w.Write(rec)
	return err
}

// Format is the output format of a command (the --format flag). The empty
// value means "choose by whether stdout is a terminal".
type Format string

// The output formats. Each command accepts some of them (see FormatFlag).
const (
	FormatAuto      Format = ""
	FormatJSON      Format = "json"
	FormatJSONL     Format = "jsonl"
	FormatText      Format = "text"
	FormatCSV       Format = "csv"
	FormatTSV       Format = "tsv"
	FormatSTIX      Format = "stix"       // one STIX 2.1 bundle for the whole run
	FormatSTIXJSONL Format = "stix-jsonl" // one STIX 2.1 bundle a line, per input
)

func (f *Format) String() string { return string(*f) }

// Type names the flag's value in help text.
func (f *Format) Type() string { return "format" }

// Set parses a flag value of the commands that print json, jsonl or text.
func (f *Format) Set(s string) error {
	return FormatFlag{f, []Format{FormatJSON, FormatJSONL, FormatText}}.Set(s)
}

// FormatFlag is a --format flag that accepts the formats of one command.
type FormatFlag struct {
	Value   *Format
	Allowed []Format
}

func (f FormatFlag) String() string {
	if f.Value == nil {
		return ""
	}
	return string(*f.Value)
}

// Type names the flag's value in help text.
func (f FormatFlag) Type() string { return "format" }

// Set parses a flag value.
func (f FormatFlag) Set(s string) error {
	v := Format(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(f.Allowed, v) {
		return errors.New("must be " + FormatList(f.Allowed))
	}
	*f.Value = v
	return nil
}

// FormatList writes formats as "a, b or c".
func FormatList(formats []Format) string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// DisplayName returns an input's name as a stderr line shows it: quoted
// when it holds control characters or invalid UTF-8, which would garble
// the terminal or split the line.
func DisplayName(name string) string {
	if !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
		return strconv.Quote(name)
	}
	return name
}
