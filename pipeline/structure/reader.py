"""The table reader: the text of a report -> tables of rows of cells, whatever the layout.

Layouts, as converters write them (each line is read as one of them):
- `tab`: cells between tabs (PDF converters); empty cells kept, so columns line up;
- `pipe`: `| a | b |` rows (HTML and Word conversions);
- `space`: cells split by spaces (flattened text);
- `line`: one cell per line, with or without a closing ` |`; a line holding only `|`
  ends a row;
- `glued`: cells run together with no separator; the header's column words, the
  units, 定量/定性 and the numbers mark the cell edges.

A table starts at a header (column words in models/structure.yaml `tables.header`,
one header line, or one header word per line in the `line` layout) and runs while
its rows do; blank lines and page footers inside it (a page break) are skipped, and
rows after them without a header of their own continue it, as do rows after a
repeated header. A header wrapped over two lines (一级⏎指标) is joined. Inside a tab or
space table a line of one cell is a wrapped cell (joined to the name or reason it
continues), a merged level, or a `label：value` line left out. Cells keep their offsets
into the text, so the interpreter (tables.py) can quote them as written.

    read_tables(Reading(text, start, end)) -> list[Table]
    form_cells(reading) -> (cells, label indices)  # the cells a form's labels read
    grid_lines(reading) -> list[(start, end)]      # rows of numeric grids
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add
from typing import Any, Iterable, Iterator, Sequence

import regex

from ..normalize import fold_width
from ..recognize.guard import bounded
from ._common import SPACE, alternation, config, squash, squashed_lines
from .sections import heading_at

LAYOUTS = ("tab", "pipe", "space", "line", "glued")
ROLE_ORDER = ("level1", "level2", "name", "reason", "note", "op", "unit", "actual", "target", "score", "weight")
VALUE_ROLES = ("op", "target", "unit", "actual", "weight", "score", "reason")

# A short bracketed note after a word: 项目资金(万元), 分值（10）.
BRACKETED = r"[(（][^()（）]{0,6}[)）]"
# A blank cell holds nothing but these: dashes, slashes, colons, pipes and whitespace (every
# character `\s` matches is below U+3001).
_DASH_CHARS = "-—–_:：|/" + "".join(chr(c) for c in range(0x3001) if regex.match(r"\s", chr(c)))
# A page footer or header: `- 3 -`, `第 1 页`, `— 第1页，共2页 —`, `共2页 第1页`, `Page 1 of 2`.
_MARKED_PAGE = (r"[-—–]\s*\d+\s*[-—–]"
                r"|[-—–]?\s*第\s*\d+\s*页(?:\s*[，,、/]?\s*共\s*\d+\s*页)?\s*[-—–]?"
                r"|[-—–]?\s*共\s*\d+\s*页\s*[，,、/]?\s*第\s*\d+\s*页\s*[-—–]?"
                r"|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?")
_PAGE_NUMBER = regex.compile(r"^\s*(?:%s|\d{1,3})\s*$" % _MARKED_PAGE)
# In the one-cell-per-line layout a bare number is a cell: only marked page numbers are skipped.
_MARKED_PAGE_NUMBER = regex.compile(r"^\s*(?:%s)\s*$" % _MARKED_PAGE)
_SENTENCE_END = re.compile(r"[。！？!?]$")
_SENTENCE_MARK = re.compile(r"[，,。；;！？!?]")
# Cells apart by whitespace (regex's, as SPACE writes it for re; \u3000 is whitespace to both).
_CELLS_BY_SPACE = re.compile(r"[\S\x1c-\x1f]+")
_TWO_CELLS = re.compile(r"[\S\x1c-\x1f]%s+[\S\x1c-\x1f]" % SPACE)  # two of them, space between
_LEADING_DIGIT = regex.compile(r"^[^\d]{0,4}\d")


@dataclass(slots=True)
class Cell:
    """One cell: its offsets into the text and its text as read (whitespace around it left out).
    Never changed once made (a cell joined to another is a new cell); not frozen, because a
    frozen dataclass costs three times as much to make and a report makes thousands."""

    start: int
    end: int
    text: str
    _key: str | None = field(default=None, init=False, repr=False, compare=False)
    _blank: bool | None = field(default=None, init=False, repr=False, compare=False)
    _level_text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        """Width folded, whitespace removed: the form words are compared in."""
        if self._key is None:
            self._key = squash(self.text)
        return self._key

    @property
    def level_text(self) -> str:
        """The text as a level's name, its points off (level_text)."""
        if self._level_text is None:
            self._level_text = levels()["weight"].sub("", self.key)  # level_text(), on the key
        return self._level_text

    @property
    def blank(self) -> bool:
        if self._blank is None:
            self._blank = not self.text.strip() or not self.text.strip(_DASH_CHARS)
        return self._blank


@dataclass
class Row:
    cells: list[Cell]
    start: int
    end: int


@dataclass
class Table:
    """A header and its rows. `roles[k]` is the role of column k (None: a label or an unknown column)."""

    layout: str
    roles: list[str | None]
    start: int  # offsets of the header line(s) to the end of the last row
    end: int
    rows: list[Row] = field(default_factory=list)

    @property
    def value_roles(self) -> list[str]:
        ordered = [r for r in self.roles if r]
        if "name" in ordered:
            return [r for r in ordered[ordered.index("name") + 1:] if r != "note"]
        return [r for r in ordered if r in VALUE_ROLES]


# ---------------------------------------------------------------- vocabulary

