"""Full-text search over facts (and over audit findings): the query is cut into
jieba words and each word is matched as a quoted FTS5 string, so user text is
never read as query syntax."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .store import Store, Where, road_code, fts_words


@dataclass(frozen=True)
class SearchFilters:
    road: str | None = None
    org: str | None = None
    year: int | None = None
    type: str | None = None
    limit: int = 20


def fts_query(query: str, operator: str) -> str | None:
    words = fts_words(query).split()
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words)]
    return f" {operator} ".join(quoted)


def search(store: Store, query: str, filters: SearchFilters = SearchFilters()) -> list[dict[str, Any]]:
    """Facts ranked by BM25 relevance: all query words first; any of them if none has all."""
    return _ranked(store, query, lambda match: _facts(store, match, filters))


def search_findings(store: Store, query: str, filters: SearchFilters = SearchFilters()) -> list[dict[str, Any]]:
    """Audit findings ranked by BM25 over rule, explanations and cited text; org and year filter by report."""
    return _ranked(store, query, lambda match: _findings(store, match, filters))


def _ranked(store: Store, query: str, run: Callable[[str | None], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    for operator in ("AND", "OR"):
        match = fts_query(query, operator)
        rows = run(match)
        if rows or match is None:
            return rows
    return []


def _select(store: Store, table: str, columns: str, joins: str, match: str | None, where: Where,
            limit: int) -> list[dict[str, Any]]:
    """Rows of `table` (with its full-text index `<table>_fts` when there is a match), best first."""
    rank = f"bm25({table}_fts)" if match is not None else "0"
    fts = f"JOIN {table}_fts ON {table}_fts.rowid = {table}.id AND {table}_fts MATCH ?" if match is not None else ""
    sql = (f"SELECT {columns}, {rank} AS rank FROM {table} JOIN documents ON documents.id = {table}.document_id "
           f"{fts} {joins} {where.sql()} ORDER BY rank, {table}.id LIMIT ?")
    args = ([match] if match is not None else []) + where.params + [limit]
    return [dict(row) for row in store.conn.execute(sql, args)]


def _facts(store: Store, match: str | None, filters: SearchFilters) -> list[dict[str, Any]]:
    where = (Where()
             .add("facts.road = ?", road_code(filters.road))
             .like("facts.org", filters.org)
             .add("facts.year = ?", filters.year)
             .add("upper(facts.type) = upper(?)", filters.type))
    return _select(store, "facts", "facts.*, documents.path AS path, documents.doc AS doc", "", match, where,
                   filters.limit)


def _findings(store: Store, match: str | None, filters: SearchFilters) -> list[dict[str, Any]]:
    where = (Where()
             .like("reports.org", filters.org)
             .add("reports.year = ?", filters.year)
             .add("(findings.rule = ? OR findings.severity = ?)", filters.type, repeat=2))
    joins = "LEFT JOIN reports ON reports.document_id = findings.document_id AND reports.report = findings.report"
    return _select(store, "findings", "findings.*, documents.doc AS doc, reports.org AS org, reports.year AS year",
                   joins, match, where, filters.limit)
