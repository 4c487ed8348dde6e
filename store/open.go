package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/rules"
)

// migrationFS holds the schema, one file per version: NNNN_name.sql
// brings a database from version NNNN-1 to NNNN.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations are the SQL steps in version order; migrations[i] makes
// version i+1.
var migrations = mustMigrations(migrationFS)

// mustMigrations reads the migration files; a gap in their numbers is a
// bug in the binary.
func mustMigrations(fsys fs.FS) []string {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	slices.Sort(names)
	steps := make([]string, len(names))
	for i, name := range names {
		n, _, _ := strings.Cut(path.Base(name), "_")
		if v, err := strconv.Atoi(n); err != nil || v != i+1 {
			panic(fmt.Sprintf("store: migration %s is not number %d", name, i+1))
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(err)
		}
		steps[i] = string(b)
	}
	return steps
}

// Errors of Open, for errors.Is. Their messages say what the file is and
// that it was left as it was.
var (
	// ErrNotIncidex is a file that is not an incidex database: not SQLite
	// at all, or another program's SQLite database.
	ErrNotIncidex = errors.New("not an incidex database")
	// ErrNewerSchema is an incidex database of a newer schema version than
	// this incidex knows.
	ErrNewerSchema = errors.New("database written by a newer incidex")
	// ErrOlderSchema is a database of an older schema that a read-only
	// open cannot upgrade.
	ErrOlderSchema = errors.New("database written by an older incidex")
)

