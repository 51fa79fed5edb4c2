"""Audit: what a self-evaluation report gets wrong, each finding with its evidence.

    findings = audit(process_document(load_document("report.txt")))
    audit_text(text, "report.txt")             # the same from a string
    stored_findings(store, doc="report.txt")   # what ingest stored
    audit_stored(store, "report.txt")          # re-run the rules over a stored source

A rule reads one report (its fields, its indicator rows, its mentions and its
source text) and yields findings. Thresholds, word lists, severities and the
Chinese and English explanations live in models/audit.yaml. Every piece of
evidence is a span of the source: `text == source[start:end]` holds.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import ahocorasick
import regex

from .recognize.guard import for_re
from .recognize.mention import Mention
from .resolve.numbers import parse_number
from .resources import lookup
from .structure._common import alternation, squash
from .structure.reports import Report, report_ref
from .resolve.units import in_canonical, unit_of
from .structure.tables import Indicator, TotalRow, total_rows

if TYPE_CHECKING:
    from .document import DocumentResult
    from .store import Store

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# ---------------------------------------------------------------- findings

@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def record(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    doc: str
    report: int | None
    zh: str  # one line in Chinese
    en: str  # the same in English
    evidence: tuple[Evidence, ...]  # the first is the main one

    @property
    def start(self) -> int | None:
        return self.evidence[0].start if self.evidence else None

    @property
    def end(self) -> int | None:
        return self.evidence[0].end if self.evidence else None

    @property
    def text(self) -> str | None:
        return self.evidence[0].text if self.evidence else None

    def record(self) -> dict[str, Any]:
        return {
            "kind": "finding",
            "doc": self.doc,
            "report": self.report,
            "rule": self.rule,
            "severity": self.severity,
            "zh": self.zh,
            "en": self.en,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "evidence": [e.record() for e in self.evidence],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Finding":
        evidence = tuple(Evidence(e["start"], e["end"], e["text"]) for e in record.get("evidence") or [])
        return cls(record["rule"], record["severity"], record["doc"], record.get("report"), record["zh"],
                   record["en"], evidence)


# ---------------------------------------------------------------- configuration

def _any_word(words: list[str]) -> "re.Pattern[str]":
    """Finds whether a text holds any of `words` (none, for no words), as `any(w in text ...)`."""
    return re.compile(alternation(words) if words else "(?!)")


def _on_re(pattern: str) -> "re.Pattern[str]":
    """A pattern of audit.yaml, written for `regex`, compiled with `re` to match the same
    (guard.for_re writes \\d and \\s out as `regex` reads them): the rules scan whole
    reports with them, and `re` scans these about a third faster."""
    return re.compile(for_re(pattern))


@lru_cache(maxsize=1)
def rules_config() -> dict[str, Any]:
    cfg = lookup("audit")
    return {
        **cfg,
        "tol": Decimal(str(cfg["score_tolerance"])),
        "rate_tol": Decimal(str(cfg["rate_tolerance"])),
        "budget_words": tuple(cfg["budget_part"]["words"]),
        "budget_max": Decimal(str(cfg["budget_part"]["max_points"])),
        "self_score": _on_re(cfg["self_score_pattern"]),
        "budget_score": _on_re(cfg["budget_part"]["score_pattern"]),
        "full_score": Decimal(str(cfg["budget_part"]["full_score"])),
        "total_words": tuple(lookup("structure.tables.total_words")),
        "rate_patterns": {name: _on_re(r["pattern"]) for name, r in cfg["rates"].items()},
        "completion_re": _on_re(cfg["completion"]["pattern"]),
        # word lists: `re` finds the same in them, faster
        "completion_words": re.compile(alternation(cfg["completion"]["words"])),
        "clause_end": _on_re(cfg["completion"]["clause_end"]),
        "deadline": _on_re(cfg["target_deadline"]["pattern"]),
        "target_headings": _any_word(cfg["target_deadline"]["target_headings"]),
        "not_headings": _any_word(cfg["target_deadline"]["not_headings"]),
        "row_deadline": _on_re(cfg["target_deadline"]["row_pattern"]),
        "vague": re.compile(alternation(cfg["unmeasurable"]["vague_words"])),
        "narrative_re": re.compile(alternation(cfg["narrative"]["phrases"])),
        "not_after": tuple(cfg["narrative"]["not_after"]),
        "changed_to": _on_re(r"\s*(?:" + alternation(cfg["text_values"]["changed_to"]) + ")"),
    }


def rule_ids() -> list[str]:
    return list(lookup("audit.rules"))


# ---------------------------------------------------------------- one report as the rules see it

@dataclass
class ReportView:
    doc: str
    source: str
    report: Report
    indicators: list[Indicator]
    mentions: list[Mention]

    @cached_property
    def totals(self) -> list[TotalRow]:
        """The total rows of the report's tables (read when a rule asks: most reports have no score table)."""
        return total_rows(self.report.tables)

    def span(self, start: int, end: int) -> Evidence:
        """Evidence for source[start:end], surrounding whitespace left out."""
        text = self.source[start:end]
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        end = max(start, end)
        return Evidence(start, end, self.source[start:end])

    def row(self, ind: Indicator) -> Evidence:
        return self.span(ind.start, ind.end)

    def rows(self, ind: Indicator) -> list[Evidence]:
        return [self.row(ind)] + [self.row(m) for m in ind.merged if (m.start, m.end) != (ind.start, ind.end)]

    def table_spans(self) -> list[tuple[int, int]]:
        spans = [(i.start, i.end) for i in self.indicators]
        spans += [(m.start, m.end) for i in self.indicators for m in i.merged]
        spans += [(t.start, t.end) for t in self.totals]
        return spans

    @cached_property
    def _table_cover(self) -> tuple[list[int], list[int]]:
        """The table spans joined where they overlap or touch, as (starts, ends) for bisection."""
        starts: list[int] = []
        ends: list[int] = []
        for s, e in sorted(span for span in self.table_spans() if span[1] > span[0]):
            if ends and s <= ends[-1]:
                ends[-1] = max(ends[-1], e)
            else:
                starts.append(s)
                ends.append(e)
        return starts, ends

    @cached_property
    def _by_start(self) -> "_ByStart":
        return _ByStart(self.mentions)

    def mentions_within(self, start: int, end: int) -> list[Mention]:
        """The mentions that start in [start, end), in the view's order."""
        return self._by_start.within(start, end)

    def in_table(self, pos: int) -> bool:
        starts, ends = self._table_cover
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < ends[k]

    @cached_property
    def sections_about_targets(self) -> list[tuple[int, int]]:
        """(start, end) of the report's sections on its targets (read by two rules: found once)."""
        cfg = rules_config()
        return [(s.start, s.end) for s in self.report.sections
                if cfg["target_headings"].search(s.heading) and not cfg["not_headings"].search(s.heading)]

    def finding(self, rule: str, values: dict[str, Any], evidence: Sequence[Evidence]) -> Finding:
        spec = rules_config()["rules"][rule]
        shown = {k: _show(v) for k, v in values.items()}
        return Finding(rule, spec["severity"], self.doc, self.report.report, spec["zh"].format_map(shown),
                       spec["en"].format_map(shown), tuple(evidence))


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return "" if value is None else str(value)


