package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// buildIncidex builds the incidex binary into a temporary folder and
// returns that folder.
func buildIncidex(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := t.TempDir()
	cmd := exec.Command(goTool, "build", "-o", filepath.Join(bin, "incidex"), ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestGNUParallelRecipes runs the README's GNU parallel recipes, with the
// block size scaled down to the test's small input so that several incidex
// processes share the work.
func TestGNUParallelRecipes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("parallel"); err != nil {
		t.Skip("GNU parallel is not installed")
	}
	bin := buildIncidex(t)
	work := t.TempDir()
	saved := filepath.Join(work, "saved")
	if err := os.Mkdir(saved, 0o755); err != nil {
		t.Fatal(err)
	}
	paths := writeStories(t, saved, 40)

	// pages.jsonl as another engine would hand it over: one page a line.
	var jsonl strings.Builder
	for i := range paths {
		line, err := json.Marshal(map[string]string{"url": fmt.Sprintf("https://news.example/story/%d", i), "html": storyHTML(i)})
		if err != nil {
			t.Fatal(err)
		}
		jsonl.Write(line)
		jsonl.WriteByte('\n')
	}
	writeFile(t, work, "pages.jsonl", jsonl.String())

	tests := []struct {
		name   string
		recipe string
		want   []string // the inputs of the records, in order
	}{
		{
			name:   "jsonl stream split into blocks",
			recipe: "parallel --pipe --block 100k -j 2 --keep-order incidex extract --input-format jsonl -j 1 --quiet < pages.jsonl > incidents.jsonl",
			want: func() []string {
				var urls []string
				for i := range paths {
					urls = append(urls, fmt.Sprintf("https://news.example/story/%d", i))
				}
				return urls
			}(),
		},
		{
			name:   "file list split into argument groups",
			recipe: "find saved -name '*.html' | sort | parallel -j 2 -X --keep-order incidex extract -j 1 --quiet > incidents.jsonl",
			want: func() []string {
				var rel []string
				for _, p := range paths {
					r, _ := filepath.Rel(work, p)
					rel = append(rel, r)
				}
				return rel
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("bash", "-c", tt.recipe)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+t.TempDir())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", tt.recipe, err, out)
			}
			b, err := os.ReadFile(filepath.Join(work, "incidents.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			checkWholeLines(t, string(b))
			var got []string
			for _, line := range nonEmptyLines(string(b)) {
				var rec struct {
					Schema string `json:"schema"`
					Input  string `json:"input"`
					Error  string `json:"error"`
				}
				if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Schema != "incidex/v1" {
					t.Errorf("not an incident record: %.120s", line)
				}
				got = append(got, rec.Input)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("records are not one per page in order:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}
