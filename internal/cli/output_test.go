package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/incidex/incidex/extract/article"
)

func TestArticleWriters(t *testing.T) {
	fire := &article.Article{
		Input:      "fire.html",
		Title:      "Fire <at> depot & yard",
		Text:       "First paragraph.\n\nSecond paragraph.",
		Paragraphs: []string{"First paragraph.", "Second paragraph."},
		Stats:      article.Stats{HTMLBytes: 120, TextChars: 35},
	}
	flood := &article.Article{
		Input:      "-",
		Title:      "Flood",
		Text:       "Only paragraph.",
		Paragraphs: []string{"Only paragraph."},
	}
	untitled := &article.Article{Input: "x.html", Text: "Text without paragraphs."}
	failure := errors.New("no article text found")

	// step is one call on the writer: an article, or an error for input.
	type step struct {
		article *article.Article
		input   string
	}
	tests := []struct {
		name   string
		format Format
		steps  []step
		want   string
	}{
		{
			name:   "jsonl writes compact lines with error records in order",
			format: FormatJSONL,
			steps:  []step{{article: fire}, {input: "bad.html"}, {article: flood}},
			want: `{"input":"fire.html","title":"Fire <at> depot & yard","text":"First paragraph.\n\nSecond paragraph.","paragraphs":["First paragraph.","Second paragraph."],"stats":{"html_bytes":120,"text_chars":35}}` + "\n" +
				`{"input":"bad.html","error":"no article text found"}` + "\n" +
				`{"input":"-","title":"Flood","text":"Only paragraph.","paragraphs":["Only paragraph."],"stats":{"html_bytes":0,"text_chars":0}}` + "\n",
		},
		{
			name:   "json indents and leaves errors to stderr",
			format: FormatJSON,
			steps:  []step{{input: "bad.html"}, {article: flood}},
			want: `{
  "input": "-",
  "title": "Flood",
  "text": "Only paragraph.",
  "paragraphs": [
    "Only paragraph."
  ],
  "stats": {
    "html_bytes": 0,
    "text_chars": 0
  }
}
`,
		},
		{
			name:   "text separates title, paragraphs and articles by blank lines",
			format: FormatText,
			steps:  []step{{article: fire}, {input: "bad.html"}, {article: flood}},
			want:   "Fire <at> depot & yard\n\nFirst paragraph.\n\nSecond paragraph.\n\nFlood\n\nOnly paragraph.\n",
		},
		{
			name:   "text falls back to text when there are no paragraphs",
			format: FormatText,
			steps:  []step{{article: untitled}},
			want:   "Text without paragraphs.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			enc := Encoder{Format: tt.format}
			w := NewWriter(&out, tt.format)
			for _, s := range tt.steps {
				rec := enc.EncodeError(s.input, failure)
				if s.article != nil {
					var err error
					if rec, err = enc.Encode(s.article); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Write(rec); err != nil {
					t.Fatal(err)
				}
			}
			if got := out.String(); got != tt.want {
				t.Errorf("output mismatch\ngot:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestFormatSet(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{in: "json", want: FormatJSON},
		{in: "jsonl", want: FormatJSONL},
		{in: "text", want: FormatText},
		{in: "Text", want: FormatText},
		{in: "xml", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var f Format
			err := f.Set(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Set(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if f != tt.want {
				t.Errorf("Set(%q) = %q, want %q", tt.in, f, tt.want)
			}
		})
	}
}
