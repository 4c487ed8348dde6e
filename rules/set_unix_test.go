//go:build unix

package rules

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadPathsFIFO loads a folder holding a FIFO named like a rule file:
// it is reported and skipped, where reading it would wait for a writer
// for ever; named on its own it would be read.
func TestLoadPathsFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("actors:\n  - {id: a, name: A, kind: group}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "b.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	want := fifo + ": not a regular file (a named pipe): skipped; name it on its own to read it"
	_, err := LoadPaths([]string{dir})
	if err == nil || err.Error() != want {
		t.Errorf("LoadPaths error %v, want %s", err, want)
	}
	r := Validate([]string{dir}, nil)
	if got := strings.Join(problemLines(r), "\n"); got != want || r.Files != 1 || r.Rules != 1 {
		t.Errorf("Validate: %d files, %d rules, problems %q; want 1, 1, %q", r.Files, r.Rules, got, want)
	}
}
