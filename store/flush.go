package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/rules"
)

const (
	qMarkPending   = `INSERT OR IGNORE INTO pending_blocks (block_key) VALUES (?)`
	qPending       = `SELECT block_key FROM pending_blocks ORDER BY block_key`
	qUnmarkPending = `DELETE FROM pending_blocks WHERE block_key = ?`
	qBlockUnits    = `SELECT unit FROM units WHERE block_key = ? ORDER BY article_id, seq`
	qBlockMerged   = `SELECT key, hash FROM merged WHERE block_key = ?`
	qDeleteMerged  = `DELETE FROM merged WHERE key = ?`
	qInsertMerged  = `INSERT INTO merged (id, hash, block_key, campaign, status, first_reported, last_reported, first_at, last_at, confidence, sources, record)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING key`
	qInsertName = `INSERT OR IGNORE INTO merged_names (merged, field, name) VALUES (?, ?, ?)`
)

// Merging is apart from storing because a block holds every report of
// victims whose names merge might compare (package merge makes it the
// first letter of the name): merging a block again costs as much as the
// block is large, however small the article that changed it. Put marks
// blocks pending; Flush merges each pending block once, however many
// articles entered it since; FlushIfDue does so only when merging has
// taken no more than a third of the time since it last did, so that a
// batch stores at least two thirds as fast as it would without merging,
// and the merged incidents lag it by about two merges.

// Flush merges every pending block again from all its units, one block per
// transaction, and replaces the block's merged incidents that changed. A
// block with no unit left has no merged incident. When ctx is cancelled
// the blocks not yet merged stay pending.
func (d *DB) Flush(ctx context.Context) error {
	if d.readOnly {
		return nil
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	return d.flush(ctx)
}

// FlushIfDue flushes when the last flush ended at least twice as long ago
// as it took: at once after a quick flush, later after a long one, so that
// merging takes at most a third of a batch's time.
func (d *DB) FlushIfDue(ctx context.Context) error {
	if d.readOnly {
		return nil
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if time.Since(d.flushedAt) < 2*d.flushTook {
		return nil
	}
	return d.flush(ctx)
}

func (d *DB) flush(ctx context.Context) error {
	start := time.Now()
	defer func() {
		d.flushedAt = time.Now()
		d.flushTook = d.flushedAt.Sub(start)
	}()
	m, err := d.getMerger()
	if err != nil {
		return err
	}
	blocks, err := d.pending(ctx)
	if err != nil {
		return err
	}
	for _, block := range blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := d.inTx(ctx, func(tx *sql.Tx) error {
			return d.mergeBlock(ctx, tx, m, block)
		})
		if err != nil {
			return fmt.Errorf("merge the incidents of block %q: %w", block, err)
		}
	}
	return nil
}

// pending returns the pending blocks.
func (d *DB) pending(ctx context.Context) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, qPending)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var blocks []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	return blocks, classify(rows.Err())
}

// Pending returns the number of blocks whose merged incidents are out of
// date: those of the articles a running batch stored since its last flush,
// or that a killed one left (the next writer merges them).
func (d *DB) Pending(ctx context.Context) (int, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, "SELECT count(*) FROM pending_blocks").Scan(&n); err != nil {
		return 0, fmt.Errorf("query %s: %w", d.path, classify(err))
	}
	return n, nil
}

// mergeBlock merges block from its units and writes the difference: the
// merged incidents that are new or changed are inserted, those no longer
// made are deleted, the others stay as they are.
func (d *DB) mergeBlock(ctx context.Context, tx *sql.Tx, m merger, block string) error {
	w := &txWriter{d: d, ctx: ctx, tx: tx}
	units := w.blockUnits(block)
	old := w.blockMerged(block)
	if w.err != nil {
		return w.err
	}
	var merged []record.Merged
	if len(units) > 0 {
		var err error
		if merged, err = m.mergeBlock(units); err != nil {
			return err
		}
	}
	for i := range merged {
		data, err := encode(&merged[i])
		if err != nil {
			return fmt.Errorf("encode merged incident %s: %w", merged[i].ID, err)
		}
		hash := shortHash(data)
		if keys := old[hash]; len(keys) > 0 {
			old[hash] = keys[1:] // unchanged: kept
			continue
		}
		w.insertMerged(block, hash, data, &merged[i])
	}
	for _, keys := range old {
		for _, key := range keys {
			w.exec(qDeleteMerged, key)
		}
	}
	w.exec(qUnmarkPending, block)
	return w.err
}

// blockMerged returns the keys of block's merged incidents by hash.
func (w *txWriter) blockMerged(block string) map[string][]int64 {
	old := make(map[string][]int64)
	w.each(qBlockMerged, block, func(rows *sql.Rows) error {
		var key int64
		var hash string
		if err := rows.Scan(&key, &hash); err != nil {
			return err
		}
		old[hash] = append(old[hash], key)
		return nil
	})
	return old
}

// shortHash is the first 16 hex digits of the SHA-256 of data.
func shortHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// blockUnits returns the units of block, in the order they were stored
// (the merge does not depend on it).
func (w *txWriter) blockUnits(block string) [][]byte {
	var units [][]byte
	w.each(qBlockUnits, block, func(rows *sql.Rows) error {
		var u []byte
		err := rows.Scan(&u)
		units = append(units, u)
		return err
	})
	return units
}

// insertMerged inserts one merged incident of block, encoded as data,
// and the names it is found by.
func (w *txWriter) insertMerged(block, hash string, data []byte, m *record.Merged) {
	if w.err != nil {
		return
	}
	var key int64
	w.queryRow(qInsertMerged, m.ID, hash, block, m.Campaign, m.Status, m.FirstReported, m.LastReported,
		sortableTime(m.FirstReported), sortableTime(m.LastReported), m.Confidence, len(m.Sources), string(data)).scan(&key)
	for _, n := range mergedNames(m) {
		w.exec(qInsertName, key, n.field, n.name)
	}
}

// fieldName is one name a merged incident is found by.
type fieldName struct{ field, name string }

// mergedNames are the names of m's filter fields, folded as filters are:
// victims' and actors' names and aliases, tooling, sectors, countries.
func mergedNames(m *record.Merged) []fieldName {
	var out []fieldName
	add := func(field string, names ...string) {
		for _, n := range names {
			if f := rules.FoldName(n); f != "" {
				out = append(out, fieldName{field, f})
			}
		}
	}
	for _, v := range m.Victims {
		add(FieldVictim, v.Name)
		add(FieldVictim, v.Aliases...)
		add(FieldSector, v.Sector)
		add(FieldCountry, v.Country)
	}
	for _, a := range m.Actors {
		add(FieldActor, a.Name)
		add(FieldActor, a.Aliases...)
	}
	for _, t := range m.Tooling {
		add(FieldTool, t.Name)
	}
	return out
}

// sortableTime is a reported time as merged.first_at and last_at hold it,
// in UTC so that text order is time order: "2006-01-02T15:04:05Z"; a date
// alone is its midnight in UTC; "" when s is no time.
func sortableTime(s string) string {
	t, ok := parseTime(s)
	if !ok {
		return ""
	}
	return t.UTC().Format(sortableLayout)
}

const sortableLayout = "2006-01-02T15:04:05Z"

// parseTime reads the times records give: RFC 3339, with or without a
// zone, or a date.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
