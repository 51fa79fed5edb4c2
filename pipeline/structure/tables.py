"""Performance-indicator tables (绩效指标表) as one record per third-level indicator.

Three layouts are read:
- tab-separated rows as PDF converters write them: cells may be empty (merged
  cells; the level1/level2 named last carries down), shifted left or right, broken
  over lines and pages, prefixed `指标 3:`;
- pipe tables (`| 产出指标 | 数量指标 | … |`) from HTML and Word conversion;
- flattened rows whose cells are separated only by spaces.

A header row names the columns (words in models/structure.yaml `tables.header`);
the values of a row are matched to the columns after the name column, by position
when the row lines up with the header and in order otherwise. Where a report gives
the same indicators in two tables (targets, then scores and reasons) the rows are
merged into one record per indicator.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Sequence

import regex

from ..normalize import fold_width
from ._common import config, json_number, lines, squash
from .sections import heading_at

Value = Decimal | str | None

_ROLE_ORDER = ("level1", "level2", "name", "reason", "op", "unit", "actual", "target", "score", "weight")
_VALUE_ROLES = ("op", "target", "unit", "actual", "weight", "score", "reason")
_DASHES = regex.compile(r"^[-—–_:：|\s]*$")
_PAGE_NUMBER = regex.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})\s*$")
_NUMBER = regex.compile(r"^([+-]?\d+(?:\.\d+)?)(.*)$")
_SENTENCE_END = regex.compile(r"[。！？!?]$")
_ROW_NUMBER = regex.compile(r"^\s*\d{1,3}\s*$")


@dataclass
class Indicator:
    doc: str
    report: int | None
    level1: str | None
    level2: str | None
    name: str
    target_op: str | None = None
    target: Value = None
    target_unit: str | None = None
    actual: Value = None
    actual_unit: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    reason: str = ""
    met: bool | None = None
    start: int = 0  # source offsets of the row (first table it appears in)
    end: int = 0
    # rows of later tables merged into this one (scores and reasons), each with its own
    # offsets and values as that table gives them; not part of the record
    merged: list["Indicator"] = field(default_factory=list, repr=False, compare=False)

    def record(self) -> dict[str, Any]:
        def edge(v: Value) -> Any:
            return json_number(v) if isinstance(v, Decimal) else v

        return {
            "kind": "indicator",
            "doc": self.doc,
            "report": self.report,
            "level1": self.level1,
            "level2": self.level2,
            "name": self.name,
            "target_op": self.target_op,
            "target": edge(self.target),
            "target_unit": self.target_unit,
            "actual": edge(self.actual),
            "actual_unit": self.actual_unit,
            "weight": json_number(self.weight),
            "score": json_number(self.score),
            "reason": self.reason,
            "met": self.met,
            "start": self.start,
            "end": self.end,
        }


# ---------------------------------------------------------------- configuration

@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    cfg = config("tables")
    ops = [(w, op) for op, words in cfg["ops"].items() for w in words]
    ops_after = [(w, op) for op, words in cfg["ops_after"].items() for w in words]
    return {
        "header": {role: list(words) for role, words in cfg["header"].items()},
        "min_header": int(cfg["min_header_cells"]),
        "level0": set(cfg["level0"]),
        "level1": set(cfg["level1"]),
        "level2": set(cfg["level2"]),
        "level_suffixes": tuple(cfg["level_suffixes"]),
        "max_level": int(cfg["max_level_chars"]),
        "level_weight": regex.compile(cfg["level_weight"]),
        "name_prefix": regex.compile(cfg["name_prefix"]),
        "total": tuple(cfg["total_words"]),
        "ops": sorted(((fold_width(w), op) for w, op in ops), key=lambda x: -len(x[0])),
        "ops_after": sorted(ops_after, key=lambda x: -len(x[0])),
        "unit_alias": dict(cfg["unit_aliases"]),
        "unit_scale": {k: Decimal(str(v)) for k, v in cfg["unit_scale"].items()},
        "lower_better": tuple(cfg["lower_is_better"]),
    }


# ---------------------------------------------------------------- cells

def _blank(cell: str) -> bool:
    return not cell.strip() or bool(_DASHES.match(cell))


def _split(line: str, kind: str) -> list[str]:
    if kind == "tab":
        return line.split("\t")
    if kind == "pipe":
        s = line.strip()
        if s.startswith("|"):
            s = s[1:]
        if s.endswith("|"):
            s = s[:-1]
        return s.split("|")
    return line.split()


def _kind(line: str) -> str:
    if "\t" in line:
        return "tab"
    if line.strip().startswith("|") and line.count("|") >= 3:
        return "pipe"
    return "space"


@lru_cache(maxsize=1)
def _role_patterns() -> list[tuple[str, "regex.Pattern[str]"]]:
    header = _rules()["header"]
    return [(role, regex.compile("|".join(regex.escape(w) for w in header[role]))) for role in _ROLE_ORDER
            if header.get(role)]


def _role(cell: str) -> str | None:
    s = squash(cell)
    if not s or len(s) > 16:
        return None
    return _role_of(s)


@lru_cache(maxsize=16384)
def _role_of(s: str) -> str | None:
    for role, pattern in _role_patterns():
        if pattern.search(s):
            return role
    return None


def _header_roles(cells: list[str]) -> list[str | None] | None:
    roles = [_role(c) for c in cells]
    found = [r for r in roles if r]
    if len(set(found)) < _rules()["min_header"] or len(found) != len(set(found)):
        return None
    if not ({"name", "level1", "level2"} & set(found)) or not ({"target", "actual", "weight", "score"} & set(found)):
        return None
    unknown = sum(1 for c, r in zip(cells, roles) if r is None and not _blank(c))
    if unknown > 1:
        return None
    return roles


def _level_text(cell: str) -> str:
    return _rules()["level_weight"].sub("", squash(cell))


def _is_level(cell: str) -> bool:
    r = _rules()
    s = _level_text(cell)
    if s in r["level0"] or s in r["level1"] or s in r["level2"]:
        return True
    return 2 < len(s) <= r["max_level"] and s.endswith(r["level_suffixes"])


# ---------------------------------------------------------------- values

def parse_target(cell: str) -> tuple[str | None, Value, str | None]:
    """`≥15` -> ('>=', 15, None); `≤0.6万元` -> ('<=', 0.6, '万元'); `及时` -> (None, '及时', None)."""
    r = _rules()
    text = regex.sub(r"\s+", "", cell)
    s = fold_width(text)
    if not s or _DASHES.match(s) or s in ("无", "/"):
        return None, None, None
    op = None
    for word, o in r["ops"]:
        if s.startswith(word):
            op, s = o, s[len(word):]
            break
    m = _NUMBER.match(s)
    if not m:
        return None, text, None
    number, rest = m.group(1), m.group(2)
    for word, o in r["ops_after"]:
        if rest.endswith(word):
            op = op or o
            rest = rest[: -len(word)]
            break
    rest = r["unit_alias"].get(rest, rest)
    if len(rest) > 4 or regex.search(r"\d", rest):
        return None, text, None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None, text, None
    return op, value, rest or None


def _number(cell: str | None) -> Decimal | None:
    if cell is None:
        return None
    s = fold_width(regex.sub(r"\s+", "", cell)).rstrip("分")
    try:
        return Decimal(s) if s else None
    except InvalidOperation:
        return None


def _op_cell(cell: str) -> str | None:
    s = fold_width(squash(cell))
    for word, o in _rules()["ops"]:
        if s.startswith(word):
            return o
    return None


def _met(ind: Indicator) -> bool | None:
    t, a = ind.target, ind.actual
    if not isinstance(t, Decimal) or not isinstance(a, Decimal):
        return None
    tu, au = ind.target_unit, ind.actual_unit
    if tu and au and tu != au:
        scale = _rules()["unit_scale"]
        if tu not in scale or au not in scale:
            return None
        t, a = t * scale[tu], a * scale[au]
    op = ind.target_op
    if op is None:
        op = "<=" if any(w in ind.name for w in _rules()["lower_better"]) else ">="
    return {">=": a >= t, "<=": a <= t, ">": a > t, "<": a < t, "=": a == t}[op]


# ---------------------------------------------------------------- tables

@dataclass
class _Row:
    cells: list[str]
    start: int
    end: int


@dataclass
class _Table:
    kind: str
    roles: list[str | None]
    rows: list[_Row] = field(default_factory=list)

    @property
    def ordered(self) -> list[str]:
        return [r for r in self.roles if r]

    @property
    def value_roles(self) -> list[str]:
        o = self.ordered
        return o[o.index("name") + 1:] if "name" in o else [r for r in o if r in _VALUE_ROLES]


def _row_is_open(row: _Row) -> bool:
    """A row that so far holds no value after its name (its name or levels continue on the next line)."""
    cells = [c for c in row.cells if not _blank(c)]
    while cells and _is_level(cells[0]):
        cells.pop(0)
    return len(cells) <= 1


def _join_cells(prev: _Row, cells: list[str], end: int) -> None:
    """Append a continuation line's cells to the row it continues."""
    cells = list(cells)
    last = max((k for k, c in enumerate(prev.cells) if not _blank(c)), default=len(prev.cells) - 1)
    if cells and not _blank(cells[0]):
        prev.cells[last] = prev.cells[last].rstrip() + cells.pop(0).strip()
        prev.cells = prev.cells[: last + 1] + cells
    else:
        prev.cells = prev.cells[: last + 1] + cells[1:] if cells else prev.cells
    prev.end = end


