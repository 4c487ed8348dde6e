package merge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/record"
)

// jsonl encodes records as extract prints them, one a line.
func jsonl(t testing.TB, records []*record.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range records {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// stream runs MergeStream over input and returns the JSONL it emits.
func stream(t testing.TB, m *Merger, input []byte) ([]byte, Stats) {
	t.Helper()
	var out bytes.Buffer
	st, err := m.MergeStream(context.Background(), bytes.NewReader(input), t.TempDir(), func(mg record.Merged) error {
		b, err := encodeMerged(mg)
		out.Write(b)
		out.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatalf("MergeStream: %v", err)
	}
	return out.Bytes(), st
}

// TestStreamMatchesMerge wants the streaming merge to give the bytes of
// the in-memory one, in the same order, skipping what is not a record.
func TestStreamMatchesMerge(t *testing.T) {
	m := newMerger(t, Options{})
	records := synthRecords(3000, 2)
	want := encodeAll(t, m.Merge(records))

	input := jsonl(t, records)
	input = append(input, `{"input":"gone.html","error":"no such file"}`+"\n"...)
	input = append(input, "not json at all\n\n"...)
	input = append(input, `{"schema":"incidex-merged/v1","id":"x"}`+"\n"...)
	input = append(input, jsonl(t, records[:100])...) // the same articles again
	got, st := stream(t, m, input)
	if !bytes.Equal(got, want) {
		t.Fatalf("MergeStream gives %d bytes, Merge %d; they differ", len(got), len(want))
	}
	if st.Records != 3100 || st.ErrorRecords != 1 || st.NotRecords != 2 || st.Incidents != bytes.Count(want, []byte("\n")) {
		t.Errorf("stats %+v", st)
	}
	if !strings.HasPrefix(st.FirstProblem, "line 3002: not a JSON object") {
		t.Errorf("first problem %q", st.FirstProblem)
	}
	if st.Duplicates < 100 {
		t.Errorf("%d duplicates, want at least the 100 articles given twice", st.Duplicates)
	}

	// EmitJSON hands over the same lines.
	s, err := m.NewSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Read(context.Background(), bytes.NewReader(input)); err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := s.EmitJSON(context.Background(), func(line []byte) error {
		raw.Write(line)
		return raw.WriteByte('\n')
	}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw.Bytes(), want) {
		t.Error("EmitJSON gives other bytes than Emit")
	}
}

// TestPartitionedMergeEqualsWhole splits records into units, partitions
// the units by block key as an engine would (a hash of the key, four
// partitions), merges each partition alone and wants the concatenation,
// sorted, to be the merge of the whole.
func TestPartitionedMergeEqualsWhole(t *testing.T) {
	m := newMerger(t, Options{})
	records := synthRecords(2000, 5)
	want, _ := stream(t, m, jsonl(t, records))

	const partitions = 4
	parts := make([]bytes.Buffer, partitions)
	_, err := m.Split(context.Background(), bytes.NewReader(jsonl(t, records)), func(u *Unit) error {
		h := fnv.New32a()
		h.Write([]byte(u.BlockKey))
		b, err := json.Marshal(u)
		p := &parts[h.Sum32()%partitions]
		p.Write(b)
		p.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var all []record.Merged
	for i := range parts {
		out, st := stream(t, m, parts[i].Bytes())
		if st.UnitLines == 0 || st.Records != 0 {
			t.Fatalf("partition %d: %+v", i, st)
		}
		for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var mg record.Merged
			if err := json.Unmarshal(line, &mg); err != nil {
				t.Fatal(err)
			}
			all = append(all, mg)
		}
	}
	SortMerged(all)
	if got := encodeAll(t, all); !bytes.Equal(got, want) {
		t.Fatalf("partitioned merge gives %d bytes, whole %d; they differ", len(got), len(want))
	}
}

func TestStreamBadInput(t *testing.T) {
	m := newMerger(t, Options{})
	good := strings.TrimSpace(string(jsonl(t, synthRecords(1, 9))))
	tests := []struct {
		name    string
		input   string
		maxLine int
		records int
		not     int
		problem string
	}{
		{name: "empty", input: ""},
		{name: "blank lines", input: "\n\n  \n"},
		{name: "binary", input: "\x1f\x8b\x08\x00\xff\xfe\x00\x01junk", not: 1, problem: "line 1: not a JSON object"},
		{name: "html", input: "<html><body>news</body></html>\n" + good, records: 1, not: 1, problem: "line 1: not a JSON object"},
		{name: "broken JSON", input: good + "\n{\"schema\":\"incidex/v1\",", records: 1, not: 1, problem: "line 2: not JSON"},
		{name: "other JSON", input: `{"hello":"world"}` + "\n" + `[1,2]`, not: 2, problem: `line 1: JSON without a "schema"`},
		{name: "wrong field type", input: `{"schema":"incidex/v1","input":"x","title":"t","incidents":[{"id":7}]}`, not: 1, problem: "line 1: not an incidex record"},
		{name: "other schema", input: `{"schema":"incidex/v9","input":"x"}`, not: 1, problem: `line 1: schema "incidex/v9"`},
		{name: "too long", input: good + "\n" + `{"schema":"incidex/v1","title":"` + strings.Repeat("x", 300) + `"}` + "\n" + good, maxLine: 200,
			records: 0, not: 3, problem: "line 1: longer than 200 bytes"},
		{name: "unit without key", input: `{"schema":"incidex-unit/v1","block_key":"a"}`, not: 1, problem: "line 1: a unit without a key"},
		{name: "no final newline", input: good, records: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := m.NewSpill(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if tt.maxLine > 0 {
				s.maxLine = tt.maxLine
			}
			st, err := s.Read(context.Background(), strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if st.Records != tt.records || st.NotRecords != tt.not || !strings.HasPrefix(st.FirstProblem, tt.problem) {
				t.Errorf("got %d records, %d not records, problem %q; want %d, %d, %q", st.Records, st.NotRecords, st.FirstProblem, tt.records, tt.not, tt.problem)
			}
			if _, err := s.Emit(context.Background(), func(record.Merged) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStreamCancelled(t *testing.T) {
	m := newMerger(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.MergeStream(ctx, bytes.NewReader(jsonl(t, synthRecords(1000, 4))), t.TempDir(), func(record.Merged) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestSpillCleansUp wants no temporary file left behind.
func TestSpillCleansUp(t *testing.T) {
	m := newMerger(t, Options{})
	dir := t.TempDir()
	if _, err := m.MergeStream(context.Background(), bytes.NewReader(jsonl(t, synthRecords(200, 4))), dir, func(record.Merged) error { return nil }); err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("left %d files in %s", len(left), dir)
	}
}

// FuzzMergeStream feeds arbitrary bytes to the streaming merge: it must
// never panic, and what it emits must be sorted.
func FuzzMergeStream(f *testing.F) {
	m := newMerger(f, Options{})
	f.Add(jsonl(f, synthRecords(3, 11)))
	f.Add([]byte(`{"input":"x","error":"y"}` + "\n" + `{"schema":"incidex/v1","input":"a","title":"t","published":"2025-13-45","incidents":[{"id":"1","status":"confirmed","victims":[{"name":"&&","aliases":["M&S"]}]}]}`))
	f.Add([]byte(`{"schema":"incidex-unit/v1","key":"k","block_key":"","victim":{"name":"ΑΒΓ Ltd"}}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		last := ""
		_, err := m.MergeStream(context.Background(), bytes.NewReader(data), dir, func(mg record.Merged) error {
			k := orderKey(&mg)
			if k < last {
				t.Errorf("out of order: %q after %q", k, last)
			}
			last = k
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestWriteScaleInput writes INCIDEX_MERGE_SCALE synthetic records (a
// million for the README's figure) to INCIDEX_MERGE_SCALE_OUT, for timing
// "incidex merge" on them; skipped unless both are set.
func TestWriteScaleInput(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("INCIDEX_MERGE_SCALE"))
	path := os.Getenv("INCIDEX_MERGE_SCALE_OUT")
	if n <= 0 || path == "" {
		t.Skip("set INCIDEX_MERGE_SCALE=1000000 and INCIDEX_MERGE_SCALE_OUT=FILE to write the scale input")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeSynth(f, n, 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkMergeStream merges 20,000 synthetic records per iteration;
// records/s is reported as a metric.
func BenchmarkMergeStream(b *testing.B) {
	m := newMerger(b, Options{})
	const n = 20000
	input := jsonl(b, synthRecords(n, 8))
	dir := b.TempDir()
	b.SetBytes(int64(len(input)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.MergeStream(context.Background(), bytes.NewReader(input), dir, func(record.Merged) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
