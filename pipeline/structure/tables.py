"""The table interpreter: rows of cells (reader.py) -> one indicator record per
third-level indicator (schema section 3).

A row's cells are matched to the header's columns by position when the row lines up
with the header (the column decides what a cell is: a level, the name, a value), and
otherwise from the left: level cells (named in the national vocabulary, models/
structure.yaml `tables.level1`/`level2`), then the name, then the values in header
order. Levels carry down from the row that last named them (merged cells). A cell's
comparator, number and unit are read by resolve/ (resolve_cell, resolve_comparator);
units stay as written. Where a report gives the same indicators in two tables
(targets, then scores and reasons) the rows are merged into one record.

    indicators_of(tables, written, doc, report) -> list[Indicator]
    total_rows(tables) -> list[TotalRow]
    table_regions(reports) -> list[(start, end)]     # grid rows, for the linker
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Sequence

import regex

from ..resolve.quantities import resolve_cell, resolve_comparator
from ..resolve.units import in_canonical, unit_of
from ._common import SPACE, config, json_number, squash, without_space
from .reader import (VALUE_ROLES, Cell, Reading, Row, Table, first_filled, is_level, level_text, levels, read_tables,
                     vocabulary)

Value = Decimal | str | None
_DASH_RUN = re.compile(r"^[-—–_/]+$")
_CELL_BREAKS = re.compile(r"%s*[\t\n|]+%s*" % (SPACE, SPACE))
# A line break between two Chinese characters inside a cell is a wrap: the text runs on.
_WRAP = regex.compile(r"(?<=\p{Han})[ \u3000]*\n[ \u3000]*(?=\p{Han})")
_ROW_NUMBER = regex.compile(r"^\d{1,3}$")  # a 序号 cell
MAX_LEVELS = 2  # levels a row names before its name: 一级, 二级


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
    # a comparator written in the actual's cell (`≥98%`): the target copied; not part of the record
    actual_op: str | None = field(default=None, repr=False, compare=False)
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
    return {
        "name_prefix": regex.compile(cfg["name_prefix"]),
        "lower_better": tuple(cfg["lower_is_better"]),
        "no_value": set(cfg["no_value"]),
        "note_rows": set(cfg["note_rows"]),
    }


@lru_cache(maxsize=4096)
def _may_prefix(first: str) -> bool:
    """Whether a name starting with this character can open with a `name_prefix` (指标3:): most
    names are turned away by their first character, without the pattern run on them."""
    return _rules()["name_prefix"].match(first, partial=True) is not None


# ---------------------------------------------------------------- cell values

@lru_cache(maxsize=16384)  # a cell's text (100%, ≥95%, 10分): tables repeat them
def _read(cell: str) -> tuple[str | None, Value, tuple[int, int] | None]:
    """(op, value, span of the unit in the squashed cell) of a target or actual cell, read
    by resolve_cell; a cell that is no single number (text, a date, a range) is its text."""
    s = squash(cell)
    if not s or s in _rules()["no_value"] or _DASH_RUN.match(s):
        return None, None, None
    read = resolve_cell(s)
    if read is None or read.value is None:
        return None, s, None
    if not read.unit:
        return read.op, read.value, None
    # the unit is the last place its word stands: only a comparator or hedge follows it
    start = s.replace("萬", "万").replace("億", "亿").rindex(read.unit)
    return read.op, read.value, (start, start + len(read.unit))


def parse_target(cell: str) -> tuple[str | None, Value, str | None]:
    """`≥15` -> ('>=', 15, None); `≤0.6万元` -> ('<=', 0.6, '万元'); `≤12/10万` -> ('<=', 12,
    '/10万'); `及时` -> (None, '及时', None)."""
    op, value, span = _read(cell)
    unit = squash(cell)[span[0]:span[1]] if span else None
    return op, value, _shown_unit(unit)


def _shown_unit(unit: str | None) -> str | None:
    """A unit as written, except that a percent spelt out (百分比, ％) is `%`."""
    if not unit:
        return None
    read = unit_of(unit, "PERCENT")
    return "%" if read is not None and read.canonical == "%" and read.factor == 1 else unit


@lru_cache(maxsize=16384)
def score_number(text: str) -> Decimal | None:
    """A 分值/得分 (or money grid) cell's number, written in digits (`9.5`, `100分`,
    `1,850.00`), or None."""
    s = squash(text)
    read = resolve_cell(s) if s[:1].isdigit() else None
    if read is None or read.op or read.hedge or read.unit not in (None, "分"):
        return None
    return read.value


def _number(cell: Cell | None) -> Decimal | None:
    return score_number(cell.text) if cell is not None else None


_COMPARE = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}


def _met(ind: Indicator) -> bool | None:
    t, a = ind.target, ind.actual
    if not isinstance(t, Decimal) or not isinstance(a, Decimal):
        return None
    (t, tu), (a, au) = in_canonical(t, ind.target_unit), in_canonical(a, ind.actual_unit)
    if tu and au and tu != au:
        return None
    op = ind.target_op
    if op is None:
        op = "<=" if any(w in ind.name for w in _rules()["lower_better"]) else ">="
    return _COMPARE[op](a, t)


# ---------------------------------------------------------------- rows -> indicators

class _Quote:
    """Text as written (Traditional kept) for a cell read in the Simplified text: the two
    have the same offsets, character for character."""

    def __init__(self, written: str):
        self.written = written

    def __call__(self, cell: Cell) -> str:
        return without_space(self.written[cell.start:cell.end])


@dataclass
class _Carry:
    level1: str | None = None
    level2: str | None = None


def _set_levels(table: Table, carry: _Carry, level_cells: list[tuple[int | None, Cell]], quote: _Quote) -> None:
    """Carry the levels a row names. A cell in a level column is that level; a level cell
    off the columns is placed by the vocabulary (成本指标 is both: what came before decides)."""
    r = levels()
    named = [(k, c) for k, c in level_cells if c.level_text not in r["level0"]]
    if not named:
        return
    shown = [(k, _shown_level(c, quote), c.level_text) for k, c in named]
    has1, has2 = "level1" in table.roles, "level2" in table.roles
    by_column = [(table.roles[k], s) for k, s, _ in shown if k is not None and k < len(table.roles)
                 and table.roles[k] in ("level1", "level2")]
    if by_column:
        for role, s in by_column:
            if role == "level1":
                carry.level1, carry.level2 = s, None
            else:
                carry.level2 = s
        return
    if len(shown) >= 2:
        carry.level1, carry.level2 = shown[-2][1], shown[-1][1]
        return
    _, s, key = shown[0]
    in1 = key in r["level1"]
    in2 = key in r["level2"] or (not in1 and key.endswith(r["suffixes"]))
    if has2 and not has1:
        in1 = False
    elif has1 and not has2:
        in1, in2 = True, False
    elif in1 and in2:  # 成本指标: a first level in the 2021 template, a second in the 2020 one
        in1 = carry.level1 in (None, s)
    if in1:
        carry.level1, carry.level2 = s, None
    else:
        carry.level2 = s


def _shown_level(cell: Cell, quote: _Quote) -> str:
    """A level as written: its points off the cell's written text (the cell's own level name
    when the written text is the text read)."""
    written = quote(cell)
    return cell.level_text if written == cell.text else level_text(written)


def _space_values(tokens: list[Cell], roles: list[str]) -> dict[str, Cell]:
    """Flattened rows: name tokens then values; anchor on the numeric 分值/得分 pair from the right."""
    merged: list[Cell] = []
    for tok in tokens:
        if merged and (resolve_comparator(merged[-1].key) is not None or _unit_apart(merged[-1], tok)):
            merged[-1] = Cell(merged[-1].start, tok.end, merged[-1].text + tok.text)
        else:
            merged.append(tok)
    core = [r for r in roles if r not in ("op", "unit", "reason")]
    out: dict[str, Cell] = {}
    numeric = [isinstance(parse_target(t.text)[1], Decimal) for t in merged]

    def name_of(end: int) -> None:
        if end > 0:
            out["name"] = Cell(merged[0].start, merged[end - 1].end, "".join(t.text for t in merged[:end]))

    if "weight" in core and "score" in core:
        need = core.index("weight")  # values before 分值 (target, actual)
        for k in range(len(merged) - 1, need, -1):
            if numeric[k] and numeric[k - 1] and k - 1 - need >= 1:
                for off, role in enumerate(core[:need]):
                    out[role] = merged[k - 1 - need + off]
                out["weight"], out["score"] = merged[k - 1], merged[k]
                if "reason" in roles and k + 1 < len(merged):
                    out["reason"] = Cell(merged[k + 1].start, merged[-1].end,
                                         " ".join(t.text for t in merged[k + 1:]))
                name_of(k - 1 - need)
                return out
    n = len(core)
    if len(merged) > n:
        for off, role in enumerate(core):
            out[role] = merged[len(merged) - n + off]
        name_of(len(merged) - n)
    return out


@dataclass(frozen=True)
class _Columns:
    """What a table's header says of its columns, worked out once for all its rows."""

    has_levels: bool  # levels can open a row
    name_col: int | None
    level_cols: tuple[int, ...]  # the level1 and level2 columns
    value_cols: tuple[tuple[int, str], ...]  # (column, role) of the value columns after the name's
    most: int  # levels a row names before its name
    value_roles: list[str]  # Table.value_roles

    @classmethod
    def of(cls, table: Table) -> "_Columns":
        roles = table.roles
        name_col = roles.index("name") if "name" in roles else None
        level_cols = tuple(k for k, r in enumerate(roles) if r in ("level1", "level2"))
        value_cols = tuple((k, r) for k, r in enumerate(roles)
                           if name_col is not None and k > name_col and r in VALUE_ROLES)
        return cls(bool(level_cols) or table.layout == "line", name_col, level_cols, value_cols,
                   len(level_cols) or MAX_LEVELS, table.value_roles)


