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
from typing import Callable, Iterable, Iterator

import regex

from .. import errors
from ..errors import InputError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
ZIP_TOTAL_FACTOR = 2
# HTML's table model treats a colspan over 1000 as 1000; Word tables have at most 63 columns.
MAX_SPAN = 1000
_INFLATE_PIECE = 1 << 20
_LAYERS = 3  # Flate inside Flate counted this deep
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
    check costs time linear in what the streams hold, and a megabyte of memory; Flate
    inside Flate (`/Filter [/FlateDecode /FlateDecode]`) is counted to its last layer."""
    for found in _STREAM.finditer(data):
        start = found.end()
        if data[start:start + 1] != b"\x78":  # not a zlib header: not a Flate stream
            continue
        size = _inflated_size(lambda: _pieces(data, start), max_bytes)
        if size > max_bytes:
            raise InputError(name, errors.EXPANDS.format(part=f"a PDF stream at byte {start}", limit=max_bytes))


def _pieces(data: bytes, start: int) -> Iterator[bytes]:
    for offset in range(start, len(data), _INFLATE_PIECE):
        yield data[offset:offset + _INFLATE_PIECE]


def _inflate(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """zlib data in pieces -> what it inflates to, in pieces of at most a megabyte."""
    inflater = zlib.decompressobj()
    for piece in pieces:
        out = inflater.decompress(piece, _INFLATE_PIECE)
        while True:
            if out:
                yield out
            if not inflater.unconsumed_tail:
                break
            out = inflater.decompress(inflater.unconsumed_tail, _INFLATE_PIECE)
        if inflater.eof:
            return


def _inflated_size(pieces: Callable[[], Iterable[bytes]], limit: int, layers: int = _LAYERS) -> int:
    """How much the zlib data `pieces()` gives inflates to (counting stops past
    `limit`); where that is zlib data itself, the larger of it and what it inflates to."""
    size = 0
    try:
        inflated = _inflate(pieces())
        first = next(inflated, b"")
        if layers > 1 and first[:1] == b"\x78":
            inner = _inflated_size(lambda: _inflate(pieces()), limit, layers - 1)
            if inner > limit:
                return inner
        size = len(first)
        for out in inflated:
            size += len(out)
            if size > limit:
                break
    except zlib.error:
        pass  # damaged, or not Flate after all: pdfminer says what it makes of it
    return size


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
