"""Load documents: expand paths to files, read bytes, decode to text.

Chinese government files come as UTF-8 (with or without BOM), GB18030/GBK and
UTF-16; charset-normalizer decides when the bytes do not say so themselves.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from charset_normalizer import from_bytes

from . import errors
from .errors import InputError

SUFFIXES = (".txt", ".md")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Document:
    doc_id: str  # file name without directory (the schema's `doc`)
    path: str
    text: str
    encoding: str
    sha256: str = ""  # of the bytes read: the store skips a file whose bytes it already holds


def expand_paths(paths: list[str | Path]) -> Iterator[Path | InputError]:
    """Files in the order given, folders recursively in sorted order.

    A path that does not exist yields an InputError in its place, so a batch goes on.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), errors.NOT_FOUND)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name), or InputError naming `name`."""
    if not data:
        raise InputError(name, errors.EMPTY)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(name, f"{errors.UNDECODABLE}: {exc.reason} at byte {exc.start}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise InputError(name, f"truncated UTF-8: the last character is cut off at byte {exc.start}") from exc
    if b"\x00" in data and not _looks_utf16(data):
        raise InputError(name, errors.BINARY)
    best = from_bytes(data, cp_isolation=["gb18030", "utf_16", "big5"]).best() or from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(name, errors.UNDECODABLE) from exc


def _looks_utf16(data: bytes) -> bool:
    # ASCII-heavy UTF-16 has NUL in every other byte; CJK-heavy text rarely has NUL at all
    sample = data[:4096]
    return sample.count(b"\x00") * 4 >= len(sample) and len(sample) % 2 == 0


def load_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    path = Path(path)
    name = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(name, errors.UNSUPPORTED.format(suffix=path.suffix))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, errors.TOO_LARGE.format(size=size, limit=max_bytes))
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(name, errors.NOT_FOUND) from exc
    except OSError as exc:
        raise InputError(name, errors.UNREADABLE.format(reason=exc.strerror or exc)) from exc
    text, encoding = decode(data, name)
    return Document(path.name, name, text, encoding, hashlib.sha256(data).hexdigest())


def text_document(text: str, doc_id: str = "<text>") -> Document:
    return Document(doc_id, doc_id, text, "str")