# The tables of the last document read, by span: parse_reports (total scores),
# parse_indicators and the audit read the same report spans of the same document;
# only the first read parses. One document per thread is kept (memory follows the document).
_memo = threading.local()


def find_tables(source: str, start: int, end: int) -> list[_Table]:
    if getattr(_memo, "source", None) is not source:
        _memo.source, _memo.spans = source, {}
    spans = _memo.spans
    if (start, end) not in spans:
        spans[(start, end)] = _find_tables(source, start, end)
    return spans[(start, end)]


def _find_tables(source: str, start: int, end: int) -> list[_Table]:
    all_lines = list(lines(source[start:end], start))
    tables: list[_Table] = []
    i = 0
    while i < len(all_lines):
        _, _, line = all_lines[i]
        kind = _kind(line)
        roles = _header_roles(_split(line, kind)) if line.strip() else None
        if roles is None:
            i += 1
            continue
        table = _Table(kind, roles)
        i = _read_body(all_lines, i + 1, table)
        tables.append(table)
    return tables


def _next_nonblank(all_lines: list[tuple[int, int, str]], j: int) -> str | None:
    for _, _, line in all_lines[j:]:
        if line.strip() and not _PAGE_NUMBER.match(line):
            return line
    return None


def _read_body(all_lines: list[tuple[int, int, str]], j: int, table: _Table) -> int:
    while j < len(all_lines):
        s, e, line = all_lines[j]
        if not line.strip() or _PAGE_NUMBER.match(line):
            j += 1
            continue
        kind = _kind(line)
        if table.kind != "space" and kind == table.kind:
            cells = _split(line, kind)
            if all(_blank(c) for c in cells):
                j += 1
                continue
            roles = _header_roles(cells)
            if roles is not None:
                if roles == table.roles:  # header repeated after a page break
                    j += 1
                    continue
                return j
            if table.rows and _row_is_open(table.rows[-1]) and not _blank(cells[0]) and not _is_level(cells[0]):
                _join_cells(table.rows[-1], cells, e)
            else:
                table.rows.append(_Row(cells, s, e))
            j += 1
            continue
        if table.kind == "space" and kind == "space":
            if heading_at(line) or _header_roles(_split(line, kind)) is not None:
                return j
            cells = _split(line, kind)
            if _SENTENCE_END.search(line.strip()) and not any(parse_target(c)[1] is not None and isinstance(parse_target(c)[1], Decimal) for c in cells):
                return j
            table.rows.append(_Row(cells, s, e))
            j += 1
            continue
        # a line of another kind: a continuation of the row above, or the end of the table
        if table.kind == "pipe" or not table.rows or heading_at(line):
            return j
        prev = table.rows[-1]
        nxt = _next_nonblank(all_lines, j + 1)
        continues = _row_is_open(prev) or (nxt is not None and _kind(nxt) == table.kind
                                           and _header_roles(_split(nxt, table.kind)) is None)
        if not continues:
            return j
        _join_cells(prev, [line], e)
        j += 1
    return j


