package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/incidex/incidex/extract/record"
)

// Outcome is what Put did with an article.
type Outcome int

const (
	// Added: the article was new.
	Added Outcome = iota + 1
	// Replaced: a stored version of the article (same canonical URL, else
	// URL) was replaced by this newer one.
	Replaced
	// Unchanged: the same content was stored already; only the input's
	// name was recorded.
	Unchanged
	// Kept: the stored version was fetched later than this one, and
	// stays; only the input's name was recorded.
	Kept
)

func (o Outcome) String() string {
	switch o {
	case Added:
		return "added"
	case Replaced:
		return "replaced"
	case Unchanged:
		return "unchanged"
	case Kept:
		return "kept"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Put stores one article's record in one transaction: the article, its
// incidents with their entities, indicators and evidence, and the merge's
// units; the blocks the article enters or leaves are marked pending, for
// Flush to merge. Either all of it is committed or none of it.
//
// An article is the same as a stored one when it has the same URL key
// (canonical URL, else URL) or the same content hash. The same content
// stores nothing new; a different version replaces the stored one, unless
// both were downloaded and the stored one later (Kept). The input's name
// is recorded in every case, for Inputs.
//
// A full disk or a read-only file is reported as ErrFull or ErrReadOnly
// (see Fatal); ctx cancels a Put that waits for another writer.
func (d *DB) Put(ctx context.Context, r *record.Result) (Outcome, error) {
	if d.readOnly {
		return 0, fmt.Errorf("%w: %s was opened for reading only", ErrReadOnly, d.path)
	}
	m, err := d.getMerger()
	if err != nil {
		return 0, err
	}
	a, err := newArticle(r)
	if err != nil {
		return 0, err
	}
	// The merge's units are computed before the write lock is taken.
	if a.units, err = m.units(r); err != nil {
		return 0, fmt.Errorf("merge units: %w", err)
	}

	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	var out Outcome
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = d.put(ctx, tx, a)
		return err
	})
	if err != nil {
		return 0, err
	}
	return out, nil
}

// article is a record on its way into the database.
type article struct {
	r      *record.Result
	input  string // the input's name, byte for byte
	urlKey string
	hash   string
	json   []byte
	units  []unit
}

func newArticle(r *record.Result) (*article, error) {
	data, err := encode(r)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	hash, err := contentHash(r)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	key := r.CanonicalURL
	if key == "" {
		key = r.URL
	}
	return &article{r: r, input: inputName(r), urlKey: normalURL(key), hash: hash, json: data}, nil
}

// inputName is the input a record was read from, byte for byte (a name
// that is not UTF-8 is in InputBytes), as the batch names it.
func inputName(r *record.Result) string {
	if r.InputBytes != nil {
		return string(r.InputBytes)
	}
	return r.Input
}

// contentHash is the SHA-256 of r without where and when it was read:
// input, URL, fetch time, and the incident ids, which are made from the
// URL when the page has no canonical one.
func contentHash(r *record.Result) (string, error) {
	c := *r
	c.Input, c.InputBytes, c.URL, c.FetchedAt = "", nil, "", ""
	c.Incidents = slices.Clone(r.Incidents)
	for i := range c.Incidents {
		c.Incidents[i].ID = ""
	}
	data, err := encode(&c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// normalURL is the URL key of u: scheme and host in lower case, no
// fragment; "" for "".
func normalURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" || p.Host == "" {
		return u
	}
	p.Scheme, p.Host, p.Fragment, p.RawFragment = strings.ToLower(p.Scheme), strings.ToLower(p.Host), "", ""
	return p.String()
}

// encode is JSON as incidex prints it: "&", "<" and ">" left readable.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// storedArticle is what put needs to know of a stored article.
type storedArticle struct {
	id        int64
	hash      string
	fetchedAt string
	hasURLKey bool
}

