package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOpenNewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	d := openAt(t, path)
	var mode string
	if err := d.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	for _, table := range tables {
		count(t, d, table) // fails the test when the table is missing
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed, the file alone says what it is.
	h := make([]byte, headerSize)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.ReadFull(f, h); err != nil {
		t.Fatal(err)
	}
	if app := binary.BigEndian.Uint32(h[68:]); app != ApplicationID {
		t.Errorf("application_id in the header = %#x, want %#x", app, ApplicationID)
	}
	if v := int(binary.BigEndian.Uint32(h[60:])); v != SchemaVersion {
		t.Errorf("user_version in the header = %d, want %d", v, SchemaVersion)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s left behind after Close", suffix)
		}
	}
	// And it opens again, as it is.
	openAt(t, path)
}

// foreignDB makes a SQLite database at path with SQL of another program.
func foreignDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestOpenRefusesWhatIsNotIncidex(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		want    error
		message string
	}{
		{
			name:    "text file",
			make:    func(t *testing.T, path string) { writeFile(t, path, strings.Repeat("not a database\n", 20)) },
			want:    ErrNotIncidex,
			message: "not a SQLite database",
		},
		{
			name:    "shorter than a header",
			make:    func(t *testing.T, path string) { writeFile(t, path, "SQLite format 3\x00") },
			want:    ErrNotIncidex,
			message: "not a SQLite database",
		},
		{
			name: "another program's database",
			make: func(t *testing.T, path string) {
				foreignDB(t, path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('keep me')")
			},
			want:    ErrNotIncidex,
			message: "its tables are not incidex's",
		},
		{
			name: "another program's database in WAL mode",
			make: func(t *testing.T, path string) {
				foreignDB(t, path, "PRAGMA journal_mode = WAL", "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('keep me')")
			},
			want:    ErrNotIncidex,
			message: "its tables are not incidex's",
		},
		{
			name: "another program's application_id",
			make: func(t *testing.T, path string) {
				foreignDB(t, path, "PRAGMA application_id = 1234", "CREATE TABLE notes (body TEXT)")
			},
			want:    ErrNotIncidex,
			message: "application_id 0x000004d2",
		},
		{
			name: "a user_version without tables",
			make: func(t *testing.T, path string) {
				foreignDB(t, path, "PRAGMA user_version = 7")
			},
			want:    ErrNotIncidex,
			message: "not incidex's",
		},
		{
			name: "a newer schema",
			make: func(t *testing.T, path string) {
				foreignDB(t, path, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID),
					fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+1), "CREATE TABLE future (x)")
			},
			want:    ErrNewerSchema,
			message: fmt.Sprintf("schema version %d, and this incidex knows versions up to %d", SchemaVersion+1, SchemaVersion),
		},
	}
	for _, tt := range tests {
		for _, readOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/readonly=%v", tt.name, readOnly), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "incidents.db")
				tt.make(t, path)
				before := snapshot(t, path)
				_, err := Open(context.Background(), path, Options{ReadOnly: readOnly})
				if !errors.Is(err, tt.want) {
					t.Fatalf("Open: %v, want %v", err, tt.want)
				}
				for _, want := range []string{path, tt.message, "left as it is"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
				if after := snapshot(t, path); !before.equal(after) {
					t.Errorf("the file or its folder changed: %v before, %v after", before.siblings, after.siblings)
				}
			})
		}
	}
}

func TestOpenAdoptsEmptyFiles(t *testing.T) {
	for name, make := range map[string]func(t *testing.T, path string){
		"empty file":            func(t *testing.T, path string) { writeFile(t, path, "") },
		"empty SQLite database": func(t *testing.T, path string) { foreignDB(t, path, "PRAGMA journal_mode = WAL") },
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "incidents.db")
			make(t, path)
			d := openAt(t, path)
			put(t, d, report{input: "a.html", victims: []string{"Harbor Bank"}, published: "2025-01-02"}.record())
			checkWhole(t, d)
		})
	}
}