# ---------------------------------------------------------------- rows -> indicators

@dataclass
class _Carry:
    level1: str | None = None
    level2: str | None = None


def _levels(table: _Table, carry: _Carry, level_cells: list[tuple[int | None, str]]) -> None:
    r = _rules()
    has1, has2 = "level1" in table.roles, "level2" in table.roles
    names = [(k, _level_text(c)) for k, c in level_cells if _level_text(c) not in r["level0"]]
    if not names:
        return
    if has1 and has2:
        if len(names) >= 2:
            carry.level1, carry.level2 = names[-2][1], names[-1][1]
            return
        k, c = names[0]
        in1 = c in r["level1"]
        in2 = c in r["level2"] or (not in1 and c.endswith(r["level_suffixes"]))
        if in1 and in2:  # 成本指标: the column decides, else what came before
            col2 = table.roles.index("level2")
            in1 = not (k >= col2 if k is not None else carry.level1 not in (None, c))
        if in1:
            carry.level1, carry.level2 = c, None
        else:
            carry.level2 = c
    elif has2:
        carry.level2 = names[-1][1]
    elif has1:
        carry.level1 = names[-1][1]


def _space_values(tokens: list[str], roles: list[str]) -> dict[str, str]:
    """Flattened rows: name tokens then values; anchor on the numeric 分值/得分 pair from the right."""
    merged: list[str] = []
    for tok in tokens:
        if merged and (any(fold_width(merged[-1]) == w for w, _ in _rules()["ops"])
                       or (regex.match(r"^(%|％|[\p{Han}]{1,2})$", tok) and regex.search(r"\d$", merged[-1])
                           and parse_target(merged[-1] + tok)[2] is not None)):
            merged[-1] += tok
        else:
            merged.append(tok)
    core = [r for r in roles if r not in ("op", "unit", "reason")]
    out: dict[str, str] = {}
    numeric = [isinstance(parse_target(t)[1], Decimal) for t in merged]
    if "weight" in core and "score" in core:
        need = core.index("weight")  # values before 分值 (target, actual)
        for k in range(len(merged) - 1, need, -1):
            if numeric[k] and numeric[k - 1] and k - 1 - need >= 1:
                pre = core[:need]
                for off, role in enumerate(pre):
                    out[role] = merged[k - 1 - need + off]
                out["weight"], out["score"] = merged[k - 1], merged[k]
                if "reason" in roles:
                    out["reason"] = " ".join(merged[k + 1:])
                out["name"] = "".join(merged[: k - 1 - need])
                return out
    n = len(core)
    if len(merged) > n:
        for off, role in enumerate(core):
            out[role] = merged[len(merged) - n + off]
        out["name"] = "".join(merged[: len(merged) - n])
    return out


