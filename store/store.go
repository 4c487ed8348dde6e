// Package store keeps incident records in a local SQLite database (pure
// Go: modernc.org/sqlite, no cgo): the articles "incidex extract --db"
// reads, their incidents, entities, indicators and evidence, and the
// incidents package merge makes of them, kept up to date as articles
// arrive, which "incidex incidents" lists with plain indexed queries.
//
// It owns the schema (migrations/*.sql, one file per version) and the
// rules of storing: an article is one transaction; the same article
// (same canonical URL, else URL, else same content) is stored once, a
// newer version replacing the older; a file that is not an incidex
// database, or one of a newer schema, is refused before anything is
// written to it. Only merge.go calls package merge.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"

	// The database/sql driver "sqlite".
	_ "modernc.org/sqlite"
)

// ApplicationID marks a SQLite file as an incidex database (PRAGMA
// application_id; the bytes "incx").
const ApplicationID = 0x696e6378

// SchemaVersion is the version of the newest schema this incidex knows
// (PRAGMA user_version): the number of migrations.
var SchemaVersion = len(migrations)

// Options tunes Open.
type Options struct {
	// ReadOnly opens an existing database for queries only: nothing is
	// ever written, no migration is run, and a database of an older
	// schema is refused instead of upgraded.
	ReadOnly bool
	// Rules is the rule set the merge uses to compare names (nil: the
	// default pack). Only writes need it.
	Rules *rules.Set
	// Window is the merge's time window (0: the merge's default).
	Window time.Duration
	// Now is the clock of stored_at; nil means time.Now.
	Now func() time.Time
}

// DB is an open incidex database. Its methods are safe for concurrent
// use, but writes are serialised: one article is stored at a time.
type DB struct {
	path     string
	db       *sql.DB
	readOnly bool
	now      func() time.Time

	// merger is built on first need: only writes merge.
	mergerOnce sync.Once
	newMerger  func() (merger, error)
	merger     merger
	mergerErr  error

	// writeMu serialises Put: one transaction at a time, on the one
	// connection of a writable DB.
	writeMu sync.Mutex
	stmts   map[string]*sql.Stmt
	// flushedAt and flushTook are when the last flush ended and how long
	// it took (see FlushIfDue).
	flushedAt time.Time
	flushTook time.Duration
}

// Path returns the file the database was opened from.
func (d *DB) Path() string { return d.path }

// Close merges the pending blocks (see Flush), checkpoints the write-ahead
// log into the database file and closes it.
func (d *DB) Close() error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	var errs []error
	if !d.readOnly && d.db != nil {
		errs = append(errs, d.flush(context.Background()))
	}
	for _, s := range d.stmts {
		errs = append(errs, s.Close())
	}
	d.stmts = nil
	if !d.readOnly {
		// Let the query planner learn the tables' shapes, cheaply.
		_, err := d.db.Exec("PRAGMA optimize")
		errs = append(errs, classify(err))
	}
	errs = append(errs, d.db.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", d.path, err)
	}
	return nil
}

// getMerger returns the merger of the database's rules, building it once.
func (d *DB) getMerger() (merger, error) {
	d.mergerOnce.Do(func() {
		d.merger, d.mergerErr = d.newMerger()
	})
	return d.merger, d.mergerErr
}

// merger is what storing needs of package merge (see merge.go): an
// article's units, each with its block and its JSON encoding, and the
// merge of one block's units.
type merger interface {
	units(r *record.Result) ([]unit, error)
	mergeBlock(units [][]byte) ([]record.Merged, error)
}

// unit is one victim of one article's incident, as the merge sees it.
type unit struct {
	blockKey string
	campaign string
	data     []byte // JSON
}

// stmt returns query as a statement of tx: the one prepared at Open for
// the connection of writes, else prepared for tx alone.
func (d *DB) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if s, ok := d.stmts[query]; ok {
		return tx.StmtContext(ctx, s), nil
	}
	return tx.PrepareContext(ctx, query)
}
