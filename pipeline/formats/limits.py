"""What a file may expand to, derived from --max-bytes: a file under the limit can
still unpack to gigabytes (a zip bomb, a PDF stream bomb, a table cell spanning
millions of columns). Each check refuses the file with an InputError naming it
before the expansion is held in memory.

- every member of a .docx/.xlsx zip unpacks to at most `max_bytes`, all of them
  together to at most ZIP_TOTAL_FACTOR × `max_bytes` (declared sizes: Python's
  zipfile never inflates a member past the size its header declares);
- every Flate stream of a PDF inflates to at most `max_bytes` (counted in pieces,
  never held whole);
- the text a reader builds (table cells spread over their spans included) runs to
  at most `max_bytes` characters (TextBudget);
- one cell spans at most MAX_SPAN columns (the HTML standard's own cap on colspan).
"""
from __future__ import annotations

import io
import zipfile
import zlib

import regex

from .. import errors
from ..errors import InputError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
ZIP_TOTAL_FACTOR = 2
# HTML's table model treats a colspan over 1000 as 1000; Word tables have at most 63 columns.
MAX_SPAN = 1000
_INFLATE_PIECE = 1 << 20
_STREAM = regex.compile(rb"stream\r?\n")


def span(value: object) -> int:
    """A cell's column span from its attribute: a number in 1..MAX_SPAN, else 1."""
    text = str(value or "").strip()
    return min(int(text), MAX_SPAN) if text.isdigit() and int(text) > 0 else 1


def check_zip(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse a zip whose members would unpack past the limits (before any is unpacked)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return  # the reader reports a damaged file in its own words
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max_bytes:
            raise InputError(name, errors.EXPANDS.format(part=repr(member.filename), limit=max_bytes))
        if total > ZIP_TOTAL_FACTOR * max_bytes:
            raise InputError(name, errors.EXPANDS.format(part="its members", limit=ZIP_TOTAL_FACTOR * max_bytes))


def check_pdf_streams(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse a PDF with a stream that inflates past `max_bytes`. Every stream that
    starts as zlib data is inflated in pieces of a megabyte and only counted, so the
    check costs time linear in what the streams hold, and a megabyte of memory."""
    for found in _STREAM.finditer(data):
        start = found.end()
        if data[start:start + 1] != b"\x78":  # not a zlib header: not a Flate stream
            continue
        inflater = zlib.decompressobj()
        size = 0
        piece = data[start:start + _INFLATE_PIECE]
        offset = start + len(piece)
        try:
            while piece:
                size += len(inflater.decompress(piece, _INFLATE_PIECE))
                while inflater.unconsumed_tail:
                    size += len(inflater.decompress(inflater.unconsumed_tail, _INFLATE_PIECE))
                    if size > max_bytes:
                        break
                if size > max_bytes or inflater.eof:
                    break
                piece = data[offset:offset + _INFLATE_PIECE]
                offset += len(piece)
        except zlib.error:
            continue  # damaged or not Flate after all: pdfminer says what it makes of it
        if size > max_bytes:
            raise InputError(name, errors.EXPANDS.format(part=f"a PDF stream at byte {start}", limit=max_bytes))


class TextBudget:
    """Counts the characters a reader produces; past `max_bytes` the file is refused."""

    def __init__(self, name: str, max_bytes: int):
        self.name, self.limit, self.used = name, max_bytes, 0

    def add(self, characters: int) -> None:
        self.used += characters
        if self.used > self.limit:
            raise InputError(self.name, errors.TEXT_TOO_LARGE.format(limit=self.limit))

    def take(self, text: str, counted: int = 0) -> str:
        """`text` as a line of the result, its characters counted (less `counted`, those added before)."""
        self.add(len(text) + 1 - counted)
        return text
