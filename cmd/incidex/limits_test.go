//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// --timeout bounds the reading of any input, not only downloads: a named
// pipe nobody writes to fails after the limit and the batch goes on.
func TestTimeoutBoundsEveryInput(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "stuck.html")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	page := writeFile(t, dir, "ok.html", articleHTML("Hospital hit by ransomware",
		"Kingsmere Hospital was hit by a ransomware attack on Monday, the hospital said, and operations were cancelled across its three sites while staff went back to paper records.",
		"The hospital said patient data may have been copied before the files were encrypted, and it has told the regulator and the police."))
	got := runCLI(t, cliRun{args: []string{"extract", "--timeout", "300ms", pipe, page}})
	if got.code != exitPartial {
		t.Errorf("exit %d, want %d\n%s", got.code, exitPartial, got.stderr)
	}
	recs := decodeRecords(t, got.stdout)
	if len(recs) != 2 || recs[0].Input != pipe || !strings.Contains(recs[0].Error, "timed out after 300ms") || recs[1].Error != "" {
		t.Errorf("got %+v, want the pipe timed out and the page read", recs)
	}
	if !strings.Contains(got.stderr, "--timeout 300ms bounds each input") {
		t.Errorf("stderr does not say which flag sets the limit:\n%s", got.stderr)
	}
}
