"""PDF with a text layer (pdfplumber): text in reading order, ruled tables as
tab-separated rows, pages separated by a form feed on a line of its own.

Within a page, the text above, between and below its tables is read in turn, so
a table stands where it stands on the page; reports are single-column.
"""
from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from .. import errors
from ..errors import InputError
from .cells import table_row
from .limits import DEFAULT_MAX_BYTES, TextBudget, check_pdf_streams

PAGE_BREAK = "\n\f\n"


def read(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    if not data:
        raise InputError(name, errors.EMPTY)
    check_pdf_streams(data, name, max_bytes)
    budget = TextBudget(name, max_bytes)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [budget.take(_page_text(page)) for page in pdf.pages]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(name, errors.ENCRYPTED_PDF) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise InputError(name, errors.ENCRYPTED_PDF) from exc
        raise InputError(name, errors.CORRUPT.format(kind="PDF", reason=_reason(cause))) from exc
    except (PSException, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # pdfminer reports a damaged file by whatever its parser tripped over
        raise InputError(name, errors.CORRUPT.format(kind="PDF", reason=_reason(exc))) from exc
    if not any(page.strip() for page in pages):
        raise InputError(name, errors.NO_TEXT_LAYER)
    return PAGE_BREAK.join(pages), "pdf"


def _reason(exc: object) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _page_text(page: "pdfplumber.page.Page") -> str:
    parts: list[str] = []
    top = page.bbox[1]
    for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
        parts.append(_text_between(page, top, table.bbox[1]))
        parts.append("\n".join(table_row(row) for row in table.extract()))
        top = table.bbox[3]
    parts.append(_text_between(page, top, page.bbox[3]))
    return "\n".join(p for p in parts if p)


def _text_between(page: "pdfplumber.page.Page", top: float, bottom: float) -> str:
    if bottom <= top:
        return ""
    x0, _, x1, _ = page.bbox
    return page.crop((x0, top, x1, bottom)).extract_text() or ""
