"""What each page of `jixiao serve` shows, as template contexts built from the store
(plain functions over a read-only connection; pipeline/serve/plugin.py serves them).

    search_page(reader, {"q": "危桥", "year": "2023"})   search: facts, indicators, reports, findings
    document_page(reader, 3)                            a document's text with every mention marked
    road_page(reader, "G569"), project_page(reader, …)  timeline, chart, every fact with its sentence
    report_page(reader, 12)                             metadata, money, indicators, audit findings

Each returns None where the thing asked for is not in the store (the page is a 404).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from urllib.parse import quote
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

import regex
from markupsafe import Markup

from ..labels import heading, type_name
from ..search import KINDS, SearchFilters, facets, search
from ..store import road_code
from ..summary import format_quantity, plain_number
from .charts import timeline_svg
from .highlight import EVIDENCE, Span, marked
from .timeline import SERIES, SERIES_NAMES, timeline, timeline_facts

PAGE_SIZE = 20
# A road's or project's page: charts for this many kinds of quantity, money and length first;
# the facts after the first FACTS_SHOWN are a search away.
CHARTS = 2
CHART_ORDER = ("MONEY", "LENGTH")
FACTS_SHOWN = 100
KIND_NAMES = {"facts": "事实", "indicators": "绩效指标", "reports": "报告", "findings": "审计发现"}
FACET_NAMES = {"org": "单位", "year": "年度", "road": "路线", "type": "类型", "category": "报告类别"}
FILTERS = ("org", "year", "road", "type", "category")
# Characters of context shown around a finding's evidence, or a figure in a sentence too long to show.
CONTEXT = 60
LONG_SENTENCE = 1000


class Reader:
    """A read-only connection to the store per thread, rows as sqlite3.Row; `conn` and
    `path` as pipeline.search expects of a Store."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{quote(self.path)}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn


@dataclass
class Page:
    number: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def _sentence_in_source(reader: Reader, fact: Mapping[str, Any]) -> tuple[int, str] | None:
    """The fact's sentence as the source writes it (the record's sentence is the normalised
    text: spaces inside it dropped), with its offset: the occurrence that holds the figure."""
    sentence = fact["sentence"] or ""
    start, end = fact["mention_start"], fact["mention_end"]
    if start is None or not sentence or len(sentence) > LONG_SENTENCE:
        return None
    lo = max(0, start - 2 * len(sentence))
    row = reader.conn.execute("SELECT substr(source, ?, ?) FROM documents WHERE id = ?",
                              (lo + 1, end - lo + 2 * len(sentence), fact["document_id"])).fetchone()
    window = row[0] if row else ""
    # each character of the sentence, with any whitespace between: linear, no nested repetition
    pattern = regex.compile(r"\s*".join(regex.escape(c) for c in sentence if not c.isspace()))
    for match in pattern.finditer(window, overlapped=True):
        if lo + match.start() <= start and end <= lo + match.end():
            return lo + match.start(), match.group()
    return None


def fact_sentence(reader: Reader, fact: Mapping[str, Any]) -> Markup:
    """The fact's sentence, escaped, with its figure marked (by the fact's offsets)."""
    found = _sentence_in_source(reader, fact)
    if found is None and fact["mention_start"] is not None:
        return _around(reader, fact["document_id"], [Span(fact["mention_start"], fact["mention_end"],
                                                          fact["type"] or "MONEY", format_quantity(fact["value"], fact["unit"]))])
    if found is None:
        return marked(fact["sentence"] or "", [])
    offset, sentence = found
    title = format_quantity(fact["value"], fact["unit"])
    return marked(sentence, [Span(fact["mention_start"], fact["mention_end"], fact["type"] or "MONEY", title)],
                  offset)


def _fact_view(reader: Reader, fact: Mapping[str, Any]) -> dict[str, Any]:
    return {**dict(fact), "figure": format_quantity(fact["value"], fact["unit"]), "type_name": type_name(fact["type"]),
            "sentence_html": fact_sentence(reader, fact),
            "href": f"/doc/{fact['document_id']}#{fact['mention_start']}-{fact['mention_end']}"}


