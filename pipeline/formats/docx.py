"""Word (.docx, python-docx): paragraphs and tables in document order, each table
row a tab-separated line; a cell spanning columns is followed by empty cells so
that the row still lines up with the header."""
from __future__ import annotations

import io
import zipfile
from typing import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .. import errors
from ..errors import InputError
from .cells import spanned_row
from .limits import DEFAULT_MAX_BYTES, TextBudget, check_zip, span


def read(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    if not data:
        raise InputError(name, errors.EMPTY)
    check_zip(data, name, max_bytes)
    budget = TextBudget(name, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document, budget))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(name, errors.CORRUPT.format(kind="Word (.docx)", reason=str(exc) or type(exc).__name__)) from exc
    return "\n".join(lines), "docx"


def _lines(document: "docx.document.Document", budget: TextBudget):
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            yield budget.take(Paragraph(block, document).text)
        elif block.tag == qn("w:tbl"):
            for row in Table(block, document).rows:
                cells = list(_cells(row, budget))
                yield budget.take(spanned_row(cells), sum(n - 1 for _text, n in cells))


def _cells(row, budget: TextBudget) -> Iterator[tuple[str, int]]:
    """(text, columns spanned) of each cell; the empty columns are counted as they are met."""
    for tc in row._tr.tc_lst:
        columns = span(tc.grid_span)
        budget.add(columns - 1)
        # a cell continuing a vertical merge holds no text of its own: left empty, as the parser carries levels down
        yield "\n".join(Paragraph(p, row).text for p in tc.iterchildren(qn("w:p"))), columns
