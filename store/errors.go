package store

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors of writing, for errors.Is. Either means that no later article can
// be stored either; the articles committed before are whole.
var (
	// ErrFull is a full disk or file system (SQLITE_FULL): the article
	// was rolled back.
	ErrFull = errors.New("database or disk is full")
	// ErrReadOnly is a database file, or file system, that cannot be
	// written.
	ErrReadOnly = errors.New("database is read-only")
	// ErrIO is a failed read or write of the file (SQLITE_IOERR), or a
	// damaged file (SQLITE_CORRUPT, SQLITE_NOTADB).
	ErrIO = errors.New("database file cannot be read or written")
)

// Fatal reports whether err, from Put, means that every later article
// would fail too: a full disk, a read-only or broken file. A caller
// storing a batch stops on it instead of failing each article in turn.
func Fatal(err error) bool {
	return errors.Is(err, ErrFull) || errors.Is(err, ErrReadOnly) || errors.Is(err, ErrIO)
}

// classify gives the errors of SQLite that say something about the file
// (full, read-only, I/O) one of the errors above, keeping SQLite's
// message.
func classify(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	var kind error
	switch se.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_FULL:
		kind = ErrFull
	case sqlite3.SQLITE_READONLY:
		kind = ErrReadOnly
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CANTOPEN:
		kind = ErrIO
	default:
		return err
	}
	if errors.Is(err, kind) {
		return err
	}
	return &fileError{kind: kind, err: err}
}

// fileError is an error of SQLite about the database file: its message is
// SQLite's, and it is also its kind, for errors.Is.
type fileError struct {
	kind error
	err  error
}

func (e *fileError) Error() string   { return e.err.Error() }
func (e *fileError) Unwrap() []error { return []error{e.kind, e.err} }

// isReadOnlyFS reports whether err is EROFS: a file system mounted
// read-only, which refuses writes even to root.
func isReadOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }
