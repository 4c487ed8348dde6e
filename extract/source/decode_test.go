package source

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Encoded samples, written out as bytes so that the tests do not use the
// same library to encode that the code uses to decode.
const (
	cafeEuroCP1252 = "caf\xe9 \x80"                                                // "café €" in windows-1252
	nihongoSJIS    = "\x93\xfa\x96\x7b\x8c\xea"                                    // "日本語" in Shift_JIS
	hangukeoEUCKR  = "\xc7\xd1\xb1\xb9\xbe\xee"                                    // "한국어" in EUC-KR
	newsISO2022JP  = "\x1b$B%K%e!<%9\x1b(B"                                        // "ニュース" in ISO-2022-JP
	utf8BOM        = "\xef\xbb\xbf"                                                // UTF-8 byte order mark
	pUTF16LE       = "\xff\xfe<\x00p\x00>\x00\xe9\x00\xac\x20<\x00/\x00p\x00>\x00" // BOM + "<p>é€</p>"
	pUTF16BE       = "\xfe\xff\x00<\x00p\x00>\x00\xe9\x20\xac\x00<\x00/\x00p\x00>" // BOM + "<p>é€</p>"
)

func TestDecodeHTML(t *testing.T) {
	// A Korean page long enough to defeat streaming decoders that fail with
	// "short internal buffer".
	longKorean := `<meta charset="euc-kr"><p>` + strings.Repeat(hangukeoEUCKR+" ", 20000) + "</p>"
	// Padding that pushes a <meta> past the 1024 bytes the standard scans.
	padding := "<!-- " + strings.Repeat("x", 2000) + " -->"

	tests := []struct {
		name        string
		body        string
		contentType string
		want        string // the whole output, unless wantContains is set
		wantContain string
	}{
		{name: "utf-8 without declaration kept", body: "<p>café €</p>", want: "<p>café €</p>"},
		{name: "ascii only", body: "<p>plain</p>", contentType: "text/html", want: "<p>plain</p>"},
		{name: "empty body", body: "", want: ""},
		{
			name: "utf-8 after 1024 ascii bytes kept",
			body: "<p>" + strings.Repeat("a", 3000) + "café</p>",
			want: "<p>" + strings.Repeat("a", 3000) + "café</p>",
		},
		{name: "utf-8 bom stripped", body: utf8BOM + "<p>café</p>", want: "<p>café</p>"},
		{name: "utf-8 bom beats header charset", body: utf8BOM + "<p>café</p>", contentType: "text/html; charset=windows-1252", want: "<p>café</p>"},
		{name: "utf-16le bom", body: pUTF16LE, want: "<p>é€</p>"},
		{name: "utf-16be bom", body: pUTF16BE, want: "<p>é€</p>"},
		{name: "windows-1252 via header", body: "<p>" + cafeEuroCP1252 + "</p>", contentType: "text/html; charset=windows-1252", want: "<p>café €</p>"},
		{name: "iso-8859-1 header read as windows-1252", body: "<p>" + cafeEuroCP1252 + "</p>", contentType: "text/html; charset=ISO-8859-1", want: "<p>café €</p>"},
		{name: "quoted header charset", body: "<p>" + cafeEuroCP1252 + "</p>", contentType: `text/html; charset="latin1"`, want: "<p>café €</p>"},
		{
			name: "iso-8859-1 via meta http-equiv",
			body: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>` + cafeEuroCP1252 + "</body></html>",
			want: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>café €</body></html>`,
		},
		{
			name: "meta content without http-equiv ignored",
			body: `<meta content="text/html; charset=shift_jis"><p>` + cafeEuroCP1252 + "</p>",
			want: `<meta content="text/html; charset=shift_jis"><p>café €</p>`,
		},
		{name: "meta charset after 2000 bytes", body: padding + `<meta charset="shift_jis"><p>` + nihongoSJIS + "</p>", wantContain: "<p>日本語</p>"},
		{name: "shift_jis via header", body: "<p>" + nihongoSJIS + "</p>", contentType: "text/html; charset=Shift_JIS", want: "<p>日本語</p>"},
		{name: "shift_jis via meta", body: `<meta charset="sjis"><p>` + nihongoSJIS + "</p>", want: `<meta charset="sjis"><p>日本語</p>`},
		{name: "euc-kr via header", body: "<p>" + hangukeoEUCKR + "</p>", contentType: "text/html;charset=euc-kr", want: "<p>한국어</p>"},
		{name: "long euc-kr via meta", body: longKorean, wantContain: strings.Repeat("한국어 ", 20000)},
		{name: "iso-2022-jp via meta", body: `<meta charset="iso-2022-jp"><p>` + newsISO2022JP + "</p>", want: `<meta charset="iso-2022-jp"><p>ニュース</p>`},
		{name: "header beats meta", body: `<meta charset="shift_jis"><p>` + cafeEuroCP1252 + "</p>", contentType: "text/html; charset=windows-1252", want: `<meta charset="shift_jis"><p>café €</p>`},
		{name: "meta utf-16 read as utf-8", body: `<meta charset="utf-16"><p>café</p>`, want: `<meta charset="utf-16"><p>café</p>`},
		{name: "unknown header label falls back to meta", body: `<meta charset="euc-kr"><p>` + hangukeoEUCKR + "</p>", contentType: "text/html; charset=klingon", want: `<meta charset="euc-kr"><p>한국어</p>`},
		{name: "unknown labels with utf-8 body", body: `<meta charset="x-nonsense"><p>café</p>`, contentType: "text/html; charset=klingon", want: `<meta charset="x-nonsense"><p>café</p>`},
		{name: "unknown labels with invalid utf-8", body: "<p>" + cafeEuroCP1252 + "</p>", contentType: "text/html; charset=klingon", want: "<p>café €</p>"},
		{name: "undeclared invalid utf-8 read as windows-1252", body: "<p>" + cafeEuroCP1252 + "</p>", want: "<p>café €</p>"},
		{name: "declared latin1 but body is utf-8", body: `<meta charset="iso-8859-1"><p>café</p>`, want: `<meta charset="iso-8859-1"><p>café</p>`},
		{name: "declared utf-8 with invalid bytes", body: "<p>caf\xe9</p>", contentType: "text/html; charset=utf-8", want: "<p>caf\uFFFD</p>"},
		{name: "truncated shift_jis", body: "<p>" + nihongoSJIS[:5], contentType: "text/html; charset=shift_jis", want: "<p>日本\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeHTML([]byte(tt.body), tt.contentType)
			if err != nil {
				t.Fatalf("DecodeHTML: %v", err)
			}
			if tt.wantContain != "" {
				if !strings.Contains(string(got), tt.wantContain) {
					t.Errorf("DecodeHTML = %.200q..., want it to contain %.200q", got, tt.wantContain)
				}
				return
			}
			if string(got) != tt.want {
				t.Errorf("DecodeHTML = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeCharsetFromContent(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{name: "plain", content: "text/html; charset=utf-8", want: "utf-8"},
		{name: "upper case key", content: "text/html; CHARSET=EUC-KR", want: "EUC-KR"},
		{name: "spaces around equals", content: "text/html; charset = koi8-r ; x=y", want: "koi8-r"},
		{name: "double quotes", content: `text/html; charset="big5"`, want: "big5"},
		{name: "single quotes", content: "text/html; charset='gbk'", want: "gbk"},
		{name: "unterminated quote", content: `text/html; charset="gbk`, want: ""},
		{name: "no charset", content: "text/html", want: ""},
		{name: "charset without equals then real one", content: "charset; charset=sjis", want: "sjis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := charsetFromContent(tt.content); got != tt.want {
				t.Errorf("charsetFromContent(%q) = %q, want %q", tt.content, got, tt.want)
			}
		})
	}
}

func TestDecodeToHTML(t *testing.T) {
	binaryJunk := make([]byte, 2048)
	for i := range binaryJunk {
		binaryJunk[i] = byte(i * 7)
	}
	tests := []struct {
		name        string
		body        string
		contentType string
		check       bodyCheck
		want        string
		wantErr     error
		wantMsg     string
	}{
		{name: "html", body: "<p>café</p>", want: "<p>café</p>"},
		{name: "utf-16 is not binary", body: pUTF16LE, want: "<p>é€</p>"},
		{name: "stray control byte allowed", body: "<html><body><p>" + strings.Repeat("text ", 100) + "\x01</p></body></html>", wantMsg: ""},
		{name: "empty", body: "", wantErr: ErrEmpty, wantMsg: "empty page"},
		{name: "whitespace only", body: " \n\t ", wantErr: ErrEmpty},
		{name: "pdf", body: "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", wantErr: ErrNotHTML, wantMsg: "not an html page: body looks like application/pdf"},
		{name: "png", body: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", wantErr: ErrNotHTML, wantMsg: "not an html page: body looks like image/png"},
		{name: "jpeg", body: "\xff\xd8\xff\xe0\x00\x10JFIF", wantErr: ErrNotHTML, wantMsg: "not an html page: body looks like image/jpeg"},
		{name: "zip", body: "PK\x03\x04\x14\x00", wantErr: ErrNotHTML, wantMsg: "not an html page: body looks like application/zip"},
		{name: "json", body: ` {"title": "<p>not a page</p>"}`, wantErr: ErrNotHTML, wantMsg: "not an html page: body looks like json"},
		{name: "brace text is not json", body: "{not json} <p>text</p>", want: "{not json} <p>text</p>"},
		{name: "binary junk", body: string(binaryJunk), wantErr: ErrNotHTML, wantMsg: "not an html page: body is binary data"},
		{name: "html then binary junk", body: "<html>" + string(binaryJunk), contentType: "text/html", wantErr: ErrNotHTML},
		{name: "plain text accepted leniently", body: "just some words", want: "just some words"},
		{name: "strict accepts html", body: "<!DOCTYPE html><title>x</title>", contentType: "text/plain", check: checkStrict, want: "<!DOCTYPE html><title>x</title>"},
		{
			name: "strict refuses plain text", body: "just some words", contentType: "text/plain; charset=utf-8", check: checkStrict,
			wantErr: ErrNotHTML, wantMsg: "not an html page: content type text/plain and the body does not look like html",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toHTML([]byte(tt.body), tt.contentType, tt.check)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("toHTML: %v", err)
				}
				if tt.want != "" && string(got) != tt.want {
					t.Errorf("toHTML = %q, want %q", got, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("toHTML error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("toHTML error = %q, want %q", err, tt.wantMsg)
			}
		})
	}
}

func TestDecodeContentType(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		want        bodyCheck
		wantMsg     string
	}{
		{name: "html", contentType: "text/html; charset=utf-8", want: checkLenient},
		{name: "upper case html", contentType: "TEXT/HTML", want: checkLenient},
		{name: "xhtml", contentType: "application/xhtml+xml", want: checkLenient},
		{name: "missing", contentType: "", want: checkLenient},
		{name: "malformed parameters", contentType: "text/html; charset", want: checkLenient},
		{name: "plain text", contentType: "text/plain", want: checkStrict},
		{name: "octet stream", contentType: "application/octet-stream", want: checkStrict},
		{name: "gzip file", contentType: "application/x-gzip", want: checkStrict},
		{name: "pdf", contentType: "application/pdf", wantMsg: "not an html page: content type application/pdf"},
		{name: "png", contentType: "image/png", wantMsg: "not an html page: content type image/png"},
		{name: "json", contentType: "application/json; charset=utf-8", wantMsg: "not an html page: content type application/json"},
		{name: "rss", contentType: "application/rss+xml", wantMsg: "not an html page: content type application/rss+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkContentType(tt.contentType)
			if tt.wantMsg != "" {
				if !errors.Is(err, ErrNotHTML) || err.Error() != tt.wantMsg {
					t.Fatalf("checkContentType(%q) error = %v, want %q", tt.contentType, err, tt.wantMsg)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("checkContentType(%q) = %v, %v; want %v, nil", tt.contentType, got, err, tt.want)
			}
		})
	}
}

func BenchmarkDecodeHTMLWindows1252(b *testing.B) {
	body := bytes.Repeat([]byte("<p>"+cafeEuroCP1252+"</p>\n"), 50000)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := DecodeHTML(body, "text/html; charset=windows-1252"); err != nil {
			b.Fatal(err)
		}
	}
}
