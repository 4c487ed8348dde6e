package extract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/extracttest"
)

// densePage builds an HTML page of about size bytes whose every sentence
// gives the extractor work: organisations no dictionary holds, victims a
// rule reads, gangs, ransomware, CVEs, sums and records, in paragraphs of
// four sentences. The names come from small vocabularies, so they repeat
// and share words as the page grows, the way a long roundup or a
// liveblog does.
func densePage(size int) []byte {
	first := strings.Fields("Acme Harrow Norsk Kingsmere Glenvarra Tessel Brindle Marlow Pellow Corvane Ferrow Aldwick Dunmore Halloran Westmarch Saltmarsh Quillon Tarrow Oresund Pavlova")
	second := strings.Fields("Bank Hospital Council Foods Airways Water Logistics Insurance Pharma Motors University Energy")
	gangs := strings.Fields("LockBit Akira Grimvault Nightjar BlackReef Crimson")
	cities := strings.Fields("Leeds Denver Lyon Osaka Perth Bergen")
	org := func(i int) string { return first[i%len(first)] + " " + second[(i/len(first))%len(second)] }
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Ransomware attacks hit firms across three continents</title></head><body><article><h1>Ransomware attacks hit firms across three continents</h1>\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<p>%s said on Monday that a ransomware attack had disrupted its payment systems and that data on %d,000 customers may have been stolen. ", org(i), 10+i%90)
		fmt.Fprintf(&b, "The %s gang claimed responsibility for the attack on %s and demanded a $%d million ransom. ", gangs[i%len(gangs)], org(i+7), 1+i%9)
		fmt.Fprintf(&b, "Hackers exploited CVE-2023-%04d to reach the servers of %s, a logistics firm in %s, which confirmed it was among the victims. ", 1000+i%5000, org(i+13), cities[i%len(cities)])
		fmt.Fprintf(&b, "Researchers at Tessel Labs said the %s ransomware encrypted files at %s and %s.</p>\n", gangs[(i+1)%len(gangs)], org(i+3), org(i+5))
	}
	b.WriteString("</article></body></html>\n")
	return []byte(b.String())
}

// BenchmarkPageSize measures one whole page, parsing, main text and
// incidents, at 1, 2, 4 and 8 MB: the time of each should about double
// with the size (work linear in the page).
//
//	go test ./extract -run '^$' -bench PageSize -benchtime 1x
func BenchmarkPageSize(b *testing.B) {
	x := extracttest.Default(b)
	for _, mb := range []int{1, 2, 4, 8} {
		data := densePage(mb << 20)
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				page, err := source.FromBytes("dense.html", "", data, 16<<20)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := x.Page(page); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWriteDensePages writes BenchmarkPageSize's pages of 1, 2, 4, 8 and
// 10 MB to the folder INCIDEX_DENSE_DIR names, for whole-process runs of
// the command (see the README); without it, it does nothing.
//
//	INCIDEX_DENSE_DIR=/tmp/dense go test ./extract -run WriteDensePages
func TestWriteDensePages(t *testing.T) {
	dir := os.Getenv("INCIDEX_DENSE_DIR")
	if dir == "" {
		t.Skip("INCIDEX_DENSE_DIR is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, mb := range []int{1, 2, 4, 8, 10} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("dense-%dMB.html", mb)), densePage(mb<<20), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