@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The table words of models/structure.yaml `tables`, compiled."""
    cfg = config("tables")
    header = {role: list(words) for role, words in cfg["header"].items()}
    unknown = set(header) - set(ROLE_ORDER)
    if unknown:
        from ..errors import ModelError

        raise ModelError("structure.yaml", f"tables.header: unknown role(s) {sorted(unknown)}")
    role_words = [(role, regex.compile(alternation(header[role]))) for role in ROLE_ORDER if header.get(role)]
    every_word = [w for words in header.values() for w in words] + list(cfg["glued_labels"])
    return {
        "roles": role_words,
        "min_header": int(cfg["min_header_cells"]),
        "kinds": tuple(cfg["indicator_kinds"]),
        "name_alone": frozenset(cfg["name_column_alone"]),
        "total": tuple(cfg["total_words"]),
        # a glued header is cut after each column word (and the bracket that follows it)
        "glued_header": bounded(r"(?:%s)(?:%s)?" % (alternation(every_word), BRACKETED)),
        "kind_words": bounded(alternation(list(cfg["indicator_kinds"]))),
        # every column word: a line without one opens no header of its own
        "any_word": bounded(alternation([squash(w) for words in header.values() for w in words])),
    }


def key_role(key: str) -> str | None:
    """The column a header cell names, read on its key (its text squashed), or None."""
    if not key or len(key) > 16:
        return None
    return _role_of(key)


@lru_cache(maxsize=16384)
def _role_of(s: str) -> str | None:
    for role, pattern in vocabulary()["roles"]:
        if pattern.search(s):
            return role
    return None


def header_roles(cells: list[Cell]) -> list[str | None] | None:
    """The column roles when `cells` are an indicator table's header, else None.

    A header names a third-level (or level) column and a value column, at least
    `min_header_cells` known columns, none twice; one unknown column is allowed, and a
    label in the first cell (`年度绩效目标(90分)`, `绩效指标`)."""
    if len(cells) < vocabulary()["min_header"]:
        return None  # (each cell names one column at most)
    roles = [key_role(c.key) for c in cells]
    if not {"name", "level1", "level2"} & set(roles):
        # no level or name column named: a first column headed 绩效指标 holds the names
        first = next((k for k, c in enumerate(cells) if not c.blank), None)
        if first is not None and roles[first] is None and cells[first].key in vocabulary()["name_alone"]:
            roles[first] = "name"
    found = [r for r in roles if r and r != "note"]
    if len(set(found)) < vocabulary()["min_header"] or len(found) != len(set(found)):
        return None
    if not ({"name", "level1", "level2"} & set(found)) or not ({"target", "actual", "weight", "score"} & set(found)):
        return None
    unknown = [k for k, (c, r) in enumerate(zip(cells, roles)) if r is None and not c.blank]
    if len(unknown) > 1 + (unknown[:1] == [0]):
        return None
    return roles


# ---------------------------------------------------------------- one line -> cells

def layout_of(line: str) -> str:
    if "\t" in line:
        return "tab"
    s = line.strip()
    if s.startswith("|") and s.count("|") >= 3:
        return "pipe"
    if _TWO_CELLS.search(s.rstrip("|")):
        return "space"
    return "line"


def split_line(start: int, line: str, layout: str) -> list[Cell]:
    """The cells of one line in a layout; offsets into the text (the line starts at `start`)."""
    if layout in ("tab", "pipe"):
        sep = "\t" if layout == "tab" else "|"
        body_start, body_end = 0, len(line)
        if layout == "pipe":
            s = line.strip()
            body_start = line.index(s[0]) + (1 if s.startswith("|") else 0)
            body_end = line.rindex(s[-1]) + 1 - (1 if s.endswith("|") and len(s) > 1 else 0)
        cells, pos = [], start + body_start
        for piece in line[body_start:body_end].split(sep):
            text = piece.strip()
            if len(text) == len(piece):  # _cell, inline: most cells have no space around them
                cells.append(Cell(pos, pos + len(text), text))
            else:
                cells.append(_cell(pos, piece))
            pos += len(piece) + 1
        return cells
    if layout == "space":
        return [Cell(start + m.start(), start + m.end(), m.group()) for m in _CELLS_BY_SPACE.finditer(line.rstrip("| \t"))]
    return [_cell(start, line.rstrip().removesuffix("|"))]


def _keys_from(cells: Sequence[Cell], squashed: str) -> None:
    """Give the cells of a tab or space line whose only whitespace is tabs and spaces their
    keys from the line squashed: squashing such a line folds each character's width in its
    place and takes the tabs and spaces out, so each cell's key is its stretch of it, in order
    (one squash a line instead of one a cell)."""
    at = 0
    for cell in cells:
        width = len(cell.text) - cell.text.count(" ")
        cell._key = squashed[at:at + width]
        at += width


def _cell(start: int, piece: str) -> Cell:
    text = piece.strip()
    if len(text) == len(piece):
        return Cell(start, start + len(text), text)
    lead = len(piece) - len(piece.lstrip())
    return Cell(start + lead, start + lead + len(text), text)


def cut_glued(cell: Cell) -> list[Cell]:
    """A cell of glued header words cut after each word: 指标名称计量单位年初指标值… ->
    指标名称 | 计量单位 | 年初指标值 …; the text between two words belongs to the second."""
    out, pos = [], 0
    for m in vocabulary()["glued_header"].finditer(cell.text):
        if m.end() <= pos:
            continue
        out.append(Cell(cell.start + pos, cell.start + m.end(), cell.text[pos:m.end()]))
        pos = m.end()
    if pos < len(cell.text):
        out.append(Cell(cell.start + pos, cell.end, cell.text[pos:]))
    return out


# ---------------------------------------------------------------- glued rows

_EDGE_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
# A glued 分值得分 pair or a total is a few characters: a longer run of digits is no cell.
MAX_PAIR_CHARS = 9
# A header has at most this many columns (a run of header words beyond it is no header).
MAX_HEADER_CELLS = 16
# A row of the one-cell-per-line layout names at most this many levels before its name.
MAX_LEVEL_CELLS = 3


def trailing_number(text: str) -> int | None:
    """Where the number that ends `text` starts (`…15次44` -> the index of `44`), or None;
    read back from the end over at most MAX_PAIR_CHARS characters, so linear in nothing but them."""
    k = len(text)
    while k > 0 and len(text) - k < MAX_PAIR_CHARS + 1 and (text[k - 1].isdigit() or text[k - 1] == "."):
        k -= 1
    run = text[k:]
    if not run or len(run) > MAX_PAIR_CHARS or (k > 0 and (text[k - 1].isdigit() or text[k - 1] == ".")):
        return None
    return k if _EDGE_NUMBER.fullmatch(run) else None


def weight_and_score(digits: str) -> tuple[str, str] | None:
    """`108.5` -> (10, 8.5); `1010` -> (10, 10); `53` -> (5, 3): the split of a glued 分值得分
    pair with no leading zero, a weight of at most 100 and the score not above it."""
    best = None
    if len(digits) > MAX_PAIR_CHARS:
        return None
    for k in range(1, len(digits)):
        w, s = digits[:k], digits[k:]
        if not _EDGE_NUMBER.fullmatch(w) or not _EDGE_NUMBER.fullmatch(s):
            continue
        if (len(w) > 1 and w[0] == "0" and w[1] != ".") or (len(s) > 1 and s[0] == "0" and s[1] != "."):
            continue
        if float(w) > 100 or float(s) > float(w):
            continue
        gap = float(w) - float(s)
        if best is None or gap < best[0]:
            best = (gap, w, s)
    return (best[1], best[2]) if best else None


_LEAD_NUMBER = regex.compile(r"\D{0,6}?\d+(?:\.\d+)?")
_NOT_UNIT_START = regex.compile(r"[\d.]")

def split_glued_row(cell: Cell, roles: list[str | None]) -> list[Cell] | None:
    """A glued indicator row cut into the header's columns (name, unit, kind, target,
    actual, weight, score), or None when the line is not one: the 定量/定性 word marks
    the end of the name and unit; the unit, written again after the target and the
    actual, marks their ends; the digits left are the weight and the score."""
    text = cell.text
    kind = vocabulary()["kind_words"].search(text)
    if kind is None or "name" not in roles:
        return None
    head, tail = text[:kind.start()], text[kind.end():]
    unit = ""
    number = _LEAD_NUMBER.match(tail)  # the target: a number after at most six other characters
    for k in range(min(len(head) - 1, 6), 0, -1):
        suffix = head[-k:]
        # the unit is the longest end of the head written again right after the target
        if number and not _NOT_UNIT_START.match(suffix) and tail.startswith(suffix, number.end()):
            unit = suffix
            break
    name = head[: len(head) - len(unit)]
    pair_at = trailing_number(tail)
    if not name or pair_at is None:
        return None
    values = tail[:pair_at]
    pieces: list[str]
    if unit and values.count(unit) >= 2:
        first = values.index(unit) + len(unit)
        pieces = [values[:first], values[first:]]
    elif unit and values.endswith(unit):
        pieces = [values, ""]
    else:
        half = len(values) // 2
        pieces = [values[:half], values[half:]] if len(values) % 2 == 0 and values[:half] == values[half:] else [values, ""]
    ws = weight_and_score(tail[pair_at:])
    if ws is None:
        return None
    texts = {"name": name, "unit": unit, "op": kind.group(), "target": pieces[0], "actual": pieces[1],
             "weight": ws[0], "score": ws[1]}
    out, pos = [], 0
    for role in roles:
        piece = texts.pop(role, "") if role else ""
        at = text.find(piece, pos) if piece else pos
        at = pos if at < 0 else at
        out.append(Cell(cell.start + at, cell.start + at + len(piece), piece))
        pos = at + len(piece)
    return out


# ---------------------------------------------------------------- tables

Line = tuple[int, int, str]


class Reading:
    """The lines of text[start:end], read once for every pass over them (tables, form cells,
    numeric grids): each line's layout and whether it is skippable are worked out for all the
    lines at once (most lines of a report are narrative, set apart by their squashed text and
    first character), its cells when first asked for, and kept. One search over the squashed lines
    finds those that hold a header word (or a form word), so that only those (and a header
    wrapped onto the next line) are tried as a table's header. `read` is what a reading of
    the span already holds (`part`): its lines, their squashed text, layouts and skippable
    flags."""

    def __init__(self, text: str, start: int = 0, end: int | None = None,
                 read: tuple[list[Line], list[str], list[str], list[bool]] | None = None):
        self.text = text
        if read is None:
            end = len(text) if end is None else end
            body = text[start:end]
            raw = body.split("\n")
            lengths = list(map(len, raw))
            starts = _line_starts(lengths, start)
            spans = list(zip(starts, map(add, starts, lengths), raw))
            squashed = squashed_lines(body).split("\n")
            # a line is blank or a page number only when its first character is whitespace or
            # can start a page number (or it has none)
            firsts = {first for first in {ln[:1] for ln in raw}
                      if not first or first.isspace() or _may_open_page(first)}
            read = spans, squashed, _layouts(raw, squashed), \
                [ln[:1] in firsts and (not ln.strip() or _PAGE_NUMBER.match(ln) is not None) for ln in raw]
        # each line, squash() of each line, each line's layout, whether it is skippable (_skippable)
        self.lines, self._squashed_lines, self._layouts, self._skippable = read
        self._cells: list[tuple[Cell, ...] | None] = [None] * len(self.lines)
        self._header_lines: set[int] | None = None
        self._openers: list[int] | None = None
        self._opener_set: set[int] = set()
        self._starts: list[int] | None = None
        self._squashed_text: str | None = None
        self._squashed_starts: list[int] = []  # where each squashed line starts in _squashed_text

    def part(self, start: int, end: int) -> "Reading":
        """The reading of text[start:end], a span from a line start to a line start or the
        end, taken from this one's lines (with the empty line after the span's last line
        break, as reading the span alone gives it)."""
        if self._starts is None:
            self._starts = [s for s, _e, _line in self.lines]
        i = bisect_left(self._starts, start)
        j = bisect_left(self._starts, end) if end < len(self.text) else len(self.lines)
        tail = ([(end, end, "")], [""], ["line"], [True]) if end < len(self.text) else ([], [], [], [])
        return Reading(self.text, read=(self.lines[i:j] + tail[0], self._squashed_lines[i:j] + tail[1],
                                        self._layouts[i:j] + tail[2], self._skippable[i:j] + tail[3]))

    def __len__(self) -> int:
        return len(self.lines)

    def skippable(self, i: int) -> bool:
        """Whether line i is blank or a page number (_skippable)."""
        return self._skippable[i]

    def layout(self, i: int) -> str:
        return self._layouts[i]

    def cells(self, i: int) -> tuple[Cell, ...]:
        """Line i's cells in its own layout (a tuple: rows copy it before they change it)."""
        cells = self._cells[i]
        if cells is None:
            s, _e, line = self.lines[i]
            squashed, layout = self._squashed_lines[i], self._layouts[i]
            cells = self._cells[i] = tuple(split_line(s, line, layout))
            if layout in ("tab", "space") and line.replace("\t", "").isprintable():
                _keys_from(cells, squashed)
            elif len(cells) == 1 and cells[0].text == line:
                # the line is its one cell, as written: its key is the squashed line, already made
                cells[0]._key = squashed
        return cells

    def squashed(self, i: int) -> str:
        """squash() of line i."""
        return self._squashed_lines[i]

    def holding(self, pattern: Any) -> set[int]:
        """The lines whose squashed text `pattern` finds a match in (a match never spans lines):
        searched in the squashed lines joined, from the line after each match found."""
        if self._squashed_text is None:
            self._squashed_text = "\n".join(self._squashed_lines)
            self._squashed_starts = _line_starts(map(len, self._squashed_lines))
        text, starts, search = self._squashed_text, self._squashed_starts, pattern.search
        found: set[int] = set()
        m = search(text)
        while m is not None:
            k = bisect_right(starts, m.start()) - 1
            found.add(k)
            m = search(text, starts[k + 1])
        return found

    def holds_header_word(self, i: int) -> bool:
        """Whether line i holds a column word: a line without one is no header (header_roles)."""
        if self._header_lines is None:
            self._header_lines = self.holding(vocabulary()["any_word"])
        return i in self._header_lines

    def header_openers(self) -> list[int]:
        """The lines that can open a header, in order: those holding a header word, and rows of
        cells whose header may be wrapped onto the next line (a line of words, no digit in it)."""
        if self._openers is None:
            if self._header_lines is None:
                self._header_lines = self.holding(vocabulary()["any_word"])
            lines = self.lines
            wrapped = [i for i, layout in enumerate(self._layouts[:-1]) if layout != "line"
                       and i not in self._header_lines and lines[i + 1][2].strip() and not _DIGIT.search(lines[i + 1][2])]
            self._openers = sorted(self._header_lines.union(wrapped))
            self._opener_set = set(self._openers)
        return self._openers

    def may_open_header(self, i: int) -> bool:
        """Whether line i can open a header (header_openers)."""
        if self._openers is None:
            self.header_openers()
        return i in self._opener_set