def _row_values(table: Table, cols: _Columns, row: Row, carry: _Carry,
                quote: _Quote) -> tuple[Cell | None, dict[str, Cell]]:
    """The name cell and the value cells (by role) of a row; levels are carried as a side effect."""
    cells = row.cells
    has_levels, name_col = cols.has_levels, cols.name_col
    # a row that lines up with the header: the name column holds the name, even a name
    # that is also a level word (满意度) when a value (a comparator, a number) follows it;
    # otherwise a level there is a row shifted right
    aligned = (len(cells) == len(table.roles) and name_col is not None and not cells[name_col].blank
               and (not is_level(cells[name_col]) or _numeric_after(cells, name_col)))
    if table.layout == "space":  # spaces leave no empty cells: a row lines up only when it names its levels
        aligned = aligned and all(is_level(cells[k]) for k in cols.level_cols)
    if (len(cells) == len(table.roles) and name_col is not None and cells[name_col].text
            and cells[name_col].blank):
        return None, {}  # a row labelled across the level and name columns (预算执行率 — —): not an indicator
    if table.layout == "space" and not aligned:
        tokens = list(cells)
        level_cells: list[tuple[int | None, Cell]] = []
        # at most one level a level column; a level word after them is the name (服务对象满意度)
        most = cols.most
        while has_levels and len(level_cells) < most and len(tokens) > 1 and is_level(tokens[0]):
            level_cells.append((None, tokens.pop(0)))
        if all(is_level(t) for t in tokens):  # a merged level cell on its own line
            _set_levels(table, carry, level_cells + [(None, t) for t in tokens], quote)
            return None, {}
        values = _space_values(tokens, cols.value_roles)
        while "name" not in values and level_cells:  # a level word taken for a level was the name
            tokens.insert(0, level_cells.pop()[1])
            values = _space_values(tokens, cols.value_roles)
        _set_levels(table, carry, level_cells, quote)
        return values.pop("name", None), values
    values: dict[str, Cell] = {}
    if aligned:
        # the row lines up with the header: every cell is in its column (序号 columns included)
        _set_levels(table, carry, [(k, cells[k]) for k in cols.level_cols if not cells[k].blank], quote)
        for k, role in cols.value_cols:
            if not cells[k].blank:
                values[role] = cells[k]
        return cells[name_col], values
    # shifted or merged cells: levels from the left, then the name, then values in header order
    present = [k for k, c in enumerate(cells) if not c.blank]
    while len(present) > 2 and _ROW_NUMBER.match(cells[present[0]].key):
        present = present[1:]
    p = 0
    level_cells = []
    most = cols.most
    while has_levels and p < min(len(present) - 1, most) and is_level(cells[present[p]]):
        level_cells.append((None, cells[present[p]]))
        p += 1
    if level_cells and p < len(present) - 1 and _numeric_cell(cells[present[p]]):
        level_cells.pop()  # the cell after the levels is a value: the last "level" is the name (满意度)
        p -= 1
    if has_levels and p == len(present) - 1 and is_level(cells[present[p]]):
        level_cells.append((None, cells[present[p]]))
        _set_levels(table, carry, level_cells, quote)
        return None, {}
    _set_levels(table, carry, level_cells, quote)
    rest = present[p + 1:]
    value_roles = cols.value_roles
    for role, k in zip(value_roles, rest):
        values[role] = cells[k]
    extra = rest[len(value_roles):]
    if extra and value_roles and value_roles[-1] == "reason":
        first = cells[rest[len(value_roles) - 1]]
        values["reason"] = Cell(first.start, cells[extra[-1]].end,
                                " ".join(cells[k].text.strip() for k in [rest[len(value_roles) - 1], *extra]))
    return cells[present[p]], values


