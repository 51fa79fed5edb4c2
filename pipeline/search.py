"""Full-text search over the store: facts, indicators, reports and audit findings.

Every word of the query must match (AND); a word matches any text that contains it
(`肃南` finds 武仙公路肃南段), a route in words matches its code (`省道215` ↔ S215),
Simplified matches Traditional (pipeline/fulltext.py). Rows come best first by BM25,
with the number that matched in all:

    hits = search(store, "G569 投资", SearchFilters(year=2023))
    hits.total, hits[0]["sentence"]
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .fulltext import match_expression
from .labels import type_code
from .store import Store, Where, road_code

KINDS = ("facts", "indicators", "reports", "findings")


@dataclass(frozen=True)
class SearchFilters:
    road: str | None = None
    org: str | None = None
    year: int | None = None
    type: str | None = None  # facts: a mention type (MONEY or 金额); findings: a rule or a severity
    category: str | None = None  # the report's category, where the store has one
    limit: int = 20
    offset: int = 0


class Hits(list):
    """The rows of one page of results (a list of dicts), and `total`: how many matched in all."""

    def __init__(self, rows: list[dict[str, Any]], total: int):
        super().__init__(rows)
        self.total = total


@dataclass(frozen=True)
class _Kind:
    table: str
    columns: str
    joins: str  # after `FROM table JOIN documents`
    facets: dict[str, str]  # facet name -> SQL expression


_REPORT_OF = "LEFT JOIN reports ON reports.document_id = {t}.document_id AND reports.report = {t}.report"
_KINDS = {
    "facts": _Kind("facts", "facts.*, documents.doc AS doc, documents.path AS path",
                   _REPORT_OF.format(t="facts"),
                   {"org": "facts.org", "year": "facts.year", "road": "facts.road", "type": "facts.type"}),
    "indicators": _Kind("indicators", "indicators.*, documents.doc AS doc, reports.id AS report_id, reports.org AS org,"
                        " reports.year AS year, reports.title AS title", _REPORT_OF.format(t="indicators"),
                        {"org": "reports.org", "year": "reports.year"}),
    "reports": _Kind("reports", "reports.*, documents.doc AS doc", "",
                     {"org": "reports.org", "year": "reports.year"}),
    "findings": _Kind("findings", "findings.*, documents.doc AS doc, reports.id AS report_id, reports.org AS org,"
                      " reports.year AS year", _REPORT_OF.format(t="findings"),
                      {"org": "reports.org", "year": "reports.year", "type": "findings.severity"}),
}


@lru_cache(maxsize=16)
def _has_category(path: str) -> bool:
    # report `category` comes with a later schema; facet and filter on it where the store has it
    import sqlite3

    with sqlite3.connect(path) as conn:
        return any(row[1] == "category" for row in conn.execute("PRAGMA table_info(reports)"))


def _facets(store: Store, kind: _Kind) -> dict[str, str]:
    if _has_category(store.path):
        return {**kind.facets, "category": "reports.category"}
    return kind.facets


def _where(store: Store, name: str, filters: SearchFilters) -> Where:
    facets = _facets(store, _KINDS[name])
    where = Where()
    if "org" in facets:
        where.like(facets["org"], filters.org)
    if "year" in facets:
        where.add(f"{facets['year']} = ?", filters.year)
    if "road" in facets:
        where.add("facts.road = ?", road_code(filters.road))
    if name == "facts" and filters.type:
        where.add("facts.type = ?", type_code(filters.type))
    if name == "findings":
        where.add("(findings.rule = ? OR findings.severity = ?)", filters.type, repeat=2)
    if "category" in facets:
        where.add("reports.category = ?", filters.category)
    return where


def _from(kind: _Kind, match: str | None, where: Where) -> tuple[str, list[Any]]:
    """FROM … WHERE … and its parameters. With a query, the full-text index is the outer
    loop (CROSS JOIN fixes SQLite's join order): otherwise SQLite may walk a filter's
    index and run the full-text query once per row."""
    t = kind.table
    if match is None:
        return (f"FROM {t} JOIN documents ON documents.id = {t}.document_id {kind.joins} {where.sql()}",
                list(where.params))
    conditions = " AND ".join([f"{t}_fts MATCH ?"] + where.clauses)
    return (f"FROM {t}_fts CROSS JOIN {t} ON {t}.id = {t}_fts.rowid JOIN documents ON documents.id = {t}.document_id"
            f" {kind.joins} WHERE {conditions}", [match] + where.params)


def search(store: Store, query: str, filters: SearchFilters = SearchFilters(), kind: str = "facts") -> Hits:
    """Rows of `kind` (one of KINDS) matching every word of `query` and the filters,
    best first (BM25), `filters.limit` of them from `filters.offset`; an empty query
    matches every row (filters only), in store order. Raises ValueError on an unknown
    kind or fact type."""
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    spec = _KINDS[kind]
    match = match_expression(query)
    source, params = _from(spec, match, _where(store, kind, filters))
    rank = f"{spec.table}_fts.rank" if match is not None else "0"
    rows = store.conn.execute(
        f"SELECT {spec.columns}, {rank} AS rank {source} ORDER BY rank, {spec.table}.id LIMIT ? OFFSET ?",
        params + [filters.limit, filters.offset]).fetchall()
    if len(rows) < filters.limit and (filters.offset == 0 or rows):
        total = filters.offset + len(rows)
    else:
        total = store.conn.execute(f"SELECT count(*) {source}", params).fetchone()[0]
    return Hits([dict(row) for row in rows], total)


def facets(store: Store, query: str, filters: SearchFilters = SearchFilters(), kind: str = "facts",
           size: int = 10) -> dict[str, list[tuple[Any, int]]]:
    """For each facet of `kind` (org, year, road, type, category): the `size` commonest
    values among the rows that match, with their counts (one pass over the matches)."""
    spec = _KINDS[kind]
    names = _facets(store, spec)
    source, params = _from(spec, match_expression(query), _where(store, kind, filters))
    counts: dict[str, Counter] = {name: Counter() for name in names}
    columns = ", ".join(names.values())
    for row in store.conn.execute(f"SELECT {columns} {source}", params):
        for name, value in zip(names, row):
            if value is not None and value != "":
                counts[name][value] += 1
    return {name: sorted(c.items(), key=lambda item: (-item[1], str(item[0])))[:size] for name, c in counts.items()}


def search_findings(store: Store, query: str, filters: SearchFilters = SearchFilters()) -> Hits:
    """Audit findings ranked by BM25 over rule, explanations and cited text (`search` of kind findings)."""
    return search(store, query, filters, "findings")
