package source

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// JSONLLineCap is the longest line of a JSON Lines stream of pages that is
// read for a page cap of maxBytes (zero or less: DefaultMaxBytes): the cap,
// with room for JSON's escaping of the HTML (quotes, newlines, tags written
// as \u003c).
func JSONLLineCap(maxBytes int64) int {
	return int(4*maxBytesOrDefault(maxBytes) + 1<<20)
}

// jsonlPage is one line of a JSON Lines stream of pages.
type jsonlPage struct {
	URL  *string `json:"url"`
	HTML *string `json:"html"`
}

// FromJSONL reads one line of a JSON Lines stream of pages, a
// {"url": ..., "html": ...} object found at at (such as "stdin:3"). The
// page is named by its url, else by at; an http(s) url is also its URL.
// "html" is the page as text: a JSON string is Unicode already, so a
// <meta charset> inside it no longer describes it and UTF-8 is imposed.
// maxBytes (zero or less: DefaultMaxBytes) caps its length, and the checks
// that files and downloads get refuse what is not an HTML page.
//
// On failure the Page is still returned with its Input and URL set, and
// the error names the line when the page is named by its url.
func FromJSONL(at string, line []byte, maxBytes int64) (*Page, error) {
	var rec jsonlPage
	err := json.Unmarshal(line, &rec)
	page := &Page{Input: at}
	if rec.URL != nil && *rec.URL != "" {
		page.Input = *rec.URL
		if IsURL(page.Input) {
			page.URL = page.Input
		}
	}
	where := func(err error) error {
		if page.Input == at {
			return err
		}
		return fmt.Errorf("%s: %w", at, err)
	}
	if err != nil {
		return page, where(fmt.Errorf(`not a {"url": ..., "html": ...} object: %w`, jsonlError(err)))
	}
	if rec.HTML == nil {
		return page, where(errors.New(`no "html" field`))
	}
	maxBytes = maxBytesOrDefault(maxBytes)
	if int64(len(*rec.HTML)) > maxBytes {
		return page, where(&TooLargeError{Limit: maxBytes})
	}
	raw := []byte(*rec.HTML)
	text, err := toHTML(raw, "text/html; charset=utf-8", checkLenient)
	if err != nil {
		return page, where(err)
	}
	page.HTML, page.HTMLBytes = text, len(raw)
	return page, nil
}

// jsonlError says what is wrong with a line in the stream's own terms,
// without the Go type it was decoded into.
func jsonlError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return err
	}
	if typeErr.Field != "" {
		return fmt.Errorf("%q is %s, not a string", typeErr.Field, withArticle(typeErr.Value))
	}
	return fmt.Errorf("the line is a JSON %s", typeErr.Value)
}

// withArticle puts "a" or "an" before a JSON type name: "an object".
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
