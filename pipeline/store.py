"""The embedded store: a SQLite file with documents, reports, sections, mentions,
indicators and facts, keyed to each other and to the source text.

Each document is written whole or not at all: an interrupted run leaves every
document either wholly stored or absent. A document is a transaction of its own,
or, inside `Store.commit_every()` (as ingest writes), a savepoint in a transaction
that is committed every few documents or every second. Re-ingesting a changed file
replaces its rows; an unchanged one (same path, same bytes) is skipped.
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .fulltext import INDEX_TEXT, fact_tags, index_text, sentence_index_text
from .storefile import open_store, store_errors

if TYPE_CHECKING:
    from .document import DocumentResult

DEFAULT_DB = "jixiao.db"


@dataclass(frozen=True)
class StoredDocument:
    path: str
    doc: str
    sha256: str
    encoding: str
    source: str
    records: list[dict[str, Any]]  # schema records of every kind

    @classmethod
    def of(cls, result: "DocumentResult") -> "StoredDocument":
        """What the store keeps of a processed document: its records of every kind, findings included."""
        from .document import STORED_KINDS

        document = result.document
        return cls(str(Path(document.path).resolve()), document.doc_id, document.sha256, document.encoding,
                   document.text, result.records(STORED_KINDS))


# The facts on a route (two parameters, the code twice): those whose subject names it and
# those of a project entity on it. A summary adds ROUTE_NAMED (one more parameter): facts
# whose clause names the route.
ON_ROUTE = "facts.road = ? OR facts.entity_id IN (SELECT id FROM entities WHERE road = ?)"
ROUTE_NAMED = "facts.roads LIKE '%,' || ? || ',%'"


def road_code(text: str | None) -> str | None:
    """A route code as facts store it (upper case, no spaces), so the road index serves lookups."""
    return text.replace(" ", "").upper() if text else None


class Where:
    """SQL conditions joined by AND, with their parameters; a condition whose value is
    None (a filter the user did not give) is left out."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, value: Any, repeat: int = 1) -> "Where":
        if value is not None and value != "":
            self.clauses.append(clause)
            self.params += [value] * repeat
        return self

    def like(self, column: str, text: str | None) -> "Where":
        return self.add(f"{column} LIKE ?", f"%{text}%" if text else None)

    def sql(self) -> str:
        return "WHERE " + " AND ".join(self.clauses) if self.clauses else ""


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = str(path)
        # a jixiao store, its schema current, or StoreError naming the file (pipeline/storefile.py)
        self.conn = open_store(self.path)
        self._group: _CommitGroup | None = None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def is_current(self, path: str, sha256: str) -> bool:
        row = self.conn.execute("SELECT sha256 FROM documents WHERE path = ?", (path,)).fetchone()
        return row is not None and row["sha256"] == sha256

    @contextmanager
    def commit_every(self, documents: int = 100, seconds: float = 1.0) -> Iterator[None]:
        """Within this block, `put` commits once `documents` have been written or
        `seconds` have passed, not after each one (a commit costs as much as writing a
        small report); whatever is written is committed when the block ends, however."""
        self._group = _CommitGroup(documents, seconds)
        try:
            yield
        finally:
            self._group = None
            with store_errors(self.path):
                self.conn.commit()

    def put(self, document: StoredDocument) -> int:
        """Replace whatever the store held for this path with this document's rows.
        StoreError (read-only, disk full, locked) names the store."""
        with store_errors(self.path):
            return self._put(document)

    def _put(self, document: StoredDocument) -> int:
        if self._group is None:
            with self.conn:  # a transaction of its own
                return self._write(document)
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
        self.conn.execute("SAVEPOINT document")
        try:
            doc_id = self._write(document)
        except BaseException:
            # SQLite itself rolls the whole transaction back on some errors (a full disk): then no savepoint is left
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO document")
                self.conn.execute("RELEASE document")
            raise
        self.conn.execute("RELEASE document")
        if self._group.written():
            self.conn.commit()
        return doc_id

    def _write(self, document: StoredDocument) -> int:
        self._delete(document.path)
        cur = self.conn.execute(
            "INSERT INTO documents (path, doc, sha256, encoding, source) VALUES (?, ?, ?, ?, ?)",
            (document.path, document.doc, document.sha256, document.encoding, document.source),
        )
        doc_id = cur.lastrowid
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for record in document.records:
            by_kind.setdefault(record["kind"], []).append(record)
        self._put_reports(doc_id, by_kind.get("report", []))
        self._put_mentions(doc_id, by_kind.get("mention", []))
        self._put_indicators(doc_id, by_kind.get("indicator", []))
        self._put_facts(doc_id, by_kind.get("fact", []))
        self._put_findings(doc_id, by_kind.get("finding", []))
        return doc_id

    def _delete(self, path: str) -> None:
        row = self.conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        for table, index in FTS_TABLES.items():
            if table == "facts":  # rowids are fact ids * SENTENCE_RUN; a document's facts have consecutive ids
                self.conn.execute(f"DELETE FROM {index} WHERE rowid BETWEEN (SELECT min(id) * {SENTENCE_RUN} FROM facts"
                                  f" WHERE document_id = ?1) AND (SELECT max(id) * {SENTENCE_RUN} + {SENTENCE_RUN - 1}"
                                  " FROM facts WHERE document_id = ?1)", (row["id"],))
                continue
            self.conn.execute(f"DELETE FROM {index} WHERE rowid IN (SELECT id FROM {table} WHERE document_id = ?)",
                              (row["id"],))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (row["id"],))

    def _put_reports(self, doc_id: int, reports: list[dict[str, Any]]) -> None:
        for r in reports:
            cur = self.conn.execute(
                'INSERT INTO reports (document_id, report, start, "end", category, title, org, year, project, budget,'
                " received, spent, execution_rate, self_score, signed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, r["report"], r.get("start"), r.get("end"), r.get("category"), r.get("title"), r.get("org"),
                 r.get("year"),
                 r.get("project"), r.get("budget"), r.get("received"), r.get("spent"), r.get("execution_rate"),
                 r.get("self_score"), r.get("signed")),
            )
            self.conn.executemany(
                'INSERT INTO sections (report_id, number, heading, start, "end") VALUES (?,?,?,?,?)',
                [(cur.lastrowid, s.get("number"), s.get("heading"), s.get("start"), s.get("end"))
                 for s in r.get("sections") or []],
            )
            self._index("reports", cur.lastrowid, r)

    def _put_mentions(self, doc_id: int, mentions: list[dict[str, Any]]) -> None:
        core = {"kind", "doc", "type", "text", "start", "end", "value", "unit", "op"}
        self.conn.executemany(
            'INSERT INTO mentions (document_id, type, text, start, "end", value_num, value_text, unit, op, extra)'
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, m["type"], m["text"], m["start"], m["end"], _number(m.get("value")), _text(m.get("value")),
              m.get("unit"), m.get("op"), _extra(m, core)) for m in mentions],
        )

    def _put_indicators(self, doc_id: int, indicators: list[dict[str, Any]]) -> None:
        core = {"kind", "doc", "report", "level1", "level2", "name", "target_op", "target", "target_unit", "actual",
                "actual_unit", "weight", "score", "reason", "met", "fts"}
        for i in indicators:
            cur = self.conn.execute(
            "INSERT INTO indicators (document_id, report, level1, level2, name, target_op, target, target_num,"
            " target_unit, actual, actual_num, actual_unit, weight, score, reason, met, extra)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, i.get("report"), i.get("level1"), i.get("level2"), i.get("name"), i.get("target_op"),
                 _text_or_number(i.get("target")), _number(i.get("target")), i.get("target_unit"),
                 _text_or_number(i.get("actual")), _number(i.get("actual")), i.get("actual_unit"), i.get("weight"),
                 i.get("score"), i.get("reason"), None if i.get("met") is None else int(i["met"]), _extra(i, core)),
            )
            self._index("indicators", cur.lastrowid, i)

    def _put_facts(self, doc_id: int, facts: list[dict[str, Any]]) -> None:
        run: list[dict[str, Any]] = []  # consecutive facts of one sentence, indexed as one row
        first = 0
        for f in facts:
            start, end = (f.get("mention") or [None, None])[:2]
            part_start, part_end = (f.get("part_of") or [None, None])[:2]
            cur = self.conn.execute(
                "INSERT INTO facts (document_id, report, type, subject, road, predicate, value, unit, mention_start,"
                " mention_end, org, year, sentence, basis, scope, period, part_of_start, part_of_end, low, high,"
                " hedge, roads, entity_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, f.get("report"), f.get("type"), f.get("subject"), f.get("road"), f.get("predicate"),
                 _number(f.get("value")), f.get("unit"), start, end, f.get("org"), f.get("year"), f.get("sentence"),
                 f.get("basis"), f.get("scope"), f.get("period"), part_start, part_end, _number(f.get("low")),
                 _number(f.get("high")), f.get("hedge"),
                 f",{','.join(f['roads'])}," if f.get("roads") else None, self._entity_id(f)),
            )
            if run and (_run_key(run[0]) != _run_key(f) or len(run) == SENTENCE_RUN - 1):
                self._index_sentence(first, run)
                run = []
            if not run:
                first = cur.lastrowid
            run.append(f)
        if run:
            self._index_sentence(first, run)

    def _index_sentence(self, first_id: int, facts: list[dict[str, Any]]) -> None:
        self.conn.execute("INSERT INTO fact_sentences_fts (rowid, words, org, tags) VALUES (?, ?, ?, ?)",
                          (first_id * SENTENCE_RUN + len(facts), sentence_index_text(facts),
                           index_text(facts[0].get("org")), fact_tags(facts)))

    def _entity_id(self, fact: dict[str, Any]) -> int | None:
        """The entity row of a fact's project or road (pipeline/entities.py), made on first
        sight; a project written without its route joins the one project of that name on a route."""
        from dataclasses import replace

        from .entities import aliases, entity_of, fold

        road = fact.get("road")
        if fact.get("entity_kind") == "road" and road:
            entity = entity_of(road, road, False)
        elif fact.get("entity_kind") == "project" and fact.get("subject"):
            entity = entity_of(fact["subject"], road, True)
            if entity is not None and fact.get("entity"):
                entity = replace(entity, key=fact["entity"])  # the linker's key, with the report's place
        elif fact.get("subject"):
            # a subject not recognised as a project but written as one already stored is it
            # (two rows say it is not one: a common alias is not read in full per fact)
            rows = self.conn.execute("SELECT entity_id FROM entity_aliases WHERE alias = ? LIMIT 2",
                                     (fold(fact["subject"]),)).fetchall()
            return rows[0]["entity_id"] if len(rows) == 1 else None
        else:
            return None
        if entity is None:
            return None
        same = self._same_entity(entity.kind, entity.key, entity.road)
        if same:
            entity_id = same["id"]
            if entity.road and same["road"] is None:
                self.conn.execute("UPDATE entities SET road = ? WHERE id = ?", (entity.road, entity_id))
        else:
            entity_id = self.conn.execute("INSERT INTO entities (kind, key, name, road) VALUES (?,?,?,?)",
                                          (entity.kind, entity.key, entity.name, entity.road)).lastrowid
        self.conn.executemany("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
                              [(entity_id, a) for a in sorted(aliases(entity.name))])
        return entity_id

    def _same_entity(self, kind: str, key: str, road: str | None) -> sqlite3.Row | None:
        """The first entity of this kind and key on the same road; else, for a project on a
        road, the first of that name on none, and for one on none, the first on any. One
        indexed lookup each: a name common to thousands of routes is not read in full per fact."""
        first = "SELECT id, road FROM entities WHERE kind = ? AND key = ? AND {} ORDER BY id LIMIT 1"
        if road is not None:
            found = self.conn.execute(first.format("road = ?"), (kind, key, road)).fetchone()
        else:
            found = None
        return (found or self.conn.execute(first.format("road IS NULL"), (kind, key)).fetchone()
                or (self.conn.execute(first.format("1"), (kind, key)).fetchone() if road is None else None))

    def _put_findings(self, doc_id: int, findings: list[dict[str, Any]]) -> None:
        for f in findings:
            cur = self.conn.execute(
                'INSERT INTO findings (document_id, report, rule, severity, zh, en, start, "end", text, evidence)'
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (doc_id, f.get("report"), f["rule"], f["severity"], f.get("zh"), f.get("en"), f.get("start"),
                 f.get("end"), f.get("text"), json.dumps(f.get("evidence") or [], ensure_ascii=False)),
            )
            self._index("findings", cur.lastrowid, f)

    def _index(self, table: str, rowid: int, record: dict[str, Any]) -> None:
        """The row's entry in its full-text index (pipeline/fulltext.py), from record["fts"] when a worker made it."""
        words = record.get("fts") or INDEX_TEXT[table](record)
        self.conn.execute(f"INSERT INTO {FTS_TABLES[table]} (rowid, words) VALUES (?, ?)", (rowid, words))

    def table(self, name: str) -> list[sqlite3.Row]:
        if name not in TABLES:
            raise ValueError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}")
        return self.conn.execute(f"SELECT * FROM {name} ORDER BY id").fetchall()