def search_page(reader: Reader, args: Mapping[str, str]) -> dict[str, Any]:
    query = (args.get("q") or "").strip()
    kind = args.get("kind") if args.get("kind") in KINDS else "facts"
    number = max(1, _int(args.get("page")) or 1)
    chosen = {k: args.get(k) for k in FILTERS if args.get(k)}
    filters = SearchFilters(road=chosen.get("road"), org=chosen.get("org"), year=_int(chosen.get("year")),
                            type=chosen.get("type"), category=chosen.get("category"), limit=PAGE_SIZE,
                            offset=(number - 1) * PAGE_SIZE)
    error = None
    try:
        hits = search(reader, query, filters, kind)
        found_facets = facets(reader, query, filters, kind)
    except ValueError as exc:
        hits, found_facets, error = [], {}, str(exc)
    rows = []
    for hit in hits:
        if kind == "facts":
            rows.append(_fact_view(reader, hit))
        elif kind == "findings":
            rows.append({**hit, "evidence_html": _evidence(reader, hit),
                         "href": f"/doc/{hit['document_id']}#{hit['start']}-{hit['end']}"})
        else:
            rows.append(dict(hit))
    facet_links = {
        name: [{"value": value, "count": count, "label": type_name(value) if name == "type" and kind == "facts"
                else value, "selected": str(chosen.get(name)) == str(value)} for value, count in values]
        for name, values in found_facets.items()}
    counted = getattr(found_facets, "counted", 0)
    return {"q": query, "kind": kind, "kinds": KIND_NAMES, "rows": rows, "total": getattr(hits, "total", 0),
            "facets_sampled": counted < getattr(hits, "total", 0),
            "page": Page(number, getattr(hits, "total", 0)), "facets": facet_links, "facet_names": FACET_NAMES,
            "chosen": chosen, "error": error, "indicator_heading": lambda c: heading("indicators", c)}


def document_page(reader: Reader, document_id: int) -> dict[str, Any] | None:
    doc = reader.conn.execute("SELECT id, doc, path, encoding, source, ingested_at FROM documents WHERE id = ?",
                              (document_id,)).fetchone()
    if doc is None:
        return None
    spans = [Span(m["start"], m["end"], m["type"], _mention_title(m)) for m in reader.conn.execute(
        'SELECT type, start, "end", value_num, value_text, unit, op FROM mentions WHERE document_id = ?',
        (document_id,))]
    # a fact's figure is a mention; should a store lack it, the fact's own offsets still get their mark
    have = {(s.start, s.end) for s in spans}
    for f in reader.conn.execute("SELECT type, value, unit, mention_start, mention_end FROM facts"
                                 " WHERE document_id = ? AND mention_start IS NOT NULL", (document_id,)):
        if (f["mention_start"], f["mention_end"]) not in have:
            spans.append(Span(f["mention_start"], f["mention_end"], f["type"], format_quantity(f["value"], f["unit"])))
    reports = reader.conn.execute("SELECT id, report, title, org, year FROM reports WHERE document_id = ? ORDER BY report",
                                  (document_id,)).fetchall()
    legend = sorted({s.type for s in spans})
    return {"doc": doc, "text_html": marked(doc["source"], spans), "reports": reports, "mentions": len(spans),
            "legend": [(t, type_name(t)) for t in legend]}


def _mention_title(m: Mapping[str, Any]) -> str:
    if m["value_num"] is not None:
        value = format_quantity(m["value_num"], m["unit"])
        return f"{m['op'] or ''}{value}".strip() if m["type"] in ("MONEY", "LENGTH", "PERCENT", "COUNT", "DURATION") \
            else plain_number(Decimal(str(m["value_num"])))
    return " ".join(x for x in (m["value_text"], m["unit"]) if x)


def _timeline_context(reader: Reader, facts: list[dict[str, Any]], title: str) -> dict[str, Any]:
    rows = timeline(facts)
    groups = []
    keys = list(dict.fromkeys((r.type, r.unit) for r in rows))
    # charts for money and length first, then the kinds with most figures; tables for all
    charted = sorted(keys, key=lambda k: (CHART_ORDER.index(k[0]) if k[0] in CHART_ORDER else len(CHART_ORDER),
                                          -sum(r.facts for r in rows if (r.type, r.unit) == k)))[:CHARTS]
    for key in keys:
        group = [r for r in rows if (r.type, r.unit) == key]
        svg = timeline_svg(group, f"{title} · {type_name(key[0])}") if key in charted else ""
        groups.append({"type": key[0], "type_name": type_name(key[0]), "unit": key[1],
                       "rows": [{"year": r.year, "facts": r.facts, **{s: format_quantity(getattr(r, s), r.unit)
                                                                      if getattr(r, s) is not None else "—"
                                                                      for s in SERIES}} for r in group],
                       "svg": Markup(svg)})
    return {"title": title, "groups": groups, "series": [(s, SERIES_NAMES[s]) for s in SERIES],
            "facts": [_fact_view(reader, f) for f in facts[:FACTS_SHOWN]], "fact_total": len(facts)}


