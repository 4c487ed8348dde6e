-- Schema version 1 of an incidex database: the articles "incidex extract
-- --db" stored, what they report, and the merged incidents "incidex
-- incidents" lists. The README ("Storing records") describes every table.
--
-- Lists the records hold (victims, evidence...) keep their order in a seq
-- column, from 0. Child rows name their article by articles.id and their
-- incident by incidents.seq; texts are never NULL ('' when the record has
-- none), numbers are NULL only where the record may lack them.

-- One row per article, whatever inputs it was read from.
CREATE TABLE articles (
	id            INTEGER PRIMARY KEY,
	-- url_key is the article's place on the web: its canonical URL, else
	-- the URL it was read from (scheme and host in lower case, no
	-- fragment); NULL for a saved page that gives neither.
	url_key       TEXT UNIQUE,
	-- content_hash is the SHA-256 (hex) of the record without where and
	-- when it was read (input, url, fetched_at): the same page read by
	-- the same rules has the same hash.
	content_hash  TEXT NOT NULL UNIQUE,
	input         TEXT NOT NULL, -- the input of the version stored
	url           TEXT NOT NULL,
	canonical_url TEXT NOT NULL,
	title         TEXT NOT NULL,
	site          TEXT NOT NULL,
	language      TEXT NOT NULL,
	published     TEXT NOT NULL,
	fetched_at    TEXT NOT NULL,
	stored_at     TEXT NOT NULL, -- RFC 3339, UTC
	record        TEXT NOT NULL  -- the whole incidex/v1 record, JSON
) STRICT;

-- Every input name a stored article was read from (--resume skips them).
CREATE TABLE inputs (
	name       BLOB PRIMARY KEY, -- the name as given, byte for byte
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	stored_at  TEXT NOT NULL
) STRICT;
CREATE INDEX inputs_article ON inputs (article_id);

-- The incidents each article reports.
CREATE TABLE incidents (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	id         TEXT NOT NULL, -- the record's incident id
	status     TEXT NOT NULL, -- confirmed or attempted
	confidence REAL NOT NULL,
	PRIMARY KEY (article_id, seq)
) STRICT, WITHOUT ROWID;

-- Entities of an incident. aliases columns are JSON arrays.
CREATE TABLE victims (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident   INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	name       TEXT NOT NULL,
	aliases    TEXT NOT NULL,
	sector     TEXT NOT NULL,
	country    TEXT NOT NULL,
	ref        TEXT NOT NULL,
	confidence REAL NOT NULL,
	PRIMARY KEY (article_id, incident, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX victims_name ON victims (name COLLATE NOCASE);

CREATE TABLE actors (
	article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident    INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	name        TEXT NOT NULL,
	aliases     TEXT NOT NULL,
	kind        TEXT NOT NULL,
	attribution TEXT NOT NULL,
	ref         TEXT NOT NULL,
	confidence  REAL NOT NULL,
	PRIMARY KEY (article_id, incident, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX actors_name ON actors (name COLLATE NOCASE);

CREATE TABLE tools (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident   INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL, -- ransomware, malware, tool, technique, vulnerability
	attack     TEXT NOT NULL, -- ATT&CK id, or ''
	ref        TEXT NOT NULL,
	PRIMARY KEY (article_id, incident, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX tools_name ON tools (name COLLATE NOCASE);

CREATE TABLE impacts (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident   INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	summary    TEXT NOT NULL,
	quantity   REAL,          -- NULL when the text gives no amount
	unit       TEXT NOT NULL, -- records, customers, people or a currency code
	PRIMARY KEY (article_id, incident, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE responders (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident   INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	name       TEXT NOT NULL,
	PRIMARY KEY (article_id, incident, seq)
) STRICT, WITHOUT ROWID;

-- Indicators: an incident's (incident = its seq) and the article's own,
-- outside every incident (incident = -1).
CREATE TABLE indicators (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident   INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	type       TEXT NOT NULL,
	value      TEXT NOT NULL,
	defanged   TEXT NOT NULL,
	PRIMARY KEY (article_id, incident, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX indicators_value ON indicators (value);

-- The evidence sentences of every field above: field names the table
-- (victim, actor, tool, impact, responder, indicator), item its seq.
CREATE TABLE evidence (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	incident   INTEGER NOT NULL,
	field      TEXT NOT NULL,
	item       INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	rule       TEXT NOT NULL,
	text       TEXT NOT NULL,
	start      INTEGER NOT NULL, -- byte offsets in the article text
	"end"      INTEGER NOT NULL,
	PRIMARY KEY (article_id, incident, field, item, seq)
) STRICT, WITHOUT ROWID;

-- The merge's units: one victim of one article's incident, in the JSON of
-- package merge, with the block it belongs to. The merged incidents of a
-- block are made of that block's units alone.
CREATE TABLE units (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	block_key  TEXT NOT NULL,
	campaign   TEXT NOT NULL,
	unit       TEXT NOT NULL,
	PRIMARY KEY (article_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX units_block ON units (block_key);

-- The blocks whose merged incidents are out of date: an article entered or
-- left them since they were last merged. Committed with the article; the
-- writer merges them soon after (see the README), and a killed writer's
-- are merged by the next one.
CREATE TABLE pending_blocks (
	block_key TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- Merged incidents (contract incidex-merged/v1), rebuilt block by block as
-- articles arrive. first_at and last_at are first_reported and
-- last_reported in UTC ("2006-01-02T15:04:05Z"), '' when not a date: they
-- sort and filter. hash is the SHA-256 (hex, 16 digits) of record: a
-- block merged again keeps the rows whose record did not change.
CREATE TABLE merged (
	key            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL,
	hash           TEXT NOT NULL,
	block_key      TEXT NOT NULL,
	campaign       TEXT NOT NULL,
	status         TEXT NOT NULL,
	first_reported TEXT NOT NULL,
	last_reported  TEXT NOT NULL,
	first_at       TEXT NOT NULL,
	last_at        TEXT NOT NULL,
	confidence     REAL NOT NULL,
	sources        INTEGER NOT NULL,
	record         TEXT NOT NULL -- the whole incidex-merged/v1 record, JSON
) STRICT;
CREATE INDEX merged_id ON merged (id);
CREATE INDEX merged_block ON merged (block_key);
CREATE INDEX merged_newest ON merged (last_at DESC, id);

-- The names a merged incident is found by, folded (lower case, one space
-- between words): field is victim or actor (names and aliases), tool,
-- sector or country.
CREATE TABLE merged_names (
	merged INTEGER NOT NULL REFERENCES merged (key) ON DELETE CASCADE,
	field  TEXT NOT NULL,
	name   TEXT NOT NULL,
	PRIMARY KEY (merged, field, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX merged_names_name ON merged_names (field, name);
