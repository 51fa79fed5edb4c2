"""The knowledge table as a partitioned Parquet dataset, written beside the store:

    DIR/<table>/part-00000.parquet, part-00001.parquet, …   (one part per batch of documents)

for tables documents (without the source text), reports, sections, mentions,
indicators, facts and findings, with the store's ids, so that DuckDB
(`SELECT * FROM 'DIR/facts/*.parquet'`) or pandas (`pd.read_parquet("DIR/facts")`)
read it directly. Each run writes the dataset afresh.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .store import TABLES, Store

BATCH_DOCUMENTS = 1000

_QUERIES = {
    # every column but the source text, which the dataset leaves out (it is read back from the store)
    "documents": "SELECT id, path, doc, sha256, encoding, ingested_at FROM documents WHERE id IN ({ids}) ORDER BY id",
    "sections": "SELECT sections.* FROM sections JOIN reports ON reports.id = sections.report_id"
                " WHERE reports.document_id IN ({ids}) ORDER BY sections.id",
}


class ParquetDataset:
    def __init__(self, directory: str | Path, store: Store, batch: int = BATCH_DOCUMENTS):
        self.directory = Path(directory)
        self.store = store
        self.batch = batch
        self.ids: list[int] = []
        self.parts = 0
        for table in TABLES:
            folder = self.directory / table
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("part-*.parquet"):
                old.unlink()

    def add(self, document_id: int) -> None:
        self.ids.append(document_id)
        if len(self.ids) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.ids:
            return
        ids = ",".join(str(int(i)) for i in self.ids)
        for table in TABLES:
            query = _QUERIES.get(table, f"SELECT * FROM {table} WHERE document_id IN ({{ids}}) ORDER BY id")
            frame = pd.read_sql_query(query.format(ids=ids), self.store.conn)
            frame.to_parquet(self.directory / table / f"part-{self.parts:05d}.parquet", index=False)
        self.parts += 1
        self.ids = []