def _numeric_after(cells: list[Cell], k: int) -> bool:
    """Whether the first cell after cells[k] that is not blank is a number (_numeric_cell)."""
    after = next((c for c in cells[k + 1:] if not c.blank), None)
    return after is not None and _numeric_cell(after)


def _unit_apart(number: Cell, token: Cell) -> bool:
    """A unit written apart from its number (`≥ 12.5 km`, `不少于 300 个`): the number reads
    without a unit, the two together read with the token as the whole unit, and the token
    is a unit of the lexicon (a word after a score is the reason's start, not a unit)."""
    alone, joined = _read(number.key), parse_target(number.key + token.key)
    return (isinstance(alone[1], Decimal) and alone[2] is None and joined[1] == alone[1]
            and joined[2] == _shown_unit(squash(token.key))
            and unit_of(token.key) is not None)


def _numeric_cell(cell: Cell) -> bool:
    """A target or actual cell: a number (with or without its comparator)."""
    return isinstance(_read(cell.text)[1], Decimal)


def _value(cell: Cell, quote: _Quote) -> tuple[str | None, Value, str | None]:
    """(op, value, unit as written) of a target or actual cell; a text value as written."""
    op, value, span = _read(cell.text)
    shown = quote(cell)
    if isinstance(value, str):
        return None, shown, None
    return op, value, _shown_unit(shown[span[0]:span[1]]) if span else None


