"""The store knows its own (issue 16): --db on another application's database or
on a file that is not SQLite is refused in one line and the file is left as it
was; an older jixiao store is brought up to date in one transaction or left
unchanged; read-only, full and busy stores are one line each."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from test_hostile import run

from pipeline import storefile
from pipeline.ingest import ingest
from pipeline.store import Store
from pipeline.storefile import APPLICATION_ID, SCHEMA_VERSION, StoreError, writer_lock

SENTENCE = "2023年东岭县交通运输局G569武仙公路养护工程完成投资3.5亿元。"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "in" / "report.txt"
    path.parent.mkdir()
    path.write_text(SENTENCE, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["search", "x"], ["ingest", "IN"], ["summary", "--list"],
                                     ["export", "--format", "csv", "-o", "OUT"], ["audit"]])
def test_another_applications_database_is_refused_and_left_unchanged(tmp_path, report, command):
    folder = tmp_path / "db"
    folder.mkdir()
    other = folder / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table users(x)")
    before = snapshot(folder)
    argv = [str(report) if a == "IN" else str(tmp_path / "out") if a == "OUT" else a for a in command]
    code, out, err = run(*argv, "--db", other)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {other}: an SQLite database of another application (tables: users), "
                                "not a jixiao store; left unchanged; give --db a new file name"]
    assert snapshot(folder) == before  # no tables added, no WAL switch, no -wal or -shm file


def test_a_file_that_is_not_sqlite_is_refused_and_left_unchanged(tmp_path, report):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    code, _out, err = run("ingest", report, "--db", notes)
    assert code == 1
    assert err.splitlines() == [f"error: {notes}: not an SQLite file, so not a jixiao store; give --db a new file name"]
    assert notes.read_text(encoding="utf-8") == "not a database\n" * 100


def test_a_new_store_is_marked_as_jixiaos(tmp_path, report):
    assert run("ingest", report, "--db", tmp_path / "kb.db", "--workers", "1")[0] == 0
    with sqlite3.connect(tmp_path / "kb.db") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert run("ingest", report, "--db", tmp_path / "kb.db", "--workers", "1")[2].splitlines()[-1].startswith(
        "1 documents, 0 failed (0 stored, 1 unchanged)")


def _legacy_store(path: Path, report: Path) -> Path:
    """A store as jixiao wrote it before versions, lacking what was added since: no
    findings tables, no facts.sentence column (and so no version or application id)."""
    with Store(path) as store:
        ingest([report], store)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 0")
        conn.execute("PRAGMA user_version = 0")
        conn.execute("DROP TABLE findings")
        conn.execute("DROP TABLE findings_fts")
        conn.execute("ALTER TABLE facts DROP COLUMN sentence")
    return path


def test_an_older_jixiao_store_is_brought_up_to_date(tmp_path, report):
    db = _legacy_store(tmp_path / "old.db", report)
    code, _out, err = run("ingest", report, "--db", db, "--workers", "1")
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "sentence" in {row[1] for row in conn.execute("PRAGMA table_info(facts)")}
        assert conn.execute("SELECT count(*) FROM findings").fetchone()[0] >= 0
        # the document was extracted again, so that its facts have their sentences
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM facts WHERE sentence IS NULL").fetchone()[0] == 0
    assert "(1 stored, 0 unchanged)" in err.splitlines()[-1]


def test_a_failed_migration_leaves_the_store_as_it_was(tmp_path, report, monkeypatch):
    db = tmp_path / "kb.db"
    Store(db).close()
    monkeypatch.setattr(storefile, "MIGRATIONS", {**storefile.MIGRATIONS, SCHEMA_VERSION + 1:
                        "ALTER TABLE documents ADD COLUMN note TEXT;\nSELECT * FROM no_such_table;"})
    monkeypatch.setattr(storefile, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    code, _out, err = run("search", "x", "--db", db)
    assert code == 1
    assert err.splitlines() == [f"error: {db}: cannot bring this jixiao store (schema version {SCHEMA_VERSION}) up to "
                                "date, left unchanged: no such table: no_such_table"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "note" not in {row[1] for row in conn.execute("PRAGMA table_info(documents)")}


def test_a_column_added_to_the_schema_is_added_to_existing_stores(tmp_path, report, monkeypatch):
    db = tmp_path / "kb.db"
    with Store(db) as store:
        ingest([report], store)
    schema = storefile.schema_sql()
    grown = schema.replace("org TEXT, year INTEGER, sentence TEXT,",
                           "org TEXT, year INTEGER, sentence TEXT, test_note TEXT DEFAULT 'stated',", 1)
    grown += ("\nCREATE INDEX IF NOT EXISTS facts_test_note ON facts(test_note);"
              "\nCREATE TABLE IF NOT EXISTS test_extras (id INTEGER PRIMARY KEY, name TEXT);\n")
    assert grown.count("test_note") == 3
    monkeypatch.setattr(storefile, "schema_sql", lambda: grown)
    with Store(db) as store:
        assert {row[1] for row in store.conn.execute("PRAGMA table_info(facts)")} >= {"test_note"}
        assert store.conn.execute("SELECT DISTINCT test_note FROM facts").fetchall()[0][0] == "stated"
        assert store.conn.execute("SELECT name FROM sqlite_master WHERE name = 'facts_test_note'").fetchone()
        assert store.conn.execute("SELECT count(*) FROM test_extras").fetchone()[0] == 0


def test_an_index_added_to_the_schema_is_made_in_existing_stores(tmp_path, monkeypatch):
    db = tmp_path / "kb.db"
    Store(db).close()
    grown = storefile.schema_sql() + "\nCREATE INDEX IF NOT EXISTS facts_unit ON facts(unit);\n"
    monkeypatch.setattr(storefile, "schema_sql", lambda: grown)
    with Store(db) as store:
        assert store.conn.execute("SELECT name FROM sqlite_master WHERE name = 'facts_unit'").fetchone()


def test_a_store_of_a_newer_jixiao_is_refused(tmp_path):
    db = tmp_path / "kb.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    code, _out, err = run("search", "x", "--db", db)
    assert code == 1 and err.splitlines() == [
        f"error: {db}: a store of schema version {SCHEMA_VERSION + 5}, newer than this jixiao reads "
        f"({SCHEMA_VERSION}); upgrade jixiao"]


def _fails_in_one_line(report, db, problem: str) -> None:
    """`ingest` into `db` stops with status 1 and one line naming the store and `problem`."""
    code, _out, err = run("ingest", report, "--db", db, "--workers", "1")
    assert code == 1
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {db}: {problem}")


def test_a_read_only_store_is_one_line(tmp_path, report, monkeypatch):
    db = tmp_path / "kb.db"
    Store(db).close()
    connect = sqlite3.connect
    # as root, file modes do not stop a write: open the file as SQLite does for a read-only one
    monkeypatch.setattr(storefile.sqlite3, "connect", lambda path, **kw: connect(
        path if path == ":memory:" else f"{Path(path).as_uri()}?mode=ro", uri=path != ":memory:", **kw))
    _fails_in_one_line(report, db, "the store cannot be written (read-only file or folder): ")


def test_a_full_disk_is_one_line(tmp_path, report, monkeypatch):
    db = tmp_path / "kb.db"
    Store(db).close()
    open_store = storefile.open_store

    def small(path):
        conn = open_store(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # not one page more: as a full disk
        return conn

    monkeypatch.setattr("pipeline.store.open_store", small)
    report.write_text(SENTENCE * 500, encoding="utf-8")  # more than the free room of the pages there are
    _fails_in_one_line(report, db, "the disk (or the store's size limit) is full;")


def test_a_second_writer_waits_with_a_message_then_gives_up(tmp_path, report, monkeypatch):
    db = tmp_path / "kb.db"
    Store(db).close()
    monkeypatch.setattr(storefile, "WRITER_WAIT", 0.5)
    with writer_lock(str(db)):
        code, _out, err = run("ingest", report, "--db", db, "--workers", "1")
    assert code == 1
    assert err.splitlines() == [
        f"{db}: another jixiao is writing to this store; waiting for it to finish (up to 0.5 s)…",
        f"error: {db}: another jixiao is writing to this store and has not finished in 0.5 s; try again later"]


def test_a_second_writer_goes_on_when_the_first_finishes(tmp_path, report):
    db = tmp_path / "kb.db"
    Store(db).close()
    holding, release = threading.Event(), threading.Event()

    def first():
        with writer_lock(str(db)):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(10)
    threading.Timer(0.5, release.set).start()
    code, _out, err = run("ingest", report, "--db", db, "--workers", "1")
    thread.join()
    assert code == 0
    assert "another jixiao is writing to this store; waiting" in err.splitlines()[0]
    assert "(1 stored, 0 unchanged)" in err.splitlines()[-1]


def test_store_errors_name_the_store():
    with pytest.raises(StoreError, match="^kb.db: the store is locked by another process: database is locked$"):
        with storefile.store_errors("kb.db"):
            error = sqlite3.OperationalError("database is locked")
            error.sqlite_errorcode = sqlite3.SQLITE_BUSY
            raise error