// headerSize is the size of a SQLite file's header; user_version is the
// 4 bytes at 60 and application_id those at 68, big-endian.
const headerSize = 100

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Open opens the incidex database at path, creating it (and its schema)
// when it does not exist, unless opts.ReadOnly.
//
// Before SQLite opens the file, its header (and the newest first page its
// write-ahead log holds, when it has one) is read directly: a file that is
// not SQLite, a SQLite database of another program (another
// application_id, or none and tables of its own) or of a newer schema is
// refused with ErrNotIncidex or ErrNewerSchema, and left byte for byte as
// it was, without a -wal or -shm file beside it. The same checks are made
// again inside the first transaction. An older schema is upgraded, one
// migration per transaction.
//
// The database is in WAL mode: readers (another process too) work while a
// batch writes. A read-only file is refused with ErrReadOnly here rather
// than failing every article later.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	state, err := inspect(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if opts.ReadOnly && state == fileMissing {
		return nil, fmt.Errorf("open %s: no such database", path)
	}
	if state == fileMissing {
		if _, err := os.Stat(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("open %s: no folder to create it in: %w", path, err)
		}
	}
	writable := true
	if state != fileMissing {
		if err := checkWritable(path); err != nil {
			if !errors.Is(err, ErrReadOnly) || !opts.ReadOnly {
				return nil, fmt.Errorf("open %s: %w", path, err)
			}
			writable = false
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	d := &DB{path: path, readOnly: opts.ReadOnly, now: now, stmts: make(map[string]*sql.Stmt)}
	set, window := opts.Rules, opts.Window
	d.newMerger = func() (merger, error) {
		if set == nil {
			var err error
			if set, err = rules.Default(); err != nil {
				return nil, err
			}
		}
		return newMerger(set, window), nil
	}
	if opts.ReadOnly {
		err = d.openReadOnly(ctx, writable)
	} else {
		err = d.openWritable(ctx)
	}
	if err != nil {
		if d.db != nil {
			d.db.Close()
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// fileState is what a database file is, as its bytes say before SQLite
// opens it.
type fileState int

const (
	fileMissing fileState = iota // no file: a new database
	fileFresh                    // an empty file or an empty SQLite database
	fileIncidex                  // an incidex database
)

// page1Prefix is the part of a database's first page that inspect reads:
// the file header and the header of the sqlite_schema b-tree after it
// (its page type at 100, its number of cells at 103).
const page1Prefix = headerSize + 8

// inspect tells what the file at path is from its bytes, reading them
// only, and refuses what Open must not touch.
func inspect(path string) (fileState, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileMissing, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("%w: not a regular file; it was left as it is", ErrNotIncidex)
	}
	page := make([]byte, page1Prefix)
	n, err := io.ReadFull(f, page)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		page = nil
	case errors.Is(err, io.ErrUnexpectedEOF) || err == nil && !bytes.HasPrefix(page, sqliteMagic):
		return 0, fmt.Errorf("%w: not a SQLite database; it was left as it is", ErrNotIncidex)
	case err != nil:
		return 0, err
	}
	// A write-ahead log not yet copied back holds a newer first page than
	// the file: an incidex database killed before its first checkpoint has
	// its application_id there only.
	newer, err := walPage1(path + "-wal")
	if err != nil {
		return 0, err
	}
	if newer != nil {
		page = newer
	}
	if page == nil {
		return fileFresh, nil
	}
	version := int(int32(binary.BigEndian.Uint32(page[60:64])))
	app := binary.BigEndian.Uint32(page[68:72])
	// An empty sqlite_schema is a leaf table page (13) without cells.
	tables := page[100] != 13 || binary.BigEndian.Uint16(page[103:105]) != 0
	if err := checkIdentity(app, version, tables); err != nil {
		return 0, err
	}
	if app == 0 {
		return fileFresh, nil
	}
	return fileIncidex, nil
}

// walPage1 returns the start (page1Prefix bytes) of the newest committed
// image of page 1 in the write-ahead log at path, or nil when it holds
// none. As SQLite does when it recovers a log, it reads the frames in
// order while their salts and cumulative checksums hold, so that a frame
// being written, or one left from an older generation of the log, is not
// taken for data.
func walPage1(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	const walHeader, frameHeader = 32, 24
	h := make([]byte, walHeader)
	if _, err := io.ReadFull(f, h); err != nil {
		return nil, nil // empty or cut short: SQLite ignores it too
	}
	magic := binary.BigEndian.Uint32(h)
	if magic&^1 != 0x377f0682 {
		return nil, nil
	}
	sum := walChecksum{bigEndian: magic&1 == 1}
	sum.add(h[:24])
	if sum.s1 != binary.BigEndian.Uint32(h[24:]) || sum.s2 != binary.BigEndian.Uint32(h[28:]) {
		return nil, nil
	}
	pageSize := int(binary.BigEndian.Uint32(h[8:12]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return nil, nil
	}
	var committed, pending []byte // page 1 as of the last commit frame, and since
	r := bufio.NewReaderSize(f, 64<<10)
	frame := make([]byte, frameHeader+pageSize)
	for {
		if _, err := io.ReadFull(r, frame); err != nil {
			break
		}
		if !bytes.Equal(frame[8:16], h[16:24]) {
			break // written by an older generation of the log
		}
		sum.add(frame[:8])
		sum.add(frame[frameHeader:])
		if sum.s1 != binary.BigEndian.Uint32(frame[16:]) || sum.s2 != binary.BigEndian.Uint32(frame[20:]) {
			break // being written, or torn
		}
		if binary.BigEndian.Uint32(frame[:4]) == 1 {
			pending = slices.Clone(frame[frameHeader : frameHeader+page1Prefix])
		}
		if binary.BigEndian.Uint32(frame[4:8]) != 0 { // a commit
			if pending != nil {
				committed = pending
			}
		}
	}
	return committed, nil
}

// walChecksum is the cumulative checksum of a SQLite write-ahead log: over
// 32-bit words, in the byte order the log's magic number gives.
type walChecksum struct {
	bigEndian bool
	s1, s2    uint32
}

func (c *walChecksum) add(b []byte) {
	order := binary.ByteOrder(binary.LittleEndian)
	if c.bigEndian {
		order = binary.BigEndian
	}
	for i := 0; i+8 <= len(b); i += 8 {
		c.s1 += order.Uint32(b[i:]) + c.s2
		c.s2 += order.Uint32(b[i+4:]) + c.s1
	}
}

// checkIdentity refuses an application_id other than incidex's and a
// schema newer than this binary's. tables tells, for a database without
// an application_id, whether it holds tables of its own.
func checkIdentity(app uint32, version int, tables bool) error {
	switch {
	case app != 0 && app != ApplicationID:
		return fmt.Errorf("%w: a SQLite database of another program (application_id %#08x); it was left as it is", ErrNotIncidex, app)
	case app == 0 && (version != 0 || tables):
		return fmt.Errorf("%w: a SQLite database of another program (its tables are not incidex's); it was left as it is", ErrNotIncidex)
	case version > SchemaVersion:
		return fmt.Errorf("%w: schema version %d, and this incidex knows versions up to %d; it was left as it is (upgrade incidex)", ErrNewerSchema, version, SchemaVersion)
	}
	return nil
}

// queryer is a database, a connection or a transaction.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// identity reads a database's application_id, user_version and whether it
// has any table, index, view or trigger.
func identity(ctx context.Context, q queryer) (app uint32, version int, tables bool, err error) {
	var a int64
	if err = q.QueryRowContext(ctx, "PRAGMA application_id").Scan(&a); err != nil {
		return
	}
	if err = q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return
	}
	var n int
	if err = q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return
	}
	return uint32(a), version, n > 0, nil
}

// checkWritable refuses a database file that cannot be written, or a
// folder in which its write-ahead log cannot be created, before SQLite
// opens it: SQLite would open such a file read-only and fail every write.
func checkWritable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || isReadOnlyFS(err) {
			return fmt.Errorf("%w: the file is read-only; it was left as it is", ErrReadOnly)
		}
		return err
	}
	return f.Close()
}

// fileURI is the SQLite URI of the file at path with the query params.
// A URI lets SQLite itself read mode=ro; the path is escaped so that "?"
// and "#" in a file name stay in the name.
func fileURI(p, params string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(p), RawQuery: params}
	return u.String()
}