def _quantity(value: Any, unit: str | None, op: str | None = None) -> str:
    symbol = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}.get(op or "", "")
    return f"{symbol}{_show(value)}{unit or ''}"


Rule = Callable[[ReportView], Iterator[Finding]]


# ---------------------------------------------------------------- rules: scores

def _finite(value: Decimal | None) -> Decimal | None:
    """A table's 分值/得分 as a number to add and compare (a cell reading `NaN` or `Infinity` is none)."""
    return value if value is not None and value.is_finite() else None


def missed_full_score(view: ReportView) -> Iterator[Finding]:
    tol = rules_config()["tol"]
    for ind in view.indicators:
        score, weight = _finite(ind.score), _finite(ind.weight)
        if ind.met is False and score is not None and weight is not None and abs(score - weight) <= tol:
            yield view.finding("missed-full-score", {
                "name": ind.name, "target": _quantity(ind.target, ind.target_unit, ind.target_op),
                "actual": _quantity(ind.actual, ind.actual_unit), "score": ind.score, "weight": ind.weight,
            }, view.rows(ind))


def score_above_weight(view: ReportView) -> Iterator[Finding]:
    tol = rules_config()["tol"]
    for ind in view.indicators:
        score, weight = _finite(ind.score), _finite(ind.weight)
        if score is not None and weight is not None and score > weight + tol:
            yield view.finding("score-above-weight", {"name": ind.name, "score": ind.score, "weight": ind.weight},
                               view.rows(ind))


