-- jixiao's embedded store: one SQLite file holding the knowledge table and its provenance.
-- Every row hangs off a document; deleting a document removes all that was extracted from it.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS documents (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,      -- as given to ingest, resolved
    doc         TEXT NOT NULL,             -- the schema's document id (file name)
    sha256      TEXT NOT NULL,             -- of the file's bytes: unchanged files are skipped
    encoding    TEXT,
    source      TEXT NOT NULL,             -- the decoded text every offset indexes
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE IF NOT EXISTS reports (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    report         INTEGER NOT NULL,
    start          INTEGER, "end" INTEGER,
    category TEXT, title TEXT, org TEXT, year INTEGER, project TEXT,
    budget REAL, received REAL, spent REAL, execution_rate REAL, self_score REAL, signed TEXT,
    UNIQUE (document_id, report)
);

CREATE TABLE IF NOT EXISTS sections (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    number TEXT, heading TEXT, start INTEGER, "end" INTEGER
);

CREATE TABLE IF NOT EXISTS mentions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type TEXT NOT NULL, text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    value_num REAL, value_text TEXT, unit TEXT, op TEXT, extra TEXT
);

CREATE TABLE IF NOT EXISTS indicators (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    report      INTEGER,
    level1 TEXT, level2 TEXT, name TEXT,
    target_op TEXT, target TEXT, target_num REAL, target_unit TEXT,
    actual TEXT, actual_num REAL, actual_unit TEXT,
    weight REAL, score REAL, reason TEXT, met INTEGER, extra TEXT
);

CREATE TABLE IF NOT EXISTS facts (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    report      INTEGER,
    type TEXT, subject TEXT, road TEXT, predicate TEXT,
    value REAL, unit TEXT, mention_start INTEGER, mention_end INTEGER,
    org TEXT, year INTEGER, sentence TEXT,
    -- contract v2: actual/plan/estimate, period/cumulative/change, the figure's own period,
    -- the total it is a part of (source offsets), a range's ends and a hedge word
    basis TEXT, scope TEXT, period TEXT, part_of_start INTEGER, part_of_end INTEGER,
    low REAL, high REAL, hedge TEXT,
    roads TEXT,  -- every route named in the figure's clause, ",G569,S215," (a summary by road finds them)
    entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL
);

-- Projects and roads across reports (pipeline/entities.py): one row per project (its name
-- folded: script, whitespace, route code) or road (its code); every way it was written in aliases.
CREATE TABLE IF NOT EXISTS entities (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,      -- 'project' or 'road'
    key  TEXT NOT NULL,      -- folded name, or the route code
    name TEXT NOT NULL,      -- as first written
    road TEXT                -- the route code of a project on one route
);
CREATE TABLE IF NOT EXISTS entity_aliases (
    id        INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,  -- folded (pipeline.entities.fold)
    UNIQUE (entity_id, alias)
);

-- What `jixiao audit` finds in a report: rule, severity, a line in Chinese and English, and the
-- evidence as source spans (start/end/text of the main one; `evidence` a JSON list of all).
CREATE TABLE IF NOT EXISTS findings (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    report      INTEGER,
    rule TEXT NOT NULL, severity TEXT NOT NULL, zh TEXT, en TEXT,
    start INTEGER, "end" INTEGER, text TEXT, evidence TEXT
);

CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);
CREATE INDEX IF NOT EXISTS findings_document ON findings(document_id, report);
CREATE INDEX IF NOT EXISTS mentions_type ON mentions(type);
CREATE INDEX IF NOT EXISTS indicators_document ON indicators(document_id, report);
CREATE INDEX IF NOT EXISTS facts_document ON facts(document_id, report);
CREATE INDEX IF NOT EXISTS facts_road ON facts(road);
CREATE INDEX IF NOT EXISTS facts_year ON facts(year);
CREATE INDEX IF NOT EXISTS facts_entity ON facts(entity_id);
CREATE INDEX IF NOT EXISTS entities_key ON entities(kind, key);
CREATE INDEX IF NOT EXISTS entities_road ON entities(kind, key, road);
CREATE INDEX IF NOT EXISTS entity_aliases_alias ON entity_aliases(alias);
CREATE INDEX IF NOT EXISTS reports_document ON reports(document_id);

-- Full-text indexes, one per searchable table (rowid = the row's id), of character bigrams
-- (pipeline/fulltext.py), so that any run of two or more characters inside a name finds it.
-- Facts are indexed by sentence: one row per run of (at most 63) consecutive facts that share a
-- sentence, organisation and year, with the sentence and those facts' subjects, routes and
-- predicates, so a sentence is ranked once, not once per figure. rowid = first fact's id * 64 +
-- number of facts (pipeline/store.py SENTENCE_RUN), read without touching the row. `org` and the
-- year in `tags` hold for every fact of the row, so those filters are counted inside the index;
-- the types and routes in `tags` (y2023 tmoney rg569) are those of some fact of the row, and
-- narrow the rows that are then checked fact by fact.
CREATE VIRTUAL TABLE IF NOT EXISTS fact_sentences_fts USING fts5(words, org, tags,
                                                                 tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS findings_fts USING fts5(words, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS indicators_fts USING fts5(words, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING fts5(words, tokenize='unicode61 remove_diacritics 0');
