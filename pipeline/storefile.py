"""Opening the store's file: is it jixiao's, at which schema version, and what
went wrong when SQLite refuses (read-only, full, locked), each as one line.

A store is marked as jixiao's by SQLite's `application_id` and carries its schema
version in `user_version`. Opening:
- a missing or empty file becomes a new store;
- a file that is not SQLite, or an SQLite database of another application, is
  refused before anything is written (no table, no WAL switch);
- a jixiao store of an older version (or one written before versions, which has
  jixiao's `documents` table) is brought up to date in one transaction: tables and
  indexes the schema has and the store lacks are created, columns it lacks are
  added (pipeline/sql/schema.sql is the one description of the schema, so adding a
  column there is the whole migration), then the SQL of MIGRATIONS for each newer
  version runs; a store of a newer version than this jixiao's is refused.

A change that adding tables and columns cannot make (a new tokenizer for an FTS
table, a value computed for old rows) is an entry of MIGRATIONS: the version it
brings the store to, and its SQL. SCHEMA_VERSION is the highest of them.
"""
from __future__ import annotations

import fcntl
import sqlite3
import sys
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

from . import errors
from .errors import JixiaoError

# "jxao" as a big-endian 32-bit number: SQLite's application_id of a jixiao store.
APPLICATION_ID = 0x6A78616F
MIGRATIONS: dict[int, str] = {
    1: "",  # the first numbered version: the schema of pipeline/sql/schema.sql, marked with its id
}
SCHEMA_VERSION = max(MIGRATIONS)
SQLITE_HEADER = b"SQLite format 3\x00"
# A second writer waits this long for the first to finish before it gives up.
WRITER_WAIT = 600.0
# How long one SQLite statement waits for a lock another connection holds (a reader's checkpoint).
BUSY_SECONDS = 30.0
_LEGACY_MARK = {"path", "doc", "sha256", "source"}  # jixiao's documents table before versions


class StoreError(JixiaoError):
    """The store's file cannot be used: named, with the reason, in one line."""

    def __init__(self, path: str, problem: str):
        self.path, self.problem = path, problem
        super().__init__(f"{errors.shown(path)}: {problem}")


def schema_sql() -> str:
    return resources.files("pipeline").joinpath("sql/schema.sql").read_text(encoding="utf-8")


def _statements(script: str) -> list[str]:
    """The statements of an SQL script, whole (triggers with their bodies)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    return statements


def translate(path: str, exc: sqlite3.Error) -> StoreError:
    """An SQLite error as the one-line problem a user can act on."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    problem = {
        sqlite3.SQLITE_READONLY: errors.STORE_READ_ONLY,
        sqlite3.SQLITE_FULL: errors.STORE_FULL,
        sqlite3.SQLITE_BUSY: errors.STORE_BUSY,
        sqlite3.SQLITE_LOCKED: errors.STORE_BUSY,
        sqlite3.SQLITE_NOTADB: errors.NOT_SQLITE,
        sqlite3.SQLITE_CORRUPT: errors.STORE_CORRUPT,
        sqlite3.SQLITE_CANTOPEN: errors.STORE_CANT_OPEN,
    }.get(code)
    if problem is None:
        problem = errors.STORE_FAILED
    return StoreError(path, problem.format(reason=str(exc)))


