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

from .fulltext import match_expression, own_hits, tag
from .labels import type_code
from .store import FTS_TABLES, SENTENCE_RUN as RUN, Store, Where, road_code

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
    index = FTS_TABLES[t]
    conditions = " AND ".join([f"{index} MATCH ?"] + where.clauses)
    return (f"FROM {index} CROSS JOIN {t} ON {_rows_of(t, index)} JOIN documents ON documents.id = {t}.document_id"
            f" {kind.joins} WHERE {conditions}", [match] + where.params)


def _bm25(index: str) -> str:
    # the fact index's org and tags columns filter; only its words rank
    return f"bm25({index}, 1.0, 0.0, 0.0)" if index == FTS_TABLES["facts"] else f"bm25({index})"


def _rows_of(table: str, index: str, rowid: str = "rowid") -> str:
    """The join of an index row to its table's rows: a fact run's ids (rowid = first id *
    RUN + count, see pipeline/store.py), else the row of the same id."""
    if table == "facts":
        return (f"facts.id >= {index}.{rowid} / {RUN} AND facts.id < {index}.{rowid} / {RUN} + {index}.{rowid} % {RUN}")
    return f"{table}.id = {index}.{rowid}"


def search(store: Store, query: str, filters: SearchFilters = SearchFilters(), kind: str = "facts") -> Hits:
    """Rows of `kind` (one of KINDS) matching every word of `query` and the filters,
    best first (BM25; the facts of one sentence in text order), `filters.limit` of them
    from `filters.offset`; an empty query matches every row (filters only), in store
    order. Raises ValueError on an unknown kind or fact type."""
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    spec = _KINDS[kind]
    match = _match(query, filters, kind)
    where = _where(store, kind, filters)
    if match is not None and (not where.clauses or _filters_in_index(kind, filters)):
        return _ranked(store, spec, query, match, filters)
    if match is not None and kind == "facts" and not filters.category and not (filters.type and filters.road):
        return _ranked(store, spec, query, match, filters, _counted_tag(filters))
    source, params = _from(spec, match, where)
    rank = _bm25(FTS_TABLES[spec.table]) if match is not None else "0"
    rows = [dict(row) for row in store.conn.execute(
        f"SELECT {spec.columns}, {rank} AS rank {source} ORDER BY rank, {spec.table}.id LIMIT ? OFFSET ?",
        params + [filters.limit, filters.offset])]
    if kind == "facts" and match is not None:
        rows = _own_first(rows, query)
    if len(rows) < filters.limit and (filters.offset == 0 or rows):
        total = filters.offset + len(rows)
    else:
        total = store.conn.execute(f"SELECT count(*) {source}", params).fetchone()[0]
    return Hits(rows, total)


def _counted_tag(filters: SearchFilters) -> tuple[str, str]:
    """The fact column and tag (without its count) of a type or route filter."""
    if filters.type:
        return "type", tag("t", type_code(filters.type))
    return "road", tag("r", road_code(filters.road))


def _filters_in_index(kind: str, filters: SearchFilters) -> bool:
    """Whether the match expression holds every filter given exactly (facts: the year and
    organisation of every fact of an index row), so no row needs checking after it."""
    return kind == "facts" and not (filters.category or filters.type or filters.road)


