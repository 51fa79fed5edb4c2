"""The indicator rows as a spreadsheet (one row per indicator with its report's
title, organisation and year), written as CSV or XLSX, inert (pipeline/spreadsheet.py)."""
from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Sequence

from .. import spreadsheet

TABLE_COLUMNS = ("doc", "report", "title", "org", "year", "level1", "level2", "name", "target_op", "target",
                 "target_unit", "actual", "actual_unit", "weight", "score", "met", "reason")
# Column headings in the spreadsheet, as users of the 自评表 name them.
TABLE_HEADINGS = {
    "doc": "文件", "report": "报告序号", "title": "报告标题", "org": "单位", "year": "年度", "level1": "一级指标",
    "level2": "二级指标", "name": "三级指标", "target_op": "指标性质", "target": "年度指标值", "target_unit": "指标值单位",
    "actual": "实际完成值", "actual_unit": "完成值单位", "weight": "分值", "score": "得分", "met": "是否达成",
    "reason": "未完成原因",
}


WIDTHS = {"title": 40, "org": 24, "name": 36, "reason": 40, "level2": 16}


def _rows(rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [[row[c] for c in TABLE_COLUMNS] for row in rows]


def write_csv(rows: Sequence[dict[str, Any]], out: IO[str]) -> None:
    spreadsheet.write_csv([TABLE_HEADINGS[c] for c in TABLE_COLUMNS], _rows(rows), out)


def write_xlsx(rows: Sequence[dict[str, Any]], path: str | Path) -> None:
    workbook = spreadsheet.new_workbook()
    spreadsheet.add_sheet(workbook, "绩效指标", [TABLE_HEADINGS[c] for c in TABLE_COLUMNS], _rows(rows),
                          [WIDTHS.get(c, spreadsheet.DEFAULT_WIDTH) for c in TABLE_COLUMNS])
    workbook.save(path)


def write_table(rows: Sequence[dict[str, Any]], path: str | Path | None, out: IO[str] | None = None) -> None:
    """XLSX when `path` ends in .xlsx, else CSV (to `path`, or to `out` when no path is given)."""
    if path is not None and str(path).lower().endswith(".xlsx"):
        write_xlsx(rows, path)
    elif path is not None:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            write_csv(rows, f)
    elif out is not None:
        write_csv(rows, out)
    else:
        raise ValueError("write_table needs a path or a stream")
