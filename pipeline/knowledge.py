"""The store as pandas DataFrames, for notebook users:

    kb = pipeline.KnowledgeBase("jixiao.db")
    kb.facts().query("road == 'G569'")
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import errors
from .store import DEFAULT_DB, TABLES, Store

EXPORT_FORMATS = ("csv", "parquet", "xlsx")


class KnowledgeBase:
    def __init__(self, path: str | Path = DEFAULT_DB):
        if not Path(path).exists():
            raise FileNotFoundError(errors.NO_STORE.format(path=path))
        self.store = Store(path)

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise ValueError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}")
        frame = pd.read_sql_query(f"SELECT * FROM {name} ORDER BY id", self.store.conn)
        return frame.drop(columns=["source"]) if name == "documents" else frame

    def facts(self) -> pd.DataFrame:
        return pd.read_sql_query(
            "SELECT facts.*, documents.doc AS doc FROM facts JOIN documents ON documents.id = facts.document_id"
            " ORDER BY facts.id", self.store.conn)

    def mentions(self) -> pd.DataFrame:
        return self.table("mentions")

    def indicators(self) -> pd.DataFrame:
        return self.table("indicators")

    def reports(self) -> pd.DataFrame:
        return self.table("reports")

    def export(self, target: str | Path, fmt: str) -> list[Path]:
        """Every table: csv/parquet as one file per table in the folder `target`, xlsx as one workbook."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
        target = Path(target)
        if fmt == "xlsx":
            target.parent.mkdir(parents=True, exist_ok=True)
            with pd.ExcelWriter(target) as writer:
                for name in TABLES:
                    self.table(name).to_excel(writer, sheet_name=name, index=False)
            return [target]
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name in TABLES:
            path = target / f"{name}.{fmt}"
            frame = self.table(name)
            if fmt == "csv":
                frame.to_csv(path, index=False, encoding="utf-8-sig")  # utf-8-sig: Excel opens it as UTF-8
            else:
                frame.to_parquet(path, index=False)
            written.append(path)
        return written

    def close(self) -> None:
        self.store.close()
