package article

// Article is the clean main text of a news page and its metadata.
type Article struct {
	Input        string `json:"input"`
	InputBytes   []byte `json:"input_bytes,omitempty"` // see RawInput
	URL          string `json:"url,omitempty"`
	CanonicalURL string `json:"canonical_url,omitempty"`
	Title        string `json:"title"`
	Byline       string `json:"byline,omitempty"`
	Site         string `json:"site,omitempty"`
	Published    string `json:"published,omitempty"`
	Language     string `json:"language,omitempty"`
	// FetchedAt is when the page was downloaded or archived (RFC 3339,
	// UTC); see source.Page.FetchedAt.
	FetchedAt  string   `json:"fetched_at,omitempty"`
	Text       string   `json:"text"`
	Paragraphs []string `json:"paragraphs"`
	Stats      Stats    `json:"stats"`
}

// Stats describes the size of the page and of the text taken from it.
type Stats struct {
	// HTMLBytes is the size of the page as received, after gzip and
	// before charset decoding (source.Page.HTMLBytes).
	HTMLBytes int `json:"html_bytes"`
	TextChars int `json:"text_chars"`
}
