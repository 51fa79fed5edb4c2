"""Readable summaries of what the store knows: per road or project, what was
invested, built and completed, each figure with its source sentence; per report,
the money trail, the self-score, the indicators that were missed and what the
audit found (pipeline/audit.py), each finding with where its evidence is.

Totals add only like with like: facts with the same unit, predicate, basis
(actual/plan/estimate) and scope (period/cumulative/change); a figure restated (in
one report, or in two reports of the same organisation and year) counts once, and a
part never with its total. Each project or road gets a timeline (`timeline`): per
year its actual, planned and cumulative figures, each with its sentence.
"""
from __future__ import annotations

import html
from importlib import resources
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

import regex

from . import entities
from .structure.reports import parse_report_ref, report_ref
from .store import ON_ROUTE, ROUTE_NAMED, Store, Where, road_code

MONEY_SCALES = ((Decimal(100000000), "亿元"), (Decimal(10000), "万元"))
# Quantities whose figures add up; rates and percentage points never do.
ADDITIVE_TYPES = ("MONEY", "LENGTH", "COUNT")
# Timeline columns: (basis, scope) of the facts each holds.
TIMELINE_COLUMNS = {"actual": (("actual",), "period"), "plan": (("plan", "estimate"), "period"),
                    "cumulative": (("actual", "plan", "estimate"), "cumulative")}


@dataclass(frozen=True)
class SummaryRequest:
    road: str | None = None
    project: str | None = None
    org: str | None = None
    report: str | None = None  # the report's reference, DOC#N (structure.reports.report_ref), as list_reports gives it

    def report_where(self, where: Where) -> Where:
        doc, number = parse_report_ref(self.report) if self.report is not None else (None, None)
        return where.add("documents.doc = ?", doc).add("reports.report = ?", number)


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (figure, sentence with location)


