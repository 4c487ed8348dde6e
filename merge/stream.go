package merge

import (
	"bufio"
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/sizecap"
	"golang.org/x/sync/errgroup"
)

// MaxLine is the longest JSONL line read: a longer line is counted as not
// a record and skipped (extract's records stay far below it: a record is
// cut to 200 incidents of 50 entries, ten sentences each).
const MaxLine = 64 << 20

// spillFiles is how many files units are spilled to, by hash of their
// block key: a file holds whole blocks, and is merged alone.
const spillFiles = 64

// Stats counts what a streaming merge read and wrote.
type Stats struct {
	Lines        int // lines read (empty lines not counted)
	Records      int // incidex/v1 records
	UnitLines    int // incidex-unit/v1 lines (units split before)
	ErrorRecords int // {"input", "error"} lines: inputs extract could not read
	// NotRecords counts the other lines (not JSON, other JSON, longer than
	// MaxLine); FirstProblem says what was wrong with the first:
	// "line 7: not JSON (...)".
	NotRecords   int
	FirstProblem string
	Units        int // units spilled
	Duplicates   int // units dropped as copies of another (the same article twice)
	Incidents    int // merged incidents emitted
}

func (s *Stats) add(o Stats) {
	if s.FirstProblem == "" {
		s.FirstProblem = o.FirstProblem
	}
	s.Lines += o.Lines
	s.Records += o.Records
	s.UnitLines += o.UnitLines
	s.ErrorRecords += o.ErrorRecords
	s.NotRecords += o.NotRecords
	s.Units += o.Units
	s.Duplicates += o.Duplicates
	s.Incidents += o.Incidents
}

// MergeStream merges the JSONL records read from r in bounded memory:
// their units are spilled to temporary files in dir (os.TempDir when
// empty) by block, each file is merged alone, and the merged incidents are
// emitted in the order Merge gives. Error records ({"input", "error"}) and
// lines that are no records are counted in the returned Stats and skipped.
// Lines of units ("incidex merge --format units") are read as units.
func (m *Merger) MergeStream(ctx context.Context, r io.Reader, dir string, emit func(record.Merged) error) (Stats, error) {
	s, err := m.NewSpill(dir)
	if err != nil {
		return Stats{}, err
	}
	defer s.Close()
	read, err := s.Read(ctx, r)
	if err != nil {
		return read, err
	}
	return s.Emit(ctx, emit)
}

// Spill is a streaming merge in progress: Read spills the units
// of any number of inputs to temporary files, Emit (once) merges them,
// Close removes the files. A Spill is not safe for concurrent use.
type Spill struct {
	m       *Merger
	dir     string
	files   []*spillFile
	stats   Stats
	maxLine int  // MaxLine; tests lower it
	emitted bool // Emit ran: the spill files are gone
}

type spillFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
}

// NewSpill starts a streaming merge whose files go to a new folder in dir
// (os.TempDir when empty).
func (m *Merger) NewSpill(dir string) (*Spill, error) {
	d, err := os.MkdirTemp(dir, "incidex-merge-")
	if err != nil {
		return nil, fmt.Errorf("create temporary folder: %w", err)
	}
	return &Spill{m: m, dir: d, files: make([]*spillFile, spillFiles), maxLine: MaxLine}, nil
}

// Close removes the spill's files.
func (s *Spill) Close() error {
	for _, f := range s.files {
		if f != nil && f.f != nil {
			f.f.Close()
		}
	}
	return os.RemoveAll(s.dir)
}

// appendSpillLine appends the spill line of u to dst: the JSON of its head
// (what clustering reads), a tab, the JSON of the unit, a newline. JSON
// holds no raw tab, and clustering decodes the short head alone.
func appendSpillLine(dst []byte, u *Unit) ([]byte, error) {
	head, err := json.Marshal(headOf(u))
	if err == nil {
		var unit []byte
		if unit, err = json.Marshal(u); err == nil {
			dst = append(append(append(append(dst, head...), '\t'), unit...), '\n')
		}
	}
	if err != nil {
		return dst, fmt.Errorf("encode unit %q: %w", u.Key, err)
	}
	return dst, nil
}

