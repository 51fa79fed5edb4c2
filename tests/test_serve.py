"""jixiao serve's pages, through Datasette's own client: what each page shows, escaped."""
from __future__ import annotations

import asyncio
import html
import re
import sqlite3

import pytest

from pipeline.serve import app
from pipeline.serve.highlight import Span, marked, non_overlapping
from pipeline.serve.timeline import timeline
from webstore import SCRIPT, build


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def get(db):
    datasette = app(db)

    def fetch(path: str, status: int = 200) -> str:
        response = asyncio.run(datasette.client.get(path))
        assert response.status_code == status, (path, response.text[:500])
        return response.text

    return fetch


def _one(db, sql, *args):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchone()


def test_search_page_marks_the_figure_and_links_to_its_offsets(get, db):
    page = get("/?q=危桥")
    fact_id, doc_id, start, end = _one(db, "SELECT facts.id, document_id, mention_start, mention_end FROM facts"
                                           " JOIN documents ON documents.id = document_id WHERE doc = 'bridges.txt'"
                                           " AND sentence LIKE '%改造危桥5座%' AND unit = '座'")
    assert f'href="/doc/{doc_id}#{start}-{end}"' in page
    assert re.search(rf'<mark class="entity" id="{start}-{end}"[^>]*>5座', page)
    assert re.search(r'id="total">\d+<', page)


def test_search_facets_and_filters(get):
    page = get("/?q=投资")
    assert "12.53 亿元" in page and "800 万元" in page
    assert "单位" in page and "?q=%E6%8A%95%E8%B5%84&amp;org=%E6%9F%90%E5%8E%BF" in page  # org=某县…
    filtered = get("/?q=投资&org=某县交通运输局")
    assert "800 万元" in filtered and "12.53 亿元" not in filtered


@pytest.mark.parametrize("kind, expected", [("indicators", "县乡道提档升级改造里程"), ("reports", "危桥改造项目"),
                                            ("findings", "missed-full-score")])
def test_other_kinds_searchable(get, kind, expected):
    query = {"indicators": "提档", "reports": "危桥", "findings": "里程"}[kind]
    assert expected in get(f"/?q={query}&kind={kind}")


def test_document_view_marks_every_mention_and_escapes_the_text(get, db):
    doc_id, = _one(db, "SELECT id FROM documents WHERE doc = 'hostile.txt'")
    page = get(f"/doc/{doc_id}")
    assert SCRIPT not in page and "<img src=x" not in page
    assert html.escape(SCRIPT, quote=False) in page.replace("&#39;", "'")
    mentions, = _one(db, "SELECT count(*) FROM mentions WHERE document_id = ?", doc_id)
    assert mentions and page.count('<mark class="entity" id=') >= 1


def test_road_page_has_timeline_table_chart_and_sentences(get):
    page = get("/road/g569")
    assert "<svg" in page and '<table class="timeline">' in page and "<td>2023</td>" in page
    assert "12.53 亿元" in page and "3.2 亿元" in page
    get("/road/Z9999", status=404)


def test_project_page(get):
    assert "<svg" in get("/project?name=武仙公路")
    get("/project?name=没有这个项目", status=404)


def test_report_page_marks_missed_targets_and_findings(get, db):
    report_id, = _one(db, "SELECT reports.id FROM reports JOIN documents ON documents.id = document_id"
                          " WHERE doc = 'table.txt'")
    page = get(f"/report/{report_id}")
    assert re.search(r'<tr class="missed">.*?县乡道提档升级改造里程', page, re.S)
    assert "未达成" in page and "missed-full-score" in page
    assert '<mark class="entity"' in page and 'data-type="EVIDENCE"' in page
    get("/report/999999", status=404)


def test_datasette_table_views_kept(get):
    assert "G569" in get("/kb/facts?road=G569")


def test_non_overlapping_prefers_quantities_then_longer():
    spans = [Span(0, 10, "ORG"), Span(5, 8, "MONEY"), Span(12, 14, "DATE"), Span(12, 16, "PROJECT")]
    assert [(s.start, s.type) for s in non_overlapping(spans)] == [(5, "MONEY"), (12, "PROJECT")]


def test_marked_escapes_everything():
    out = str(marked("<b>x</b> 3座", [Span(9, 11, "COUNT", '"><script>')]))
    assert "<b>" not in out and "&lt;b&gt;" in out and "&#34;&gt;&lt;script&gt;" in out.replace("&quot;", "&#34;")


def test_timeline_reads_basis_and_scope_when_present():
    facts = [
        {"document_id": 1, "report": 0, "predicate": "完成投资", "value": 1e8, "unit": "元", "type": "MONEY",
         "year": 2023},
        {"document_id": 1, "report": 0, "predicate": "完成投资", "value": 1e8, "unit": "元", "type": "MONEY",
         "year": 2023},  # restated in the same report: counted once
        {"document_id": 2, "report": 0, "predicate": "计划投资", "value": 3e8, "unit": "元", "type": "MONEY",
         "year": 2023, "basis": "plan", "scope": "period"},
        {"document_id": 2, "report": 0, "predicate": "累计完成投资", "value": 5e8, "unit": "元", "type": "MONEY",
         "year": 2023, "basis": "actual", "scope": "cumulative"},
        {"document_id": 2, "report": 0, "predicate": "增长", "value": 30, "unit": "%", "type": "PERCENT",
         "year": 2023, "scope": "change"},
    ]
    [row] = timeline(facts)
    assert (row.year, row.actual, row.plan, row.cumulative, row.facts) == (2023, 1e8, 3e8, 5e8, 3)


def test_report_category_facet_and_filter(get, db):
    with sqlite3.connect(db) as conn:
        categories = {c for (c,) in conn.execute("SELECT DISTINCT category FROM reports WHERE category IS NOT NULL")}
    assert categories
    page = get("/?q=投资")
    assert "报告类别" in page and any(f">{c}</a>" in page for c in categories)
    category = sorted(categories)[0]
    filtered = get(f"/?q=投资&category={category}")
    total = int(re.search(r'id="total">(\d+)<', filtered).group(1))
    from pipeline.search import SearchFilters, search
    from pipeline.store import Store

    with Store(db) as store:
        every = search(store, "投资", SearchFilters(limit=1000))
        of_category = {(r, d) for r, d in store.conn.execute("SELECT report, document_id FROM reports WHERE category = ?",
                                                              (category,))}
    assert 0 < total == sum(1 for f in every if (f["report"], f["document_id"]) in of_category)
