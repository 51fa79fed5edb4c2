"""Table rows for the table parser: one line per row, cells joined by tabs."""
from __future__ import annotations

from typing import Iterable

import regex

# A line break inside a cell is layout: dropped between Chinese characters, a space elsewhere.
_CELL_BREAK = regex.compile(r"\s*\n\s*")
_WIDE = regex.compile(r"[^\x00-\x7f]")


def cell_text(cell: str | None) -> str:
    if not cell:
        return ""

    def join(match: "regex.Match[str]") -> str:
        before, after = cell[match.start() - 1:match.start()], cell[match.end():match.end() + 1]
        return "" if _WIDE.match(before) or _WIDE.match(after) else " "

    return _CELL_BREAK.sub(join, cell.strip()).replace("\t", " ")


def table_row(cells: Iterable[str | None]) -> str:
    return "\t".join(cell_text(c) for c in cells)


def spanned_row(cells: Iterable[tuple[str | None, int]]) -> str:
    """A row of (text, columns spanned): a cell spanning columns is followed by empty
    ones, so that the row still lines up with the header (the tabs are made as one
    string per cell, never an object per column)."""
    return "\t".join(cell_text(text) + "\t" * (span - 1) for text, span in cells)
