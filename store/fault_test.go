package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/record"
)

// manyReports are n small records of different victims.
func manyReports(n int) []*record.Result {
	rs := make([]*record.Result, n)
	for i := range rs {
		rs[i] = report{
			input:     fmt.Sprintf("https://news.example/%d", i),
			url:       fmt.Sprintf("https://news.example/%d", i),
			published: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28),
			victims:   []string{fmt.Sprintf("Victim Number %d Ltd", i)},
			actor:     "Quiet Heron", tool: "LockBit", sector: "finance", country: "GB",
			title: fmt.Sprintf("Report %d: %s", i, strings.Repeat("a long title ", 20)),
		}.record()
	}
	return rs
}

// fillUp stores rs as a batch does (each Put followed by FlushIfDue) until
// an error, and returns how many were stored and the error.
func fillUp(t *testing.T, d *DB, rs []*record.Result) (int, error) {
	t.Helper()
	for i, r := range rs {
		if _, err := d.Put(context.Background(), r); err != nil {
			return i, err
		}
		if err := d.FlushIfDue(context.Background()); err != nil {
			return i + 1, err
		}
	}
	return len(rs), nil
}

// TestFullDatabase fills the database to the size PRAGMA max_page_count
// allows: SQLite fails the write with SQLITE_FULL, exactly as on a full
// disk (TestFullDisk, where it can mount one, has the real thing).
func TestFullDatabase(t *testing.T) {
	d := openTest(t)
	var pages int
	if err := d.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The connection of writes is the only one: the limit is its.
	if _, err := d.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+40)); err != nil {
		t.Fatal(err)
	}
	rs := manyReports(2000)
	stored, err := fillUp(t, d, rs)
	if !errors.Is(err, ErrFull) || !Fatal(err) {
		t.Fatalf("after %d articles: %v, want ErrFull", stored, err)
	}
	if !strings.Contains(err.Error(), "full") {
		t.Errorf("error %q does not say the database is full", err)
	}
	if stored == 0 {
		t.Fatalf("nothing could be stored")
	}
	if n := count(t, d, "articles"); n != stored {
		t.Errorf("%d articles stored, %d Puts succeeded", n, stored)
	}
	checkWhole(t, d)
	// Room again, storing goes on where it stopped.
	if _, err := d.db.Exec("PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	if _, err := fillUp(t, d, rs[stored:stored+20]); err != nil {
		t.Fatalf("after room was made: %v", err)
	}
	checkWhole(t, d)
}

func TestConcurrentReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	w := openAt(t, path)
	r, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rs := manyReports(300)
	done := make(chan error, 1)
	go func() {
		_, err := fillUp(t, w, rs)
		done <- err
	}()
	last, reads := 0, 0
	for writing := true; writing; reads++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("writer: %v", err)
			}
			writing = false
		default:
		}
		c, err := r.Count(context.Background())
		if err != nil {
			t.Fatalf("reader, while the writer writes: %v", err)
		}
		if c.Articles < last {
			t.Fatalf("the reader saw %d articles, then %d", last, c.Articles)
		}
		last = c.Articles
		// One snapshot: every article has its units, every unit's block
		// its merged incidents unless it is pending. Half an article
		// would break one of them.
		var halves int
		if err := r.db.QueryRow(`SELECT
			(SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.article_id = a.id)) +
			(SELECT count(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM merged m WHERE m.block_key = u.block_key)
				AND u.block_key NOT IN (SELECT block_key FROM pending_blocks))`).Scan(&halves); err != nil {
			t.Fatalf("reader: %v", err)
		}
		if halves != 0 {
			t.Fatalf("the reader saw half an article")
		}
		if err := r.Incidents(context.Background(), Filter{Victim: "number", Limit: 5}, func([]byte) error { return nil }); err != nil {
			t.Fatalf("reader query: %v", err)
		}
	}
	if last != len(rs) {
		t.Errorf("the reader's last count is %d, want %d", last, len(rs))
	}
	t.Logf("%d reads while %d articles were written", reads, len(rs))
}

func TestReadOnlyHandleRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	w := openAt(t, path)
	put(t, w, manyReports(1)[0])
	r, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Put(context.Background(), manyReports(2)[1]); err == nil {
		t.Errorf("Put on a read-only handle succeeded")
	}
	if _, err := r.db.Exec("DELETE FROM articles"); err == nil {
		t.Errorf("a read-only handle deleted rows")
	}
}

// TestReadOnlyFile opens a database file that cannot be written: refused
// for writing, before anything happens to it; fine for reading.
func TestReadOnlyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "incidents.db")
	d := openAt(t, path)
	put(t, d, manyReports(1)[0])
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
		t.Skip("this user writes read-only files (root): see TestReadOnlyFileSystem")
	}
	before := snapshot(t, path)
	_, err := Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("Open = %v, want ErrReadOnly", err)
	}
	if after := snapshot(t, path); !before.equal(after) {
		t.Errorf("the refused open changed the file or its folder")
	}
	r, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("a read-only open of a read-only file: %v", err)
	}
	defer r.Close()
	if c, err := r.Count(context.Background()); err != nil || c.Articles != 1 {
		t.Errorf("Count = %+v, %v", c, err)
	}
}
