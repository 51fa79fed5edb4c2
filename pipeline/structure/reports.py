"""Split a document into its reports and read each one's category, title block,
organisation, year, project, money trail, self score and signature date.

A report runs from its title block (the 文件 header, document number, 签发人,
附件 and organisation lines above the title, then the title) to the line before the
next report's title block; a title under 附件 after a report, or right under another
title, belongs to the report before. Fields come from the title, from the labelled
cells of a form (项目名称, 实施单位, 年度资金总额 …, pipeline/structure/reader.py
`form_cells`), from the narrative (预算 … 万元), in that order; a report's category
(models/structure.yaml `report.categories`) decides which fields it can have at all:
a 决算's revenue is not a project's budget. Where the document does not say, a
field is None. Amounts are the recognisers' MONEY mentions (resolve/), so the
money trail runs no pattern of its own over the text.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Sequence

import regex

from ..normalize import Normalized, normalize
from ..recognize.guard import bounded
from ..recognize.mention import Mention
from ..resolve.quantities import resolve_quantity
from ..resolve.references import resolve_date
from ._common import alternation, config, json_number, lines, squash
from .reader import BRACKETED, Cell, Reading, Table, form_cells, form_labels, grid_lines, layout_of, read_tables
from .sections import Section, heading_at, parse_sections
from .tables import score_number, total_rows

# A title is broken over at most this many lines.
MAX_TITLE_LINES = 4
CATEGORIES = ("项目自评", "部门整体自评", "绩效目标", "绩效评价", "决算", "预算", "其他")
MONEY_FIELDS = ("budget", "received", "spent", "execution_rate", "self_score")


@dataclass
class Report:
    doc: str
    report: int
    start: int
    end: int
    category: str = "其他"
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
    # the tables read in the report's span (indicator tables), and the source offsets of
    # its numeric grid rows (money grids of forms, 决算 tables): read once, used by the
    # indicators, the audit and the linker
    tables: list[Table] = field(default_factory=list, repr=False)
    grid_rows: list[tuple[int, int]] = field(default_factory=list, repr=False)
    # the money row's 分值 and 得分 (the budget-execution part of the total score), for the audit
    budget_weight: Decimal | None = field(default=None, repr=False)
    budget_score: Decimal | None = field(default=None, repr=False)
    # normalised span, for later stages
    norm_start: int = field(default=0, repr=False)
    norm_end: int = field(default=0, repr=False)

    def record(self) -> dict[str, Any]:
        return {
            "kind": "report",
            "doc": self.doc,
            "report": self.report,
            "start": self.start,
            "end": self.end,
            "category": self.category,
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
    categories = {k: tuple(v) for k, v in cfg["categories"].items()}
    fields = {k: set(v) for k, v in cfg["category_fields"].items()}
    from ..errors import ModelError

    for name in list(categories) + list(fields):
        if name not in CATEGORIES:
            raise ModelError("structure.yaml", f"report: unknown category {name!r}; expected one of {CATEGORIES}")
    return {
        "endings": tuple(cfg["title_endings"]),
        "form_endings": tuple(w for w in cfg["title_endings"] if w.endswith("表")),
        "ending_re": regex.compile(alternation(cfg["title_endings"])),
        "squashed_ending_re": bounded(alternation([squash(w) for w in cfg["title_endings"]])),
        "suffixes": sorted(cfg["title_suffixes"], key=len, reverse=True),
        "max_title": int(cfg["max_title_chars"]),
        "headers": [regex.compile(p) for p in cfg["header_line_patterns"]],
        "attachment": regex.compile(cfg["attachment_pattern"]),
        "chrome": [regex.compile(p) for p in cfg["chrome_patterns"]],
        "subtitle": int(cfg["subtitle_distance"]),
        "org": regex.compile(r"^[\p{Han}()（）A-Za-z0-9]{1,%d}(?:%s)$"
                             % (int(cfg["max_org_chars"]), alternation(cfg["org_suffixes"]))),
        "links": tuple(cfg["org_project_links"]),
        "generic": tuple(cfg["generic_title_starts"]),
        "year": regex.compile(cfg["year_pattern"]),
        "published": regex.compile(cfg["published_pattern"]),
        "categories": categories,
        "fields": fields,
    }


_DATE_LINE = regex.compile(r"^\s*((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                           r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$")
_SENTENCE_PUNCT = regex.compile(r"[。，,；;！？!?]")
_TRAILING_BRACKET = regex.compile(r"[(（][^()（）]{1,12}[)）]$")
_LABEL_TAIL = regex.compile(r"%s|[:：]$" % BRACKETED)  # 项目资金(万元) / 填报单位：
_MARKUP = regex.compile(r"^[#>*|｜]+|[|｜*]+$")
_WS = regex.compile(r"\s+")
# A line that only gives the year, under a title: （2023年度）
_YEAR_LINE = regex.compile(r"^[(（](?:19|20)\d{2}年度?[)）]$")
_SEAL = regex.compile(r"^[(（][^()（）]{0,8}盖章[)）]")  # （单位盖章） before the signing unit


def _unmarked(text: str) -> str:
    """Text as written, whitespace removed, without the markup around a title: markdown
    heading and emphasis marks (`# `, `**`), a quote mark, the pipes of a table row
    (`| 2024年度…目标表 | | |`)."""
    return _MARKUP.sub("", _WS.sub("", text))


def _title_text(line: str) -> str:
    """A line as a title candidate: width folded, whitespace, markup and a trailing `（2023年度）` off."""
    return _TRAILING_BRACKET.sub("", _MARKUP.sub("", squash(line)))


def _is_title(line: str) -> bool:
    rules = _report_rules()
    s = _title_text(line)
    return (bool(s) and s.endswith(rules["endings"]) and len(s) <= rules["max_title"]
            and not _SENTENCE_PUNCT.search(s) and "\t" not in line and not _is_chrome(line))


def _is_chrome(line: str) -> bool:
    return any(p.search(line) for p in _report_rules()["chrome"])


def _is_header_line(s: str) -> bool:
    return any(p.search(s) for p in _report_rules()["headers"])


def _is_org_line(s: str) -> bool:
    return bool(_report_rules()["org"].match(s))


def report_ref(doc: str, report: int | None) -> str:
    """The one reference to a report that every output shows (extract, tables, audit, summary,
    search, export): `doc#N`, N its 0-based index in the document."""
    return f"{doc}#{report}" if report is not None else doc


def parse_report_ref(ref: str) -> tuple[str, int]:
    """`zhangye_transport_2023.txt#2` -> (doc, 2); ValueError naming the reference otherwise."""
    doc, sep, number = ref.strip().rpartition("#")
    if not sep or not doc or not number.isdigit():
        raise ValueError(f"not a report reference (DOC#N, as `jixiao summary --list` shows): {ref!r}")
    return doc, int(number)


def category_of(title: str | None) -> str:
    """The report's kind from its title (models/structure.yaml `report.categories`)."""
    if title:
        for name, words in _report_rules()["categories"].items():
            if any(w in title for w in words):
                return name
    return "其他"


