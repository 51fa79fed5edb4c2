"""Spreadsheets (.xlsx, .xls, python-calamine) and old Word files (.doc, .wps,
converted by LibreOffice when it is installed).

A workbook is read sheet by sheet: the sheet's name on a line, then each row that
holds anything as a tab-separated line (trailing empty cells dropped); the text
indexes that, as a .docx's does. An old Word file is converted to .docx by
`soffice --headless --convert-to docx` in a temporary folder and read as one.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import regex

from .. import errors
from ..errors import InputError
from . import docx
from .cells import table_row
from .limits import DEFAULT_MAX_BYTES, TextBudget, check_zip

# LibreOffice gets this long to convert one file (a hostile one must not stall the batch).
CONVERT_SECONDS = 120
# A sheet is read whole, as a grid as large as its used range: one cell per CELL_BYTES of
# --max-bytes at most (two cells at A1 and XFD1048576 would make 17 billion).
CELL_BYTES = 8
_CELL_REF = regex.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_SOFFICE = ("soffice", "libreoffice")


def read_workbook(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    from python_calamine import CalamineError, CalamineWorkbook

    if not data:
        raise InputError(name, errors.EMPTY)
    if data.startswith(b"PK"):
        check_zip(data, name, max_bytes)
        _check_used_ranges(data, name, max_bytes)
    budget = TextBudget(name, max_bytes)
    lines: list[str] = []
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            lines.append(budget.take(sheet_name))
            for row in sheet.iter_rows():
                cells = [_cell(value) for value in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    lines.append(budget.take(table_row(cells)))
            lines.append("")
    except (CalamineError, ValueError, TypeError, OSError) as exc:
        raise InputError(name, errors.CORRUPT.format(kind="spreadsheet", reason=str(exc) or type(exc).__name__)) from exc
    return "\n".join(lines).strip("\n"), "xlsx" if data.startswith(b"PK") else "xls"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_used_ranges(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse a workbook whose sheets' used ranges hold more cells than the limit,
    before calamine lays them out as a grid (members already known to be within it)."""
    limit = max_bytes // CELL_BYTES
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for member in book.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            rows = columns = 0
            for ref in _CELL_REF.finditer(book.read(member)):
                columns, rows = max(columns, _column(ref.group(1))), max(rows, int(ref.group(2)))
            if rows * columns > limit:
                raise InputError(name, errors.TEXT_TOO_LARGE.format(limit=limit))


def soffice() -> str | None:
    """LibreOffice's command, if it is installed."""
    return next(filter(None, (shutil.which(command) for command in _SOFFICE)), None)


def read_old_word(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    if not data:
        raise InputError(name, errors.EMPTY)
    command = soffice()
    if command is None:
        raise InputError(name, errors.NEEDS_LIBREOFFICE.format(suffix=Path(name).suffix.lower() or ".doc"))
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as folder:
        source = Path(folder) / ("input" + (Path(name).suffix.lower() or ".doc"))
        source.write_bytes(data)
        # a profile of its own: two conversions at once (ingest's workers) must not share one
        profile = Path(folder, "profile").as_uri()
        try:
            done = subprocess.run([command, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                                   "--outdir", folder, str(source)], capture_output=True, timeout=CONVERT_SECONDS,
                                  stdin=subprocess.DEVNULL, env={**os.environ, "HOME": folder})
        except subprocess.TimeoutExpired as exc:
            raise InputError(name, errors.CONVERSION_FAILED.format(reason=f"no result in {CONVERT_SECONDS} s")) from exc
        converted = source.with_suffix(".docx")
        if not converted.is_file():
            reason = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise InputError(name, errors.CONVERSION_FAILED.format(reason=reason[-1] if reason else f"exit {done.returncode}"))
        text, _ = docx.read(converted.read_bytes(), name, max_bytes)
    return text, f"docx via {Path(command).name}"