def _row_indicator(table: _Table, row: _Row, carry: _Carry, doc: str, report: int | None) -> Indicator | None:
    r = _rules()
    cells = row.cells
    present = [k for k, c in enumerate(cells) if not _blank(c)]
    if not present:
        return None
    if squash(cells[present[0]]).startswith(r["total"]):
        return None
    has_levels = "level1" in table.roles or "level2" in table.roles
    values: dict[str, str] = {}
    if table.kind == "space":
        tokens = list(cells)
        level_cells: list[tuple[int | None, str]] = []
        while has_levels and len(tokens) > 1 and _is_level(tokens[0]):
            level_cells.append((None, tokens.pop(0)))
        _levels(table, carry, level_cells)
        values = _space_values(tokens, table.value_roles)
        name = values.pop("name", "")
    else:
        name_col = table.roles.index("name") if "name" in table.roles else None
        aligned = (len(cells) == len(table.roles) and name_col is not None
                   and not _blank(cells[name_col]) and not _is_level(cells[name_col]))
        if aligned:
            # the row lines up with the header: every cell is in its column (序号 columns included)
            _levels(table, carry, [(k, cells[k]) for k in present
                                   if table.roles[k] in ("level1", "level2") and _is_level(cells[k])])
            name = cells[name_col]
            for k in present:
                if k > name_col and table.roles[k] in _VALUE_ROLES:
                    values[table.roles[k]] = cells[k]
        else:
            # shifted or merged cells: levels from the left, then the name, then values in header order
            while len(present) > 2 and _ROW_NUMBER.match(cells[present[0]]):
                present = present[1:]
            p = 0
            level_cells = []
            while has_levels and p < len(present) - 1 and _is_level(cells[present[p]]):
                level_cells.append((present[p], cells[present[p]]))
                p += 1
            if has_levels and p == len(present) - 1 and _is_level(cells[present[p]]):
                level_cells.append((present[p], cells[present[p]]))
                _levels(table, carry, level_cells)
                return None
            _levels(table, carry, level_cells)
            name = cells[present[p]]
            rest = present[p + 1:]
            for role, k in zip(table.value_roles, rest):
                values[role] = cells[k]
            extra = rest[len(table.value_roles):]
            if extra and table.value_roles and table.value_roles[-1] == "reason":
                values["reason"] = " ".join(cells[k].strip() for k in [rest[len(table.value_roles) - 1], *extra])
    name = r["name_prefix"].sub("", regex.sub(r"\s+", "", name))
    if not name or not values:
        return None
    ind = Indicator(doc, report, carry.level1, carry.level2, name, start=row.start, end=row.end)
    if "target" in values:
        ind.target_op, ind.target, ind.target_unit = parse_target(values["target"])
    if values.get("op") and ind.target_op is None:
        ind.target_op = _op_cell(values["op"])
    if values.get("unit") and ind.target_unit is None and isinstance(ind.target, Decimal):
        unit = squash(values["unit"])
        ind.target_unit = r["unit_alias"].get(unit, unit) or None
    if "actual" in values:
        _, ind.actual, ind.actual_unit = parse_target(values["actual"])
        if isinstance(ind.actual, Decimal) and ind.actual_unit is None and isinstance(ind.target, Decimal):
            ind.actual_unit = ind.target_unit
    ind.weight = _number(values.get("weight"))
    ind.score = _number(values.get("score"))
    reason = (values.get("reason") or "").strip()
    ind.reason = "" if _blank(reason) or reason in ("无", "/") else reason
    return ind