# A fact sentence's index rowid: first fact id * SENTENCE_RUN + number of facts (< SENTENCE_RUN).
SENTENCE_RUN = 64
# Tables with a full-text index, and the index (facts are indexed by sentence, see schema.sql).
FTS_TABLES = {"reports": "reports_fts", "indicators": "indicators_fts", "facts": "fact_sentences_fts",
              "findings": "findings_fts"}
TABLES = ("documents", "reports", "sections", "mentions", "indicators", "facts", "findings")


def _run_key(fact: dict[str, Any]) -> tuple:
    """What the facts of one row of the sentence index share (see schema.sql)."""
    return fact.get("sentence"), fact.get("org"), fact.get("year")


class _CommitGroup:
    """Counts the documents written since the last commit; says when to commit."""

    def __init__(self, documents: int, seconds: float):
        self.documents, self.seconds = documents, seconds
        self.count, self.started = 0, time.monotonic()

    def written(self) -> bool:
        self.count += 1
        if self.count < self.documents and time.monotonic() - self.started < self.seconds:
            return False
        self.count, self.started = 0, time.monotonic()
        return True


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _text_or_number(value: Any) -> str | None:
    return None if value is None else str(value)


def _extra(record: dict[str, Any], core: Iterable[str]) -> str | None:
    extra = {k: v for k, v in record.items() if k not in core}
    return json.dumps(extra, ensure_ascii=False) if extra else None