// write appends spill lines to spill file i.
func (s *Spill) write(i int, lines []byte) error {
	f := s.files[i]
	if f == nil {
		path := filepath.Join(s.dir, "units-"+strconv.Itoa(i)+".jsonl")
		fh, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("create spill file: %w", err)
		}
		f = &spillFile{path: path, f: fh, w: bufio.NewWriterSize(fh, 64<<10)}
		s.files[i] = f
	}
	if _, err := f.w.Write(lines); err != nil {
		return fmt.Errorf("write spill file: %w", err)
	}
	return nil
}

// fileOf is the spill file of a block.
func fileOf(blockKey string) int {
	h := fnv.New32a()
	h.Write([]byte(blockKey))
	return int(h.Sum32() % spillFiles)
}

// lineKind says what a JSONL line holds.
type lineKind int

const (
	lineEmpty lineKind = iota
	lineRecord
	lineUnit
	lineError
	lineOther
)

// recordLine decodes the lines of extract's output: a record or an error
// record.
type recordLine struct {
	record.Result
	Error *string `json:"error"`
}

// classify decodes one line into a record or a unit.
func classify(line []byte, rec *recordLine, unit *Unit) (lineKind, string) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return lineEmpty, ""
	}
	if line[0] != '{' {
		return lineOther, "not a JSON object"
	}
	if bytes.HasPrefix(line, []byte(`{"schema":"`+UnitSchemaVersion+`"`)) {
		*unit = Unit{}
		if err := json.Unmarshal(line, unit); err != nil {
			return lineOther, "a broken unit (" + err.Error() + ")"
		}
		return lineUnit, ""
	}
	*rec = recordLine{}
	if err := json.Unmarshal(line, rec); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return lineOther, "not JSON (" + err.Error() + ")"
		}
		return lineOther, "not an incidex record (" + err.Error() + ")"
	}
	switch rec.Schema {
	case record.SchemaVersion:
		return lineRecord, ""
	case UnitSchemaVersion:
		*unit = Unit{}
		if err := json.Unmarshal(line, unit); err != nil {
			return lineOther, "a broken unit (" + err.Error() + ")"
		}
		return lineUnit, ""
	case "":
		if rec.Error != nil {
			return lineError, ""
		}
		return lineOther, "JSON without a \"schema\" (not an incidex record)"
	case record.MergedSchemaVersion:
		return lineOther, "a merged incident (" + rec.Schema + "), not an extract record"
	}
	return lineOther, fmt.Sprintf("schema %q, not %s", rec.Schema, record.SchemaVersion)
}

// Read spills the units of the JSONL records (or units) read from r, and
// returns what it read from r (Emit returns the total). Lines that are not
// records are counted and skipped; an error is returned only when r fails
// or a unit cannot be spilled. The lines are decoded by GOMAXPROCS
// workers: the order units reach the spill files in does not matter, since
// each block is sorted before it is merged.
func (s *Spill) Read(ctx context.Context, r io.Reader) (Stats, error) {
	st, err := s.readParallel(ctx, r, runtime.GOMAXPROCS(0))
	s.stats.add(st)
	return st, err
}

// Split reads JSONL records from r and emits their units (unit lines are
// emitted as they are), in input order, without merging: the first step
// of a partitioned merge ("incidex merge --format units"). Lines that are
// not records are counted and skipped, as MergeStream does.
func (m *Merger) Split(ctx context.Context, r io.Reader, emit func(*Unit) error) (Stats, error) {
	var st Stats
	var d lineDecoder
	br := bufio.NewReaderSize(r, 1<<20)
	var buf []byte
	for n := 1; ; n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		line, tooLong, err := readLine(br, buf, MaxLine)
		buf = line[:0]
		if derr := d.decode(m, n, line, tooLong, MaxLine, &st, emit); derr != nil {
			return st, derr
		}
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, err
		}
	}
}

// lineDecoder decodes JSONL lines into units, reusing its buffers.
type lineDecoder struct {
	rec  recordLine
	unit Unit
}