def _line_starts(lengths: Iterable[int], start: int = 0) -> list[int]:
    """Where each line starts, given the lengths of the lines (and where the first starts),
    and, last, where a line after them would: each line ends in a line break."""
    return list(accumulate(map((1).__add__, lengths), initial=start))


def _layouts(raw: list[str], squashed: list[str]) -> list[str]:
    """layout_of() of every line (`squashed`: squash() of each, as long as the line when it
    holds no whitespace): a line without whitespace (no tab, no two cells apart) and without
    a pipe is one cell."""
    return [layout_of(ln) if len(ln) != len(sq) or "|" in ln else "line" for ln, sq in zip(raw, squashed)]


@lru_cache(maxsize=4096)
def _may_open_page(first: str) -> bool:
    """Whether a line starting with this character can be a page number (_PAGE_NUMBER): most
    lines are turned away by their first character, without the pattern run on them."""
    return _PAGE_NUMBER.match(first, partial=True) is not None


def read_tables(reading: Reading) -> list[Table]:
    """The indicator tables of the reading's span, in order."""
    tables: list[Table] = []
    starts = reading.header_openers()
    p = 0
    while p < len(starts):
        found = _header_at(reading, starts[p])
        if found is None:
            p += 1
            continue
        table, i = found
        i = _BODY[table.layout](reading, i, table)
        if table.rows:
            table.end = table.rows[-1].end
        tables.append(table)
        p = bisect_left(starts, i)
    return tables


