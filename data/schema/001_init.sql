-- 001_init.sql: the dyad event store, schema version 1 (SQLite and PostgreSQL).
-- Statements end with ';' at the end of a line. A statement whose first line
-- is '--@sqlite' or '--@pg' runs only on that backend. Later versions go in
-- 002_*.sql and so on; each file runs once, in one transaction.
CREATE TABLE dyad_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- One row per article; hash is over the article's date, title, text,
-- publisher and url, so a changed article is recognized and replaced.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    date TEXT,
    title TEXT,
    source TEXT,
    url TEXT,
    origin TEXT,
    body TEXT NOT NULL
);
-- One row per coded event of a sentence (a mention). ekey is the merge key,
-- day the date as a day number (-99999999 when undated), event_id the
-- merged event the mention belongs to.
CREATE TABLE mentions (
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sentence INTEGER NOT NULL,
    day BIGINT NOT NULL,
    ekey TEXT NOT NULL,
    recip INTEGER NOT NULL,
    publisher TEXT,
    event_id BIGINT,
    date TEXT,
    source TEXT,
    source_name TEXT,
    source_country TEXT,
    target TEXT,
    target_name TEXT,
    target_country TEXT,
    code TEXT NOT NULL,
    root TEXT,
    quad INTEGER,
    goldstein DOUBLE PRECISION,
    plover TEXT,
    text TEXT,
    pattern TEXT,
    place TEXT,
    PRIMARY KEY (doc, seq)
);
CREATE INDEX mentions_key ON mentions (ekey, day);
CREATE INDEX mentions_event ON mentions (event_id);
-- One row per merged event; the event fields are those of its first mention
-- (by date, document id, position), date is the first-seen date.
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    ekey TEXT NOT NULL,
    recip INTEGER NOT NULL,
    day_first BIGINT NOT NULL,
    day_last BIGINT NOT NULL,
    last_date TEXT,
    num_mentions INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    doc TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    date TEXT,
    source TEXT,
    source_name TEXT,
    source_country TEXT,
    target TEXT,
    target_name TEXT,
    target_country TEXT,
    code TEXT NOT NULL,
    root TEXT,
    quad INTEGER,
    goldstein DOUBLE PRECISION,
    plover TEXT,
    text TEXT,
    pattern TEXT,
    place TEXT
);
CREATE INDEX events_key ON events (ekey, day_first);
CREATE INDEX events_day ON events (day_first);
CREATE INDEX events_src ON events (source_country, target_country);
CREATE INDEX events_source ON events (source, target);
CREATE INDEX events_tgt ON events (target_country);
CREATE INDEX events_target ON events (target);
--@sqlite
CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title, body);
--@pg
CREATE INDEX articles_fts ON articles USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || body));
INSERT INTO dyad_meta (key, value) VALUES ('application', 'dyad');
INSERT INTO dyad_meta (key, value) VALUES ('window', '1');
