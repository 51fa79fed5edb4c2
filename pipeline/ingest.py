"""Ingest files into the store: extract each document and write it in its own
transaction; skip files whose bytes the store already holds; a bad file is
counted and reported, the others go on."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .document import process_document
from .errors import InputError
from .load import DEFAULT_MAX_BYTES, expand_paths, load_document
from .store import Store, StoredDocument


@dataclass
class IngestTally:
    stored: int = 0
    unchanged: int = 0
    failed: int = 0

    @property
    def documents(self) -> int:
        return self.stored + self.unchanged + self.failed

    def __str__(self) -> str:
        return f"{self.documents} documents, {self.failed} failed ({self.stored} stored, {self.unchanged} unchanged)"


def ingest(paths: Iterable[str | Path], store: Store, *, max_bytes: int = DEFAULT_MAX_BYTES, strict: bool = False,
           on_error: Callable[[InputError], None] = lambda _error: None) -> IngestTally:
    tally = IngestTally()
    for item in expand_paths(list(paths)):
        try:
            if isinstance(item, InputError):
                raise item
            document = load_document(item, max_bytes)
        except InputError as error:
            tally.failed += 1
            on_error(error)
            if strict:
                break
            continue
        if store.is_current(str(Path(document.path).resolve()), document.sha256):
            tally.unchanged += 1
            continue
        store.put(StoredDocument.of(process_document(document)))
        tally.stored += 1
    return tally