def _header_at(reading: Reading, i: int) -> tuple[Table, int] | None:
    s, e, line = reading.lines[i]
    if not line.strip() or not reading.may_open_header(i):
        return None
    layout = reading.layout(i)
    if layout != "line":
        cells = reading.cells(i)
        roles = header_roles(cells)
        if roles:
            return Table(layout, roles, s, e), i + 1
        if i + 1 < len(reading) and reading.layout(i + 1) in (layout, "line"):
            joined = _wrapped_header(cells, reading.cells(i + 1), layout)
            roles = header_roles(joined) if joined else None
            if roles:
                return Table(layout, roles, s, reading.lines[i + 1][1]), i + 2
        return None
    cell = reading.cells(i)[0]
    if key_role(cell.key):
        cells, j = [], i
        while j < len(reading) and j - i < MAX_HEADER_CELLS and reading.layout(j) == "line":
            c = reading.cells(j)[0]
            if not key_role(c.key):
                break
            cells.append(c)
            j += 1
        roles = header_roles(cells)
        return (Table("line", roles, s, reading.lines[j - 1][1]), j) if roles else None
    roles = header_roles(cut_glued(cell))
    return (Table("glued", roles, s, e), i + 1) if roles else None


def _wrapped_header(cells: Sequence[Cell], below: Sequence[Cell], layout: str) -> list[Cell] | None:
    """Header cells wrapped over two lines, joined (`一级 二级 三级指标 年度 实际 分值 得分` over
    `指标 指标 指标值 完成值` -> 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分), or None.
    Split by spaces, the second line's words continue, in order, the cells above that name no
    column; in columns (tabs, pipes) each continues the cell above it. The second line holds
    words only."""
    parts = [c for c in below if not c.blank]
    if not parts or any(_DIGIT.search(c.text) or len(c.key) > 6 for c in parts):
        return None
    if layout == "space" or len(below) == 1:
        open_cells = [k for k, c in enumerate(cells) if not c.blank and key_role(c.key) is None]
        if len(open_cells) != len(parts):
            return None
        pairs = list(zip(open_cells, parts))
    else:
        if len(below) > len(cells):
            return None
        pairs = [(k, c) for k, c in enumerate(below) if not c.blank and not cells[k].blank]
        if len(pairs) != len(parts):
            return None
    joined = list(cells)
    for k, part in pairs:
        joined[k] = Cell(cells[k].start, part.end, cells[k].text + part.text)
    return joined


