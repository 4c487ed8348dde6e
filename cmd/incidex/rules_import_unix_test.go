//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRulesImportMISPFIFO imports a folder holding a FIFO named like a
// cluster file: it is skipped with a note, where reading it would wait
// for a writer for ever.
func TestRulesImportMISPFIFO(t *testing.T) {
	in := t.TempDir()
	data, err := os.ReadFile(filepath.Join(mispTestdata, "ransomware.json"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, in, "ransomware.json", string(data))
	fifo := filepath.Join(in, "threat-actor.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	res := runImport(t, "misp", "--no-default-rules", "-o", t.TempDir(), in)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if want := "incidex: skip " + fifo + ": not a regular file (a named pipe)\n"; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr %q, want it to hold %q", res.stderr, want)
	}
}
