"""Cells and sheets for every CSV and XLSX file jixiao writes: inert and readable.

A document is untrusted input, and spreadsheets run formulas. Following OWASP's
advice on CSV injection, a text cell that begins with `= + - @`, a tab or a
carriage return is written with a leading apostrophe in CSV, and as a string cell
(never a formula) in XLSX. Characters XLSX cannot hold (C0 controls other than
tab, newline and carriage return, such as ESC) become U+FFFD rather than a crash.
Nested values (lists, mappings) are written as JSON, not as Python's repr.
"""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

import regex

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What the XML of an XLSX file cannot hold (XML 1.0 Char, less what openpyxl refuses).
_ILLEGAL_XLSX = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"
HEADER_FILL = "DDE7F3"
DEFAULT_WIDTH = 11
MAX_WIDTH = 60


def plain(value: Any) -> Any:
    """Lists and mappings as JSON text (Decimals in them as numbers); anything else as it is."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_number)
    return value


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def csv_cell(value: Any) -> Any:
    """A value as a CSV field: None as empty, nested values as JSON, formula-like text quoted."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_text(text: str) -> str:
    return _ILLEGAL_XLSX.sub(REPLACEMENT, text)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)


def write_csv_file(header: Sequence[str], rows: Iterable[Sequence[Any]], path: str | Path) -> None:
    # A BOM lets Excel, where most CSV files end up, open them as UTF-8.
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        write_csv(header, rows, out)


def add_sheet(workbook: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
              widths: Sequence[float | None] = ()) -> Any:
    """A formatted sheet: bold shaded header, frozen below it, autofilter, column widths
    (given, else from the header and the first rows' text); every text cell a string cell."""
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title[:31])
    sheet.append([xlsx_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    seen = [_width(h) for h in header]
    for n, row in enumerate(rows):
        values = [float(v) if isinstance(v, Decimal) else plain(v) for v in row]
        sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
        for cell, value in zip(sheet[sheet.max_row], values):
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # openpyxl would take "=…" for a formula
                # and Excel keeps it text when the cell is edited (its "quote prefix")
                cell.quotePrefix = value.startswith(FORMULA_START)
            if n < 200:
                seen[cell.column - 1] = max(seen[cell.column - 1], _width(value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for k in range(len(header)):
        given = widths[k] if k < len(widths) else None
        sheet.column_dimensions[get_column_letter(k + 1)].width = given or min(max(seen[k], DEFAULT_WIDTH), MAX_WIDTH)
    return sheet


def _width(value: Any) -> float:
    # a Chinese character is about two Latin ones wide
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text[:MAX_WIDTH]) + 2


def new_workbook() -> Any:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook
