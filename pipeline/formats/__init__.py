"""One reader per input format: bytes in, the text that every offset indexes out.

A reader gets the file's bytes (already read within the size limit), its name
for errors and the size limit (pipeline/formats/limits.py: what the file may
expand to), and returns (text, how it was read: an encoding or a format name).
Tables come out as tab-separated rows, the layout the table parser reads best.

A file is read by what its bytes are when they say so (a PDF, a zip of Word or
Excel parts, an OLE2 Word or Excel file), whatever its suffix: a PDF saved as
.txt is read as a PDF, not stored as garbage.
"""
from __future__ import annotations

import io
import zipfile
from typing import Callable

from .. import errors
from ..errors import InputError
from . import docx, html, office, pdf, text
from .limits import DEFAULT_MAX_BYTES

Reader = Callable[[bytes, str, int], "tuple[str, str]"]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".html": html.read,
    ".htm": html.read,
    ".xlsx": office.read_workbook,
    ".xls": office.read_workbook,
    ".doc": office.read_old_word,
    ".wps": office.read_old_word,
}
SUFFIXES = tuple(READERS)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str | None:
    """The suffix of the format the bytes are in, when their first bytes say so."""
    head = data[:1024]
    if head.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        return ".docx" if "word/document.xml" in names else ".xlsx" if "xl/workbook.xml" in names else None
    if head.startswith(_OLE2):
        # the directory names its streams in UTF-16: WordDocument in Word (and WPS), Workbook/Book in Excel
        if "WordDocument".encode("utf-16-le") in data:
            return ".doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return ".xls"
    return None


def read(data: bytes, name: str, suffix: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read by content where the bytes name their format and it is not the suffix's
    (the encoding then says so: `pdf, by content (named .txt)`), else by suffix."""
    found = sniff(data)
    if found is not None and READERS[found] is not READERS.get(suffix):
        text_read, how = READERS[found](data, name, max_bytes)
        return text_read, f"{how}, by content (named {suffix or 'without a suffix'})"
    if suffix not in READERS:
        raise InputError(name, errors.UNSUPPORTED.format(suffix=suffix))
    return READERS[suffix](data, name, max_bytes)
