package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// ResumeFile is the output of a --resume run: the inputs it records
// already, and the file, opened for appending after its last whole line.
type ResumeFile struct {
	File     *os.File
	Recorded map[string]struct{}
	// Dropped is the size of a partial last line that was cut off: what an
	// earlier run killed in the middle of a write left behind.
	Dropped int64
}

// OpenResume opens (or creates) path for --resume. Every record in it, a
// result or an error record, marks its input as done; a partial last line
// is truncated away so that appending starts on a fresh line. A line in the
// middle that is not a JSON object means path is not incidex output, and
// the file is left untouched.
func OpenResume(path string) (*ResumeFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	rf, err := readResume(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return rf, nil
}

func readResume(f *os.File, path string) (*ResumeFile, error) {
	rf := &ResumeFile{File: f, Recorded: make(map[string]struct{})}
	br := bufio.NewReaderSize(f, 256<<10)
	var (
		whole int64 // bytes up to the end of the last whole line
		line  int
		buf   []byte
	)
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if errors.Is(err, io.EOF) {
			// A last line without its newline was cut short by a kill.
			rf.Dropped = int64(len(buf))
			break
		}
		line++
		whole += int64(len(buf))
		if text := bytes.TrimSpace(buf); len(text) > 0 {
			var rec struct {
				Input      *string `json:"input"`
				InputBytes []byte  `json:"input_bytes"`
			}
			if jerr := json.Unmarshal(text, &rec); jerr != nil {
				return nil, fmt.Errorf("%s:%d: not a JSON record, so not incidex jsonl output; it was left as it is", path, line)
			}
			switch {
			case rec.InputBytes != nil:
				// A name that is not UTF-8, as the record carries it
				// whole (article.RawInput).
				rf.Recorded[string(rec.InputBytes)] = struct{}{}
			case rec.Input != nil:
				rf.Recorded[*rec.Input] = struct{}{}
			}
		}
		buf = buf[:0]
	}
	if rf.Dropped > 0 {
		if err := f.Truncate(whole); err != nil {
			return nil, fmt.Errorf("drop the partial last line of %s: %w", path, err)
		}
	}
	if _, err := f.Seek(whole, io.SeekStart); err != nil {
		return nil, fmt.Errorf("seek %s: %w", path, err)
	}
	return rf, nil
}