_DIGIT = regex.compile(r"\d")


def _skippable(line: str) -> bool:
    return not line.strip() or bool(_PAGE_NUMBER.match(line))


def first_filled(cells: Sequence[Cell]) -> Cell | None:
    """The first cell that is not blank (a loop: a generator costs more, on every row)."""
    for cell in cells:
        if not cell.blank:
            return cell
    return None


def _row_is_open(row: Row) -> bool:
    """A row that so far holds no value after its name (its name continues on the next line):
    at most one cell that is not blank after the levels it opens with."""
    after_levels = 0
    for c in row.cells:
        if c.blank or (not after_levels and is_level(c)):
            continue
        after_levels += 1
        if after_levels > 1:
            return False
    return True


def _join(text_of: Any, prev: Row, cells: list[Cell], end: int) -> None:
    """Append a continuation line's cells to the row it continues (the first to its last cell)."""
    cells = list(cells)
    last = max((k for k, c in enumerate(prev.cells) if not c.blank), default=len(prev.cells) - 1)
    if cells and not cells[0].blank:
        first, joined = prev.cells[last], cells.pop(0)
        prev.cells[last] = Cell(first.start, joined.end, text_of(first.start, joined.end))
        prev.cells = prev.cells[: last + 1] + cells
    elif cells:
        prev.cells = prev.cells[: last + 1] + cells[1:]
    prev.end = end


def _next_kept(reading: Reading, j: int, keep: Any) -> int:
    """The index of the first line from index j on that `keep` accepts (len(reading) if none).
    Indexed, not itertools.islice: islice walks from the first line to reach j, which at every
    row of a long report is quadratic."""
    lines = reading.lines
    for k in range(j, len(lines)):
        if keep(lines[k][2]):
            return k
    return len(lines)


def _line_at(reading: Reading, k: int) -> str | None:
    return reading.lines[k][2] if k < len(reading) else None