// TestOpenAfterKill opens a database whose process was killed before the
// write-ahead log was copied back into the file: the file's header still
// has no application_id, the log does.
func TestOpenAfterKill(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "incidents.db")
	d := openAt(t, path)
	put(t, d, report{input: "a.html", victims: []string{"Harbor Bank"}, published: "2025-01-02"}.record())
	// Copy the file and its log as a kill would leave them.
	killed := filepath.Join(t.TempDir(), "incidents.db")
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, killed+suffix, string(data))
	}
	if state, err := inspect(killed); err != nil || state != fileIncidex {
		t.Fatalf("inspect = %v, %v; want an incidex database", state, err)
	}
	// A log whose last frame was cut short by the kill: its frames before
	// still count, the torn one does not.
	main, _ := os.ReadFile(killed)
	wal, _ := os.ReadFile(killed + "-wal")
	torn := filepath.Join(t.TempDir(), "torn.db")
	writeFile(t, torn, string(main))
	writeFile(t, torn+"-wal", string(wal[:len(wal)-100]))
	if _, err := inspect(torn); err != nil {
		t.Errorf("inspect of a torn log: %v", err)
	}
	if len(main) >= headerSize && binary.BigEndian.Uint32(main[68:]) == ApplicationID {
		t.Log("the file's own header has the application_id already: the log was not needed")
	}
	k := openAt(t, killed)
	if n := count(t, k, "articles"); n != 1 {
		t.Errorf("%d articles after the kill, want 1", n)
	}
	checkWhole(t, k)
	// The kill came before the article's block was merged: the block is
	// pending, and the next writer merges it.
	if n, err := k.Pending(context.Background()); err != nil || n != 1 {
		t.Errorf("Pending = %d, %v; want 1", n, err)
	}
	if got := names(listed(t, k, Filter{})); !slices.Equal(got, []string{"Harbor Bank"}) {
		t.Errorf("merged after the kill: %q", got)
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	if _, err := Open(context.Background(), path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "no such database") {
		t.Errorf("Open = %v, want no such database", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("a read-only open created the file")
	}
}

func TestMigrations(t *testing.T) {
	if len(migrations) != SchemaVersion || SchemaVersion < 1 {
		t.Fatalf("%d migrations, schema version %d", len(migrations), SchemaVersion)
	}
	t.Run("numbered without gaps", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("a gap in the numbers did not panic")
			}
		}()
		mustMigrations(fstest.MapFS{
			"migrations/0001_a.sql": {Data: []byte("CREATE TABLE a (x)")},
			"migrations/0003_c.sql": {Data: []byte("CREATE TABLE c (x)")},
		})
	})
	t.Run("a failed step keeps the version before it", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		d := &DB{path: path}
		var err error
		if d.db, err = sql.Open("sqlite", fileURI(path, "_txlock=immediate")); err != nil {
			t.Fatal(err)
		}
		defer d.db.Close()
		steps := []string{
			"CREATE TABLE one (x)",
			"CREATE TABLE two (x); CREATE TABLE broken (x INTEGER PRIMARY KEY, x)",
		}
		if err := migrate(context.Background(), d, steps); err == nil || !strings.Contains(err.Error(), "schema version 2") {
			t.Fatalf("migrate = %v, want a failure of version 2", err)
		}
		app, version, _, err := identity(context.Background(), d.db)
		if err != nil || app != ApplicationID || version != 1 {
			t.Errorf("after the failure: application_id %#x, version %d, %v; want incidex's, 1", app, version, err)
		}
		var n int
		d.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'two'").Scan(&n)
		if n != 0 {
			t.Errorf("the failed step left its first table behind")
		}
		// Fixed, the step runs; the first is not run again.
		steps[1] = "CREATE TABLE two (x)"
		if err := migrate(context.Background(), d, steps); err != nil {
			t.Fatal(err)
		}
		if _, version, _, _ := identity(context.Background(), d.db); version != 2 {
			t.Errorf("version %d, want 2", version)
		}
	})
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