@contextmanager
def store_errors(path: str) -> Iterator[None]:
    """SQLite's errors inside the block raised as StoreError naming the store."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(path, exc) from exc


def open_store(path: str) -> sqlite3.Connection:
    """A connection to the jixiao store at `path`, its schema current; StoreError if
    the file is not one, cannot be brought up to date, or cannot be written."""
    with store_errors(path):
        fresh = _check_file(path)
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            _bring_up_to_date(conn, path, fresh)
            conn.isolation_level = ""  # back to Python's default: a transaction opened before each write
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL still keeps every transaction whole; it only skips an fsync per commit.
            conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            conn.close()
            raise
    return conn


def _check_file(path: str) -> bool:
    """True for a store still to be made (no file, or an empty one); StoreError for a
    file that is not SQLite. Only the header is read."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    except IsADirectoryError as exc:
        raise StoreError(path, errors.STORE_CANT_OPEN.format(reason="it is a folder")) from exc
    except OSError as exc:
        raise StoreError(path, errors.STORE_CANT_OPEN.format(reason=exc.strerror or exc)) from exc
    if not header:
        return True
    if header != SQLITE_HEADER:
        raise StoreError(path, errors.NOT_SQLITE)
    return False


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%'")]
    return {name: {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')} for name in names}


def _bring_up_to_date(conn: sqlite3.Connection, path: str, fresh: bool) -> None:
    application, version = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version"))
    tables = _tables(conn)
    if application == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise StoreError(path, errors.STORE_NEWER.format(version=version, known=SCHEMA_VERSION))
    elif application != 0 or (tables and not _LEGACY_MARK <= tables.get("documents", set())):
        foreign = ", ".join(sorted(tables)[:5]) or "none"
        raise StoreError(path, errors.NOT_JIXIAO.format(tables=foreign))
    else:
        version = 0  # empty, or written by jixiao before stores carried a version
    wanted, wanted_objects = _wanted()
    missing = {t: cols - tables[t] for t, cols in wanted.items() if t in tables and cols - tables[t]}
    if version == SCHEMA_VERSION and not missing and wanted_objects <= _objects(conn):
        return
    _migrate(conn, path, version, tables, missing, fresh)


def _objects(conn: sqlite3.Connection) -> set[str]:
    """The names of the tables, indexes, triggers and views."""
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}


def _wanted() -> tuple[dict[str, set[str]], set[str]]:
    """The schema's tables with their columns, and the names of all its objects."""
    memory = sqlite3.connect(":memory:")
    try:
        memory.executescript(schema_sql())
        return _tables(memory), _objects(memory)
    finally:
        memory.close()


def _migrate(conn: sqlite3.Connection, path: str, version: int, tables: dict[str, set[str]],
             missing: dict[str, set[str]], fresh: bool) -> None:
    """In one transaction: add the columns, tables and indexes the schema has and the
    store lacks, run the MIGRATIONS newer than `version`, mark the store. Nothing is
    left changed if any step fails."""
    memory = sqlite3.connect(":memory:")
    memory.executescript(schema_sql())
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, columns in missing.items():
            for column in memory.execute(f'PRAGMA table_info("{table}")').fetchall():
                _cid, name, kind, not_null, default, _pk = column
                if name not in columns:
                    continue
                if not_null and default is None:
                    raise StoreError(path, errors.STORE_CANNOT_MIGRATE.format(
                        version=version, reason=f"new column {table}.{name} is NOT NULL without a default"))
                clause = f' DEFAULT {default}' if default is not None else ""
                conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {kind}{" NOT NULL" if not_null else ""}{clause}')
        for statement in _statements(schema_sql()):
            conn.execute(statement)
        for step in sorted(v for v in MIGRATIONS if v > version):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
        if missing and "documents" in tables:
            # rows stored before the new columns existed: the next ingest extracts those files again
            conn.execute("UPDATE documents SET sha256 = ''")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException as exc:
        conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) and not fresh and (exc.sqlite_errorcode & 0xFF) not in (
                sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise StoreError(path, errors.STORE_CANNOT_MIGRATE.format(version=version, reason=str(exc))) from exc
        raise
    finally:
        memory.close()


@contextmanager
def writer_lock(path: str, on_wait: Callable[[str], None] | None = None, wait: float | None = None) -> Iterator[None]:
    """Hold the store for one writer for the whole block: an flock on the store's file,
    which SQLite's own (POSIX) locks neither see nor release. A second writer says it
    waits, then waits up to `wait` seconds (WRITER_WAIT) for the first to finish, and
    gives up with StoreError."""
    wait = WRITER_WAIT if wait is None else wait
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise StoreError(path, errors.STORE_CANT_OPEN.format(reason=exc.strerror or exc)) from exc
    with handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(path, errors.STORE_WRITER_BUSY.format(seconds=wait)) from None
                if not told:
                    (on_wait or _tell)(errors.STORE_WAITING.format(path=errors.shown(path), seconds=wait))
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