def _grid_body(reading: Reading, j: int, table: Table) -> int:
    """Rows of a tab, pipe or space table: one a line. A line of another layout (one cell)
    inside the table is a wrapped cell: it continues the row above when that row is still
    open (its name wrapped) or ends in text (its reason wrapped), else it opens the next
    row's name; a level alone on its line is a merged level cell; a `label：number` line
    (预算执行率得分：9.7分) is left out. Such a line ends the table only when no row follows it."""
    text = reading.text

    def source_of(a: int, b: int) -> str:
        return text[a:b]

    pending: Cell | None = None  # the first line of the next row's wrapped name
    while j < len(reading):
        s, e, line = reading.lines[j]
        if reading.skippable(j):
            j += 1
            continue
        layout = reading.layout(j)
        if layout == table.layout:
            cells = list(reading.cells(j))
            if layout == "space" and (heading_at(line) or (_SENTENCE_END.search(line.strip())
                                                          and not any(_numeric(c.text) for c in cells))):
                return j
            if first_filled(cells) is None:
                j += 1
                continue
            roles = header_roles(cells) if reading.holds_header_word(j) else None
            if roles is not None:
                if roles != table.roles:
                    return j
                j += 1  # the header repeated after a page break
                continue
            if table.rows and not cells[0].blank and not is_level(cells[0]) and _row_is_open(table.rows[-1]):
                if first_filled(cells[1:]) is None:
                    # the row stays open: the lines after that continue it only in their first
                    # cell are joined with this one at once (one at a time, each re-reads the
                    # whole grown cell: quadratic in a long run)
                    k = j + 1
                    while k < len(reading):
                        if not reading.skippable(k):
                            more = _first_cell_continuation(reading, k, table)
                            if more is None:
                                break
                            j, cells, e = k, more, reading.lines[k][1]
                        k += 1
                _join(source_of, table.rows[-1], cells, e)
            else:
                if pending is not None:
                    cells, s = _prefix_name(source_of, pending, cells), pending.start
                table.rows.append(Row(cells, s, e))
            pending = None
            j += 1
            continue
        # a line of another layout: a wrapped cell, a level, a label, or the end of the table
        if table.layout == "pipe" or not table.rows or heading_at(line) or pending is not None:
            return j
        prev, cell = table.rows[-1], _cell(s, line)
        level = is_level(cell)
        if _row_is_open(prev) and not level:
            # a row stays open once a line is joined to it, so the lines after this one that
            # would be joined too are joined with it at once: one at a time, each re-reads the
            # whole grown cell (its key), quadratic in a long run of wrapped lines
            k = j + 1
            while k < len(reading):
                if reading.skippable(k):
                    k += 1
                    continue
                ks, ke, kline = reading.lines[k]
                if reading.layout(k) == table.layout or heading_at(kline) or is_level(_cell(ks, kline)):
                    break
                j, cell, e = k, _cell(ks, kline), ke
                k += 1
            _join(source_of, prev, [cell], e)
            j += 1
            continue
        nxt = _line_at(reading, _next_kept(reading, j + 1, lambda ln: not _skippable(ln)))
        if nxt is None or not _continues(nxt, table):
            return j
        last = next((c for c in reversed(prev.cells) if not c.blank), None)
        if level:
            table.rows.append(Row([cell], s, e))
        elif _LABEL_LINE.match(cell.text):
            pass
        elif last is not None and not _grid_cell(last.text):
            _join(source_of, prev, [cell], e)
        elif len(cell.key) <= MAX_WRAPPED_NAME_CHARS and not _SENTENCE_MARK.search(cell.text):
            pending = cell
        j += 1
    return j


def _first_cell_continuation(reading: Reading, k: int, table: Table) -> list[Cell] | None:
    """Line k's cells when _grid_body joins it to an open row and the row stays open: a
    line of the table's layout, not a header, whose first cell alone is filled and no level."""
    s, _e, line = reading.lines[k]
    if reading.layout(k) != table.layout:
        return None
    cells = list(reading.cells(k))
    if table.layout == "space" and (heading_at(line) or _SENTENCE_END.search(line.strip())):
        return None
    if cells[0].blank or is_level(cells[0]) or first_filled(cells[1:]) is not None:
        return None
    if reading.holds_header_word(k) and header_roles(cells) is not None:
        return None
    return cells


# A `label：value` line between rows (预算执行率得分：9.7分, 单位：万元): a form field, not a wrapped cell.
_LABEL_LINE = regex.compile(r"^[^\d\s:：，,。；;]{1,24}[:：]")
# The first line of a wrapped name is at most this long.
MAX_WRAPPED_NAME_CHARS = 16


def _continues(line: str, table: Table) -> bool:
    """Whether `line` is a row of `table` (its layout, not a header or heading, a value in it)."""
    if layout_of(line) != table.layout or heading_at(line):
        return False
    cells = split_line(0, line, table.layout)
    if header_roles(cells) is not None:
        return False
    present = [c for c in cells if not c.blank]
    return len(present) >= 2 and (table.layout != "space" or any(_numeric(c.text) for c in present))


def _prefix_name(text_of: Any, first: Cell, cells: list[Cell]) -> list[Cell]:
    """A row's cells with the first line of its wrapped name joined to its name (its first
    cell that is not a level)."""
    k = next((k for k, c in enumerate(cells) if not c.blank and not is_level(c)), None)
    if k is None:
        return cells
    return cells[:k] + [Cell(first.start, cells[k].end, text_of(first.start, cells[k].end))] + cells[k + 1:]