_MERGE_FIELDS = ("level1", "level2", "target_op", "target", "target_unit", "actual", "actual_unit", "weight", "score")


def _merge(into: Indicator, other: Indicator) -> None:
    into.merged.append(other)
    for f in _MERGE_FIELDS:
        if getattr(into, f) is None and getattr(other, f) is not None:
            setattr(into, f, getattr(other, f))
    if not into.reason and other.reason:
        into.reason = other.reason


def table_indicators(source: str, start: int, end: int, doc: str, report: int | None) -> list[Indicator]:
    """Indicators of the tables in source[start:end], two tables of one indicator set merged."""
    out: list[Indicator] = []
    earlier: dict[str, list[Indicator]] = {}
    for table in find_tables(source, start, end):
        carry = _Carry()
        used: set[int] = set()
        mine: list[Indicator] = []
        for row in table.rows:
            ind = _row_indicator(table, row, carry, doc, report)
            if ind is None:
                continue
            key = squash(ind.name)
            match = next((c for c in earlier.get(key, []) if id(c) not in used), None)
            if match is not None:
                _merge(match, ind)
                used.add(id(match))
            else:
                out.append(ind)
                mine.append(ind)
        for ind in mine:
            earlier.setdefault(squash(ind.name), []).append(ind)
    for ind in out:
        ind.met = _met(ind)
    return out


def total_score(source: str, start: int, end: int) -> Decimal | None:
    """The 得分 of a table's total row (总分/合计): the last number on it."""
    for table in find_tables(source, start, end):
        if "score" not in table.roles:
            continue
        for row in table.rows:
            present = [c for c in row.cells if not _blank(c)]
            if present and squash(present[0]).startswith(_rules()["total"]):
                numbers = [n for n in (_number(c) for c in present[1:]) if n is not None]
                if numbers:
                    return numbers[-1]
    return None


@dataclass(frozen=True)
class TotalRow:
    """A table's total row (总分/合计): its source offsets, its words and its numbers."""

    start: int
    end: int
    label: str  # the first cell, whitespace removed: 总分（预算执行率得分+绩效指标得分）
    weight: Decimal | None  # the 分值 total, where the row gives one
    score: Decimal | None  # the 得分 total: the last number on the row


def total_rows(source: str, start: int, end: int) -> list[TotalRow]:
    """The total rows of the tables with a 得分 column in source[start:end]."""
    out = []
    for table in find_tables(source, start, end):
        if "score" not in table.roles:
            continue
        for row in table.rows:
            present = [c for c in row.cells if not _blank(c)]
            if not present or not squash(present[0]).startswith(_rules()["total"]):
                continue
            numbers = [n for n in (_number(c) for c in present[1:]) if n is not None]
            if not numbers:
                continue
            weight = numbers[-2] if len(numbers) >= 2 and "weight" in table.roles else None
            out.append(TotalRow(row.start, row.end, squash(present[0]), weight, numbers[-1]))
    return out


def parse_indicators(text: str, doc_id: str, reports: Sequence[Any] | None = None) -> list[Indicator]:
    """Indicator rows of every report of the document (reports from parse_reports)."""
    if reports is None:
        from .reports import parse_reports

        reports = parse_reports(text, doc_id)
    if not reports:
        return table_indicators(text, 0, len(text), doc_id, None)
    out: list[Indicator] = []
    for rep in reports:
        out.extend(table_indicators(text, rep.start, rep.end, doc_id, rep.report))
    return out