@dataclass
class _Title:
    block_start: int
    start: int
    end: int
    text: str
    org_lines: list[str]
    attachment: bool = False


def to_norm(norm: Normalized, pos: int) -> int:
    """Source offset -> normalised offset (the next kept character when `pos` was deleted)."""
    k = bisect_right(norm.src_starts, pos) - 1
    if k < 0:
        return 0
    nxt = norm.norm_starts[k + 1] if k + 1 < len(norm.norm_starts) else len(norm.text)
    return min(norm.norm_starts[k] + (pos - norm.src_starts[k]), nxt)


def _run_on_title(line: str) -> int | None:
    """Where a title that runs into the next sentence ends (`…绩效评价报告根据工作安排，…`):
    after the first title ending of the line's first clause."""
    rules = _report_rules()
    clause = _SENTENCE_PUNCT.split(line, maxsplit=1)[0]
    for m in rules["ending_re"].finditer(clause):
        if m.end() < len(clause) and len(squash(clause[:m.end()])) <= rules["max_title"]:
            return m.end()
    return None


def _titles(document: Reading) -> list[_Title]:
    """Title blocks, found on source lines (normalisation may join a title to the line after it)."""
    rules = _report_rules()
    source = document.text
    # a title, or a title run on into a sentence, holds a title ending (in its squashed form)
    endings = rules["squashed_ending_re"]
    kept = [k for k, (_s, _e, line) in enumerate(document.lines) if line.strip()]
    text_lines = [document.lines[k] for k in kept]
    found: list[_Title] = []
    first = next((k for k, (_, _, ln) in enumerate(text_lines) if not _is_chrome(ln)), None)
    ending_lines = document.holding(endings)
    for i in [i for i, k in enumerate(kept) if k in ending_lines]:
        s, e, line = text_lines[i]
        if not _is_title(line):
            cut = _run_on_title(line) if i == first else None
            if cut is None:
                continue
            e = s + cut
            line = line[:cut]
        title_start, parts = s, [_title_text(line)]
        j = i - 1
        year = rules["year"]
        # a title broken over lines: join what comes before while the title has no year yet
        while j >= 0 and i - j <= MAX_TITLE_LINES and not year.search("".join(parts)):
            prev = squash(text_lines[j][2])
            if (_is_header_line(prev) or _SENTENCE_PUNCT.search(prev) or heading_at(text_lines[j][2])
                    or _DATE_LINE.match(prev) or len(prev) > rules["max_title"] or _is_chrome(text_lines[j][2])
                    or "\t" in text_lines[j][2] or "|" in prev):
                break
            if _is_org_line(prev) and not year.search(parts[0]) and not parts[0].startswith(("项目", "绩效")):
                break
            parts.insert(0, prev)
            title_start = text_lines[j][0]
            j -= 1
        # the year on the line under the title is part of it: 项目支出绩效自评表⏎（2023年度）
        if i + 1 < len(text_lines) and _YEAR_LINE.match(squash(text_lines[i + 1][2])):
            e = text_lines[i + 1][1]
            parts.append(squash(text_lines[i + 1][2]))
        # the block above: 文件 header, document number, 签发人, 附件, organisation lines
        block_start, org_lines, attachment = title_start, [], False
        while j >= 0 and i - j <= 6:
            prev = squash(text_lines[j][2])
            if _is_header_line(prev):
                block_start = text_lines[j][0]
                attachment = attachment or bool(rules["attachment"].match(prev))
            elif _is_org_line(prev):
                block_start = text_lines[j][0]
                org_lines.insert(0, prev)
            else:
                break
            j -= 1
        if found and block_start < found[-1].end:
            continue
        found.append(_Title(block_start, title_start, e, "".join(parts), org_lines, attachment))
    return _reports_of(found, source)