def _line_body(reading: Reading, j: int, table: Table) -> int:
    """Rows of a one-cell-per-line table. Cells come one a line; a row is its level cells,
    its name, then one cell per value column; the reason column is taken when the next
    cell reads as a sentence (or a lone `|` ends the row)."""
    stream: list[Cell | None] = []  # None: a row break
    while j < len(reading):
        line = reading.lines[j][2]
        # (a marked page number is a page number: only a skippable line can be one)
        if not line.strip() or (reading.skippable(j) and _MARKED_PAGE_NUMBER.match(line)):
            if not line.strip():
                # the blank lines up to the next line all read that line: skipped at once,
                # not each scanning the rest of the run (quadratic in the run's length)
                k = _next_kept(reading, j + 1, str.strip)
                nxt = _line_at(reading, k)
                if nxt is None or layout_of(nxt) != "line":
                    break
                j = k
                continue
            j += 1
            continue
        if reading.layout(j) != "line" or heading_at(line):
            break
        if _header_at(reading, j) is not None:
            break
        stripped = line.strip()
        stream.append(None if stripped == "|" else reading.cells(j)[0])
        j += 1
    needed = len([r for r in table.value_roles if r not in ("reason", "op", "unit")])
    row: list[Cell] = []
    named = 0  # cells of the row after its levels: the name, then the values

    def close() -> None:
        nonlocal named
        if row:
            table.rows.append(Row(list(row), row[0].start, row[-1].end))
            row.clear()
        named = 0

    for cell in stream:
        if cell is None:
            close()
            continue
        level = is_level(cell)
        if not named:
            if cell.key.startswith(vocabulary()["total"]) or (level and len(row) >= MAX_LEVEL_CELLS):
                close()
            row.append(cell)
            named += not level
            continue
        if level and named > needed:
            close()
        elif named > needed:  # name and every value read: a reason, or the next row's name
            if "reason" in table.value_roles and _SENTENCE_MARK.search(cell.text):
                row.append(cell)
                close()
                continue
            close()
        row.append(cell)
        named += not (level and named == 0)
    close()
    return j


def _glued_body(reading: Reading, j: int, table: Table) -> int:
    while j < len(reading):
        s, e, line = reading.lines[j]
        if reading.skippable(j):
            j += 1
            continue
        if reading.layout(j) != "line":
            return j
        cell = reading.cells(j)[0]
        if cell.key.startswith(vocabulary()["total"]):  # a total row
            number_at = trailing_number(cell.text)
            label_end = number_at if number_at is not None else len(cell.text)
            table.rows.append(Row([Cell(cell.start, cell.start + label_end, cell.text[:label_end]),
                                   Cell(cell.start + label_end, cell.end, cell.text[label_end:])], s, e))
            return j + 1
        cells = split_glued_row(cell, table.roles)
        if cells is None:
            return j
        table.rows.append(Row(cells, s, e))
        j += 1
    return j


_BODY = {"tab": _grid_body, "pipe": _grid_body, "space": _grid_body, "line": _line_body, "glued": _glued_body}


# ---------------------------------------------------------------- levels and numbers the reader needs

@lru_cache(maxsize=1)
def levels() -> dict[str, Any]:
    """The level vocabulary of models/structure.yaml: level0/1/2 words, suffixes, max length."""
    cfg = config("tables")
    return {
        "level0": set(cfg["level0"]),
        "level1": set(cfg["level1"]),
        "level2": set(cfg["level2"]),
        "suffixes": tuple(cfg["level_suffixes"]),
        "max": int(cfg["max_level_chars"]),
        "weight": regex.compile(cfg["level_weight"]),
    }


def level_text(text: str) -> str:
    """A level cell without its points: `项目决策（15分）` -> 项目决策."""
    return levels()["weight"].sub("", squash(text))


def is_level(cell: Cell) -> bool:
    """Whether a cell names a level (a level word of the vocabulary, or a short name ending in a
    level suffix), its points aside."""
    r = levels()
    s = cell.level_text
    if s in r["level0"] or s in r["level1"] or s in r["level2"]:
        return True
    return 2 < len(s) <= r["max"] and s.endswith(r["suffixes"])


def _numeric(text: str) -> bool:
    return bool(_LEADING_DIGIT.match(fold_width(text.strip()))) and len(text.strip()) <= 16


# ---------------------------------------------------------------- numeric grids

_GRID_CELL = regex.compile(r"^[-—–+]*[\d.,]*\d[\d.,]*[%％]?$|^[-—–_/]+$")
_GLUED_GRID = regex.compile(r"[\d.,%％—–-]{6,}$")


def _grid_cell(text: str) -> bool:
    s = text.strip().rstrip("|").strip()
    return len(s) <= 16 and bool(_GRID_CELL.match(s))


# Whitespace as str.strip() reads it: a cell of it alone is empty.
_STRIPPED = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
# After the first cell of a grid row: numbers, rates, dashes, separators and empty cells.
_GRID_REST = regex.compile(r"[\d.,%％+\-—–_/|\s\x1c-\x1f]*")
_SPACE_RUN = re.compile(SPACE + "+")


def _may_be_grid_row(line: str, layout: str) -> bool:
    """Whether a tab, pipe or space line can be a grid row: a second cell, and nothing after
    the first cell that no grid cell holds (tried on the line, before its cells are made)."""
    if layout == "space":
        gap = _SPACE_RUN.search(line.strip())
        rest = line.strip()[gap.end():] if gap else None
    else:
        sep = "\t" if layout == "tab" else "|"
        body = line.lstrip(_STRIPPED + sep)
        k = body.find(sep)
        rest = body[k + 1:] if k >= 0 else None
    return rest is not None and bool(_GRID_REST.fullmatch(rest))


