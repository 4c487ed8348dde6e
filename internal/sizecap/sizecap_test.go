package sizecap

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Repeat([]byte("x"), n), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		limit   int64
		wantLen int
		wantErr string // empty: no error
	}{
		{name: "empty", path: write("empty", 0), limit: 10},
		{name: "under the cap", path: write("under", 9), limit: 10, wantLen: 9},
		{name: "at the cap", path: write("at", 10), limit: 10, wantLen: 10},
		{name: "one byte over", path: write("over", 11), limit: 10, wantErr: "over: larger than the 10 bytes limit for a test file"},
		{name: "larger than the first buffer", path: write("big", 5000), limit: 1 << 20, wantLen: 5000},
		{name: "endless", path: "/dev/zero", limit: 1 << 20, wantErr: "/dev/zero: larger than the 1 MiB limit for a test file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil {
				t.Skip(err)
			}
			data, err := ReadFile(tt.path, tt.limit, "test file")
			if tt.wantErr == "" {
				if err != nil || len(data) != tt.wantLen {
					t.Fatalf("ReadFile = %d bytes, %v; want %d bytes", len(data), err, tt.wantLen)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tt.wantErr) {
				t.Fatalf("ReadFile error = %v, want one ending %q", err, tt.wantErr)
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("errors.Is(%v, ErrTooLarge) = false", err)
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "nope"), 10, "test file")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestNewReader(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		limit int64
		want  string
		over  bool
	}{
		{name: "under", in: "abc", limit: 4, want: "abc"},
		{name: "at", in: "abcd", limit: 4, want: "abcd"},
		{name: "over", in: "abcde", limit: 4, want: "abcd", over: true},
		{name: "zero cap", in: "a", limit: 0, want: "", over: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// One byte at a time, to cross the cap inside a read and between reads.
			r := NewReader(strings.NewReader(tt.in), "in", tt.limit, "test file")
			var got []byte
			var err error
			buf := make([]byte, 1)
			for {
				var n int
				n, err = r.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			if string(got) != tt.want {
				t.Errorf("read %q, want %q", got, tt.want)
			}
			if tt.over != errors.Is(err, ErrTooLarge) {
				t.Errorf("error %v, want too large: %v", err, tt.over)
			}
			all, err := io.ReadAll(NewReader(strings.NewReader(tt.in), "in", tt.limit, "test file"))
			if string(all) != tt.want || tt.over != errors.Is(err, ErrTooLarge) {
				t.Errorf("io.ReadAll = %q, %v", all, err)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{
		1:         "1 byte",
		100:       "100 bytes",
		1 << 10:   "1 KiB",
		1500:      "1500 bytes",
		32 << 20:  "32 MiB",
		1 << 30:   "1 GiB",
		3<<20 + 1: "3145729 bytes",
	} {
		if got := Format(n); got != want {
			t.Errorf("Format(%d) = %q, want %q", n, got, want)
		}
	}
}