def _reports_of(found: list[_Title], source: str) -> list[_Title]:
    """The titles that open a report: not an attachment's title after a report, nor a subtitle,
    nor the caption of a form (…自评表) inside a report (…自评报告) of the same year."""
    rules = _report_rules()
    out: list[_Title] = []
    for t in found:
        if out and t.attachment:
            continue
        if out and t.text.endswith(rules["form_endings"]) and not out[-1].text.endswith(rules["form_endings"]):
            years = {m.group(1) for m in (rules["year"].search(x.text) for x in (out[-1], t)) if m}
            if len(years) <= 1:
                continue
        if out:
            between = source[out[-1].end:t.block_start]
            if (len(between) <= rules["subtitle"] and "\t" not in between and "|" not in between
                    and not any(heading_at(ln) for ln in between.split("\n"))):
                continue
        out.append(t)
    return out


def _split_title(title: str, org_lines: list[str]) -> tuple[str | None, int | None, str | None]:
    """(organisation, year, project) as the title gives them; the organisation only when it reads as one."""
    rules = _report_rules()
    m = rules["year"].search(title)
    year = int(m.group(1)) if m else None
    head = title[:m.start()] if m else ""
    rest = title[m.end():] if m else title
    for link in rules["links"] if not head else ():
        k = rest.find(link)
        if k > 0:
            head, rest = rest[:k], rest[k + len(link):]
            break
    org = head if head and _is_org_line(head) else None
    if not org and org_lines:
        org = org_lines[-1].removesuffix("文件")
    if org and rest.startswith(org):
        rest = rest[len(org):]
    for suffix in rules["suffixes"]:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            rest = rest[: -len(suffix)]
            break
    else:
        if rest.endswith(rules["endings"]):
            rest = ""
    if rest.endswith(rules["endings"]) or rest.startswith(rules["generic"]):
        rest = ""
    return org, year, rest or None


# ---------------------------------------------------------------- forms