// decode counts the line numbered n in st and hands its units to fn.
func (d *lineDecoder) decode(m *Merger, n int, line []byte, tooLong bool, maxLine int, st *Stats, fn func(*Unit) error) error {
	if len(bytes.TrimSpace(line)) == 0 && !tooLong {
		return nil
	}
	st.Lines++
	kind, problem := lineOther, "longer than "+sizecap.Format(int64(maxLine))
	if !tooLong {
		kind, problem = classify(line, &d.rec, &d.unit)
	}
	if kind == lineUnit && d.unit.Key == "" {
		kind, problem = lineOther, "a unit without a key"
	}
	switch kind {
	case lineRecord:
		st.Records++
		for _, u := range m.Units(&d.rec.Result) {
			if err := fn(&u); err != nil {
				return err
			}
			st.Units++
		}
	case lineUnit:
		if d.unit.BlockKey == "" {
			d.unit.BlockKey = m.blockOf(&d.unit)
		}
		st.UnitLines++
		if err := fn(&d.unit); err != nil {
			return err
		}
		st.Units++
	case lineError:
		st.ErrorRecords++
	case lineOther:
		st.NotRecords++
		if st.FirstProblem == "" {
			st.FirstProblem = "line " + strconv.Itoa(n) + ": " + problem
		}
	}
	return nil
}

// batchLines is how many lines a batch of Read holds at most, batchBytes
// how many bytes: a worker's share of the input at a time.
const (
	batchLines = 512
	batchBytes = 4 << 20
)

// lineBatch is lines of the input handed to a worker.
type lineBatch struct {
	lines []batchLine
}

type batchLine struct {
	n       int
	data    []byte
	tooLong bool
}

// batchResult is what a worker made of a batch: the spill lines of its
// units, by spill file, and its counts.
type batchResult struct {
	st          Stats
	problemLine int // the line of st.FirstProblem
	spill       map[int][]byte
}

