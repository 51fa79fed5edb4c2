"""A road's or a project's timeline for the web pages and charts: per year and kind
of quantity, the sum of what was done (actual), of what was planned (plan) and the
largest running total reported (cumulative).

Which figure goes in which column, each figure once and never a part with its total,
is `pipeline.summary.timeline`'s rule; this module only selects the facts (through the
full-text index, fast at 10,000 reports) and adds the figures up per year.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..fulltext import match_expression
from ..store import ON_ROUTE, SENTENCE_RUN as RUN
from ..summary import ADDITIVE_TYPES, timeline as figure_timeline

SERIES = ("actual", "plan", "cumulative")
SERIES_NAMES = {"actual": "实际", "plan": "计划", "cumulative": "累计"}
# What a timeline needs of a stored fact, besides its document's name.
FACT_COLUMNS = ("id", "document_id", "report", "type", "subject", "road", "predicate", "value", "unit",
                "mention_start", "mention_end", "org", "year", "sentence", "basis", "scope", "period",
                "part_of_start", "part_of_end", "low", "high", "entity_id")


@dataclass(frozen=True)
class TimelineRow:
    year: int
    type: str
    unit: str
    actual: float | None
    plan: float | None
    cumulative: float | None
    facts: int  # figures counted (each once)


def timeline_facts(conn: sqlite3.Connection, road: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
    """Facts on a route (its code; store.ON_ROUTE) or of subjects containing `subject`, in document order."""
    source, params = "facts", []
    if road:
        where, params = f"({ON_ROUTE})", [road, road]
    else:
        where, params = "facts.subject LIKE ?", [f"%{subject}%"]
        match = match_expression(subject or "")
        if match is not None:  # the sentences that hold the name, from the full-text index, not a scan of all facts
            source = (f"fact_sentences_fts CROSS JOIN facts ON facts.id >= fact_sentences_fts.rowid / {RUN}"
                      f" AND facts.id < fact_sentences_fts.rowid / {RUN} + fact_sentences_fts.rowid % {RUN}")
            where, params = f"fact_sentences_fts MATCH ? AND {where}", [match] + params
    columns = ", ".join(f"facts.{c}" for c in FACT_COLUMNS)
    cursor = conn.execute(
        f"SELECT {columns}, documents.doc AS doc FROM {source} JOIN documents ON documents.id = facts.document_id"
        f" WHERE {where} ORDER BY facts.year, facts.document_id, facts.mention_start", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def timeline(facts: list[dict[str, Any]]) -> list[TimelineRow]:
    """Year x (actual, plan, cumulative) per type and unit, from `timeline_facts`:
    actual and plan figures add up, cumulative ones keep the largest."""
    cells: dict[tuple[int, str, str], dict[str, Any]] = {}
    for row in figure_timeline(facts):
        type_ = row["type"]
        if row["year"] is None or row["value"] is None or type_ not in ADDITIVE_TYPES:
            continue
        cell = cells.setdefault((row["year"], type_, row["unit"] or ""), {"facts": 0})
        cell["facts"] += 1
        value, column = Decimal(str(row["value"])), row["column"]
        cell[column] = max(cell.get(column, value), value) if column == "cumulative" \
            else cell.get(column, Decimal(0)) + value
    return [TimelineRow(year, type_, unit, *(float(c[s]) if s in c else None for s in SERIES), c["facts"])
            for (year, type_, unit), c in sorted(cells.items())]