@lru_cache(maxsize=1)
def _form_rules() -> dict[str, Any]:
    cfg = config("forms")
    columns = {w: col for col, words in cfg["money_columns"].items() for w in words}
    return {
        "project": tuple(cfg["project"]),
        "org": list(cfg["org"]),
        "supervisor": tuple(cfg["supervisor"]),
        "self_score": tuple(cfg["self_score"]),
        "execution_rate": tuple(cfg["execution_rate"]),
        "money_label": tuple(cfg["money_label"]),
        "columns": sorted(columns.items(), key=lambda x: -len(x[0])),
        "column_words": tuple(columns),
        # labels whose value is the next cell
        "named": {*cfg["project"], *cfg["org"], *cfg["supervisor"], *cfg["self_score"], *cfg["execution_rate"]},
        "money_row": tuple(cfg["money_row"]),
        "amount_unit": regex.compile(cfg["amount_unit"]),
    }


def _label(cell: Cell) -> str:
    """A label cell's word: brackets and the colon after it off."""
    key = cell.key
    if "(" not in key and "（" not in key and not key.endswith((":", "：")):
        return key  # nothing to take off (most cells)
    return _LABEL_TAIL.sub("", key)


def _column(cell: Cell) -> str | None:
    label, rules = _label(cell), _form_rules()
    if not label.endswith(rules["column_words"]):
        return None
    return next((col for word, col in rules["columns"] if label.endswith(word)), None)


def _is_form_label(cell: Cell) -> bool:
    return bool(form_labels().fullmatch(cell.key))


def _value_after(cells: list[Cell], k: int) -> str | None:
    """The value of the label cells[k]: the next cell, unless it is blank or another label."""
    nxt = cells[k + 1] if k + 1 < len(cells) else None
    return nxt.key if nxt is not None and not _is_form_label(nxt) and not nxt.blank else None


@dataclass
class _Form:
    project: str | None = None
    org: str | None = None
    self_score: Decimal | None = None
    execution_rate: Decimal | None = None
    budget: Decimal | None = None
    budget_start: Decimal | None = None
    spent: Decimal | None = None
    self_score_at: int | None = None  # where the self score's label is
    # the 分值 and 得分 of the money row (年度资金总额 … 10 97.00% 9.7): the budget-execution
    # part of the total score in the national template
    budget_weight: Decimal | None = None
    budget_score: Decimal | None = None


def _row_score(cells: list[Cell], k: int, text: str) -> Decimal | None:
    """The score a self-score label gives: the last number on its line (`自评总分 … 100 98.2`:
    the 分值 column, then the 得分 column), else the cell after it."""
    line_end = text.find("\n", cells[k].end)
    line_end = len(text) if line_end < 0 else line_end
    numbers = []
    # indexed, not itertools.islice, which walks from the form's first cell to reach k: at
    # every self-score label that gives no score, quadratic in the form
    j = k + 1
    while j < len(cells) and cells[j].start < line_end:
        numbers.append(score_number(cells[j].text))
        j += 1
    numbers = [n for n in numbers if n is not None]
    if numbers:
        return numbers[-1]
    return score_number(cells[k + 1].text) if k + 1 < len(cells) else None


def _percent(text: str) -> Decimal | None:
    q = resolve_quantity("PERCENT", squash(text))
    return q.value if q else None


def _amount(text: str, unit: str) -> Decimal | None:
    """A bare amount cell in the page's unit (`1,317.02` under 万元 -> 13170200)."""
    s = squash(text)
    if not s or not s[0].isdigit():
        return None
    q = resolve_quantity("MONEY", s + unit) or resolve_quantity("MONEY", s)
    return q.value if q else None


# The cells of a glued money row (_glued_amounts), compiled once.
_GLUED_AMOUNT = regex.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}|\d+\.\d{2}|[-—–]+")
_GLUED_RATE = regex.compile(r"\d+(?:\.\d+)?%|[-—–]+")
_GLUED_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
_GLUED_DASHES = regex.compile(r"[-—–]+")
_GLUED_NUMBER_OR_DASHES = regex.compile(r"\d+(?:\.\d+)?|[-—–]+")
# The unit a money grid's header gives its amounts in: 项目资金（万元）
_GRID_UNIT = regex.compile(r"[(（](万元|元|亿元)[)）]")


def _glued_amounts(text: str, columns: list[str]) -> list[str]:
    """Glued cells of a money row cut by their columns: amounts have two decimals, the
    rate ends in %, the 分值得分 pair takes what is left (586.00612.40598.6297.75%109.8)."""
    from .reader import weight_and_score

    out, pos = [], 0
    for k, col in enumerate(columns):
        rest = text[pos:]
        if col in ("budget_start", "budget", "spent"):
            m = _GLUED_AMOUNT.match(rest)
        elif col == "execution_rate":
            m = _GLUED_RATE.match(rest)
        elif col == "weight" and k + 1 < len(columns) and columns[k + 1] == "score":
            pair = weight_and_score(rest) if _GLUED_NUMBER.fullmatch(rest) else None
            if pair:
                return out + list(pair)
            m = _GLUED_DASHES.match(rest)
        else:
            m = _GLUED_NUMBER_OR_DASHES.match(rest)
        if not m:
            break
        out.append(m.group())
        pos += m.end()
    return out