// busyTimeout is how long a statement waits for another connection's
// lock (another process writing) before it fails with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// openWritable opens d's database for reading and writing on a single
// connection (one writer), checks it again inside a transaction, turns on
// WAL mode and runs the migrations it lacks.
func (d *DB) openWritable(ctx context.Context) error {
	params := url.Values{}
	params.Set("_busy_timeout", strconv.FormatInt(busyTimeout.Milliseconds(), 10))
	params.Set("_txlock", "immediate")
	params.Add("_pragma", "foreign_keys(1)")
	// NORMAL in WAL mode: a commit is in the log before Put returns, so a
	// killed process loses nothing committed; only a power cut may lose
	// the last commits (never consistency). FULL would sync every
	// article.
	params.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", fileURI(d.path, params.Encode()))
	if err != nil {
		return err
	}
	d.db = db
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)

	// Check again, inside a write transaction: the header may be older
	// than the write-ahead log. Nothing is written if this fails.
	if err := d.inTx(ctx, func(tx *sql.Tx) error {
		app, version, tables, err := identity(ctx, tx)
		if err != nil {
			return err
		}
		return checkIdentity(app, version, tables)
	}); err != nil {
		return err
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return classify(err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("cannot use a write-ahead log here (journal mode %s)", mode)
	}
	if err := migrate(ctx, d, migrations); err != nil {
		return err
	}
	for _, q := range writeQueries {
		s, err := db.PrepareContext(ctx, q)
		if err != nil {
			return classify(err)
		}
		d.stmts[q] = s
	}
	return nil
}

// openReadOnly opens d's database for queries: several connections, none
// of which can write. A writable file is opened read-write with writes
// refused (query_only), so that the last reader to close removes the -wal
// and -shm files as a writer does; a read-only one in SQLite's read-only
// mode, or, on a read-only file system where SQLite cannot make the -shm
// file that WAL mode reads through, as immutable when no log holds
// anything beyond the file.
func (d *DB) openReadOnly(ctx context.Context, writable bool) error {
	params := url.Values{}
	params.Set("_busy_timeout", strconv.FormatInt(busyTimeout.Milliseconds(), 10))
	if writable {
		params.Set("_query_only", "1")
	} else {
		params.Set("mode", "ro")
	}
	err := d.checkReadable(ctx, params)
	if !writable && errors.Is(err, ErrIO) && !hasLog(d.path) {
		d.db.Close()
		params.Set("immutable", "1")
		err = d.checkReadable(ctx, params)
	}
	return err
}

// checkReadable opens d's database with params and checks that it is an
// incidex database of the current schema.
func (d *DB) checkReadable(ctx context.Context, params url.Values) error {
	db, err := sql.Open("sqlite", fileURI(d.path, params.Encode()))
	if err != nil {
		return err
	}
	d.db = db
	db.SetMaxOpenConns(4)
	app, version, tables, err := identity(ctx, db)
	if err != nil {
		return classify(err)
	}
	if err := checkIdentity(app, version, tables); err != nil {
		return err
	}
	switch {
	case app == 0:
		return errors.New("an empty database: nothing was stored in it yet")
	case version < SchemaVersion:
		return fmt.Errorf("%w: schema version %d; incidex extract --db upgrades it to %d", ErrOlderSchema, version, SchemaVersion)
	}
	return nil
}

// hasLog reports whether the database at path has a write-ahead log that
// is not empty.
func hasLog(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE) and commits it,
// or rolls it back when fn fails. Once ctx is done, a transaction that
// failed fails with ctx's error (see txError).
func (d *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return txError(ctx, err)
	}
	if err := fn(tx); err != nil {
		return txError(ctx, errors.Join(err, tx.Rollback()))
	}
	return txError(ctx, tx.Commit())
}

// txError is the error of a transaction that failed with err.
//
// When ctx is done, database/sql rolls the transaction back by itself, on
// a goroutine of its own, at a moment nobody chooses: a statement, the
// Commit or the Rollback that comes after that fails with sql.ErrTxDone
// or "sql: statement is closed" instead of ctx's error, or along with it,
// depending on which goroutine got there first. Whichever it was, nothing
// was committed (a Commit that fails commits nothing) and the cause is
// ctx: the error is ctx.Err(), the same however the race went. An error
// of the file (see Fatal) is kept beside it, as a caller must stop on it.
func txError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	err = classify(err)
	cerr := ctx.Err()
	switch {
	case cerr == nil:
		return err
	case Fatal(err):
		return errors.Join(cerr, err)
	}
	return cerr
}

// migrate brings d's database up to len(steps), each step in its own
// transaction with the user_version it makes, so that a failed step
// leaves the version before it. Another process migrating at the same
// time waits for the write lock and finds the step done.
func migrate(ctx context.Context, d *DB, steps []string) error {
	for i, step := range steps {
		version := i + 1
		err := d.inTx(ctx, func(tx *sql.Tx) error {
			var have int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
				return err
			}
			if have >= version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, step); err != nil {
				return err
			}
			// Pragmas take no parameters; both values are integers.
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", ApplicationID, version))
			return err
		})
		if err != nil {
			return fmt.Errorf("upgrade to schema version %d: %w", version, err)
		}
	}
	return nil
}