def format_quantity(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    number = Decimal(str(value))
    if unit == "元":
        for scale, name in MONEY_SCALES:
            if abs(number) >= scale:
                return f"{plain_number(number / scale)} {name}"
    return f"{plain_number(number)} {unit or ''}".strip()


def plain_number(number: Decimal) -> str:
    text = f"{number.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _facts(store: Store, request: SummaryRequest) -> list[dict[str, Any]]:
    road = road_code(entities.road_code(request.road) or request.road) if request.road else None
    project = request.project.replace(" ", "") if request.project else None
    where = (Where()
             .add(f"({ON_ROUTE} OR {ROUTE_NAMED})", road, repeat=3)
             .add("(facts.subject LIKE ? OR facts.entity_id IN (SELECT entity_id FROM entity_aliases WHERE alias LIKE ?))",
                  f"%{project}%" if project else None, repeat=2)
             .like("facts.org", request.org))
    where = request.report_where(where)
    sql = ("SELECT facts.*, documents.doc AS doc, reports.id AS report_id, entities.name AS entity_name,"
           " entities.road AS entity_road FROM facts "
           "JOIN documents ON documents.id = facts.document_id "
           "LEFT JOIN entities ON entities.id = facts.entity_id "
           "LEFT JOIN reports ON reports.document_id = facts.document_id AND reports.report = facts.report "
           f"{where.sql()} ORDER BY facts.document_id, facts.mention_start")
    return [dict(r) for r in store.conn.execute(sql, where.params)]


def _span(fact: dict[str, Any], field: str) -> tuple[Any, int, int] | None:
    """(document, start, end) of a fact's mention or part_of, from a fact record
    (`mention: [s, e]`, `doc`) or a stored row (`mention_start`, `document_id`)."""
    document = fact.get("document_id", fact.get("doc"))
    if isinstance(fact.get(field), (list, tuple)) and fact[field]:
        return (document, fact[field][0], fact[field][1])
    start, end = fact.get(f"{field}_start"), fact.get(f"{field}_end")
    return (document, start, end) if start is not None else None


def _figure_key(fact: dict[str, Any]) -> tuple:
    """What makes two facts the same figure: who says it for which year, about what, how, how much."""
    about = fact.get("entity_id") or fact.get("entity") or entities.fold(fact.get("subject") or "")
    return (fact.get("org"), fact.get("year"), about, _squashed(fact.get("predicate")), fact.get("basis"),
            fact.get("scope"), fact.get("value"), fact.get("unit"))


def _squashed(text: str | None) -> str:
    return "".join(text.split()) if isinstance(text, str) else ""


def distinct_figures(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts with each figure once: a figure restated in one report, or in two reports of
    the same organisation and year, keeps its first statement. A statement without a
    period restates one with a period (the report's year applies) and the other way round;
    two different periods are two figures."""
    seen: dict[tuple, set[str | None]] = {}
    out = []
    for fact in facts:
        key = _figure_key(fact)
        period = fact.get("period")
        periods = seen.setdefault(key, set())
        if periods and (period is None or None in periods or period in periods):
            continue
        periods.add(period)
        out.append(fact)
    return out


def _without_parts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The facts less those that are parts of a total among them (never a part with its total)."""
    present = {_span(f, "mention") for f in facts}
    return [f for f in facts if _span(f, "part_of") not in present or _span(f, "part_of") is None]


@dataclass(frozen=True)
class Total:
    predicate: str
    unit: str
    basis: str | None
    scope: str | None
    value: Decimal
    count: int


def totals(facts: Iterable[dict[str, Any]]) -> list[Total]:
    """Sums of like with like: one per (predicate, unit, basis, scope) with more than one
    distinct figure, parts left out where their total is there; changes and rates never add."""
    groups: dict[tuple, list[Decimal]] = defaultdict(list)
    for f in _without_parts(distinct_figures(facts)):
        if f.get("value") is None or f.get("type") not in ADDITIVE_TYPES or f.get("scope") == "change":
            continue
        groups[(_squashed(f.get("predicate")), f.get("unit"), f.get("basis"), f.get("scope"))].append(
            Decimal(str(f["value"])))
    return [Total(p, u, b, s, sum(values, Decimal(0)), len(values))
            for (p, u, b, s), values in groups.items() if len(values) > 1]


def fact_year(fact: dict[str, Any]) -> int | None:
    """The year a figure is for: its own period's first year, else its report's year."""
    period = fact.get("period")
    if isinstance(period, str) and period[:4].isdigit():
        return int(period[:4])
    return fact.get("year")


def timeline(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A project's or road's figures by year: one row per figure in its column
    (`actual`, `plan` — plans and estimates — or `cumulative`), each with its sentence
    and offsets, ordered by year, column and position. Changes are left out; each
    figure appears once (`distinct_figures`), a part only when its total is absent.

    Rows: year, column, type, predicate, value, low, high, unit, basis, scope, period, subject,
    doc, mention_start, mention_end, sentence. Works on fact records and stored rows alike.
    """
    rows = []
    for f in _without_parts(distinct_figures(facts)):
        column = next((name for name, (bases, scope) in TIMELINE_COLUMNS.items()
                       if (f.get("basis") or "actual") in bases and (f.get("scope") or "period") == scope), None)
        if column is None:
            continue
        span = _span(f, "mention")
        rows.append({"year": fact_year(f), "column": column, "type": f.get("type"), "predicate": f.get("predicate"),
                     "value": f.get("value"), "low": f.get("low"), "high": f.get("high"), "unit": f.get("unit"),
                     "basis": f.get("basis"), "scope": f.get("scope"), "period": f.get("period"),
                     "subject": f.get("subject"), "doc": f.get("doc"),
                     "mention_start": span[1] if span else None, "mention_end": span[2] if span else None,
                     "sentence": f.get("sentence")})
    order = list(TIMELINE_COLUMNS)
    rows.sort(key=lambda r: (r["year"] or 0, order.index(r["column"]), str(r["doc"]), r["mention_start"] or 0))
    return rows


def subject_sections(facts: list[dict[str, Any]]) -> list[Section]:
    """One section per project or road (its entity across reports, else its subject):
    figures with their sentences, the timeline by year, then totals of like with like."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        groups[fact.get("entity_id") or fact["subject"]].append(fact)
    sections = []
    for group in groups.values():
        section = Section(group[0].get("entity_name") or group[0]["subject"])
        for f in distinct_figures(group):
            who = "，".join(str(x) for x in (f["org"], f["year"]) if x)
            figure = f"{f['predicate'] or ''} {format_quantity(f['value'], f['unit'])}".strip()
            where = f"{f['doc']}:{f['mention_start']}-{f['mention_end']}"
            section.evidence.append((f"{figure}（{who}）" if who else figure, f"{f['sentence']} [{where}]"))
        for row in timeline(group):
            section.lines.append(f"{row['year'] or '—'} {TIMELINE_LABELS[row['column']]}: {row['predicate'] or ''} "
                                 f"{format_quantity(row['value'], row['unit'])} [{row['doc']}:{row['mention_start']}-"
                                 f"{row['mention_end']}]")
        for total in totals(group):
            label = f"合计 {total.predicate}".strip()
            qualifier = "，".join(TOTAL_LABELS[x] for x in (total.basis, total.scope) if x in TOTAL_LABELS)
            section.lines.append(f"{label}{f'（{qualifier}）' if qualifier else ''}: "
                                 f"{format_quantity(float(total.value), total.unit)}（{total.count} 项）")
        sections.append(section)
    return sections


TIMELINE_LABELS = {"actual": "实际", "plan": "计划", "cumulative": "累计"}
TOTAL_LABELS = {"plan": "计划", "estimate": "预计", "cumulative": "累计"}


def report_sections(store: Store, request: SummaryRequest) -> list[Section]:
    where = request.report_where(Where()).like("reports.org", request.org).like("reports.project", request.project)
    if not where.clauses:
        return []
    sections = []
    for r in store.conn.execute("SELECT reports.*, documents.doc AS doc FROM reports JOIN documents ON documents.id ="
                                f" reports.document_id {where.sql()} ORDER BY reports.id", where.params):
        section = Section(r["title"] or report_ref(r["doc"], r["report"]))
        section.lines.append(f"单位: {r['org'] or '—'}；年度: {r['year'] or '—'}；项目: {r['project'] or '—'}")
        section.lines.append(
            "资金: 预算 {} / 到位 {} / 支出 {}；预算执行率 {}；自评得分 {}".format(
                format_quantity(r["budget"], "元"), format_quantity(r["received"], "元"),
                format_quantity(r["spent"], "元"),
                format_quantity(r["execution_rate"], "%") if r["execution_rate"] is not None else "—",
                plain_number(Decimal(str(r["self_score"]))) if r["self_score"] is not None else "—",
            )
        )
        missed = store.conn.execute(
            "SELECT * FROM indicators WHERE document_id = ? AND report = ? AND met = 0 ORDER BY id",
            (r["document_id"], r["report"]),
        ).fetchall()
        for i in missed:
            reason = f"；原因: {i['reason']}" if i["reason"] else ""
            section.lines.append(f"未达成指标: {i['name']}（目标 {i['target_op'] or ''}{i['target']}"
                                 f"{i['target_unit'] or ''}，实际 {i['actual']}{i['actual_unit'] or ''}）{reason}")
        for f in store.conn.execute(
            "SELECT * FROM findings WHERE document_id = ? AND report = ? ORDER BY id", (r["document_id"], r["report"]),
        ):
            section.lines.append(f"审计发现 [{f['severity']} {f['rule']}]: {f['zh']} / {f['en']}"
                                 f" [{r['doc']}:{f['start']}-{f['end']}]")
        sections.append(section)
    return sections


def list_reports(store: Store) -> list[dict[str, Any]]:
    """Stored reports with the reference `SummaryRequest.report` takes (`ref`: DOC#N)."""
    return [dict(r, ref=report_ref(r["doc"], r["report"])) for r in store.conn.execute(
        "SELECT reports.id, documents.doc, reports.report, reports.org, reports.year, reports.title FROM reports"
        " JOIN documents ON documents.id = reports.document_id ORDER BY reports.id")]


def summarise(store: Store, request: SummaryRequest) -> list[Section]:
    return report_sections(store, request) + subject_sections(_facts(store, request))


# Characters of Markdown syntax (emphasis, links, images, code, tables; `:` of bare URLs, which
# GitHub's Markdown makes links) when they come from a document; each is written escaped.
_MARKDOWN_SPECIAL = regex.compile(r"([\\`*_\[\]{}()!|~]|(?<=\b[A-Za-z][A-Za-z0-9+.-]*):(?=[^\s]))")


def markdown_text(text: object) -> str:
    """Text from a document for a Markdown page: HTML escaped (`<script>` shows as text),
    Markdown syntax characters backslash-escaped (no link, image or emphasis is made),
    line breaks as spaces (a line cannot start a list or a heading)."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def render_markdown(title: str, sections: list[Section]) -> str:
    m = markdown_text
    out = [f"# {m(title)}", ""]
    if not sections:
        out.append("（没有找到匹配的事实 / no matching facts）")
    for s in sections:
        out += [f"## {m(s.title)}", ""]
        out += [f"- {m(line)}" for line in s.lines]
        out += [f"- **{m(figure)}** — {m(sentence)}" for figure, sentence in s.evidence]
        out.append("")
    return "\n".join(out)


def page_style() -> str:
    """The stylesheet of jixiao's pages, which HTML summaries carry inline (no network)."""
    return resources.files("pipeline.serve").joinpath("templates/jixiao.css").read_text(encoding="utf-8")


def render_html(title: str, sections: list[Section], charts: list[str] = ()) -> str:
    """A self-contained page: the pages' style inline, each section's lines as a list and
    its figures as a table (figure, sentence, where), `charts` (SVG markup made by
    pipeline/serve/charts.py) after the heading. Every text is escaped."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh"><head><meta charset="utf-8">', f"<title>{e(title)}</title>",
           f"<style>{page_style()}</style></head><body><div class=\"jx\">", f"<h1>{e(title)}</h1>"]
    out += [f'<div class="chart">{svg}</div>' for svg in charts]
    if not sections:
        out.append("<p>没有找到匹配的事实 / no matching facts</p>")
    for s in sections:
        out.append(f"<h2>{e(s.title)}</h2>")
        if s.lines:
            out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in s.lines) + "</ul>")
        if s.evidence:
            out.append("<table><tr><th>数字</th><th>原句</th><th>出处</th></tr>")
            for figure, sentence in s.evidence:
                text, _, where = sentence.rpartition(" [")
                text, where = (text, where.rstrip("]")) if text else (sentence, "")
                out.append(f'<tr><td class="num"><strong>{e(figure)}</strong></td><td>{e(text)}</td>'
                           f"<td>{e(where)}</td></tr>")
            out.append("</table>")
    out.append("</div></body></html>")
    return "\n".join(out)


def list_table(rows: list[dict[str, Any]], fmt: str) -> str:
    """The stored reports (as `list_reports` gives them) as tab-separated lines, Markdown or HTML."""
    columns = ("ref", "org", "year", "title")
    headings = ("报告", "单位", "年度", "标题")
    cells = [["" if row[c] is None else str(row[c]) for c in columns] for row in rows]
    if fmt == "html":
        e = html.escape
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in cells)
        return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>jixiao 报告列表</title>"
                f"<style>{page_style()}</style></head><body><div class=\"jx\"><h1>报告列表</h1><table><tr>"
                + "".join(f"<th>{h}</th>" for h in headings) + f"</tr>{body}</table></div></body></html>")
    if fmt == "md":
        lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
        return "\n".join(lines + ["| " + " | ".join(markdown_text(c) or " " for c in row) + " |" for row in cells])
    return "\n".join("\t".join(row) for row in cells)