def _total_fits(total: Decimal, parts: Decimal, budget_part: bool) -> bool:
    cfg = rules_config()
    gap = total - parts
    if budget_part:
        return -cfg["tol"] <= gap <= cfg["budget_max"] + cfg["tol"]
    return abs(gap) <= cfg["tol"]


def _budget_points(view: ReportView) -> tuple[Decimal | None, Decimal | None]:
    """(分值, 得分) of the budget-execution part of the total: the money row's columns
    (年度资金总额 … 分值 执行率 得分), else a 预算执行率 row of the indicator table, else a
    `预算执行率得分：9.7分` the report writes."""
    rep = view.report
    weight, score = _finite(rep.budget_weight), _finite(rep.budget_score)
    if score is None:  # a label row of the indicator table (预算执行率 — — 100% 94.00% 10 9.4), no indicator
        indicator_rows = {i.start for i in view.indicators} | {m.start for i in view.indicators for m in i.merged}
        row = next((r for r in total_rows(rep.tables, rules_config()["budget_words"])
                    if not r.label.startswith(rules_config()["total_words"]) and r.start not in indicator_rows), None)
        if row is not None:
            weight, score = _finite(row.weight), _finite(row.score)
    if score is None:
        m = rules_config()["budget_score"].search(view.source, rep.start, rep.end)
        score = parse_number(m.group(1)) if m else None
    return weight, score


def total_mismatch(view: ReportView) -> Iterator[Finding]:
    """Total rows (得分 and 分值) and the self score in the text against the sum of the
    indicators, plus the budget-execution part where the report gives it (the national
    template scores budget execution outside the indicator table). Where the report does
    not give that part, a total may exceed the indicators by up to `budget_part.max_points`
    when a total row's label names it or the indicators' weights leave that many points
    of the full score."""
    cfg = rules_config()
    scores = [_finite(i.score) for i in view.indicators if _finite(i.score) is not None]
    if not scores or len(scores) != len(view.indicators):
        return  # a table without scores, or scores for part of it: the parts are not all known
    parts_score = sum(scores, Decimal(0))
    weights = [_finite(i.weight) for i in view.indicators if _finite(i.weight) is not None]
    parts_weight = sum(weights, Decimal(0)) if len(weights) == len(view.indicators) else None
    budget_weight, budget_score = _budget_points(view)
    full = next((t.weight for t in view.totals if _finite(t.weight) is not None), cfg["full_score"])
    left = full - parts_weight if parts_weight is not None else None
    unknown_part = (any(w in t.label for t in view.totals for w in cfg["budget_words"])
                    or (left is not None and 0 < left <= cfg["budget_max"] + cfg["tol"]))
    score_open = budget_score is None and unknown_part
    weight_open = budget_weight is None and unknown_part
    if budget_score is not None:
        parts_score += budget_score
    if budget_weight is not None and parts_weight is not None:
        parts_weight += budget_weight

    def allowance(budget_part: bool, included: Decimal | None = None) -> dict[str, str]:
        if included is not None:
            return {"allowance_zh": f"（含预算执行率{_show(included)}分）",
                    "allowance_en": f" ({_show(included)} for budget execution included)"}
        if not budget_part:
            return {"allowance_zh": "", "allowance_en": ""}
        return {"allowance_zh": f"（另计预算执行率得分至多{_show(cfg['budget_max'])}分）",
                "allowance_en": f" (plus at most {_show(cfg['budget_max'])} for budget execution)"}

    for t in view.totals:
        if _finite(t.score) is not None and not _total_fits(t.score, parts_score, score_open):
            yield view.finding("total-mismatch", {"what_zh": "指标表总分得分", "what_en": "total score of the table",
                                                  "total": t.score, "parts": parts_score, **allowance(score_open, budget_score)},
                               [view.span(t.start, t.end)])
        if _finite(t.weight) is not None and parts_weight is not None and not _total_fits(t.weight, parts_weight,
                                                                                          weight_open):
            yield view.finding("total-mismatch", {"what_zh": "指标表总分值", "what_en": "total weight of the table",
                                                  "total": t.weight, "parts": parts_weight,
                                                  **allowance(weight_open, budget_weight)},
                               [view.span(t.start, t.end)])
    budget_part = score_open
    rep = view.report
    for m in cfg["self_score"].finditer(view.source, rep.start, rep.end):
        if view.in_table(m.start()):
            continue
        stated = parse_number(m.group(1))
        table_total = next((t for t in view.totals if _finite(t.score) is not None), None)
        if table_total is not None and abs(table_total.score - stated) > cfg["tol"]:
            yield view.finding("inconsistent-values", {
                "name": table_total.label, "field_zh": "得分", "field_en": "score",
                "first": table_total.score, "second": squash(m.group(0)),
            }, [view.span(m.start(), m.end()), view.span(table_total.start, table_total.end)])
        if not _total_fits(stated, parts_score, budget_part):
            yield view.finding("total-mismatch", {"what_zh": "自评得分", "what_en": "self-assessed score",
                                                  "total": stated, "parts": parts_score, **allowance(budget_part, budget_score)},
                               [view.span(m.start(), m.end())])
        break


