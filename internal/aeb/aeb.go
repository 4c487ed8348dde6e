// Package aeb loads the article-extraction benchmark (../shared/aeb),
// reads its pages with incidex's article reader, and scores predicted main
// texts the way the benchmark's own scorer does. It is for measuring: the
// binary never imports it, and it must not tune the reader.
package aeb

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
)

// Page is one benchmark page: its id, raw HTML (gunzipped, still in the
// page's own encoding) and the human-checked main text.
type Page struct {
	ID   string
	URL  string
	HTML []byte
	Body string
}

// Text is what "incidex article" reads from a page once its bytes are in
// memory (the checks and charset decoding of package source, then
// parsing and main-text extraction): the main text, or "" with the error
// when the page is refused. A page with too little text gives that text
// and article.ErrNoText.
func Text(pg Page) (string, error) {
	page, err := source.FromBytes(pg.ID, pg.URL, pg.HTML, 0)
	if err != nil {
		return "", err
	}
	a, err := article.Parse(page, article.Options{})
	if a == nil {
		return "", err
	}
	return a.Text, err
}

// Load reads every page of the benchmark folder dir, sorted by id.
func Load(dir string) ([]Page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("read ground truth: %w", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, "ground-truth.json"), err)
	}
	pages := make([]Page, 0, len(truth))
	for id, t := range truth {
		name := filepath.Join(dir, "html", id+".html.gz")
		html, err := gunzipFile(name)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{ID: id, URL: t.URL, HTML: html, Body: t.ArticleBody})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, nil
}

func gunzipFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// PageScore is the benchmark's precision and recall for one page.
type PageScore struct {
	ID                string
	Precision, Recall float64
	HasOutput         bool // the prediction has at least one shingle
	HasTruth          bool
}

// F1 of one page.
func (s PageScore) F1() float64 {
	if s.Precision+s.Recall == 0 {
		return 0
	}
	return 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
}

// Result is the benchmark's summary: precision averaged over pages with any
// output, recall over pages with any truth, F1 from the two averages.
type Result struct {
	Precision, Recall, F1 float64
	Pages                 []PageScore
}

// Score compares predictions (page id to main text) with the truth of pages.
func Score(pages []Page, predictions map[string]string) Result {
	var res Result
	var ps, rs float64
	var np, nr int
	for _, pg := range pages {
		s := scorePage(pg.Body, predictions[pg.ID])
		s.ID = pg.ID
		if s.HasOutput {
			ps += s.Precision
			np++
		}
		if s.HasTruth {
			rs += s.Recall
			nr++
		}
		res.Pages = append(res.Pages, s)
	}
	if np > 0 {
		res.Precision = ps / float64(np)
	}
	if nr > 0 {
		res.Recall = rs / float64(nr)
	}
	if res.Precision+res.Recall > 0 {
		res.F1 = 2 * res.Precision * res.Recall / (res.Precision + res.Recall)
	}
	return res
}

func scorePage(truth, pred string) PageScore {
	ts, pr := shingles(truth), shingles(pred)
	var tp, fp, fn float64
	for k, n := range pr {
		m := ts[k]
		tp += float64(min(n, m))
		fp += float64(max(n-m, 0))
	}
	for k, n := range ts {
		fn += float64(max(n-pr[k], 0))
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	out := PageScore{HasOutput: tp+fp > 0, HasTruth: tp+fn > 0}
	switch {
	case fp == 0 && fn == 0:
		out.Precision, out.Recall = 1, 1
	default:
		if tp+fp > 0 {
			out.Precision = tp / (tp + fp)
		}
		if tp+fn > 0 {
			out.Recall = tp / (tp + fn)
		}
	}
	return out
}

// shingles splits text into words (runs of letters, digits and '_') and
// counts the overlapping 4-word shingles; texts under four words are one
// shingle.
func shingles(text string) map[string]int {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || unicode.Is(unicode.Mn, r))
	})
	out := make(map[string]int, len(words))
	if len(words) == 0 {
		return out
	}
	if len(words) < 4 {
		out[strings.Join(words, "\x00")]++
		return out
	}
	for i := 0; i+4 <= len(words); i++ {
		out[strings.Join(words[i:i+4], "\x00")]++
	}
	return out
}
