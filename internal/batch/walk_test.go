//go:build unix

package batch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/incidex/incidex/extract/source"
)

const walkPage = "<html><head><title>A page</title></head><body><p>Some text.</p></body></html>"

// walkAll walks args and loads every input, with a deadline so that a
// walk that waits on a named pipe fails the test instead of hanging it.
func walkAll(t *testing.T, w *Walker) map[string]error {
	t.Helper()
	got := map[string]error{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l := &Loader{}
		w.Walk(context.Background(), func(in Input) bool {
			_, err := l.Load(context.Background(), in)
			got[in.Name] = err
			return true
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the walk is still waiting after 10s")
	}
	return got
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWalkSkipsNamedPipes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.html"), walkPage)
	if err := syscall.Mkfifo(filepath.Join(dir, "b.html"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	writeFile(t, filepath.Join(dir, "c.html"), walkPage)
	if err := syscall.Mkfifo(filepath.Join(dir, "notes.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := walkAll(t, &Walker{Args: []string{dir}})
	if len(got) != 3 {
		t.Fatalf("got %d inputs, want a.html, b.html, c.html: %v", len(got), got)
	}
	for _, name := range []string{"a.html", "c.html"} {
		if err := got[filepath.Join(dir, name)]; err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	err := got[filepath.Join(dir, "b.html")]
	if !errors.Is(err, source.ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("b.html: got %v, want a not-regular error naming a named pipe", err)
	}
}

func TestWalkDoesNotFollowLinksUnlessAsked(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	writeFile(t, secret, "root:x:0:0")
	linkedDir := filepath.Join(outside, "more")
	if err := os.Mkdir(linkedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(linkedDir, "b.html"), walkPage)

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.html"), walkPage)
	for link, target := range map[string]string{"story.html": secret, "more": linkedDir, "loop": dir} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}

	got := walkAll(t, &Walker{Args: []string{dir}})
	if len(got) != 1 || got[filepath.Join(dir, "a.html")] != nil {
		t.Errorf("without --follow-symlinks: got %v, want a.html alone", got)
	}

	got = walkAll(t, &Walker{Args: []string{dir}, FollowSymlinks: true})
	want := []string{filepath.Join(dir, "a.html"), filepath.Join(dir, "more", "b.html"), filepath.Join(dir, "story.html")}
	if len(got) != len(want) {
		t.Fatalf("with --follow-symlinks: got %v, want %v (the loop walked once)", got, want)
	}
	for _, name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("with --follow-symlinks: %s missing from %v", name, got)
		}
	}
	if got[want[1]] != nil {
		t.Errorf("%s: %v", want[1], got[want[1]])
	}
}

func TestWalkOnlyLinksSaysSo(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "story.html")); err != nil {
		t.Fatal(err)
	}
	got := walkAll(t, &Walker{Args: []string{dir}})
	err := got[dir]
	if !errors.Is(err, ErrNoPages) || !strings.Contains(err.Error(), "1 symbolic link was not followed") {
		t.Errorf("got %v, want no pages found and the skipped link", err)
	}
}

// A file that becomes a named pipe or a link between the walk and the read
// is refused, not waited on or followed.
func TestReadWalkedFileRefusesSwaps(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "swapped.html")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink("/etc/hostname", link); err != nil {
		t.Fatal(err)
	}
	l := &Loader{}
	for _, in := range []Input{{Name: pipe, kind: inputFile, walked: true}, {Name: link, kind: inputFile, walked: true}} {
		if _, err := l.Load(context.Background(), in); !errors.Is(err, source.ErrNotRegular) {
			t.Errorf("%s: got %v, want a not-regular error", in.Name, err)
		}
	}
}

// A named pipe the user names is read as asked.
func TestNamedPipeArgumentIsRead(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "page.html")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	go func() {
		f, err := os.OpenFile(pipe, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(walkPage)
		f.Close()
	}()
	got := walkAll(t, &Walker{Args: []string{pipe}})
	if err, ok := got[pipe]; !ok || err != nil {
		t.Errorf("got %v, want the page read", got)
	}
}

// zeros is an endless stream of zero bytes that counts what was read.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// A URL list or JSONL stream with a line that never ends (/dev/zero) gives
// one error record and ends, instead of reading forever.
func TestEndlessLineEndsTheList(t *testing.T) {
	for _, jsonl := range []bool{false, true} {
		z := &zeros{}
		w := &Walker{Stdin: z, JSONL: jsonl}
		if jsonl {
			w.Args = []string{"-"}
		} else {
			w.URLLists = []string{"-"}
		}
		var got []Input
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.Walk(context.Background(), func(in Input) bool { got = append(got, in); return true })
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("jsonl=%v: still reading after 30s (%d MiB)", jsonl, z.n>>20)
		}
		if len(got) != 1 || got[0].err == nil || !strings.Contains(got[0].err.Error(), "was not read") {
			t.Errorf("jsonl=%v: got %+v, want one error record saying the rest was not read", jsonl, got)
		}
	}
}

// With links followed, a folder reached again through a link inside it
// ("b/up -> ..") is walked once.
func TestWalkFollowsEachFolderOnce(t *testing.T) {
	root := t.TempDir()
	a := filepath.Join(root, "a")
	if err := os.MkdirAll(filepath.Join(a, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(a, "one.html"), walkPage)
	if err := os.Symlink("..", filepath.Join(a, "b", "up")); err != nil {
		t.Fatal(err)
	}
	got := walkAll(t, &Walker{Args: []string{root}, FollowSymlinks: true})
	if len(got) != 1 {
		t.Errorf("got %v, want one.html once", got)
	}
}

// The files a glob pattern matches, web archives included, are read as a
// walk's: a named pipe among them is refused, not waited on.
func TestGlobAndArchivesRefusePipes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.html"), walkPage)
	for _, name := range []string{"b.html", "c.warc"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip("no named pipes here:", err)
		}
	}
	for _, args := range [][]string{{filepath.Join(dir, "*.html"), filepath.Join(dir, "*.warc")}, {dir}} {
		got := walkAll(t, &Walker{Args: args})
		if err := got[filepath.Join(dir, "a.html")]; err != nil {
			t.Errorf("%v: a.html: %v", args, err)
		}
		for _, name := range []string{"b.html", "c.warc"} {
			if err := got[filepath.Join(dir, name)]; !errors.Is(err, source.ErrNotRegular) {
				t.Errorf("%v: %s: got %v, want a not-regular error", args, name, err)
			}
		}
	}
}
