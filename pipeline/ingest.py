"""Ingest files into the store: extract each document and write it whole (a
savepoint each, committed every hundred documents or every second); skip files
whose bytes the store already holds; a bad file is counted and reported, the
others go on.

Documents are extracted in `workers` processes (or on a Dask cluster with
engine="dask") and written by this one process in input order, so the rows and
their ids are those of a single-process run (pipeline/parallel.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import errors
from .errors import InputError
from .load import DEFAULT_MAX_BYTES, Skipped, expand_paths
from .parallel import outcomes
from .store import Store
from .storefile import writer_lock


@dataclass
class IngestTally:
    stored: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)  # paths met in folders and not read

    @property
    def documents(self) -> int:
        return self.stored + self.unchanged + self.failed

    def __str__(self) -> str:
        return (f"{self.documents} documents, {self.failed} failed ({self.stored} stored, {self.unchanged} unchanged)"
                + errors.skipped_note(self.skipped))


def ingest(paths: Iterable[str | Path], store: Store, *, max_bytes: int = DEFAULT_MAX_BYTES, strict: bool = False,
           on_error: Callable[[InputError], None] = lambda _error: None,
           on_skip: Callable[[Skipped], None] = lambda _skipped: None, workers: int = 1, engine: str = "local",
           scheduler: str | None = None, parquet: str | Path | None = None,
           progress: Callable[[], object] = lambda: None) -> IngestTally:
    """`workers` processes (engine "local"), or a Dask cluster (engine "dask": `scheduler`
    address, else a LocalCluster of `workers`); `parquet`: also write the knowledge
    table there as a partitioned Parquet dataset (pipeline/dataset.py); `progress` is
    called once per document done (stored, unchanged or failed)."""
    tally = IngestTally()
    dataset = None
    if parquet is not None:
        from .dataset import ParquetDataset

        dataset = ParquetDataset(parquet, store)

    def known(path: Path) -> str | None:
        row = store.conn.execute("SELECT sha256 FROM documents WHERE path = ?", (str(Path(path).resolve()),)).fetchone()
        return row[0] if row else None

    def skip(item: Skipped) -> None:
        tally.skipped.append(item.path)
        on_skip(item)

    items = expand_paths(list(paths), skip)
    # one writer at a time: a second ingest into the same store says so and waits
    with writer_lock(store.path), store.commit_every():
        for outcome in outcomes(items, known, max_bytes=max_bytes, workers=workers, engine=engine,
                                scheduler=scheduler):
            progress()
            if outcome.problem is not None:
                tally.failed += 1
                on_error(outcome.error)
                if strict:
                    break
                continue
            document = outcome.document
            # checked again at write time: the same file given twice is stored once, as in one process
            if outcome.unchanged or store.is_current(document.path, document.sha256):
                tally.unchanged += 1
                continue
            document_id = store.put(document)
            tally.stored += 1
            if dataset is not None:
                dataset.add(document_id)
        if dataset is not None:
            dataset.flush()
    return tally