def _row_indicator(table: Table, cols: _Columns, row: Row, carry: _Carry, doc: str, report: int | None,
                   quote: _Quote) -> tuple[str, Indicator] | None:
    """A row's indicator and its name's key (squashed), or None when the row is none."""
    rules = _rules()
    first = first_filled(row.cells)
    # (a total row and _note_row, read on the first cell's key: squash() leaves a key as it is)
    if first is None or first.key.startswith(vocabulary()["total"]) or first.key in rules["note_rows"]:
        return None
    name_cell, values = _row_values(table, cols, row, carry, quote)
    if name_cell is None or not values:
        return None
    plain = without_space(name_cell.text)  # 指标 3: (read in Simplified)
    prefix = rules["name_prefix"].match(plain) if _may_prefix(plain[:1]) else None
    name = quote(name_cell)[prefix.end() if prefix else 0:]
    key = squash(name)  # (the form indicators are merged by)
    if not name or key.startswith(vocabulary()["total"]):
        return None
    ind = Indicator(doc, report, carry.level1, carry.level2, name, start=row.start, end=row.end)
    if "target" in values:
        ind.target_op, ind.target, ind.target_unit = _value(values["target"], quote)
    if "op" in values and ind.target_op is None:
        ind.target_op = resolve_comparator(values["op"].key)
    if "unit" in values and ind.target_unit is None and isinstance(ind.target, Decimal):
        ind.target_unit = _shown_unit(quote(values["unit"]))
    if "actual" in values:
        ind.actual_op, ind.actual, ind.actual_unit = _value(values["actual"], quote)
        if isinstance(ind.actual, Decimal) and ind.actual_unit is None and isinstance(ind.target, Decimal):
            ind.actual_unit = ind.target_unit
    ind.weight = _number(values.get("weight"))
    ind.score = _number(values.get("score"))
    reason = values.get("reason")
    if reason is not None:
        # as written; a reason run over several cells keeps one space where a cell ended
        text = quote.written[reason.start:reason.end]
        if "\n" in text or "\t" in text or "|" in text:  # (what both patterns need: most reasons are one cell)
            text = _CELL_BREAKS.sub(" ", _WRAP.sub("", text))
        text = text.strip()
        bare = squash(text).strip("|")
        ind.reason = "" if not bare or bare in rules["no_value"] or _DASH_RUN.match(bare) else text
    return key, ind


_MERGE_FIELDS = ("level1", "level2", "target_op", "target", "target_unit", "actual", "actual_unit", "weight", "score")


