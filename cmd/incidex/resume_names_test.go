package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A file name that is not UTF-8 is recorded whole (input_bytes), so that
// --resume recognises it and a rerun adds nothing.
func TestResumeNonUTF8Name(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("this file system does not keep names that are not UTF-8")
	}
	pages := t.TempDir()
	page := articleHTML("Hospital hit by ransomware",
		"Kingsmere Hospital was hit by a ransomware attack on Monday, the hospital said, and operations were cancelled across its three sites while staff went back to paper records.",
		"The hospital said patient data may have been copied before the files were encrypted, and it has told the regulator and the police.")
	writeFile(t, pages, "caf\xe9.html", page)
	writeFile(t, pages, "ok.html", page)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	for run := 1; run <= 3; run++ {
		for _, cmd := range []string{"extract", "article"} {
			got := runCLI(t, cliRun{args: []string{cmd, "--resume", out + "." + cmd, pages}})
			if got.code != 0 {
				t.Fatalf("%s run %d: exit %d\n%s", cmd, run, got.code, got.stderr)
			}
		}
	}
	for _, cmd := range []string{"extract", "article"} {
		b, err := os.ReadFile(out + "." + cmd)
		if err != nil {
			t.Fatal(err)
		}
		lines := nonEmptyLines(string(b))
		if len(lines) != 2 {
			t.Errorf("%s: %d records after three runs, want 2:\n%s", cmd, len(lines), b)
		}
		if !strings.Contains(string(b), `"input_bytes":"`) {
			t.Errorf("%s: no input_bytes for the name that is not UTF-8:\n%s", cmd, b)
		}
	}
}