// readParallel is Read with the decoding of lines shared by workers: one
// goroutine reads lines, the workers decode records and encode units, and
// this goroutine writes the units to the spill files.
func (s *Spill) readParallel(ctx context.Context, r io.Reader, workers int) (Stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan lineBatch, workers)
	results := make(chan batchResult, workers)
	g.Go(func() error {
		defer close(batches)
		br := bufio.NewReaderSize(r, 1<<20)
		var buf []byte
		var b lineBatch
		size := 0
		send := func() error {
			select {
			case batches <- b:
			case <-gctx.Done():
				return gctx.Err()
			}
			b, size = lineBatch{}, 0
			return nil
		}
		for n := 1; ; n++ {
			line, tooLong, err := readLine(br, buf, s.maxLine)
			buf = line[:0]
			if tooLong || len(bytes.TrimSpace(line)) > 0 {
				l := batchLine{n: n, tooLong: tooLong}
				if !tooLong {
					l.data = bytes.Clone(line)
				}
				b.lines = append(b.lines, l)
				size += len(l.data)
				if len(b.lines) >= batchLines || size >= batchBytes {
					if err := send(); err != nil {
						return err
					}
				}
			}
			if err == io.EOF {
				if len(b.lines) > 0 {
					return send()
				}
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			var d lineDecoder
			for b := range batches {
				res := batchResult{spill: map[int][]byte{}}
				for _, l := range b.lines {
					first := res.st.FirstProblem
					err := d.decode(s.m, l.n, l.data, l.tooLong, s.maxLine, &res.st, func(u *Unit) error {
						i := fileOf(u.BlockKey)
						var err error
						res.spill[i], err = appendSpillLine(res.spill[i], u)
						return err
					})
					if err != nil {
						return err
					}
					if first == "" && res.st.FirstProblem != "" {
						res.problemLine = l.n
					}
				}
				select {
				case results <- res:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var st Stats
	problemLine := 0
	var werr error
	for res := range results {
		if werr != nil {
			continue // drain, so that the workers end
		}
		if res.problemLine > 0 && (problemLine == 0 || res.problemLine < problemLine) {
			problemLine, st.FirstProblem = res.problemLine, res.st.FirstProblem
		}
		res.st.FirstProblem = ""
		st.add(res.st)
		for _, i := range slices.Sorted(maps.Keys(res.spill)) {
			if werr = s.write(i, res.spill[i]); werr != nil {
				cancel()
				break
			}
		}
	}
	err := g.Wait()
	if werr != nil {
		return st, werr
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return st, ctx.Err()
	}
	return st, err
}

// readLine reads one line into buf (reused), keeping at most limit
// bytes; tooLong says the line was longer.
func readLine(br *bufio.Reader, buf []byte, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) <= limit {
			buf = append(buf, chunk...)
		} else {
			tooLong = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return buf, tooLong, err
	}
}

// Emit merges the spilled units file by file, and emits the merged
// incidents in the order Merge gives: each file's incidents are sorted
// into a run file, and the runs merged. It returns the counts of
// everything read and emitted.
func (s *Spill) Emit(ctx context.Context, emit func(record.Merged) error) (Stats, error) {
	return s.emit(ctx, func(line []byte) error {
		var m record.Merged
		if err := json.Unmarshal(line, &m); err != nil {
			return fmt.Errorf("read run file: %w", err)
		}
		return emit(m)
	})
}

// EmitJSON is Emit for a consumer of JSONL: it hands over each merged
// incident as its JSON on one line (without the newline, "&", "<" and ">"
// unescaped), saving a decoding and an encoding per incident.
func (s *Spill) EmitJSON(ctx context.Context, emit func([]byte) error) (Stats, error) {
	return s.emit(ctx, emit)
}

func (s *Spill) emit(ctx context.Context, emit func([]byte) error) (Stats, error) {
	if s.emitted {
		return s.stats, errors.New("merge: Emit called twice on one Spill")
	}
	s.emitted = true
	var files []*spillFile
	for _, f := range s.files {
		if f == nil {
			continue
		}
		if err := f.w.Flush(); err != nil {
			return s.stats, fmt.Errorf("write spill file: %w", err)
		}
		files = append(files, f)
	}
	runs := make([]string, len(files))
	dups := make([]int, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			run, d, err := s.mergeFile(gctx, f)
			runs[i], dups[i] = run, d
			if err != nil {
				return err
			}
			// Its run holds all the file gave: free the disk early.
			f.f.Close()
			f.f = nil
			return os.Remove(f.path)
		})
	}
	if err := g.Wait(); err != nil {
		return s.stats, err
	}
	for _, d := range dups {
		s.stats.Duplicates += d
	}
	n, err := mergeRuns(ctx, runs, emit)
	s.stats.Incidents += n
	return s.stats, err
}

// spilled is one unit of a spill file: where its line is.
type spilled struct {
	off int64
	n   int
}

// mergeFile merges the units of one spill file and writes the merged
// incidents, sorted, to a run file: one "<order key>\t<JSON>" a line.
// Only the units' entries stay in memory while the blocks are clustered;
// each incident's units are then read back by offset.
func (s *Spill) mergeFile(ctx context.Context, f *spillFile) (run string, dups int, err error) {
	if _, err := f.f.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("read spill file: %w", err)
	}
	br := bufio.NewReaderSize(f.f, 1<<20)
	var where []spilled
	blocks := map[string][]entry{}
	var off int64
	var buf []byte
	for {
		if len(where)%1024 == 0 && ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		line, _, rerr := readLine(br, buf, math.MaxInt)
		buf = line[:0]
		if len(line) > 0 {
			head, unit, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte("\t"))
			var u unitHead
			if !ok {
				return "", 0, fmt.Errorf("read spill file %s: a line without its head", f.path)
			}
			if err := json.Unmarshal(head, &u); err != nil {
				return "", 0, fmt.Errorf("read spill file %s: %w", f.path, err)
			}
			idx := len(where)
			where = append(where, spilled{off + int64(len(head)) + 1, len(unit)})
			blocks[u.BlockKey] = append(blocks[u.BlockKey], u.entry(idx))
			off += int64(len(line))
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return "", 0, fmt.Errorf("read spill file: %w", rerr)
		}
	}
	readAt := func(idx int, into []byte) ([]byte, error) {
		w := where[idx]
		into = slices.Grow(into[:0], w.n)[:w.n]
		if _, err := f.f.ReadAt(into, w.off); err != nil {
			return nil, fmt.Errorf("read spill file: %w", err)
		}
		return into, nil
	}
	var readErr error
	var tieBuf []byte
	tie := func(idx int) uint64 {
		b, err := readAt(idx, tieBuf)
		if err != nil {
			readErr = err
			return 0
		}
		tieBuf = b
		return lineHash(b)
	}
	type pending struct {
		key   string
		block string
		idx   []int
	}
	var all []pending
	for _, key := range slices.Sorted(maps.Keys(blocks)) {
		entries := blocks[key]
		byIdx := make(map[int]*entry, len(entries))
		for i := range entries {
			byIdx[entries[i].idx] = &entries[i]
		}
		n := len(entries)
		clusters := s.m.cluster(entries, tie)
		if readErr != nil {
			return "", 0, readErr
		}
		kept := 0
		for _, cl := range clusters {
			kept += len(cl)
			first := ""
			keys := make([]string, len(cl))
			for j, idx := range cl {
				e := byIdx[idx]
				keys[j] = e.key
				if e.reported != "" && (first == "" || e.reported < first) {
					first = e.reported
				}
			}
			all = append(all, pending{orderKeyOf(first, mergedID(keys)), key, cl})
		}
		dups += n - kept
		delete(blocks, key)
	}
	slices.SortFunc(all, func(a, b pending) int { return strings.Compare(a.key, b.key) })

	run = f.path + ".run"
	out, err := os.Create(run)
	if err != nil {
		return "", 0, fmt.Errorf("create run file: %w", err)
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write run file: %w", cerr)
		}
	}()
	w := bufio.NewWriterSize(out, 256<<10)
	var line []byte
	for i, p := range all {
		if i%256 == 0 && ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		units := make([]*Unit, len(p.idx))
		for j, idx := range p.idx {
			if line, err = readAt(idx, line); err != nil {
				return "", 0, err
			}
			units[j] = &Unit{}
			if err := json.Unmarshal(line, units[j]); err != nil {
				return "", 0, fmt.Errorf("read spill file %s: %w", f.path, err)
			}
		}
		b, err := encodeMerged(s.m.build(p.block, units))
		if err != nil {
			return "", 0, err
		}
		w.WriteString(p.key)
		w.WriteByte('\t')
		w.Write(b)
		if err := w.WriteByte('\n'); err != nil {
			return "", 0, fmt.Errorf("write run file: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return "", 0, fmt.Errorf("write run file: %w", err)
	}
	return run, dups, nil
}

// encodeMerged is a merged incident's JSON without HTML escaping.
func encodeMerged(m record.Merged) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode merged incident %s: %w", m.ID, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// mergeRuns emits the merged incidents of sorted run files in order, as
// JSON, and returns how many.
func mergeRuns(ctx context.Context, runs []string, emit func([]byte) error) (int, error) {
	h := &runHeap{}
	defer func() {
		for _, r := range h.runs {
			r.f.Close()
		}
	}()
	for _, path := range runs {
		f, err := os.Open(path)
		if err != nil {
			return 0, fmt.Errorf("read run file: %w", err)
		}
		r := &runReader{f: f, br: bufio.NewReaderSize(f, 256<<10)}
		ok, err := r.next()
		if err != nil {
			f.Close()
			return 0, err
		}
		if !ok {
			f.Close()
			continue
		}
		h.runs = append(h.runs, r)
	}
	heap.Init(h)
	n := 0
	for h.Len() > 0 {
		if n%256 == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		r := h.runs[0]
		if err := emit(r.json); err != nil {
			return n, err
		}
		n++
		ok, err := r.next()
		if err != nil {
			return n, err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			r.f.Close()
			heap.Pop(h)
		}
	}
	return n, nil
}

// runReader reads one run file's lines.
type runReader struct {
	f    *os.File
	br   *bufio.Reader
	buf  []byte
	key  string
	json []byte
}

func (r *runReader) next() (bool, error) {
	line, _, err := readLine(r.br, r.buf[:0], math.MaxInt)
	r.buf = line
	if len(line) == 0 {
		if err == nil || err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("read run file: %w", err)
	}
	if err != nil && err != io.EOF {
		return false, fmt.Errorf("read run file: %w", err)
	}
	k, j, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte("\t"))
	if !ok {
		return false, fmt.Errorf("read run file: a line without its key")
	}
	r.key, r.json = string(k), j
	return true, nil
}

type runHeap struct{ runs []*runReader }

func (h *runHeap) Len() int           { return len(h.runs) }
func (h *runHeap) Less(i, j int) bool { return h.runs[i].key < h.runs[j].key }
func (h *runHeap) Swap(i, j int)      { h.runs[i], h.runs[j] = h.runs[j], h.runs[i] }
func (h *runHeap) Push(x any)         { h.runs = append(h.runs, x.(*runReader)) }
func (h *runHeap) Pop() any {
	r := h.runs[len(h.runs)-1]
	h.runs = h.runs[:len(h.runs)-1]
	return r
}