def _merge(into: Indicator, other: Indicator) -> None:
    into.merged.append(other)
    for f in _MERGE_FIELDS:
        if getattr(into, f) is None and getattr(other, f) is not None:
            setattr(into, f, getattr(other, f))
    if not into.reason and other.reason:
        into.reason = other.reason


def indicators_of(tables: Sequence[Table], written: str, doc: str, report: int | None) -> list[Indicator]:
    """The indicators of a report's tables, two tables of one indicator set merged.

    `written` is the document as written (its offsets are the tables'): names, levels,
    units and text values are quoted from it."""
    quote = _Quote(written)
    out: list[Indicator] = []
    earlier: dict[str, list[Indicator]] = {}
    for table in tables:
        carry = _Carry()
        cols = _Columns.of(table)
        used: set[int] = set()
        mine: list[tuple[str, Indicator]] = []
        for row in table.rows:
            read = _row_indicator(table, cols, row, carry, doc, report, quote)
            if read is None:
                continue
            key, ind = read
            match = None  # the first indicator of an earlier table of that name not merged into yet
            for earlier_ind in earlier.get(key, ()):
                if id(earlier_ind) not in used:
                    match = earlier_ind
                    break
            if match is not None:
                _merge(match, ind)
                used.add(id(match))
            else:
                out.append(ind)
                mine.append((key, ind))
        for key, ind in mine:
            earlier.setdefault(key, []).append(ind)
    for ind in out:
        ind.met = _met(ind)
    return out


@dataclass(frozen=True)
class TotalRow:
    """A table's total row (总分/合计): its source offsets, its words and its numbers."""

    start: int
    end: int
    label: str  # the first cell, whitespace removed: 总分（预算执行率得分+绩效指标得分）
    weight: Decimal | None  # the 分值 total, where the row gives one
    score: Decimal | None  # the 得分 total: the last number on the row


def total_rows(tables: Iterable[Table], labels: Sequence[str] = ()) -> list[TotalRow]:
    """The total rows of the tables with a 得分 column; with `labels`, instead the rows whose
    first cell holds one of them (预算执行率 — — 100% 94.00% 10 9.4)."""
    out = []
    for table in tables:
        if "score" not in table.roles:
            continue
        for row in table.rows:
            first = first_filled(row.cells)  # the label, before the row's other cells
            if first is None or not (any(map(first.key.__contains__, labels)) if labels
                                     else first.key.startswith(vocabulary()["total"])):
                continue
            present = [c for c in row.cells if not c.blank]
            numbers = [n for n in (_number(c) for c in present[1:]) if n is not None]
            if not numbers:
                continue
            weight = numbers[-2] if len(numbers) >= 2 and "weight" in table.roles else None
            out.append(TotalRow(row.start, row.end, present[0].key, weight, numbers[-1]))
    return out


def table_regions(reports: Iterable[Any]) -> list[tuple[int, int]]:
    """Half-open source offsets of the grid rows of every report's tables (indicator
    tables and the numeric grids of forms), in order, overlapping rows joined: their
    quantities are indicator records, not narrative. Free-text cells of a form (年度总体目标,
    主要绩效, 备注) are not in them.

    `reports` are parse_reports' reports (each keeps the tables read in its span)."""
    spans: list[tuple[int, int]] = []
    for report in reports:
        for table in report.tables:
            spans += [(row.start, row.end) for row in table.rows if not _note_row(row)]
        spans += list(report.grid_rows)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(span for span in spans if span[1] > span[0]):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _note_row(row: Row) -> bool:
    """A 备注 row: its cell holds sentences, which are narrative."""
    first = first_filled(row.cells)
    return first is not None and first.key in _rules()["note_rows"]


def parse_indicators(text: str, doc_id: str, reports: Sequence[Any] | None = None,
                     written: str | None = None) -> list[Indicator]:
    """Indicator rows of every report of the document (reports from parse_reports).

    `text` is the text read (Simplified script), `written` the document as written (same
    offsets; defaults to `text`)."""
    written = text if written is None else written
    if reports is None:
        from .reports import parse_reports

        reports = parse_reports(text, doc_id, written=written)
    if not reports:
        return indicators_of(read_tables(Reading(text, 0, len(text))), written, doc_id, None)
    out: list[Indicator] = []
    for rep in reports:
        out.extend(indicators_of(rep.tables, written, doc_id, rep.report))
    return out
