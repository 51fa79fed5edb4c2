"""The store: each document written whole, replace on change, search that never breaks."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline.extract import analyse
from pipeline.knowledge import KnowledgeBase
from pipeline.link import link
from pipeline.search import SearchFilters, search
import hashlib

from pipeline.store import Store, StoredDocument
from pipeline.summary import SummaryRequest, render_html, render_markdown, summarise

TEXT = (
    "某市交通运输局2024年度农村公路养护工程经费项目支出绩效自评报告\n"
    "G569 武仙公路肃南段完成投资 12.53 亿元。\n"
    "全面完成 280 公里自然村（组）通硬化路、3 座危桥改造。\n"
    "当年预算资金 30 万元，到位 30 万元，资金到位率 100%。\n"
    "2024年预算 30 万元。\n"
)
REPORT = {"kind": "report", "doc": "a.txt", "report": 0, "start": 0, "end": len(TEXT), "title": "t",
          "org": "某市交通运输局", "year": 2024, "project": "农村公路养护工程经费", "budget": 300000,
          "received": 300000, "spent": None, "execution_rate": None, "self_score": None, "signed": None,
          "sections": []}


def _document(text: str = TEXT, path: str = "/data/a.txt") -> StoredDocument:
    analysis = analyse(text)
    facts = link(analysis, "a.txt", [SimpleNamespace(**REPORT)])
    records = [m.record("a.txt") for m in analysis.source_mentions()] + [REPORT] + [f.record() for f in facts]
    return StoredDocument(path, "a.txt", hashlib.sha256(text.encode()).hexdigest(), "utf-8", text, records)


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "kb.db") as s:
        s.put(_document())
        yield s


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_put_twice_does_not_duplicate(store):
    facts, mentions = count(store, "facts"), count(store, "mentions")
    store.put(_document())
    assert (count(store, "facts"), count(store, "mentions"), count(store, "documents")) == (facts, mentions, 1)
    assert store.conn.execute("SELECT sum(rowid % 64) FROM fact_sentences_fts").fetchone()[0] == facts


def _committed_documents(path) -> int:
    """Documents another connection sees: what has been committed."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


def test_commit_every_commits_in_groups_and_at_the_end(tmp_path):
    db = tmp_path / "kb.db"
    with Store(db) as s:
        with s.commit_every(documents=3, seconds=3600):
            for k in range(4):
                s.put(_document(path=f"/data/{k}.txt"))
                assert _committed_documents(db) == (3 if k >= 2 else 0)
        assert _committed_documents(db) == 4


def test_commit_every_commits_after_its_seconds(tmp_path):
    db = tmp_path / "kb.db"
    with Store(db) as s, s.commit_every(documents=1000, seconds=0):
        s.put(_document(path="/data/0.txt"))
        assert _committed_documents(db) == 1


def test_a_document_that_fails_to_write_leaves_no_rows_and_the_others_stay(tmp_path, monkeypatch):
    db = tmp_path / "kb.db"
    with Store(db) as s:
        with pytest.raises(RuntimeError):
            with s.commit_every(documents=100):
                s.put(_document(path="/data/0.txt"))

                def broken(*_args):
                    raise RuntimeError("disk on fire")

                monkeypatch.setattr(s, "_put_facts", broken)
                s.put(_document(path="/data/1.txt"))  # documents and mentions written, then the failure
        assert _committed_documents(db) == 1
        assert {r[0] for r in s.conn.execute("SELECT DISTINCT document_id FROM mentions")} == {
            s.conn.execute("SELECT id FROM documents").fetchone()[0]}


def test_changed_document_replaces_its_rows(store):
    store.put(_document(TEXT.replace("12.53 亿元", "13 亿元")))
    values = [r["value"] for r in store.conn.execute("SELECT value FROM facts WHERE road = 'G569'")]
    assert values == [1.3e9]


def test_is_current_by_content(store):
    assert store.is_current("/data/a.txt", hashlib.sha256(TEXT.encode()).hexdigest())
    assert not store.is_current("/data/a.txt", hashlib.sha256(b"other").hexdigest())


@pytest.mark.parametrize("query,subject", [("G569", "G569武仙公路肃南段"), ("武仙公路", "G569武仙公路肃南段"),
                                           ("危桥", "危桥改造"), ("通硬化路", "自然村(组)通硬化路")])
def test_search_finds_chinese_words(store, query, subject):
    results = search(store, query)
    assert results and results[0]["subject"] == subject


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "*", "'; DROP TABLE facts; --", "G569 OR", "^"])
def test_search_treats_query_as_text(store, query):
    search(store, query)  # must not raise
    assert count(store, "facts") > 0


def test_search_filters(store):
    assert all(r["road"] == "G569" for r in search(store, "", SearchFilters(road="g569")))
    assert search(store, "完成", SearchFilters(year=2023)) == []
    assert {r["type"] for r in search(store, "", SearchFilters(type="LENGTH"))} == {"LENGTH"}


def test_summary_counts_a_restated_figure_once(store):
    sections = summarise(store, SummaryRequest(project="农村公路养护工程经费"))
    text = render_markdown("x", sections)
    budget_lines = [line for line in text.splitlines() if line.startswith("- **预算 30 万元")]
    assert len(budget_lines) == 1
    assert "<h2>" in render_html("x", sections)


def test_summary_of_a_road_shows_its_sentence(store):
    text = render_markdown("G569", summarise(store, SummaryRequest(road="G569")))
    assert "12.53 亿元" in text and "G569武仙公路肃南段完成投资12.53亿元" in text


def test_knowledge_base_frames_and_export(store, tmp_path):
    kb = KnowledgeBase(store.path)
    assert len(kb.facts()) == count(store, "facts") and "subject" in kb.facts().columns
    assert len(kb.reports()) == 1 and len(kb.mentions()) == count(store, "mentions")
    written = kb.export(tmp_path / "csv", "csv")
    assert {p.name for p in written} >= {"facts.csv", "mentions.csv"}
    kb.close()
