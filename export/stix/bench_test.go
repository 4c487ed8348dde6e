package stix

import "testing"

// BenchmarkBundle measures the --format stix work for the corpus pages:
// one bundle of all their records, converted and encoded, after an
// untimed extraction. It reports the bundle's size and objects.
//
//	go test ./export/stix -run '^$' -bench Bundle
func BenchmarkBundle(b *testing.B) {
	_, corpus := testPages(b)
	if len(corpus) == 0 {
		b.Skip("no corpus pages in ../shared/corpus/pages")
	}
	records := pageRecords(b, corpus)
	var size, objects int
	b.ReportAllocs()
	for b.Loop() {
		bundle := NewBundle(Options{Fallback: fallback})
		for _, r := range records {
			bundle.Add(r)
		}
		data, err := bundle.Encode("")
		if err != nil {
			b.Fatal(err)
		}
		size, objects = len(data), bundle.Len()
	}
	b.ReportMetric(float64(size), "bytes/bundle")
	b.ReportMetric(float64(objects), "objects/bundle")
	b.ReportMetric(float64(len(records)), "records/bundle")
}

// BenchmarkEncodeResult measures --format stix-jsonl: one bundle a record.
func BenchmarkEncodeResult(b *testing.B) {
	_, corpus := testPages(b)
	if len(corpus) == 0 {
		b.Skip("no corpus pages in ../shared/corpus/pages")
	}
	records := pageRecords(b, corpus)
	var size int
	b.ReportAllocs()
	for b.Loop() {
		size = 0
		for _, r := range records {
			data, err := EncodeResult(r, Options{Fallback: fallback})
			if err != nil {
				b.Fatal(err)
			}
			size += len(data)
		}
	}
	b.ReportMetric(float64(size)/float64(len(records)), "bytes/record")
}