def grid_lines(reading: Reading) -> list[tuple[int, int]]:
    """Source offsets of the lines of the reading's span that are rows of a numeric grid: a
    label and at least two cells that are all numbers, rates or dashes (`年度资金总额 1,850.00
    2,120.00 …`, glued `其中：财政拨款586.00612.40…`), or, one cell a line, a number next
    to another number. Their figures are table cells, not narrative."""
    lines, skippable, layouts = reading.lines, reading._skippable, reading._layouts
    # the lines read: those not skippable, and bare numbers (a page number, or a cell among cells)
    read = [i for i, skip in enumerate(skippable) if not skip or lines[i][2].strip().isdigit()]
    single = [i for i in read if layouts[i] == "line"]  # one-cell lines, in order
    numeric = [_short_grid_cell(lines[i][2]) for i in single]
    out = [lines[i][:2] for i, number in zip(single, numeric) if not number
           and not _SENTENCE_MARK.search(lines[i][2]) and _GLUED_GRID.search(lines[i][2].strip())]
    for i in read:
        layout = layouts[i]
        if layout == "line" or not _may_be_grid_row(lines[i][2], layout):
            continue
        cells = [c for c in reading.cells(i) if c.text]
        values = cells[1:] if cells and not _grid_cell(cells[0].text) else cells
        if len(values) >= 2 and all(_grid_cell(c.text) for c in values):
            out.append(lines[i][:2])
    last = len(single) - 1
    out += [lines[i][:2] for k, i in enumerate(single)
            if numeric[k] and ((k > 0 and numeric[k - 1]) or (k < last and numeric[k + 1]))]
    return sorted(out)


def _short_grid_cell(line: str) -> bool:
    """_grid_cell() of a line, tried only when it is short enough to be one (or ends in a pipe
    to take off)."""
    stripped = line.strip()
    return (len(stripped) <= 16 or stripped.endswith("|")) and _grid_cell(line)


# ---------------------------------------------------------------- every cell, for forms

def form_cells(reading: Reading) -> tuple[list[Cell], list[int]]:
    """The cells of the reading's span that a form's labels can read, in reading order, and
    the indices of those that may be labels. A label is a cell of a line holding a form word
    (brackets between its characters allowed: a label is read without them); it reads its
    own line and at most as many cells past it as there are labels (the money row's amounts,
    one per column, and every column is a label), so the cells of a line further from every
    label are left out. A glued line of form words is cut at them (项目名称农村公路日常养护
    主管部门… -> 项目名称 | 农村公路日常养护 | …)."""
    skippable = reading._skippable

    def kept(k: int) -> bool:
        return not skippable[k] or (reading.lines[k][2].strip().isdigit() and _among_cells(reading, k))

    labelled = {k: [cut for cell in reading.cells(k) if cell.text
                    for cut in ([cell] if _SENTENCE_MARK.search(cell.text) else _cut_form_words(cell))]
                for k in sorted(_labelled_lines(reading)) if kept(k)}
    window = sum(len(cells) for cells in labelled.values()) + 1
    out: list[Cell] = []
    labels: list[int] = []
    owed = 0  # cells still to keep after the last label's line
    # (nothing is kept before the first labelled line, nor once the last one is paid for)
    first, last = min(labelled, default=len(reading)), max(labelled, default=-1)
    for k in range(first, len(reading)):
        if k in labelled:
            labels.extend(range(len(out), len(out) + len(labelled[k])))
            out.extend(labelled[k])
            owed = window
        elif owed <= 0:
            if k > last:
                break
        elif kept(k):
            present = [cell for cell in reading.cells(k) if cell.text]
            out.extend(present)
            owed -= len(present)
    return out, labels


def _labelled_lines(reading: Reading) -> set[int]:
    """The lines holding a form word, as written or once bracketed notes are taken out (项目
    (一)名称): a label is read without its notes, and a note never holds part of a word."""
    words = _form_words()
    found = reading.holding(words)
    return found | {k for k in reading.holding(_OPEN_BRACKET) - found
                    if words.search(_NOTE.sub("", reading.squashed(k)))}


def _among_cells(reading: Reading, k: int) -> bool:
    """Whether line k stands among one-cell-per-line cells (a short line right above or below
    it): a bare number there is a cell (600 under 年度资金总额), not a page number."""
    def short_cell(j: int) -> bool:
        line = reading.lines[j][2]
        s = line.strip()
        return bool(s) and reading.layout(j) == "line" and len(s) <= 16 and not _SENTENCE_MARK.search(s) \
            and not (reading.skippable(j) and _MARKED_PAGE_NUMBER.match(line))

    return any(0 <= j < len(reading) and short_cell(j) for j in (k - 1, k + 1))


def _cut_form_words(cell: Cell) -> Iterator[Cell]:
    """A cell (as split_line makes it: no space around its text) cut before and after each
    form label it holds (a label glued to its value); a cell that is one label, or holds
    none, is given back as it is."""
    pattern = form_labels()
    pos = 0
    for m in pattern.finditer(cell.text):
        if m.start() == 0 and m.end() == len(cell.text):
            yield cell
            return
        if m.start() > pos:
            yield _cell(cell.start + pos, cell.text[pos:m.start()])
        yield Cell(cell.start + m.start(), cell.start + m.end(), m.group())
        pos = m.end()
    if pos == 0:
        yield cell
    elif pos < len(cell.text):
        rest = _cell(cell.start + pos, cell.text[pos:])
        if rest.text:
            yield rest


def _form_label_words() -> list[str]:
    cfg = config("forms")
    words = [w for key in ("project", "org", "supervisor", "self_score", "execution_rate", "money_row",
                           "money_label") for w in cfg[key]]
    return words + [w for ws in cfg["money_columns"].values() for w in ws]


@lru_cache(maxsize=1)
def form_labels() -> Any:
    """Form labels (models/structure.yaml `forms`), with the bracket and colon written after them."""
    return bounded(r"(?:%s)(?:%s)?[:：]?" % (alternation(_form_label_words()), BRACKETED))


@lru_cache(maxsize=1)
def _form_words() -> Any:
    return bounded(alternation([squash(w) for w in _form_label_words()]))


_NOTE = bounded(BRACKETED)
_OPEN_BRACKET = re.compile(r"\(")
