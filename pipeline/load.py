"""Load documents: expand paths to files, read their bytes within a size limit,
and turn them into text with the reader of their format (pipeline/formats).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import errors
from .errors import InputError
from .formats import SUFFIXES, read
from .formats.limits import DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Document:
    doc_id: str  # file name without directory (the schema's `doc`)
    path: str
    text: str
    encoding: str  # or the format the text was read from: "pdf", "docx", "html/utf-8"
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


def load_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                raise InputError(name, errors.TOO_LARGE.format(size=size, limit=max_bytes))
            # never more than the limit in memory, even if the file grows while it is read
            data = stream.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError(name, errors.NOT_FOUND) from exc
    except OSError as exc:
        raise InputError(name, errors.UNREADABLE.format(reason=exc.strerror or exc)) from exc
    if len(data) > max_bytes:
        raise InputError(name, errors.TOO_LARGE.format(size=len(data), limit=max_bytes))
    text, encoding = read(data, name, path.suffix.lower(), max_bytes)
    return Document(path.name, name, text, encoding, hashlib.sha256(data).hexdigest())


def text_document(text: str, doc_id: str = "<text>") -> Document:
    return Document(doc_id, doc_id, text, "str")
