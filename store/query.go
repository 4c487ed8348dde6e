package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incidex/incidex/rules"
)

// The fields of merged_names, which Filter searches.
const (
	FieldVictim  = "victim"
	FieldActor   = "actor"
	FieldTool    = "tool"
	FieldSector  = "sector"
	FieldCountry = "country"
)

// Filter selects merged incidents; its zero value selects all of them.
type Filter struct {
	// Since and Until bound the time the incident was reported in: it is
	// selected when it was last reported at or after Since and first
	// reported before Until. An incident no source dates is selected only
	// when both are zero.
	Since, Until time.Time
	// Victim, Actor and Tool select incidents one of whose victims,
	// actors or tools has a name or alias that contains them, compared
	// folded (case, apostrophes and spaces aside): "health" finds
	// "Change Healthcare".
	Victim, Actor, Tool string
	// Sector and Country select incidents with a victim of that sector
	// ("healthcare") or country (ISO code, "GB"), compared folded.
	Sector, Country string
	// Status is "confirmed" or "attempted".
	Status string
	// Limit is the most incidents returned; 0 means all.
	Limit int
}

// Incidents calls fn with each merged incident f selects, newest first
// (by last reported, then by id), as its incidex-merged/v1 JSON on one
// line. The query is one indexed SQL statement: it does not merge.
func (d *DB) Incidents(ctx context.Context, f Filter, fn func(merged []byte) error) error {
	q, args := f.query()
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return fmt.Errorf("query %s: %w", d.path, err)
		}
		if err := fn(data); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	return nil
}

// CountIncidents returns the number of merged incidents f selects,
// whatever its Limit.
func (d *DB) CountIncidents(ctx context.Context, f Filter) (int, error) {
	where, args := f.where()
	q := "SELECT count(*) FROM merged m" + where
	var n int
	if err := d.db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	return n, nil
}

// query is f as SQL and its arguments: its where clause, newest first
// (the ordering follows the index merged_newest), at most its Limit.
func (f Filter) query() (string, []any) {
	where, args := f.where()
	q := "SELECT m.record FROM merged m" + where + " ORDER BY m.last_at DESC, m.id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return q, args
}

// where is f's WHERE clause (" WHERE ...", or "" for no condition) and
// its arguments. A name filter is a subquery over merged_names, which
// SQLite runs once.
func (f Filter) where() (string, []any) {
	var (
		where []string
		args  []any
	)
	if !f.Since.IsZero() {
		where = append(where, "m.last_at >= ?")
		args = append(args, f.Since.UTC().Format(sortableLayout))
	}
	if !f.Until.IsZero() {
		where = append(where, "m.first_at <> '' AND m.first_at < ?")
		args = append(args, f.Until.UTC().Format(sortableLayout))
	}
	if f.Status != "" {
		where = append(where, "m.status = ?")
		args = append(args, strings.ToLower(strings.TrimSpace(f.Status)))
	}
	contains := func(field, s string) {
		if s = rules.FoldName(s); s != "" {
			where = append(where, "m.key IN (SELECT merged FROM merged_names WHERE field = ? AND instr(name, ?) > 0)")
			args = append(args, field, s)
		}
	}
	equals := func(field, s string) {
		if s = rules.FoldName(s); s != "" {
			where = append(where, "m.key IN (SELECT merged FROM merged_names WHERE field = ? AND name = ?)")
			args = append(args, field, s)
		}
	}
	contains(FieldVictim, f.Victim)
	contains(FieldActor, f.Actor)
	contains(FieldTool, f.Tool)
	equals(FieldSector, f.Sector)
	equals(FieldCountry, f.Country)

	if len(where) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ErrNoIncident is an id that no merged incident has.
var ErrNoIncident = errors.New("no such incident")

// Incident returns the merged incident of id as its JSON: the one with that
// id, else the one whose id starts with it (at least 4 characters), which
// must be the only one.
func (d *DB) Incident(ctx context.Context, id string) ([]byte, error) {
	id = strings.TrimSpace(id)
	var data []byte
	err := d.db.QueryRowContext(ctx, "SELECT record FROM merged WHERE id = ? ORDER BY key LIMIT 1", id).Scan(&data)
	if err == nil {
		return data, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	if len(id) < 4 {
		return nil, fmt.Errorf("%w: %s", ErrNoIncident, id)
	}
	rows, err := d.db.QueryContext(ctx, "SELECT id, record FROM merged WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", id, id+"\U0010ffff")
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var got string
		if err := rows.Scan(&got, &data); err != nil {
			return nil, fmt.Errorf("query %s: %w", d.path, err)
		}
		ids = append(ids, got)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	switch len(ids) {
	case 0:
		return nil, fmt.Errorf("%w: %s", ErrNoIncident, id)
	case 1:
		return data, nil
	}
	return nil, fmt.Errorf("%w: %s is the start of several ids (%s, ...): give more of it", ErrNoIncident, id, strings.Join(ids, ", "))
}

// Inputs returns the names of every input whose article is stored, byte
// for byte: what --resume skips.
func (d *DB) Inputs(ctx context.Context) (map[string]struct{}, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT name FROM inputs")
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	defer rows.Close()
	names := make(map[string]struct{})
	for rows.Next() {
		var name []byte
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("query %s: %w", d.path, err)
		}
		names[string(name)] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	return names, nil
}

// Counts are the numbers of rows of the main tables.
type Counts struct {
	Articles, Incidents, Merged int
}

// Count counts the stored articles, their incidents and the merged
// incidents.
func (d *DB) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := d.db.QueryRowContext(ctx,
		"SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM incidents), (SELECT count(*) FROM merged)").
		Scan(&c.Articles, &c.Incidents, &c.Merged)
	if err != nil {
		return Counts{}, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	return c, nil
}
