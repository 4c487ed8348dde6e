//go:build linux

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs of size (e.g. "256k") on a new temporary
// folder and returns it; the test is skipped where mounting is not allowed
// (not root, or a sandbox that refuses it).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	// Cleanups run last first: unmounted before TempDir removes dir.
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return dir
}

// remount changes the flags of the tmpfs at dir.
func remount(t *testing.T, dir string, flags uintptr, size string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|flags, "size="+size); err != nil {
		t.Fatalf("remount %s: %v", dir, err)
	}
}

// TestFullDisk fills a real file system: a 1 MiB tmpfs.
func TestFullDisk(t *testing.T) {
	dir := mountTmpfs(t, "1m")
	path := filepath.Join(dir, "incidents.db")
	d, err := Open(context.Background(), path, Options{Now: fixedNow})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	rs := manyReports(5000)
	stored, err := fillUp(t, d, rs)
	if !Fatal(err) {
		t.Fatalf("after %d articles: %v, want a fatal error", stored, err)
	}
	if !errors.Is(err, ErrFull) {
		t.Errorf("error %v is not ErrFull", err)
	}
	t.Logf("%d articles stored, then: %v", stored, err)
	if stored == 0 {
		t.Fatal("nothing could be stored")
	}
	// Closing may fail to copy the log back on a full disk; nothing
	// committed is lost either way.
	if err := d.Close(); err != nil {
		t.Logf("Close on a full disk: %v", err)
	}
	// Reading works on the full disk.
	r, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of the full disk's database: %v", err)
	}
	c, err := r.Count(context.Background())
	if err != nil || c.Articles != stored {
		t.Errorf("Count = %+v, %v; want %d articles", c, err, stored)
	}
	r.Close()
	// With room again, the database is whole and storing goes on.
	remount(t, dir, 0, "8m")
	d = openAt(t, path)
	if n := count(t, d, "articles"); n != stored {
		t.Errorf("%d articles after the remount, %d were stored", n, stored)
	}
	checkWhole(t, d)
	if _, err := fillUp(t, d, rs[stored:stored+50]); err != nil {
		t.Fatalf("with room again: %v", err)
	}
	checkWhole(t, d)
}

// TestReadOnlyFileSystem opens a database on a file system mounted
// read-only, which refuses even root: refused for writing, before anything
// happens to it; fine for reading.
func TestReadOnlyFileSystem(t *testing.T) {
	dir := mountTmpfs(t, "4m")
	path := filepath.Join(dir, "incidents.db")
	d := openAt(t, path)
	put(t, d, manyReports(1)[0])

	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	remount(t, dir, syscall.MS_RDONLY, "4m")
	defer remount(t, dir, 0, "4m")
	before := snapshot(t, path)
	_, err := Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("Open for writing = %v, want ErrReadOnly", err)
	}
	if after := snapshot(t, path); !before.equal(after) {
		t.Errorf("the refused open changed the file or its folder")
	}
	r, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer r.Close()
	if c, err := r.Count(context.Background()); err != nil || c.Articles != 1 {
		t.Errorf("Count = %+v, %v; want the 1 article stored", c, err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Errorf("a -wal file appeared on a read-only file system")
	}
}
