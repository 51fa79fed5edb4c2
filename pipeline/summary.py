"""Readable summaries of what the store knows: per road or project, what was
invested, built and completed, each figure with its source sentence; per report,
the money trail, the self-score, the indicators that were missed and what the
audit found (pipeline/audit.py), each finding with where its evidence is.

Totals add only like with like (yuan with yuan, km with km) and count a figure
once per report even when two sentences repeat it.
"""
from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .structure.reports import parse_report_ref, report_ref
from .store import Store, Where, road_code

MONEY_SCALES = ((Decimal(100000000), "亿元"), (Decimal(10000), "万元"))


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
                return f"{_plain(number / scale)} {name}"
    return f"{_plain(number)} {unit or ''}".strip()


def _plain(number: Decimal) -> str:
    text = f"{number.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _facts(store: Store, request: SummaryRequest) -> list[dict[str, Any]]:
    where = (Where()
             .add("facts.road = ?", road_code(request.road))
             .like("facts.subject", request.project.replace(" ", "") if request.project else None)
             .like("facts.org", request.org))
    where = request.report_where(where)
    sql = ("SELECT facts.*, documents.doc AS doc, reports.id AS report_id FROM facts "
           "JOIN documents ON documents.id = facts.document_id "
           "LEFT JOIN reports ON reports.document_id = facts.document_id AND reports.report = facts.report "
           f"{where.sql()} ORDER BY facts.document_id, facts.mention_start")
    return [dict(r) for r in store.conn.execute(sql, where.params)]


def subject_sections(facts: list[dict[str, Any]]) -> list[Section]:
    """One section per subject: figures with their sentences, then like-unit totals."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        groups[fact["subject"]].append(fact)
    sections = []
    for subject, group in groups.items():
        section = Section(subject)
        seen: set[tuple] = set()
        totals: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
        for f in group:
            key = (f["document_id"], f["report"], f["predicate"], f["value"], f["unit"])
            who = "，".join(str(x) for x in (f["org"], f["year"]) if x)
            figure = f"{f['predicate'] or ''} {format_quantity(f['value'], f['unit'])}".strip()
            where = f"{f['doc']}:{f['mention_start']}-{f['mention_end']}"
            if key in seen:
                continue  # the same figure restated in the same report
            seen.add(key)
            if f["value"] is not None and f["type"] in ("MONEY", "LENGTH", "COUNT"):
                totals[(f["predicate"] or "", f["unit"])].append(Decimal(str(f["value"])))
            section.evidence.append((f"{figure}（{who}）" if who else figure, f"{f['sentence']} [{where}]"))
        for (predicate, unit), values in totals.items():
            if len(values) > 1:
                label = f"合计 {predicate}".strip()
                section.lines.append(f"{label}: {format_quantity(float(sum(values)), unit)}（{len(values)} 项）")
        sections.append(section)
    return sections


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
                _plain(Decimal(str(r["self_score"]))) if r["self_score"] is not None else "—",
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


def render_markdown(title: str, sections: list[Section]) -> str:
    out = [f"# {title}", ""]
    if not sections:
        out.append("（没有找到匹配的事实 / no matching facts）")
    for s in sections:
        out += [f"## {s.title}", ""]
        out += [f"- {line}" for line in s.lines]
        out += [f"- **{figure}** — {sentence}" for figure, sentence in s.evidence]
        out.append("")
    return "\n".join(out)


def render_html(title: str, sections: list[Section]) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh"><head><meta charset="utf-8">', f"<title>{e(title)}</title></head><body>",
           f"<h1>{e(title)}</h1>"]
    if not sections:
        out.append("<p>没有找到匹配的事实 / no matching facts</p>")
    for s in sections:
        out.append(f"<h2>{e(s.title)}</h2><ul>")
        out += [f"<li>{e(line)}</li>" for line in s.lines]
        out += [f"<li><strong>{e(figure)}</strong> — {e(sentence)}</li>" for figure, sentence in s.evidence]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)