def road_page(reader: Reader, code: str) -> dict[str, Any] | None:
    code = road_code(code) or ""
    facts = timeline_facts(reader.conn, road=code)
    if not facts:
        return None
    subjects = sorted({f["subject"] for f in facts if f["subject"]})
    return {**_timeline_context(reader, facts, code), "kind": "路线", "subjects": subjects,
            "more": f"/?road={code}"}


def project_page(reader: Reader, name: str) -> dict[str, Any] | None:
    name = name.strip()
    facts = timeline_facts(reader.conn, subject=name) if name else []
    if not facts:
        return None
    return {**_timeline_context(reader, facts, name), "kind": "项目",
            "subjects": sorted({f["subject"] for f in facts if f["subject"]}), "more": f"/?q={quote(name)}"}


def _evidence(reader: Reader, finding: Mapping[str, Any]) -> Markup:
    """The source around a finding's evidence spans, with the spans marked."""
    try:
        evidence = json.loads(finding["evidence"] or "[]")
    except json.JSONDecodeError:
        evidence = []
    spans = [Span(e["start"], e["end"], EVIDENCE, e.get("text") or "") for e in evidence if e.get("start") is not None]
    if not spans and finding["start"] is not None:
        spans = [Span(finding["start"], finding["end"], EVIDENCE, finding["text"] or "")]
    if not spans:
        return marked(finding["text"] or "", [])
    return _around(reader, finding["document_id"], spans)


def _around(reader: Reader, document_id: int, spans: list[Span]) -> Markup:
    """The source from CONTEXT characters before the first span to CONTEXT after the last, spans marked."""
    lo = max(0, min(s.start for s in spans) - CONTEXT)
    hi = max(s.end for s in spans) + CONTEXT
    row = reader.conn.execute("SELECT substr(source, ?, ?) FROM documents WHERE id = ?",
                              (lo + 1, hi - lo, document_id)).fetchone()
    text = row[0] if row else ""
    return Markup(("…" if lo else "") + marked(text, spans, lo) + ("…" if len(text) == hi - lo else ""))


def report_page(reader: Reader, report_id: int) -> dict[str, Any] | None:
    report = reader.conn.execute("SELECT reports.*, documents.doc AS doc FROM reports JOIN documents ON documents.id"
                                 " = reports.document_id WHERE reports.id = ?", (report_id,)).fetchone()
    if report is None:
        return None
    key = (report["document_id"], report["report"])
    money = [(heading("reports", c), format_quantity(report[c], "元")) for c in ("budget", "received", "spent")]
    money.append((heading("reports", "execution_rate"), format_quantity(report["execution_rate"], "%")))
    money.append((heading("reports", "self_score"), "—" if report["self_score"] is None
                  else plain_number(Decimal(str(report["self_score"])))))
    indicators = reader.conn.execute("SELECT * FROM indicators WHERE document_id = ? AND report = ? ORDER BY id",
                                     key).fetchall()
    findings = [{**dict(f), "evidence_html": _evidence(reader, f), "href": f"/doc/{f['document_id']}#{f['start']}-{f['end']}"}
                for f in reader.conn.execute("SELECT * FROM findings WHERE document_id = ? AND report = ? ORDER BY id",
                                             key)]
    facts = [_fact_view(reader, f) for f in reader.conn.execute(
        "SELECT * FROM facts WHERE document_id = ? AND report = ? ORDER BY mention_start", key)]
    metadata = [(heading("reports", c), report[c]) for c in ("title", "org", "year", "project", "category", "signed")
                if c in report.keys() and report[c] not in (None, "")]
    return {"report": report, "metadata": metadata, "money": money, "indicators": indicators,
            "missed": sum(1 for i in indicators if i["met"] == 0), "findings": findings, "facts": facts,
            "indicator_heading": lambda c: heading("indicators", c)}
