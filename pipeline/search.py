"""Full-text search over the store: facts, indicators, reports and audit findings.

Every word of the query must match (AND); a word matches any text that contains it
(`肃南` finds 武仙公路肃南段), a route in words matches its code (`省道215` ↔ S215),
Simplified matches Traditional (pipeline/fulltext.py). Rows come best first by BM25,
with the number that matched in all:

    hits = search(store, "G569 投资", SearchFilters(year=2023))
    hits.total, hits[0]["sentence"]
"""
from __future__ import annotations

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


def _from(kind: _Kind, match: str | None) -> str:
    fts = (f"JOIN {kind.table}_fts ON {kind.table}_fts.rowid = {kind.table}.id AND {kind.table}_fts MATCH ?"
           if match is not None else "")
    return f"FROM {kind.table} JOIN documents ON documents.id = {kind.table}.document_id {fts} {kind.joins}"


def search(store: Store, query: str, filters: SearchFilters = SearchFilters(), kind: str = "facts") -> Hits:
    """Rows of `kind` (one of KINDS) matching every word of `query` and the filters,
    best first (BM25), `filters.limit` of them from `filters.offset`; an empty query
    matches every row (filters only), in store order. Raises ValueError on an unknown
    kind or fact type."""
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    spec = _KINDS[kind]
    match = match_expression(query)
    where = _where(store, kind, filters)
    head = [match] if match is not None else []
    rank = f"bm25({spec.table}_fts)" if match is not None else "0"
    rows = store.conn.execute(
        f"SELECT {spec.columns}, {rank} AS rank {_from(spec, match)} {where.sql()}"
        f" ORDER BY rank, {spec.table}.id LIMIT ? OFFSET ?",
        head + where.params + [filters.limit, filters.offset]).fetchall()
    if len(rows) < filters.limit and (filters.offset == 0 or rows):
        total = filters.offset + len(rows)
    else:
        total = store.conn.execute(f"SELECT count(*) {_from(spec, match)} {where.sql()}",
                                   head + where.params).fetchone()[0]
    return Hits([dict(row) for row in rows], total)


def facets(store: Store, query: str, filters: SearchFilters = SearchFilters(), kind: str = "facts",
           size: int = 10) -> dict[str, list[tuple[Any, int]]]:
    """For each facet of `kind` (org, year, road, type, category): the `size` commonest
    values among the rows that match, with their counts."""
    spec = _KINDS[kind]
    match = match_expression(query)
    where = _where(store, kind, filters)
    head = [match] if match is not None else []
    out = {}
    for name, column in _facets(store, spec).items():
        rows = store.conn.execute(
            f"SELECT {column} AS value, count(*) AS n {_from(spec, match)} {where.sql()}"
            f"{' AND' if where.clauses else ' WHERE'} {column} IS NOT NULL AND {column} != ''"
            f" GROUP BY {column} ORDER BY n DESC, value LIMIT ?", head + where.params + [size]).fetchall()
        out[name] = [(row["value"], row["n"]) for row in rows]
    return out


def search_findings(store: Store, query: str, filters: SearchFilters = SearchFilters()) -> Hits:
    """Audit findings ranked by BM25 over rule, explanations and cited text (`search` of kind findings)."""
    return search(store, query, filters, "findings")