def read_form(cells: list[Cell], labels: list[int], text: str, start: int, end: int) -> _Form:
    """The labelled cells of a form in text[start:end]: project, organisation, self score,
    execution rate and the money grid. `cells` and `labels` as reader.form_cells gives them:
    the cells the span's labels can read, and the indices of those that may be labels (the
    others are only read as values)."""
    rules = _form_rules()
    unit_match = rules["amount_unit"].search(text, start, end)
    page_unit = unit_match.group(1) if unit_match else None
    form = _Form()
    orgs: dict[str, str] = {}
    columns: list[str] = []
    grid_unit = page_unit
    p = 0
    while p < len(labels):
        k = labels[p]
        cell, label = cells[k], _label(cells[k])
        value = _value_after(cells, k) if label in rules["named"] else None
        if label in rules["project"] and value and form.project is None:
            form.project = squash(value)
        elif label in rules["org"] and value and label not in orgs:
            orgs[label] = value
        elif label in rules["supervisor"] and value:
            orgs.setdefault("主管部门", value)
        elif label in rules["self_score"] and value and form.self_score is None:
            form.self_score, form.self_score_at = _row_score(cells, k, text), cell.start
        elif label in rules["execution_rate"] and value and form.execution_rate is None:
            form.execution_rate = _percent(value)
        elif label.startswith(rules["money_label"]) or (_column(cell) and not columns):
            # the money grid's header: its columns, then the 年度资金总额 row
            unit = _GRID_UNIT.search(cell.key)
            grid_unit = unit.group(1) if unit else grid_unit
            start = k + 1 if label.startswith(rules["money_label"]) else k
            j, columns = start, []
            while j < len(cells) and _column(cells[j]):
                columns.append(_column(cells[j]))
                j += 1
            if columns:
                p = bisect_left(labels, j)
                continue
        elif label in rules["money_row"]:
            values = cells[k + 1:k + 1 + max(len(columns), 1)]  # (not the rest of the form at each row)
            if columns and len(values) and len(values[0].key) > 12 and values[0].key[0].isdigit():
                texts = _glued_amounts(values[0].key, columns)
            else:
                texts = [c.key for c in values]
            _money_row(form, columns or ["budget"], texts, grid_unit or "万元")
        p += 1
    for label in rules["org"]:
        if label in orgs:
            form.org = squash(orgs[label])
            break
    return form


def _money_row(form: _Form, columns: list[str], texts: list[str], unit: str) -> None:
    for col, text in zip(columns, texts):
        if col in ("budget_start", "budget", "spent"):
            if getattr(form, col) is None:  # (an amount already read is kept: none read again)
                setattr(form, col, _amount(text, unit))
        elif col == "execution_rate" and form.execution_rate is None:
            form.execution_rate = _percent(text)
        elif col in ("weight", "score") and getattr(form, "budget_" + col) is None:
            setattr(form, "budget_" + col, score_number(text))


# ---------------------------------------------------------------- money trail in the narrative

@lru_cache(maxsize=1)
def _money_rules() -> dict[str, Any]:
    cfg = config("money_trail")
    cue_to_field = {w: fld for fld, words in cfg["predicates"].items() for w in words}
    num = r"\s*(?:为|达到|达|是)?\s*[:：]?\s*(\d+(?:\.\d+)?)\s*"
    return {
        "cues": bounded(alternation(list(cue_to_field))),
        "cue_field": cue_to_field,
        "final_spent": bounded(alternation(cfg["final_accounts_spent"])),
        "max_gap": int(cfg["max_gap"]),
        "not_money_trail": bounded(alternation(cfg["not_money_trail"])),
        "breaks": bounded(cfg["clause_breaks"]),
        "full_spend": [bounded(p) for p in cfg["full_spend_patterns"]],
        "exec_rate": bounded("(?:" + alternation(cfg["execution_rate_names"]) + ")" + num.replace("+", "{1,12}")
                             .replace("*", "{0,3}") + "[%％]"),
        "score": bounded("(?:" + alternation(cfg["self_score_names"]) + ")" + num.replace("+", "{1,12}")
                         .replace("*", "{0,3}") + "分"),
        "funds_words": tuple(cfg["funds_section_words"]),
    }