const (
	qFindByKey     = `SELECT id, content_hash, fetched_at, url_key IS NOT NULL FROM articles WHERE url_key = ?`
	qFindByHash    = `SELECT id, content_hash, fetched_at, url_key IS NOT NULL FROM articles WHERE content_hash = ?`
	qInsertArticle = `INSERT INTO articles (url_key, content_hash, input, url, canonical_url, title, site, language, published, fetched_at, stored_at, record)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	qUpdateArticle = `UPDATE articles SET url_key = ?, content_hash = ?, input = ?, url = ?, canonical_url = ?, title = ?, site = ?, language = ?,
		published = ?, fetched_at = ?, stored_at = ?, record = ? WHERE id = ?`
	qAdoptURL    = `UPDATE articles SET url_key = ?, url = ?, fetched_at = ? WHERE id = ?`
	qRecordInput = `INSERT INTO inputs (name, article_id, stored_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET article_id = excluded.article_id, stored_at = excluded.stored_at`
	qMoveInputs    = `UPDATE inputs SET article_id = ? WHERE article_id = ?`
	qDeleteArticle = `DELETE FROM articles WHERE id = ?`
	qBlocksOf      = `SELECT DISTINCT block_key FROM units WHERE article_id = ?`

	qInsertIncident  = `INSERT INTO incidents (article_id, seq, id, status, confidence) VALUES (?, ?, ?, ?, ?)`
	qInsertVictim    = `INSERT INTO victims (article_id, incident, seq, name, aliases, sector, country, ref, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertActor     = `INSERT INTO actors (article_id, incident, seq, name, aliases, kind, attribution, ref, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertTool      = `INSERT INTO tools (article_id, incident, seq, name, kind, attack, ref) VALUES (?, ?, ?, ?, ?, ?, ?)`
	qInsertImpact    = `INSERT INTO impacts (article_id, incident, seq, kind, summary, quantity, unit) VALUES (?, ?, ?, ?, ?, ?, ?)`
	qInsertResponder = `INSERT INTO responders (article_id, incident, seq, name) VALUES (?, ?, ?, ?)`
	qInsertIndicator = `INSERT INTO indicators (article_id, incident, seq, type, value, defanged) VALUES (?, ?, ?, ?, ?, ?)`
	qInsertEvidence  = `INSERT INTO evidence (article_id, incident, field, item, seq, rule, text, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertUnit      = `INSERT INTO units (article_id, seq, block_key, campaign, unit) VALUES (?, ?, ?, ?, ?)`
)

// deleteChildren delete an article's rows besides its own and its inputs:
// what replacing it replaces.
var deleteChildren = func() []string {
	var qs []string
	for _, t := range []string{"incidents", "victims", "actors", "tools", "impacts", "responders", "indicators", "evidence", "units"} {
		qs = append(qs, "DELETE FROM "+t+" WHERE article_id = ?")
	}
	return qs
}()

// writeQueries are prepared once, at Open, on the connection of writes.
var writeQueries = append([]string{
	qFindByKey, qFindByHash, qInsertArticle, qUpdateArticle, qAdoptURL, qRecordInput,
	qMoveInputs, qDeleteArticle, qBlocksOf, qInsertIncident, qInsertVictim, qInsertActor, qInsertTool,
	qInsertImpact, qInsertResponder, qInsertIndicator, qInsertEvidence, qInsertUnit,
	qMarkPending, qBlockUnits, qBlockMerged, qDeleteMerged, qInsertMerged, qInsertName, qUnmarkPending,
}, deleteChildren...)

// put is Put inside its transaction.
func (d *DB) put(ctx context.Context, tx *sql.Tx, a *article) (Outcome, error) {
	w := &txWriter{d: d, ctx: ctx, tx: tx}
	now := d.now().UTC().Format(time.RFC3339)
	var byKey, byHash *storedArticle
	if a.urlKey != "" {
		byKey = w.find(qFindByKey, a.urlKey)
	}
	byHash = w.find(qFindByHash, a.hash)
	if w.err != nil {
		return 0, w.err
	}

	var (
		out    Outcome
		id     int64
		blocks []string // blocks whose merged incidents change
	)
	switch {
	case byKey == nil && byHash == nil:
		out = Added
		w.queryRow(qInsertArticle, a.articleArgs(now)...).scan(&id)
		w.children(id, a)
		blocks = a.blocks()
	case byKey != nil && byKey.hash == a.hash:
		out, id = Unchanged, byKey.id
	case byKey == nil:
		// The same content, stored from another place or none: one
		// article. A saved page stored first learns its URL.
		out, id = Unchanged, byHash.id
		if a.urlKey != "" && !byHash.hasURLKey {
			w.exec(qAdoptURL, a.urlKey, a.r.URL, a.r.FetchedAt, id)
		}
	case fetchedBefore(a.r.FetchedAt, byKey.fetchedAt):
		out, id = Kept, byKey.id
	default:
		out, id = Replaced, byKey.id
		blocks = w.blocksOf(id)
		if byHash != nil && byHash.id != id {
			// This version is stored already, from another URL: the two
			// rows become one.
			blocks = append(blocks, w.blocksOf(byHash.id)...)
			w.exec(qMoveInputs, id, byHash.id)
			w.exec(qDeleteArticle, byHash.id)
		}
		for _, q := range deleteChildren {
			w.exec(q, id)
		}
		w.exec(qUpdateArticle, append(a.articleArgs(now), id)...)
		w.children(id, a)
		blocks = append(blocks, a.blocks()...)
	}
	w.exec(qRecordInput, []byte(a.input), id, now)
	slices.Sort(blocks)
	for _, b := range slices.Compact(blocks) {
		w.exec(qMarkPending, b)
	}
	return out, w.err
}

// fetchedBefore reports whether a version fetched at a came before one
// fetched at b; false unless both are times.
func fetchedBefore(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339, a)
	tb, errB := time.Parse(time.RFC3339, b)
	return errA == nil && errB == nil && ta.Before(tb)
}

func (a *article) articleArgs(now string) []any {
	r := a.r
	var key any
	if a.urlKey != "" {
		key = a.urlKey
	}
	return []any{key, a.hash, r.Input, r.URL, r.CanonicalURL, r.Title, r.Site, r.Language, r.Published, r.FetchedAt, now, string(a.json)}
}

// blocks are the blocks of the article's units.
func (a *article) blocks() []string {
	keys := make([]string, len(a.units))
	for i, u := range a.units {
		keys[i] = u.blockKey
	}
	return keys
}

// txWriter runs the statements of one Put, keeping the first error so
// that a long run of inserts reads as a list; after an error it does
// nothing.
type txWriter struct {
	d   *DB
	ctx context.Context
	tx  *sql.Tx
	err error
}

func (w *txWriter) exec(query string, args ...any) {
	if w.err != nil {
		return
	}
	s, err := w.d.stmt(w.ctx, w.tx, query)
	if err == nil {
		_, err = s.ExecContext(w.ctx, args...)
	}
	w.err = err
}

// row is a query's one row, scanned unless an error came first.
type row struct {
	w *txWriter
	r *sql.Row
}

func (w *txWriter) queryRow(query string, args ...any) row {
	if w.err != nil {
		return row{w: w}
	}
	s, err := w.d.stmt(w.ctx, w.tx, query)
	if err != nil {
		w.err = err
		return row{w: w}
	}
	return row{w: w, r: s.QueryRowContext(w.ctx, args...)}
}

func (r row) scan(dest ...any) {
	if r.r == nil || r.w.err != nil {
		return
	}
	r.w.err = r.r.Scan(dest...)
}

// find returns the article query finds, or nil.
func (w *txWriter) find(query string, arg string) *storedArticle {
	r := w.queryRow(query, arg)
	if r.r == nil {
		return nil
	}
	var s storedArticle
	if err := r.r.Scan(&s.id, &s.hash, &s.fetchedAt, &s.hasURLKey); err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			w.err = err
		}
		return nil
	}
	return &s
}

