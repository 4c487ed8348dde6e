package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incidex/incidex/internal/batch"
	"github.com/incidex/incidex/internal/cli"
)

// cliResult is what a user sees from one run of incidex.
type cliResult struct {
	stdout, stderr string
	code           int
}

// cliRun describes one run of incidex.
type cliRun struct {
	args      []string
	stdin     string
	stdoutTTY bool
	ctx       context.Context // nil means context.Background()
	clock     batch.Clock     // the clock of host delays; nil means the real one
}

// runCLI runs the full command tree the way main does, with test streams.
func runCLI(t *testing.T, r cliRun) cliResult {
	t.Helper()
	ios, in, out, errOut := cli.TestIOStreams()
	in.WriteString(r.stdin)
	ios.SetStdoutTTY(r.stdoutTTY)
	ctx := r.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	code := execute(ctx, &Factory{IOStreams: ios, Version: "v0.0.0-test", Clock: r.clock}, r.args)
	return cliResult{stdout: out.String(), stderr: errOut.String(), code: code}
}

// runCLIAsync runs incidex like runCLI, on its own goroutine, for tests
// that act while it runs.
func runCLIAsync(t *testing.T, r cliRun) <-chan cliResult {
	done := make(chan cliResult, 1)
	go func() { done <- runCLI(t, r) }()
	return done
}

// guard bounds every wait on an event, so that a hang fails the test with
// a message instead of stalling it. It decides nothing else: no assertion
// depends on how long anything took.
const guard = 10 * time.Second

// await returns what ch receives, or fails the test with msg when nothing
// comes within guard.
func await[T any](t *testing.T, ch <-chan T, msg string) T {
	t.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("%s (nothing after %v)", msg, guard)
		panic("unreachable")
	}
}

// Paragraphs long enough that ParseArticle keeps them as article text.
var (
	paraFire  = "A fire broke out on Tuesday evening in a warehouse on the northern edge of the industrial estate, and firefighters from three stations spent more than four hours bringing the blaze under control before dawn."
	paraCause = "Investigators said on Wednesday that the cause of the fire was not yet known, although a faulty electrical installation in the loading bay is one of several possibilities being examined by the team."
	paraHurt  = "Two workers were taken to the regional hospital with smoke inhalation and were released later that night, according to a spokesperson for the ambulance service who spoke to reporters at the scene."
	paraRoad  = "The main road next to the estate remained closed for most of Wednesday morning while crews damped down the remains of the building, and drivers were advised to use the bypass instead of the usual route."
	paraFlood = "Heavy rain over the weekend caused the river to burst its banks in several places, flooding dozens of homes in the lower part of the town and forcing the council to open an emergency shelter in the school."
	paraPump  = "Residents spent Monday pumping water out of cellars and ground floors, while volunteers handed out sandbags from the fire station and helped elderly neighbours move furniture to the upper floors of their houses."
	paraWarn  = "The weather service has warned that more rain is expected later in the week and that river levels could rise again, and it urged people living close to the water to keep checking the latest flood alerts."
)

// articleHTML returns a small news page whose <title> and <h1> are title.
func articleHTML(title string, paragraphs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n", title)
	b.WriteString("<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\n<main><article>\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n", title)
	for _, p := range paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	b.WriteString("</article></main>\n<footer>Copyright The Example Gazette</footer>\n</body></html>\n")
	return b.String()
}

var (
	fireTitle  = "Warehouse fire on industrial estate"
	fireHTML   = articleHTML(fireTitle, paraFire, paraCause, paraHurt, paraRoad)
	floodTitle = "River floods homes after weekend rain"
	floodHTML  = articleHTML(floodTitle, paraFlood, paraPump, paraWarn)
	// emptyHTML has no article text at all.
	emptyHTML = "<!DOCTYPE html><html><head><title>Nothing</title></head><body><nav><a href=\"/\">Home</a></nav></body></html>"
)

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRoot(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings
		wantStderr []string // substrings
	}{
		{
			name:       "version",
			args:       []string{"--version"},
			wantCode:   exitOK,
			wantStdout: []string{"incidex v0.0.0-test\n"},
		},
		{
			name:       "help lists commands and exit codes",
			args:       []string{"--help"},
			wantCode:   exitOK,
			wantStdout: []string{"article", "Exit status:", "  0 ", "  1 ", "  2 ", "  3 ", "  130 "},
		},
		{
			name:       "no command prints help",
			args:       nil,
			wantCode:   exitOK,
			wantStdout: []string{"Available Commands:"},
		},
		{
			name:       "article help lists exit codes",
			args:       []string{"article", "--help"},
			wantCode:   exitOK,
			wantStdout: []string{"--format", "--max-bytes", "Exit status:", "  3 ", "  130 "},
		},
		{
			name:       "unknown command",
			args:       []string{"articel"},
			wantCode:   exitUsage,
			wantStderr: []string{`incidex: unknown command "articel"`, "Run 'incidex --help' for usage.\n"},
		},
		{
			name:       "unknown root flag",
			args:       []string{"--bogus"},
			wantCode:   exitUsage,
			wantStderr: []string{"incidex: unknown flag: --bogus\n", "Run 'incidex --help' for usage.\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, cliRun{args: tt.args})
			if got.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr: %s", got.code, tt.wantCode, got.stderr)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(got.stdout, s) {
					t.Errorf("stdout does not contain %q:\n%s", s, got.stdout)
				}
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(got.stderr, s) {
					t.Errorf("stderr does not contain %q:\n%s", s, got.stderr)
				}
			}
			if len(tt.wantStderr) == 0 && got.stderr != "" {
				t.Errorf("unexpected stderr: %s", got.stderr)
			}
		})
	}
}

func TestExitCodesAreDocumented(t *testing.T) {
	help := exitCodesHelp()
	for _, code := range []int{exitOK, exitError, exitUsage, exitPartial, exitInterrupted} {
		if !strings.Contains(help, fmt.Sprintf("  %-4d ", code)) {
			t.Errorf("exit code %d missing from help:\n%s", code, help)
		}
	}
}