WINDOW = 40  # characters before an amount read for its predicate


@dataclass(frozen=True)
class _Amounts:
    """The document's MONEY mentions in text order, with their offsets for bisection."""

    mentions: list[Mention]
    starts: list[int]

    @classmethod
    def of(cls, mentions: Sequence[Mention]) -> "_Amounts":
        money = sorted((m for m in mentions if m.type == "MONEY"), key=lambda m: m.start)
        return cls(money, [m.start for m in money])


def _money_trail(text: str, amounts: _Amounts, start: int, end: int, cues: Any = None) -> dict[str, Decimal | None]:
    """budget / received / spent from predicate words written before the MONEY mentions in
    text[start:end]. Each amount reads a bounded window before it: linear in the text."""
    rules = _money_rules()
    out: dict[str, Decimal | None] = {"budget": None, "budget_full": None, "received": None, "spent": None}
    # a slice between two bisections, not itertools.islice, which walks from the document's
    # first amount to reach `start`: quadratic over the reports of a long document
    for m in amounts.mentions[bisect_left(amounts.starts, start):bisect_left(amounts.starts, end)]:
        if not isinstance(m.value, Decimal) or m.unit != "元":
            continue
        window_start = max(start, m.start - WINDOW)
        clause = text[window_start:m.start]
        b = None
        for b in rules["breaks"].finditer(clause):
            pass
        if b:
            clause = clause[b.end():]
        if cues is not None:
            if cues.search(clause) and out["spent"] is None:
                out["spent"] = m.value
            continue
        found = list(rules["cues"].finditer(clause))
        if not found:
            continue
        cue = found[-1]
        # the amount must follow its predicate closely: 预算资金 30 万元, 到位 30 万元; and
        # not be revenue (一般公共预算收入 18.2 亿元 is no budget)
        if len(clause) - cue.end() > rules["max_gap"] or rules["not_money_trail"].search(clause, cue.start()):
            continue
        fld = rules["cue_field"][cue.group()]
        if out[fld] is None:
            out[fld] = m.value
    return out


def _read_money(report: Report, norm: Normalized, amounts: "_Amounts", form: _Form, tables: list[Table]) -> None:
    rules = _money_rules()
    allowed = _report_rules()["fields"].get(report.category, set())
    body_start, body_end = report.norm_start, report.norm_end
    text = norm.text
    # only what the report's category has is read: the other fields stay None
    values: dict[str, Decimal | None] = dict.fromkeys(MONEY_FIELDS)
    if allowed & {"budget", "received", "spent"}:
        if report.category == "决算":
            trail = _money_trail(text, amounts, body_start, body_end, cues=rules["final_spent"])
        else:
            funds = next(((to_norm(norm, s.start), to_norm(norm, s.end)) for s in report.sections
                          if any(w in s.heading for w in rules["funds_words"])), None)
            trail = _money_trail(text, amounts, *funds) if funds else {}
            whole = _money_trail(text, amounts, body_start, body_end)
            trail = {k: trail.get(k) if trail.get(k) is not None else whole[k] for k in whole}
            if trail["budget_full"] is not None:
                trail["budget"] = trail["budget_full"]
            scope = text[funds[0]:funds[1]] if funds else text[body_start:body_end]
            if trail["spent"] is None and any(p.search(scope) for p in rules["full_spend"]):
                trail["spent"] = trail["received"] or trail["budget"]
        values["budget"] = form.budget if form.budget is not None else (
            form.budget_start if form.budget_start is not None else trail.get("budget"))
        values["received"] = trail.get("received")
        values["spent"] = form.spent if form.spent is not None else trail.get("spent")
    if "execution_rate" in allowed:
        rate = form.execution_rate
        if rate is None:
            m = rules["exec_rate"].search(text, body_start, body_end)
            rate = _percent(m.group(1) + "%") if m else None
        values["execution_rate"] = rate
    if "self_score" in allowed:
        score = form.self_score
        at = form.self_score_at
        # a self-score label heading a total row of the table: the row's 得分, not its 分值
        totals = total_rows(tables) if at is not None or score is None else []
        in_total = next((t for t in totals if at is not None and t.start <= at < t.end), None)
        if in_total is not None and in_total.score is not None:
            score = in_total.score
        if score is None:
            m = rules["score"].search(text, body_start, body_end)
            score = score_number(m.group(1)) if m else None
        if score is None:
            score = totals[0].score if totals else None
        values["self_score"] = score
    for name in MONEY_FIELDS:
        setattr(report, name, values[name] if name in allowed else None)