// blocksOf returns the blocks of the units of the stored article id.
func (w *txWriter) blocksOf(id int64) []string {
	var keys []string
	w.each(qBlocksOf, id, func(rows *sql.Rows) error {
		var k string
		err := rows.Scan(&k)
		keys = append(keys, k)
		return err
	})
	return keys
}

// each runs query with arg and calls scan on each row it returns, until
// scan fails; it does nothing after an error.
func (w *txWriter) each(query string, arg any, scan func(*sql.Rows) error) {
	if w.err != nil {
		return
	}
	s, err := w.d.stmt(w.ctx, w.tx, query)
	if err != nil {
		w.err = err
		return
	}
	rows, err := s.QueryContext(w.ctx, arg)
	if err != nil {
		w.err = err
		return
	}
	defer rows.Close()
	for rows.Next() {
		if w.err = scan(rows); w.err != nil {
			return
		}
	}
	w.err = rows.Err()
}

// children inserts the rows of the article id's record and units.
func (w *txWriter) children(id int64, a *article) {
	r := a.r
	for i := range r.Incidents {
		inc := &r.Incidents[i]
		w.exec(qInsertIncident, id, i, inc.ID, inc.Status, inc.Confidence)
		for j, v := range inc.Victims {
			w.exec(qInsertVictim, id, i, j, v.Name, jsonList(v.Aliases), v.Sector, v.Country, v.Ref, v.Confidence)
			w.evidence(id, i, "victim", j, v.Evidence)
		}
		for j, act := range inc.Actors {
			w.exec(qInsertActor, id, i, j, act.Name, jsonList(act.Aliases), act.Kind, act.Attribution, act.Ref, act.Confidence)
			w.evidence(id, i, "actor", j, act.Evidence)
		}
		for j, t := range inc.Tooling {
			w.exec(qInsertTool, id, i, j, t.Name, t.Kind, t.Attack, t.Ref)
			w.evidence(id, i, "tool", j, t.Evidence)
		}
		for j, im := range inc.Impacts {
			var qty any
			unit := ""
			if im.Quantity != nil {
				qty, unit = im.Quantity.Value, im.Quantity.Unit
			}
			w.exec(qInsertImpact, id, i, j, im.Kind, im.Summary, qty, unit)
			w.evidence(id, i, "impact", j, im.Evidence)
		}
		for j, resp := range inc.Responders {
			w.exec(qInsertResponder, id, i, j, resp.Name)
			w.evidence(id, i, "responder", j, resp.Evidence)
		}
		w.indicators(id, i, inc.Indicators)
	}
	w.indicators(id, -1, r.Indicators)
	for i, u := range a.units {
		w.exec(qInsertUnit, id, i, u.blockKey, u.campaign, string(u.data))
	}
}

func (w *txWriter) indicators(id int64, incident int, list []record.Indicator) {
	for j, ind := range list {
		w.exec(qInsertIndicator, id, incident, j, ind.Type, ind.Value, ind.Defanged)
		w.evidence(id, incident, "indicator", j, ind.Evidence)
	}
}

func (w *txWriter) evidence(id int64, incident int, field string, item int, list []record.Evidence) {
	for k, ev := range list {
		w.exec(qInsertEvidence, id, incident, field, item, k, ev.Rule, ev.Text, ev.Start, ev.End)
	}
}

// jsonList is a list of names as a JSON array ("[]" for none).
func jsonList(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := encode(list) // strings always encode
	return string(b)
}
