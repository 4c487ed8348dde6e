package merge

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/incidex/incidex/internal/sizecap"
)

// Input is one JSONL input of a merge: a file, or stdin.
type Input struct {
	Name  string // as the user gave it, or the path found in a folder
	stdin io.Reader
}

// jsonlExtensions are the files a folder is searched for.
var jsonlExtensions = []string{".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz"}

// Inputs expands the names of a merge's inputs: "-" is stdin; a folder
// stands for the .jsonl, .ndjson and .json files (gzipped too) under it,
// hidden files and folders skipped, in name order; anything else is a
// file. A folder that cannot be walked gives an error naming it; a file is
// only opened by Open.
func Inputs(names []string, stdin io.Reader) ([]Input, []error) {
	var out []Input
	var errs []error
	for _, name := range names {
		if name == "-" {
			out = append(out, Input{Name: "-", stdin: stdin})
			continue
		}
		fi, err := os.Stat(name)
		if err != nil || !fi.IsDir() {
			out = append(out, Input{Name: name})
			continue
		}
		var found []string
		err = filepath.WalkDir(name, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			hidden := path != name && strings.HasPrefix(d.Name(), ".")
			switch {
			case d.IsDir() && hidden:
				return filepath.SkipDir
			case d.IsDir() || hidden || !d.Type().IsRegular():
				return nil
			}
			lower := strings.ToLower(d.Name())
			if slices.ContainsFunc(jsonlExtensions, func(ext string) bool { return strings.HasSuffix(lower, ext) }) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if len(found) == 0 {
			errs = append(errs, fmt.Errorf("%s: no %s files in the folder", name, strings.Join(jsonlExtensions[:3], ", ")))
			continue
		}
		slices.Sort(found)
		for _, p := range found {
			out = append(out, Input{Name: p})
		}
	}
	return out, errs
}

// gzipMagic starts a gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// Open opens the input, decompressing it when it is gzip (by its first
// bytes, whatever its name). Closing stdin's reader leaves stdin open.
func (in Input) Open() (io.ReadCloser, error) {
	var r io.Reader
	var closer io.Closer = io.NopCloser(nil)
	if in.stdin != nil {
		r = in.stdin
	} else {
		fi, err := os.Stat(in.Name)
		if err != nil {
			return nil, err
		}
		if fi.IsDir() {
			return nil, errors.New("is a folder")
		}
		if !fi.Mode().IsRegular() {
			// A named pipe is read like stdin; a device or socket is not a
			// file of records.
			if fi.Mode()&fs.ModeNamedPipe == 0 {
				return nil, sizecap.NotRegular(fi.Mode())
			}
		}
		f, err := os.Open(in.Name)
		if err != nil {
			return nil, err
		}
		r, closer = f, f
	}
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(len(gzipMagic))
	if !slices.Equal(head, gzipMagic) {
		return readCloser{br, closer}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		closer.Close()
		return nil, fmt.Errorf("read gzip: %w", err)
	}
	return readCloser{zr, multiCloser{zr, closer}}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var errs []error
	for _, c := range m {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
