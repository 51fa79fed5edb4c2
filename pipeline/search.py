"""Full-text search over facts (and over audit findings): the query is cut into
jieba words and each word is matched as a quoted FTS5 string, so user text is
never read as query syntax."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .store import Store, fts_words


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
    for operator in ("AND", "OR"):
        match = fts_query(query, operator)
        if match is None:
            return _filtered(store, None, filters)
        rows = _filtered(store, match, filters)
        if rows:
            return rows
    return []


def _filtered(store: Store, match: str | None, filters: SearchFilters) -> list[dict[str, Any]]:
    where, params = [], []
    if match is not None:
        where.append("facts.id IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)")
        params.append(match)
    if filters.road:
        where.append("upper(facts.road) = upper(?)")
        params.append(filters.road.replace(" ", ""))
    if filters.org:
        where.append("facts.org LIKE ?")
        params.append(f"%{filters.org}%")
    if filters.year is not None:
        where.append("facts.year = ?")
        params.append(filters.year)
    if filters.type:
        where.append("upper(facts.type) = upper(?)")
        params.append(filters.type)
    rank = "bm25(facts_fts)" if match is not None else "0"
    join = "JOIN facts_fts ON facts_fts.rowid = facts.id AND facts_fts MATCH ?" if match is not None else ""
    sql = (
        f"SELECT facts.*, documents.path AS path, documents.doc AS doc, {rank} AS rank FROM facts "
        f"JOIN documents ON documents.id = facts.document_id {join} "
        + ("WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY rank, facts.id LIMIT ?"
    )
    args = ([match] if match is not None else []) + params + [filters.limit]
    return [dict(row) for row in store.conn.execute(sql, args)]


def search_findings(store: Store, query: str, filters: SearchFilters = SearchFilters()) -> list[dict[str, Any]]:
    """Audit findings ranked by BM25 over rule, explanations and cited text; org and year filter by report."""
    for operator in ("AND", "OR"):
        match = fts_query(query, operator)
        rows = _findings(store, match, filters)
        if rows or match is None:
            return rows
    return []


def _findings(store: Store, match: str | None, filters: SearchFilters) -> list[dict[str, Any]]:
    where, params = [], []
    if filters.org:
        where.append("reports.org LIKE ?")
        params.append(f"%{filters.org}%")
    if filters.year is not None:
        where.append("reports.year = ?")
        params.append(filters.year)
    if filters.type:
        where.append("(findings.rule = ? OR findings.severity = ?)")
        params += [filters.type, filters.type]
    rank = "bm25(findings_fts)" if match is not None else "0"
    join = "JOIN findings_fts ON findings_fts.rowid = findings.id AND findings_fts MATCH ?" if match is not None else ""
    sql = (
        f"SELECT findings.*, documents.doc AS doc, reports.org AS org, reports.year AS year, {rank} AS rank"
        f" FROM findings JOIN documents ON documents.id = findings.document_id {join}"
        " LEFT JOIN reports ON reports.document_id = findings.document_id AND reports.report = findings.report "
        + ("WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY rank, findings.id LIMIT ?"
    )
    args = ([match] if match is not None else []) + params + [filters.limit]
    return [dict(row) for row in store.conn.execute(sql, args)]
