"""The store as pandas DataFrames, for notebook users:

    kb = pipeline.KnowledgeBase("jixiao.db")
    kb.facts().query("road == 'G569'")
    kb.projects()              # one row per project or road across reports
    kb.timeline("G569")        # its figures by year: actual, plan, cumulative, with sentences
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import entities, errors, spreadsheet
from .labels import heading
from .store import DEFAULT_DB, ON_ROUTE, TABLES, Store
from .summary import timeline

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

    def projects(self) -> pd.DataFrame:
        """One row per project or road (pipeline/entities.py): id, kind, key, name, road,
        its aliases (as one string, " | " between them), facts and reports it has."""
        return pd.read_sql_query(
            "SELECT entities.id, entities.kind, entities.key, entities.name, entities.road,"
            " (SELECT group_concat(alias, ' | ') FROM entity_aliases WHERE entity_id = entities.id) AS aliases,"
            " COUNT(facts.id) AS facts, COUNT(DISTINCT facts.document_id || '/' || facts.report) AS reports"
            " FROM entities LEFT JOIN facts ON facts.entity_id = entities.id"
            " GROUP BY entities.id ORDER BY entities.kind, entities.road, entities.key", self.store.conn)

    def entity_facts(self, name: str) -> pd.DataFrame:
        """Facts about a project or road named any way it was written: a route code or a
        route in words (G569, 国道209线: every fact on that road), a project's name with or
        without its route, in either script."""
        folded = entities.fold(name)
        code = entities.road_code(name)
        conditions, params = [], []
        if code and entities.project_key(name) == "":
            conditions.append(ON_ROUTE)
            params += [code, code]
        else:
            conditions.append("facts.entity_id IN (SELECT entity_id FROM entity_aliases WHERE alias IN (?, ?))")
            params += [folded, entities.project_key(name)]
        return pd.read_sql_query(
            "SELECT facts.*, documents.doc AS doc FROM facts JOIN documents ON documents.id = facts.document_id"
            f" WHERE {conditions[0]} ORDER BY facts.document_id, facts.mention_start", self.store.conn, params=params)

    def timeline(self, name: str) -> pd.DataFrame:
        """The figures of a project or road by year (pipeline.summary.timeline): year, column
        (actual / plan / cumulative), predicate, value, unit, doc, offsets and sentence."""
        facts = self.entity_facts(name)
        rows = timeline(facts.astype(object).where(facts.notna(), None).to_dict("records"))  # NaN -> None
        columns = ["year", "column", "type", "predicate", "value", "low", "high", "unit", "basis", "scope", "period",
                   "subject", "doc", "mention_start", "mention_end", "sentence"]
        return pd.DataFrame(rows, columns=columns)

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
