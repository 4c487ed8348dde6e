// Package sizecap reads files whole with a cap on their size: rule packs,
// MISP galaxy files, gold labels, anything incidex holds in memory at once.
// The cap is applied while reading, never from the size a file claims, so
// that an endless or unsized input (/dev/zero, a FIFO, a file that grows)
// fails after reading one byte more than the cap, with an error that names
// the file and the cap, instead of filling memory.
//
// Each caller chooses its cap and says what the file is; pages have their
// own cap in package extract/source.
package sizecap

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrTooLarge matches every *TooLargeError.
var ErrTooLarge = errors.New("file larger than its size cap")

// TooLargeError is the error of a file that holds more than its cap. It
// matches ErrTooLarge.
type TooLargeError struct {
	Name  string // the file, as given
	What  string // what the file is, read after "a": "rule file", "gold file"
	Limit int64  // the cap in bytes
}

// Error is "NAME: larger than the 32 MiB limit for a rule file".
func (e *TooLargeError) Error() string { return e.Name + ": " + e.Reason() }

// Reason is the error without the file name, for messages that name the
// file in their own way.
func (e *TooLargeError) Reason() string {
	return fmt.Sprintf("larger than the %s limit for a %s", Format(e.Limit), e.What)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ReadFile reads the file name whole. A file of more than limit bytes is a
// *TooLargeError naming it as a what; other errors are those of package os.
func ReadFile(name string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The size only saves growing the buffer; a device or a FIFO says 0,
	// and a file may grow after Stat.
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	b, err := ReadAll(NewReader(f, name, limit, what), size, limit)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// ReadAll reads r to its end, or to limit+1 bytes, whichever comes first:
// the one byte over tells a caller "at the cap" from "over it". hint, when
// positive, is what r holds (a file's size), so that a read of known size
// allocates once; the buffer never grows past limit+1, so an endless
// input costs that, not the next power of two.
func ReadAll(r io.Reader, hint, limit int64) ([]byte, error) {
	r = io.LimitReader(r, limit+1)
	b := make([]byte, 0, min(max(hint, 512), limit)+1)
	for {
		if len(b) == cap(b) {
			grown := make([]byte, len(b), min(2*int64(cap(b)), limit+1))
			copy(grown, b)
			b = grown
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) || err == nil && int64(len(b)) > limit {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// NewReader returns a reader of r that fails with a *TooLargeError, naming
// name as a what, when r holds more than limit bytes. It reads at most
// limit+1 bytes of r, so it fails early on an endless input.
func NewReader(r io.Reader, name string, limit int64, what string) io.Reader {
	return &reader{r: io.LimitReader(r, limit+1), left: limit, err: &TooLargeError{Name: name, What: what, Limit: limit}}
}

type reader struct {
	r    io.Reader
	left int64 // bytes that may still be read
	err  *TooLargeError
}

func (r *reader) Read(p []byte) (int, error) {
	if r.left < 0 {
		return 0, r.err
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	if r.left < 0 {
		// The byte over the cap is not handed on: the caller gets the
		// limit bytes and the error.
		return n + int(r.left), r.err
	}
	return n, err
}

// Format writes a size as people read it: "32 MiB", "512 KiB", "100 bytes".
func Format(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// ErrNotRegular matches the failure of a file that is not a regular one
// where one was expected: a named pipe would block its reader, a device
// may never end.
var ErrNotRegular = errors.New("not a regular file")

// NotRegular is the error of a file of mode that is not regular: "not a
// regular file (a named pipe)"; it matches ErrNotRegular.
func NotRegular(mode fs.FileMode) error {
	return fmt.Errorf("%w (%s)", ErrNotRegular, Kind(mode))
}

// Kind names the kind of a file, for messages about one that is not a
// regular file: "a named pipe", "a socket", "a device", "a symbolic link",
// "a folder".
func Kind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode.IsDir():
		return "a folder"
	case mode.IsRegular():
		return "a regular file"
	}
	return "a special file"
}