def _own_first(rows: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """Facts of one sentence share its rank: those whose own subject, predicate or route
    hold more of the query come first among them."""
    return sorted(rows, key=lambda r: (r["rank"], -own_hits(query, r["subject"], r["predicate"], r["road"]), r["id"]))


def _match(query: str, filters: SearchFilters, kind: str) -> str | None:
    """The query's MATCH expression; for facts, with the filters as conditions on the
    index's `tags` (year, types, routes) and `org` columns (see schema.sql)."""
    match = match_expression(query)
    if match is None or kind != "facts":
        return match
    tags = [tag("y", filters.year)] if filters.year is not None else []
    tags += [tag(field, value, 1) for field, value in (("r", road_code(filters.road)),
                                                       ("t", type_code(filters.type) if filters.type else None))
             if value not in (None, "")]
    terms = [f"({match})"] + [f'tags : "{t}"' for t in tags]
    org = match_expression(filters.org or "")
    if org is not None:
        terms.append(f"org : ({org})")
    return " AND ".join(terms) if len(terms) > 1 else match


def _ranked(store: Store, spec: _Kind, query: str, match: str, filters: SearchFilters,
            counted: tuple[str, str] | None = None) -> Hits:
    """Rows whose index rows rank best, ranked inside the index alone (no row of the table
    is read but those shown). Each index row stands for one row, or for a run of facts
    (at least one, and with `counted` (column, tag) at least one fact with that value),
    so offset + limit index rows are enough."""
    index = FTS_TABLES[spec.table]
    wanted = filters.offset + filters.limit
    check = ""
    if counted is not None:
        column, token = counted
        total = _tag_count(store, match, column, token)
        check = f"WHERE facts.{column} = ?"
        skip = 0
    elif spec.table == "facts":
        total = store.conn.execute(f"SELECT sum(rowid % {RUN}) FROM {index} WHERE {index} MATCH ?",
                                   (match,)).fetchone()[0] or 0
        skip = 0
    else:
        total = store.conn.execute(f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", (match,)).fetchone()[0]
        skip, wanted = filters.offset, filters.limit
    rows = [dict(row) for row in store.conn.execute(
        f"SELECT {spec.columns}, best.rank AS rank FROM (SELECT rowid AS r, {_bm25(index)} AS rank FROM {index}"
        f" WHERE {index} MATCH ? ORDER BY rank, rowid LIMIT ? OFFSET ?) AS best"
        f" CROSS JOIN {spec.table} ON {_rows_of(spec.table, 'best', 'r')}"
        f" JOIN documents ON documents.id = {spec.table}.document_id {spec.joins} {check}"
        f" ORDER BY best.rank, best.r, {spec.table}.id",
        (match, wanted, skip) + ((_filter_value(filters, counted[0]),) if counted else ()))]
    if spec.table == "facts":
        rows = _own_first(rows, query)[filters.offset:filters.offset + filters.limit]
    return Hits(rows, total)


def _filter_value(filters: SearchFilters, column: str) -> str | None:
    return type_code(filters.type) if column == "type" else road_code(filters.road)


def _tag_count(store: Store, match: str, column: str, token: str) -> int:
    """Facts with the value among the rows that match: Σ over i of the rows whose tags
    hold `token`xi (pipeline/fulltext.py fact_tags); `match` already requires x1."""
    index = FTS_TABLES["facts"]
    total = 0
    for i in range(1, RUN):
        found = store.conn.execute(f'SELECT count(*) FROM {index} WHERE {index} MATCH ? || \' AND tags : "{token}x{i}"\'',
                                   (match,)).fetchone()[0]
        if not found:
            break
        total += found
    return total


class Facets(dict):
    """Facet name -> [(value, count)], and `counted`: how many matching rows were counted
    (the best FACET_ROWS index rows' worth where more matched)."""

    def __init__(self, values: dict[str, list[tuple[Any, int]]], counted: int):
        super().__init__(values)
        self.counted = counted


# Facets count the rows of at most this many of the best-ranked index rows (sentences, for facts).
FACET_ROWS = 3000


def facets(store: Store, query: str, filters: SearchFilters = SearchFilters(), kind: str = "facts",
           size: int = 10) -> Facets:
    """For each facet of `kind` (org, year, road, type, category): the `size` commonest
    values among the rows that match, with their counts; with a query, among the rows of
    the FACET_ROWS best index rows."""
    spec = _KINDS[kind]
    names = _facets(store, spec)
    match = _match(query, filters, kind)
    where = _where(store, kind, filters)
    columns = ", ".join(names.values())
    if match is None:
        source, params = _from(spec, None, where)
    else:
        index = FTS_TABLES[spec.table]
        conditions = "" if _filters_in_index(kind, filters) or not where.clauses else where.sql()
        source = (f"FROM (SELECT rowid AS r FROM {index} WHERE {index} MATCH ? ORDER BY {_bm25(index)} LIMIT {FACET_ROWS})"
                  f" AS best CROSS JOIN {spec.table} ON {_rows_of(spec.table, 'best', 'r')}"
                  f" JOIN documents ON documents.id = {spec.table}.document_id {spec.joins} {conditions}")
        params = [match] + (where.params if conditions else [])
    counts: dict[str, Counter] = {name: Counter() for name in names}
    counted = 0
    for row in store.conn.execute(f"SELECT {columns} {source}", params):
        counted += 1
        for name, value in zip(names, row):
            if value is not None and value != "":
                counts[name][value] += 1
    return Facets({name: sorted(c.items(), key=lambda item: (-item[1], str(item[0])))[:size]
                   for name, c in counts.items()}, counted)


def search_findings(store: Store, query: str, filters: SearchFilters = SearchFilters()) -> Hits:
    """Audit findings ranked by BM25 over rule, explanations and cited text (`search` of kind findings)."""
    return search(store, query, filters, "findings")
