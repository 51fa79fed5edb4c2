"""A road's or a project's timeline: per year, what was done (actual), what was planned
(plan) and the running total reported (cumulative), per kind of quantity.

The facts table gains `basis` (actual / plan / estimate) and `scope` (period /
cumulative / change) with the knowledge table's timelines (issue 14); until a store
has them, every fact counts as actual, for its period. This is the one place the
web pages and summaries read a timeline from, to be pointed at
`KnowledgeBase.timeline` where that exists.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..fulltext import match_expression
from ..store import SENTENCE_RUN as RUN

SERIES = ("actual", "plan", "cumulative")
SERIES_NAMES = {"actual": "实际", "plan": "计划", "cumulative": "累计"}
# Quantities that add up over a year (rates and durations do not).
ADDITIVE = ("MONEY", "LENGTH", "COUNT")


@dataclass(frozen=True)
class TimelineRow:
    year: int
    type: str
    unit: str
    actual: float | None
    plan: float | None
    cumulative: float | None
    facts: int  # figures counted (each once per report)


def _series(basis: str | None, scope: str | None) -> str | None:
    if (scope or "period") == "cumulative":
        return "cumulative"
    if (scope or "period") != "period":
        return None  # a change (增加 30%) is no amount of its own
    return "plan" if basis in ("plan", "estimate") else "actual"


def timeline_facts(conn: sqlite3.Connection, road: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
    """Facts of a route code (exact) or of subjects containing `subject`, in document order,
    with `basis` and `scope` (None where the store does not have them)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(facts)")}
    extra = ", ".join(f"facts.{c}" if c in columns else f"NULL AS {c}" for c in ("basis", "scope"))
    source, params = "facts", []
    if road:
        where, params = "facts.road = ?", [road]
    else:
        where, params = "facts.subject LIKE ?", [f"%{subject}%"]
        match = match_expression(subject or "")
        if match is not None:  # the sentences that hold the name, from the full-text index, not a scan of all facts
            source = (f"fact_sentences_fts CROSS JOIN facts ON facts.id >= fact_sentences_fts.rowid / {RUN}"
                      f" AND facts.id < fact_sentences_fts.rowid / {RUN} + fact_sentences_fts.rowid % {RUN}")
            where, params = f"fact_sentences_fts MATCH ? AND {where}", [match] + params
    cursor = conn.execute(
        f"SELECT facts.id, facts.document_id, facts.report, facts.type, facts.subject, facts.road, facts.predicate,"
        f" facts.value, facts.unit, facts.mention_start, facts.mention_end, facts.org, facts.year, facts.sentence,"
        f" documents.doc AS doc, {extra} FROM {source} JOIN documents ON documents.id = facts.document_id"
        f" WHERE {where} ORDER BY facts.year, facts.document_id, facts.mention_start", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def timeline(facts: list[dict[str, Any]]) -> list[TimelineRow]:
    """Year × (actual, plan, cumulative) per type and unit, from `timeline_facts`. A figure
    restated in the same report counts once; cumulative figures keep the largest."""
    cells: dict[tuple[int, str, str], dict[str, Any]] = {}
    seen: set[tuple] = set()
    for f in facts:
        series = _series(f.get("basis"), f.get("scope"))
        if f["year"] is None or f["value"] is None or f["type"] not in ADDITIVE or series is None:
            continue
        key = (f["document_id"], f["report"], f["predicate"], f["value"], f["unit"], series)
        if key in seen:
            continue
        seen.add(key)
        cell = cells.setdefault((f["year"], f["type"], f["unit"] or ""), {"facts": 0})
        cell["facts"] += 1
        value = Decimal(str(f["value"]))
        if series == "cumulative":
            cell[series] = max(cell.get(series, value), value)
        else:
            cell[series] = cell.get(series, Decimal(0)) + value
    return [TimelineRow(year, type_, unit, *(float(c[s]) if s in c else None for s in SERIES), c["facts"])
            for (year, type_, unit), c in sorted(cells.items())]
