"""The store as pandas DataFrames, for notebook users:

    kb = pipeline.KnowledgeBase("jixiao.db")
    kb.facts().query("road == 'G569'")
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import errors, spreadsheet
from .labels import heading
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
        """Every table: csv/parquet as one file per table in the folder `target`, xlsx as one
        workbook (a sheet per table, Chinese headings, file names beside document ids).
        CSV and XLSX cells are inert (pipeline/spreadsheet.py)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
        target = Path(target)
        if fmt == "xlsx":
            target.parent.mkdir(parents=True, exist_ok=True)
            workbook = spreadsheet.new_workbook()
            for name in TABLES:
                columns, rows = self._export_rows(name)
                spreadsheet.add_sheet(workbook, name, [heading(name, c) for c in columns], rows)
            workbook.save(target)
            return [target]
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name in TABLES:
            path = target / f"{name}.{fmt}"
            if fmt == "csv":
                spreadsheet.write_csv_file(*self._export_rows(name), path)
            else:
                self.table(name).to_parquet(path, index=False)
            written.append(path)
        return written

    def _export_rows(self, name: str) -> tuple[list[str], list[tuple]]:
        """The table's columns and rows, with the document's file name (`doc`) beside
        `document_id` and the report's title beside a section's `report_id`."""
        columns = [row[1] for row in self.store.conn.execute(f"PRAGMA table_info({name})") if row[1] != "source"]
        select = [f'{name}."{c}"' for c in columns]
        joins = ""
        for link, join, label, expression in (
            ("document_id", "LEFT JOIN documents AS d ON d.id = {t}.document_id", "doc", "d.doc"),
            ("report_id", "LEFT JOIN reports AS r ON r.id = {t}.report_id", "title", "r.title"),
        ):
            if link in columns:
                at = columns.index(link) + 1
                columns.insert(at, label)
                select.insert(at, expression)
                joins += " " + join.format(t=name)
        cursor = self.store.conn.execute(f"SELECT {', '.join(select)} FROM {name}{joins} ORDER BY {name}.id")
        return columns, [tuple(row) for row in cursor]

    def close(self) -> None:
        self.store.close()
