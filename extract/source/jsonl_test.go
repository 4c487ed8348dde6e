package source

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// jsonLine encodes v as one line of a JSON Lines stream.
func jsonLine(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFromJSONL(t *testing.T) {
	const at = "stdin:3"
	const pageURL = "https://news.example/breach"
	tests := []struct {
		name      string
		line      []byte
		maxBytes  int64
		wantInput string
		wantURL   string
		want      string // the decoded page
		wantErr   error  // checked with errors.Is
		wantMsg   string // the whole error message
		wantPart  string // a part of it, where the rest is not incidex's wording
	}{
		{
			name: "named by url", line: jsonLine(t, map[string]string{"url": pageURL, "html": samplePage}),
			wantInput: pageURL, wantURL: pageURL, want: samplePage,
		},
		{
			name: "named by line when url is missing", line: jsonLine(t, map[string]string{"html": samplePage}),
			wantInput: at, want: samplePage,
		},
		{
			name: "named by line when url is empty", line: jsonLine(t, map[string]string{"url": "", "html": samplePage}),
			wantInput: at, want: samplePage,
		},
		{
			name: "a url that is not http is a name only", line: jsonLine(t, map[string]string{"url": "saved/breach.html", "html": samplePage}),
			wantInput: "saved/breach.html", want: samplePage,
		},
		{
			name: "exactly at the cap", line: jsonLine(t, map[string]string{"html": samplePage}), maxBytes: int64(len(samplePage)),
			wantInput: at, want: samplePage,
		},
		{
			// A JSON string is Unicode already: the page's own charset no
			// longer describes it.
			name:      "meta charset ignored",
			line:      jsonLine(t, map[string]string{"html": `<meta charset="shift_jis"><p>café 日本語</p>`}),
			wantInput: at, want: `<meta charset="shift_jis"><p>café 日本語</p>`,
		},
		{
			name: "html missing, named by url", line: jsonLine(t, map[string]string{"url": pageURL}),
			wantInput: pageURL, wantURL: pageURL, wantMsg: `stdin:3: no "html" field`,
		},
		{
			name: "html missing, named by line", line: []byte(`{"title": "Breach"}`),
			wantInput: at, wantMsg: `no "html" field`,
		},
		{
			name: "null line", line: []byte(`null`),
			wantInput: at, wantMsg: `no "html" field`,
		},
		{
			name: "not json", line: []byte(`this is not json`),
			wantInput: at, wantPart: `not a {"url": ..., "html": ...} object: invalid character`,
		},
		{
			name: "a json array", line: []byte(`[{"url": "https://news.example/a"}]`),
			wantInput: at, wantMsg: `not a {"url": ..., "html": ...} object: the line is a JSON array`,
		},
		{
			name: "a json string", line: []byte(`"<p>hello</p>"`),
			wantInput: at, wantMsg: `not a {"url": ..., "html": ...} object: the line is a JSON string`,
		},
		{
			name: "html a number, named by url", line: []byte(`{"url": "` + pageURL + `", "html": 42}`),
			wantInput: pageURL, wantURL: pageURL, wantMsg: `stdin:3: not a {"url": ..., "html": ...} object: "html" is a number, not a string`,
		},
		{
			name: "url an object", line: []byte(`{"url": {"href": "x"}, "html": "<p>x</p>"}`),
			wantInput: at, wantPart: `not a {"url": ..., "html": ...} object: "url" is a`,
		},
		{
			name: "html that is json", line: jsonLine(t, map[string]string{"url": pageURL, "html": `{"title": "Breach", "body": "..."}`}),
			wantInput: pageURL, wantURL: pageURL, wantErr: ErrNotHTML, wantMsg: "stdin:3: not an html page: body looks like json",
		},
		{
			name: "html that is a pdf", line: jsonLine(t, map[string]string{"html": "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"}),
			wantInput: at, wantErr: ErrNotHTML, wantMsg: "not an html page: body looks like application/pdf",
		},
		{
			name: "blank html", line: jsonLine(t, map[string]string{"html": " \n\t "}),
			wantInput: at, wantErr: ErrEmpty, wantMsg: "empty page",
		},
		{
			name: "over the cap, named by url", line: jsonLine(t, map[string]string{"url": pageURL, "html": samplePage}), maxBytes: 10,
			wantInput: pageURL, wantURL: pageURL, wantErr: ErrTooLarge, wantMsg: "stdin:3: page exceeds the 10 bytes size cap",
		},
		{
			name: "over the cap, named by line", line: jsonLine(t, map[string]string{"html": samplePage}), maxBytes: int64(len(samplePage)) - 1,
			wantInput: at, wantErr: ErrTooLarge,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := FromJSONL(at, tt.line, tt.maxBytes)
			if page == nil {
				t.Fatalf("FromJSONL returned no page (error %v); want one naming the input", err)
			}
			if page.Input != tt.wantInput || page.URL != tt.wantURL {
				t.Errorf("Input, URL = %q, %q; want %q, %q", page.Input, page.URL, tt.wantInput, tt.wantURL)
			}
			if tt.wantErr != nil || tt.wantMsg != "" || tt.wantPart != "" {
				if err == nil {
					t.Fatalf("FromJSONL succeeded, want error %v %q", tt.wantErr, tt.wantMsg+tt.wantPart)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("error = %v, want %v", err, tt.wantErr)
				}
				if tt.wantMsg != "" && err.Error() != tt.wantMsg {
					t.Errorf("error = %q, want %q", err, tt.wantMsg)
				}
				if !strings.Contains(err.Error(), tt.wantPart) {
					t.Errorf("error = %q, want it to contain %q", err, tt.wantPart)
				}
				// The stream's own terms, never the Go type it is decoded into.
				for _, goName := range []string{"jsonlPage", "source.", "*string", "Go "} {
					if strings.Contains(err.Error(), goName) {
						t.Errorf("error %q names Go's %q", err, goName)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("FromJSONL: %v", err)
			}
			if string(page.HTML) != tt.want {
				t.Errorf("HTML = %q, want %q", page.HTML, tt.want)
			}
			if page.HTMLBytes != len(tt.want) {
				t.Errorf("HTMLBytes = %d, want %d", page.HTMLBytes, len(tt.want))
			}
		})
	}
}

func TestJSONLLineCap(t *testing.T) {
	tests := []struct {
		name     string
		maxBytes int64
		want     int
	}{
		{name: "default cap", maxBytes: 0, want: 4*DefaultMaxBytes + 1<<20},
		{name: "negative is the default", maxBytes: -1, want: 4*DefaultMaxBytes + 1<<20},
		{name: "small cap", maxBytes: 1000, want: 4000 + 1<<20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JSONLLineCap(tt.maxBytes); got != tt.want {
				t.Errorf("JSONLLineCap(%d) = %d, want %d", tt.maxBytes, got, tt.want)
			}
		})
	}
}
