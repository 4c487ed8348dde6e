package article_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// articleCase is one row of testdata/cases.json: a page written for incidex
// and what its reader must and must not return.
type articleCase struct {
	Page           string   `json:"page"`
	Layout         string   `json:"layout"`
	Title          string   `json:"title"`
	Byline         string   `json:"byline"`
	Published      string   `json:"published"`
	Site           string   `json:"site"`
	Language       string   `json:"language"`
	CanonicalURL   string   `json:"canonical_url"`
	MustContain    []string `json:"must_contain"`
	MustNotContain []string `json:"must_not_contain"`
	NoText         bool     `json:"no_text"`
}

func loadCases(t *testing.T) []articleCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []articleCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("testdata/cases.json: %v", err)
	}
	if len(cases) < 10 {
		t.Fatalf("testdata/cases.json has %d cases, want at least 10", len(cases))
	}
	return cases
}

func readArticle(t *testing.T, page string) (*article.Article, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", page))
	if err != nil {
		t.Fatal(err)
	}
	p, err := source.FromBytes(page, "", data, 0)
	if err != nil {
		t.Fatalf("read %s: %v", page, err)
	}
	return article.Parse(p, article.Options{})
}

// TestGoldenArticles checks every test page against its expectations and
// against its golden output (rewrite with go test ./extract/article -run Golden -update).
func TestGoldenArticles(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(c.Page, ".html"), func(t *testing.T) {
			a, err := readArticle(t, c.Page)
			if c.NoText {
				if !errors.Is(err, article.ErrNoText) {
					t.Fatalf("err = %v, want ErrNoText", err)
				}
			} else if err != nil {
				t.Fatalf("ParseArticle: %v", err)
			}
			for _, s := range c.MustContain {
				if !strings.Contains(a.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range c.MustNotContain {
				if strings.Contains(a.Text, s) {
					t.Errorf("text contains boilerplate %q", s)
				}
			}
			if c.NoText {
				return
			}
			checkField(t, "title", a.Title, c.Title)
			checkField(t, "byline", a.Byline, c.Byline)
			checkField(t, "site", a.Site, c.Site)
			checkField(t, "language", a.Language, c.Language)
			checkField(t, "canonical_url", a.CanonicalURL, c.CanonicalURL)
			if !sameTime(a.Published, c.Published) {
				t.Errorf("published = %q, want %q", a.Published, c.Published)
			}
			compareGolden(t, strings.TrimSuffix(c.Page, ".html")+".golden.json", a)
		})
	}
}

func checkField(t *testing.T, name, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

// sameTime compares RFC 3339 timestamps as instants ("Z" and "+00:00" are
// the same time) and date-only values as strings.
func sameTime(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := time.Parse(time.RFC3339, got)
	w, err2 := time.Parse(time.RFC3339, want)
	return err1 == nil && err2 == nil && g.Equal(w)
}

func compareGolden(t *testing.T, name string, a *article.Article) {
	t.Helper()
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("..", "..", "testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./extract/article -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./extract/article -run Golden -update and review the diff)\n%s", name, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}
