"""Load documents: expand paths to files, read their bytes within a size limit,
and turn them into text with the reader of their format (pipeline/formats).
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

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


@dataclass(frozen=True)
class Skipped:
    """A path met while searching a folder that is not read: never dropped silently."""

    path: str
    reason: str
    # a regular file of a type jixiao does not read (a .jpg, the gold .jsonl beside a corpus):
    # counted and named in the closing line, without a line of its own
    other_type: bool = False

    def __str__(self) -> str:
        return f"{errors.shown(self.path)}: {self.reason}"


def expand_paths(paths: list[str | Path], on_skip: Callable[[Skipped], None] | None = None
                 ) -> Iterator[Path | InputError]:
    """Files in the order given, folders recursively in sorted order.

    A path that does not exist yields an InputError in its place, so a batch goes on.
    In a folder, what is not read (another file type, a FIFO or device, a dangling or
    looping link, a folder that cannot be listed) is passed to `on_skip`.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, skipped = _walk(path)
            for item in skipped:
                if on_skip is not None:
                    on_skip(item)
            yield from found
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), errors.NOT_FOUND)


def _walk(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The readable files below `folder` (links followed), and what was skipped, each sorted."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    entered: set[tuple[int, int]] = set()  # folders already searched: a link back to one is a loop
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            status = current.stat()
            if (status.st_dev, status.st_ino) in entered:
                skipped.append(Skipped(str(current), errors.LINK_LOOP))
                continue
            entered.add((status.st_dev, status.st_ino))
            with os.scandir(current) as listing:
                entries = [Path(entry.path) for entry in listing]
        except OSError as exc:
            skipped.append(Skipped(str(current), errors.UNREADABLE_FOLDER.format(reason=exc.strerror or exc)))
            continue
        for path in entries:
            try:
                mode = path.stat().st_mode  # through links
            except OSError as exc:
                reason = (errors.LINK_LOOP if exc.errno == errno.ELOOP else
                          errors.DANGLING_LINK if path.is_symlink() else
                          errors.UNREADABLE.format(reason=exc.strerror or exc))
                skipped.append(Skipped(str(path), reason))
                continue
            if stat.S_ISDIR(mode):
                folders.append(path)
            elif not stat.S_ISREG(mode):
                skipped.append(Skipped(str(path), errors.NOT_REGULAR))
            elif path.suffix.lower() in SUFFIXES:
                found.append(path)
            else:
                skipped.append(Skipped(str(path), errors.UNSUPPORTED.format(suffix=path.suffix), other_type=True))
    return sorted(found), sorted(skipped, key=lambda item: item.path)


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