def _signature(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """(date, organisation) written under the signature: the last date line right under an
    organisation (or 盖章) line, or at the very end of the report. Read on the source's
    lines (normalisation joins short lines)."""
    body = [ln for ln in text[start:end].split("\n") if ln.strip()]
    date = org = None
    for i, ln in enumerate(body):
        if "日" not in ln or not _DATE_LINE.match(ln):  # a date line ends in 日
            continue
        above = squash(body[i - 1]) if i > 0 else ""
        above = _SEAL.sub("", above)
        if i > 0 and _is_org_line(above):
            date, org = resolve_date(squash(ln)), above
        elif i >= len(body) - 2 and date is None:
            date = resolve_date(squash(ln))
    return date, org


# ---------------------------------------------------------------- entry point

def parse_reports(text: str, doc_id: str, norm: Normalized | None = None, written: str | None = None,
                  mentions: Sequence[Mention] | None = None) -> list[Report]:
    """The reports of one document, in order, with offsets into `text`.

    `text` is the text read (Simplified script); `written` the document as written (same
    offsets, for titles and names as written; defaults to `text`); `mentions` the MONEY
    mentions of `norm.text` (normalised offsets), recognised here when not given."""
    norm = norm or normalize(text)
    written = text if written is None else written
    if mentions is None:
        from ..extract import analyse

        mentions = analyse(text).mentions
    amounts = _Amounts.of(mentions)
    document = Reading(text)  # its lines read once, for the titles and each report's span
    titles = _titles(document)
    if titles:
        spans = [(t.block_start, titles[k + 1].block_start if k + 1 < len(titles) else len(text))
                 for k, t in enumerate(titles)]
    else:
        first = next((s for s, _e, ln in document.lines if ln.strip()), 0)
        spans = [(first, len(text))]
    reports: list[Report] = []
    for k, (s, e) in enumerate(spans):
        ns, ne = to_norm(norm, s), to_norm(norm, e)
        report = Report(doc_id, k, s, e, norm_start=ns, norm_end=ne)
        report.signed, signature_org = _signature(text, s, e)
        reading = document.part(s, e)
        report.tables = read_tables(reading)
        form = read_form(*form_cells(reading), text, s, e)
        report.grid_rows = grid_lines(reading)
        body_start = ns
        title_org = project = None
        if titles:
            t = titles[k]
            report.title = _unmarked(written[t.start:t.end])
            title_org, report.year, project = _split_title(t.text, t.org_lines)
            body_start = to_norm(norm, t.end)
        else:
            line = next((ln for _s, _e, ln in lines(text[s:e]) if ln.strip()), "")
            if (line and len(squash(line)) <= _report_rules()["max_title"] and not _SENTENCE_PUNCT.search(line)
                    and not heading_at(line) and layout_of(line) == "line"):
                report.title = _unmarked(written[s:s + len(line)])
                body_start = to_norm(norm, s + len(line))
        report.category = category_of(titles[k].text if titles else report.title)
        if report.year is None:
            m = (_report_rules()["published"].search(norm.text, ns, ne)
                 or _report_rules()["year"].search(norm.text, ns, ne))
            report.year = int(m.group(1)) if m else None
        report.org = _written(title_org or form.org or signature_org, text, written, s, e)
        if "project" in _report_rules()["fields"].get(report.category, set()):
            report.project = _written(form.project or project, text, written, s, e)
        report.sections = parse_sections(norm, body_start, ne)
        _read_money(report, norm, amounts, form, report.tables)
        report.budget_weight, report.budget_score = form.budget_weight, form.budget_score
        reports.append(report)
    return reports


def _written(value: str | None, text: str, written: str, start: int, end: int) -> str | None:
    """A name read in the text, as the document writes it (Traditional kept): the same
    characters at the first place the text has them."""
    if not value or text is written:
        return value
    compact = _WS.sub("", text[start:end])
    k = compact.find(value)
    if k < 0:
        return value
    positions = [i for i in range(start, end) if not text[i].isspace()]
    return "".join(written[positions[i]] for i in range(k, k + len(value)))