# ---------------------------------------------------------------- rules: money

def _money_evidence(view: ReportView, value: Decimal) -> list[Evidence]:
    for m in view.mentions:
        if m.type == "MONEY" and isinstance(m.value, Decimal) and m.value == value and not view.in_table(m.start):
            return [view.span(m.start, m.end)]
    return []


def rate_contradicted(view: ReportView) -> Iterator[Finding]:
    cfg = rules_config()
    rep = view.report
    for name, spec in cfg["rates"].items():
        numerator = getattr(rep, spec["numerator"])
        denominator_field = next((d for d in spec["denominators"] if getattr(rep, d)), None)
        if numerator is None or denominator_field is None:
            continue
        denominator = getattr(rep, denominator_field)
        computed = (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.01"))
        for m in cfg["rate_patterns"][name].finditer(view.source, rep.start, rep.end):
            if view.in_table(m.start()):
                continue
            stated = parse_number(m.group(1))
            if abs(stated - computed) <= cfg["rate_tol"]:
                continue
            names = cfg["amount_names"]
            yield view.finding("rate-contradicted", {
                "rate_name": name, "stated": stated, "computed": computed,
                "numerator_zh": names[spec["numerator"]]["zh"], "numerator_en": names[spec["numerator"]]["en"],
                "denominator_zh": names[denominator_field]["zh"], "denominator_en": names[denominator_field]["en"],
                "numerator": _yuan(numerator), "denominator": _yuan(denominator),
            }, [view.span(m.start(), m.end()), *_money_evidence(view, numerator), *_money_evidence(view, denominator)])


def _yuan(value: Decimal) -> str:
    if abs(value) >= 10000:
        return f"{_show(value / 10000)}万元"
    return f"{_show(value)}元"


# ---------------------------------------------------------------- rules: dates

def _in(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def completion_before_year(view: ReportView) -> Iterator[Finding]:
    cfg = rules_config()
    rep = view.report
    if rep.year is None:
        return
    for m in cfg["completion_re"].finditer(view.source, rep.start, rep.end):
        if int(m.group(1)) >= rep.year or _in(m.start(), view.sections_about_targets) or view.in_table(m.start()):
            continue
        end = cfg["clause_end"].search(view.source, m.end(), min(rep.end, m.end() + cfg["completion"]["window"]))
        clause = view.source[m.end():end.start() if end else min(rep.end, m.end() + cfg["completion"]["window"])]
        if not cfg["completion_words"].search(clause):
            continue
        yield view.finding("completion-before-year", {"date": squash(m.group(0)).lstrip("截止至到于"), "year": rep.year},
                           [view.span(m.start(), m.end() + len(clause))])


def signed_before_year_end(view: ReportView) -> Iterator[Finding]:
    rep = view.report
    if rep.year is None or not rep.signed:
        return
    try:
        parts = [int(p) for p in rep.signed.split("-")]
        signed = date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    except (ValueError, IndexError):
        return
    if signed >= date(rep.year, 12, 31):
        return
    yield view.finding("signed-before-year-end", {"signed": rep.signed, "year": rep.year},
                       _signature_evidence(view, parts[0]))


def _signature_evidence(view: ReportView, year: int) -> list[Evidence]:
    """The last date of the report written in the signature's year: the date under the signature."""
    dates = [m for m in view.mentions if m.type == "DATE" and str(m.value or "").startswith(str(year))]
    return [view.span(dates[-1].start, dates[-1].end)] if dates else []


def target_year_passed(view: ReportView) -> Iterator[Finding]:
    cfg = rules_config()
    rep = view.report
    if rep.year is None:
        return
    for s, e in view.sections_about_targets:
        for m in cfg["deadline"].finditer(view.source, s, e):
            if int(m.group(1)) < rep.year and not view.in_table(m.start()):
                yield view.finding("target-year-passed", {"date": squash(m.group(0)), "year": rep.year},
                                   [view.span(m.start(), m.end())])
    for ind in view.indicators:
        for m in cfg["row_deadline"].finditer(view.source, ind.start, ind.end):
            if int(m.group(1)) < rep.year:
                yield view.finding("target-year-passed", {"date": squash(m.group(0)), "year": rep.year},
                                   [view.span(m.start(), m.end()), view.row(ind)])
                break


# ---------------------------------------------------------------- rules: the same indicator twice

_FIELDS = {  # field: (Chinese, English)
    "target": ("年度指标值", "target"),
    "actual": ("实际完成值", "actual value"),
    "weight": ("分值", "weight"),
    "score": ("得分", "score"),
}


def _value_of(ind: Indicator, name: str) -> tuple[Any, str | None, str | None]:
    if name == "target":
        return ind.target, ind.target_unit, ind.target_op
    if name == "actual":
        return ind.actual, ind.actual_unit, None
    return getattr(ind, name), None, None


def _scaled(value: Any, unit: str | None) -> Any:
    return in_canonical(value, unit)[0] if isinstance(value, Decimal) else value


def inconsistent_values(view: ReportView) -> Iterator[Finding]:
    yield from _between_tables(view)
    yield from _text_and_table(view)


def _comparable(value: Any, unit: str | None, other_unit: str | None) -> Any:
    if isinstance(value, str):
        return squash(value)
    return _scaled(value, unit) if unit and other_unit else value


def _between_tables(view: ReportView) -> Iterator[Finding]:
    for ind in view.indicators:
        for other in ind.merged:
            for name, (zh, en) in _FIELDS.items():
                a, b = _value_of(ind, name), _value_of(other, name)
                if a[0] is None or b[0] is None:
                    continue
                same_op = a[2] == b[2] or None in (a[2], b[2])
                if same_op and _comparable(a[0], a[1], b[1]) == _comparable(b[0], b[1], a[1]):
                    continue
                yield view.finding("inconsistent-values", {
                    "name": ind.name, "field_zh": zh, "field_en": en,
                    "first": _quantity(a[0], a[1], a[2]), "second": _quantity(b[0], b[1], b[2]),
                }, [view.row(ind), view.row(other)])


def _mention_value(m: Mention, unit: str | None) -> Decimal | None:
    """The mention's value in the indicator's unit, or None where they do not compare."""
    if not isinstance(m.value, Decimal):
        return None
    if m.type == "MONEY":
        money = unit_of(unit, "MONEY") if unit else None
        return m.value / money.factor if money and money.canonical == "元" else None
    if m.type == "PERCENT":
        return m.value if unit == "%" else None
    return m.value if unit and m.unit == unit else None


def _occurrences(text: str, words: Iterable[str], start: int, end: int) -> dict[str, list[int]]:
    """Where each word stands in text[start:end], left to right, each word's places not
    overlapping one another. One Aho-Corasick pass for all the words: a search of the
    report per word would be quadratic in a long report of many indicators."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    places: dict[str, list[int]] = {word: [] for word in automaton.keys()}
    if not places:
        return places
    automaton.make_automaton()
    for last, word in automaton.iter(text, start, end):
        at = last + 1 - len(word)
        found = places[word]
        if not found or at >= found[-1] + len(word):
            found.append(at)
    return places


def _stated_after(view: ReportView, end: int) -> Mention | None:
    """The quantity the text states for a name ending at `end`: the first in its clause."""
    cfg = rules_config()["text_values"]
    stop = rules_config()["clause_end"].search(view.source, end, end + cfg["window"])
    limit = stop.start() if stop else end + cfg["window"]
    after = [q for q in view.mentions_within(end, limit) if q.type in cfg["types"]]
    # a value before a change (由83.2%提高到89.7%) is not the one the text states now
    while len(after) > 1 and rules_config()["changed_to"].match(view.source, after[0].end):
        after.pop(0)
    return after[0] if after else None


def _text_and_table(view: ReportView) -> Iterator[Finding]:
    cfg = rules_config()["text_values"]
    rep = view.report
    indicators = [ind for ind in view.indicators
                  if isinstance(ind.actual, Decimal) and len(ind.name) >= cfg["min_name_chars"]]
    # read once per name, not per indicator: a table's rows often share one name
    stated: dict[str, list[tuple[int, Mention]]] = {}
    for name, starts in _occurrences(view.source, (ind.name for ind in indicators), rep.start, rep.end).items():
        stated[name] = [(start, quantity) for start in starts if not view.in_table(start)
                        and (quantity := _stated_after(view, start + len(name))) is not None]
    for ind in indicators:
        for start, quantity in stated[ind.name]:
            value = _mention_value(quantity, ind.actual_unit)
            targets = {ind.actual, ind.target if isinstance(ind.target, Decimal) else None}
            if value is None or value in targets:
                continue
            yield view.finding("inconsistent-values", {
                "name": ind.name, "field_zh": "实际完成值", "field_en": "actual value",
                "first": _quantity(ind.actual, ind.actual_unit), "second": quantity.text,
            }, [view.span(start, quantity.end), view.row(ind)])


# ---------------------------------------------------------------- rules: targets that cannot be measured

_DIGIT = regex.compile(r"\d")


def _text_target(ind: Indicator) -> bool:
    return isinstance(ind.target, str) and not _DIGIT.search(ind.target)


def unmeasurable_target(view: ReportView) -> Iterator[Finding]:
    cfg = rules_config()
    spec = cfg["unmeasurable"]
    for ind in view.indicators:
        if not _text_target(ind):
            continue
        level = next((lv for lv in (ind.level2, ind.level1) if lv in spec["quantity_levels"]), None)
        vague = cfg["vague"].search(squash(ind.target))
        if level is not None:
            why = {k: v.format(level=level) for k, v in spec["why"]["level"].items()}
        elif vague:
            why = {k: v.format(word=vague.group()) for k, v in spec["why"]["vague"].items()}
        else:
            continue
        yield view.finding("unmeasurable-target", {"name": ind.name, "target": ind.target, "why_zh": why["zh"],
                                                   "why_en": why["en"]}, [_cell(view, ind, ind.target)])


def target_equals_actual(view: ReportView) -> Iterator[Finding]:
    """A text actual that repeats its text target, or an actual written with the target's
    comparator (`≥98%` under `≥98%`): the target copied, not a value measured."""
    for ind in view.indicators:
        if _text_target(ind) and isinstance(ind.actual, str) and squash(ind.actual) == squash(ind.target):
            yield view.finding("target-equals-actual", {"name": ind.name, "target": ind.target, "actual": ind.actual},
                               [view.row(ind)])
        elif (ind.actual_op is not None and ind.actual_op == ind.target_op and ind.actual == ind.target
              and ind.actual_unit == ind.target_unit):
            written = _quantity(ind.target, ind.target_unit, ind.target_op)
            yield view.finding("target-equals-actual", {"name": ind.name, "target": written, "actual": written},
                               [view.row(ind)])


def _cell(view: ReportView, ind: Indicator, text: str) -> Evidence:
    """The cell's text inside the row where it is written as such, else the whole row."""
    row = view.source[ind.start:ind.end]
    k = row.find(text, row.find(ind.name[-4:]) + 1 if ind.name[-4:] in row else 0)
    if k < 0:
        k = row.find(text)
    return view.span(ind.start + k, ind.start + k + len(text)) if k >= 0 else view.row(ind)


# ---------------------------------------------------------------- rules: narrative

def narrative_all_met(view: ReportView) -> Iterator[Finding]:
    cfg = rules_config()
    missed = [i for i in view.indicators if i.met is False]
    if not missed:
        return
    rep = view.report
    for m in cfg["narrative_re"].finditer(view.source, rep.start, rep.end):
        before = view.source[max(rep.start, m.start() - 3):m.start()]
        if view.in_table(m.start()) or before.endswith(cfg["not_after"]):
            continue
        limit = cfg["narrative"]["max_names"]
        names = "、".join(i.name for i in missed[:limit]) + ("等" if len(missed) > limit else "")
        yield view.finding("narrative-all-met", {"phrase": m.group(), "count": len(missed), "names": names},
                           [view.span(m.start(), m.end()), *(view.row(i) for i in missed)])
        return  # one finding per report: the first such statement, with every missed row


RULES: dict[str, Rule] = {
    "missed-full-score": missed_full_score,
    "score-above-weight": score_above_weight,
    "total-mismatch": total_mismatch,
    "rate-contradicted": rate_contradicted,
    "completion-before-year": completion_before_year,
    "signed-before-year-end": signed_before_year_end,
    "target-year-passed": target_year_passed,
    "inconsistent-values": inconsistent_values,
    "unmeasurable-target": unmeasurable_target,
    "target-equals-actual": target_equals_actual,
    "narrative-all-met": narrative_all_met,
}


# ---------------------------------------------------------------- entry points

def audit_report(source: str, report: Report, indicators: list[Indicator], mentions: list[Mention],
                 rules: Sequence[str] | None = None) -> list[Finding]:
    """Findings of one report (`indicators` and `mentions` may be the whole document's)."""
    return _audit_view(_ByReport(indicators, mentions).view(source, report), rules)


def _audit_view(view: ReportView, rules: Sequence[str] | None) -> list[Finding]:
    out: list[Finding] = []
    for rule in rules or RULES:
        out.extend(RULES[rule](view))
    return out


class _ByStart:
    """Mentions found by where they start, by bisection, kept in their given order."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = mentions
        starts = [m.start for m in mentions]
        # None: already in order of start (as a document's mentions are), a slice of them is the answer
        self.order = None if starts == sorted(starts) else sorted(range(len(mentions)), key=starts.__getitem__)
        self.starts = starts if self.order is None else [starts[k] for k in self.order]

    def within(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if self.order is None:
            return self.mentions[lo:hi]
        return [self.mentions[k] for k in sorted(self.order[lo:hi])]


class _ByReport:
    """A document's indicators and mentions, each report's found without a pass over all of them."""

    def __init__(self, indicators: list[Indicator], mentions: list[Mention]):
        self.indicators: dict[int | None, list[Indicator]] = {}
        for ind in indicators:
            self.indicators.setdefault(ind.report, []).append(ind)
        self.mentions = _ByStart(mentions)

    def view(self, source: str, report: Report) -> ReportView:
        """The report's view, its indicators and mentions in the document's order."""
        return ReportView(report.doc, source, report, list(self.indicators.get(report.report, ())),
                          self.mentions.within(report.start, report.end))


def audit(result: "DocumentResult", source: str | None = None, rules: Sequence[str] | None = None) -> list[Finding]:
    """Findings of every report of one processed document, in report order.

    The source is the document's text (`result.document.text`); pass it for results
    of `process_text`, which keep no document.
    """
    if source is None:
        if result.document is None:
            raise ValueError("audit needs the source text: pass source= for a result without a document")
        source = result.document.text
    unknown = [r for r in rules or () if r not in RULES]
    if unknown:
        raise ValueError(f"unknown audit rule(s) {', '.join(unknown)}; expected some of {', '.join(RULES)}")
    out: list[Finding] = []
    by_report = _ByReport(result.indicators, result.mentions)
    for report in result.reports:
        out.extend(_audit_view(by_report.view(source, report), rules))
    return sorted(out, key=finding_order)


def finding_order(f: Finding) -> tuple:
    """Reports in order; within one, errors first, then by where the evidence is."""
    return (f.report if f.report is not None else -1, SEVERITY_ORDER.get(f.severity, 9), f.start or 0, f.rule)


def audit_text(text: str, doc_id: str = "<text>", rules: Sequence[str] | None = None) -> list[Finding]:
    from .document import process_text

    return audit(process_text(text, doc_id), text, rules)


def stored_findings(store: "Store", doc: str | None = None, report: int | None = None) -> list[Finding]:
    """Findings ingest stored, for one document (by `doc` id or path) or all, in order."""
    where, params = [], []
    if doc is not None:
        where.append("(documents.doc = ? OR documents.path = ?)")
        params += [doc, doc]
    if report is not None:
        where.append("findings.report = ?")
        params.append(report)
    rows = store.conn.execute(
        "SELECT findings.*, documents.doc AS doc FROM findings JOIN documents ON documents.id = findings.document_id "
        + ("WHERE " + " AND ".join(where) if where else "") + " ORDER BY findings.id", params)
    return [finding_of_row(dict(r)) for r in rows]


def finding_of_row(row: dict[str, Any]) -> Finding:
    evidence = json.loads(row["evidence"]) if row.get("evidence") else []
    return Finding.from_record({**row, "evidence": evidence})


def audit_stored(store: "Store", doc: str) -> list[Finding]:
    """Run the rules again over a stored document's source (by `doc` id or path)."""
    row = store.conn.execute("SELECT doc, source FROM documents WHERE doc = ? OR path = ? ORDER BY id LIMIT 1",
                             (doc, doc)).fetchone()
    if row is None:
        raise KeyError(f"no stored document {doc!r}")
    return audit_text(row["source"], row["doc"])


# ---------------------------------------------------------------- rendering

CITE_WIDTH = 40


def _cite(text: str | None, width: int = CITE_WIDTH) -> str:
    s = " ".join((text or "").split())
    return s if len(s) <= width else s[:width] + "…"


def render_table(findings: Sequence[Finding]) -> str:
    """One line per finding: where, severity, rule, evidence span, the Chinese line, the cited text."""
    return "\n".join(f"{report_ref(f.doc, f.report)}\t{f.severity}\t{f.rule}\t{f.start}-{f.end}\t{f.zh}\t「{_cite(f.text)}」"
                     for f in findings)


def render_markdown(findings: Sequence[Finding], titles: dict[tuple[str, int | None], str] | None = None) -> str:
    """Findings grouped by report, each with both explanations and its cited evidence; every
    text from a document escaped (summary.markdown_text), so it stays text."""
    from .summary import markdown_text as m

    titles = titles or {}
    out = ["# jixiao 审计 / audit", ""]
    if not findings:
        out.append("（未发现问题 / no findings）")
    current = None
    for f in findings:
        key = (f.doc, f.report)
        if key != current:
            current = key
            title = titles.get(key)
            out += ["", f"## {m(report_ref(f.doc, f.report))}" + (f" {m(title)}" if title else ""), ""]
        out.append(f"- **{f.severity}** `{f.rule}` {m(f.zh)}  ")
        out.append(f"  {m(f.en)}  ")
        out.append("  " + "；".join(f"「{m(_cite(e.text, 80))}」({e.start}–{e.end})" for e in f.evidence))
    return "\n".join(out).replace("\n\n\n", "\n\n")
