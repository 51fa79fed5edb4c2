"""Split a document into its 绩效自评报告 and read each one's title block,
organisation, year, project, money trail, self score and signature date.

A report runs from its title block (the 文件 header, document number, 签发人 and
organisation lines above the title, then the title) to the line before the next
report's title block. Text is read in its normalised form; offsets are mapped
back to the source.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

import regex

from ..normalize import Normalized, normalize
from ..resolve.quantities import resolve_quantity
from ..resolve.references import resolve_date
from ._common import alternation, config, json_number, lines, squash
from .sections import Section, heading_at, parse_sections
from .tables import total_score


@dataclass
class Report:
    doc: str
    report: int
    start: int
    end: int
    title: str | None = None
    org: str | None = None
    year: int | None = None
    project: str | None = None
    budget: Decimal | None = None
    received: Decimal | None = None
    spent: Decimal | None = None
    execution_rate: Decimal | None = None
    self_score: Decimal | None = None
    signed: str | None = None
    sections: list[Section] = field(default_factory=list)
    # normalised span, for the table parser and later stages
    norm_start: int = field(default=0, repr=False)
    norm_end: int = field(default=0, repr=False)

    def record(self) -> dict[str, Any]:
        return {
            "kind": "report",
            "doc": self.doc,
            "report": self.report,
            "start": self.start,
            "end": self.end,
            "title": self.title,
            "org": self.org,
            "year": self.year,
            "project": self.project,
            "budget": json_number(self.budget),
            "received": json_number(self.received),
            "spent": json_number(self.spent),
            "execution_rate": json_number(self.execution_rate),
            "self_score": json_number(self.self_score),
            "signed": self.signed,
            "sections": [s.record() for s in self.sections],
        }


@lru_cache(maxsize=1)
def _report_rules() -> dict[str, Any]:
    cfg = config("report")
    return {
        "endings": tuple(cfg["title_endings"]),
        "suffixes": sorted(cfg["title_suffixes"], key=len, reverse=True),
        "max_title": int(cfg["max_title_chars"]),
        "headers": [regex.compile(p) for p in cfg["header_line_patterns"]],
        "org": regex.compile(r"^[\p{Han}()（）A-Za-z0-9]{1,%d}(?:%s)$"
                             % (int(cfg["max_org_chars"]), alternation(cfg["org_suffixes"]))),
        "year": regex.compile(cfg["year_pattern"]),
    }


_DATE_LINE = regex.compile(r"^\s*((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                           r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$")
_SENTENCE_PUNCT = regex.compile(r"[。，,；;！？!?]")


def _is_title(line: str) -> bool:
    rules = _report_rules()
    s = squash(line)
    return (bool(s) and s.endswith(rules["endings"]) and len(s) <= rules["max_title"]
            and not _SENTENCE_PUNCT.search(s) and "\t" not in line)


def _is_header_line(s: str) -> bool:
    rules = _report_rules()
    return any(p.search(s) for p in rules["headers"])


def _is_org_line(s: str) -> bool:
    return bool(_report_rules()["org"].match(s))


@dataclass
class _Title:
    block_start: int  # normalised offsets
    start: int
    end: int
    text: str
    org_lines: list[str]


def to_norm(norm: Normalized, pos: int) -> int:
    """Source offset -> normalised offset (the next kept character when `pos` was deleted)."""
    k = bisect_right(norm.src_starts, pos) - 1
    if k < 0:
        return 0
    nxt = norm.norm_starts[k + 1] if k + 1 < len(norm.norm_starts) else len(norm.text)
    return min(norm.norm_starts[k] + (pos - norm.src_starts[k]), nxt)


def _titles(source: str) -> list[_Title]:
    """Title blocks, found on source lines (normalisation may join a title to the line after it)."""
    text_lines = [(s, e, ln) for s, e, ln in lines(source) if ln.strip()]
    found: list[_Title] = []
    for i, (s, e, line) in enumerate(text_lines):
        if not _is_title(line):
            continue
        title_start, parts = s, [squash(line)]
        j = i - 1
        year = _report_rules()["year"]
        # a title broken over lines: join what comes before while the title has no year yet
        while j >= 0 and not year.search("".join(parts)):
            prev = squash(text_lines[j][2])
            if (_is_header_line(prev) or _SENTENCE_PUNCT.search(prev) or heading_at(text_lines[j][2])
                    or _DATE_LINE.match(prev) or len(prev) > _report_rules()["max_title"]):
                break
            if _is_org_line(prev) and not year.search(parts[0]) and not parts[0].startswith(("项目", "绩效")):
                break
            parts.insert(0, prev)
            title_start = text_lines[j][0]
            j -= 1
        # the block above: 文件 header, document number, 签发人, organisation lines
        block_start, org_lines = title_start, []
        while j >= 0 and i - j <= 6:
            prev = squash(text_lines[j][2])
            if _is_header_line(prev):
                block_start = text_lines[j][0]
            elif _is_org_line(prev):
                block_start = text_lines[j][0]
                org_lines.insert(0, prev)
            else:
                break
            j -= 1
        if found and block_start < found[-1].end:
            continue
        found.append(_Title(block_start, title_start, e, "".join(parts), org_lines))
    return found


def _split_title(title: str, org_lines: list[str], signature_org: str | None) -> tuple[str | None, int | None, str | None]:
    rules = _report_rules()
    m = rules["year"].search(title)
    year = int(m.group(1)) if m else None
    org = title[:m.start()] if m and m.start() > 0 else None
    if not org:
        org = (org_lines[-1] if org_lines else None) or signature_org
        if org and org.endswith("文件"):
            org = org[:-2]
    rest = title[m.end():] if m else title
    if not m and org and rest.startswith(org):
        rest = rest[len(org):]
    for suffix in rules["suffixes"]:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            rest = rest[: -len(suffix)]
            break
    return org or None, year, rest or None


# ---------------------------------------------------------------- money trail

# Tried only where a run of digits or numerals starts (not after `1,` or inside 一一一): a later start in
# the same run reaches the same unit or none, and trying each would cost the square of the run.
_AMOUNT = regex.compile(r"(?<![\d.])((?<!\d,)\d[\d,]*(?:\.\d+)?|(?<![零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟])[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]+)\s*(万元|亿元|元|万(?![\p{Han}]{0,1}[人次个户])|亿)")


@lru_cache(maxsize=1)
def _money_rules() -> dict[str, Any]:
    cfg = config("money_trail")
    cue_to_field = {}
    for fld, words in cfg["predicates"].items():
        for w in words:
            cue_to_field[w] = fld
    num = r"\s*(?:为|达|达到|是|:|：)?\s*(\d+(?:\.\d+)?)\s*"
    return {
        "cues": regex.compile(alternation(list(cue_to_field))),
        "cue_field": cue_to_field,
        "breaks": regex.compile(cfg["clause_breaks"]),
        "full_spend": [regex.compile(p) for p in cfg["full_spend_patterns"]],
        "exec_rate": regex.compile("(?:" + alternation(cfg["execution_rate_names"]) + ")" + num + "%"),
        "score": regex.compile("(?:" + alternation(cfg["self_score_names"]) + ")" + num + "分"),
        "funds_words": tuple(cfg["funds_section_words"]),
    }


def _money_value(text: str) -> Decimal | None:
    q = resolve_quantity("MONEY", text)
    return q.value if q else None


def _money_trail(text: str) -> dict[str, Decimal | None]:
    """budget / received / spent from predicate words written before amounts."""
    rules = _money_rules()
    out: dict[str, Decimal | None] = {"budget": None, "received": None, "spent": None}
    for m in _AMOUNT.finditer(text):
        window_start = max(0, m.start() - 30)
        clause = text[window_start:m.start()]
        b = None
        for b in rules["breaks"].finditer(clause):
            pass
        if b:
            clause = clause[b.end():]
        cues = list(rules["cues"].finditer(clause))
        if not cues:
            continue
        cue = cues[-1]
        # the amount must follow its predicate closely: 预算资金 30 万元, 到位 30 万元
        if len(clause) - cue.end() > 12:
            continue
        fld = rules["cue_field"][cue.group()]
        if out[fld] is None:
            out[fld] = _money_value(m.group())
    return out


def _read_money(report: Report, norm: Normalized) -> None:
    rules = _money_rules()
    body = norm.text[report.norm_start:report.norm_end]
    funds = ""
    for sec in report.sections:
        if any(w in sec.heading for w in rules["funds_words"]):
            funds = norm.source[sec.start:sec.end]
            funds = normalize(funds).text
            break
    trail = _money_trail(funds) if funds else {"budget": None, "received": None, "spent": None}
    whole = _money_trail(body)
    for fld in trail:
        if trail[fld] is None:
            trail[fld] = whole[fld]
    if trail["spent"] is None:
        scope = funds or body
        if any(p.search(scope) for p in rules["full_spend"]):
            trail["spent"] = trail["received"] or trail["budget"]
    report.budget, report.received, report.spent = trail["budget"], trail["received"], trail["spent"]
    m = rules["exec_rate"].search(funds) or rules["exec_rate"].search(body)
    report.execution_rate = Decimal(m.group(1)) if m else None
    m = rules["score"].search(body)
    report.self_score = Decimal(m.group(1)) if m else total_score(norm.source, report.start, report.end)


def _signature(norm: Normalized, start: int, end: int) -> tuple[str | None, str | None]:
    """(date, organisation) written under the signature at the end of the report."""
    tail = [ln for _, _, ln in lines(norm.text[start:end]) if ln.strip()][-4:]
    date = org = None
    for i, ln in enumerate(tail):
        if _DATE_LINE.match(ln):
            date = resolve_date(squash(ln))
            if i > 0 and _is_org_line(squash(tail[i - 1])):
                org = squash(tail[i - 1])
    return date, org


# ---------------------------------------------------------------- entry point

def parse_reports(text: str, doc_id: str, norm: Normalized | None = None) -> list[Report]:
    """The reports of one document, in order, with offsets into `text`."""
    norm = norm or normalize(text)
    titles = _titles(text)
    if titles:
        spans = [(t.block_start, titles[k + 1].block_start if k + 1 < len(titles) else len(text))
                 for k, t in enumerate(titles)]
    else:
        spans = [(len(text) - len(text.lstrip()), len(text))]
    reports: list[Report] = []
    for k, (s, e) in enumerate(spans):
        ns, ne = to_norm(norm, s), to_norm(norm, e)
        report = Report(doc_id, k, s, e, norm_start=ns, norm_end=ne)
        signed, signature_org = _signature(norm, ns, ne)
        report.signed = signed
        body_start = ns
        if titles:
            t = titles[k]
            report.title = t.text
            report.org, report.year, report.project = _split_title(t.text, t.org_lines, signature_org)
            body_start = to_norm(norm, t.end)
        else:
            report.org = signature_org
            m = _report_rules()["year"].search(norm.text, ns, ne)
            report.year = int(m.group(1)) if m else None
        report.sections = parse_sections(norm, body_start, ne)
        _read_money(report, norm)
        reports.append(report)
    return reports
